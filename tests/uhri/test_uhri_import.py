"""Importing UHRI exports (XLSX, CSV, JSON) on SQLite and PostgreSQL: every field and tag, re-imports
that change nothing, records imported from UN documents enriched rather than doubled, bad rows
refused whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from rightstrack.errors import ImportFailed, UnknownState
from rightstrack.importing import import_file
from rightstrack.ingest.base import ImportBatch, detect_importer
from rightstrack.model.records import DocumentInfo, DocumentKind, RecommendationDraft
from rightstrack.store import schema
from rightstrack.store.database import Database
from rightstrack.store.records import RecordOut, fetch_records
from rightstrack.store.writer import write_batch
from tests.uhri.fixtures import (
    CHILD_ROW,
    NOTED_ROW,
    ROWS,
    SPECIAL_ROW,
    TREATY_ROW,
    UPR_ROW,
    columns,
    write_csv,
    write_json,
    write_xlsx,
)

WRITERS = {"xlsx": write_xlsx, "csv": write_csv, "json": write_json}


def _records(db: Database) -> dict[str, RecordOut]:
    """Every record by state and mechanism ("SVN:UPR")."""
    with db.read() as conn:
        ids = list(conn.scalars(select(schema.recommendations.c.id).order_by(schema.recommendations.c.id)))
        return {f"{r['state_under_review']}:{r['mechanism']}": r for r in fetch_records(conn, ids)}


def _count(db: Database, table: Any) -> int:
    with db.read() as conn:
        return int(conn.scalar(select(func.count()).select_from(table)) or 0)


def _tags(record: RecordOut, family: str) -> list[str]:
    return sorted(t["name"] for t in record["tags"].get(family, []))


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_every_field_and_tag(db: Database, tmp_path: Path, fmt: str) -> None:
    path = WRITERS[fmt](tmp_path / f"export.{fmt}")
    assert detect_importer(path).name == "uhri"
    summary = import_file(db, path)
    assert (summary.created, summary.updated, summary.rows_read) == (5, 0, 5)
    records = _records(db)
    upr = records["SVN:UPR"]
    assert (upr["state_under_review"], upr["mechanism"], upr["session"], upr["cycle"]) == (
        "SVN",
        "UPR",
        34,
        3,
    )
    assert (upr["paragraph"], upr["year"], upr["response"]) == ("118.1", 2019, "supported")
    assert upr["recommending_states"] == ["DEU", "MEX"]
    assert upr["sources"][0]["locator"].endswith("(A/HRC/43/15 para 118.1)")
    assert _tags(upr, "uhri_theme") == [
        "Acceptance of international norms",
        "Torture and other cruel, inhuman and/or degrading treatment",
    ]
    assert _tags(upr, "sdg") == ["16 - Peace, justice and strong institutions"]
    assert {t["source"] for ts in upr["tags"].values() for t in ts} == {"UHRI"}
    treaty = records["FRA:CCPR"]
    assert (treaty["state_under_review"], treaty["mechanism"], treaty["paragraph"]) == ("FRA", "CCPR", "12")
    assert (treaty["year"], treaty["session"], treaty["response"]) == (2015, None, None)
    assert _tags(treaty, "affected_persons") == ["Persons with disabilities", "Women & girls"]
    special = records["KEN:SR-SITUATION-HUMAN-RIGHTS-DEFENDERS"]
    assert special["mechanism"] == "SR-SITUATION-HUMAN-RIGHTS-DEFENDERS"
    assert (special["paragraph"], special["year"], special["state_under_review"]) == (None, 2021, "KEN")
    assert _tags(special, "sdg") == ["16 - Peace, justice and strong institutions", "5 - Gender equality"]
    child = records["BRA:CRC-OP-AC"]
    assert (child["mechanism"], child["paragraph"], child["year"]) == ("CRC-OP-AC", "24", 2014)
    noted = records["BRA:UPR"]
    assert (noted["session"], noted["cycle"], noted["year"]) == (27, 3, 2017)
    assert (noted["response"], noted["recommending_states"]) == ("supported in part", ["FRA"])
    with db.read() as conn:
        mandate = conn.execute(
            select(schema.mechanisms).where(schema.mechanisms.c.code == special["mechanism"])
        ).one()
        ids = {
            v: s for v, s in conn.execute(select(schema.external_ids.c.value, schema.external_ids.c.scheme))
        }
    assert (mandate.name, mandate.kind) == (
        "SR on the situation of human rights defenders",
        "special procedures",
    )
    assert ids == {f"a7f3e0c2-000{n}": "uhri" for n in range(1, 6)}


def test_reimport_is_a_no_op(db: Database, tmp_path: Path) -> None:
    import_file(db, write_xlsx(tmp_path / "first.xlsx"))
    again = import_file(db, write_xlsx(tmp_path / "first.xlsx"))
    assert (again.created, again.updated) == (0, 0)
    # Another export holding the same annotations, rows and columns in another order, as CSV.
    other = write_csv(tmp_path / "other.csv", list(reversed(ROWS)), columns(shuffle=99))
    moved = import_file(db, other)
    assert (moved.created, moved.updated, moved.unchanged) == (0, 0, 5)
    assert _count(db, schema.recommendations) == 5
    assert _count(db, schema.external_ids) == 5


def _document_batch(kind: DocumentKind, symbol: str, drafts: list[RecommendationDraft]) -> ImportBatch:
    return ImportBatch(
        DocumentInfo(f"/docs/{symbol.replace('/', '_')}.pdf", symbol * 2, kind, symbol), drafts
    )


def test_records_from_documents_are_enriched_not_doubled(db: Database, tmp_path: Path) -> None:
    report = RecommendationDraft(
        "Slovenia",
        "UPR",
        "Ratify OP-CAT",
        "A/HRC/43/15 para 118.1",
        cycle=3,
        session=34,
        year=2019,
        paragraph="118.1",
        recommenders=["Germany"],
    )
    write_batch(db, _document_batch(DocumentKind.UPR_REPORT, "A/HRC/43/15", [report]), "undocs")
    observations = RecommendationDraft(
        "France",
        "CCPR",
        "The Committee recommends a law against discrimination.",
        "CCPR/C/FRA/CO/5 para 12",
        year=2015,
        paragraph="12",
    )
    write_batch(
        db, _document_batch(DocumentKind.CONCLUDING_OBSERVATIONS, "CCPR/C/FRA/CO/5", [observations]), "undocs"
    )
    dataset = RecommendationDraft(
        "Brazil",
        "UPR",
        "Consider  abolishing the death penalty",
        "upr-info.csv line 2",
        cycle=3,
        session=27,
        year=2017,
        recommenders=["France"],
    )
    write_batch(db, _document_batch(DocumentKind.DATASET_EXPORT, "upr-info", [dataset]), "upr-info")
    summary = import_file(db, write_xlsx(tmp_path / "uhri.xlsx"))
    assert summary.created == 2  # the special procedure and the CRC-OP-AC rows are new
    assert _count(db, schema.recommendations) == 5
    records = _records(db)
    upr = records["SVN:UPR"]  # the report's wording stays; UHRI fills the response and tags
    assert (upr["response"], upr["response_source"], upr["paragraph"]) == ("supported", "UHRI", "118.1")
    assert upr["recommending_states"] == ["DEU"]
    assert "uhri_theme" in upr["tags"]
    assert len(upr["sources"]) == 2
    treaty = records["FRA:CCPR"]
    assert _tags(treaty, "affected_persons") == ["Persons with disabilities", "Women & girls"]
    assert {s["symbol"] for s in treaty["sources"]} == {"CCPR/C/FRA/CO/5", None}
    noted = records["BRA:UPR"]  # matched by its normalised text
    assert noted["response"] == "supported in part"
    again = import_file(db, write_xlsx(tmp_path / "uhri.xlsx"))
    assert (again.created, again.updated) == (0, 0)


def _refused(db: Database, path: Path) -> ImportFailed:
    with pytest.raises(ImportFailed) as caught:
        import_file(db, path, "uhri")
    assert _count(db, schema.recommendations) == 0
    assert _count(db, schema.external_ids) == 0
    return caught.value


def test_unknown_countries_are_reported_together_and_nothing_is_stored(db: Database, tmp_path: Path) -> None:
    rows = [
        UPR_ROW,
        {**TREATY_ROW, "Countries Concerned": "- Atlantis"},
        {**CHILD_ROW, "Countries Concerned": "- Utopia"},
    ]
    error = _refused(db, write_xlsx(tmp_path / "bad.xlsx", rows))
    assert isinstance(error, UnknownState)
    found = {(p.line, p.field, p.value) for p in error.problems}
    assert found == {(3, "Countries Concerned", "Atlantis"), (4, "Countries Concerned", "Utopia")}
    assert "bad.xlsx" in str(error)


def test_bad_date_names_row_and_column(db: Database, tmp_path: Path) -> None:
    rows = [UPR_ROW, SPECIAL_ROW, {**NOTED_ROW, "Document Publication Date": "18/07/2017"}]
    error = _refused(db, write_csv(tmp_path / "bad.csv", rows))
    (problem,) = error.problems
    assert (problem.line, problem.field) == (4, "Document Publication Date")
    assert problem.file is not None and problem.file.endswith("bad.csv")


def test_missing_column_is_refused(db: Database, tmp_path: Path) -> None:
    header = [c for c in columns() if c != "Reccomending Body"]
    error = _refused(db, write_xlsx(tmp_path / "bad.xlsx", header=header))
    assert [(p.line, p.field) for p in error.problems] == [(1, "Reccomending Body")]


def test_a_bad_row_in_a_later_chunk_rolls_back_the_earlier_ones(db: Database, tmp_path: Path) -> None:
    from rightstrack.ingest.uhri import UhriImporter
    from rightstrack.store.stream import write_stream

    rows = [
        {**UPR_ROW, "OHCHR Annotation Id": f"id-{n}", "Text": f"Ratify treaty number {n}"} for n in range(7)
    ]
    rows.append({**TREATY_ROW, "UPR Session": "", "Reccomending Body": "- Committee of Nobody"})
    path = write_csv(tmp_path / "late.csv", rows)
    with pytest.raises(ImportFailed) as caught:
        write_stream(db, UhriImporter().read_chunks(path, chunk_size=2), "uhri")
    assert [(p.line, p.field) for p in caught.value.problems] == [(9, "Reccomending Body")]
    assert _count(db, schema.recommendations) == 0


def test_a_row_about_two_countries_and_the_correct_spellings(db: Database, tmp_path: Path) -> None:
    row = {**TREATY_ROW, "Countries Concerned": "- France\n- Germany"}
    header = [{"Reccomending Body": "Recommending Body"}.get(c, c) for c in columns()]
    renamed = [{("Recommending Body" if k == "Reccomending Body" else k): v for k, v in row.items()}]
    summary = import_file(db, write_xlsx(tmp_path / "two.xlsx", renamed, header))
    assert summary.created == 2
    with db.read() as conn:
        ids = sorted(conn.scalars(select(schema.external_ids.c.value)))
    assert ids == ["a7f3e0c2-0002", "a7f3e0c2-0002/2"]
    assert set(_records(db)) == {"FRA:CCPR", "DEU:CCPR"}
