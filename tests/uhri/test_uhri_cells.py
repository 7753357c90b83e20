"""The UHRI cell parsers on generated and adversarial cells: right answers on the format's own
shapes, and on anything else a value or a CellError (an ImportFailed), never another exception.
(Linear time on adversarial text is checked with every other parser in tests/test_parsers_bounded.py
and the patterns in tests/test_pattern_budget.py.)"""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rightstrack.errors import CellError, ImportFailed
from rightstrack.ingest import uhri_cells as cells
from rightstrack.model.records import Response

quick = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
value = st.text(st.characters(blacklist_categories=["Cc", "Cs", "Zl", "Zp"]), min_size=1, max_size=40).filter(
    lambda v: v.strip() != ""
)
hostile = st.lists(
    st.sampled_from(
        ["- ", "-", "\n", "\r\n", " ", "118.1", "1.", ".", "(a)", "27th", "session", "/", "44562", "2022-"]
    )
    | st.text(max_size=8),
    max_size=200,
).map("".join)


@quick
@given(st.lists(value, min_size=1, max_size=6))
def test_multi_valued_cells_give_their_values(values: list[str]) -> None:
    cell = "\n".join(f"- {v}" for v in values)
    assert cells.values(cell) == [" ".join(v.split()) for v in values]  # one "- " prefix comes off


@quick
@given(st.integers(1, 999), st.integers(1, 999), st.sampled_from([" ", ". "]), value)
def test_paragraph_numbers_are_read_and_taken_off_the_text(
    major: int, minor: int, gap: str, rest: str
) -> None:
    paragraph, text = cells.split_paragraph(f"{major}.{minor}{gap}X{rest}")
    assert paragraph == f"{major}.{minor}" and text.startswith("X")
    assert cells.split_paragraph(f"{major}. The Committee")[0] == str(major)
    assert cells.split_paragraph(f"(a) {rest}")[0] is None


@quick
@given(
    st.integers(1, 200), st.sampled_from(["- {n}th session", "{n}", "- Session {n}", "Session {n} (2019)"])
)
def test_sessions_in_any_spelling(number: int, shape: str) -> None:
    assert cells.session(shape.format(n=number)) == number
    assert cells.session(float(number)) == number


@quick
@given(st.dates(date(1946, 1, 1), date(2100, 12, 31)))
def test_excel_serials_and_iso_dates(day: date) -> None:
    serial = (day - date(1899, 12, 30)).days
    assert cells.publication_date(serial) == day
    assert cells.publication_date(str(serial)) == day
    assert cells.publication_date(f"{serial}.0") == day
    assert cells.publication_date(day.isoformat()) == day
    assert cells.publication_date(f"- {day.isoformat()}T00:00:00") == day
    assert cells.publication_date(44562) == date(2022, 1, 1)


@pytest.mark.parametrize("cell", ["18/07/2017", "yesterday", "0", "2022-13-01", -5, 1e12, "1800-01-01"])
def test_bad_dates_are_refused(cell: object) -> None:
    with pytest.raises(CellError):
        cells.publication_date(cell)


def test_positions_and_bodies() -> None:
    assert cells.position("- Supported") is Response.SUPPORTED
    assert cells.position("- Noted") is Response.NOTED
    assert cells.position("- Supported/Noted") is Response.SUPPORTED_IN_PART
    assert cells.position("") is None
    assert cells.body("- CRC-OP-SC").code == "CRC-OP-SC"
    assert cells.body("- UPR").kind == "upr"
    food = cells.body("- SR on the right to food")
    assert (food.code, food.kind) == ("SR-RIGHT-FOOD", "special procedures")
    long = cells.body("- WG on " + "the issue of human rights and transnational corporations " * 3)
    assert len(long.code) <= 40 and long.code.startswith("WG-ISSUE-HUMAN-RIGHTS")
    assert long.code != cells.body("- WG on " + "the issue of human rights and transnational firms " * 3).code


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile)
@example("- " * 20_000)
@example("118.1" * 5_000 + " x")
@example("1." * 10_000)
@example("9" * 50_000)
def test_hostile_cells_give_a_value_or_a_cell_error(cell: str) -> None:
    cells.values(cell)
    cells.single(cell)
    cells.split_paragraph(cell)
    for parse in (cells.session, cells.publication_date, cells.position, cells.body):
        with contextlib.suppress(ImportFailed):
            parse(cell)
