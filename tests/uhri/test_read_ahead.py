"""A large export read in a second process (ingest/read_ahead.py): the same drafts, rows and
progress as reading in-process, the reader's errors raised in the importing process with their
rows and columns, and a reader stopped when the store stops asking."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rightstrack import importing
from rightstrack.errors import ErrorList, ImportFailed
from rightstrack.importing import import_file
from rightstrack.ingest.uhri import UhriImporter
from rightstrack.store import schema
from rightstrack.store.database import Database
from rightstrack.store.read_ahead import read_ahead
from rightstrack.store.resolve import Resolver
from tests.uhri.fixtures import NOTED_ROW, ROWS, SPECIAL_ROW, UPR_ROW, columns, write_csv, write_xlsx


def test_the_child_reads_what_the_importer_reads_in_process(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "uhri.xlsx")
    here = UhriImporter().read_chunks(path)
    resolver = Resolver(ErrorList(str(path)), here.field_labels)
    expected = [item for chunk in here.chunks for item in resolver.resolve(chunk)]
    seen: list[tuple[int, int | None]] = []
    there = read_ahead(UhriImporter(), path, lambda done, total: seen.append((done, total)))
    assert there.document == here.document
    assert (there.field_labels, there.tag_source) == (here.field_labels, here.tag_source)
    mirror = Resolver(ErrorList(str(path)), there.field_labels)
    resolved = [item for chunk in there.resolved(mirror) for item in chunk]
    assert resolved == expected and len(resolved) >= len(ROWS)
    assert (mirror.non_state, mirror.new_mechanisms) == (resolver.non_state, resolver.new_mechanisms)
    assert there.rows_read == here.rows_read == len(ROWS)
    assert seen[-1] == (len(ROWS), len(ROWS))


def test_a_bad_row_is_raised_here_with_its_row_and_column(tmp_path: Path) -> None:
    rows = [UPR_ROW, SPECIAL_ROW, {**NOTED_ROW, "Document Publication Date": "18/07/2017"}]
    path = write_csv(tmp_path / "bad.csv", rows)
    streamed = read_ahead(UhriImporter(), path, None)
    with pytest.raises(ImportFailed) as caught:
        list(streamed.resolved(Resolver(ErrorList(str(path)), {})))
    assert [(p.line, p.field) for p in caught.value.problems] == [(4, "Document Publication Date")]


def test_a_file_refused_on_its_header_is_refused_before_any_chunk(tmp_path: Path) -> None:
    header = [c for c in columns() if c != "Reccomending Body"]
    with pytest.raises(ImportFailed) as caught:
        read_ahead(UhriImporter(), write_xlsx(tmp_path / "bad.xlsx", header=header), None)
    assert [(p.line, p.field) for p in caught.value.problems] == [(1, "Reccomending Body")]


def test_closing_the_chunks_stops_the_reader(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "uhri.xlsx")
    chunks = read_ahead(UhriImporter(), path, None).resolved(Resolver(ErrorList(str(path)), {}))
    next(chunks)
    chunks.close()  # type: ignore[attr-defined]  # a generator: the store stopped asking
    with pytest.raises(StopIteration):
        next(chunks)
    assert not [p for p in multiprocessing.active_children() if p.name == "rightstrack-read-ahead"]


def test_a_large_export_imports_through_the_reader_and_again_as_a_no_op(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "READ_AHEAD_BYTES", 0)  # every file counts as large
    path = write_xlsx(tmp_path / "uhri.xlsx")
    first = import_file(db, path, "uhri", link_cycles=False)
    again = import_file(db, path, "uhri", link_cycles=False)
    assert first.created >= len(ROWS) and first.rows_read == len(ROWS)
    assert (again.created, again.updated) == (0, 0)
    with db.read() as conn:
        stored = conn.scalar(select(func.count()).select_from(schema.external_ids))
    assert stored == first.created
