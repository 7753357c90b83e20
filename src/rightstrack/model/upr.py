"""Facts about the UPR calendar: which cycle a Working Group session belongs to, and its year."""

from __future__ import annotations

from itertools import pairwise

# Working Group sessions per cycle: 1-12, 13-26, 27-40, 41-54 (OHCHR's UPR calendar).
_CYCLE_FIRST_SESSION = (1, 13, 27, 41, 55)

# Year in which each Working Group session met (OHCHR session pages).
_SESSION_YEAR = {
    1: 2008,
    2: 2008,
    3: 2008,
    4: 2009,
    5: 2009,
    6: 2009,
    7: 2010,
    8: 2010,
    9: 2010,
    10: 2011,
    11: 2011,
    12: 2011,
    13: 2012,
    14: 2012,
    15: 2013,
    16: 2013,
    17: 2013,
    18: 2014,
    19: 2014,
    20: 2014,
    21: 2015,
    22: 2015,
    23: 2015,
    24: 2016,
    25: 2016,
    26: 2016,
    27: 2017,
    28: 2017,
    29: 2018,
    30: 2018,
    31: 2018,
    32: 2019,
    33: 2019,
    34: 2019,
    35: 2020,
    36: 2020,
    37: 2021,
    38: 2021,
    39: 2021,
    40: 2022,
    41: 2022,
    42: 2023,
    43: 2023,
    44: 2023,
    45: 2024,
    46: 2024,
    47: 2024,
    48: 2025,
    49: 2025,
    50: 2025,
}


def cycle_of_session(session: int) -> int | None:
    for cycle, (first, after) in enumerate(pairwise(_CYCLE_FIRST_SESSION), start=1):
        if first <= session < after:
            return cycle
    return None


def year_of_session(session: int) -> int | None:
    return _SESSION_YEAR.get(session)
