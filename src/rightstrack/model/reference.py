"""Reference facts the project owns: the mechanisms and the tag families.

They are written to the database by ``Database.sync_reference_data`` on every ``init``, so adding
one here is all it takes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mechanism:
    code: str
    name: str
    kind: str  # "upr", "treaty body", "special procedures"


MECHANISMS: tuple[Mechanism, ...] = (
    Mechanism("UPR", "Universal Periodic Review", "upr"),
    Mechanism("CCPR", "Human Rights Committee", "treaty body"),
    Mechanism("CESCR", "Committee on Economic, Social and Cultural Rights", "treaty body"),
    Mechanism("CAT", "Committee against Torture", "treaty body"),
    Mechanism("SPT", "Subcommittee on Prevention of Torture", "treaty body"),
    Mechanism("CEDAW", "Committee on the Elimination of Discrimination against Women", "treaty body"),
    Mechanism("CRC", "Committee on the Rights of the Child", "treaty body"),
    Mechanism(
        "CRC-OP-AC",
        "Committee on the Rights of the Child (Optional Protocol on children in armed conflict)",
        "treaty body",
    ),
    Mechanism(
        "CRC-OP-SC",
        "Committee on the Rights of the Child (Optional Protocol on the sale of children)",
        "treaty body",
    ),
    Mechanism("CERD", "Committee on the Elimination of Racial Discrimination", "treaty body"),
    Mechanism("CRPD", "Committee on the Rights of Persons with Disabilities", "treaty body"),
    Mechanism("CED", "Committee on Enforced Disappearances", "treaty body"),
    Mechanism("CMW", "Committee on Migrant Workers", "treaty body"),
    Mechanism("SP", "Special procedures of the Human Rights Council", "special procedures"),
)
MECHANISM_CODES = frozenset(m.code for m in MECHANISMS)
_BY_KEY = {key.casefold(): m for m in MECHANISMS for key in (m.code, m.name)}


def find_mechanism(raw: str) -> Mechanism | None:
    """The mechanism a code or a full name stands for ("CCPR", "Human Rights Committee"), or None."""
    return _BY_KEY.get(" ".join(raw.split()).casefold())


@dataclass(frozen=True)
class TagFamily:
    code: str
    name: str
    description: str


ISSUE_FAMILY = "upr_issue"
ACTION_FAMILY = "upr_action"

TAG_FAMILIES: tuple[TagFamily, ...] = (
    TagFamily(ISSUE_FAMILY, "UPR Info issue", "The 54 issues of UPR Info's database."),
    TagFamily(
        ACTION_FAMILY,
        "UPR Info action category",
        "UPR Info's scale of how much action a recommendation asks for, 1 (minimal) to 5 (specific).",
    ),
    TagFamily("uhri_theme", "UHRI theme", "Themes of OHCHR's Universal Human Rights Index."),
    TagFamily("affected_persons", "Affected persons", "Groups of persons concerned (UHRI)."),
    TagFamily("sdg", "Sustainable Development Goal", "SDG goals and targets."),
)

# UPR Info's own names for its five action categories (methodology guide).
ACTION_CATEGORIES: dict[str, str] = {
    "1": "1 - Minimal action",
    "2": "2 - Continuing action",
    "3": "3 - Considering action",
    "4": "4 - General action",
    "5": "5 - Specific action",
}
