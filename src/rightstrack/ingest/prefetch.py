"""Reading ahead: the next chunk of a file is parsed in a thread while the store writes this one.

The database driver lets other threads run while SQLite or PostgreSQL works on a statement, so
parsing the next chunk overlaps with writing the current one. At most ``depth`` chunks wait, so
memory stays bounded; an error in the reader is raised in the writer's thread, and a writer that
stops early (an error, a closed generator) stops the reader too.
"""

from __future__ import annotations

import threading
from collections.abc import Generator, Iterator
from queue import Empty, Full, Queue
from typing import TypeVar

T = TypeVar("T")
_POLL = 0.1  # seconds between looks at the stop flag while a queue is full or empty


class _End:
    """Put on the queue after the last item."""


def prefetched(items: Iterator[T], depth: int = 1) -> Generator[T, None, None]:
    queue: Queue[T | _End | BaseException] = Queue(maxsize=depth)
    stop = threading.Event()

    def offer(item: T | _End | BaseException) -> bool:
        while not stop.is_set():
            try:
                queue.put(item, timeout=_POLL)
                return True
            except Full:
                continue
        return False

    def read() -> None:
        try:
            for item in items:
                if not offer(item):
                    return
            offer(_End())
        except BaseException as exc:  # handed to the writer's thread, which raises it
            offer(exc)

    reader = threading.Thread(target=read, name="import-read-ahead", daemon=True)
    reader.start()
    try:
        while True:
            try:
                got = queue.get(timeout=_POLL)
            except Empty:
                if not reader.is_alive() and queue.empty():
                    return
                continue
            if isinstance(got, _End):
                return
            if isinstance(got, BaseException):
                raise got
            yield got
    finally:
        stop.set()
        reader.join()
