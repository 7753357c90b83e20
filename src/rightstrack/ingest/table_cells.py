"""Reading one cell of a spreadsheet people keep by hand: lists of names, dates, numbers.

Each parser takes what the file holds (text, or the number or date a spreadsheet stored) and
returns a value or raises :class:`CellError` saying what was expected; the table importer turns
that into a problem naming the row's line and the user's own column heading. No regular
expressions: the cells are outside input, and plain string scans are linear by construction.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from rightstrack.errors import CellError
from rightstrack.model.states import NameKind, classify_name

CellValue = str | int | float | datetime | date | None
"""What a cell may hold: text from a CSV; text, numbers or dates from an XLSX sheet."""

_SEPARATORS = (";", "\n", "\r", "|")
_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (with its 1900 leap-year bug folded in)
_FIRST_YEAR, _LAST_YEAR = 1945, 2100
_ORDINALS = ("st", "nd", "rd", "th")


def cell_text(value: CellValue) -> str:
    """A cell as text: whole numbers without ".0", dates as ISO dates, whitespace squeezed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


def split_list(value: CellValue) -> list[str]:
    """A cell holding several values: separated by commas, semicolons, bars or line breaks."""
    raw = "" if value is None else str(value)
    for separator in _SEPARATORS:
        raw = raw.replace(separator, ",")
    return [part for part in (" ".join(p.split()) for p in raw.split(",")) if part]


def split_names(value: CellValue) -> list[str]:
    """State names in one cell. UN names keep their commas ("Korea, Republic of"): a piece that
    is no state by itself but completes the previous one into a state stays with it."""
    names: list[str] = []
    for piece in split_list(value):
        if names and _completes(names[-1], piece):
            names[-1] = f"{names[-1]}, {piece}"
        else:
            names.append(piece)
    return names


def _completes(before: str, piece: str) -> bool:
    if classify_name(piece).kind is not NameKind.UNKNOWN:
        return False
    return classify_name(f"{before}, {piece}").kind is NameKind.STATE


def parse_year(value: CellValue) -> int | None:
    """The year of a date cell: a year (2019), an ISO date (2019-05-14), a day-first date
    (14/05/2019, 14.05.2019), a spreadsheet date, or an Excel day number (43599)."""
    if isinstance(value, datetime | date):
        return _checked_year(value.year)
    text = cell_text(value)
    if not text:
        return None
    if isinstance(value, int | float) or (text.isdigit() and len(text) == 5):
        return _excel_day_year(text)
    if text.isdigit() and len(text) == 4:
        return _checked_year(int(text))
    year = _year_of_date_text(text)
    if year is None:
        raise CellError("not a date: write a year (2019), 2019-05-14 or 14/05/2019")
    return _checked_year(year)


def _year_of_date_text(text: str) -> int | None:
    iso = text[:10]
    if len(iso) == 10 and iso[4] == "-" and iso[7] == "-":
        try:
            return date.fromisoformat(iso).year
        except ValueError:
            return None
    for separator in ("/", ".", "-"):
        parts = text.split(separator)
        if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[2]) == 4:
            day, month, year = (int(p) for p in parts)
            return year if 1 <= day <= 31 and 1 <= month <= 12 else None
    return None


def _excel_day_year(text: str) -> int:
    try:
        number = float(text)
    except ValueError:
        raise CellError("not a date: write a year (2019), 2019-05-14 or 14/05/2019") from None
    if 1945 <= number <= 2100 and number.is_integer():
        return int(number)  # a year typed into a number cell
    if not 16000 <= number <= 80000:  # 1943 … 2119 as Excel day numbers
        raise CellError("not a date: a number that is neither a year nor an Excel date")
    return _checked_year((_EXCEL_EPOCH + timedelta(days=int(number))).year)


def _checked_year(year: int) -> int:
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        raise CellError(f"a year between {_FIRST_YEAR} and {_LAST_YEAR} was expected")
    return year


def parse_whole(value: CellValue, what: str, largest: int) -> int | None:
    """A small whole number ("20", "20th", "Session 20", 20.0); None for an empty cell."""
    text = cell_text(value).lower()
    if not text:
        return None
    for word in ("session", "cycle", "upr"):
        text = text.removeprefix(word).strip()
    for ordinal in _ORDINALS:
        if text.endswith(ordinal) and text[: -len(ordinal)].isdigit():
            text = text[: -len(ordinal)]
    if not text.isascii() or not text.isdigit() or not 1 <= int(text[:6]) <= largest:
        raise CellError(f"{what} must be a whole number from 1 to {largest}")
    return int(text)
