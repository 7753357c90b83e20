"""Lists of recommendation numbers in running text, found by a tokenizer in one pass.

Addenda and thematic lists cite recommendations as "122.1, 122.12, 122.17-18", "140.1–140.20",
"1–5, 14 and 16", "5., 6., 7." or "122.34- 35". A single regular expression for such lists needs a
repeated group of optional pieces, which backtracks exponentially on long runs of numbers (a
2025 addendum held the importer for hours). Here one simple pattern finds each number on its own
(constant work per position) and the gaps between consecutive numbers decide, in Python, whether
they belong to one list and whether two of them make a range: linear in the text, whatever it holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

# One number: "122", "122.31" or "5." (an answer's own number). Not inside a symbol ("A/HRC/43/15"),
# a longer number (a year) or a decimal ("3,5").
_NUMBER = re.compile(r"(?<![\w./])(\d{1,3})(?:\.(\d{1,3}))?(?!\d)")
_MAX_GAP = 8  # characters between two numbers of one list: ", and ", " to ", " – "
_DASHES = "-–—‐‑"
_MAX_RANGE = 400


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    group: str | None
    """The paragraph part of "122.31" (None for a bare "31")."""
    item: str

    @property
    def text(self) -> str:
        return f"{self.group}.{self.item}" if self.group else self.item


@dataclass
class NumberList:
    """Consecutive numbers joined by commas, "and", "to" or dashes, as one citation."""

    start: int
    end: int
    tokens: list[Token]
    numbers: list[str] = field(default_factory=list)
    """Every number the list covers, ranges expanded, as written ("122.31" or "31")."""

    @property
    def dotted(self) -> bool:
        """True when the numbers carry their paragraph ("140.7")."""
        return self.tokens[0].group is not None


def _gap_kind(gap: str) -> str | None:
    """How two numbers separated by ``gap`` relate: "range", "next", or None (not one list)."""
    stripped = gap.strip()
    if len(gap) > _MAX_GAP:
        return None
    if stripped and all(c in _DASHES for c in stripped) and len(stripped) == 1:
        return "range"
    if stripped in ("to", ".-", ".–"):
        return "range"
    if stripped in (",", ";", "and", ", and", "&", ".,", ". and", ".;", "or", ", or"):
        return "next"
    return None


def tokens(text: str, start: int = 0, end: int | None = None) -> Iterator[Token]:
    for match in _NUMBER.finditer(text, start, len(text) if end is None else end):
        group, item = (match.group(1), match.group(2)) if match.group(2) else (None, match.group(1))
        yield Token(match.start(), match.end(), group, item)


def number_lists(text: str, start: int = 0, end: int | None = None) -> Iterator[NumberList]:
    """Every list of numbers in ``text[start:end]``, in order; a lone number is a list of one."""
    current: list[Token] = []
    kinds: list[str] = []
    for token in tokens(text, start, end):
        if current:
            kind = _join(text, current[-1], token)
            if kind is not None:
                current.append(token)
                kinds.append(kind)
                continue
            yield _make(current, kinds)
        current, kinds = [token], []
    if current:
        yield _make(current, kinds)


def _join(text: str, previous: Token, token: Token) -> str | None:
    gap = text[previous.end : token.start]
    kind = _gap_kind(gap)
    if kind is None and gap == " " and previous.group and token.group:
        kind = "next"  # a table's number column read as a line: "140.1 140.2"
    if kind == "range" and bool(previous.group) != bool(token.group) and token.group:
        return None  # "5–140.2" is no range
    return kind


def _make(items: list[Token], kinds: list[str]) -> NumberList:
    numbers = [items[0].text]
    for index, kind in enumerate(kinds):
        low, high = items[index], items[index + 1]
        numbers.extend(_expand(low, high)[1:] if kind == "range" else [high.text])
    return NumberList(items[0].start, items[-1].end, items, list(dict.fromkeys(numbers)))


def _expand(low: Token, high: Token) -> list[str]:
    """ "122.30-33", "140.1–140.20", "1–5" → every number between; a nonsense range keeps its ends."""
    if high.group is not None and high.group != low.group:
        return [low.text, high.text]
    first, last = int(low.item), int(high.item)
    if not 0 <= last - first < _MAX_RANGE:
        return [low.text, high.text]
    prefix = f"{low.group}." if low.group else ""
    return [f"{prefix}{n}" for n in range(first, last + 1)]


def expand_list(text: str) -> list[str]:
    """ "1–5, 14, 122.30-33, 140.1–140.20" → every number it covers, as written ("122.31")."""
    found: list[str] = []
    for listed in number_lists(text):
        found.extend(n for n in listed.numbers if n not in found)
    return found
