"""The Issue: what the state was asked, how often, by whom, over which cycles, how it answered, and
the asks it was given again cycle after cycle.

Counts are cited as searches of the record (the citation's link reruns the search and finds the
same figure); repeated asks cite every recommendation in which the ask was made.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rightstrack.brief.cite_corpus import DOCUMENT, RECOMMENDATION, REPEATS, SEARCH
from rightstrack.brief.facts import BriefFacts
from rightstrack.brief.generator import point, subject
from rightstrack.brief.model import Citation, Point, Section
from rightstrack.brief.phrases import Phrases
from rightstrack.brief.repeats import RepeatGroup
from rightstrack.model.states import state_by_alpha3
from rightstrack.store.records import RecordOut
from rightstrack.translation import N_

RESPONSES = ("supported", "supported in part", "noted")
# How each response is counted in a sentence, as one or as several.
_RESPONSE_COUNTS = {
    "supported": (N_("one supported"), N_("%(n)s supported")),
    "supported in part": (N_("one supported in part"), N_("%(n)s supported in part")),
    "noted": (N_("one noted"), N_("%(n)s noted")),
    None: (N_("one without a response"), N_("%(n)s without a response")),
}
_EACH_TIME = {
    "supported": N_("supported each time"),
    "supported in part": N_("supported in part each time"),
    "noted": N_("noted each time"),
    None: N_("without a response each time"),
}
SHOWN_RECOMMENDERS = 4


def response_counts(records: Sequence[RecordOut], say: Phrases) -> str:
    """ "40 supported, 3 supported in part and 12 noted"."""
    counts = Counter(r["response"] if r["response"] in RESPONSES else None for r in records)
    keys: list[str | None] = [*RESPONSES, None]
    return say.join([say.count(*_RESPONSE_COUNTS[k], counts[k]) for k in keys if counts[k]])


def response_citations(
    facts: BriefFacts, say: Phrases, records: Sequence[RecordOut], **narrow: str
) -> list[Citation]:
    counts = Counter(r["response"] for r in records)
    return [
        SEARCH.cite(facts.query, facts.search_filters(**narrow, response=value), counts[value], say)
        for value in RESPONSES
        if counts[value]
    ]


def _years(records: Sequence[RecordOut]) -> list[int]:
    return sorted({r["year"] for r in records if r["year"]})


class AskSummary:
    """How many recommendations, when, from how many states, over how many cycles."""

    name = "ask_summary"
    section = Section.ISSUE

    def points(self, facts: BriefFacts, say: Phrases) -> list[Point]:
        records, state = facts.records, say.state(facts.state.alpha3)
        search = SEARCH.cite(facts.query, facts.filters, len(records), say)
        if not records:
            none = say.say(
                N_("The record holds no recommendation to %(state)s on %(subject)s."),
                state=state,
                subject=subject(facts, say),
            )
            return [point(self, [none], [search])]
        years = _years(records)
        period = (
            say.say(N_("in %(year)s"), year=years[0])
            if len(years) == 1
            else say.say(N_("between %(first)s and %(last)s"), first=years[0], last=years[-1])
        )
        recommenders = {s for r in records for s in r["recommending_states"]}
        cycles = {r["cycle"] for r in records if r["cycle"] is not None}
        text = say.say(
            N_(
                "%(state)s received %(recommendations)s on %(subject)s %(period)s, "
                "from %(states)s, in %(cycles)s."
            ),
            state=state,
            recommendations=say.recommendations(len(records)),
            subject=subject(facts, say),
            period=period,
            states=say.count(N_("one state"), N_("%(n)s states"), len(recommenders)),
            cycles=say.count(N_("one UPR cycle"), N_("%(n)s UPR cycles"), len(cycles)),
        )
        documents = [DOCUMENT.cite(d.sha256, d.symbol, d.title, d.filename) for d in facts.documents]
        return [point(self, [text], [search, *documents])]


class Responses:
    """How the state answered: supported, in part, noted."""

    name = "responses"
    section = Section.ISSUE

    def points(self, facts: BriefFacts, say: Phrases) -> list[Point]:
        records = facts.records
        if not records:
            return []
        supported = sum(r["response"] in ("supported", "supported in part") for r in records)
        text = say.say(
            N_("%(state)s supported %(share)s of them, fully or in part: %(responses)s."),
            state=say.state(facts.state.alpha3),
            share=say.share(supported, len(records)),
            responses=response_counts(records, say),
        )
        search = SEARCH.cite(facts.query, facts.filters, len(records), say)
        return [point(self, [text], [search, *response_citations(facts, say, records)])]


class RecommenderGroups:
    """Who asked: the regional groups of the recommending states, and the states asking most."""

    name = "recommenders"
    section = Section.ISSUE

    def points(self, facts: BriefFacts, say: Phrases) -> list[Point]:
        groups: Counter[str] = Counter()
        states: Counter[str] = Counter()
        for record in facts.records:
            codes = [c for c in record["recommending_states"] if _is_state(c)]
            states.update(codes)
            groups.update({g for c in codes if (g := _group(c))})
        if not states:
            return []
        top_groups = groups.most_common()
        # The states asking most often: those that asked more than once, the first three.
        top_states = [(s, n) for s, n in states.most_common(3) if n > 1]
        values = {
            "groups": say.join(
                [f"{say.label('regional_group', g)} ({say.number(n)})" for g, n in top_groups]
            ),
            "states": say.join([f"{say.state(s)} ({say.number(n)})" for s, n in top_states]),
        }
        text = say.say(
            N_(
                "By regional group, the recommending states were %(groups)s; "
                "the states asking most often were %(states)s."
            )
            if top_states
            else N_("By regional group, the recommending states were %(groups)s."),
            **values,
        )
        citations = [
            *(
                SEARCH.cite(facts.query, facts.search_filters(recommending_group=g), n, say)
                for g, n in top_groups
            ),
            *(
                SEARCH.cite(facts.query, facts.search_filters(recommending_state=s), n, say)
                for s, n in top_states
            ),
        ]
        return [point(self, [text], citations)]


def _is_state(code: str) -> bool:
    try:
        state_by_alpha3(code)
    except KeyError:
        return False
    return True


def _group(code: str) -> str | None:
    group = state_by_alpha3(code).regional_group
    return group.value if group else None


class CycleResponses:
    """When there are several cycles: each cycle's number of asks and answers, side by side."""

    name = "cycles"
    section = Section.ISSUE

    def points(self, facts: BriefFacts, say: Phrases) -> list[Point]:
        by_cycle: dict[int, list[RecordOut]] = {}
        for record in facts.records:
            if record["cycle"] is not None:
                by_cycle.setdefault(record["cycle"], []).append(record)
        if len(by_cycle) < 2:
            return []
        out = []
        for cycle, records in sorted(by_cycle.items()):
            text = say.say(
                N_("UPR cycle %(cycle)s (%(years)s): %(recommendations)s, %(responses)s."),
                cycle=cycle,
                years=", ".join(str(y) for y in _years(records)),
                recommendations=say.count(
                    N_("one recommendation"), N_("%(n)s recommendations"), len(records)
                ),
                responses=response_counts(records, say),
            )
            search = SEARCH.cite(facts.query, facts.search_filters(cycle=str(cycle)), len(records), say)
            out.append(
                point(self, [text], [search, *response_citations(facts, say, records, cycle=str(cycle))])
            )
        return out


def order_repeats(groups: Sequence[RepeatGroup]) -> list[RepeatGroup]:
    """Most cycles first, then asks answered the same way every time, then the most often made."""
    return sorted(
        groups,
        key=lambda g: (-len(g.cycles), -int(len(g.responses) == 1), -len(g.members), -g.latest["id"]),
    )


def recommenders_phrase(codes: Sequence[str], say: Phrases) -> str:
    names = [say.state(c) if _is_state(c) else c for c in codes]
    if len(names) <= SHOWN_RECOMMENDERS:
        return say.join(names)
    rest = len(names) - SHOWN_RECOMMENDERS + 1
    return say.join([*names[: SHOWN_RECOMMENDERS - 1], say.say(N_("%(n)s other states"), n=say.number(rest))])


def repeat_sentence(group: RepeatGroup, facts: BriefFacts, say: Phrases) -> str:
    """ "Recommended in every cycle since 2009 (3 times, by …): noted each time."."""
    cycles = group.cycles
    first_years = {c: min((m["year"] or 0) for m in group.members if m["cycle"] == c) for c in cycles}
    every = [c for c in facts.cycle_years if c >= cycles[0]] == cycles
    values = {
        "times": say.count(N_("once"), N_("%(n)s times"), len(group.members)),
        "states": recommenders_phrase(group.recommenders, say),
        "responses": _responses_over_time(group, first_years, say),
    }
    if every:
        return say.say(
            N_("Recommended in every cycle since %(year)s (%(times)s, by %(states)s): %(responses)s."),
            year=first_years[cycles[0]],
            **values,
        )
    return say.say(
        N_("Recommended in %(years)s (%(times)s, by %(states)s): %(responses)s."),
        years=say.join([str(first_years[c]) for c in cycles]),
        **values,
    )


def _responses_over_time(group: RepeatGroup, first_years: dict[int, int], say: Phrases) -> str:
    if len(group.responses) == 1:
        (only,) = group.responses
        return say.say(_EACH_TIME.get(only, _EACH_TIME[None]))
    return say.join(
        [
            say.say(
                N_("%(responses)s in %(year)s"),
                responses=say.join([say.response(r) for r in sorted(found, key=str)]),
                year=first_years[cycle],
            )
            for cycle, found in sorted(group.responses_by_cycle().items())
        ]
    )


class RepeatedAsks:
    """The asks made again in later cycles: how many, then the most repeated, each quoted."""

    name = "repeated_asks"
    section = Section.ISSUE

    def points(self, facts: BriefFacts, say: Phrases) -> list[Point]:
        groups = order_repeats(facts.repeats)
        if not groups:
            return []
        summary = say.count(
            N_("One of these asks was made again in a later cycle."),
            N_("%(n)s of these asks were made again in a later cycle."),
            len(groups),
        )
        out = [point(self, [summary], [REPEATS.cite(facts.query, facts.filters, len(groups), say)])]
        for group in groups[: facts.request.asks]:
            citations = [RECOMMENDATION.cite(m, say) for m in group.members]
            out.append(
                point(self, [repeat_sentence(group, facts, say)], citations, quote=group.latest["text"])
            )
        return out
