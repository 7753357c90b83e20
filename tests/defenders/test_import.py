"""Importing Global Witness and CPJ exports: complete, idempotent, versioned; patterns reproduce
counts computed independently from the file."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from rightstrack.defenders import cases, patterns
from rightstrack.defenders.crypto import Vault
from rightstrack.defenders.importers import import_dataset
from rightstrack.errors import ImportFailed
from rightstrack.model.states import resolve_state
from rightstrack.store.database import Database
from tests.conftest import SHARED_DATA, needs_shared_data
from tests.defenders.conftest import as_viewer

GW_FILE = SHARED_DATA / "defenders" / "global-witness-land-environmental-defenders-killed-2012-2023.csv"
CPJ_FILE = SHARED_DATA / "defenders" / "cpj-journalists-killed-1992-2022.csv"
GW_HEADER = [
    "id", "date", "name", "gender", "age", "person_characteristics", "industry_driver",
    "perpetrator_type", "continent", "country", "country_numeric", "local_region", "number_of_victims",
]  # fmt: skip


def _write_gw(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, GW_HEADER)
        writer.writeheader()
        for row in rows:
            writer.writerow({key: row.get(key, "") for key in GW_HEADER})
    return path


def _invented(n: int, sector: str = "Mining & Extractives") -> list[dict[str, str]]:
    # Invented people, not rows of the real file.
    return [
        {
            "id": f"recTEST{i:04d}",
            "date": f"2020-0{1 + i % 9}-15",
            "name": f"Test Person {i}",
            "gender": "Female" if i % 2 else "Male",
            "age": "40",
            "industry_driver": sector,
            "perpetrator_type": "Police, Landowners" if i % 3 == 0 else "Hitmen",
            "country": "Brazil" if i % 2 else "Honduras",
            "local_region": f"Village {i}",
            "number_of_victims": "1",
        }
        for i in range(n)
    ]


def test_import_is_idempotent_and_changed_facts_make_a_new_version(
    db: Database, vault: Vault, users: object, tmp_path: Path
) -> None:
    editor = as_viewer(db, "editor")
    path = _write_gw(tmp_path / "gw.csv", _invented(6))
    first = import_dataset(db, vault, editor, path)
    assert (first.created, first.unchanged, first.skipped) == (6, 0, [])
    again = import_dataset(db, vault, editor, path)
    assert (again.created, again.new_versions, again.unchanged) == (0, 0, 6)
    rows = _invented(6)
    rows[2]["industry_driver"] = "Logging"
    changed = import_dataset(db, vault, editor, _write_gw(path, rows))
    assert (changed.created, changed.new_versions, changed.unchanged) == (0, 1, 5)
    listed = cases.list_cases(db, vault, editor, q="Test Person 2")
    assert listed["total"] == 1
    case = cases.get_case(db, vault, editor, listed["items"][0]["id"])
    assert case["version"] == 2 and case["acts"][0]["sector"] == "logging"
    assert (
        cases.get_case(db, vault, editor, case["id"], version=1)["acts"][0]["sector"] == "mining_extractives"
    )
    anonymous = cases.get_case(db, vault, as_viewer(db, None), case["id"])
    assert "Test Person" not in str(anonymous) and anonymous["date"] == "2020-03"


def test_a_file_of_another_kind_is_refused(db: Database, vault: Vault, users: object, tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="not a Global Witness or CPJ export"):
        import_dataset(db, vault, as_viewer(db, "editor"), path)


@pytest.mark.slow
def test_both_real_datasets_import_completely_and_patterns_match_the_file(
    db: Database, vault: Vault, users: object
) -> None:
    needs_shared_data()
    editor = as_viewer(db, "editor")
    gw = import_dataset(db, vault, editor, GW_FILE)
    with GW_FILE.open(newline="", encoding="utf-8") as handle:
        gw_rows = list(csv.DictReader(handle))
    # Counts by country and year, computed here straight from the file (the csv module and the
    # state table, not the importer), first over the Global Witness file alone.
    expected = Counter(
        (resolve_state(r["country"]).alpha3, r["date"][:4])  # type: ignore[union-attr]
        for r in gw_rows
    )
    assert sum(expected.values()) == len(gw_rows) and len(expected) > 100
    alone = patterns.report(db, editor, "country,year", audience="staff")
    assert Counter({(r["country"], r["year"]): r["count"] for r in alone["rows"]}) == expected
    # The state table maps each country name of the file to its own code (no two merged), so these
    # are the file's own counts by country name.
    codes = {r["country"]: resolve_state(r["country"]).alpha3 for r in gw_rows}  # type: ignore[union-attr]
    assert len(set(codes.values())) == len(codes) and codes["Brazil"] == "BRA"
    cpj = import_dataset(db, vault, editor, CPJ_FILE)
    with CPJ_FILE.open(newline="", encoding="utf-8") as handle:
        cpj_rows = list(csv.DictReader(handle))
    assert gw.created == len(gw_rows) and gw.skipped == []
    # Two lines of the CPJ export are broken (only a number in the gender column); both are reported.
    broken = [r for r in cpj_rows if not r["fullName"].strip()]
    assert cpj.created == len(cpj_rows) - len(broken) and len(cpj.skipped) == len(broken) == 2
    assert import_dataset(db, vault, editor, GW_FILE).unchanged == len(gw_rows)

    staff = patterns.report(db, editor, "country,year", audience="staff")
    got = Counter({(r["country"], r["year"]): r["count"] for r in staff["rows"]})
    cpj_counts = Counter(
        ((resolve_state(r["country"]).alpha3 if resolve_state(r["country"]) else r["country"]), r["year"])  # type: ignore[union-attr]
        for r in cpj_rows
        if r["fullName"].strip()
    )
    assert got == expected + cpj_counts
    # Public figures: every imported case is public; an act counts when at least five share its
    # act type, country and year (the staff figures above are the exact ones).
    groups = patterns.report(db, editor, "act_type,country,year", audience="staff")["rows"]
    large: Counter[tuple[str, str]] = Counter()
    for group in groups:
        if group["count"] >= 5:
            large[(group["country"], group["year"])] += group["count"]
    public = patterns.report(db, as_viewer(db, None), "country,year", audience="public")
    assert Counter({(r["country"], r["year"]): r["count"] for r in public["rows"]}) == large
    assert public["total_acts"] == sum(large.values()) > 0.6 * sum(got.values())  # 63.8% on this data
    by_sector = patterns.report(db, editor, "sector", audience="staff")
    sectors = {r["sector"]: r["count"] for r in by_sector["rows"]}
    assert sectors["mining_extractives"] == sum(
        r["industry_driver"] == "Mining & Extractives" for r in gw_rows
    )
