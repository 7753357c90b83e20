"""Drafting a brief: read the facts once, let each generator write its points, in reading order.

A new kind of point is one class with ``name``, ``section`` and ``points(facts, say)`` added to
GENERATORS; the sections keep the order of this list.
"""

from __future__ import annotations

from datetime import date

from rightstrack.brief.asks import StrongestAsks
from rightstrack.brief.facts import BriefFacts, gather
from rightstrack.brief.generator import Generator, subject
from rightstrack.brief.issue import AskSummary, CycleResponses, RecommenderGroups, RepeatedAsks, Responses
from rightstrack.brief.model import Brief, BriefRequest
from rightstrack.brief.phrases import Phrases, upper_first
from rightstrack.brief.talking_points import (
    DefenderAttacks,
    EngagementEvents,
    ImplementationRecord,
    TreatyComparison,
    TreatyGaps,
)
from rightstrack.store.database import Database
from rightstrack.translation import N_

GENERATORS: tuple[Generator, ...] = (
    AskSummary(),
    Responses(),
    RecommenderGroups(),
    CycleResponses(),
    RepeatedAsks(),
    TreatyComparison(),
    TreatyGaps(),
    EngagementEvents(),
    ImplementationRecord(),
    DefenderAttacks(),
    StrongestAsks(),
)


def draft_brief(db: Database, request: BriefRequest, today: date | None = None) -> Brief:
    """A brief drafted from the record: every point generated, every point cited."""
    facts = gather(db, request, today)
    say = Phrases(request.lang)
    return Brief(
        title=title_of(facts, say),
        state=facts.state.alpha3,
        request=request,
        drafted_on=facts.today,
        points=[p for generator in GENERATORS for p in generator.points(facts, say)],
    )


def title_of(facts: BriefFacts, say: Phrases) -> str:
    state = say.state(facts.state.alpha3)
    return upper_first(say.say(N_("%(state)s: %(subject)s"), state=state, subject=subject(facts, say)))
