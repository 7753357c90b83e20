"""Tables people keep themselves, read through a mapping; on every configured database engine."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from rightstrack.errors import ImportFailed, InvalidInput, NotFound
from rightstrack.importing import import_file
from rightstrack.ingest.base import ImportBatch
from rightstrack.ingest.table import TableImporter, write_template
from rightstrack.ingest.table_mapping import TEMPLATE_HEADINGS, TableMapping, guess_mapping
from rightstrack.model.records import DocumentInfo, DocumentKind, RecommendationDraft
from rightstrack.store import schema
from rightstrack.store.database import Database
from rightstrack.store.records import fetch_records, iter_all_ids
from rightstrack.store.table_mappings import delete_mapping, list_mappings, load_mapping, save_mapping
from rightstrack.store.writer import write_batch

HEADINGS = (
    "Réf.",
    "Pays examiné",
    "Recommandé par",
    "Texte de la recommandation",
    "Position",
    "Thème",
    "Année",
)
ROWS = (
    (
        "120.1",
        "Senegal",
        "France; Brazil",
        "Abolish the death penalty in law.",
        "Supported",
        "Death penalty",
        "2019",
    ),
    (
        "120.2",
        "Senegal",
        "Korea, Republic of\nGermany",
        "Ratify OP-CAT.",
        "noted",
        "Torture, Detention",
        "2019-05-14",
    ),
    ("120.3", "Senegal", "", "Protect human rights defenders.", "", "", "14/05/2019"),
)
MAP = [
    "paragraph=Réf.",
    "state=Pays examiné",
    "recommending_states=Recommandé par",
    "text=Texte de la recommandation",
    "response=Position",
    "tag:upr_issue=Thème",
    "date=Année",
]


def write_csv(path: Path, rows: tuple[tuple[str, ...], ...], encoding: str = "utf-8", sep: str = ",") -> Path:
    def quoted(cell: str) -> str:
        return '"' + cell.replace('"', '""') + '"'

    lines = [sep.join(quoted(c) for c in row) for row in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def mapping(**extra: str) -> TableMapping:
    return TableMapping.from_pairs(MAP, **extra)


def _records(db: Database) -> dict[str, Any]:
    with db.read() as conn:
        return {str(r["text"]): r for r in fetch_records(conn, list(iter_all_ids(conn)))}


def _count(db: Database) -> int:
    with db.read() as conn:
        return int(conn.scalar(select(func.count()).select_from(schema.recommendations)) or 0)


@pytest.mark.parametrize(("encoding", "sep"), [("utf-8", ","), ("cp1252", ";"), ("utf-8", "\t")])
def test_csv_imports_every_field(db: Database, tmp_path: Path, encoding: str, sep: str) -> None:
    path = write_csv(tmp_path / "matrice.csv", (HEADINGS, *ROWS), encoding, sep)
    summary = import_file(db, path, TableImporter(mapping()))
    assert (summary.rows_read, summary.created) == (3, 3)
    records = _records(db)
    first = records["Abolish the death penalty in law."]
    assert first["state_under_review"] == "SEN" and first["mechanism"] == "UPR"
    assert first["recommending_states"] == ["FRA", "BRA"]
    assert first["response"] == "supported" and first["paragraph"] == "120.1" and first["year"] == 2019
    assert [t["name"] for t in first["tags"]["upr_issue"]] == ["Death penalty"]
    second = records["Ratify OP-CAT."]
    assert second["recommending_states"] == ["KOR", "DEU"]
    assert {t["name"] for t in second["tags"]["upr_issue"]} == {"Torture", "Detention"}
    assert records["Protect human rights defenders."]["response"] is None


def test_xlsx_with_blank_rows_sheet_dates_and_mechanism(db: Database, tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "Notes"  # type: ignore[union-attr]
    sheet = book.create_sheet("Matrix")
    sheet.append([])  # the header is the first row with anything in it
    sheet.append(["Body", "Symbol", "No", "Recommendation", "Adopted", "Session", "SDG"])
    sheet.append(
        [
            "CEDAW",
            "CEDAW/C/SEN/CO/8",
            12,
            "Adopt a law on violence against women.",
            datetime(2022, 3, 1),
            None,
            "5.2",
        ]
    )
    sheet.append(["UPR", "A/HRC/41/4", 120.5, "Ensure free birth registration.", None, 31, "16.9; 5"])
    path = tmp_path / "matrix.xlsx"
    book.save(path)
    columns = {"mechanism": "Body", "symbol": "Symbol", "paragraph": "No", "text": "Recommendation"}
    columns |= {"date": "Adopted", "session": "Session", "tag:sdg": "SDG"}
    summary = import_file(db, path, TableImporter(TableMapping(columns, state="Senegal", sheet="Matrix")))
    assert summary.created == 2
    records = _records(db)
    cedaw = records["Adopt a law on violence against women."]
    assert (cedaw["mechanism"], cedaw["year"], cedaw["paragraph"]) == ("CEDAW", 2022, "12")
    assert "line 3 (CEDAW/C/SEN/CO/8 para 12)" in cedaw["sources"][0]["locator"]
    upr = records["Ensure free birth registration."]
    assert (upr["session"], upr["cycle"], upr["year"], upr["paragraph"]) == (31, 3, 2018, "120.5")
    assert {t["name"] for t in upr["tags"]["sdg"]} == {"16.9", "5"}


def test_every_bad_cell_is_named_by_line_and_heading_and_nothing_is_stored(
    db: Database, tmp_path: Path
) -> None:
    bad = (
        *ROWS,
        ("120.4", "Senegal", "France", "", "maybe", "", "last year"),
        ("120.5", "Senegal", "Narnia", "Text.", "noted", "", "2019"),
    )
    path = write_csv(tmp_path / "bad.csv", (HEADINGS, *bad))
    with pytest.raises(ImportFailed) as caught:
        import_file(db, path, TableImporter(mapping()))
    found = {(p.line, p.field) for p in caught.value.problems}
    assert found == {(5, "Texte de la recommandation"), (5, "Position"), (5, "Année")}
    assert _count(db) == 0
    # The names are checked once the cells are right: line 6's recommender, by its heading too.
    fixed = write_csv(tmp_path / "names.csv", (HEADINGS, *ROWS, bad[4]))
    with pytest.raises(ImportFailed) as names:
        import_file(db, fixed, TableImporter(mapping()))
    assert [(p.line, p.field) for p in names.value.problems] == [(5, "Recommandé par")]
    assert _count(db) == 0


def test_mapping_naming_a_missing_column_lists_the_files_columns(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "m.csv", (HEADINGS, *ROWS))
    with pytest.raises(ImportFailed) as caught:
        TableImporter(TableMapping.from_pairs(["text=Recommendation", "state=Pays examiné"])).read(path)
    assert "Texte de la recommandation" in caught.value.message and "Pays examiné" in caught.value.message
    assert [(p.field, p.value) for p in caught.value.problems] == [("text", "Recommendation")]
    with pytest.raises(ImportFailed, match="say which column is which"):
        TableImporter().read(path)
    with pytest.raises(InvalidInput, match="unknown field"):
        TableMapping.from_pairs(["colour=Pays examiné"])
    with pytest.raises(ImportFailed, match="state under review"):
        TableImporter(TableMapping.from_pairs(["text=Position"])).read(path)


def test_reimport_is_a_no_op(db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "again.csv", (HEADINGS, *ROWS))
    import_file(db, path, TableImporter(mapping()))
    again = import_file(db, path, TableImporter(mapping()))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert _count(db) == 3


def test_template_round_trip(db: Database, tmp_path: Path) -> None:
    for suffix in (".csv", ".xlsx"):
        path = tmp_path / f"template{suffix}"
        write_template(path)
        if suffix == ".csv":
            headings = path.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
            row = dict.fromkeys(headings, "")
            row |= {"Recommendation": "Ratify the CRPD.", "State under review": "Chad"}
            row |= {"Recommending states": "Canada", "Session": "31", "Response": "accepted"}
            write_csv(path, (tuple(headings), tuple(row[h] for h in headings)))
        else:
            book = load_workbook(path)
            sheet = book.active
            assert sheet is not None
            assert tuple(c.value for c in sheet[1]) == TEMPLATE_HEADINGS
            sheet.append(["Ratify ICPPED.", "Chad", "Mexico", "", "", "", 2018])
            book.save(path)
        summary = import_file(db, path, TableImporter())
        assert summary.created == 1
    records = _records(db)
    assert records["Ratify the CRPD."]["response"] == "supported"
    assert records["Ratify ICPPED."]["year"] == 2018


def test_saved_mapping_round_trip(db: Database) -> None:
    first = save_mapping(db, "NHRI matrix", mapping(state="Senegal"), actor="alice")
    assert load_mapping(db, "NHRI matrix").mapping == first.mapping
    changed = TableMapping.from_pairs(["text=Texte"])
    save_mapping(db, "NHRI matrix", changed, actor="bob")
    loaded = load_mapping(db, "NHRI matrix")
    assert loaded.mapping == changed and loaded.created_by == "alice"
    save_mapping(db, "Another", changed)
    assert [m.name for m in list_mappings(db)] == ["Another", "NHRI matrix"]
    delete_mapping(db, "Another")
    with pytest.raises(NotFound, match="NHRI matrix"):
        load_mapping(db, "Another")
    with pytest.raises(InvalidInput):
        save_mapping(db, " ", changed)


def test_guess_from_headings() -> None:
    guessed = guess_mapping(
        ["No.", "Country", "Recommending State", "Recommendation text", "Réponse", "UPR Info issue"]
    )
    assert guessed.columns == {
        "text": "Recommendation text",
        "state": "Country",
        "recommending_states": "Recommending State",
        "paragraph": "No.",
        "response": "Réponse",
        "tag:upr_issue": "UPR Info issue",
    }


def test_mapping_json_round_trip() -> None:
    original = mapping(state="Chad", sheet="Sheet 2")
    assert TableMapping.from_json(original.to_json()) == original
    for bad in ("[]", "{", '{"columns": {"text": 3}}'):
        with pytest.raises(InvalidInput):
            TableMapping.from_json(bad)


def test_real_parsed_reports_table(sqlite_db: Database) -> None:
    """Someone else's spreadsheet of 2008's UPR recommendations (cp1252, CR line endings, its own
    headings): every row stored through a mapping; its "consider" decisions are refused by row."""
    from tests.conftest import SHARED_DATA, needs_shared_data

    needs_shared_data()
    path = SHARED_DATA / "upr-reports" / "parsed" / "2008data.csv"
    columns = {"text": "text", "state": "to", "recommending_states": "From", "date": "year"}
    summary = import_file(sqlite_db, path, TableImporter(TableMapping(columns)))
    assert summary.rows_read > 1000 and summary.created == summary.rows_read
    with pytest.raises(ImportFailed) as caught:
        TableImporter(TableMapping(columns | {"response": "decision"})).read(path)
    assert {p.field for p in caught.value.problems} == {"decision"}
    assert {p.value for p in caught.value.problems} == {"consider", "unknown"}


def test_a_row_citing_a_stored_document_enriches_its_record(db: Database, tmp_path: Path) -> None:
    observation = RecommendationDraft(
        "France",
        "CCPR",
        "The Committee recommends a law against discrimination.",
        "CCPR/C/FRA/CO/5 para 12",
        year=2015,
        paragraph="12",
    )
    document = DocumentInfo("/docs/co.pdf", "c" * 64, DocumentKind.CONCLUDING_OBSERVATIONS, "CCPR/C/FRA/CO/5")
    write_batch(db, ImportBatch(document, [observation]), "undocs")
    headings = ("Texte", "Pays", "Organe", "Cote", "Par.", "Suivi")
    row = (
        "Adopt a law against discrimination (abridged).",
        "France",
        "CCPR",
        "CCPR/C/FRA/CO/5",
        "12",
        "Supported",
    )
    path = write_csv(tmp_path / "suivi.csv", (headings, row))
    pairs = [
        "text=Texte",
        "state=Pays",
        "mechanism=Organe",
        "symbol=Cote",
        "paragraph=Par.",
        "response=Suivi",
    ]
    summary = import_file(db, path, TableImporter(TableMapping.from_pairs(pairs)))
    assert (summary.created, summary.updated) == (0, 1)
    (record,) = _records(db).values()  # the document's own wording stays; the table adds its answer
    assert record["text"] == observation.text and record["response"] == "supported"
    assert {s["symbol"] for s in record["sources"]} == {"CCPR/C/FRA/CO/5", None}
