"""UN documents through the store: one record per recommendation however many documents cite it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from rightstrack.errors import ImportFailed, InvalidInput
from rightstrack.importing import import_file
from rightstrack.ingest.review_hint import ReviewHint
from rightstrack.ingest.undocs.thematic import read_thematic_heading
from rightstrack.store import schema
from rightstrack.store.database import Database
from tests.undocs.fixtures import addendum_pdf, docx_table, report_pdf

THEMATIC_HEADER = ["Recommendation", "Position", "Full list of themes", "Assessment/comments"]


def _report_with_addendum(folder: Path) -> Path:
    addendum_pdf(folder / "g2.pdf")
    return report_pdf(folder / "g1.pdf")


def _thematic(path: Path, running_header: str = "UPR of France (2nd Cycle – 13th session)") -> Path:
    # The thematic list retypes the report (a lost space) and restates a response differently.
    return docx_table(
        path,
        THEMATIC_HEADER,
        [
            ["Theme: Acceptance of international norms"] * 4,
            [
                "90.1 Ratify the Optional Protocol to theConvention against Torture (Denmark, Brazil); "
                "consider ratifying the Maputo Protocol (Maputo Protocol) (Chad);\n"
                "Source of Position: A/HRC/99/7/Add.1 - Para 1",
                "Noted",
                "- Acceptance of international norms\n- Torture and other CID treatment",
                "",
            ],
        ],
        running_header=running_header,
    )


def _counts(db: Database) -> tuple[int, int]:
    with db.read() as conn:
        records = conn.execute(select(func.count()).select_from(schema.recommendations)).scalar_one()
        sources = conn.execute(select(func.count()).select_from(schema.recommendation_sources)).scalar_one()
    return records, sources


def _record(db: Database, paragraph: str) -> dict[str, object]:
    r = schema.recommendations
    with db.read() as conn:
        row = conn.execute(select(r).where(r.c.paragraph == paragraph)).one()
    return dict(row._mapping)


def test_report_and_thematic_list_make_one_record_with_both_sources(db: Database, tmp_path: Path) -> None:
    (tmp_path / "report").mkdir()
    report = _report_with_addendum(tmp_path / "report")
    thematic = _thematic(tmp_path / "Thematic_list_France.docx")

    import_file(db, report, "document")
    assert _counts(db) == (3, 3)
    summary = import_file(db, thematic, "thematic-list")
    assert (summary.created, summary.updated) == (0, 1)
    assert _counts(db) == (3, 4)

    merged = _record(db, "90.1")
    # The report's wording and the addendum's response outrank the thematic list's copies of them.
    assert "Optional Protocol to the Convention against Torture" in str(merged["text"])
    assert merged["response"] == "supported"
    assert merged["topic"] == "Acceptance of international norms"
    t, rt = schema.tags, schema.recommendation_tags
    with db.read() as conn:
        themes = set(
            conn.execute(
                select(t.c.name).join(rt, rt.c.tag_id == t.c.id).where(rt.c.recommendation_id == merged["id"])
            ).scalars()
        )
    assert {"Acceptance of international norms", "Torture and other CID treatment"} <= themes

    # Idempotent in either order, however often repeated.
    for path, name in ((report, "document"), (thematic, "thematic-list"), (report, "document")):
        again = import_file(db, path, name)
        assert (again.created, again.updated, again.unchanged) == (0, 0, again.rows_read)
    assert _counts(db) == (3, 4)


def test_thematic_list_heading_gives_its_review(tmp_path: Path) -> None:
    heading = read_thematic_heading(_thematic(tmp_path / "list.docx"))
    assert (heading.state, heading.cycle, heading.session) == ("France", 2, 13)
    by_name = read_thematic_heading(_thematic(tmp_path / "UPR34_France_list.docx", running_header=""))
    assert (by_name.state, by_name.session) == (None, 34)


def test_review_hint_fills_what_a_file_omits(db: Database, tmp_path: Path) -> None:
    (tmp_path / "report").mkdir()
    import_file(db, _report_with_addendum(tmp_path / "report"), "document")
    bare = _thematic(tmp_path / "list_France.docx", running_header="")
    import_file(db, bare, "thematic-list", review=ReviewHint.parse("FRA:13"))
    assert _counts(db) == (3, 4)


def test_review_hint_refuses_a_file_that_contradicts_it(db: Database, tmp_path: Path) -> None:
    thematic = _thematic(tmp_path / "list.docx")
    with pytest.raises(ImportFailed) as failed:
        import_file(db, thematic, "thematic-list", review=ReviewHint.parse("Germany:13"))
    assert "state France" in str(failed.value.problems[0]) and "DEU" in str(failed.value.problems[0])
    with pytest.raises(ImportFailed, match="session"):
        import_file(db, thematic, "thematic-list", review=ReviewHint.parse("FRA:20"))
    assert _counts(db) == (0, 0)


@pytest.mark.parametrize("text", ["Atlantis", "FRA:99", "FRA:x", ""])
def test_review_hint_must_name_a_state_and_a_session(text: str) -> None:
    with pytest.raises(InvalidInput, match="--review"):
        ReviewHint.parse(text)


def test_import_document_on_the_command_line(tmp_path: Path) -> None:
    """`import document` recognises each file, says what it took it for, and a dry run stores nothing."""
    from typer.testing import CliRunner

    from rightstrack.cli import app
    from rightstrack.settings import load_settings

    runner, data = CliRunner(), tmp_path / "data"

    def invoke(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, ["--data-dir", str(data), *args])
        return result.exit_code, " ".join(result.output.split())

    assert invoke("init")[0] == 0
    (tmp_path / "review").mkdir()
    report = _report_with_addendum(tmp_path / "review")
    thematic = _thematic(tmp_path / "UPR13_France_Thematic_list.docx")
    code, out = invoke("import", "document", "--dry-run", str(report), str(thematic))
    assert code == 0, out
    assert "recognised: upr working group report A/HRC/99/7 (France, session 13, cycle 2, 2012)" in out
    assert "responses read from g2.pdf" in out and "recognised: thematic list (France, session 13" in out
    db = Database(load_settings({"data_dir": str(data)}, environ={}).resolved_database_url)
    assert _counts(db) == (0, 0)  # the dry run stored nothing
    code, out = invoke("import", "document", str(report), str(thematic))
    assert code == 0 and _counts(db) == (3, 4)  # the thematic list's paragraph joins its record
    code, out = invoke("import", "document", str(tmp_path / "review" / "g2.pdf"))
    # The addendum given alone re-reads its report: no record changes, the addendum is a source too.
    assert code == 0 and "3 unchanged" in out and _counts(db) == (3, 7)
    not_a_review = docx_table(tmp_path / "minutes.docx", ["Agenda item", "Speaker"], [["1", "Chair"]])
    code, out = invoke("import", "document", str(not_a_review))
    assert code != 0 and "minutes.docx" in out and "not a UN review document" in out
    assert _counts(db) == (3, 7)
    db.close()
