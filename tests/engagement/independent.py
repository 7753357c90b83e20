"""Treaty counts read straight from the shared status files (csv and xlrd, not rightstrack's
importers), so a test can check what rightstrack shows against the files themselves."""

from __future__ import annotations

import csv
from pathlib import Path

from rightstrack.engagement.instruments import find_instrument
from rightstrack.model.states import all_states

TREATIES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "treaties"
FIVE = ["USA", "CHN", "RUS", "SAU", "IRN"]


def independent_five() -> dict[str, int]:
    """How many of the 18 instruments each of the five is party to, read straight from the files
    (the status tables; ICESCR from the newer OHCHR export, where a ratification date means party)."""
    import xlrd

    alpha2 = {s.alpha3: s.alpha2 for s in all_states()}
    counts = dict.fromkeys(FIVE, 0)
    for path in TREATIES.glob("hr_status_*.csv"):
        code = find_instrument(path.stem.removeprefix("hr_status_"))
        if code is None or code.code == "ICESCR":
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            party = {
                r["iso2"]
                for r in csv.DictReader(handle)
                if r["status"] == "state party" and "denounced" not in (r.get("note") or "").lower()
            }
        for a3 in FIVE:
            counts[a3] += alpha2[a3] in party
    sheet = xlrd.open_workbook(str(TREATIES / "ohchr-export-icescr.xls")).sheet_by_index(0)
    names = {"USA": "United States of America", "CHN": "China", "RUS": "Russian Federation"}
    names |= {"SAU": "Saudi Arabia", "IRN": "Iran (Islamic Republic of)"}
    dated = {
        sheet.cell_value(r, 0) for r in range(2, sheet.nrows) if sheet.cell(r, 2).ctype == xlrd.XL_CELL_DATE
    }
    for a3, name in names.items():
        counts[a3] += name in dated
    return counts
