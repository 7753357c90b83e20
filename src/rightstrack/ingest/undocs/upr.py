"""Recommendations of a UPR Working Group report, one per numbered UN paragraph.

The unit is the UN paragraph ("92.1", or item 1 of paragraph 111 in cycle-1 reports, numbered
"111.1"): it carries the number that the response addendum, the thematic list and the UN's own
count ("215 recommendations") refer to. A paragraph may hold several asks, each closed by its
own bracket of states ("Ratify X (Slovakia, Spain); consider ratifying X (Costa Rica);"); they
are kept as :class:`Clause` objects, and the paragraph's recommenders are the union of theirs,
in order. UPR Info (and the reference parse) count clauses instead; callers that want that unit
use ``split_clauses``.

Both layouts are read: cycle 1, where recommendations are grouped under paragraphs that state
the response ("enjoy the support of X", "will be examined by X", "did not enjoy the support"),
items numbered 1, 2, … inside each; and later cycles, with items numbered "N.1", "N.2", …
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from rightstrack.ingest.budget import reached
from rightstrack.ingest.undocs.names import parse_recommenders
from rightstrack.ingest.undocs.text import DocumentText
from rightstrack.model.records import Response

# The patterns read DocumentText.flat, where every run of whitespace is one space: " " and " ?"
# stand for it, so no two quantifiers ever compete for the same characters.
_SECTION = re.compile(r"conclusions and(?: ?/ ?| )or recommendations", re.IGNORECASE)
_SECTION_END = re.compile(
    r"\bAnnex\b|Composition of (?:the )?delegation|\* ?\* ?(?:The )?conclusions|All conclusions and/or",
    re.IGNORECASE,
)
_NOTED = re.compile(
    r"did not enjoy|do not enjoy|does not enjoy|not (?:been )?(?:accepted|supported)|\brejected\b|"
    r"cannot (?:accept|support)|could not (?:accept|support)|not in a position to (?:accept|support)|"
    r"(?:were|are|have been|was) noted|\bnoted by\b|will (?:thus |therefore )?be noted|cannot be accepted|"
    r"\bnoted the (?:following )?recommendations",
    re.IGNORECASE,
)
_IMPLEMENTED = re.compile(
    r"already (?:been )?implemented|in the process of (?:being )?implement", re.IGNORECASE
)
_SUPPORTED = re.compile(
    r"enjoys? (?:the )?support|enjoyed (?:the )?support|\baccepted\b|\bsupports?\b", re.IGNORECASE
)
_PENDING = re.compile(
    r"will be examined|will examine|will (?:provide|give) (?:its )?responses?|will respond", re.IGNORECASE
)


@dataclass
class Clause:
    text: str
    recommenders: list[str]


@dataclass
class Paragraph:
    """One numbered recommendation of a report."""

    number: str
    text: str
    clauses: list[Clause]
    offset: int
    page: int | None
    group: str
    response: Response | None = None
    """What the report itself says of the group it stands in (cycle-1 layout); None = pending."""
    implemented: bool = False
    recommenders: list[str] = field(default_factory=list)


def group_response(intro: str) -> tuple[Response | None, bool]:
    """The response a group's introduction announces, and whether it says "already implemented"."""
    head = intro[:600]
    if _NOTED.search(head):
        return Response.NOTED, False
    if _IMPLEMENTED.search(head):
        return Response.SUPPORTED, True
    if _PENDING.search(head):
        return None, False
    if _SUPPORTED.search(head):
        return Response.SUPPORTED, False
    return None, False


def _section_start(flat: str) -> int:
    for match in _SECTION.finditer(flat):
        after = flat[match.end() : match.end() + 120]
        before = flat[max(0, match.start() - 12) : match.start()].lower()
        if "..." in after or "…" in after or re.match(r"[ *]{0,8}\d{1,3} ?[–-] ?\d{1,3}", after):
            continue  # the table of contents
        if re.search(r"(?:all|the|its|of|on) ?\Z", before) or after.lstrip().startswith("contained"):
            continue
        return match.start()
    return 0


_TOP = re.compile(r"(?<![\d.,/\-–])\b(\d{1,3})\.(?!\d) ?(?=[A-Z\"“‘'(])")
_DOTTED = re.compile(r"(?<![\d.,/])\b(\d{1,3})\. ?(\d{1,3})(?!\d)(?:\.(?!\d))? ?(?=\S)")
_PLAIN = re.compile(r"(?<![\d.,/\-–])\b(\d{1,3})\.(?!\d) ?(?=[A-Za-z\"“‘'(])")
_INTRO_READ = 300  # characters after a number that tell an introduction from an item


class _Index:
    """Where each number stands, found in one pass: "N." at the start of a sentence (top-level
    paragraphs), "N.M" (dotted items) and "M." (cycle-1 items). Looking a number up is a bisection,
    so a report with thousands of numbers, in whatever order, costs no more than one with ten."""

    def __init__(self, flat: str, start: int) -> None:
        self.flat = flat
        self.top = _positions([(m.start(), m.end(), int(m.group(1))) for m in _TOP.finditer(flat, start)])
        self.dotted_by_group: dict[int, list[tuple[int, int, int]]] = {}
        for m in _DOTTED.finditer(flat, start):
            self.dotted_by_group.setdefault(int(m.group(1)), []).append((m.start(), m.end(), int(m.group(2))))
        self.plain_all = [(m.start(), m.end(), int(m.group(1))) for m in _PLAIN.finditer(flat, start)]
        self.plain = _positions(self.plain_all)

    def dotted(self, group: int) -> dict[int, list[tuple[int, int]]]:
        return _positions(self.dotted_by_group.get(group, []))


def _positions(found: list[tuple[int, int, int]]) -> dict[int, list[tuple[int, int]]]:
    """{number: [(start, end), …]} in document order."""
    table: dict[int, list[tuple[int, int]]] = {}
    for begin, end, key in found:
        table.setdefault(key, []).append((begin, end))
    return table


def _first_in(found: list[tuple[int, int, int]], start: int, limit: int) -> tuple[int, int, int] | None:
    """The first (start, end, number) at or after ``start`` that ends by ``limit``."""
    index = bisect.bisect_left(found, (start, -1, -1))
    return found[index] if index < len(found) and found[index][1] <= limit else None


def _first_at(spans: list[tuple[int, int]], cursor: int, limit: int) -> tuple[int, int] | None:
    index = bisect.bisect_left(spans, (cursor, -1))
    return spans[index] if index < len(spans) and spans[index][1] <= limit else None


def _next_top(index: _Index, number: int, start: int) -> tuple[int, int] | None:
    """Where top-level paragraph ``number`` starts: the first "N." that reads like a paragraph
    introducing recommendations (an item of the previous group may carry the same number)."""
    spans = index.top.get(number, [])
    first = bisect.bisect_left(spans, (start, -1))
    for begin, end in spans[first:]:
        reached(f"paragraph {number}")
        if _looks_like_intro(index.flat[end : end + _INTRO_READ]):
            return begin, end
    return spans[first] if first < len(spans) else None


_ABOVE = re.compile(
    r" ?\d{1,3}\. (?:All )?(?:the )?(?:recommendations (?:listed |made )?above|"
    r"above(?:-mentioned)? recommendations)[^.]{0,200}\.",
    re.IGNORECASE,
)


def _response_after(flat: str, end: int) -> tuple[Response | None, bool]:
    """A response given after the list: "69. The recommendations listed above enjoy the support of
    Ghana." (the group's own introduction having said nothing)."""
    sentence = _ABOVE.match(flat, end)
    return group_response(sentence.group(0)) if sentence else (None, False)


def _looks_like_intro(text: str) -> bool:
    head = text[:300]
    listed = re.search(r": ?1\. ", head)
    if listed:  # "… did not enjoy the support of X: 1. Sign … (Austria);": the intro ends at the list
        head = head[: listed.start()]
    if not re.search(r"recommendation|conclusion|commitment|pledge", head, re.IGNORECASE):
        return False
    for bracket in re.finditer(r"\(([^()]{2,120})\)", head):
        if parse_recommenders(bracket.group(1)):
            return False
    return True


_FIRST = re.compile(r"(?<![\d.,/\-–])\b(\d{2,3})\. ?(?=[A-Z\"“])")


def parse_report(doc: DocumentText) -> list[Paragraph]:
    """All recommendation paragraphs of a Working Group report, in document order."""
    flat = doc.flat
    start = _section_start(flat)
    first = _FIRST.search(flat, start)
    if first is None:
        return []
    index = _Index(flat, start)
    number = int(first.group(1))
    position = first.start()
    paragraphs: list[Paragraph] = []
    stop = len(flat)
    while position < stop:
        reached(f"page {doc.page_at(position)}" if doc.starts else f"paragraph {number}")
        next_top = _next_top(index, number + 1, position + 2)
        end = next_top[0] if next_top else stop
        items = _items(index, number, position, end)
        intro = flat[position : position + 400]
        if (
            items is not None
            and re.search(r"commitments?|pledges?|comments", intro, re.IGNORECASE)
            and not re.search(r"recommend", intro, re.IGNORECASE)
        ):
            items = None  # voluntary commitments, or the State's comments on the recommendations
        if items is not None:
            found, end = items
            intro_end = found[0][1] if found else end
            response, implemented = group_response(flat[position:intro_end])
            if response is None and not _PENDING.search(flat, position, intro_end):
                response, implemented = _response_after(flat, end)
            for label, begin, finish in found:
                paragraphs.append(_paragraph(doc, number, label, begin, finish, response, implemented))
        elif paragraphs and next_top is None:
            break
        if next_top is None or end >= stop:
            break
        position = end if end > position else next_top[0]
        number += 1
    return paragraphs


def _items(index: _Index, number: int, start: int, end: int) -> tuple[list[tuple[str, int, int]], int] | None:
    """Item boundaries inside top-level paragraph ``number``: [(label, start, end)], paragraph end."""
    flat = index.flat
    dotted = _first_in(index.dotted_by_group.get(number, []), start, end)
    if dotted is not None and dotted[2] == 1:
        spans, cursor, reach, plain = index.dotted(number), start, 6, False
    else:
        first_plain = _first_in(index.plain_all, start + 3, min(end, start + 1500))
        if first_plain is None or first_plain[2] != 1:
            return None
        spans, cursor, reach, plain = index.plain, start + 3, 3, True
    starts: list[tuple[int, int, int]] = []
    expected = 1
    limit = end
    while True:
        match: tuple[int, int] | None = None
        for attempt in range(expected, expected + reach):
            match = _first_at(spans.get(attempt, []), cursor, limit)
            if match is not None:
                expected = attempt
                break
        if match is None:
            break
        if plain and expected == number + 1 and _looks_like_intro(flat[match[1] : match[1] + _INTRO_READ]):
            limit = match[0]
            break
        starts.append((expected, match[0], match[1]))
        cursor = match[1]
        expected += 1
    if not starts:
        return None
    result: list[tuple[str, int, int]] = []
    for position, (label, _, body) in enumerate(starts):
        finish = starts[position + 1][1] if position + 1 < len(starts) else limit
        result.append((f"{number}.{label}", body, finish))
    last_label, last_start, last_end = result[-1]
    tail = _SECTION_END.search(flat, last_start, last_end)
    if tail:
        result[-1] = (last_label, last_start, tail.start())
    return result, limit


# A page-end footnote run into the text (text exports): "; 7 Recommendation originally read: “…”
# (Germany)." Its quoted wording and bracket are the footnote's, not another recommender's.
_RUN_IN_FOOTNOTE = re.compile(
    r"(?<=[;.]) \d{1,2} (?:The )?(?:original|recommendation)\b[^“\"]{0,80}[“\"][^”\"]{0,2000}[”\"]"
    r"(?: ?\([^()]{0,200}(?:\([^()]{0,80}\)[^()]{0,200})?\))?(?: ?\.)?",
    re.IGNORECASE,
)


def _paragraph(
    doc: DocumentText,
    group: int,
    label: str,
    begin: int,
    finish: int,
    response: Response | None,
    implemented: bool,
) -> Paragraph:
    text = _RUN_IN_FOOTNOTE.sub("", doc.flat[begin:finish]).strip()
    clauses = split_clauses_of(text)
    if clauses:
        text = " ".join(c.text for c in clauses)
    recommenders: list[str] = []
    for clause in clauses:
        for name in clause.recommenders:
            if name not in recommenders:
                recommenders.append(name)
    return Paragraph(
        number=label,
        text=text,
        clauses=clauses,
        offset=begin,
        page=doc.page_at(begin),
        group=str(group),
        response=response,
        implemented=implemented,
        recommenders=recommenders,
    )


def brackets(text: str) -> list[tuple[int, int, str]]:
    """Balanced top-level brackets in ``text``: (start, end, content)."""
    found: list[tuple[int, int, str]] = []
    depth = 0
    opened = 0
    for index, char in enumerate(text):
        if char == "(":
            if depth == 0:
                opened = index
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                found.append((opened, index + 1, text[opened + 1 : index]))
    return found


# A footnote marker glued to the bracket of states in text exports: "... (France)5;".
_MARKER_AFTER_BRACKET = re.compile(r"\)\d{1,2}(?= ?(?:[;.,]|$))")


_CLOSING = re.compile(r" ?[;.,]? ?")
_ENDS_ASK = re.compile(r" ?[;.]")


def split_clauses_of(text: str) -> list[Clause]:
    """Split a paragraph after each bracket of recommenders that ends an ask (followed by ; or .).

    Footnote markers right after a bracket are dropped first. The text after the last such bracket
    (a stray heading or footnote run into the paragraph) is dropped; a paragraph where no bracket
    ends an ask is one clause, with the recommenders its brackets name (none if none).
    """
    text = _MARKER_AFTER_BRACKET.sub(")", text)
    clauses: list[Clause] = []
    names: list[str] = []
    begin = 0
    last_end = 0
    for _start, end, content in brackets(text):
        found = parse_recommenders(content)
        if not found:
            continue
        names.extend(n for n in found if n not in names)
        rest = text[end:]
        closing = _CLOSING.match(rest)
        assert closing is not None
        following = rest[closing.end() :]
        if following and not _ENDS_ASK.match(rest):
            continue
        stop = end + closing.end()
        clauses.append(Clause(text[begin:stop].strip(), names))
        names = []
        begin = stop
        last_end = stop
    if not clauses:  # no bracket ends an ask ("(United States): This is not acceptable …")
        return [Clause(text.strip(), names)]
    if names:  # a bracket of states followed by "(" or "/" at the very end
        clauses[-1].recommenders.extend(n for n in names if n not in clauses[-1].recommenders)
    del last_end
    return [c for c in clauses if c.text]
