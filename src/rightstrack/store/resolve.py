"""Before anything is written: names → states, mechanisms checked, fingerprints given.

A batch is refused whole if any name does not resolve. Names are resolved once per distinct
spelling (``Resolver`` keeps them), which matters when 300,000 rows name 200 countries.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from rightstrack.errors import ErrorList
from rightstrack.model.records import RecommendationDraft
from rightstrack.model.reference import MECHANISM_CODES
from rightstrack.model.states import NameKind, NameResolution, classify_name

Recommender = tuple[str | None, str, str]  # (alpha3 or None, label, kind)
_MECHANISM_CODE_LENGTH = 40  # schema.mechanisms.code


@dataclass
class Resolved:
    draft: RecommendationDraft
    state: str
    recommenders: list[Recommender]
    fingerprint: str = ""
    review: str = ""
    """Its review's key (``review_key``)."""


def normal_text(text: str) -> str:
    return " ".join(text.split()).casefold()


def review_key(draft: RecommendationDraft, state: str) -> str:
    key = f"{draft.mechanism}:{state}:c{draft.cycle or '-'}:s{draft.session or '-'}"
    # A row that cites its own document (a UHRI export) outside the UPR has no session to tell one
    # review from the next, so its year does; documents imported one by one keep their old keys.
    if draft.symbol and draft.session is None and draft.year:
        key += f":y{draft.year}"
    return key


@dataclass
class Resolver:
    """Resolves the drafts of one import, chunk after chunk, keeping what it learnt."""

    errors: ErrorList
    labels: dict[str, str]
    names: dict[str, NameResolution] = field(default_factory=dict)
    non_state: Counter[str] = field(default_factory=Counter)
    seen: Counter[str] = field(default_factory=Counter)
    new_mechanisms: dict[str, str] = field(default_factory=dict)
    """Special procedures met in this import that the project's list does not hold: code → name."""

    def name(self, raw: str) -> NameResolution:
        found = self.names.get(raw)
        if found is None:
            found = self.names[raw] = classify_name(raw)
        return found

    def resolve(self, drafts: Iterable[RecommendationDraft]) -> list[Resolved]:
        resolved = [r for d in drafts if (r := self._one(d)) is not None]
        self._fingerprint(resolved)
        return resolved

    def _one(self, draft: RecommendationDraft) -> Resolved | None:
        state = self.name(draft.state_under_review)
        if state.kind is not NameKind.STATE or state.state is None:
            self.errors.add(
                f"state under review: {state.reason or 'not a state'}",
                line=draft.line,
                field=self.labels.get("state_under_review", "state_under_review"),
                value=draft.state_under_review,
            )
            return None
        if not self._mechanism_known(draft):
            self.errors.add("unknown mechanism", line=draft.line, field="mechanism", value=draft.mechanism)
            return None
        names: list[Recommender] = []
        for raw in draft.recommenders:
            found = self.name(raw)
            if found.kind is NameKind.UNKNOWN:
                self.errors.add(
                    f"recommending state: {found.reason}",
                    line=draft.line,
                    field=self.labels.get("recommending_states", "recommending_states"),
                    value=raw,
                )
                continue
            alpha3 = found.state.alpha3 if found.state is not None else None
            if found.kind is not NameKind.STATE:
                self.non_state[found.label] += 1
            names.append((alpha3, found.state.name if found.state else found.label, found.kind.value))
        return Resolved(draft, state.state.alpha3, names)

    def _mechanism_known(self, draft: RecommendationDraft) -> bool:
        if draft.mechanism in MECHANISM_CODES:
            return True
        # A draft may bring a special procedure of its own (a mandate named in full).
        if draft.mechanism_name and 0 < len(draft.mechanism) <= _MECHANISM_CODE_LENGTH:
            self.new_mechanisms.setdefault(draft.mechanism, draft.mechanism_name)
            return True
        return False

    def _fingerprint(self, resolved: list[Resolved]) -> None:
        # Identical rows do occur (UPR Info has 4 exact duplicates); the occurrence number keeps them
        # apart. The counter lives as long as the import, so chunks of one file never collide.
        for item in resolved:
            d = item.draft
            review = item.review = review_key(d, item.state)
            cited = f"|d|{d.symbol}" if d.symbol and d.mechanism != "UPR" else ""
            if d.paragraph:
                base = f"{review}{cited}|p|{d.paragraph}"
            else:
                who = "|".join(sorted(label for _, label, _ in item.recommenders))
                base = f"{review}{cited}|t|{normal_text(d.text)}|{who}"
            self.seen[base] += 1
            item.fingerprint = hashlib.sha1(f"{base}|{self.seen[base]}".encode()).hexdigest()
