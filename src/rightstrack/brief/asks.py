"""Recommendations: the strongest asks to put to the government, chosen from the recommendations
themselves and quoted word for word with their document and paragraph.

An ask scores for how specific an action it asks for (UPR Info's action category, 5 = specific),
for being made again cycle after cycle, for having been noted rather than supported, and for being
still not implemented by the account of a tracking workspace; one a workspace reports fully
implemented is not put forward. Repeated asks count once, in their latest wording.
"""

from __future__ import annotations

from dataclasses import dataclass

from rightstrack.brief.cite_corpus import RECOMMENDATION, review_of
from rightstrack.brief.cite_tracking import COMMITMENT
from rightstrack.brief.facts import BriefFacts
from rightstrack.brief.generator import point
from rightstrack.brief.issue import recommenders_phrase
from rightstrack.brief.model import Citation, Point, Section
from rightstrack.brief.phrases import Phrases
from rightstrack.brief.repeats import RepeatGroup
from rightstrack.model.reference import ACTION_FAMILY
from rightstrack.store.records import RecordOut
from rightstrack.translation import N_

_OPEN = ("not_implemented", "partially")
_ACTIONS = {
    1: N_("UPR Info action category 1 (minimal action)."),
    2: N_("UPR Info action category 2 (continuing action)."),
    3: N_("UPR Info action category 3 (considering action)."),
    4: N_("UPR Info action category 4 (general action)."),
    5: N_("UPR Info action category 5 (specific action)."),
}
_STATUSES = {
    "not_implemented": N_("not implemented"),
    "partially": N_("partially implemented"),
}


@dataclass(frozen=True)
class Candidate:
    record: RecordOut  # the latest wording
    group: RepeatGroup | None
    tracked: list[tuple[str, str, int, str]]  # workspace slug, name, commitment id, status

    @property
    def action(self) -> int | None:
        for tag in self.record["tags"].get(ACTION_FAMILY, []):
            if tag["provenance"] != "rejected" and tag["name"][:1].isdigit():
                return int(tag["name"][:1])
        return None

    @property
    def score(self) -> tuple[int, int, int]:
        cycles = len(self.group.cycles) if self.group else 1
        noted = self.record["response"] == "noted"
        still_open = any(status in _OPEN for *_, status in self.tracked)
        strength = 2 * (self.action or 3) + 3 * (cycles - 1) + 2 * noted + 3 * still_open
        return (strength, self.record["year"] or 0, self.record["id"])


def candidates(facts: BriefFacts) -> list[Candidate]:
    tracked: dict[int, list[tuple[str, str, int, str]]] = {}
    for access, items in facts.published:
        for item in items:
            tracked.setdefault(int(item["recommendation_id"]), []).append(
                (access.slug, str(access.workspace["name"]), int(item["id"]), str(item["status"]))
            )
    grouped = {m["id"]: g for g in facts.repeats for m in g.members}
    seen_groups: set[int] = set()
    seen_texts: set[str] = set()
    found = []
    for record in facts.records:
        group = grouped.get(record["id"])
        record = group.latest if group else record
        text = " ".join(record["text"].split()).casefold().rstrip(" .;")
        if (group and id(group) in seen_groups) or text in seen_texts:
            continue
        seen_texts.add(text)
        if group:
            seen_groups.add(id(group))
        members = group.members if group else (record,)
        found.append(Candidate(record, group, [t for m in members for t in tracked.get(m["id"], [])]))
    return [c for c in found if not any(status == "fully" for *_, status in c.tracked)]


class StrongestAsks:
    name = "strongest_asks"
    section = Section.RECOMMENDATIONS

    def points(self, facts: BriefFacts, say: Phrases) -> list[Point]:
        chosen = sorted(candidates(facts), key=lambda c: c.score, reverse=True)[: facts.request.asks]
        return [self._point(c, facts, say) for c in chosen]

    def _point(self, candidate: Candidate, facts: BriefFacts, say: Phrases) -> Point:
        record = candidate.record
        sentences = [
            say.say(
                N_("Recommended by %(states)s (%(review)s); %(response)s."),
                states=recommenders_phrase(record["recommending_states"], say),
                review=review_of(record, say),
                response=say.response(record["response"]),
            )
        ]
        members = candidate.group.members if candidate.group else (record,)
        if candidate.group:
            earlier = sorted({m["year"] for m in members if m["year"] and m["cycle"] != record["cycle"]})
            sentences.append(
                say.say(N_("Also asked in %(years)s."), years=say.join([str(y) for y in earlier]))
            )
        if candidate.action in _ACTIONS:
            sentences.append(say.say(_ACTIONS[candidate.action]))
        citations: list[Citation] = [RECOMMENDATION.cite(m, say) for m in reversed(members)]
        for slug, name, commitment, status in candidate.tracked:
            if status in _STATUSES:
                sentences.append(
                    say.say(
                        N_("%(workspace)s reports it %(status)s."),
                        workspace=name,
                        status=say.say(_STATUSES[status]),
                    )
                )
                citations.append(COMMITMENT.cite(slug, name, commitment, say))
        return point(self, sentences, citations, quote=record["text"])
