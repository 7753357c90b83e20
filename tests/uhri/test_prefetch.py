"""Reading ahead in a thread: items in order, the reader's error raised in the writer's thread,
and a writer that stops early stops the reader."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from rightstrack.errors import ImportFailed
from rightstrack.ingest.prefetch import prefetched


def test_items_arrive_in_order() -> None:
    assert list(prefetched(iter(range(100)), depth=2)) == list(range(100))
    assert list(prefetched(iter([]))) == []


def test_the_readers_error_is_raised_to_the_writer() -> None:
    def items() -> Iterator[int]:
        yield 1
        raise ImportFailed("row 9: bad date")

    got: list[int] = []
    with pytest.raises(ImportFailed, match="row 9"):
        for item in prefetched(items()):
            got.append(item)
    assert got == [1]


def test_a_writer_that_stops_stops_the_reader() -> None:
    read: list[int] = []

    def endless() -> Iterator[int]:
        n = 0
        while True:
            read.append(n)
            yield n
            n += 1

    before = threading.active_count()
    stream = prefetched(endless())
    assert next(stream) == 0
    stream.close()
    assert threading.active_count() == before
    assert len(read) <= 3  # the item taken, at most one waiting, one being offered
