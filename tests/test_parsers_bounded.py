"""Every parser of outside input finishes quickly on any text, random or built to hurt.

Hypothesis feeds each parser random text made of what UN documents are made of (numbers such as
"140.7", commas, "and", dots, brackets, State names, position words) and adversarial runs of one
piece repeated thousands of times. Each call runs in a child process stopped after BOUND seconds
(:func:`rightstrack.ingest.budget.call_within`), so a parser that backtracks fails the test
instead of hanging the suite. A parser may refuse the text (a RightstrackError); it may not crash
or run long.
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rightstrack.errors import CellError, RightstrackError
from rightstrack.ingest.budget import ImportTimedOut, call_within

BOUND = 8.0  # seconds; linear parsers take well under one on the largest input here
PIECES = [
    "140.7", "140.", "1.", "12", "1,", ", ", " and ", "and", ".", ". ", ";", ":", "–", "-", "(", ")", " ",
    "\n", "\t", "|", "“", "\"", "'", "*", "/", "A/HRC/59/15", "/Add.1", "(Maldives) (Portugal);", "(France)",
    "Ratify", "recommendations", "Recommendation", "accepts", "supports", "notes", "Supported", "Noted",
    "Partially supported", "the remaining recommendations", "Cluster", "Theme:", "Source of Position:",
    "Universal Periodic Review", "Conclusions and/or recommendations", "Addendum",
    "held its fourth session", "review of France was held", "1 The original recommendation as read: ",
    "x", "X", "é", "\u00ad", "\ufffe",
    "UPR of ", " (4th Cycle – 48th session)", "- ", "Groups of Persons:", "SDGs:", "GE.25-01234",
]  # fmt: skip
RUNS = [
    "140.1, ", "1. ", "1.1 ", "1., ", "1", "11.", " and ", "and", ".", ",", " ", "(", ")", "((", "a", "A",
    "Aa ", "- ", "\n", "140.", "recommendations ", "accepts recommendations 1, ", "(France) ", "A/", "“",
    "1-", ". 1",
]  # fmt: skip

texts = st.lists(st.sampled_from(PIECES) | st.text(max_size=6), max_size=300).map("".join)
runs = st.tuples(st.sampled_from(RUNS), st.integers(min_value=50, max_value=6000)).map(lambda p: p[0] * p[1])
inputs = texts | runs
property_settings = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def bounded(parse: Callable[[str], Any], text: str) -> None:
    try:
        call_within(BOUND, _refusal_is_fine, parse, text)
    except ImportTimedOut:
        pytest.fail(f"{parse.__name__} ran past {BOUND:g} s on {len(text)} characters: {text[:120]!r}…")


def _refusal_is_fine(parse: Callable[[str], Any], text: str) -> None:
    with contextlib.suppress(RightstrackError):
        parse(text)


# The parsers, each taking one text (module-level, so the child process can find them by name).


def _document(text: str) -> Any:
    from rightstrack.ingest.undocs.text import DocumentText, Page

    half = len(text) // 2
    return DocumentText("fuzz.pdf", [Page(1, text[:half]), Page(2, text[half:])])


def parse_report_text(text: str) -> None:
    from rightstrack.ingest.undocs import parse_report

    parse_report(_document(text))


def parse_addendum_text(text: str) -> None:
    from rightstrack.ingest.undocs import parse_addendum

    parse_addendum(_document(text), "A/HRC/59/15/Add.1")


def recognise_and_read(text: str) -> None:
    from rightstrack.ingest.undocs import parse_concluding_observations, recognise, report_drafts
    from rightstrack.ingest.undocs.recognise import find_symbol

    document = _document("United Nations A/HRC/59/15\nUniversal Periodic Review\n" + text)
    find_symbol(text)
    parse_concluding_observations(document)
    report_drafts(document, recognise(document))


def clauses_and_names(text: str) -> None:
    from rightstrack.ingest.undocs.names import parse_recommenders
    from rightstrack.ingest.undocs.upr import brackets, split_clauses_of

    flat = " ".join(text.split())
    split_clauses_of(flat)
    for _, _, content in brackets(flat)[:200]:
        parse_recommenders(content)
    parse_recommenders(flat[:400])


def numbers_and_wording(text: str) -> None:
    from rightstrack.ingest.undocs.numbers import expand_list
    from rightstrack.ingest.undocs.responses import prose_response

    expand_list(text)
    prose_response(text)


def text_cleaning(text: str) -> None:
    from rightstrack.ingest.undocs.text import html_text, join_hyphenated, plain_text, running_line

    join_hyphenated(text)
    plain_text(text, "fuzz.txt")
    html_text(f"<html><body><p>{text}</p><table><tr><td>{text}</td></tr></table></body></html>", "fuzz.html")
    for line in text.splitlines()[:500]:
        running_line(line)


def thematic_table(text: str) -> None:
    from rightstrack.ingest.undocs.thematic import read_table

    header = ["Recommendation and recommending State", "Position of the State under review",
              "Human rights themes and groups of persons", "Relevant SDGs"]  # fmt: skip
    quarter = max(1, len(text) // 4)
    row = [text[i * quarter : (i + 1) * quarter] for i in range(4)]
    read_table([header, row, [f"Theme: {text[:200]}"] * 4, row], "fuzz.docx")


def names_and_hints(text: str) -> None:
    from rightstrack.ingest.review_hint import ReviewHint
    from rightstrack.model.states import classify_name

    classify_name(text)
    ReviewHint.parse(text[:200])


def search_query(text: str) -> None:
    from rightstrack.store.fulltext import parse_query, to_fts5, to_tsquery

    parsed = parse_query(text)
    to_fts5(parsed)
    to_tsquery(parsed)


def dates_and_instruments(text: str) -> None:
    from rightstrack.engagement.dates import parse_optional
    from rightstrack.engagement.instruments import find_instrument

    with contextlib.suppress(ValueError):  # its documented refusal of what is not a date
        parse_optional(text)
    find_instrument(text)


def uhri_cells(text: str) -> None:
    from rightstrack.ingest import uhri_cells as cells

    cells.values(text)
    cells.split_paragraph(text)
    for parse in (cells.session, cells.publication_date, cells.position, cells.body):
        with contextlib.suppress(CellError):  # a cell's documented refusal
            parse(text)


PARSERS = [
    uhri_cells,
    parse_report_text,
    parse_addendum_text,
    recognise_and_read,
    clauses_and_names,
    numbers_and_wording,
    text_cleaning,
    thematic_table,
    names_and_hints,
    search_query,
    dates_and_instruments,
]


@pytest.mark.parametrize("parse", PARSERS, ids=[p.__name__ for p in PARSERS])
@property_settings
@given(text=inputs)
@example(text="140.1, " * 6000)
@example(text="1. " * 10000)
@example(text="Ratify (France) " * 3000)
def test_parser_is_bounded(parse: Callable[[str], Any], text: str) -> None:
    bounded(parse, text)


def test_the_addendum_that_hung_the_importer_is_read_at_once() -> None:
    # The 2025 shape: a statement with a long run of numbers and no capital letter after it.
    run = " ".join(f"140.{n}," for n in range(1, 400))
    bounded(parse_addendum_text, f"1. The Government supports recommendations {run} as follows")


def upr_info_csv(path_text: str) -> None:
    from rightstrack.ingest.uprinfo import UprInfoCsvImporter

    UprInfoCsvImporter().read(Path(path_text))


@property_settings
@given(cell=inputs)
def test_upr_info_csv_importer_is_bounded(tmp_path_factory: pytest.TempPathFactory, cell: str) -> None:
    path = tmp_path_factory.mktemp("csv") / "fuzz.csv"
    header = ["To", "To-Rgrp", "To-Org", "Text", "From", "From-Rgrp", "From-Org", "Response", "Action",
              "Issue", "Session"]  # fmt: skip
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerow(
            ["Brazil", "GRULAC", "", cell, cell[:300], "WEOG", "", cell[:50], "4", cell[:200], "13"]
        )
    bounded(upr_info_csv, str(path))
