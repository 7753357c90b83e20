"""The table importer's cell readers on any cell, random or built to hurt: a value or a refusal
(ImportFailed), never a crash, and in time that grows with the cell, not faster."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rightstrack.errors import ImportFailed
from rightstrack.ingest.budget import ImportTimedOut, call_within
from rightstrack.ingest.table import TableImporter
from rightstrack.ingest.table_cells import (
    CellValue,
    cell_text,
    parse_whole,
    parse_year,
    split_list,
    split_names,
)
from rightstrack.ingest.table_mapping import TableMapping, guess_mapping
from rightstrack.ingest.table_read import sniff_delimiter

BOUND = 8.0
PIECES = [
    ",", ";", "\n", "\r", "|", " ", "\t", '"', "Korea", "Korea, Republic of", "Republic of", "the", "France",
    "Congo", "Democratic Republic of the", "2019", "14/05/2019", "2019-05-14", "-", "/", ".", "0", "9",
    "20th", "session", "Session 20", "é", "\u00ad", "\ufffe", "(", ")", "43599", "x",
]  # fmt: skip
RUNS = [",", ";", "Korea, ", "Republic of, ", "1", "2019-", "/", " ", "\n", "a", "(", "th", "0."]

texts = st.lists(st.sampled_from(PIECES) | st.text(max_size=6), max_size=300).map("".join)
runs = st.tuples(st.sampled_from(RUNS), st.integers(min_value=50, max_value=20000)).map(lambda p: p[0] * p[1])
values: st.SearchStrategy[CellValue] = (
    texts
    | runs
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.datetimes(min_value=datetime(1, 1, 1))
    | st.dates()
    | st.none()
)
fast = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def read_cell(value: CellValue) -> None:
    cell_text(value)
    split_list(value)
    split_names(value)
    for parse in (parse_year, lambda v: parse_whole(v, "session", 200)):
        with contextlib.suppress(ImportFailed):
            parse(value)


def bounded(function: Callable[[Any], Any], value: Any) -> None:
    try:
        call_within(BOUND, function, value)
    except ImportTimedOut:
        pytest.fail(f"{function.__name__} ran past {BOUND:g} s on {str(value)[:120]!r}…")


@fast
@given(values)
@example("Korea, Republic of, " * 20000)
@example("9" * 20000)
@example(float("inf"))
@example(1e300)
def test_cells_are_read_or_refused_in_bounded_time(value: CellValue) -> None:
    bounded(read_cell, value)


def guess_and_sniff(text: str) -> None:
    sniff_delimiter(text)
    guess_mapping(text.split(",") * 3)


@fast
@given(texts | runs)
def test_headings_and_delimiters_are_bounded(text: str) -> None:
    bounded(guess_and_sniff, text)


@fast
@given(st.lists(texts | runs, min_size=3, max_size=3))
def test_a_table_of_adversarial_cells_imports_or_is_refused(
    tmp_path_factory: pytest.TempPathFactory, row: list[str]
) -> None:
    path = tmp_path_factory.mktemp("cells") / "fuzz.csv"
    cells = ['"' + c.replace('"', '""') + '"' for c in row]
    path.write_text("Text,State,From\r\n" + ",".join(cells) + "\r\n", encoding="utf-8")
    bounded(_import_or_refuse, path)


def _import_or_refuse(path: Path) -> None:
    mapping = TableMapping({"text": "Text", "state": "State", "recommending_states": "From", "date": "From"})
    with contextlib.suppress(ImportFailed):
        TableImporter(mapping).read(path)


@pytest.mark.parametrize(
    ("raw", "year"),
    [("2019", 2019), ("2019-05-14", 2019), ("14/05/2019", 2019), ("1.2.2020", 2020), (43599, 2019),
     (2018.0, 2018), (datetime(2021, 1, 2), 2021), (date(2022, 3, 4), 2022), ("", None), (None, None)],
)  # fmt: skip
def test_years(raw: CellValue, year: int | None) -> None:
    assert parse_year(raw) == year


@pytest.mark.parametrize("raw", ["last year", "31/13/2019", "1800", "2019-02-30", "12", 5.5])
def test_not_years(raw: CellValue) -> None:
    with pytest.raises(ImportFailed):
        parse_year(raw)


def test_splitting_names_keeps_un_names_whole() -> None:
    assert split_names("Korea, Republic of; France\nIran (Islamic Republic of)") == [
        "Korea, Republic of",
        "France",
        "Iran (Islamic Republic of)",
    ]
    assert split_names("France, Germany,, ") == ["France", "Germany"]
    assert split_list(" a |b;;\r\nc ") == ["a", "b", "c"]
    assert [parse_whole(v, "session", 200) for v in ("20", "20th", "Session 31", 12.0, "")] == [
        20,
        20,
        31,
        12,
        None,
    ]


def test_responses_in_the_tables_language() -> None:
    from rightstrack.ingest.table import _response

    assert [_response(v) for v in ("Acceptée", "partiellement acceptée", "Tomada nota", "Supported", "")] == [
        "supported",
        "supported in part",
        "noted",
        "supported",
        None,
    ]
    with pytest.raises(ImportFailed):
        _response("peut-être")
