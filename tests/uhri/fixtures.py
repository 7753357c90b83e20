"""UHRI exports written by code, in OHCHR's format with its quirks: "Reccomending Body" (sic),
"- " before every value, Excel date serial numbers, extra columns, columns in a shuffled order.

Hand-written rows (no rows copied from a real export)."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

from openpyxl import Workbook

Cell = str | int | float | None
UhriRow = dict[str, Cell]

COLUMNS = (
    "Annotation Type",
    "Text",
    "Countries Concerned",
    "Reccomending Body",
    "Document Symbol",
    "Document Publication Date",
    "Themes",
    "Affected Persons",
    "Sdgs",
    "OHCHR Annotation Id",
    "UPR Session",
    "UPR Reccomending States",
    "UPR Position",
    "Regions",
)

UPR_ROW: UhriRow = {
    "Annotation Type": "- Recommendation",
    "Text": "118.1 Ratify the Optional Protocol to the Convention against Torture",
    "Countries Concerned": "- Slovenia",
    "Reccomending Body": "- UPR",
    "Document Symbol": "- A/HRC/43/15",
    "Document Publication Date": 43839,  # 2020-01-09
    "Themes": "- Torture and other cruel, inhuman and/or degrading treatment\n"
    "- Acceptance of international norms",
    "Affected Persons": "- General",
    "Sdgs": "- 16 - Peace, justice and strong institutions",
    "OHCHR Annotation Id": "a7f3e0c2-0001",
    "UPR Session": "- 34th session",
    "UPR Reccomending States": "- Germany\n- Mexico",
    "UPR Position": "- Supported",
    "Regions": "- Eastern European States",
}
TREATY_ROW: UhriRow = {
    "Annotation Type": "- Recommendation",
    "Text": "12. The Committee recommends that the State party adopt a comprehensive law against "
    "discrimination.",
    "Countries Concerned": "- France",
    "Reccomending Body": "- CCPR",
    "Document Symbol": "- CCPR/C/FRA/CO/5",
    "Document Publication Date": 42208,  # 2015-07-22
    "Themes": "- Equality & non-discrimination",
    "Affected Persons": "- Persons with disabilities\n- Women & girls",
    "Sdgs": "",
    "OHCHR Annotation Id": "a7f3e0c2-0002",
    "UPR Session": "",
    "UPR Reccomending States": "",
    "UPR Position": "",
    "Regions": "- Western European and other States",
}
SPECIAL_ROW: UhriRow = {
    "Annotation Type": "- Recommendation",
    "Text": "(a) Ensure that human rights defenders can carry out their work without fear of reprisals",
    "Countries Concerned": "- Kenya",
    "Reccomending Body": "- SR on the situation of human rights defenders",
    "Document Symbol": "- A/HRC/46/35/Add.1",
    "Document Publication Date": 44211,  # 2021-01-15
    "Themes": "- Human rights defenders\n- Freedom of opinion and expression\n- Civil society",
    "Affected Persons": "- Human rights defenders",
    "Sdgs": "- 16 - Peace, justice and strong institutions\n- 5 - Gender equality",
    "OHCHR Annotation Id": "a7f3e0c2-0003",
    "Regions": "- African States",
}
CHILD_ROW: UhriRow = {
    "Text": "24. The Committee recommends that the State party criminalize the recruitment of children "
    "under 18 years into armed groups.",
    "Countries Concerned": "- Brazil",
    "Reccomending Body": "- CRC-OP-AC",
    "Document Symbol": "- CRC/C/OPAC/BRA/CO/1",
    "Document Publication Date": 41990,  # 2014-12-16
    "Themes": "- Children: protection against exploitation",
    "Affected Persons": "- Children",
    "Sdgs": "- 16 - Peace, justice and strong institutions",
    "OHCHR Annotation Id": "a7f3e0c2-0004",
}
NOTED_ROW: UhriRow = {
    "Text": "Consider abolishing the death penalty",
    "Countries Concerned": "- Brazil",
    "Reccomending Body": "- UPR",
    "Document Symbol": "- A/HRC/36/11",
    "Document Publication Date": "2017-07-18",
    "Themes": "- Death penalty",
    "Affected Persons": "",
    "Sdgs": "",
    "OHCHR Annotation Id": "a7f3e0c2-0005",
    "UPR Session": "- Session 27",
    "UPR Reccomending States": "- France",
    "UPR Position": "- Supported/Noted",
}
ROWS: tuple[UhriRow, ...] = (UPR_ROW, TREATY_ROW, SPECIAL_ROW, CHILD_ROW, NOTED_ROW)


def columns(shuffle: int | None = None) -> list[str]:
    names = list(COLUMNS)
    if shuffle is not None:
        random.Random(shuffle).shuffle(names)
    return names


def write_xlsx(
    path: Path, rows: tuple[UhriRow, ...] | list[UhriRow] = ROWS, header: list[str] | None = None
) -> Path:
    header = header or columns(shuffle=7)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Export"
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(name) for name in header])
    book.save(path)
    return path


def write_csv(
    path: Path, rows: tuple[UhriRow, ...] | list[UhriRow] = ROWS, header: list[str] | None = None
) -> Path:
    header = header or columns(shuffle=11)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if row.get(name) is None else row.get(name) for name in header])
    return path


def write_json(path: Path, rows: tuple[UhriRow, ...] | list[UhriRow] = ROWS) -> Path:
    header = columns(shuffle=3)
    path.write_text(json.dumps([{name: row.get(name) for name in header} for row in rows]), encoding="utf-8")
    return path
