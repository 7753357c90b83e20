"""Dates that are only as precise as their source: a year, a month or a day.

Stored as ISO text ("1976", "1976-01", "1976-01-03") with the precision beside it, so that a year
from a coarse table is never mistaken for the 1st of January.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Precision(StrEnum):
    YEAR = "year"
    MONTH = "month"
    DAY = "day"

    @property
    def rank(self) -> int:
        return {"year": 1, "month": 2, "day": 3}[self.value]


_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


@dataclass(frozen=True, order=True)
class PartialDate:
    iso: str

    def __post_init__(self) -> None:
        match = _ISO.fullmatch(self.iso)
        if match is None:
            raise ValueError(f"not a date (YYYY, YYYY-MM or YYYY-MM-DD): {self.iso!r}")
        year, month, day = (int(g) if g else None for g in match.groups())
        # Validates month and day; raises ValueError for 2021-02-30.
        date(year or 1, month or 1, day or 1)

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """ISO forms, or dd/mm/yyyy as OHCHR writes dates; ValueError otherwise."""
        text = text.strip()
        dmy = _DMY.fullmatch(text)
        if dmy:
            day, month, year = (int(g) for g in dmy.groups())
            return cls.of(date(year, month, day))
        return cls(text)

    @classmethod
    def of(cls, value: date) -> PartialDate:
        return cls(value.isoformat())

    @classmethod
    def year_only(cls, year: int) -> PartialDate:
        return cls(f"{year:04d}")

    @property
    def precision(self) -> Precision:
        return (Precision.YEAR, Precision.MONTH, Precision.DAY)[self.iso.count("-")]

    @property
    def year(self) -> int:
        return int(self.iso[:4])

    def refines(self, coarser: PartialDate) -> bool:
        """True when this date is a more precise statement of ``coarser`` (1976-01-03 of 1976)."""
        return self.iso.startswith(coarser.iso) and self.precision.rank > coarser.precision.rank

    def surely_before(self, other: PartialDate) -> bool:
        """True only when this date is before ``other`` at the precision both share (1976 is not
        surely before 1976-05-12)."""
        common = min(len(self.iso), len(other.iso))
        return self.iso[:common] < other.iso[:common]

    def __str__(self) -> str:
        return self.iso


def parse_optional(text: str | None) -> PartialDate | None:
    return PartialDate.parse(text) if text and text.strip() else None
