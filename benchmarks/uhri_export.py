"""A synthetic UHRI export for the benchmarks: the format of OHCHR's "Export to Excel" (its column
names and quirks) with realistic sizes and a realistic mix, generated from a seed and cached.

Texts: median about 350 characters, a long tail to 3,000 (log-normal); 35% UPR, 45% treaty bodies,
20% special procedures; 1-4 themes, 0-3 groups of affected persons, 0-3 SDGs per row. Words, themes
and mandates are made up: no rows are copied from a real export.
"""

from __future__ import annotations

import math
import random
from itertools import accumulate
from pathlib import Path

from rightstrack.ingest.uhri import (
    ANNOTATION,
    BODY,
    COUNTRIES,
    DATE,
    PERSONS,
    POSITION,
    RECOMMENDERS,
    SDGS,
    SESSION,
    SYMBOL,
    TEXT,
    THEMES,
)
from rightstrack.model.states import all_states

CACHE = Path.home() / ".cache" / "rightstrack-bench"
# The importer's own column names (OHCHR's spellings), in an order of their own, plus two it ignores.
_FIRST: tuple[str, ...] = (ANNOTATION, "Annotation Type", TEXT, COUNTRIES, "Regions", BODY, SYMBOL, DATE)
HEADER = (*_FIRST, THEMES, PERSONS, SDGS, SESSION, RECOMMENDERS, POSITION)
TREATY_BODIES = (
    "CCPR",
    "CESCR",
    "CEDAW",
    "CAT",
    "SPT",
    "CRC",
    "CRC-OP-AC",
    "CRC-OP-SC",
    "CERD",
    "CMW",
    "CRPD",
    "CED",
)
_TOPICS = (
    "right to food",
    "right to health",
    "right to education",
    "adequate housing",
    "safe drinking water",
    "freedom of expression",
    "peaceful assembly",
    "human rights defenders",
    "torture",
    "extreme poverty",
    "violence against women",
    "independence of judges",
    "trafficking in persons",
    "sale of children",
    "migrants",
    "indigenous peoples",
    "minority issues",
    "persons with albinism",
    "older persons",
    "arbitrary detention",
    "enforced disappearances",
    "summary executions",
    "toxic substances",
    "privacy",
    "cultural rights",
    "foreign debt",
    "racism",
    "countering terrorism",
    "environment",
    "leprosy",
    "slavery",
    "truth and justice",
    "international solidarity",
    "democratic order",
    "unilateral coercive measures",
    "sexual orientation and gender identity",
    "mercenaries",
    "business and human rights",
    "people of African descent",
    "discrimination against women",
)
_VOCABULARY = (
    "ensure adopt measures national legislation implement effective protection rights persons "
    "access justice guarantee strengthen policies women children discrimination combat prevent "
    "investigate allegations accountability victims remedies resources institutions monitoring "
    "independent compliance international obligations consider ratify convention protocol "
    "review legal framework education health services rural areas minorities violence police "
    "detention conditions prison overcrowding training officials awareness campaigns data "
    "collection disaggregated budget allocation civil society participation consultation"
)
_WORDS = tuple(_VOCABULARY.split(" "))
_THEMES = (*(f"Theme {t}" for t in _TOPICS), "Equality & non-discrimination", "Death penalty")
_PERSONS = (
    "General",
    "Women & girls",
    "Children",
    "Persons with disabilities",
    "Migrants",
    "Refugees & asylum seekers",
    "Indigenous peoples",
    "Minorities",
    "Human rights defenders",
    "Persons deprived of their liberty",
    "Older persons",
    "LGBTI persons",
    "Journalists",
    "Rural women",
    "Persons living in poverty",
)
_SDGS = tuple(f"{n} - Goal {n}" for n in range(1, 18))
_POSITIONS = ("- Supported", "- Noted", "- Supported/Noted", "")


def _listed(values: list[str]) -> str:
    return "\n".join(f"- {v}" for v in values)


def _vocabulary(size: int = 6000, seed: int = 5) -> tuple[list[str], list[float]]:
    """Words with Zipf-like frequencies, as in real text: the common words above, then made-up
    ones of 3-12 letters; the n-th word is drawn with weight 1/n. (With only the common words,
    every text would hold almost every word and a word search would match every row.)"""
    rng = random.Random(seed)
    made_up = {"".join(rng.choices("abcdefghijklmnoprstuvw", k=rng.randint(3, 12))) for _ in range(size)}
    words = [*_WORDS, *sorted(made_up - set(_WORDS))]
    return words, [1 / n for n in range(1, len(words) + 1)]


_ZIPF_WORDS, _ZIPF_WEIGHTS = _vocabulary()
_CUMULATIVE = list(accumulate(_ZIPF_WEIGHTS))


def _text(rng: random.Random) -> str:
    # Log-normal with median 350 and a tail: about 1 row in 200 is longer than 2,000 characters.
    length = min(3000, max(40, int(math.exp(rng.gauss(math.log(350), 0.6)))))
    words: list[str] = []
    size = 0
    while size < length:
        batch = rng.choices(_ZIPF_WORDS, cum_weights=_CUMULATIVE, k=16)
        words.extend(batch)
        size += sum(len(w) + 1 for w in batch)
    return " ".join(words).capitalize()[:length].rstrip() + "."


def row(n: int, rng: random.Random, states: list[str]) -> list[object]:
    country = rng.choice(states)
    pick = rng.random()
    session = upr_states = position = ""
    if pick < 0.35:
        session_no = rng.randint(1, 50)
        year = 2008 + (session_no - 1) * 17 // 50
        body, symbol = "UPR", f"A/HRC/{7 + session_no}/{rng.randint(10, 99)}"
        text = f"{rng.randint(90, 160)}.{rng.randint(1, 250)} {_text(rng)}"
        session = f"- {session_no}th session" if rng.random() < 0.7 else f"- Session {session_no}"
        upr_states = _listed(rng.sample(states, rng.randint(1, 3)))
        position = rng.choice(_POSITIONS)
    elif pick < 0.80:
        year = rng.randint(2006, 2024)
        body = rng.choice(TREATY_BODIES)
        symbol = f"{body}/C/{country[:3].upper()}/CO/{rng.randint(1, 9)}"
        prefix = f"{rng.randint(5, 80)}. " if rng.random() < 0.6 else f"({'abcdefg'[rng.randint(0, 6)]}) "
        text = prefix + _text(rng)
    else:
        year = rng.randint(2006, 2024)
        body = f"{rng.choice(('SR on', 'IE on', 'WG on'))} {rng.choice(_TOPICS)}"
        symbol = f"A/HRC/{rng.randint(10, 58)}/{rng.randint(10, 70)}/Add.{rng.randint(1, 3)}"
        text = _text(rng)
    serial = (year - 1900) * 365 + year // 4 - 460 + rng.randint(0, 360)  # a day of that year
    return [
        f"{n:08d}-uhri",
        "- Recommendation",
        text,
        f"- {country}",
        "- Some region",
        f"- {body}",
        f"- {symbol}",
        serial,
        _listed(rng.sample(_THEMES, rng.randint(1, 4))),
        _listed(rng.sample(_PERSONS, rng.randint(0, 3))),
        _listed(rng.sample(_SDGS, rng.randint(0, 3))),
        session,
        upr_states,
        position,
    ]


def export(rows: int, seed: int = 17) -> Path:
    """The cached export of that size and seed (written once, in a few minutes, with openpyxl)."""
    from openpyxl import Workbook

    path = CACHE / f"uhri-v2-{rows}-{seed}.xlsx"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    states = [s.name for s in all_states() if s.un_member]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Export")
    sheet.append(list(HEADER))
    for n in range(rows):
        sheet.append(row(n, rng, states))
    partial = path.with_suffix(".partial.xlsx")
    book.save(partial)
    partial.rename(path)
    return path
