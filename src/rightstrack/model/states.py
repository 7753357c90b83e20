"""States, and the resolution of the names sources give them.

A name is normalised (HTML entities, curly quotes, accents, case, "&", "St.", a leading "the",
punctuation) and looked up in a table built from ``state_table``; nothing is guessed. The answer
says whether the name is a state, a known territory, a known non-state recommender (or the UPR
Info placeholder for an unknown one), or unknown — and the caller reports unknown names with the
row they came from instead of dropping or approximating them.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from rightstrack.model.state_table import MEMBER_STATES, NON_STATE_ENTITIES, OBSERVER_STATES, TERRITORIES


class RegionalGroup(StrEnum):
    AFRICAN = "African"
    ASIA_PACIFIC = "Asia-Pacific"
    EEG = "EEG"
    GRULAC = "GRULAC"
    WEOG = "WEOG"


@dataclass(frozen=True)
class StateInfo:
    alpha3: str
    alpha2: str
    name: str
    regional_group: RegionalGroup | None
    un_member: bool
    aliases: tuple[str, ...] = ()


class NameKind(StrEnum):
    STATE = "state"
    NON_STATE = "non_state"
    TERRITORY = "territory"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class NameResolution:
    raw: str
    kind: NameKind
    state: StateInfo | None
    label: str
    reason: str | None
    code: str | None = None
    """ISO alpha-3 of a territory or former state, where it has one; the state's alpha-3 for a state."""


STATES: tuple[StateInfo, ...] = tuple(
    StateInfo(a3, a2, name, RegionalGroup(group) if group else None, member, aliases)
    for rows, member in ((MEMBER_STATES, True), (OBSERVER_STATES, False))
    for a3, a2, name, group, aliases in rows
)

UNKNOWN_LABEL = "(unknown)"
UNKNOWN_RECOMMENDER_REASON = "the source gives the recommender as unknown"
UNKNOWN_NAME_REASON = "not a known state, territory or non-state recommender"

# UPR Info writes a recommendation whose author it does not know as "(Unknown)", HTML-escaped in
# its CSV exports ("&#40;Unknown&#41;"); after normalisation all these spellings meet here.
_UNKNOWN_PLACEHOLDERS = frozenset({"unknown", "not known", "unknown state"})

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "′": "'"})
_NOT_WORD = re.compile(r"[^\w]+")
_CODE = re.compile(r"[A-Z]{2,3}")


def normalise(name: str) -> str:
    """The lookup key of a name: equal keys mean the same name, whatever the source's typography."""
    text = html.unescape(name).translate(_APOSTROPHES)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    # Apostrophes join ("People's" -> "peoples", "d'Ivoire" -> "divoire") rather than split words, so
    # that sources which drop them ("Cote dIvoire") meet those which keep them.
    text = text.casefold().replace("&", " and ").replace("'", "")
    words = _NOT_WORD.sub(" ", text).replace("_", " ").split()
    words = ["saint" if w == "st" else w for w in words]
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


def _is_abbreviation(spelling: str) -> bool:
    """Capitalised short forms ("UK", "U.S.", "DPRK") that must only match input written in capitals."""
    bare = spelling.replace(".", "")
    return bare.isalpha() and bare.isupper() and len(bare) <= 6


def _squeeze(key: str) -> str:
    return key.replace(" ", "")


@dataclass(frozen=True)
class _Entry:
    kind: NameKind
    state: StateInfo | None
    label: str
    reason: str | None
    code: str | None


class _Index:
    """Every spelling of every entity, by normalised key; duplicates across entities are errors."""

    def __init__(self) -> None:
        self.names: dict[str, _Entry] = {}
        self.abbreviations: dict[str, _Entry] = {}
        self.codes: dict[str, _Entry] = {}
        squeezed: dict[str, _Entry | None] = {}
        for entry, spellings, codes in self._entities():
            for code in codes:
                self._put(self.codes, code, entry)
            for spelling in spellings:
                if _is_abbreviation(spelling):
                    self._put(self.abbreviations, spelling.replace(".", ""), entry)
                    continue
                key = normalise(spelling)
                self._put(self.names, key, entry)
                # Slugs ("srilanka", "bosniaandherzegovina") name reviews in the parsed UPR reports.
                # A squeezed key shared by two entities is dropped rather than guessed between.
                slug = _squeeze(key)
                squeezed[slug] = entry if squeezed.get(slug, entry) == entry else None
        self.slugs = {slug: entry for slug, entry in squeezed.items() if entry is not None}
        for abbreviation in self.abbreviations:
            if abbreviation in self.codes and self.codes[abbreviation] != self.abbreviations[abbreviation]:
                raise ValueError(f"abbreviation {abbreviation!r} is another entity's ISO code")

    @staticmethod
    def _entities() -> list[tuple[_Entry, tuple[str, ...], tuple[str, ...]]]:
        found: list[tuple[_Entry, tuple[str, ...], tuple[str, ...]]] = []
        for state in STATES:
            entry = _Entry(NameKind.STATE, state, state.name, None, state.alpha3)
            found.append((entry, (state.name, *state.aliases), (state.alpha3, state.alpha2)))
        for alpha3, alpha2, label, reason, aliases in TERRITORIES:
            entry = _Entry(NameKind.TERRITORY, None, label, reason, alpha3)
            codes = tuple(code for code in (alpha3, alpha2) if code)
            found.append((entry, (label, *aliases), codes))
        for label, reason, aliases in NON_STATE_ENTITIES:
            found.append((_Entry(NameKind.NON_STATE, None, label, reason, None), (label, *aliases), ()))
        return found

    @staticmethod
    def _put(table: dict[str, _Entry], key: str, entry: _Entry) -> None:
        if not key:
            raise ValueError(f"empty key for {entry.label!r}")
        if table.setdefault(key, entry) != entry:
            raise ValueError(f"{key!r} names both {table[key].label!r} and {entry.label!r}")


_INDEX = _Index()
_BY_ALPHA3 = {s.alpha3: s for s in STATES}
_UNKNOWN_ENTRY = _Entry(NameKind.NON_STATE, None, UNKNOWN_LABEL, UNKNOWN_RECOMMENDER_REASON, None)


def all_states() -> tuple[StateInfo, ...]:
    return STATES


def state_by_alpha3(code: str) -> StateInfo:
    """The state with this ISO alpha-3 code (any case); KeyError for a code that is not a state's."""
    return _BY_ALPHA3[code.strip().upper()]


def state_names(codes: Iterable[str]) -> list[str]:
    """The UN names of these alpha-3 codes (a code no state has stays as it is)."""
    return [_BY_ALPHA3[code].name if code in _BY_ALPHA3 else code for code in codes]


def resolve_state(name: str) -> StateInfo | None:
    return classify_name(name).state


@lru_cache(maxsize=16384)
def classify_name(name: str) -> NameResolution:
    """What a name in a source stands for; never a guess. Called once per imported row."""
    stripped = html.unescape(name).strip()
    entry = _lookup_code(stripped) if stripped.replace(".", "").isupper() else None
    if entry is None:
        entry = _lookup_key(normalise(stripped))
    if entry is None:
        return NameResolution(name, NameKind.UNKNOWN, None, " ".join(stripped.split()), UNKNOWN_NAME_REASON)
    return NameResolution(name, entry.kind, entry.state, entry.label, entry.reason, entry.code)


def _lookup_code(stripped: str) -> _Entry | None:
    # Codes and capitalised abbreviations count only when written as such: "US" is the United
    # States, "us" is a word; "CAR" is the Central African Republic, "car" is nothing.
    if _CODE.fullmatch(stripped):
        found = _INDEX.codes.get(stripped)
        if found is not None:
            return found
    return _INDEX.abbreviations.get(stripped.replace(".", "").replace(" ", ""))


@lru_cache(maxsize=16384)
def _lookup_key(key: str) -> _Entry | None:
    if key in _UNKNOWN_PLACEHOLDERS:
        return _UNKNOWN_ENTRY
    found = _INDEX.names.get(key)
    if found is None and " " not in key:
        found = _INDEX.slugs.get(key)
    return found
