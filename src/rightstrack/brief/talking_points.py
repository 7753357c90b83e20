"""Talking points: facts about the state's engagement that a reader can check, each cited.

Treaty ratification beside the peers named in the request (counts cite each state's stored status
and the data files they come from; gaps cite the status line of each instrument), engagement
events (their own citations), what tracking workspaces publish on implementation (their public
records), and the public aggregates of attacks on defenders (the public report's cells).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from rightstrack.brief.cite_corpus import DOCUMENT
from rightstrack.brief.cite_engagement import EVENT, TREATY_COUNT, TREATY_STATUS
from rightstrack.brief.cite_tracking import COMMITMENT, DEFENDERS, WORKSPACE
from rightstrack.brief.facts import DEFENDER_DIMENSIONS, BriefFacts
from rightstrack.brief.generator import point
from rightstrack.brief.model import Citation, Point, Section
from rightstrack.brief.phrases import Phrases
from rightstrack.engagement.instruments import CODES
from rightstrack.translation import N_

MAX_EVENTS = 6
MAX_ACT_TYPES = 5


def _sign(n: int) -> int:
    return (n > 0) - (n < 0)


def _named(summary: dict[str, Any], say: Phrases) -> str:
    return f"{say.state(summary['alpha3'])} ({say.number(summary['party_count'])})"


class _TreatyPoints:
    """Points about treaty status: none when no status of the state is stored."""

    name = ""
    section = Section.TALKING_POINTS

    def points(self, facts: BriefFacts, say: Phrases) -> list[Point]:
        if facts.compared is None:
            return []
        own, *peers = facts.compared["states"]
        return self.write(facts, own, peers, say)

    def write(
        self, facts: BriefFacts, own: dict[str, Any], peers: list[dict[str, Any]], say: Phrases
    ) -> list[Point]:
        raise NotImplementedError


class TreatyComparison(_TreatyPoints):
    """How many of the 18 core instruments the state is party to, beside its peers."""

    name = "treaty_comparison"

    def write(
        self, facts: BriefFacts, own: dict[str, Any], peers: list[dict[str, Any]], say: Phrases
    ) -> list[Point]:
        sentences = [
            say.say(
                N_("%(state)s is party to %(count)s of the %(total)s core human rights instruments."),
                state=say.state(own["alpha3"]),
                count=say.number(own["party_count"]),
                total=len(CODES),
            )
        ]
        for template, sign in (
            (N_("That is fewer than %(peers)s."), 1),
            (N_("That is as many as %(peers)s."), 0),
            (N_("That is more than %(peers)s."), -1),
        ):
            chosen = [_named(p, say) for p in peers if _sign(p["party_count"] - own["party_count"]) == sign]
            if chosen:
                sentences.append(say.say(template, peers=say.join(chosen, alternatives=True)))
        unknown = [
            f"{say.state(s['alpha3'])} ({say.number(len(s['unknown']))})"
            for s in (own, *peers)
            if s["unknown"]
        ]
        if unknown:
            sentences.append(
                say.say(N_("Instruments with no stored status: %(details)s."), details=say.join(unknown))
            )
        compared = {own["alpha3"], *(p["alpha3"] for p in peers)}
        documents = {
            s.sha256: DOCUMENT.cite(s.sha256, s.symbol, s.title, s.filename)
            for (state, _), s in sorted(facts.treaty_sources.items())
            if state in compared
        }
        counts = [TREATY_COUNT.cite(s, say) for s in (own, *peers)]
        return [point(self, sentences, [*counts, *documents.values()])]


class TreatyGaps(_TreatyPoints):
    """The instruments the state is not party to, and those its peers have joined and it has not."""

    name = "treaty_gaps"

    def write(
        self, facts: BriefFacts, own: dict[str, Any], peers: list[dict[str, Any]], say: Phrases
    ) -> list[Point]:
        state = say.state(own["alpha3"])
        out = []
        # Only what a stored status says: an instrument with no status is not said to be lacking.
        known = [c for c in own["lacks"] if c not in own["unknown"]]
        signed, other = own["signed_only"], [c for c in known if c not in own["signed_only"]]
        sentences = []
        if signed:
            sentences.append(
                say.say(
                    N_("%(state)s has signed but not ratified %(instruments)s."),
                    state=state,
                    instruments=say.join(signed),
                )
            )
        if other:
            sentences.append(
                say.say(
                    N_("%(state)s is not party to %(instruments)s."), state=state, instruments=say.join(other)
                )
            )
        if sentences:
            out.append(point(self, sentences, self._cite(facts, say, [own["alpha3"]], known)))
        gaps = Counter({c: sum(c in p["parties"] for p in peers) for c in known})
        for code, parties in gaps.most_common(facts.request.asks):
            if parties * 2 < len(peers) or not parties:
                continue
            joined = [p["alpha3"] for p in peers if code in p["parties"]]
            text = say.count(
                N_("%(peers)s is a party to the %(instrument)s; %(state)s is not."),
                N_("%(peers)s are parties to the %(instrument)s; %(state)s is not."),
                len(joined),
                peers=say.states(joined),
                instrument=code,
                state=state,
            )
            out.append(point(self, [text], self._cite(facts, say, [own["alpha3"], *joined], [code])))
        return out

    @staticmethod
    def _cite(facts: BriefFacts, say: Phrases, states: list[str], codes: list[str]) -> list[Citation]:
        sources = facts.treaty_sources
        return [TREATY_STATUS.cite(sources[s, c], say) for c in codes for s in states if (s, c) in sources]


# How an event of each kind is told; kinds not listed are told by their label and description.
EVENT_SENTENCES = {
    "withdrawal": N_("%(state)s withdrew from %(target)s (%(date)s)."),
    "upr_non_participation": N_("%(state)s did not take part in its UPR review (%(date)s)."),
    "upr_participation": N_("%(state)s took part in its UPR review (%(date)s)."),
    "midterm_report": N_("%(state)s submitted a UPR mid-term report (%(date)s)."),
    "overdue_report": N_("A report of %(state)s under the %(target)s is overdue (%(date)s)."),
    "withholding": N_("%(state)s withheld funding from %(target)s (%(date)s)."),
    "contribution": N_("%(state)s contributed to %(target)s (%(date)s)."),
    "sanctions_on_staff": N_("%(state)s imposed sanctions on %(target)s (%(date)s)."),
    "standing_invitation": N_(
        "%(state)s extended a standing invitation to the special procedures (%(date)s)."
    ),
    "special_procedure_visit": N_("A special procedure visited %(state)s: %(target)s (%(date)s)."),
    "hrc_membership": N_("%(state)s was a member of the Human Rights Council (%(date)s to %(end)s)."),
}
_ONGOING_MEMBERSHIP = N_("%(state)s has been a member of the Human Rights Council since %(date)s.")
_OTHER_EVENT = N_("%(event)s: %(description)s (%(date)s).")


class EngagementEvents:
    """The state's recorded engagement events, most recent first."""

    name = "events"
    section = Section.TALKING_POINTS

    def points(self, facts: BriefFacts, say: Phrases) -> list[Point]:
        recent = sorted(facts.events, key=lambda e: (e["date"], e["id"]), reverse=True)[:MAX_EVENTS]
        return [point(self, [self._sentence(e, say)], [EVENT.cite(e, say)]) for e in recent]

    @staticmethod
    def _sentence(event: dict[str, Any], say: Phrases) -> str:
        values = {
            "state": say.state(event["state"]),
            "target": event["target"] or "",
            "date": say.date(event["date"], event["date_precision"]),
            "end": say.date(event["end_date"], event["end_precision"]) if event["end_date"] else "",
            "event": say.label("event_kind", event["kind"]),
            "description": event["description"],
        }
        template = EVENT_SENTENCES.get(event["kind"], _OTHER_EVENT)
        if event["kind"] == "hrc_membership" and not event["end_date"]:
            template = _ONGOING_MEMBERSHIP
        return say.say(template, **values)


_STATUS_COUNTS = {
    "fully": (N_("one fully implemented"), N_("%(n)s fully implemented")),
    "partially": (N_("one partially implemented"), N_("%(n)s partially implemented")),
    "not_implemented": (N_("one not implemented"), N_("%(n)s not implemented")),
    "unknown": (N_("one of unknown status"), N_("%(n)s of unknown status")),
    "unassessed": (N_("one not assessed yet"), N_("%(n)s not assessed yet")),
}


def _statuses(assessments: list[dict[str, Any]], say: Phrases) -> str:
    """Counts of statuses, the most frequent first: "2 not implemented and one fully implemented"."""
    counts = Counter(str(a["status"]) for a in assessments)
    return say.join([say.count(*_STATUS_COUNTS[s], n) for s, n in counts.most_common()])


class ImplementationRecord:
    """What tracking workspaces publish about these recommendations: status, disputed claims,
    asks made again although the earlier one was not implemented."""

    name = "implementation"
    section = Section.TALKING_POINTS

    def points(self, facts: BriefFacts, say: Phrases) -> list[Point]:
        out = []
        for access, items in facts.published:
            name = str(access.workspace["name"])
            text = say.say(
                N_(
                    "%(workspace)s publishes the implementation of %(n)s of these recommendations: "
                    "%(statuses)s."
                ),
                workspace=name,
                n=say.number(len(items)),
                statuses=_statuses([{"status": i["status"]} for i in items], say),
            )
            sentences = [text, *self._claim_and_view(items, say)]
            cited = [WORKSPACE.cite(access.slug, name, say)]
            for template, flagged in (
                (
                    (
                        N_("On one of them, an independent assessment disputes the government's claim."),
                        N_("On %(n)s of them, an independent assessment disputes the government's claim."),
                    ),
                    [i for i in items if i["disputed"]],
                ),
                (
                    (
                        N_("One was recommended again although the earlier ask was not fully implemented."),
                        N_(
                            "%(n)s were recommended again although the earlier ask was not fully implemented."
                        ),
                    ),
                    [i for i in items if i["repeated_not_implemented"]],
                ),
            ):
                if flagged:
                    sentences.append(say.count(*template, len(flagged)))
                    cited += [COMMITMENT.cite(access.slug, name, int(i["id"]), say) for i in flagged]
            out.append(point(self, sentences, cited))
        return out

    @staticmethod
    def _claim_and_view(items: list[dict[str, Any]], say: Phrases) -> list[str]:
        """The government's claims beside the independent assessments, never merged."""
        claims = [i["claim"] for i in items if i["claim"]]
        views = [i["independent"] for i in items if i["independent"]]
        if not claims or not views:
            return []
        return [
            say.say(
                N_("The government's claims: %(claims)s; independent assessments: %(views)s."),
                claims=_statuses(claims, say),
                views=_statuses(views, say),
            )
        ]


class DefenderAttacks:
    """The state's cells of the public report on attacks against defenders. That report counts an
    act only in a group of at least five public acts (act type, country, year), and does not say
    how many it left out: the point says the rule, never what the rule hid."""

    name = "defenders"
    section = Section.TALKING_POINTS

    def points(self, facts: BriefFacts, say: Phrases) -> list[Point]:
        shown = sorted(facts.defenders, key=lambda r: -int(r["count"]))
        if not shown:
            return []
        shown = shown[:MAX_ACT_TYPES]
        sentences = [
            say.say(
                N_("The public record of attacks on human rights defenders counts, for %(state)s: %(acts)s."),
                state=say.state(facts.state.alpha3),
                acts=say.join(
                    [f"{say.label('act_type', r['act_type'])} ({say.number(r['count'])})" for r in shown]
                ),
            )
        ]
        sentences.append(say.say(N_("Smaller counts are withheld, as in the public report.")))
        return [point(self, sentences, [DEFENDERS.cite(DEFENDER_DIMENSIONS, r, say) for r in shown])]
