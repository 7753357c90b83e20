"""TEMPORARY minimal state table (a colleague is writing the full one with this same API)."""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache


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


G = RegionalGroup
STATES: tuple[StateInfo, ...] = (
    StateInfo("BRA", "BR", "Brazil", G.GRULAC, True),
    StateInfo("CAN", "CA", "Canada", G.WEOG, True),
    StateInfo("FRA", "FR", "France", G.WEOG, True),
    StateInfo("USA", "US", "United States of America", G.WEOG, True, ("United States",)),
    StateInfo("IRN", "IR", "Iran (Islamic Republic of)", G.ASIA_PACIFIC, True, ("Iran",)),
    StateInfo("RUS", "RU", "Russian Federation", G.EEG, True),
    StateInfo("CIV", "CI", "Côte d'Ivoire", G.AFRICAN, True),
    StateInfo("VAT", "VA", "Holy See", None, False),
    StateInfo("NOR", "NO", "Norway", G.WEOG, True),
    StateInfo("PSE", "PS", "State of Palestine", G.ASIA_PACIFIC, False, ("Palestine",)),
    StateInfo("PER", "PE", "Peru", G.GRULAC, True),
    StateInfo("CHL", "CL", "Chile", G.GRULAC, True),
    StateInfo("KEN", "KE", "Kenya", G.AFRICAN, True),
    StateInfo("IND", "IN", "India", G.ASIA_PACIFIC, True),
    StateInfo("JPN", "JP", "Japan", G.ASIA_PACIFIC, True),
    StateInfo("MEX", "MX", "Mexico", G.GRULAC, True),
    StateInfo("GHA", "GH", "Ghana", G.AFRICAN, True),
    StateInfo("TCD", "TD", "Chad", G.AFRICAN, True),
    StateInfo("IRL", "IE", "Ireland", G.WEOG, True),
    StateInfo("ALB", "AL", "Albania", G.EEG, True),
    StateInfo("SWE", "SE", "Sweden", G.WEOG, True),
    StateInfo("DEU", "DE", "Germany", G.WEOG, True),
    StateInfo("FIN", "FI", "Finland", G.WEOG, True),
    StateInfo("AUS", "AU", "Australia", G.WEOG, True),
    StateInfo("MAR", "MA", "Morocco", G.AFRICAN, True),
    StateInfo("PHL", "PH", "Philippines", G.ASIA_PACIFIC, True),
    StateInfo("ESP", "ES", "Spain", G.WEOG, True),
)


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", html.unescape(name)).encode("ascii", "ignore").decode()
    return " ".join(text.casefold().replace("&", " and ").replace("'", "").split())


_INDEX = {_key(n): s for s in STATES for n in (s.name, *s.aliases)}


def all_states() -> tuple[StateInfo, ...]:
    return STATES


@lru_cache(maxsize=4096)
def classify_name(name: str) -> NameResolution:
    key = _key(name)
    if key in {"(unknown)", "unknown"}:
        return NameResolution(
            name, NameKind.NON_STATE, None, "(unknown)", "the source gives the recommender as unknown"
        )
    found = _INDEX.get(key)
    if found:
        return NameResolution(name, NameKind.STATE, found, found.name, None)
    return NameResolution(
        name, NameKind.UNKNOWN, None, name, "not a known state, territory or non-state recommender"
    )
