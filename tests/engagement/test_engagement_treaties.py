"""Treaty-status importers, storage, idempotency, precedence and comparisons, on fixtures as code."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from rightstrack.engagement import compare
from rightstrack.engagement import schema as es
from rightstrack.engagement.treaty_import import detect_treaty_importer
from rightstrack.engagement.treaty_store import import_treaty_file, write_treaty_batch
from rightstrack.errors import ImportFailed, NotFound
from rightstrack.store.database import Database
from tests.engagement.conftest import ICCPR_OHCHR, ICCPR_ROWS, hr_csv, ohchr_batch, ohchr_sheet


def _status(db: Database, state: str, instrument: str = "ICCPR") -> dict[str, object]:
    with db.read() as conn:
        row = conn.execute(
            select(es.treaty_status).where(
                es.treaty_status.c.state == state, es.treaty_status.c.instrument == instrument
            )
        ).one()
    return dict(row._mapping)


def _counts(db: Database) -> tuple[int, int]:
    with db.read() as conn:
        facts = conn.scalar(select(func.count()).select_from(es.treaty_facts))
        statuses = conn.scalar(select(func.count()).select_from(es.treaty_status))
    return int(facts or 0), int(statuses or 0)


def test_csv_import_stores_status_years_and_sources(db: Database, iccpr_csv: Path) -> None:
    summary = import_treaty_file(db, iccpr_csv)
    assert summary.instruments == ("ICCPR",) and summary.as_of == "2003"
    usa = _status(db, "USA")
    assert (usa["status"], usa["consent_date"], usa["consent_precision"]) == ("party", "1992", "year")
    assert _status(db, "CHN")["status"] == "signatory"
    assert _status(db, "SAU")["status"] == "no_action"
    assert _status(db, "TLS")["status"] == "party"  # the withdrawn code "TP"
    jamaica = _status(db, "JAM")
    assert (jamaica["status"], jamaica["denunciation_date"]) == ("denounced", "1997")
    with db.read() as conn:
        info = compare.state_treaties(conn, "USA")
    source = next(i for i in info["instruments"] if i["instrument"] == "ICCPR")["sources"][0]
    assert (
        source["file"] == "hr_status_iccpr.csv"
        and source["locator"] == "line 2"
        and len(source["sha256"]) == 64
    )


def test_reimport_is_idempotent(db: Database, iccpr_csv: Path) -> None:
    import_treaty_file(db, iccpr_csv)
    before = _counts(db)
    again = import_treaty_file(db, iccpr_csv)
    assert (again.created, again.updated, again.statuses_changed) == (0, 0, 0)
    assert again.unchanged > 0 and _counts(db) == before


def test_newer_and_more_precise_source_wins_whatever_the_order(
    db: Database, sqlite_db: Database, tmp_path: Path
) -> None:
    csv_path = hr_csv(tmp_path / "hr_status_iccpr.csv", ICCPR_ROWS)
    # Once table then export, once export then table: the same answer.
    import_treaty_file(db, csv_path)
    write_treaty_batch(db, ohchr_batch(ohchr_sheet(ICCPR_OHCHR)))
    write_treaty_batch(sqlite_db, ohchr_batch(ohchr_sheet(ICCPR_OHCHR)))
    import_treaty_file(sqlite_db, csv_path)
    for database in (db, sqlite_db):
        usa = _status(database, "USA")
        assert (usa["consent_date"], usa["consent_precision"], usa["signature_date"]) == (
            "1992-06-08",
            "day",
            "1977-10-05",
        )
        assert _status(database, "TLS")["consent_date"] == "2003"  # only the table speaks of it
        assert _status(database, "CHN")["signature_date"] == "1998-10-05"


def test_older_precise_date_survives_a_newer_coarse_source(db: Database, tmp_path: Path) -> None:
    write_treaty_batch(
        db,
        ohchr_batch(
            ohchr_sheet(
                ICCPR_OHCHR,
                title="ICCPR [Last Updated: 01/01/2020 00:00:00]",
            )
        ),
    )
    newer = [*ICCPR_ROWS, ("DE", "Germany", "1", "2023", "0", "0", "state party", "")]
    import_treaty_file(db, hr_csv(tmp_path / "hr_status_iccpr.csv", newer))  # as of 2023, years only
    assert _status(db, "USA")["consent_date"] == "1992-06-08"


def test_a_newer_source_overrides_an_older_contradicting_one(db: Database, tmp_path: Path) -> None:
    write_treaty_batch(db, ohchr_batch(ohchr_sheet(ICCPR_OHCHR)))  # as of 2025, China signatory
    rows = [
        ("CN", "China", "1", "2025", "0", "0", "state party", ""),
        ("DE", "Germany", "1", "2025", "0", "0", "state party", ""),
    ]
    import_treaty_file(db, hr_csv(tmp_path / "hr_status_iccpr.csv", rows))
    # Same as_of year 2025 vs 2025-10-10: the export is still the newer statement.
    assert _status(db, "CHN")["status"] == "signatory"


@pytest.mark.parametrize(
    ("row", "field", "fragment"),
    [
        (("XX", "Atlantis", "1", "1990", "0", "0", "state party", ""), "member", "not a state"),
        (
            ("US", "United States", "0", "1992", "0", "1", "no action", ""),
            "year ratification or accession",
            "calls",
        ),
        (
            ("US", "United States", "1", "1950", "0", "0", "state party", ""),
            "year ratification or accession",
            "adopted",
        ),
        (
            ("US", "United States", "1", "19x2", "0", "0", "state party", ""),
            "year ratification or accession",
            "not a year",
        ),
        (("US", "United States", "1", "1992", "0", "0", "party maybe", ""), "status", "unknown status"),
        (("US", "China", "1", "1992", "0", "0", "state party", ""), "iso2", "names"),
    ],
)
def test_bad_rows_are_refused_with_file_line_and_field_and_nothing_stored(
    db: Database, iccpr_csv: Path, tmp_path: Path, row: tuple[str, ...], field: str, fragment: str
) -> None:
    import_treaty_file(db, iccpr_csv)
    before = _counts(db)
    path = tmp_path / "bad"
    path.mkdir()
    bad = hr_csv(path / "hr_status_iccpr.csv", [ICCPR_ROWS[1], row])  # type: ignore[list-item]
    with pytest.raises(ImportFailed) as caught:
        import_treaty_file(db, bad)
    problem = caught.value.problems[0]
    assert (problem.file, problem.line, problem.field) == (str(bad), 3, field)
    assert fragment in problem.message
    assert _counts(db) == before


def test_unknown_instrument_duplicate_state_and_malformed_files(db: Database, tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="core instruments"):
        import_treaty_file(db, hr_csv(tmp_path / "hr_status_magna_carta.csv", ICCPR_ROWS), "hr-status")
    with pytest.raises(ImportFailed) as caught:
        import_treaty_file(db, hr_csv(tmp_path / "hr_status_cat.csv", [ICCPR_ROWS[0], ICCPR_ROWS[0]]))
    assert "twice" in caught.value.problems[0].message
    with pytest.raises(ImportFailed, match="missing column"):
        import_treaty_file(
            db, hr_csv(tmp_path / "hr_status_crc.csv", [], header=("iso2", "year ratification or accession"))
        )
    junk = tmp_path / "export.xls"
    junk.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert detect_treaty_importer(junk).name == "ohchr-export"
    with pytest.raises(ImportFailed, match=r"not a readable \.xls"):
        import_treaty_file(db, junk)
    assert _counts(db) == (0, 0)


def test_ohchr_sheet_checks(db: Database) -> None:
    batch = ohchr_batch(ohchr_sheet(ICCPR_OHCHR))
    assert batch.as_of.iso == "2025-10-10" and batch.instruments == ("ICCPR",)
    assert any("Cook Islands" in n.message for n in batch.notes)
    with pytest.raises(ImportFailed) as caught:
        ohchr_batch(ohchr_sheet(ICCPR_OHCHR, title="Magna Carta [Last Updated: 10/10/2025 11:26:54]"))
    assert caught.value.problems[0].field == "title"
    with pytest.raises(ImportFailed) as caught:
        ohchr_batch(ohchr_sheet([("China", "2000-01-01", "1999-01-01", None, None)]))
    assert (caught.value.problems[0].line, "before signature" in caught.value.problems[0].message) == (
        3,
        True,
    )
    with pytest.raises(ImportFailed, match="Last Updated"):
        ohchr_batch(ohchr_sheet(ICCPR_OHCHR, title="International Covenant on Civil and Political Rights"))


def test_comparisons_rankings_regions_and_map(db: Database, iccpr_csv: Path, tmp_path: Path) -> None:
    import_treaty_file(db, iccpr_csv)
    cat_rows = [ICCPR_ROWS[0], ("RU", "Russia", "1", "1987", "0", "0", "state party", "")]
    import_treaty_file(db, hr_csv(tmp_path / "hr_status_cat.csv", cat_rows))
    with db.read() as conn:
        result = compare.compare_states(conn, ["USA", "CHN", "RUS", "SAU", "IRN"])
        ranking = compare.ranking(conn)
        regions = {r["regional_group"]: r for r in compare.regional_stats(conn)}
        world = compare.world_map(conn, "iccpr")
        counts = {c["instrument"]: c for c in compare.instrument_counts(conn)}
        with pytest.raises(NotFound):
            compare.state_treaties(conn, "Atlantis")
    by_state = {s["alpha3"]: s for s in result["states"]}
    assert by_state["USA"]["parties"] == ["ICCPR", "CAT"] and by_state["USA"]["party_count"] == 2
    assert by_state["CHN"]["signed_only"] == ["ICCPR"] and by_state["CHN"]["party_count"] == 0
    assert "CRC" in by_state["SAU"]["unknown"]
    assert result["party_to_all_compared"] == []
    assert [r["rank"] for r in ranking[:4]] == [1, 1, 3, 3]  # RUS, USA with 2; IRN, JAM… with 1
    assert {r["alpha3"] for r in ranking[:2]} == {"RUS", "USA"}
    assert regions["WEOG"]["max_parties"] == 2
    assert world["states"]["USA"] == "party" and world["states"]["DEU"] == "unknown"
    assert world["consent_year"]["USA"] == "1992" and len(world["states"]) == 195
    assert counts["ICCPR"]["party"] == 4 and counts["ICCPR"]["denounced"] == 1 and counts["CAT"]["party"] == 2
