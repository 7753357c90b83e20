"""Messages for people, written in English, that pages and reports show in the reader's language.

``msg("Reported on")`` is an English string (a ``str``, so the CLI, the JSON errors and every test
read it as before) that also remembers its message id and variables; ``localise`` turns it into
the reader's language through a gettext catalogue. The catalogues (``web/locales``) are built from
every ``msg`` / ``msg_n`` call in the package and every ``_()`` in the templates, and
``tests/test_i18n.py`` fails while any of them lacks a French or Spanish translation, so a message
written this way cannot stay English in the Spanish interface.

Message ids are literals (the extractor reads the source); what varies goes in ``%(name)s``
variables, which may themselves be messages::

    msg("%(what)s is required", what=msg("Reported on"))
    msg_n("%(num)s overdue measure", "%(num)s overdue measures", 3)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from rightstrack.errors import Problem


class Text(str):
    """An English message that can be shown in another language (see the module docstring)."""

    msgid: str
    plural: str | None
    n: int | None
    params: Mapping[str, Any]

    def __new__(
        cls, msgid: str, params: Mapping[str, Any], plural: str | None = None, n: int | None = None
    ) -> Text:
        english = plural if plural is not None and n != 1 else msgid
        self = super().__new__(cls, english % dict(params) if params else english)
        self.msgid, self.plural, self.n, self.params = msgid, plural, n, dict(params)
        return self

    def __reduce__(self) -> Any:  # pickles (and copies) as the message it is, not a bare str
        return (Text, (self.msgid, self.params, self.plural, self.n))


def msg(msgid: str, **params: Any) -> Text:
    return Text(msgid, params)


def msg_n(singular: str, plural: str, n: int, **params: Any) -> Text:
    """A message whose wording depends on a number, given to it as ``%(num)s``."""
    return Text(singular, {"num": n, **params}, plural, n)


class Catalogue(Protocol):
    """What ``localise`` needs of a gettext catalogue (``babel.support.Translations`` has it)."""

    def gettext(self, message: str) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int) -> str: ...


def localise(value: object, catalogue: Catalogue | None) -> str:
    """``value`` in the catalogue's language: a ``Text`` translated (its variables too), anything
    else as it is."""
    if not isinstance(value, Text) or catalogue is None:
        return "" if value is None else str(value)
    if value.plural is not None:
        template = catalogue.ngettext(value.msgid, value.plural, value.n or 0)
    else:
        template = catalogue.gettext(value.msgid)
    if not value.params:
        return template
    return template % {
        k: localise(v, catalogue) if isinstance(v, Text) else v for k, v in value.params.items()
    }


# -- schema errors, as people read them --------------------------------------------------------

_REQUIRED = msg("This is required.")
_DATE = msg("Enter a date as YYYY-MM-DD, e.g. 2026-03-31.")
_CHOICE = msg("Choose one of the options.")
_NUMBER = msg("Enter a whole number.")
# pydantic's error type -> what to tell the person who filled the form in
_BY_TYPE: dict[str, Text] = {
    "missing": _REQUIRED,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "date_parsing": _DATE,
    "date_type": _DATE,
    "enum": _CHOICE,
    "literal_error": _CHOICE,
    "int_parsing": _NUMBER,
    "int_type": _NUMBER,
    "int_from_float": _NUMBER,
    "list_type": _CHOICE,
    "extra_forbidden": msg("This form has no such field."),
    "string_pattern_mismatch": msg("Use lower-case letters, digits and hyphens only."),
}


def _explain(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    if kind == "missing" or error.get("input") == "":
        return _REQUIRED
    if kind == "string_too_short":
        if int(context.get("min_length", 1)) <= 1:
            return _REQUIRED
        return msg_n(
            "Too short: write at least %(num)s character.",
            "Too short: write at least %(num)s characters.",
            int(context.get("min_length", 1)),
        )
    if kind == "string_too_long":
        return msg_n(
            "Too long: write at most %(num)s character.",
            "Too long: write at most %(num)s characters.",
            int(context.get("max_length", 0)),
        )
    if kind == "value_error" and "must not be empty" not in str(error.get("msg", "")):
        return str(error.get("msg", "")).removeprefix("Value error, ")
    if kind == "value_error":
        return _REQUIRED
    return _BY_TYPE.get(kind, msg("This value is not valid."))


def validation_problems(errors: Sequence[Mapping[str, Any]]) -> list[Problem]:
    """pydantic's errors (``ValidationError.errors()``) as Problems: the field, and what is wrong
    in words a person reads (never "Field required")."""
    problems = []
    for error in errors:
        location = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path", "form")]
        problems.append(Problem(_explain(error), field=".".join(location) or None))
    return problems
