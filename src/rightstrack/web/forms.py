"""Forms as data: each field's name, the label people read and its control, so one macro
(``templates/_forms.html``) draws every form the same accessible way and a refused form's problems
are told with the labels of its own fields.

A refused form comes back with an error summary at its top: one line per problem, each naming the
field by its label and linking to it; the script moves focus to the summary (the pattern of the
GOV.UK design system), and each wrong field is marked invalid and described by its line. A problem
is said once: the summary lists the problems, or the error's message when it has none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData, UploadFile

from rightstrack.auth.accounts import Session
from rightstrack.errors import InvalidInput, Problem, RightstrackError
from rightstrack.messages import Text, msg
from rightstrack.web.security import check_form_csrf


@dataclass(frozen=True)
class Field:
    """One control. ``choices`` names the list of (value, label) pairs the page passes for a select
    (or checkboxes); ``aliases`` are other names the library uses for this field in its problems."""

    name: str
    label: Text
    widget: str = "text"  # text, textarea, date, select, checkboxes, file, email, password, number
    choices: str = ""
    required: bool = False
    blank: Text | None = None  # a select's empty choice
    hint: Text | None = None
    today: bool = False  # a date that starts at today's date
    aliases: tuple[str, ...] = ()
    autocomplete: str = ""

    def answers_for(self, name: str | None) -> bool:
        return name is not None and (name == self.name or name in self.aliases)


@dataclass(frozen=True)
class Form:
    name: str
    fields: tuple[Field, ...]
    submit: Text
    hidden: tuple[str, ...] = ()  # values carried as they are (version, the record's id)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field_for(self, name: str | None) -> Field | None:
        return next((f for f in self.fields if f.answers_for(name)), None)

    def values(self, form: FormData) -> dict[str, Any]:
        """The submitted text of every field (checkboxes: a list), as the page shows it back."""
        out: dict[str, Any] = {}
        for f in self.fields:
            if f.widget == "checkboxes":
                out[f.name] = [str(v) for v in form.getlist(f.name) if str(v).strip()]
            elif f.widget not in ("file", "files"):
                out[f.name] = str(form.get(f.name, "")).strip()
        return out | {name: str(form.get(name, "")).strip() for name in self.hidden}

    def current(self, record: Mapping[str, Any], **extra: Any) -> dict[str, Any]:
        """An edit form's values: the record's, as text (nothing for an empty value)."""
        names = (*self.names, *self.hidden)
        values = {n: "" if record.get(n) is None else record[n] for n in names if n in record}
        return values | extra

    def defaults(self, given: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """What the form shows before anyone typed: today's date where it is the likely answer."""
        today = datetime.now(UTC).date().isoformat()
        return {f.name: today for f in self.fields if f.today} | dict(given or {})


@dataclass(frozen=True)
class Item:
    """One line of an error summary; ``number`` makes its id, which the field it names refers to."""

    message: str
    label: str | None = None
    field: str | None = None
    number: int = 0


def problem_items(form: Form | None, error: RightstrackError | None) -> list[Item]:
    """The lines of a refused form's summary: each problem once, by the label of its field."""
    if error is None:
        return []
    items: list[Item] = []
    for problem in error.problems:
        found = form.field_for(problem.field) if form else None
        # A problem about something the form does not show (a CSV file's line, a hidden id) says
        # where it is instead of a label.
        item = Item(problem.message, found.label, found.name) if found else Item(_located(problem))
        if item not in items:
            items.append(item)
    return [replace(item, number=n) for n, item in enumerate(items or [Item(error.message)], start=1)]


def _located(problem: Problem) -> str:
    parts: list[str] = [problem.file] if problem.file else []
    if problem.line is not None:
        parts.append(msg("line %(n)s", n=problem.line))
    if problem.field:
        parts.append(problem.field)
    if not parts:
        return problem.message
    where = parts[0]
    for part in parts[1:]:  # joined as messages, so "line" is said in the page's language
        where = msg("%(a)s, %(b)s", a=where, b=part)
    found = msg(" (found “%(value)s”)", value=problem.value) if problem.value else ""
    return msg("%(where)s: %(message)s%(found)s", where=where, message=problem.message, found=found)


def keep_or_ask_again(error: RightstrackError, files: Iterable[UploadFile | str], field: Field) -> None:
    """Browsers cannot put chosen files back in a form; a form that comes back says so by name
    (unless the files are what it refused: that problem names them already)."""
    names = [f.filename if isinstance(f, UploadFile) else f for f in files]
    chosen = ", ".join(n for n in names if n)
    if chosen and not any(field.answers_for(p.field) for p in error.problems):
        again = msg(
            "Choose the files again (%(names)s): a form that comes back cannot keep them.", names=chosen
        )
        error.problems.append(Problem(again, field=field.name))


async def read_form(request: Request, session: Session | None) -> FormData:
    """A posted form, once its CSRF token (sent back in the ``csrf_token`` field) is checked."""
    form = await request.form()
    check_form_csrf(session, str(form.get("csrf_token", "")))
    return form


def submit(name: str, values: dict[str, Any], act: Callable[[], str], again: Callable[..., Any]) -> Any:
    """Run the change: on success go (303) where ``act`` says; refused, show the page again
    (``again``) with this form open, its values kept and its problems at its top."""
    try:
        target = act()
    except RightstrackError as exc:
        page = again(errors={name: exc}, forms={name: values})
        page.status_code = exc.status
        return page
    return RedirectResponse(target, status_code=303)


def refused(*problems: tuple[str, Text]) -> InvalidInput:
    """A form's own refusal: (field, what is wrong) pairs."""
    return InvalidInput(msg("Some answers need correcting."), [Problem(m, field=f) for f, m in problems])
