"""Reading the cells of a UHRI export ("Export to Excel" of OHCHR's Universal Human Rights Index).

Every parser here takes one cell as the spreadsheet, CSV or JSON gave it and either returns a value
or raises :class:`CellError` with a message for people; the importer adds file, row and column.
The patterns are anchored and bounded (no two quantifiers compete for the same characters), so a
hostile cell costs linear time.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, timedelta
from functools import lru_cache

from rightstrack.errors import CellError
from rightstrack.model.records import Response
from rightstrack.model.reference import Mechanism, find_mechanism


def values(cell: object) -> list[str]:
    """A multi-valued cell: one value per line, each prefixed "- " (single values too).

    Lines without the prefix are taken as they are, so a hand-edited cell still reads; blank lines
    and a bare "-" are dropped."""
    if cell is None or cell == "":
        return []
    return list(cached_values(cell if isinstance(cell, str) else str(cell)))


@lru_cache(maxsize=1 << 16)
def cached_values(cell: str) -> tuple[str, ...]:
    # Cached twice: whole cells ("- France", "- CCPR") recur thousands of times, and so do the
    # lines of cells whose combinations do not (a row's set of themes, its recommending states).
    return tuple(value for line in cell.splitlines() if (value := _value(line)))


@lru_cache(maxsize=1 << 16)
def _value(line: str) -> str:
    value = line.strip()
    if value[:1] == "-":
        value = value[1:].lstrip()
    return " ".join(value.split()) if _ODD_SPACE.search(value) else value


_ODD_SPACE = re.compile(r"\s\s|[^\S ]")  # two spaces in a row, or a space that is not " "


def single(cell: object) -> str:
    """A single-valued cell ("- CCPR" → "CCPR"); several lines are joined with a space."""
    return " ".join(values(cell))


# "118.1 Ratify …", "118.1. Ratify …", "12. The Committee …": the number the document gives the
# recommendation. At most three levels of at most four digits: nothing a document uses is longer.
_PARAGRAPH = re.compile(r"(\d{1,4}(?:\.\d{1,4}){0,2})\.? ")


def split_paragraph(text: str) -> tuple[str | None, str]:
    """The leading paragraph number of a recommendation's text, and the text without it.

    A lettered sub-paragraph alone ("(a) Ensure …") gives no number: UHRI cuts the letters out of
    their paragraph, and "(a)" names nothing unique in a document, so such rows are matched by
    their document and text instead."""
    flat = " ".join(text.split())
    found = _PARAGRAPH.match(flat)
    if found is None:
        return None, flat
    rest = flat[found.end() :]
    return (found.group(1), rest) if rest else (None, flat)


_SESSION = re.compile(r"\d{1,4}")


def session(cell: object) -> int | None:
    """The UPR Working Group session: "- 27th session", "27", "- Session 27", "27.0" (a number cell)."""
    if cell is None or cell == "":
        return None
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        number = int(cell)
    else:
        text = single(cell)
        if not text:
            return None
        found = _SESSION.search(text)
        if found is None:
            raise CellError(f"no session number in {text[:80]!r}")
        number = int(found.group(0))
    if not 1 <= number <= 200:
        raise CellError(f"session {number} is not a UPR Working Group session")
    return number


_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (with its 1900 leap-year bug already absorbed)
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_FIRST_YEAR, _LAST_YEAR = 1946, 2100


def publication_date(cell: object) -> date | None:
    """An Excel date serial (44562 → 2022-01-01), as a number or as digits, or an ISO date."""
    if cell is None or cell == "":
        return None
    found: date | None
    if isinstance(cell, datetime):
        found = cell.date()
    elif isinstance(cell, date):
        found = cell
    elif isinstance(cell, int | float) and not isinstance(cell, bool):
        found = _from_serial(float(cell))
    else:
        found = _from_text(single(cell))
    if found is not None and not _FIRST_YEAR <= found.year <= _LAST_YEAR:
        raise CellError(f"date {found.isoformat()} is outside {_FIRST_YEAR}–{_LAST_YEAR}")
    return found


def _from_text(text: str) -> date | None:
    if not text:
        return None
    if text.isascii() and text.replace(".", "", 1).isdigit() and len(text) <= 12:
        return _from_serial(float(text))
    found = _ISO_DATE.match(text)
    if found is None or len(text) > 40:
        raise CellError(f"not a date (Excel serial number or YYYY-MM-DD): {text[:80]!r}")
    try:
        return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError as exc:
        raise CellError(f"not a date: {text[:80]!r} ({exc})") from None


def _from_serial(serial: float) -> date:
    if not 1 <= serial <= 100_000:
        raise CellError(f"{serial:g} is not an Excel date serial number")
    return _EXCEL_EPOCH + timedelta(days=int(serial))


def position(cell: object) -> Response | None:
    """ "- Supported", "- Noted", "- Supported/Noted" (supported in part) …; None for an empty cell."""
    text = single(cell)
    if not text:
        return None
    if "/" in text:
        return Response.SUPPORTED_IN_PART
    found = Response.parse(text)
    if found is None:
        raise CellError(f"unknown UPR position {text[:80]!r}")
    return found


_SPECIAL_PREFIXES = {
    "sr": "SR",
    "ie": "IE",
    "wg": "WG",
    "special rapporteur": "SR",
    "independent expert": "IE",
    "working group": "WG",
}
_STOP_WORDS = frozenset(
    ["a", "an", "and", "at", "for", "in", "its", "of", "on", "or", "the", "their", "to", "with"]
)
_CODE_LENGTH = 40  # mechanisms.code


def body(cell: object) -> Mechanism:
    """The recommending body: UPR, a treaty body, or a special procedure's mandate.

    A mandate becomes a mechanism of its own whose code is read from its words ("SR on the right
    to food" → "SR-RIGHT-FOOD"), so the same mandate always gets the same code."""
    return _body(single(cell))


@lru_cache(maxsize=4096)
def _body(text: str) -> Mechanism:
    if not text:
        raise CellError("no recommending body")
    known = find_mechanism(text)
    if known is not None:
        return known
    lowered = text.casefold()
    for prefix, short in _SPECIAL_PREFIXES.items():
        if lowered == prefix or lowered.startswith(prefix + " "):
            return Mechanism(_mandate_code(short, text[len(prefix) :]), text, "special procedures")
    raise CellError(f"unknown recommending body {text[:80]!r} (expected UPR, a treaty body or a mandate)")


def _mandate_code(short: str, rest: str) -> str:
    words = [w for w in re.findall(r"[A-Za-z0-9]{1,40}", rest) if w.casefold() not in _STOP_WORDS]
    code = "-".join([short, *(w.upper() for w in words)])
    if len(code) <= _CODE_LENGTH:
        return code
    # Long mandates keep a readable start and a digest of the whole, so two never share a code.
    digest = hashlib.sha1(rest.casefold().encode()).hexdigest()[:6]
    return f"{code[: _CODE_LENGTH - 7].rstrip('-')}-{digest}"
