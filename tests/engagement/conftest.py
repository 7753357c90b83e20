"""Fixtures written as code: small treaty-status tables, a fake OHCHR sheet, a database with both."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import xlrd

import rightstrack.engagement.schema  # noqa: F401  (registers the tables until schema.py imports them)
from rightstrack.engagement.ohchr_export import parse_sheet
from rightstrack.engagement.treaty_model import TreatyBatch

HEADER = (
    "iso2",
    "member",
    "state party",
    "year ratification or accession",
    "signatory",
    "no action",
    "status",
    "note",
)
# iso2, member, party flag, year, signatory flag, no-action flag, status, note
CsvRow = tuple[str, str, str, str, str, str, str, str]
ICCPR_ROWS: tuple[CsvRow, ...] = (
    ("US", "United States", "1", "1992", "0", "0", "state party", ""),
    ("CN", "China", "0", "", "1", "0", "signatory state", ""),
    ("SA", "Saudi Arabia", "0", "", "0", "1", "no action", ""),
    ("RU", "Russia", "1", "1973", "0", "0", "state party", "as Russian Federation"),
    ("IR", "Iran", "1", "1975", "0", "0", "state party", ""),
    ("JM", "Jamaica", "1", "1975", "0", "1", "state party", "Denounced the OP 1997"),
    ("TP", "East Timor", "1", "2003", "0", "0", "state party", ""),
)


def hr_csv(path: Path, rows: Sequence[CsvRow], header: Sequence[str] = HEADER) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


@dataclass
class FakeSheet:
    """Enough of an xlrd sheet for the OHCHR parser: rows of (ctype, value) cells."""

    rows: list[list[tuple[int, Any]]]

    @property
    def nrows(self) -> int:
        return len(self.rows)

    @property
    def ncols(self) -> int:
        return max(len(r) for r in self.rows)

    def cell(self, row: int, col: int) -> xlrd.sheet.Cell:
        ctype, value = self.rows[row][col] if col < len(self.rows[row]) else (xlrd.XL_CELL_EMPTY, "")
        return xlrd.sheet.Cell(ctype, value)

    def cell_value(self, row: int, col: int) -> Any:
        return self.cell(row, col).value

    def row_values(self, row: int) -> list[Any]:
        return [value for _, value in self.rows[row]]


def _serial(iso: str) -> float:
    year, month, day = (int(p) for p in iso.split("-"))
    return float(xlrd.xldate.xldate_from_date_tuple((year, month, day), 0))


def ohchr_sheet(
    rows: Sequence[tuple[str, str | None, str | None, str | None, str | None]],
    title: str = "International Covenant on Civil and Political Rights [Last Updated: 10/10/2025 11:26:54]",
) -> FakeSheet:
    text, empty, date = xlrd.XL_CELL_TEXT, xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_DATE
    header = [
        "Country",
        "Date of Signature (dd/mm/yyyy)",
        "Date of Ratification/Accession",
        "Date of acceptance of individual communications procedure",
        "Date of acceptance of inquiry procedure",
    ]
    body: list[list[tuple[int, Any]]] = [[(text, title)] + [(empty, "")] * 4, [(text, h) for h in header]]
    for country, *dates in rows:
        body.append([(text, country)] + [(date, _serial(d)) if d else (empty, "") for d in dates])
    body.append([(empty, "")] * 5)
    body.append(
        [(text, "Source: Database of the United Nations Office of Legal Affairs")] + [(empty, "")] * 4
    )
    return FakeSheet(body)


ICCPR_OHCHR = (
    ("United States of America", "1977-10-05", "1992-06-08", None, None),
    ("Russian Federation", "1968-03-18", "1973-10-16", None, None),
    ("China", "1998-10-05", None, None, None),
    ("Cook Islands", None, None, None, None),
)


def ohchr_batch(sheet: FakeSheet, name: str = "ohchr-export-iccpr.xls") -> TreatyBatch:
    return parse_sheet(name, "f" * 64, sheet, 0)


@pytest.fixture
def iccpr_csv(tmp_path: Path) -> Path:
    return hr_csv(tmp_path / "hr_status_iccpr.csv", ICCPR_ROWS)
