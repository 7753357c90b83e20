"""What a point generator is: a small class that reads the brief's facts and writes the points of
one kind, each with its citations. ``draft.GENERATORS`` lists them in the order the brief reads."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from rightstrack.brief.facts import BriefFacts
from rightstrack.brief.model import Citation, Point, Section
from rightstrack.brief.phrases import Phrases, upper_first
from rightstrack.translation import N_


class Generator(Protocol):
    name: str
    section: Section

    def points(self, facts: BriefFacts, say: Phrases) -> list[Point]: ...


def point(
    generator: Generator, sentences: Iterable[str], citations: Iterable[Citation], quote: str | None = None
) -> Point:
    """One point of ``generator``'s section: its sentences, and every citation once, in order. The
    wording is kept as ``original`` too, so a point people reword is known to be edited."""
    text = " ".join(upper_first(s) for s in sentences if s)
    return Point(
        section=generator.section,
        text=text,
        original=text,
        quote=quote,
        citations=list(dict.fromkeys(citations)),
        generator=generator.name,
    )


def subject(facts: BriefFacts, say: Phrases) -> str:
    """What the brief is about, as a phrase: its themes, its search words, or everything."""
    themes = say.join([say.quoted(t) for t in _theme_names(facts)], alternatives=True)
    if themes and facts.query:
        return say.say(N_("%(themes)s (search: %(query)s)"), themes=themes, query=facts.query)
    if themes:
        return themes
    if facts.query:
        return say.say(N_("the search %(query)s"), query=say.quoted(facts.query))
    return say.say(N_("all subjects"))


def _theme_names(facts: BriefFacts) -> list[str]:
    """The tag names among the selection's filters (the others are the state and the years)."""
    return [n for family, names in facts.filters.items() if family not in ("state", "year") for n in names]
