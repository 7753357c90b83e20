"""The shared treaty files: every state's status for all 18 instruments, counts checked independently."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from rightstrack.engagement import compare
from rightstrack.engagement.instruments import CODES, find_instrument
from rightstrack.engagement.treaty_store import import_treaty_file
from rightstrack.model.states import all_states
from rightstrack.store.database import Database
from tests.engagement.independent import FIVE, TREATIES, independent_five


@pytest.fixture
def real(sqlite_db: Database) -> Database:
    if not TREATIES.is_dir():
        pytest.skip(f"real data folder {TREATIES} is not present (it sits beside the project in CI)")
    for path in [*sorted(TREATIES.glob("hr_status_*.csv")), TREATIES / "ohchr-export-icescr.xls"]:
        import_treaty_file(sqlite_db, path)
    return sqlite_db


def _independent_party_counts() -> dict[str, int]:
    """Straight from the files: rows whose status column says party and whose note records no
    denunciation; ICESCR from the later OHCHR export is checked separately."""
    counts = {}
    for path in TREATIES.glob("hr_status_*.csv"):
        code = find_instrument(path.stem.removeprefix("hr_status_"))
        assert code is not None
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        counts[code.code] = sum(
            r["status"] == "state party"
            and "denounced" not in (r.get("note") or "").lower()
            and r["iso2"] != "MS"  # Montserrat, a territory, stands in the CRC-OP-IC table
            for r in rows
        )
    return counts


def test_every_un_member_has_a_status_for_every_instrument(real: Database) -> None:
    members = [s.alpha3 for s in all_states() if s.un_member]
    with real.read() as conn:
        matrix = compare.status_matrix(conn)
    missing = [(a3, code) for a3 in members for code in CODES if code not in matrix.get(a3, {})]
    # The CRC-OP-IC table lists Montserrat where Gabon should be; that gap is the data's, shown as unknown.
    assert missing == [("GAB", "CRC-OP-IC")]


def test_stored_counts_equal_counts_from_the_files(real: Database) -> None:
    with real.read() as conn:
        stored = {c["instrument"]: c["party"] for c in compare.instrument_counts(conn)}
    expected = _independent_party_counts()
    for code in CODES:
        if code != "ICESCR":
            assert stored[code] == expected[code], code
    # ICESCR: the OHCHR export (2025, full dates) is newer than the table and wins.
    import xlrd

    sheet = xlrd.open_workbook(str(TREATIES / "ohchr-export-icescr.xls")).sheet_by_index(0)
    ratified = [
        sheet.cell_value(r, 0) for r in range(2, sheet.nrows) if sheet.cell(r, 2).ctype == xlrd.XL_CELL_DATE
    ]
    assert stored["ICESCR"] == len(
        [n for n in ratified if n not in ("Cook Islands", "European Union", "Niue")]
    )


def test_five_state_comparison(real: Database, capsys: pytest.CaptureFixture[str]) -> None:
    with real.read() as conn:
        result = compare.compare_states(conn, FIVE)
    by_state = {s["alpha3"]: s for s in result["states"]}
    with capsys.disabled():
        for s in result["states"]:
            print(f"\n{s['alpha3']}: party to {s['party_count']}/18; lacks {', '.join(s['lacks'])}")
    assert by_state["USA"]["party_count"] == 5
    assert "CRC" in by_state["USA"]["lacks"] and "ICESCR" in by_state["USA"]["signed_only"]
    assert all(not s["unknown"] for s in result["states"])
    assert Counter(len(s["parties"]) + len(s["lacks"]) for s in result["states"]) == Counter({18: 5})


def test_the_comparison_page_shows_the_five_from_the_data(real: Database) -> None:
    import re

    from fastapi.testclient import TestClient

    from rightstrack.settings import load_settings
    from rightstrack.web.app import create_app

    client = TestClient(create_app(real, load_settings({"public_read": "true"}, environ={})))
    page = client.get("/compare", params={"states": ",".join(FIVE)})
    assert page.status_code == 200
    shown = {
        a3: int(n) for a3, n in re.findall(r'data-state="([A-Z]{3})"><strong>(\d+)</strong> / 18', page.text)
    }
    assert shown == independent_five()
    with real.read() as conn:
        lacks = {s["alpha3"]: s["lacks"] for s in compare.compare_states(conn, FIVE)["states"]}
    listing = page.text[page.text.index('<dl class="lacks">') :]
    for a3 in FIVE:
        assert 18 - shown[a3] == len(lacks[a3])  # every instrument is either had or lacked
        assert ", ".join(lacks[a3]) in listing, a3
