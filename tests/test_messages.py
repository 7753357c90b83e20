"""Messages for people (rightstrack.messages) and refused forms' summaries (rightstrack.web.forms):
English by default, in the reader's language from the catalogues, labels instead of field names,
each problem said once."""

from __future__ import annotations

import copy
import pickle
from datetime import date

import pytest
from pydantic import BaseModel, Field, ValidationError

from rightstrack.errors import InvalidInput, Problem
from rightstrack.messages import localise, msg, msg_n, validation_problems
from rightstrack.web.forms import Field as FormField
from rightstrack.web.forms import Form, problem_items
from rightstrack.web.i18n import translations


def test_a_message_is_english_text_that_can_be_translated() -> None:
    overdue = msg_n("%(num)s overdue measure", "%(num)s overdue measures", 1)
    assert overdue == "1 overdue measure" and msg_n(
        "%(num)s overdue measure", "%(num)s overdue measures", 2
    ) == ("2 overdue measures")
    nested = msg(
        "%(a)s; %(b)s; %(c)s.", a=msg_n("%(num)s commitment", "%(num)s commitments", 3), b=overdue, c="x"
    )
    assert nested == "3 commitments; 1 overdue measure; x."
    assert localise(nested, translations("es")) == "3 compromisos; 1 medida atrasada; x."
    assert localise(nested, translations("fr")) == "3 engagements ; 1 mesure en retard ; x."
    # French counts nought in the singular; Spanish does not.
    none = msg_n("%(num)s overdue measure", "%(num)s overdue measures", 0)
    assert localise(none, translations("fr")) == "0 mesure en retard"
    assert localise(none, translations("es")) == "0 medidas atrasadas"
    assert localise("not a message", translations("fr")) == "not a message" and localise(None, None) == ""
    assert localise(copy.deepcopy(overdue), translations("es")) == "1 medida atrasada"
    assert (
        localise(pickle.loads(pickle.dumps(nested)), translations("es"))
        == "3 compromisos; 1 medida atrasada; x."
    )


class _Schema(BaseModel):
    title: str = Field(min_length=2)
    due_on: date
    count: int = 0


@pytest.mark.parametrize(
    ("given", "field", "said"),
    [
        ({"due_on": "2026-01-01"}, "title", "This is required."),
        ({"title": "", "due_on": "2026-01-01"}, "title", "This is required."),
        ({"title": "x", "due_on": "2026-01-01"}, "title", "Too short: write at least 2 characters."),
        ({"title": "Title", "due_on": "soon"}, "due_on", "Enter a date as YYYY-MM-DD, e.g. 2026-03-31."),
        ({"title": "Title", "due_on": "2026-01-01", "count": "many"}, "count", "Enter a whole number."),
    ],
)
def test_schema_errors_are_said_in_words(given: dict[str, object], field: str, said: str) -> None:
    with pytest.raises(ValidationError) as refused:
        _Schema.model_validate(given)
    (problem,) = validation_problems(refused.value.errors())
    assert (problem.field, problem.message) == (field, said)
    assert "Field required" not in problem.message


def test_a_summary_names_fields_by_their_labels_and_says_each_problem_once() -> None:
    form = Form(
        "progress",
        (
            FormField("reported_on", msg("Reported on"), "date"),
            FormField("files", msg("Evidence files"), "files", aliases=("file",)),
        ),
        msg("Save"),
    )
    refused = msg("%(file)s is empty.", file="a.pdf")
    error = InvalidInput(
        refused,
        [
            Problem(refused, file="a.pdf", field="file"),
            Problem(refused, file="a.pdf", field="file"),
            Problem(msg("This is required."), field="reported_on"),
            Problem(msg("This value is not valid."), file="m.csv", line=3, field="due_on", value="someday"),
        ],
    )
    items = problem_items(form, error)
    assert [(i.number, i.label, i.field, str(i.message)) for i in items] == [
        (1, "Evidence files", "files", "a.pdf is empty."),
        (2, "Reported on", "reported_on", "This is required."),
        (3, None, None, "m.csv, line 3, due_on: This value is not valid. (found “someday”)"),
    ]
    assert localise(items[2].message, translations("fr")).startswith("m.csv, ligne 3, due_on")
    assert [i.message for i in problem_items(form, InvalidInput(msg("Choose a CSV file.")))] == [
        "Choose a CSV file."
    ]
