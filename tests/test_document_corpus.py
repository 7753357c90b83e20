"""The corpus benchmark's own logic, on a few real documents (benchmarks/document_corpus.py runs them all)."""

from __future__ import annotations

from pathlib import Path

from benchmarks.document_corpus import FileResult, clear_refusal, run

from tests.conftest import SHARED_DATA, needs_shared_data


def test_each_file_is_imported_or_refused_for_a_stated_reason() -> None:
    needs_shared_data()
    folder = SHARED_DATA / "slovenia" / "cycle3"
    files = [
        folder / "g1934994.pdf",  # the Working Group report (its addendum lies beside it)
        folder / "g1923444.pdf",  # the national report: nothing to import
        folder / "Advance_questions_to_Slovenia_Add1.doc",  # legacy Word
        SHARED_DATA / "upr-reports" / "txt" / "brazil2012.txt",
    ]
    results, figures = run(files)
    by_name = {r.file: r for r in results}
    report = by_name["g1934994.pdf"]
    assert (report.outcome, report.kind, report.recommendations, report.responses) == (
        "imported",
        "upr working group report",
        215,
        215,
    )
    assert report.pages == 24
    assert by_name["g1923444.pdf"].outcome == "refused"
    assert "prepared for the review" in (by_name["g1923444.pdf"].reason or "")
    assert by_name["Advance_questions_to_Slovenia_Add1.doc"].outcome == "refused"
    assert by_name["brazil2012.txt"].recommendations == 170
    assert figures["outcomes"] == {"imported": 2, "refused": 2}
    assert figures["unclear_refusals"] == []


def test_a_refusal_without_the_file_or_a_reason_is_unclear() -> None:
    def refused(reason: str) -> FileResult:
        return FileResult("a.pdf", "refused", None, 0, 0, 1, 0.1, reason)

    assert clear_refusal(refused(f"{Path('x') / 'a.pdf'}: the PDF has no text layer; it needs OCR"))
    assert not clear_refusal(refused("something went wrong"))
    assert not clear_refusal(refused("a.pdf: bad"))
