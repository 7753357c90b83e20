"""A spreadsheet as rows: CSV in any common encoding and delimiter, or one sheet of an XLSX book.

The header row is the first row with anything in it (people put titles and blank lines above
their tables); every later row keeps its number as the user sees it in their spreadsheet program, so
problems point at the right row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from rightstrack.errors import ImportFailed, Problem
from rightstrack.ingest.encoding import decode_text
from rightstrack.ingest.table_cells import CellValue, cell_text

XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
_DELIMITERS = ";,\t"


@dataclass(frozen=True)
class Row:
    line: int
    cells: tuple[CellValue, ...]


@dataclass
class Table:
    """A file's headings (as written, whitespace squeezed) and its data rows."""

    filename: str
    headings: list[str]
    rows: list[Row]
    notes: list[Problem]

    def column(self, heading: str) -> int:
        return self.headings.index(heading)


def read_table(path: Path, sheet: str | None = None, encoding: str | None = None) -> Table:
    """Read a CSV or XLSX file; raise ImportFailed for a file that holds no table."""
    filename = str(path)
    if path.suffix.lower() in XLSX_SUFFIXES:
        lines = _xlsx_rows(path, filename, sheet)
        notes: list[Problem] = []
    else:
        if sheet:
            raise ImportFailed(f"{filename}: only XLSX workbooks have sheets; this file is a CSV")
        lines, notes = _csv_rows(path, filename, encoding)
    return _table(filename, lines, notes)


def _table(filename: str, lines: Iterator[Row], notes: list[Problem]) -> Table:
    header: Row | None = None
    rows: list[Row] = []
    for row in lines:
        if not any(cell_text(c) for c in row.cells):
            continue
        if header is None:
            header = row
        else:
            rows.append(row)
    if header is None:
        raise ImportFailed(f"{filename}: the file is empty (no header row)")
    headings = [cell_text(c) for c in header.cells]
    while headings and not headings[-1]:
        headings.pop()
    _refuse_repeated(filename, header.line, headings)
    return Table(filename, headings, rows, notes)


def _refuse_repeated(filename: str, line: int, headings: list[str]) -> None:
    seen: set[str] = set()
    repeated = [h for h in headings if h and (h in seen or seen.add(h))]  # type: ignore[func-returns-value]
    if repeated:
        problems = [Problem("column heading used twice", filename, line=line, field=h) for h in repeated]
        raise ImportFailed(
            f"{filename}: two columns have the same heading ({', '.join(repeated)}); rename one", problems
        )


def _csv_rows(path: Path, filename: str, encoding: str | None) -> tuple[Iterator[Row], list[Problem]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(f"{filename}: cannot read file: {exc.strerror}") from exc
    text, used = decode_text(raw, filename, encoding)
    delimiter = sniff_delimiter(text)
    notes = [Problem(f"decoded as {used}; columns separated by {_delimiter_name(delimiter)}", filename)]
    return _csv_lines(filename, text, delimiter), notes


def sniff_delimiter(text: str) -> str:
    """The delimiter of the first non-empty line: whichever of ; , tab it holds most of (outside
    quotes), comma when none (a table of one column)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    outside = "".join(part for index, part in enumerate(first.split('"')) if index % 2 == 0)
    counts = {d: outside.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _delimiter_name(delimiter: str) -> str:
    return {";": "semicolons", ",": "commas", "\t": "tabs"}[delimiter]


def _csv_lines(filename: str, text: str, delimiter: str) -> Iterator[Row]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        # Rows are numbered as a spreadsheet program shows them (a cell with line breaks is one
        # row), so that a problem's line is the row people look for in their own file.
        for number, cells in enumerate(reader, start=1):
            yield Row(number, tuple(cells))
    except csv.Error as exc:
        raise ImportFailed(
            f"{filename}: malformed CSV: {exc} (the file may be truncated inside a quoted field)",
            [Problem("malformed CSV", filename, line=reader.line_num)],
        ) from None


def _xlsx_rows(path: Path, filename: str, sheet: str | None) -> Iterator[Row]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, XML and value errors alike
        raise ImportFailed(f"{filename}: not a readable XLSX workbook ({type(exc).__name__})") from None
    try:
        names = list(book.sheetnames)
        if sheet is not None and sheet not in names:
            raise ImportFailed(f"{filename}: no sheet called {sheet!r}; the sheets are {', '.join(names)}")
        worksheet = book[sheet] if sheet else book.worksheets[0]
        rows = [
            Row(n, tuple(_xlsx_cell(c) for c in r))
            for n, r in enumerate(worksheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        book.close()
    return iter(rows)


def _xlsx_cell(value: object) -> CellValue:
    # Times, decimals and rich text become their text; the parsers read text, numbers and dates.
    if value is None or isinstance(value, str | int | float | datetime | date):
        return value
    return str(value)


def write_table(path: Path, headings: Sequence[str], rows: Sequence[Sequence[str]] = ()) -> None:
    """Write a CSV (UTF-8 with a byte-order mark, so Excel reads accents) or an XLSX sheet."""
    if path.suffix.lower() in XLSX_SUFFIXES:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "Recommendations"
        for row in (headings, *rows):
            sheet.append(list(row))
        book.save(path)
        return
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headings)
        writer.writerows(rows)
