"""Read OHCHR's "thematic list of recommendations" (DOCX) into text + UHRI tags, for evaluation.

Each table row holds: the recommendation ("115.3 Ratify ... (Portugal, Slovakia);" plus a "Source
of position" line), the position, and a cell listing UHRI themes, then "Affected persons:" and (from
cycle 3) "SDGs:" sections as dash lists. Theme group header rows ("Theme: ...") are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import docx

from rightstrack.classify.crosswalk import normalise_name, normalise_sdg

_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,3}){1,3}\.? ?")


@dataclass(frozen=True, slots=True)
class ThematicRecommendation:
    text: str
    position: str
    themes: frozenset[str]
    persons: frozenset[str]
    sdgs: frozenset[str]
    has_sdgs: bool


def _tags(cell: str) -> tuple[set[str], set[str], set[str], bool]:
    section = "themes"
    found: dict[str, set[str]] = {"themes": set(), "persons": set(), "sdgs": set()}
    has_sdgs = False
    for raw in cell.splitlines():
        line = raw.strip()
        if not line:
            continue
        lowered = line.lower()
        if lowered.startswith("affected persons"):
            section = "persons"
            continue
        if lowered.startswith("sdgs"):
            section, has_sdgs = "sdgs", True
            continue
        value = line.lstrip("-").strip()
        if value:
            found[section].add(normalise_sdg(value) if section == "sdgs" else normalise_name(value))
    return found["themes"], found["persons"], found["sdgs"], has_sdgs


def _before_source(cell: str) -> str:
    """The recommendation without its "Source of position: …" line."""
    cut = cell.lower().find("source of position")
    return cell[:cut] if cut >= 0 else cell


def _without_number(text: str) -> str:
    text = text.strip()
    number = _NUMBER.match(text)
    return text[number.end() :].strip() if number else text


def read_thematic_list(path: Path) -> list[ThematicRecommendation]:
    document = docx.Document(str(path))
    rows: list[ThematicRecommendation] = []
    for table in document.tables:
        for row in table.rows[1:]:
            cells = [cell.text for cell in row.cells]
            if len(cells) < 3 or cells[0].strip().lower().startswith("theme:"):
                continue
            text = _without_number(_before_source(cells[0]))
            if not text:
                continue
            themes, persons, sdgs, has_sdgs = _tags(cells[2])
            rows.append(
                ThematicRecommendation(
                    text, cells[1].strip(), frozenset(themes), frozenset(persons), frozenset(sdgs), has_sdgs
                )
            )
    return rows
