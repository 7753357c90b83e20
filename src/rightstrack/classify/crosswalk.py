"""Crosswalk from UPR Info's 54 issues to OHCHR's UHRI themes, UHRI affected persons and SDG goals.

These are facts the project owns: a hand-made, reviewed table, not learned from data. UHRI theme
and affected-person names follow OHCHR's thematic lists of recommendations (as in Slovenia's
cycle 2 and 3 lists); SDGs are goal numbers ("16"), following the SDG targets OHCHR links to
each theme (e.g. trafficking: 5.2, 8.7, 16.2). Where UHRI has no one obvious counterpart
(UPR Info's "Other", "General", "International instruments" for SDGs) the entry stays empty rather
than guess. Measured against Slovenia's lists in benchmarks/classify_crosswalk.py: with only 378
recommendations of one state the evidence is thin, so treat the table as a starting point for
people to confirm, and the mapped tags as suggestions ("predicted"), never as facts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Crosswalk:
    themes: tuple[str, ...] = ()
    persons: tuple[str, ...] = ()
    sdgs: tuple[str, ...] = ()


_MINORITIES = "minorities/ racial, ethnic, linguistic, religious or descent-based groups"
_LGBTI = "lesbian, gay, bisexual and transgender and intersex persons (LGBTI)"
_POLICE = "Law enforcement / police & prison officials"

ISSUE_CROSSWALK: dict[str, Crosswalk] = {
    "Asylum-seekers - refugees": Crosswalk(
        ("Refugees & asylum seekers",), ("refugees & asylum seekers",), ("10",)
    ),
    "CP rights - general": Crosswalk(
        ("Civil & political rights - general measures of implementation",), (), ("16",)
    ),
    "Civil society": Crosswalk(
        ("Cooperation and meaningful consultation with civil society & participation",),
        ("Civil society",),
        ("16",),
    ),
    "Corruption": Crosswalk(("Good governance & corruption",), (), ("16",)),
    "Counter-terrorism": Crosswalk(("Human rights & counter-terrorism",), (), ("16",)),
    "Death penalty": Crosswalk(("Death penalty",), (), ("16",)),
    "Detention": Crosswalk(
        ("Conditions of detention", "Arbitrary arrest & detention"),
        ("Persons deprived of their liberty & detainees",),
        ("16",),
    ),
    "Development": Crosswalk(
        ("Right to development", "Inter-State cooperation & development assistance"), (), ("17",)
    ),
    "Disabilities": Crosswalk(
        ("Persons with disabilities: definition, general principles",),
        ("persons with disabilities",),
        ("10",),
    ),
    "ESC rights - general": Crosswalk(
        ("Economic, social & cultural rights - general measures of implementation",)
    ),
    "Elections": Crosswalk(("Right to participate in public affairs & right to vote",), (), ("16",)),
    "Enforced disappearances": Crosswalk(("Enforced disappearances",), ("disappeared persons",), ("16",)),
    "Environment": Crosswalk(("Human rights & the environment",), (), ("13",)),
    "Extrajudicial executions": Crosswalk(("Extrajudicial, summary or arbitrary executions",), (), ("16",)),
    "Freedom of association and peaceful assembly": Crosswalk(
        ("Freedom of association", "Right to peaceful assembly"), (), ("16",)
    ),
    "Freedom of movement": Crosswalk(("Freedom of movement",), (), ("16",)),
    "Freedom of opinion and expression": Crosswalk(
        ("Freedom of opinion & expression & right to information",), (), ("16",)
    ),
    "Freedom of religion and belief": Crosswalk(
        ("Freedom of thought, conscience and religion",), (), ("16",)
    ),
    "Freedom of the press": Crosswalk(
        ("Freedom of opinion & expression & right to information",), ("media",), ("16",)
    ),
    "General": Crosswalk(("Institutions & policies - General",), ("general",)),
    "HIV - Aids": Crosswalk(("Right to health",), ("persons living with HIV/AIDS",), ("3",)),
    "Human rights defenders": Crosswalk(("Human rights defenders",), ("human rights defenders",), ("16",)),
    "Human rights education and training": Crosswalk(
        ("Human rights education, trainings & awareness raising",), (), ("4",)
    ),
    "Human rights violations by state agents": Crosswalk(("Impunity & transparency",), (_POLICE,), ("16",)),
    "Impunity": Crosswalk(("Impunity & transparency",), (), ("16",)),
    "Indigenous peoples": Crosswalk(("Indigenous peoples",), ("indigenous peoples",), ("10",)),
    "Internally displaced persons": Crosswalk(
        ("Internally displaced persons",), ("internally displaced persons",), ("10",)
    ),
    "International humanitarian law": Crosswalk(
        (
            "International criminal & humanitarian law"
            " (including crimes against humanity, war crimes, genocide)",
        ),
        (),
        ("16",),
    ),
    "International instruments": Crosswalk(("Acceptance of international norms",)),
    "Justice": Crosswalk(
        ("Administration of justice & fair trial",), ("judges, lawyers and prosecutors",), ("16",)
    ),
    "Labour": Crosswalk(
        ("Right to work and to just & favorable conditions of work & labour rights",), (), ("8",)
    ),
    "Migrants": Crosswalk(("Migrants",), ("Migrants & domestic workers",), ("10",)),
    "Minorities": Crosswalk(("Members of minorities",), (_MINORITIES,), ("10",)),
    "NHRI": Crosswalk(("National Human Rights Institution (NHRI)",), (), ("16",)),
    "National plan of action": Crosswalk(("National Plans of Action on Human Rights (or specific areas)",)),
    "Other": Crosswalk(),
    "Poverty": Crosswalk(("Human rights & poverty",), ("persons living in poverty",), ("1",)),
    "Public security": Crosswalk((), (_POLICE,), ("16",)),
    "Racial discrimination": Crosswalk(("Racial discrimination",), (_MINORITIES,), ("10",)),
    "Right to education": Crosswalk(("Right to education",), (), ("4",)),
    "Right to food": Crosswalk(("Right to food",), (), ("2",)),
    "Right to health": Crosswalk(("Right to health",), (), ("3",)),
    "Right to housing": Crosswalk(("Right to adequate housing",), (), ("11",)),
    "Right to land": Crosswalk(("Land & property rights",), (), ("1",)),
    "Right to water": Crosswalk(("Human rights & drinking water & sanitation",), (), ("6",)),
    "Rights of the Child": Crosswalk(
        ("Children: definition; general principles; protection",), ("children",)
    ),
    "Sexual Orientation and Gender Identity": Crosswalk(
        ("Lesbian, gay, bisexual and transgender and intersex persons (LGBTI)",), (_LGBTI,), ("10",)
    ),
    "Special procedures": Crosswalk(("Cooperation with special procedures",)),
    "Technical assistance and cooperation": Crosswalk(
        ("Inter-State cooperation & development or humanitarian assistance",), (), ("17",)
    ),
    "Torture and other CID treatment": Crosswalk(
        ("Prohibition of torture & cruel, inhuman or degrading treatment",), (), ("16",)
    ),
    "Trafficking": Crosswalk(("Prohibition of slavery, trafficking",), (), ("5", "8", "16")),
    "Treaty bodies": Crosswalk(("Cooperation with treaty bodies",)),
    "UPR process": Crosswalk(("Follow-up to Universal Periodic Review (UPR)",)),
    "Women's rights": Crosswalk(("Discrimination against women",), ("women",), ("5",)),
}

_CODE = re.compile(r"^[A-Z]\d+\s+")
_SPACES = re.compile(r"\s+")


def normalise_name(name: str) -> str:
    """Compare UHRI names across cycles: codes ("A12 "), "&"/"and", case and " - general" ignored."""
    text = _CODE.sub("", name.strip()).lower().replace("&", " and ")
    text = _SPACES.sub(" ", text).strip()
    return (
        text.removesuffix(" - general")
        .removesuffix("-general")
        .removesuffix(" -general")
        .removesuffix("- general")
    )


def normalise_sdg(name: str) -> str:
    """ "16 - PEACE, JUSTICE AND STRONG INSTITUTIONS" -> "16"."""
    match = re.match(r"\d{1,3}", name.strip())
    return match.group(0) if match else name.strip()


@dataclass(frozen=True, slots=True)
class MappedTags:
    themes: frozenset[str]
    persons: frozenset[str]
    sdgs: frozenset[str]


def map_issues(issues: Iterable[str]) -> MappedTags:
    """UHRI themes, affected persons (normalised names) and SDG goals implied by UPR Info issues."""
    themes: set[str] = set()
    persons: set[str] = set()
    sdgs: set[str] = set()
    for issue in issues:
        entry = ISSUE_CROSSWALK.get(issue)
        if entry is None:
            continue
        themes.update(normalise_name(t) for t in entry.themes)
        persons.update(normalise_name(p) for p in entry.persons)
        sdgs.update(entry.sdgs)
    return MappedTags(frozenset(themes), frozenset(persons), frozenset(sdgs))
