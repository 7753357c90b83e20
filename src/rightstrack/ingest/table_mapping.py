"""Which column of someone's own table holds which rightstrack field: the mapping, its standard
template, and a first guess from the headings (for the web page's column picker).

A mapping is data (saved by name in ``table_mappings``, sent as JSON to the API, given as
``--map FIELD=COLUMN`` on the command line), so it is kept apart from the importer that uses it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from rightstrack.errors import ImportFailed, InvalidInput, Problem
from rightstrack.messages import Text, msg
from rightstrack.model.reference import TAG_FAMILIES

TAG_PREFIX = "tag:"
_GUESS_COLUMNS = 200


@dataclass(frozen=True)
class TableField:
    """A rightstrack field a column can feed: its code (``--map CODE=…``), the heading the
    template gives it, the label people read, and other headings people give it."""

    code: str
    heading: str
    label: Text
    synonyms: tuple[str, ...] = ()


FIELDS: tuple[TableField, ...] = (
    TableField(
        "text",
        "Recommendation",
        msg("Recommendation text"),
        ("text", "texte", "texto", "recommandation", "recomendación", "recommendation text"),
    ),
    TableField(
        "state",
        "State under review",
        msg("State under review"),
        ("state", "sur", "country", "pays", "país", "état", "estado", "state reviewed", "to"),
    ),
    TableField(
        "recommending_states",
        "Recommending states",
        msg("Recommending states"),
        ("from", "recommending state", "recommended by", "recommandé par", "recomendado por", "source"),
    ),
    TableField("mechanism", "Mechanism", msg("Mechanism"), ("body", "mécanisme", "mecanismo", "organe")),
    TableField("symbol", "Document symbol", msg("Document symbol"), ("symbol", "cote", "signatura")),
    TableField(
        "paragraph", "Paragraph", msg("Paragraph"), ("para", "paragraphe", "párrafo", "number", "no", "n°")
    ),
    TableField("date", "Date", msg("Date"), ("year", "année", "año", "fecha")),
    TableField("session", "Session", msg("Session"), ("sesión", "upr session")),
    TableField("cycle", "Cycle", msg("Cycle"), ("ciclo", "upr cycle")),
    TableField(
        "response", "Response", msg("Response"), ("position", "réponse", "respuesta", "accepted or noted")
    ),
    *(
        TableField(
            f"{TAG_PREFIX}{family.code}",
            family.name,
            msg("Tags: %(family)s", family=family.name),
            (family.code.replace("_", " "),),
        )
        for family in TAG_FAMILIES
    ),
)
FIELD_CODES = tuple(f.code for f in FIELDS)
TEMPLATE_HEADINGS = tuple(f.heading for f in FIELDS)


@dataclass
class TableMapping:
    """Field code → the file's column heading; ``state`` names the state under review of the
    whole file (for tables of one state without such a column); ``sheet`` picks an XLSX sheet."""

    columns: dict[str, str] = field(default_factory=dict)
    state: str | None = None
    sheet: str | None = None

    def __post_init__(self) -> None:
        unknown = [code for code in self.columns if code not in FIELD_CODES]
        if unknown:
            raise InvalidInput(
                f"unknown field(s) in the mapping: {', '.join(unknown)}; "
                f"the fields are {', '.join(FIELD_CODES)}",
                [Problem("unknown field", field=code) for code in unknown],
            )
        self.columns = {code: " ".join(h.split()) for code, h in self.columns.items() if h.strip()}
        self.state = (self.state or "").strip() or None
        self.sheet = (self.sheet or "").strip() or None

    @classmethod
    def from_pairs(
        cls, pairs: Iterable[str], state: str | None = None, sheet: str | None = None
    ) -> TableMapping:
        """``["text=Recommendation", "state=Country"]`` as given with ``--map``."""
        columns: dict[str, str] = {}
        for pair in pairs:
            code, sep, heading = pair.partition("=")
            if not sep or not code.strip() or not heading.strip():
                raise InvalidInput(f"--map {pair!r} is not FIELD=COLUMN (for example text=Recommendation)")
            columns[code.strip()] = heading
        return cls(columns, state, sheet)

    @classmethod
    def from_json(cls, raw: str) -> TableMapping:
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"the mapping is not JSON: {exc.msg} at character {exc.pos}") from None
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: object) -> TableMapping:
        if not isinstance(data, dict):
            raise InvalidInput('the mapping is a JSON object: {"columns": {"text": "…"}, "state": …}')
        columns = data.get("columns", {})
        if not isinstance(columns, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in columns.items()
        ):
            raise InvalidInput('"columns" maps field codes to column headings, both text')
        return cls(dict(columns), _text_or_none(data.get("state")), _text_or_none(data.get("sheet")))

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, sort_keys=True)

    def as_dict(self) -> dict[str, Any]:
        return {"columns": dict(self.columns), "state": self.state, "sheet": self.sheet}

    def merged(self, state: str | None = None, sheet: str | None = None) -> TableMapping:
        """This mapping with a state or sheet given for this one file (the command line's wins)."""
        return TableMapping(dict(self.columns), state or self.state, sheet or self.sheet)

    def checked(self, filename: str, headings: Sequence[str]) -> dict[str, int]:
        """Field code → column index; refuses a mapping that names a column the file lacks (and
        says which columns it has) or that leaves out the text or the state under review."""
        problems = [
            Problem("no such column in the file", filename, field=code, value=heading)
            for code, heading in self.columns.items()
            if heading not in headings
        ]
        if "text" not in self.columns:
            problems.append(
                Problem("map the column that holds the recommendation's text", filename, field="text")
            )
        if "state" not in self.columns and not self.state:
            problems.append(
                Problem(
                    "map the state under review's column, or give the state for the whole file",
                    filename,
                    field="state",
                )
            )
        if problems:
            raise ImportFailed(
                f"{filename}: the mapping does not fit the file; its columns are: "
                f"{', '.join(h for h in headings if h) or 'none'}",
                problems,
            )
        return {code: list(headings).index(heading) for code, heading in self.columns.items()}


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def template_mapping(headings: Sequence[str]) -> TableMapping:
    """The mapping of the standard template: every template heading the file has."""
    return TableMapping({f.code: f.heading for f in FIELDS if f.heading in headings})


def guess_mapping(headings: Sequence[str]) -> TableMapping:
    """A first answer for the column picker: each field takes the heading that resembles its
    own names most (each heading once); people correct it before anything is stored."""
    # The first columns only: a sheet of thousands of headings is no matrix, and likeness costs.
    free = {h: _key(h) for h in headings[:_GUESS_COLUMNS] if h}
    columns: dict[str, str] = {}
    for table_field in FIELDS:
        names = {_key(n) for n in (table_field.heading, table_field.code, *table_field.synonyms)}
        scored = [(_likeness(key, names), heading) for heading, key in free.items()]
        best = max(scored, default=(0.0, ""))
        if best[0] >= 0.8:
            columns[table_field.code] = best[1]
            del free[best[1]]
    return TableMapping(columns)


def _key(text: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in text.casefold()).split())


def _likeness(key: str, names: set[str]) -> float:
    if key in names:
        return 1.0
    words = set(key.split())
    if any(" " in n and n in key for n in names) or words & {n for n in names if len(n) > 3}:
        return 0.9
    return max((SequenceMatcher(None, key[:80], n).ratio() for n in names), default=0.0)


def suggest_mapping(headings: Sequence[str], saved: TableMapping | None = None) -> TableMapping:
    """The column picker's first answer: the saved mapping's columns this file has, else the
    template's headings, else a guess from the headings."""
    if saved is not None:
        kept = {code: h for code, h in saved.columns.items() if h in headings}
        return TableMapping(kept, saved.state, saved.sheet)
    template = template_mapping(headings)
    return template if "text" in template.columns else guess_mapping(headings)
