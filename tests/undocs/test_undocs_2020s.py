"""Cycle 3 and 4 documents (2017–2027): report, addendum and thematic list of today's layouts."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from rightstrack.errors import ImportFailed
from rightstrack.importing import import_file
from rightstrack.ingest.review_hint import ReviewHint
from rightstrack.ingest.undocs import extract_text, parse_addendum
from rightstrack.ingest.undocs.importer import ThematicListImporter, UNDocumentImporter
from rightstrack.ingest.undocs.text import DocumentText, Page
from rightstrack.model.records import Response
from rightstrack.store import schema
from rightstrack.store.database import Database
from rightstrack.store.records import fetch_record
from tests.undocs.fixtures import docx_table
from tests.undocs.fixtures_2020s import (
    ADDENDUM,
    RECOMMENDATIONS,
    REPORT,
    THEMATIC_HEADER,
    cycle4_addendum_pdf,
    cycle4_report_pdf,
    cycle4_thematic_docx,
)

EXPECTED = {number: Response(position) for number, _, _, position in RECOMMENDATIONS}


def _review(folder: Path) -> tuple[Path, Path]:
    folder.mkdir(exist_ok=True)
    # OHCHR names files by job number; the symbols are inside.
    return cycle4_report_pdf(folder / "g2501234.pdf"), cycle4_addendum_pdf(folder / "g2509876.pdf")


def _ids_by_paragraph(db: Database) -> dict[str, int]:
    r = schema.recommendations
    with db.read() as conn:
        return {row.paragraph: row.id for row in conn.execute(select(r.c.id, r.c.paragraph))}


def test_report_addendum_and_thematic_list_of_cycle_4_import_completely(db: Database, tmp_path: Path) -> None:
    report, _ = _review(tmp_path / "review")
    summary = import_file(db, report)
    assert summary.created == 12
    assert any(
        "upr working group report A/HRC/59/15 (Norway, session 48, cycle 4, 2025)" in n for n in summary.notes
    )
    ids = _ids_by_paragraph(db)
    with db.read() as conn:
        records = {p: fetch_record(conn, i) for p, i in ids.items()}
    assert {p: Response(r["response"]) for p, r in records.items()} == EXPECTED
    assert records["140.1"]["recommending_states"] == ["MDV", "PRT"]
    assert records["140.11"]["recommending_states"] == ["MEX", "BRA"]
    assert records["140.6"]["response_source"] == f"{ADDENDUM}, page 2"
    assert records["140.10"]["response_source"] == f"{ADDENDUM}, page 3"
    for record in records.values():  # the page-end footnotes stay out of the recommendations
        assert "interactive dialogue" not in record["text"] and "across the country" not in record["text"]
    assert records["140.4"]["text"].endswith("in line with the Paris Principles (Iceland);")

    listed = import_file(db, cycle4_thematic_docx(tmp_path / "UPR48_Norway_Thematic_List.docx"))
    assert (listed.created, listed.updated + listed.unchanged) == (0, 12)
    with db.read() as conn:
        first = fetch_record(conn, ids["140.1"])
        women = fetch_record(conn, ids["140.6"])
    assert {family: [t["name"] for t in tags] for family, tags in first["tags"].items()} == {
        "affected_persons": ["Migrant workers", "Migrants"],
        "sdg": ["10 - REDUCED INEQUALITIES", "8 - DECENT WORK AND ECONOMIC GROWTH"],
        "uhri_theme": ["Acceptance of international norms", "Migrants"],
    }
    assert {t["source"] for tags in first["tags"].values() for t in tags} == {"OHCHR thematic list"}
    assert [t["name"] for t in women["tags"]["affected_persons"]] == ["Women & girls"]
    assert len(first["sources"]) == 2  # the report and the thematic list


def test_the_addendum_alone_is_read_with_the_report_beside_it(tmp_path: Path) -> None:
    _, addendum = _review(tmp_path)
    batch = UNDocumentImporter().read(addendum)
    assert batch.document.symbol == ADDENDUM
    assert {d.paragraph: d.response for d in batch.drafts} == EXPECTED


def test_pdf_footnotes_are_dropped_wherever_the_stream_puts_them(tmp_path: Path) -> None:
    # Page 2 writes its footnotes before its last two lines; the second footnote runs on to page 3.
    flat = extract_text(cycle4_report_pdf(tmp_path / "report.pdf")).flat
    assert "original recommendation" not in flat
    assert "well-resourced" not in flat and "across the country" not in flat
    assert "140.7 Amend the definition of rape" in flat and "(Sweden) (Belgium); 140.8" in flat


def _addendum(*pages: str) -> DocumentText:
    return DocumentText("add.pdf", [Page(i + 1, text) for i, text in enumerate(pages)])


def _positions(*pages: str) -> dict[str, str]:
    return {number: str(p.response) for number, p in parse_addendum(_addendum(*pages), ADDENDUM).items()}


def test_addendum_statements_clusters_and_counts() -> None:
    assert _positions(
        "1. Ruritania received 9 recommendations and supports 6 recommendations. "
        "Supported: 140.1, 140.3. Noted: 140.2. "
        "B. Institutions (140.4–140.7) Ruritania supports 140.4 and 140.5 and notes the remaining "
        "recommendations. Recommendations 140.8 and 140.9 are partially supported."
    ) == {
        "140.1": "supported",
        "140.3": "supported",
        "140.2": "noted",
        "140.4": "supported",
        "140.5": "supported",
        "140.6": "noted",
        "140.7": "noted",
        "140.8": "supported in part",
        "140.9": "supported in part",
    }


def test_addendum_one_answer_a_line() -> None:
    assert _positions(
        "Responses 140.1 Supported. Ruritania will act. Recommendation 140.2: Noted. It is not a "
        "priority; see recommendation 140.1. 140.3 – Partially supported. 140.4 Ratify the Convention "
        "(Chile); Supported 140.5 Ratify the Protocol (Peru); Noted 140.6 The Government supports this "
        "recommendation."
    ) == {
        "140.1": "supported",
        "140.2": "noted",
        "140.3": "supported in part",
        "140.4": "supported",
        "140.5": "noted",
        "140.6": "supported",
    }


def test_addendum_sections_answer_the_entries_under_them() -> None:
    assert _positions(
        "A. Supported recommendations 140.1 Ruritania has adopted a plan. 140.2 Work is under way. "
        "B. Noted recommendations 140.3 The Convention is under review. 140.4 The law is adequate."
    ) == {"140.1": "supported", "140.2": "supported", "140.3": "noted", "140.4": "noted"}


def test_ticked_table_in_a_docx_addendum(tmp_path: Path) -> None:
    path = docx_table(
        tmp_path / "addendum.docx",
        ["Recommendation", "Supported", "Noted", "Comments"],
        [
            ["140.1 Ratify the Convention (Chile)", "X", "", "Ratified in 2024."],
            ["140.2 Abolish the death penalty (Spain)", "", "✓", ""],
            ["140.3 Adopt a plan (Peru)", "x", "", "Under way"],
        ],
        title=f"United Nations {ADDENDUM} Report of the Working Group on the Universal Periodic Review "
        "Addendum",
    )
    assert {n: str(p.response) for n, p in parse_addendum(extract_text(path), ADDENDUM).items()} == {
        "140.1": "supported",
        "140.2": "noted",
        "140.3": "supported",
    }


def test_cycle4_thematic_list_columns() -> None:
    cells = [
        THEMATIC_HEADER,
        ["Theme: Women's rights"] * 4,
        [
            "140.7 Amend the definition of rape (Sweden) (Belgium);\n"
            "Source of Position: A/HRC/59/15/Add.1 - Para 2",
            "Noted",
            "- Violence against women\nGroups of Persons:\n- Women & girls",
            "- 5 - GENDER EQUALITY",
        ],
    ]
    from rightstrack.ingest.undocs.thematic import read_table

    (row,) = read_table(cells, "list.docx")
    assert (row.paragraph, row.recommenders, row.response, row.topic) == (
        "140.7",
        ["Sweden", "Belgium"],
        Response.NOTED,
        "Women's rights",
    )
    assert row.response_source == "A/HRC/59/15/Add.1 - Para 2"
    assert row.tags == {
        "uhri_theme": ["Violence against women"],
        "affected_persons": ["Women & girls"],
        "sdg": ["5 - GENDER EQUALITY"],
    }


def _matrix(path: Path, title: str = "") -> Path:
    return docx_table(
        path,
        ["Recommendation", "Supported", "Noted", "Source of position"],
        [
            ["140.1 Ratify the Convention on migrant workers (Maldives) (Portugal)", "", "X", f"{ADDENDUM}"],
            ["140.3 Establish a national mechanism (Paraguay)", "X", "", f"{ADDENDUM}"],
        ],
        title=title,
    )


def test_a_matrix_names_its_state_in_its_title(tmp_path: Path) -> None:
    path = _matrix(tmp_path / "2025_MatriceRecommendations.docx", "Matrix of recommendations – UPR of Norway")
    batch = ThematicListImporter().read(path)
    assert {d.state_under_review for d in batch.drafts} == {"Norway"}
    assert [(d.paragraph, d.response) for d in batch.drafts] == [
        ("140.1", Response.NOTED),
        ("140.3", Response.SUPPORTED),
    ]


def test_a_matrix_that_names_no_state_takes_it_from_the_report_it_cites(db: Database, tmp_path: Path) -> None:
    path = _matrix(tmp_path / "MatriceRecommendations.docx")
    with pytest.raises(ImportFailed) as refused:
        import_file(db, path)
    assert "MatriceRecommendations.docx" in str(refused.value) and "--state" in str(refused.value)
    assert f"it cites {REPORT}" in str(refused.value)

    report, _ = _review(tmp_path / "review")
    import_file(db, report)
    summary = import_file(db, path)
    assert (summary.created, summary.updated + summary.unchanged) == (0, 2)
    assert any("state under review NOR: the review of A/HRC/59/15" in note for note in summary.notes)


def test_state_option_settles_a_matrix_that_names_none(db: Database, tmp_path: Path) -> None:
    path = _matrix(tmp_path / "MatriceRecommendations.docx")
    summary = import_file(db, path, review=ReviewHint.from_options(None, "Norway"))
    assert summary.created == 2
    with db.read() as conn:
        states = set(conn.scalars(select(schema.reviews.c.state)))
        count = conn.execute(select(func.count()).select_from(schema.recommendations)).scalar_one()
    assert (states, count) == ({"NOR"}, 2)
