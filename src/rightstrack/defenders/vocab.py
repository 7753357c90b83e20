"""Controlled vocabularies for defender cases: HURIDOCS "Events" terms plus our extensions.

HURIDOCS codes (micro-thesaurus 4, "Types of acts", and friends) are referred to by code and term;
the extension codes start with ``X-`` because MT 4 has no term for criminalisation, SLAPPs, smear
campaigns or spyware (see docs/SECURITY.md and the DEFENDERS-MODEL notes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from rightstrack.errors import InvalidInput

ACT_TYPES: dict[str, str] = {
    "010101000000": "Deliberate killing",
    "010101020000": "Extra-judicial execution",
    "010101040000": "Politically-motivated killing by non-state agent(s)",
    "010106010000": "Death in detention or police custody",
    "010109000000": "Attempted killing",
    "020101000000": "Physical assault",
    "020102000000": "Sexual violation",
    "020103000000": "Psychological assault, harassment",
    "020103010000": "Threats",
    "020103020000": "Death threats",
    "020103030000": "Surveillance",
    "020103040000": "Stalking",
    "020111110000": "Torture",
    "030101000000": "Arrest",
    "030102000000": "Detention, imprisonment",
    "030103000000": "Disappearance",
    "030104000000": "Abduction, kidnapping",
    "030105000000": "House arrest",
    "040101000000": "Illegal search, raid",
    "050106000000": "Restriction on travel",
    "050102000000": "Exile",
    "100101000000": "Censorship",
    "120101000000": "Closure of an office",
    "120103000000": "Banning of a group",
    "130107000000": "Confiscation of property",
    "140101000000": "Defamation",
    "350114000000": "Denial of the right to fair trial",
    # Extensions (ours): the main attacks on defenders that MT 4 cannot express.
    "X-CRIM": "Criminalisation, judicial harassment",
    "X-SLAPP": "Strategic lawsuit against public participation (SLAPP)",
    "X-SMEAR": "Smear or stigmatisation campaign",
    "X-DIGI-SPY": "Targeted spyware",
    "X-DIGI-ACCT": "Account compromise",
    "X-ONLINE-HAR": "Online harassment",
    "X-DISMISS": "Dismissal, professional reprisal",
    "X-REPRISAL-UN": "Reprisal for cooperating with the UN or a regional body",
    # Extensions for imported killings whose circumstances MT 4's deliberate-killing terms miss.
    "X-KILLED-CROSSFIRE": "Killed in crossfire",
    "X-KILLED-ASSIGNMENT": "Killed on a dangerous assignment",
    "X-KILLED-UNSTATED": "Killed, circumstances not stated by the source",
}
KILLING = "010101000000"


class DefenderStatus(StrEnum):
    """SDG 16.10.1's three statuses plus the profiles the issue asks for."""

    HRD = "human_rights_defender"
    JOURNALIST = "journalist_or_media_worker"
    TRADE_UNIONIST = "trade_unionist"
    LAWYER = "lawyer"
    COMMUNITY_LEADER = "community_leader"
    ENVIRONMENTAL_LAND = "environmental_land_defender"
    INDIGENOUS = "indigenous_defender"
    WOMAN = "woman_defender"
    LGBTI = "lgbti_defender"


PERPETRATOR_TYPES: dict[str, str] = {
    "state.executive.national": "National-level officials",
    "state.executive.local": "Local government officials",
    "state.armed_forces": "Armed forces",
    "state.police": "Police",
    "state.prison": "Prison officials",
    "state.intelligence": "Intelligence agency, secret service",
    "state.judiciary": "Judiciary",
    "state.legislative": "Legislative",
    "nonstate.paramilitary": "Paramilitary forces",
    "nonstate.death_squad": "Vigilante groups, death squads, hired killers",
    "nonstate.opposition": "Opposition or guerrilla forces",
    "nonstate.private_army": "Warlords, private armies, private military actors",
    "nonstate.security_guards": "Private security guards",
    "nonstate.mob": "Civilian crowd or mob",
    "nonstate.organised_crime": "Organised crime",
    "nonstate.political_group": "Political group",
    "private.powerful_individuals": "Private individuals in a position of power",
    "commercial.corporation": "Corporations",
    "commercial.landowners": "Landowners, ranchers",
    "other": "Others",
    "unknown": "Unknown",
}


COUNTING_UNITS = (
    "individual",
    "family",
    "group_organisation",
    "community",
    "social_group",
    "people_in_general",
)
DEGREES_OF_INVOLVEMENT = (
    "directly_carried_out",
    "gave_orders",
    "planned",
    "passive_accomplice",
    "confirmed_present",
    "suspected",
    "failure_to_protect",
    "other",
    "unknown",
)
VIOLATION_STATUSES = ("confirmed", "likely", "possible", "unlikely", "unknown")


class Sensitivity(StrEnum):
    PUBLIC = "public"
    INTERNAL = "internal"
    RESTRICTED = "restricted"
    SOURCE_PROTECTED = "source_protected"


class Consent(StrEnum):
    """How far a source lets what it told us travel (DEFENDERS-MODEL, Information.consent_to_share)."""

    NONE = "none"
    INTERNAL = "internal"
    UN_MECHANISMS = "un_mechanisms"
    PUBLIC_ANONYMISED = "public_anonymised"


MECHANISMS: dict[str, str] = {
    "UN_SP_COMMUNICATION": "UN special procedures communication",
    "IACHR_PM": "IACHR precautionary measure",
    "DIPLOMATIC_ACTION": "Embassy or diplomatic action",
    "NHRI_COMPLAINT": "National human rights institution complaint",
    "DOMESTIC_PROTECTION_MECHANISM": "Domestic protection mechanism",
}
UN_COMMUNICATION_TYPES = {"UA": "urgent appeal", "AL": "allegation letter", "OL": "other letter"}
IACHR_STATUSES = (
    "requested",
    "granted",
    "extended",
    "modified",
    "follow_up",
    "partially_lifted",
    "lifted",
    "rejected",
)
CHAIN_TYPES = ("is_consequence_of", "follows", "precedes", "causes", "reprisal_for_cooperation")
MONITORING_STATUSES = ("active", "pending", "not_active")


class Precision(StrEnum):
    """MT 48 "Type of date" plus ``exact`` (ours)."""

    EXACT = "exact"
    UNKNOWN_DAY = "unknown_day"
    UNKNOWN_MONTH_AND_DAY = "unknown_month_and_day"
    ESTIMATE = "estimate"


_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


@dataclass(frozen=True)
class FuzzyDate:
    """A date that carries its precision: ``2021`` is a year, ``2021-05`` a month."""

    value: str
    precision: Precision

    @classmethod
    def parse(cls, text: str, *, estimate: bool = False) -> FuzzyDate:
        found = _DATE.match(text.strip())
        if not found:
            raise InvalidInput(f"a date is YYYY, YYYY-MM or YYYY-MM-DD, not {text!r}")
        precision = (
            Precision.EXACT
            if found.group(3)
            else Precision.UNKNOWN_DAY
            if found.group(2)
            else Precision.UNKNOWN_MONTH_AND_DAY
        )
        return cls(text.strip(), Precision.ESTIMATE if estimate else precision)

    @property
    def year(self) -> int:
        return int(self.value[:4])

    def coarsened(self) -> str:
        """What public outputs show: the month at most."""
        return self.value[:7]


def check_code(value: str, allowed: dict[str, str] | tuple[str, ...] | set[str], what: str) -> str:
    if value not in allowed:
        raise InvalidInput(f"unknown {what} {value!r}")
    return value
