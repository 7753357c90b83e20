"""OHCHR thematic lists of recommendations and matrices (DOCX tables).

Columns are recognised by their header, whatever their order: recommendation, recommending
state(s) / source, position, source of position, themes ("Full list of themes": UHRI themes, then "Affected
persons:" and "SDGs:" blocks), separate affected-persons or SDG columns, and an assessment column
(an implementation assessment, which belongs to a tracking workspace: the importer counts the
filled cells and says so). A header row with anything else is refused, naming the file and the columns.
Rows whose cells all repeat "Theme: …" are headings and become the ``topic`` of what follows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rightstrack.errors import ImportFailed, Problem
from rightstrack.ingest.undocs.names import parse_recommenders
from rightstrack.ingest.undocs.upr import split_clauses_of
from rightstrack.model.records import Response

UHRI_FAMILY = "uhri_theme"
AFFECTED_FAMILY = "affected_persons"
SDG_FAMILY = "sdg"

_COLUMNS: dict[str, re.Pattern[str]] = {
    "recommendation": re.compile(r"^recommendations?(?: text)?$|^text$", re.IGNORECASE),
    "recommenders": re.compile(r"recommending|^source$|^states?$|^from$|^made by", re.IGNORECASE),
    # Before "position": a "Source of position" column says where the position was given.
    "position_source": re.compile(r"source of (?:the )?(?:position|response)", re.IGNORECASE),
    "position": re.compile(r"position|response|^status$", re.IGNORECASE),
    "themes": re.compile(r"theme|issue", re.IGNORECASE),
    "affected": re.compile(r"affected|persons|groups", re.IGNORECASE),
    "sdg": re.compile(r"\bsdgs?\b|sustainable development", re.IGNORECASE),
    "assessment": re.compile(r"assessment|implementation", re.IGNORECASE),
    "ignored": re.compile(r"comment|^no\.?$|^#$|^paragraph$", re.IGNORECASE),
}
_NUMBERED = re.compile(r"^\s*(\d{1,3}\.\d{1,3})\.?\s+(.*)$", re.DOTALL)


@dataclass
class ThematicRow:
    paragraph: str | None
    text: str
    recommenders: list[str]
    response: Response | None
    response_source: str | None
    topic: str | None
    row: int
    tags: dict[str, list[str]] = field(default_factory=dict)
    assessment: str | None = None  # "Assessment/comments on level of implementation", when filled in


def classify_columns(header: list[str], source: str) -> list[str]:
    """The role of each column, or ImportFailed naming the file and the columns found."""
    roles: list[str] = []
    unknown: list[str] = []
    for name in header:
        label = " ".join(name.split())
        role = next((r for r, pattern in _COLUMNS.items() if pattern.search(label)), None)
        if role is None:
            unknown.append(label or "(empty)")
        roles.append(role or "?")
    if unknown or "recommendation" not in roles:
        found = ", ".join(repr(" ".join(h.split())) for h in header)
        problems = [Problem("unexpected column", source, line=1, field=u) for u in unknown]
        if "recommendation" not in roles:
            problems.append(Problem("no recommendation column", source, line=1))
        raise ImportFailed(
            f"{source}: not a thematic list or matrix this importer knows; columns found: {found} "
            "(expected Recommendation, Recommending State(s)/Source, Position, Source of position, Themes, "
            "Affected persons, SDGs, Assessment)",
            problems,
        )
    return roles


@dataclass(frozen=True)
class ThematicHeading:
    """What a thematic list's running header says: "UPR of Slovenia (2nd Cycle – 20th session)"."""

    state: str | None = None
    cycle: int | None = None
    session: int | None = None


_HEADING = re.compile(
    r"UPR\s+of\s+(?P<state>[^(\t]+?)\s*\(\s*(?P<cycle>\d)\s*(?:st|nd|rd|th)\s+cycle\s*[-–—,]\s*"
    r"(?P<session>\d+)\s*(?:st|nd|rd|th)\s+session",
    re.IGNORECASE,
)
_FILE_SESSION = re.compile(r"UPR[\s_-]?(\d{1,2})(?!\d)", re.IGNORECASE)


def read_thematic_heading(path: Path) -> ThematicHeading:
    """The review a thematic list belongs to, from its page headers or first lines, else its file name."""
    import docx

    try:
        document = docx.Document(str(path))
    except Exception:  # read_thematic_docx reports a corrupt file with its own error
        return ThematicHeading()
    texts: list[str] = []
    for section in document.sections:
        for header in (section.header, section.first_page_header):
            texts.extend(p.text for p in header.paragraphs)
    texts.extend(p.text for p in document.paragraphs[:20])
    for text in texts:
        if found := _HEADING.search(text):
            return ThematicHeading(
                " ".join(found["state"].split()), int(found["cycle"]), int(found["session"])
            )
    by_name = _FILE_SESSION.search(path.stem)
    return ThematicHeading(session=int(by_name.group(1)) if by_name else None)


def read_thematic_docx(path: Path) -> list[ThematicRow]:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises zipfile, KeyError and lxml errors alike
        raise ImportFailed(
            f"{path}: not a readable DOCX file ({exc})", [Problem("corrupt DOCX", str(path))]
        ) from exc
    rows: list[ThematicRow] = []
    if not document.tables:
        raise ImportFailed(
            f"{path}: no table in the document; a thematic list is a table", [Problem("no table", str(path))]
        )
    for table in document.tables:
        cells = [[cell.text for cell in row.cells] for row in table.rows]
        if cells:
            rows.extend(read_table(cells, str(path)))
    return rows


def read_table(cells: list[list[str]], source: str) -> list[ThematicRow]:
    roles = classify_columns(cells[0], source)
    topic: str | None = None
    result: list[ThematicRow] = []
    for index, row in enumerate(cells[1:], start=2):
        values = [v.strip() for v in row]
        if not any(values):
            continue
        if len(set(values)) == 1 or values[0].lower().startswith("theme:"):
            topic = re.sub(r"^theme:\s*", "", values[0], flags=re.IGNORECASE).strip() or None
            continue
        result.append(_row(dict(zip(roles, values, strict=False)), topic, index))
    return result


def _row(cell: dict[str, str], topic: str | None, index: int) -> ThematicRow:
    raw = cell.get("recommendation", "")
    source_line = re.search(r"Source of position:\s*(.+)", raw, re.IGNORECASE)
    text = raw[: source_line.start()] if source_line else raw
    numbered = _NUMBERED.match(text)
    paragraph = numbered.group(1) if numbered else None
    text = " ".join((numbered.group(2) if numbered else text).split())
    recommenders: list[str] = []
    if cell.get("recommenders"):
        found = parse_recommenders(cell["recommenders"].replace("\n", ", "))
        recommenders = (
            list(found)
            if found
            else [n.strip() for n in re.split(r"[,;\n]", cell["recommenders"]) if n.strip()]
        )
    else:
        for clause in split_clauses_of(text):
            recommenders.extend(n for n in clause.recommenders if n not in recommenders)
    position = cell.get("position", "").strip()
    response = Response.parse(position) if position else None
    tags: dict[str, list[str]] = {}
    if cell.get("themes"):
        _theme_cell(cell["themes"], tags)
    if cell.get("affected"):
        tags.setdefault(AFFECTED_FAMILY, []).extend(_items(cell["affected"]))
    if cell.get("sdg"):
        tags.setdefault(SDG_FAMILY, []).extend(_items(cell["sdg"]))
    return ThematicRow(
        paragraph=paragraph,
        text=text,
        recommenders=recommenders,
        response=response,
        response_source=_position_source(cell, source_line),
        topic=topic,
        row=index,
        tags={k: list(dict.fromkeys(v)) for k, v in tags.items() if v},
        assessment=" ".join(cell.get("assessment", "").split()) or None,
    )


def _position_source(cell: dict[str, str], inline: re.Match[str] | None) -> str | None:
    """Where the position was given: its own column, else a "Source of position:" line in the text."""
    found = cell.get("position_source", "").strip() or (inline.group(1) if inline else "")
    return " ".join(found.split()) or None


def _items(text: str) -> list[str]:
    return [line.strip(" -–•\t") for line in text.splitlines() if line.strip(" -–•\t")]


def _theme_cell(text: str, tags: dict[str, list[str]]) -> None:
    family = UHRI_FAMILY
    for line in text.splitlines():
        stripped = line.strip()
        lower = stripped.lower()
        if lower.startswith("affected persons"):
            family = AFFECTED_FAMILY
            stripped = stripped.split(":", 1)[1] if ":" in stripped else ""
        elif lower.startswith("sdgs") or lower.startswith("sdg:"):
            family = SDG_FAMILY
            stripped = stripped.split(":", 1)[1] if ":" in stripped else ""
        value = stripped.strip(" -–•\t")
        if value:
            tags.setdefault(family, []).append(value)
