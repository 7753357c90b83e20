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
from rightstrack.ingest.budget import reached, report_characters
from rightstrack.ingest.undocs.names import parse_recommenders
from rightstrack.ingest.undocs.text import TICKS
from rightstrack.ingest.undocs.upr import split_clauses_of
from rightstrack.model.records import Response

UHRI_FAMILY = "uhri_theme"
AFFECTED_FAMILY = "affected_persons"
SDG_FAMILY = "sdg"

_COLUMNS: dict[str, re.Pattern[str]] = {
    # Cycle 4 puts the recommending States into the recommendation's own cell.
    "recommendation": re.compile(
        r"^recommendations?(?: text)?$|^text$|^recommendations? and recommending states?(?: \(s\))?$",
        re.IGNORECASE,
    ),
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
        if Response.parse(label) is not None:  # a "Supported" / "Noted" column ticked per row
            roles.append(f"tick:{label}")
            continue
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


# Applied to one whitespace-normalised line of at most _LINE characters; the state's part cannot
# run past "(" and is bounded, so each position costs a constant.
_HEADING = re.compile(
    r"UPR of (?P<state>[^(\t]{1,80})\( ?(?P<cycle>\d) ?(?:st|nd|rd|th) cycle ?[-–—,] ?"
    r"(?P<session>\d{1,2}) ?(?:st|nd|rd|th) session",
    re.IGNORECASE,
)
_REVIEW_OF = re.compile(
    r"\b(?:UPR|Universal Periodic Review|review|Examen périodique universel)(?: of| de| du)? ", re.I
)
_SESSION_WORDS = re.compile(r"\b(\d{1,2}) ?(?:st|nd|rd|th) session\b", re.IGNORECASE)
_FILE_SESSION = re.compile(r"UPR[\s_-]?(\d{1,2})(?!\d)", re.IGNORECASE)
_LINE = 2000


def read_thematic_heading(path: Path) -> ThematicHeading:
    """The review a thematic list or matrix belongs to: its running header ("UPR of Slovenia (3rd
    Cycle – 34th session)"), else a state named in its title lines or document properties ("Matrix
    of recommendations – Universal Periodic Review of Norway"), else its file name's session."""
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
    texts.extend(t for t in (document.core_properties.title, document.core_properties.subject) if t)
    lines = [" ".join(text.split())[:_LINE] for text in texts if text.strip()]
    for line in lines:
        if found := _HEADING.search(line):
            return ThematicHeading(found["state"].strip(), int(found["cycle"]), int(found["session"]))
    by_name = _FILE_SESSION.search(path.stem)
    session = int(by_name.group(1)) if by_name else None
    for line in lines:
        if session is None and (said := _SESSION_WORDS.search(line)):
            session = int(said.group(1))
    return ThematicHeading(state=_state_in(lines), session=session)


def _state_in(lines: list[str]) -> str | None:
    """A state named in title lines: after "review of", else a line that is mostly a state's name."""
    from rightstrack.ingest.undocs.names import state_label

    for line in lines:
        for match in _REVIEW_OF.finditer(line):
            words = line[match.end() :].replace("(", " ").replace("–", " ").split()[:8]
            for size in range(len(words), 0, -1):
                if found := state_label(" ".join(words[:size]).strip(" ,:;")):
                    return found
    for line in lines:
        words = line.replace("–", " ").replace(":", " ").split()
        if len(words) > 12:
            continue
        for start in range(len(words)):
            for size in range(min(8, len(words) - start), 0, -1):
                candidate = " ".join(words[start : start + size]).strip(" ,;")
                if candidate[:1].isupper() and (found := state_label(candidate)):
                    return found
    return None


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
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    report_characters(sum(len(text) for cells in tables for row in cells for text in row))
    for cells in tables:
        if cells:
            rows.extend(read_table(cells, str(path)))
    return rows


def read_table(cells: list[list[str]], source: str) -> list[ThematicRow]:
    roles = classify_columns(cells[0], source)
    topic: str | None = None
    result: list[ThematicRow] = []
    for index, row in enumerate(cells[1:], start=2):
        reached(f"table row {index}")
        values = [v.strip() for v in row]
        if not any(values):
            continue
        if len(set(values)) == 1 or values[0].lower().startswith("theme:"):
            topic = re.sub(r"^theme:\s*", "", values[0], flags=re.IGNORECASE).strip() or None
            continue
        result.append(_row(_with_ticks(dict(zip(roles, values, strict=False))), topic, index))
    return result


def _with_ticks(cell: dict[str, str]) -> dict[str, str]:
    """A tick under a "Supported" or "Noted" column is the row's position."""
    for role, value in list(cell.items()):
        if role.startswith("tick:") and value.strip().lower() in TICKS and not cell.get("position"):
            cell["position"] = role.partition(":")[2]
    return cell


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
        if lower.startswith(("affected persons", "groups of persons", "group of persons")):
            family = AFFECTED_FAMILY
            stripped = stripped.split(":", 1)[1] if ":" in stripped else ""
        elif lower.startswith("sdgs") or lower.startswith("sdg:"):
            family = SDG_FAMILY
            stripped = stripped.split(":", 1)[1] if ":" in stripped else ""
        value = stripped.strip(" -–•\t")
        if value:
            tags.setdefault(family, []).append(value)
