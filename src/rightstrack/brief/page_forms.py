"""The brief editor as a plain HTML form, both ways: the points into fields, the fields back into
points.

Each point travels as its text (a textarea people edit), its position, a "drop" box, and the rest
of it (section, quote, citations, original wording) in one hidden field; new points are written in
one textarea per section and are hand-written. The citations that come back are not trusted: saving
resolves every one of them again (``citations.check_points``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from rightstrack.brief.model import Origin, Point, Section
from rightstrack.brief.render import HEADINGS, Numbered
from rightstrack.errors import InvalidInput, Problem
from rightstrack.followup.model import invalid_input

_CARRIED = {"section", "quote", "citations", "origin", "generator", "original"}


def editor_fields(points: list[Point]) -> list[dict[str, Any]]:
    """One entry per point for the template: its index, its hidden part, its sources' numbers."""
    numbered = Numbered.of(points)
    return [
        {
            "index": index,
            "point": point,
            "carried": json.dumps(
                point.model_dump(mode="json", include=_CARRIED),
                ensure_ascii=False,
            ),
            "numbers": numbered.of_point(point),
        }
        for index, point in enumerate(points)
    ]


def sections() -> list[tuple[Section, str]]:
    return list(HEADINGS.items())


def points_from_form(form: Mapping[str, Any]) -> list[Point]:
    """The points as the form left them: kept ones in their new order, then the new ones. A point
    whose box is ticked, or whose text was emptied, is dropped."""
    kept: list[tuple[int, int, int, int, Point]] = []
    shown: dict[Section, int] = {}  # each point's place in its section as the form showed it
    order = {section: n for n, section in enumerate(Section)}
    index = 0
    while f"p{index}-data" in form:
        carried, section = _carried(form, index)
        place = shown[section] = shown.get(section, 0) + 1
        text = str(form.get(f"p{index}-text", "")).strip()
        if text and not form.get(f"p{index}-drop"):
            wanted = _position(form, index, place)
            # A point moved to a place goes before the one that was there.
            kept.append((order[section], wanted, int(wanted == place), index, _point(carried, text, index)))
        index += 1
    points = [p for *_, p in sorted(kept, key=lambda k: k[:4])]
    for section in Section:
        text = str(form.get(f"new-{section.value}", "")).strip()
        if text:
            points.append(Point(section=section, text=text, origin=Origin.HAND_WRITTEN))
    return _grouped(points)


def _carried(form: Mapping[str, Any], index: int) -> tuple[dict[str, Any], Section]:
    """The hidden part of point ``index`` and its section."""
    try:
        carried = json.loads(str(form[f"p{index}-data"]))
        return carried, Section(carried["section"])
    except (json.JSONDecodeError, TypeError, KeyError, ValueError):
        raise InvalidInput(
            "the form is damaged: reload the page", [Problem("not a point", field=f"p{index}")]
        ) from None


def _point(carried: dict[str, Any], text: str, index: int) -> Point:
    try:
        return Point.model_validate(carried | {"text": text})
    except ValidationError as exc:
        raise invalid_input(exc, f"point {index + 1} cannot be saved like this") from None


def _position(form: Mapping[str, Any], index: int, place: int) -> int:
    raw = str(form.get(f"p{index}-order", "")).strip()
    return int(raw) if raw.lstrip("-").isdigit() else place


def _grouped(points: list[Point]) -> list[Point]:
    """Sections in their order, each point's relative order kept."""
    order = {section: n for n, section in enumerate(Section)}
    return sorted(points, key=lambda p: order[p.section])
