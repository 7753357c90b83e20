"""The rows of a UHRI export as (row number, cells), from XLSX, CSV or JSON, read as a stream.

Each reader yields the header first and then the rows, holding one row at a time, so a 270,000-row
export is read in bounded memory. XLSX goes through python-calamine (Rust): on a 300,000-row export
it reads rows several times faster than openpyxl's read-only mode (see benchmarks/uhri_import.py).
"""

from __future__ import annotations

import csv
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

from rightstrack.errors import ImportFailed

Row = tuple[int, list[object]]
"""(row or line number as people see it, cells in header order)."""


def table_rows(path: Path) -> tuple[list[str], Iterator[Row], int | None]:
    """The header, the rows after it, and how many rows there are when the format says so."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        return _xlsx(path)
    if suffix == ".json":
        return _json(path)
    return _csv(path)


def xlsx_head(path: Path, size: int = 1 << 18) -> bytes:
    """The first bytes of a workbook's shared strings and first sheet, where its header row is:
    enough to recognise the file without loading a sheet of 270,000 rows."""
    try:
        with zipfile.ZipFile(path) as book:
            names = set(book.namelist())
            head = b""
            for name in ("xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"):
                if name in names:
                    with book.open(name) as part:
                        head += part.read(size)
            return head
    except (OSError, zipfile.BadZipFile):
        return b""


def _xlsx(path: Path) -> tuple[list[str], Iterator[Row], int | None]:
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise ImportFailed(f"{path}: not a readable spreadsheet: {exc}") from exc
    rows = sheet.iter_rows()
    header = [str(c).strip() for c in next(rows, [])]
    first = sheet.start[0] + 1 if sheet.start else 1

    def body() -> Iterator[Row]:
        for number, cells in enumerate(rows, start=first + 1):
            yield number, list(cells)

    return header, body(), max(sheet.height - 1, 0)


def _csv(path: Path) -> tuple[list[str], Iterator[Row], int | None]:
    handle = path.open(encoding="utf-8-sig", newline="")
    reader = csv.reader(handle, strict=True)
    try:
        header = [c.strip() for c in next(reader, [])]
    except (UnicodeDecodeError, csv.Error) as exc:
        handle.close()
        raise ImportFailed(f"{path}: not a UTF-8 CSV file: {exc}") from exc

    def body() -> Iterator[Row]:
        with handle:
            try:
                # Rows are numbered as a spreadsheet shows them (header = 1): a cell of several
                # values spans several physical lines, which would make line numbers hard to find.
                for number, cells in enumerate(reader, start=2):
                    yield number, list(cells)
            except UnicodeDecodeError as exc:
                raise ImportFailed(f"{path}: line {reader.line_num + 1}: not UTF-8 ({exc.reason})") from exc
            except csv.Error as exc:
                raise ImportFailed(f"{path}: line {reader.line_num}: malformed CSV: {exc}") from exc

    return header, body(), None


def _json(path: Path) -> tuple[list[str], Iterator[Row], int | None]:
    # A JSON array has to be parsed whole; the rows are then handed out one at a time like the others.
    try:
        records = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFailed(f"{path}: not a JSON array of rows: {exc}") from exc
    if isinstance(records, dict):
        records = next((v for v in records.values() if isinstance(v, list)), [])
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ImportFailed(f"{path}: expected a JSON array of objects, one per recommendation")
    header = list(records[0]) if records else []

    def body() -> Iterator[Row]:
        for number, record in enumerate(records, start=1):
            yield number, [record.get(name) for name in header]

    return header, body(), len(records)
