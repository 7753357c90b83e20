"""What a UN document is, read from its content: symbol, kind, state under review, session, year.

The file name says nothing (OHCHR files are named by job number, ``g1934994.pdf``); the symbol on
page 1 and the title block say everything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rightstrack.errors import ImportFailed, Problem
from rightstrack.ingest.undocs.names import state_label, state_of_code
from rightstrack.ingest.undocs.text import DocumentText, Page
from rightstrack.model.records import DocumentKind
from rightstrack.model.upr import cycle_of_session, year_of_session

SYMBOL = re.compile(r"(?<![\w/])(?:[A-Z]{1,6}(?:\.\d+)?/)(?:[A-Za-z0-9.\-]+/)+[A-Za-z0-9.\-]*[A-Za-z0-9]")
TREATY_BODIES = ("CCPR", "CESCR", "CERD", "CEDAW", "CRC", "CAT", "CRPD", "CMW", "CED")
_ORDINALS = {
    w: i + 1
    for i, w in enumerate(
        [
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth",
            "thirteenth",
            "fourteenth",
            "fifteenth",
            "sixteenth",
            "seventeenth",
            "eighteenth",
            "nineteenth",
            "twentieth",
        ]
    )
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
_UNIT_ORDINALS = {w: n for w, n in _ORDINALS.items() if n < 10}
_ORDINAL = (
    r"((?:twenty|thirty|forty|fifty)[-\s]?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)?|"
    + "|".join(sorted(_ORDINALS, key=len, reverse=True))
    + r"|\d{1,2}(?:st|nd|rd|th))"
)


@dataclass(frozen=True)
class DocumentMeta:
    symbol: str | None
    kind: DocumentKind
    state: str | None
    mechanism: str
    session: int | None = None
    cycle: int | None = None
    year: int | None = None
    title: str | None = None


def ordinal_value(word: str) -> int | None:
    word = word.lower().replace("\u2011", "-").replace(" ", "-")
    if word[:1].isdigit():
        return int(re.sub(r"\D", "", word))
    if word in _ORDINALS:
        return _ORDINALS[word]
    tens, _, unit = word.partition("-")
    if tens in _TENS:
        return _TENS[tens] + (_UNIT_ORDINALS.get(unit, 0) if unit else 0)
    return None


def find_symbol(first_page: str) -> str | None:
    """The document's own symbol: the one in the masthead ("United Nations A/HRC/21/11"), else one
    standing alone on a line, else the first one not cited as another document's."""
    text = first_page.replace("\u2011", "-")
    masthead = re.search(
        r"(?:United\s+Nations|NATIONS\s+A|Distr\.?\s*:?\s*(?:GENERAL|General))\s+(" + SYMBOL.pattern + ")",
        text,
    )
    if masthead:
        return _tidy(masthead.group(1))
    for line in text.splitlines():
        alone = SYMBOL.fullmatch(line.strip().rstrip("."))
        if alone:
            return _tidy(alone.group(0))
    for match in SYMBOL.finditer(text[:1200]):
        before = text[max(0, match.start() - 40) : match.start()].lower()
        if re.search(r"symbol|document|issued|\($", before.rstrip()):
            continue
        return _tidy(match.group(0))
    return None


def _tidy(symbol: str) -> str:
    return symbol.rstrip(".-")


def recognise(doc: DocumentText) -> DocumentMeta:
    """Recognise a UN review document or raise ImportFailed saying why it is not one."""
    head = doc.first_page if doc.pages[0].number is not None else doc.flat[:6000]
    symbol = find_symbol(head)
    lead = " ".join(doc.flat[:8000].split())
    lower = lead.lower()
    kind: DocumentKind | None = None
    mechanism = "UPR"
    upr_report = re.search(
        r"report of the working(?: group)? on the universal\s*periodic\s*review", lower
    ) or (
        "universal periodic review" in lower[:1500]
        and re.search(r"conclusions and(?: ?/ ?| )or recommendations", doc.flat, re.IGNORECASE)
    )
    if (symbol and re.search(r"/CO/\d", symbol)) or (
        not upr_report and re.search(r"concluding observations (?:on|of)", lower[:3000])
    ):
        kind = DocumentKind.CONCLUDING_OBSERVATIONS
        body = (symbol or "").split("/")[0]
        if symbol and symbol.startswith("E/C.12/"):
            body = "CESCR"
        mechanism = body if body in TREATY_BODIES else _treaty_from_title(lower) or "treaty body"
    elif symbol and _PREPARED.search(symbol):
        raise _not_a_review(
            doc, symbol, "a document prepared for the review (national report, compilation or summary)"
        )
    elif upr_report:
        if re.search(r"\baddendum\b", lower[:3000]) or (symbol and re.search(r"/Add\.\d+$", symbol)):
            kind = DocumentKind.UPR_ADDENDUM
        else:
            kind = DocumentKind.UPR_REPORT
    elif "decision adopted by the human rights council" in lower[:2000]:
        raise _not_a_review(doc, symbol, "a Human Rights Council decision adopting an outcome")
    if kind is None:
        raise _not_a_review(doc, symbol, "no UPR Working Group report, addendum or concluding observations")
    state = _state_under_review(doc, lead, symbol, kind)
    session = _wg_session(lead) if mechanism == "UPR" else None
    year = year_of_session(session) if session else None
    if year is None:
        dated = re.search(r"\b(?:19|20)\d{2}\b", lead[:1500])
        year = int(dated.group(0)) if dated else None
    return DocumentMeta(
        symbol=symbol,
        kind=kind,
        state=state,
        mechanism=mechanism,
        session=session,
        cycle=cycle_of_session(session) if session else None,
        year=year,
        title=_title(kind, state),
    )


_PREPARED = re.compile(r"/WG\.6/\d+/[A-Z]{3}/\d")


def refuse_early(first_page: str, source: str) -> None:
    """Refuse, from page 1 alone, what certainly holds no recommendations: a 190-page compilation
    or national report need not be read to be turned away."""
    doc = DocumentText(source, [Page(1, first_page)])
    symbol = find_symbol(first_page)
    if symbol and _PREPARED.search(symbol) and not re.search(r"/CO/\d", symbol):
        raise _not_a_review(
            doc, symbol, "a document prepared for the review (national report, compilation or summary)"
        )
    if "decision adopted by the human rights council" in " ".join(first_page.split())[:2000].lower():
        raise _not_a_review(doc, symbol, "a Human Rights Council decision adopting an outcome")


def _not_a_review(doc: DocumentText, symbol: str | None, what: str) -> ImportFailed:
    found = f"symbol {symbol}" if symbol else "no UN document symbol on page 1"
    return ImportFailed(
        f"{doc.source}: not a UN review document with recommendations ({what}; {found})",
        [Problem(f"not a review document: {what}", doc.source, page=1, value=symbol)],
    )


def _treaty_from_title(lower: str) -> str | None:
    titles = {
        "human rights committee": "CCPR",
        "economic, social and cultural rights": "CESCR",
        "elimination of racial discrimination": "CERD",
        "discrimination against women": "CEDAW",
        "rights of the child": "CRC",
        "committee against torture": "CAT",
        "rights of persons with disabilities": "CRPD",
        "migrant workers": "CMW",
        "enforced disappearances": "CED",
    }
    for words, code in titles.items():
        if words in lower[:3000]:
            return code
    return None


def _state_under_review(doc: DocumentText, lead: str, symbol: str | None, kind: DocumentKind) -> str | None:
    if kind is DocumentKind.CONCLUDING_OBSERVATIONS and symbol:
        for part in symbol.split("/"):
            if len(part) == 3 and part.isupper():
                found = state_of_code(part)
                if found:
                    return found
        match = re.search(r"report\w* of ([^*\n]{3,80}?)(?:\*|\n|\s{2}|$)", doc.first_page or lead)
        if match:
            return state_label(re.sub(r"^the\s+", "", match.group(1).strip()))
    held = re.search(r"review of (.{3,80}?) was held", lead)
    if held:
        found = state_label(held.group(1))
        if found:
            return found
    title = re.search(r"Universal\s+Periodic\s+Review\s*\**(.{0,600})", lead, re.IGNORECASE)
    if title:
        words = (
            re.sub(r"\*[^*]*?(?:received|editing|symbol[^.]*)\.", " ", title.group(1))
            .replace("*", " ")
            .split()
        )
        for start in range(min(len(words), 60)):
            for size in range(8, 0, -1):
                candidate = " ".join(words[start : start + size])
                if candidate[:1].isupper() and (found := state_label(candidate)):
                    return found
    return None


def _wg_session(lead: str) -> int | None:
    match = re.search(r"held its " + _ORDINAL + r" session", lead, re.IGNORECASE)
    if match:
        return ordinal_value(match.group(1))
    match = re.search(r"A/HRC/WG\.6/(\d+)/", lead)
    return int(match.group(1)) if match else None


def _title(kind: DocumentKind, state: str | None) -> str:
    names = {
        DocumentKind.UPR_REPORT: "Report of the Working Group on the Universal Periodic Review",
        DocumentKind.UPR_ADDENDUM: "Report of the Working Group on the UPR, addendum (responses)",
        DocumentKind.CONCLUDING_OBSERVATIONS: "Concluding observations",
    }
    base = names.get(kind, kind.value)
    return f"{base}: {state}" if state else base
