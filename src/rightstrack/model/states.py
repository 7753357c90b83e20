"""States and the resolution of the names sources give them.

Resolution normalises a name (accents, case, "&", "St.", a leading "the", punctuation, HTML
entities) and looks it up; it never guesses. A name is a state, a known territory, a known
non-state recommender (or the UPR Info placeholder for an unknown one), or unknown — and unknown
names are reported to the user with the row they came from.
"""

from __future__ import annotations

import html
import re
import unicodedata
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
    """ISO alpha-3 of a territory, where it has one."""


STATES: tuple[StateInfo, ...] = tuple(
    StateInfo(a3, a2, name, RegionalGroup(group) if group else None, member, aliases)
    for rows, member in ((MEMBER_STATES, True), (OBSERVER_STATES, False))
    for a3, a2, name, group, aliases in rows
)
_BY_ALPHA3 = {s.alpha3: s for s in STATES}
_BY_ALPHA2 = {s.alpha2: s for s in STATES}
UNKNOWN_LABEL = "(unknown)"
_UNKNOWN_PLACEHOLDERS = {"unknown", "(unknown)", "not known", "n/a"}
_PUNCTUATION = re.compile(r"[^\w\s()]")
_SAINT = re.compile(r"\bst\b\.?")


def normalise(name: str) -> str:
    text = html.unescape(name).replace("’", "'").replace("‘", "'").replace("`", "'")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").casefold()
    text = text.replace("&", " and ").replace("'", "")
    text = _SAINT.sub("saint", text)
    text = _PUNCTUATION.sub(" ", text)
    text = " ".join(text.split())
    if text.startswith("the "):
        text = text[4:]
    return text.replace("( ", "(").replace(" )", ")")


def _index() -> dict[str, NameResolution]:
    found: dict[str, NameResolution] = {}
    for code, label, aliases in TERRITORIES:
        for spelling in (label, *aliases):
            found[normalise(spelling)] = NameResolution(
                spelling, NameKind.TERRITORY, None, label, "a territory, not a state", code
            )
    for label, aliases in NON_STATE_ENTITIES:
        for spelling in (label, *aliases):
            found[normalise(spelling)] = NameResolution(
                spelling, NameKind.NON_STATE, None, label, "an organisation, not a state"
            )
    for state in STATES:
        for spelling in (state.name, *state.aliases):
            if _is_code(spelling):
                continue  # abbreviations ("UK", "DRC") count only when written in capitals
            resolution = NameResolution(spelling, NameKind.STATE, state, state.name, None)
            found[normalise(spelling)] = resolution
            # Some data sets write names as slugs ("srilanka", "costarica"); spaces never tell two
            # states apart, so the squeezed form is as exact as the spelled-out one.
            found.setdefault(_squeeze(normalise(spelling)), resolution)
    return found


def _is_code(spelling: str) -> bool:
    return spelling.replace(".", "").isupper() and len(spelling) <= 6


_ABBREVIATIONS = {a.replace(".", ""): s for s in STATES for a in s.aliases if _is_code(a)}


def _squeeze(key: str) -> str:
    return "sq:" + key.replace(" ", "")


_INDEX = _index()
_ABBREVIATIONS.update({a: s for a, s in _BY_ALPHA2.items()})
_ABBREVIATIONS.update(_BY_ALPHA3)


def all_states() -> tuple[StateInfo, ...]:
    return STATES


def state_by_alpha3(code: str) -> StateInfo:
    return _BY_ALPHA3[code.upper()]


def resolve_state(name: str) -> StateInfo | None:
    return classify_name(name).state


@lru_cache(maxsize=8192)
def classify_name(name: str) -> NameResolution:
    stripped = html.unescape(name).strip()
    # Codes are taken only when written as codes (upper case): "US" is a code, "us" is not a name.
    coded = _ABBREVIATIONS.get(stripped.replace(".", "")) if stripped.replace(".", "").isupper() else None
    if coded is not None:
        return NameResolution(name, NameKind.STATE, coded, coded.name, None)
    key = normalise(stripped)
    if key in _UNKNOWN_PLACEHOLDERS:
        return NameResolution(
            name, NameKind.NON_STATE, None, UNKNOWN_LABEL, "the source gives the recommender as unknown"
        )
    found = _INDEX.get(key) or _INDEX.get(_squeeze(key))
    if found is not None:
        return NameResolution(name, found.kind, found.state, found.label, found.reason, found.code)
    return NameResolution(
        name, NameKind.UNKNOWN, None, stripped, "not a known state, territory or non-state recommender"
    )
