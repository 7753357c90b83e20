"""The 18 core international human rights instruments: facts the project owns, written as code.

Codes follow OHCHR's abbreviations with the protocols hyphenated (``CRC-OP-AC``). ``aliases`` are
the other names met in sources: the file names of the treaty-status tables (``op_crc_ac``,
``opcat``), their README's spellings (``OC-CRC-SC`` is a typo there) and OHCHR's full titles, which
head its ratification exports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rightstrack.engagement.dates import PartialDate
from rightstrack.errors import NotFound


@dataclass(frozen=True)
class Instrument:
    code: str
    name: str
    adopted: PartialDate
    body: str
    """The treaty body that monitors it (the Subcommittee on Prevention of Torture for OP-CAT)."""
    body_name: str
    parent: str | None = None
    """The convention an optional protocol belongs to."""
    aliases: tuple[str, ...] = ()

    @property
    def is_protocol(self) -> bool:
        return self.parent is not None

    def as_dict(self) -> dict[str, str | bool | None]:
        return {
            "code": self.code,
            "name": self.name,
            "adopted": self.adopted.iso,
            "body": self.body,
            "body_name": self.body_name,
            "parent": self.parent,
            "is_protocol": self.is_protocol,
        }


def _d(iso: str) -> PartialDate:
    return PartialDate(iso)


_CERD = "Committee on the Elimination of Racial Discrimination"
_CCPR = "Human Rights Committee"
_CESCR = "Committee on Economic, Social and Cultural Rights"
_CEDAW = "Committee on the Elimination of Discrimination against Women"
_CAT = "Committee against Torture"
_CRC = "Committee on the Rights of the Child"
_CRPD = "Committee on the Rights of Persons with Disabilities"

INSTRUMENTS: tuple[Instrument, ...] = (
    Instrument(
        "ICERD",
        "International Convention on the Elimination of All Forms of Racial Discrimination",
        _d("1965-12-21"),
        "CERD",
        _CERD,
    ),
    Instrument(
        "ICCPR", "International Covenant on Civil and Political Rights", _d("1966-12-16"), "CCPR", _CCPR
    ),
    Instrument(
        "ICCPR-OP1",
        "Optional Protocol to the International Covenant on Civil and Political Rights",
        _d("1966-12-16"),
        "CCPR",
        _CCPR,
        "ICCPR",
        ("iccpr_op1", "ICCPR-OP"),
    ),
    Instrument(
        "ICCPR-OP2",
        "Second Optional Protocol to the International Covenant on Civil and Political Rights, "
        "aiming at the abolition of the death penalty",
        _d("1989-12-15"),
        "CCPR",
        _CCPR,
        "ICCPR",
        ("iccpr_op2", "ICCPR-OP2-DP"),
    ),
    Instrument(
        "ICESCR",
        "International Covenant on Economic, Social and Cultural Rights",
        _d("1966-12-16"),
        "CESCR",
        _CESCR,
    ),
    Instrument(
        "ICESCR-OP",
        "Optional Protocol to the International Covenant on Economic, Social and Cultural Rights",
        _d("2008-12-10"),
        "CESCR",
        _CESCR,
        "ICESCR",
        ("icescr_op", "OP-ICESCR"),
    ),
    Instrument(
        "CEDAW",
        "Convention on the Elimination of All Forms of Discrimination against Women",
        _d("1979-12-18"),
        "CEDAW",
        _CEDAW,
    ),
    Instrument(
        "CEDAW-OP",
        "Optional Protocol to the Convention on the Elimination of All Forms of Discrimination against Women",
        _d("1999-10-06"),
        "CEDAW",
        _CEDAW,
        "CEDAW",
        ("op_cedaw", "OP-CEDAW"),
    ),
    Instrument(
        "CAT",
        "Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment",
        _d("1984-12-10"),
        "CAT",
        _CAT,
    ),
    Instrument(
        "CAT-OP",
        "Optional Protocol to the Convention against Torture and Other Cruel, Inhuman or Degrading "
        "Treatment or Punishment",
        _d("2002-12-18"),
        "SPT",
        "Subcommittee on Prevention of Torture",
        "CAT",
        ("opcat", "OP-CAT"),
    ),
    Instrument("CRC", "Convention on the Rights of the Child", _d("1989-11-20"), "CRC", _CRC),
    Instrument(
        "CRC-OP-AC",
        "Optional Protocol to the Convention on the Rights of the Child on the involvement of "
        "children in armed conflict",
        _d("2000-05-25"),
        "CRC",
        _CRC,
        "CRC",
        ("op_crc_ac", "OP-CRC-AC", "OPAC"),
    ),
    Instrument(
        "CRC-OP-SC",
        "Optional Protocol to the Convention on the Rights of the Child on the sale of children, "
        "child prostitution and child pornography",
        _d("2000-05-25"),
        "CRC",
        _CRC,
        "CRC",
        ("op_crc_sc", "OP-CRC-SC", "OC-CRC-SC", "OPSC"),
    ),
    Instrument(
        "CRC-OP-IC",
        "Optional Protocol to the Convention on the Rights of the Child on a communications procedure",
        _d("2011-12-19"),
        "CRC",
        _CRC,
        "CRC",
        ("op_crc_ic", "OP-CRC-IC", "OPIC"),
    ),
    Instrument(
        "ICMW",
        "International Convention on the Protection of the Rights of All Migrant Workers and "
        "Members of Their Families",
        _d("1990-12-18"),
        "CMW",
        "Committee on Migrant Workers",
        None,
        ("ICRMW", "CMW"),
    ),
    Instrument(
        "CRPD", "Convention on the Rights of Persons with Disabilities", _d("2006-12-13"), "CRPD", _CRPD
    ),
    Instrument(
        "CRPD-OP",
        "Optional Protocol to the Convention on the Rights of Persons with Disabilities",
        _d("2006-12-13"),
        "CRPD",
        _CRPD,
        "CRPD",
        ("op_crpd", "OP-CRPD"),
    ),
    Instrument(
        "CPED",
        "International Convention for the Protection of All Persons from Enforced Disappearance",
        _d("2006-12-20"),
        "CED",
        "Committee on Enforced Disappearances",
        None,
        ("ICPPED",),
    ),
)

CODES: tuple[str, ...] = tuple(i.code for i in INSTRUMENTS)


def _key(text: str) -> str:
    # "op_crc_ac", "OP-CRC-AC" and "Op CRC AC" meet; full titles compare on their words alone.
    return re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()


@lru_cache(maxsize=1)
def _index() -> dict[str, Instrument]:
    found: dict[str, Instrument] = {}
    for instrument in INSTRUMENTS:
        for spelling in (instrument.code, instrument.name, *instrument.aliases):
            key = _key(spelling)
            if found.setdefault(key, instrument) is not instrument:
                raise ValueError(f"{spelling!r} names two instruments")
    return found


def find_instrument(text: str) -> Instrument | None:
    """The instrument a code, alias or full title names; None when it names none."""
    return _index().get(_key(text))


def get_instrument(text: str) -> Instrument:
    found = find_instrument(text)
    if found is None:
        raise NotFound(f"unknown instrument {text!r}; known: {', '.join(CODES)}")
    return found
