"""Responses in a report's addendum (``…/Add.1``): lists, ranges and paragraph-by-paragraph prose.

Three shapes are read, in this order of authority:

* statements with lists and ranges under a heading or in a sentence: "accepts the recommendations
  1–5, 14–16", "notes recommendations 122.30-33", "Noted recommendations: 140.1–140.20";
* table rows or lines "122.1 … Supported" / "115.3 Noted";
* one answer per number: "1. Slovenia accepts the recommendation.", "5., 6., 7. … accepts these
  recommendations", where the wording decides (accepts → supported, cannot accept / notes →
  noted, both → supported in part).

Bare numbers ("recommendation 14") are returned as such; :func:`resolve_numbers` maps them onto
the report's paragraphs ("115.14").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rightstrack.ingest.undocs.text import DocumentText
from rightstrack.model.records import Response


@dataclass(frozen=True)
class Position:
    response: Response
    source: str
    """Where it was read: "A/HRC/28/15/Add.1 para 3, page 2"."""


_DASH = r"\s*[–—‐‑\-]\s*"
_NUMBER = r"\d{1,3}(?:\.\s?\d{1,3})?(?!\d)"
_LIST = re.compile(rf"{_NUMBER}(?:(?:{_DASH}|\s*,\s*|\s*,?\s*and\s+|\s+to\s+){_NUMBER})*")
_HEADING = re.compile(
    r"(?P<part>(?:partially|partly)\s+(?:accepted|supported)|supported in part|accepted in part)|"
    r"(?P<noted>\bnoted recommendations|recommendations?\s+(?:that\s+are\s+)?noted|not accepted|"
    r"(?:does|do|can)\s*not\s+(?:accept|support|enjoy)|cannot\s+(?:accept|support)|\bnotes\b|\brejects?\b|"
    r"did not enjoy)|"
    r"(?P<yes>\baccepted recommendations|\baccepts?\b|\bsupports?\b|enjoys? the support|"
    r"\bsupported\b|\baccepted\b)",
    re.IGNORECASE,
)


_STATEMENT = re.compile(
    rf"(?P<verb>{_HEADING.pattern})[^.:;]{{0,120}}?recommendations?\s*"
    r"(?:Nos?\.?|numbers?|contained in paragraphs?)?\s*"
    rf"(?:[:(]\s*)?(?P<list>{_LIST.pattern})",
    re.IGNORECASE,
)
_PASSIVE = re.compile(
    rf"recommendations?\s+(?P<list>{_LIST.pattern})\s*(?:above\s*)?,?\s*"
    r"(?:are|is|were|was|have been|has been)?\s*"
    rf"(?P<verb>{_HEADING.pattern})",
    re.IGNORECASE,
)


def _kind(match: re.Match[str]) -> Response:
    if match.group("part"):
        return Response.SUPPORTED_IN_PART
    if match.group("noted"):
        return Response.NOTED
    return Response.SUPPORTED


def expand_list(text: str) -> list[str]:
    """ "1–5, 14, 122.30-33, 140.1–140.20" → every number it covers, as written ("122.31")."""
    numbers: list[str] = []
    for part in re.split(r"\s*,\s*|\s*,?\s*\band\b\s*", text.strip()):
        part = part.strip()
        if not part:
            continue
        pieces = re.split(rf"{_DASH}|\s+to\s+", part)
        if len(pieces) == 2:
            low, high = (p.replace(" ", "").rstrip(".") for p in pieces)
            if "." in low:
                group, _, first = low.partition(".")
                last = high.rpartition(".")[2] if "." in high else high
            else:
                group, first, last = "", low, high
            if first.isdigit() and last.isdigit() and 0 <= int(last) - int(first) < 400:
                prefix = f"{group}." if group else ""
                numbers.extend(f"{prefix}{n}" for n in range(int(first), int(last) + 1))
                continue
        numbers.append(part.replace(" ", "").rstrip("."))
    return numbers


def parse_addendum(doc: DocumentText, symbol: str | None) -> dict[str, Position]:
    """Every response the addendum gives, keyed by the number as the addendum writes it."""
    flat = doc.flat
    found: dict[str, Position] = {}

    def where(offset: int) -> str:
        page = doc.page_at(offset)
        return f"{symbol or doc.source}" + (f", page {page}" if page else "")

    # 1. Lists after a position word: "accepts the (following) recommendations 1–5, 14–16 …".
    for match in _STATEMENT.finditer(flat):
        verb = _HEADING.match(match.group("verb"))
        if verb is None:
            continue
        response = _kind(verb)
        numbers = expand_list(match.group("list"))
        if len(numbers) == 1 and re.match(r"\.\s+[A-Z]", flat[match.end() : match.end() + 3]):
            continue  # a heading followed by a paragraph number: "Accepted recommendations 3. The …"
        for number in numbers:
            found.setdefault(number, Position(response, where(match.start())))
    # 2. "Recommendations 122.1, 122.4 … enjoy / do not enjoy the support of X".
    for match in _PASSIVE.finditer(flat):
        verb = _HEADING.match(match.group("verb"))
        if verb is None:
            continue
        for number in expand_list(match.group("list")):
            found.setdefault(number, Position(_kind(verb), where(match.start())))
    listed = found
    found = _answers_per_number(flat, where)
    primary, extra = (listed, found) if len(listed) >= len(found) else (found, listed)
    for number, position in extra.items():
        primary.setdefault(number, position)
    return primary


# In per-number answers a number is "12." or "111.12", never "12. 13" (two answers in a row).
_TIGHT = r"\d{1,3}(?:\.\d{1,3})?(?!\d)"
_ANSWER = re.compile(rf"(?<![\d.–\-\w])(?P<nums>(?:{_TIGHT}\.?,?\s*(?:and\s+)?)+?)\s+(?=[A-Z])")
_CONTINUED = re.compile(r"(?<![\w.,])((?:\d{1,3}\.,?\s+)+)")
_AHEAD = 5  # how far an answer may skip ahead of the next expected number


def _answers_per_number(flat: str, where: Callable[[int], str]) -> dict[str, Position]:
    """ "12. Slovenia accepts the recommendation …": one answer per number or list of numbers.

    Answers mostly come in order; a table's number column may list "77., 78., 79., 82.," and wrap
    the rest ("83., 85.") into the answer's text, then answer 80 and 81 afterwards. So an answer is
    taken when its first number is the next one, one skipped earlier, or a few ahead; a list ending
    in a comma takes the numbers that continue it inside the answer."""
    entries: list[tuple[int, int, list[str]]] = []
    expected, skipped, seen = 1, set[int](), set[int]()
    for match in _ANSWER.finditer(flat):
        numbers = [n.rstrip(".") for n in re.findall(_TIGHT + r"\.?", match.group("nums"))]
        if not numbers or not numbers[0].replace(".", "").isdigit():
            continue
        first = _last_part(numbers[0])
        ahead = _AHEAD if entries else 0  # the answers start at 1: a document's own "3." is not one
        if first in seen or not (first in skipped or expected <= first <= expected + ahead):
            continue
        entries.append((match.start(), match.end(), numbers))
        expected = _advance(numbers, expected, skipped, seen)
    found: dict[str, Position] = {}
    for index, (start, body, numbers) in enumerate(entries):
        end = entries[index + 1][0] if index + 1 < len(entries) else len(flat)
        text = flat[body:end]
        if flat[start:body].rstrip().endswith(","):
            text, more = _continuation(text, _last_part(numbers[-1]))
            numbers = numbers + more
        answer_response = prose_response(text)
        if answer_response is not None:
            for number in numbers:
                found.setdefault(number, Position(answer_response, where(start)))
    return found


def _last_part(number: str) -> int:
    return int(number.rpartition(".")[2])


def _advance(numbers: list[str], expected: int, skipped: set[int], seen: set[int]) -> int:
    """Record the numbers an answer covers; the next expected number."""
    values = {_last_part(n) for n in numbers}
    seen |= values
    skipped -= values
    top = max(values)
    skipped |= set(range(expected, top)) - seen
    return max(expected, top + 1)


def _continuation(text: str, last: int) -> tuple[str, list[str]]:
    """The numbers continuing a wrapped list ("… in the light of the 83., 85., 87. decision …"),
    and the text without them."""
    match = _CONTINUED.search(text)
    if match is None:
        return text, []
    more = re.findall(r"\d{1,3}", match.group(1))
    if not all(last < int(n) <= last + 20 for n in more):
        return text, []
    return text[: match.start()] + text[match.end() :], more


_ACCEPT = re.compile(r"\baccept(?:s|ed)?\b|\bsupport(?:s|ed)?\b|\bagrees?\b", re.IGNORECASE)
_REFUSE = re.compile(
    r"cannot (?:accept|support|make a definitive)|can ?not,? at this point|not (?:in a position to )?accept|"
    r"\bnotes? (?:the|this|these) recommendations?|\breject|\bnoted\b(?!\s+that\b)|not planning|not support|"
    r"cannot make a definitive",
    re.IGNORECASE,
)


def prose_response(text: str) -> Response | None:
    """The position a free-text answer takes; None when it takes none that can be read."""
    refused = _REFUSE.search(text)
    cleaned = _REFUSE.sub(" ", text)
    accepted = _ACCEPT.search(cleaned)
    if re.search(r"partially|in part\b", text, re.IGNORECASE) and accepted:
        return Response.SUPPORTED_IN_PART
    if accepted and refused:
        return Response.SUPPORTED_IN_PART
    if refused:
        return Response.NOTED
    if accepted:
        return Response.SUPPORTED
    return None


def resolve_numbers(positions: dict[str, Position], paragraphs: list[str]) -> dict[str, Position]:
    """Key responses by the report's paragraph numbers: "14" becomes the 14th recommendation
    ("115.14") when the addendum numbers them without the group paragraph."""
    known = set(paragraphs)
    single_group = len({p.partition(".")[0] for p in paragraphs}) == 1
    resolved: dict[str, Position] = {}
    for number, position in positions.items():
        if number in known:
            resolved[number] = position
        elif single_group and number.isdigit() and 0 < int(number) <= len(paragraphs):
            resolved.setdefault(paragraphs[int(number) - 1], position)
    return resolved
