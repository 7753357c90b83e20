"""Exports of the whole database or of any search: CSV, JSON (the documented record shape), XLSX."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from rightstrack.errors import InvalidInput
from rightstrack.store.database import Database
from rightstrack.store.records import RECORD_FIELDS, RecordOut, fetch_records, record_as_row
from rightstrack.store.search import SearchRequest, matching_ids

FORMATS = ("csv", "json", "xlsx")
_CHUNK = 1000


def iter_records(db: Database, ids: Sequence[int]) -> Iterator[RecordOut]:
    with db.read() as conn:
        for start in range(0, len(ids), _CHUNK):
            yield from fetch_records(conn, ids[start : start + _CHUNK])


def _csv_columns(rows: list[dict[str, Any]]) -> list[str]:
    base = [f for f in RECORD_FIELDS if f not in {"tags"}]
    extra = sorted({k for row in rows for k in row if k.startswith("tags_")})
    return base + extra


def write_export(db: Database, fmt: str, out: IO[Any] | Path, request: SearchRequest | None = None) -> int:
    """Write every record matching ``request`` (all records if None); return how many were written."""
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    ids = matching_ids(db, request or SearchRequest(sort="id"))
    records = iter_records(db, ids)
    if fmt == "xlsx":
        if isinstance(out, io.TextIOBase):
            raise InvalidInput("XLSX is binary: give a file (--output FILE), not a text stream")
        return _write_xlsx(records, out)
    if isinstance(out, Path):
        with out.open("w", encoding="utf-8", newline="") as handle:
            return write_records(fmt, records, handle)
    return write_records(fmt, records, out)


def write_records(fmt: str, records: Iterator[RecordOut], handle: IO[str]) -> int:
    """Write records as CSV or JSON to an open text handle; return how many."""
    count = 0
    if fmt == "json":
        handle.write("[")
        for count, record in enumerate(records, start=1):
            handle.write(("\n" if count == 1 else ",\n") + json.dumps(record, ensure_ascii=False))
        handle.write("\n]\n")
        return count
    rows = [record_as_row(r) for r in records]
    writer = csv.DictWriter(handle, fieldnames=_csv_columns(rows), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return len(rows)


def _write_xlsx(records: Iterator[RecordOut], path: Path | IO[bytes]) -> int:
    from openpyxl import Workbook

    rows = [record_as_row(r) for r in records]
    columns = _csv_columns(rows)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("recommendations")
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(c) for c in columns])
    workbook.save(path)
    return len(rows)
