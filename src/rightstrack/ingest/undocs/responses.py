"""Responses in a report's addendum (``…/Add.1``): statements, tables, clusters and per-number prose.

The lists of numbers come from :mod:`rightstrack.ingest.undocs.numbers` (a tokenizer: linear on any
text); this module decides what each list means, looking only at a bounded window around it.

* **Statements** name a position and list the recommendations it covers: "The Government accepts
  the following recommendations 122.1, 122.17-18", "Noted recommendations: 140.1–140.20",
  "Supported: 140.3, 140.7" (a cluster's answer), or the other way round: "Recommendations 140.4
  and 140.9 are supported".
* **Entries** answer one recommendation, or a few, each: a table row or line "140.1 Ratify …
  (Maldives) | Supported | …", "Recommendation 140.2: Noted. The Government …", or cycle 1's
  "5., 6., 7. Slovenia accepts these recommendations". An explicit position word decides; otherwise
  the wording does (accepts → supported, cannot accept / notes → noted, both → supported in part).
* **Clusters**: "Recommendations 140.10–140.25 (women's rights)" followed by "Slovenia supports
  140.10–140.20 and notes the remaining recommendations" gives the rest of the cluster its answer.

Statements and explicit entries outrank wording. Bare numbers ("recommendation 14") are returned
as such; :func:`resolve_numbers` maps them onto the report's paragraphs ("115.14").
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from rightstrack.ingest.budget import reached
from rightstrack.ingest.undocs.numbers import NumberList, expand_list, number_lists
from rightstrack.ingest.undocs.text import DocumentText
from rightstrack.model.records import Response

__all__ = ["Position", "expand_list", "parse_addendum", "prose_response", "resolve_numbers"]


@dataclass(frozen=True)
class Position:
    response: Response
    source: str
    """Where it was read: "A/HRC/28/15/Add.1, page 2"."""


# A position word. The text is whitespace-normalised (single spaces), so "\s" stands for one space.
_CUE = re.compile(
    r"(?P<part>\b(?:partially|partly) (?:accept|support)\w{0,3}\b|"
    r"\b(?:supported|accepted|supports?|accepts?) in part\b)|"
    r"(?P<noted>\bnot (?:accepted|supported)\b|\b(?:does|do|did|can|could) ?not (?:accept|support|enjoy)\b|"
    r"\btakes? note\b|\bnotes\b|\bnoted\b|\brejects?\b|\brejected\b)|"
    r"(?P<yes>\baccepts?\b|\baccepted\b|\bsupports?\b|\bsupported\b|\benjoys? the support\b|\bagrees?\b)",
    re.IGNORECASE,
)
_LEAD = re.compile(
    r"\brecommendations? ?(?:Nos?\. ?|numbers? |contained in paragraphs? |in paragraphs? )?[:(]? ?\Z",
    re.IGNORECASE,
)
_HEADING_LEAD = re.compile(r"(?:recommendations? ?)?[:–—-] ?\Z", re.IGNORECASE)
_VERB_LEAD = re.compile(r"(?:the following ?)?:? ?\Z", re.IGNORECASE)
_SECTION = re.compile(
    r"(?:^|(?<=[.;:|)] ))(?:[A-Z]\. |[IVX]{1,4}\. )?"
    r"(?:(?P<part>Partially (?:supported|accepted)|(?:Supported|Accepted) in part)|"
    r"(?P<noted>Noted|Not (?:supported|accepted)|Rejected)|(?P<yes>Supported|Accepted)) recommendations\b"
    r"|(?:^|(?<=[.;:|)] ))Recommendations (?:that are |which are |that were )?"
    r"(?:(?P<part2>partially (?:supported|accepted))|(?P<noted2>noted|not (?:supported|accepted))|"
    r"(?P<yes2>supported|accepted))\b(?! by)"
)
_CLAUSE_BREAK = re.compile(r"[.;:!?] [A-Z(]|\(\w\) ")
_AUXILIARIES = frozenset(
    [
        "above",
        ",",
        "are",
        "is",
        "were",
        "was",
        "have",
        "has",
        "been",
        "will",
        "be",
        "all",
        "also",
        "fully",
        "therefore",
        "thus",
        "now",
        "hereby",
    ]
)
_SCOPE = re.compile(
    r"\b(?:all|these|those|the remaining|remaining|the other|other|the rest of the|the above)"
    r"(?: \w+){0,2} recommendations?\b",
    re.IGNORECASE,
)
_CITATION = re.compile(r"\b(?:see|also|and|paragraphs?|paras?\.?|to|of|in|under|with)\s?\Z", re.IGNORECASE)
_POSITION_WORD = re.compile(
    r"(?:Partially supported|Supported in part|Partially accepted|Accepted in part|Not supported|"
    r"Not accepted|Supported|Accepted|Noted|Rejected)(?![a-z])"
)
_AFTER_BRACKET = re.compile(r"\)[;.,]? ?(" + _POSITION_WORD.pattern + ")")
_COUNT = re.compile(r" (?:recommendations?|of the (?:\w+ )?recommendations|out of)\b", re.IGNORECASE)
_WINDOW = 300
_AHEAD = 5  # how far a per-number answer may skip ahead of the next expected number


def _kind(match: re.Match[str]) -> Response:
    if match.group("part"):
        return Response.SUPPORTED_IN_PART
    if match.group("noted"):
        return Response.NOTED
    return Response.SUPPORTED


def _last_cue(text: str) -> Response | None:
    cue: Response | None = None
    for match in _CUE.finditer(text):
        cue = _kind(match)
    return cue


class _Reader:
    """One addendum's text and lists, and what has been decided for each number."""

    def __init__(self, doc: DocumentText, symbol: str | None) -> None:
        self.doc = doc
        self.flat = doc.flat
        self.symbol = symbol
        self.lists = list(number_lists(self.flat))
        self.firm: dict[str, Position] = {}
        self.worded: dict[str, Position] = {}
        self.taken: set[int] = set()  # lists used as statements or entries (by index)

    def where(self, offset: int) -> str:
        page = self.doc.page_at(offset)
        reached(f"page {page}" if page else f"character {offset}")
        return f"{self.symbol or self.doc.source}" + (f", page {page}" if page else "")

    def window_before(self, index: int) -> str:
        """The text before list ``index``, back to the previous list or clause break."""
        start = self.lists[index].start
        floor = self.lists[index - 1].end if index else 0
        window = self.flat[max(floor, start - _WINDOW) : start]
        breaks = list(_CLAUSE_BREAK.finditer(window))
        return window[breaks[-1].start() + 2 :] if breaks else window

    def give(self, target: dict[str, Position], numbers: list[str], response: Response, offset: int) -> None:
        source = self.where(offset)
        for number in numbers:
            target.setdefault(number, Position(response, source))


def parse_addendum(doc: DocumentText, symbol: str | None) -> dict[str, Position]:
    """Every response the addendum gives, keyed by the number as the addendum writes it."""
    reader = _Reader(doc, symbol)
    for index in range(len(reader.lists)):
        _statement(reader, index)
    _clusters(reader)
    _dotted_entries(reader)
    _plain_entries(reader)
    found = dict(reader.firm)
    for number, position in reader.worded.items():
        found.setdefault(number, position)
    # A document numbers recommendations one way: where "140.7" prevails, a bare "58" is a count.
    dotted = {n: p for n, p in found.items() if "." in n}
    plain = {n: p for n, p in found.items() if "." not in n}
    return dotted if len(dotted) > len(plain) else plain


# -- statements ---------------------------------------------------------------------------------------


def _statement(reader: _Reader, index: int) -> None:
    listed = reader.lists[index]
    if _COUNT.match(reader.flat, listed.end):
        return  # "notes 21 recommendations": a count, not a citation
    before = reader.window_before(index)
    response = _cue_before(before) if not _heading_number(reader, listed) else None
    if response is None:
        response = _cue_after(reader, listed, before)
    if response is not None:
        reader.give(reader.firm, listed.numbers, response, listed.start)
        reader.taken.add(index)


def _cue_before(before: str) -> Response | None:
    """ "accepts the following recommendations 1, 2", "Supported: 140.1", "supports 140.3 and …":
    the position, or None."""
    tail = before[-60:]
    lead = _LEAD.search(tail)
    if lead is not None:
        return _last_cue((before[: len(before) - len(tail)] + tail[: lead.start()])[-120:])
    heading = _HEADING_LEAD.search(tail)
    if heading is not None:
        return _cue_ending((before[: len(before) - len(tail)] + tail[: heading.start()]).rstrip()[-40:])
    # A verb right before the numbers ("Slovenia supports 140.3 and notes …"), but not a table's
    # position column ("… (Maldives); Supported 140.2 Ratify …"), which belongs to the row before.
    verb = _VERB_LEAD.search(tail)
    assert verb is not None  # it matches the empty string at the end
    return _cue_ending(tail[: verb.start()].rstrip()[-40:], verbs_only=True)


def _cue_ending(text: str, verbs_only: bool = False) -> Response | None:
    """The position word that ``text`` ends with, if it ends with one."""
    last: re.Match[str] | None = None
    for match in _CUE.finditer(text):
        last = match
    if last is None or last.end() != len(text):
        return None
    if verbs_only and (last.group(0)[0].isupper() or last.group(0).endswith("ed")):
        return None
    return _kind(last)


def _heading_number(reader: _Reader, listed: NumberList) -> bool:
    """ "Accepted recommendations 3. The Government …": a heading followed by a paragraph number."""
    return (
        len(listed.tokens) == 1
        and not listed.dotted
        and re.match(r"\. [A-Z]", reader.flat[listed.end : listed.end + 3]) is not None
    )


def _cue_after(reader: _Reader, listed: NumberList, before: str) -> Response | None:
    """ "Recommendations 140.4 and 140.9 are supported" (the list right after "recommendations")."""
    if not re.search(r"\brecommendations? ?(?:Nos?\. ?)?\Z", before[-30:], re.IGNORECASE):
        return None
    words = reader.flat[listed.end : listed.end + 80].replace(",", " , ").split()
    while words and words[0].lower() in _AUXILIARIES:
        words.pop(0)
    match = _CUE.match(" ".join(words))
    return _kind(match) if match else None


# -- clusters -----------------------------------------------------------------------------------------


def _clusters(reader: _Reader) -> None:
    """ "Recommendations 140.10–140.25 (women's rights) … supports 140.10–140.20 and notes the
    remaining recommendations": a scope phrase answers the last list not answered yet (the cluster)
    for each of its numbers that no statement answered."""
    open_index: int | None = None
    for index, listed in enumerate(reader.lists):
        if index not in reader.taken and _cluster_header(reader, index):
            open_index = index
        if open_index is None:
            continue
        if listed.start - reader.lists[open_index].end > _CLUSTER_REACH:
            open_index = None
            continue
        end = reader.lists[index + 1].start if index + 1 < len(reader.lists) else len(reader.flat)
        text = reader.flat[listed.end : min(end, listed.end + 2 * _WINDOW)]
        for sentence in re.finditer(r"[^.;]{1,400}", text):
            scope = _SCOPE.search(sentence.group(0))
            cue = _last_cue(sentence.group(0)[: scope.start()]) if scope else None
            if cue is not None:
                cluster = reader.lists[open_index]
                reader.give(reader.firm, cluster.numbers, cue, cluster.start)
                reader.taken.add(open_index)
                open_index = None
                break


_CLUSTER_REACH = 1500  # characters from a cluster's numbers to the sentence answering them all
_BRACKET_LEAD = re.compile(r"\((?:recommendations?|recs?\.|paras?\.)?\Z", re.IGNORECASE)
_CLUSTER_LEAD = re.compile(r"(?:[A-Z0-9]{1,3}\. )?(?:Cluster|Theme|Thematic|Group|Recommendations?)\b")


def _cluster_header(reader: _Reader, index: int) -> bool:
    """ "(140.10–140.25)", "Cluster 3: recommendations 140.10–140.25", "Recommendations 140.1–140.9":
    a list that names a group of recommendations rather than answering them."""
    listed = reader.lists[index]
    if len(listed.numbers) < 2:
        return False
    before = reader.flat[max(0, listed.start - 80) : listed.start].rstrip()
    if _BRACKET_LEAD.search(before):
        return True
    clause = re.split(r"[.;:|)] ", before)[-1]
    return _CLUSTER_LEAD.match(clause) is not None


# -- entries: one answer per number or short list -----------------------------------------------------


def _answer_start(flat: str, listed: NumberList) -> int | None:
    """Where an answer begins after its numbers ("140.1 Ratify", "12. Slovenia", "140.2: Noted")."""
    cursor = listed.end
    limit = min(len(flat), cursor + 5)
    while cursor < limit and flat[cursor] in ".,:;–—-| ":
        cursor += 1
    if cursor < len(flat) and (flat[cursor].isupper() or flat[cursor] in '(“"'):
        return cursor
    if cursor < len(flat) and flat[cursor].isdigit() and not listed.dotted:
        return cursor  # "43., 44. 45. Slovenia accepts …": 43 and 44 share 45's answer
    return None


def _entry_lead(reader: _Reader, index: int) -> bool:
    """A dotted list starts an entry unless it is cited inside a sentence ("see recommendation 122.28")."""
    before = reader.flat[max(0, reader.lists[index].start - 40) : reader.lists[index].start]
    named = re.search(r"\b(?:R|r)ecommendations? ?(?:Nos?\. ?)?\Z", before)
    if named is not None:
        ahead = before[: named.start()].rstrip()
        return not ahead or ahead[-1] in ".;:|)" or named.group(0)[0] == "R"
    return _CITATION.search(before) is None


def _dotted_entries(reader: _Reader) -> None:
    entries: list[tuple[int, int]] = []  # (list index, answer start)
    for index, listed in enumerate(reader.lists):
        if index in reader.taken or not listed.dotted:
            continue
        start = _answer_start(reader.flat, listed)
        if start is not None and _entry_lead(reader, index):
            entries.append((index, start))
    _answer(reader, entries)


def _plain_entries(reader: _Reader) -> None:
    """Cycle 1: "12. Slovenia accepts …" numbered 1, 2, 3 … in order. A table's number column may
    list "77., 78., 79., 82.," and wrap the rest ("83., 85.") into the answer's text, then answer 80
    and 81 afterwards: an answer is taken when its first number is the next one, one skipped
    earlier, or a few ahead."""
    entries: list[tuple[int, int]] = []
    expected, skipped, seen = 1, set[int](), set[int]()
    for index, listed in enumerate(reader.lists):
        if index in reader.taken or listed.dotted:
            continue
        start = _answer_start(reader.flat, listed)
        if start is None:
            continue
        values = [int(n) for n in listed.numbers if n.isdigit()]
        if not values:
            continue
        ahead = _AHEAD if entries else 0  # the answers start at 1: a document's own "3." is not one
        first = values[0]
        if first in seen or not (first in skipped or expected <= first <= expected + ahead):
            continue
        entries.append((index, start))
        seen |= set(values)
        skipped -= set(values)
        skipped |= set(range(expected, max(values))) - seen
        expected = max(expected, max(values) + 1)
    _answer(reader, entries)


def _sections(flat: str) -> list[tuple[int, Response]]:
    """Headings such as "Noted recommendations" or "B. Recommendations supported", with where they stand."""
    found: list[tuple[int, Response]] = []
    for match in _SECTION.finditer(flat):
        if flat[match.end() : match.end() + 2].startswith(";"):
            continue  # "… three categories: 1. Accepted recommendations; 2. …"
        if match.group("part") or match.group("part2"):
            found.append((match.start(), Response.SUPPORTED_IN_PART))
        elif match.group("noted") or match.group("noted2"):
            found.append((match.start(), Response.NOTED))
        else:
            found.append((match.start(), Response.SUPPORTED))
    return found


def _section_at(sections: list[tuple[int, Response]], offset: int) -> Response | None:
    index = bisect.bisect_right(sections, (offset, "~")) - 1
    return sections[index][1] if index >= 0 else None


def _answer(reader: _Reader, entries: list[tuple[int, int]]) -> None:
    sections = _sections(reader.flat)
    pending: list[str] = []  # numbers whose answer is the next entry's ("43., 44. 45. Slovenia …")
    for position, (index, start) in enumerate(entries):
        listed = reader.lists[index]
        end = (
            reader.lists[entries[position + 1][0]].start if position + 1 < len(entries) else len(reader.flat)
        )
        text = reader.flat[start:end]
        numbers = pending + listed.numbers
        if reader.flat[listed.end : start].strip().endswith(",") and not listed.dotted:
            text, more = _continuation(text, int(listed.numbers[-1]))
            numbers += more
        if not text.strip(" .,;"):
            pending = numbers
            continue
        pending = []
        explicit = _explicit(text) or _section_at(sections, listed.start)
        if explicit is not None:
            reader.give(reader.firm, numbers, explicit, listed.start)
        elif (worded := prose_response(text)) is not None:
            reader.give(reader.worded, numbers, worded, listed.start)


def _explicit(answer: str) -> Response | None:
    """A position stated as such: a table cell, the answer's first words, or right after the
    recommending States' bracket in a table row read as a line."""
    if " | " in answer:
        for cell in answer.split(" | ")[:8]:
            found = Response.parse(cell) if len(cell) < 40 else None
            if found is not None and found is not Response.NO_RESPONSE:
                return found
    head = answer.lstrip(" .:;–—-|")
    word = _POSITION_WORD.match(head)
    if word is None:
        word = _AFTER_BRACKET.search(answer)
        if word is not None:
            return Response.parse(word.group(1))
        return None
    return Response.parse(word.group(0))


def _continuation(text: str, last: int) -> tuple[str, list[str]]:
    """The numbers continuing a wrapped list ("… in the light of the 83., 85., 87. decision …"),
    and the text without them."""
    for listed in number_lists(text):
        trailing = text[listed.end : listed.end + 1]
        if trailing != ".":
            continue
        more = listed.numbers
        if all(n.isdigit() and last < int(n) <= last + 20 for n in more):
            return text[: listed.start] + text[listed.end + 1 :], more
        return text, []
    return text, []


_ACCEPT = re.compile(r"\baccept(?:s|ed)?\b|\bsupport(?:s|ed)?\b|\bagrees?\b", re.IGNORECASE)
_REFUSE = re.compile(
    r"cannot (?:accept|support|make a definitive)|can ?not,? at this point|not (?:in a position to )?accept|"
    r"\bnotes? (?:the|this|these) recommendations?|\breject|\bnoted\b(?! that\b)|not planning|not support|"
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
