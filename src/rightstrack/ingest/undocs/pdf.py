"""PDF text with running headers and footers, footnote markers and footnote text removed.

pdfium gives, per character, the code point, the font size and where it stands. The document's body
size is the most common size; a digit or asterisk clearly smaller than the body inside a body line
is a footnote marker, and small-print lines below the page's last body line are footnote text when
the first of them starts with a number (or continues the previous page's footnote), wherever the
PDF's content stream happens to put them. Lines at the top or bottom of a page that hold only a
symbol, a GE job number or a page number are running headers and footers.

Tables that answer with a mark under "Supported" / "Noted" columns have the mark replaced by the
column's word, so that the row reads "140.5 … (Iceland) Supported" like any other.
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rightstrack.errors import ImportFailed, Problem
from rightstrack.ingest.budget import reached, report_pages
from rightstrack.ingest.undocs.text import (
    DocumentText,
    Page,
    body_font_size,
    join_hyphenated,
    running_line,
    vocabulary,
)

_MARKER_RATIO = 0.8
_FOOTNOTE_RATIO = 0.93
_EDGE_LINES = 3


@dataclass
class _Line:
    chars: list[tuple[str, float]]
    y: float = 0.0
    """Baseline of the line's first character, in points from the foot of the page."""

    @property
    def text(self) -> str:
        return "".join(c for c, _ in self.chars).strip()

    def size(self) -> float:
        sizes = Counter(round(s, 1) for c, s in self.chars if c.strip())
        return body_font_size(sizes)


def extract_pdf(path: Path) -> DocumentText:
    """The cleaned text of every page, or ImportFailed for encrypted, corrupt or image-only PDFs."""
    try:
        import pypdfium2  # type: ignore[import-untyped]  # noqa: F401  (shipped with pdfplumber)
    except ImportError:  # pragma: no cover - pdfplumber always brings it
        return _extract_with_pypdf(path)
    pages = _pdfium_lines(path)
    sizes: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            for char, size in line.chars:
                if char.strip():
                    sizes[round(size, 1)] += 1
    if not sizes:
        raise ImportFailed(
            f"{path}: the PDF has no text layer (scanned images only); it needs OCR before it can "
            "be imported",
            [Problem("no extractable text on any page; run OCR first", str(path), page=1)],
        )
    body = body_font_size(sizes)
    texts: list[str] = []
    continuing = False  # the previous page's last footnote runs on to this page
    for lines in pages:
        text, continuing = _clean_page(lines, body, continuing)
        texts.append(text)
    words = vocabulary("\n".join(texts))
    return DocumentText(
        str(path), [Page(i + 1, join_hyphenated(text, words)) for i, text in enumerate(texts)]
    )


def _pdfium_lines(path: Path) -> list[list[_Line]]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise ImportFailed(
                f"{path}: the PDF is encrypted (password protected); remove the protection first",
                [Problem("encrypted PDF", str(path))],
            ) from exc
        raise ImportFailed(
            f"{path}: not a readable PDF ({message})", [Problem("corrupt PDF", str(path))]
        ) from exc
    pages: list[list[_Line]] = []
    columns = _MarkColumns()
    report_pages(len(document))
    try:
        for index in range(len(document)):
            reached(f"page {index + 1} of {len(document)}")
            page = document[index]
            textpage = page.get_textpage()
            lines = _page_lines(textpage.raw, pdfium_c, columns)
            pages.append(lines)
            textpage.close()
            page.close()
    except (ctypes.ArgumentError, ValueError) as exc:  # pragma: no cover - damaged content stream
        raise ImportFailed(
            f"{path}: cannot read page text ({exc})", [Problem("corrupt PDF", str(path))]
        ) from exc
    finally:
        document.close()
    return pages


def _page_lines(raw: Any, pdfium_c: Any, columns: _MarkColumns) -> list[_Line]:
    count = pdfium_c.FPDFText_CountChars(raw)
    get_unicode = pdfium_c.FPDFText_GetUnicode
    get_size = pdfium_c.FPDFText_GetFontSize
    lines: list[_Line] = []
    current: list[tuple[str, float]] = []
    first = -1  # index of the current line's first visible character
    firsts: list[int] = []
    for i in range(count):
        char = chr(get_unicode(raw, i))
        if char == "\n":
            lines.append(_Line(current))
            firsts.append(first)
            current, first = [], -1
        elif char != "\r":
            current.append((char, float(get_size(raw, i))))
            if first < 0 and char.strip():
                first = i
    lines.append(_Line(current))
    firsts.append(first)
    x, y = ctypes.c_double(), ctypes.c_double()
    for line, index in zip(lines, firsts, strict=True):
        if index >= 0 and pdfium_c.FPDFText_GetCharOrigin(raw, index, ctypes.byref(x), ctypes.byref(y)):
            line.y = y.value
    columns.apply(lines, firsts, raw, pdfium_c)
    return lines


_MARKS = frozenset("XxV✓✔√☑☒•\uf0fc\uf0fe\uf0b4\uf078")


class _MarkColumns:
    """Where a table's "Supported" / "Noted" columns stand, kept from page to page (a table's header
    is not always repeated), and the marks below them turned into the columns' words."""

    def __init__(self) -> None:
        self.columns: list[tuple[float, str]] = []  # (x centre, word)

    def apply(self, lines: list[_Line], firsts: list[int], raw: Any, pdfium_c: Any) -> None:
        offset = 0
        for line, first in zip(lines, firsts, strict=True):
            if first >= 0:
                offset = first - _leading_blanks(line)
            header = _header_words(line.text)
            if header:
                self.columns = self._centres(line, offset, header, raw, pdfium_c)
            elif self.columns:
                self._replace_marks(line, offset, raw, pdfium_c)
            offset += len(line.chars) + 1

    def _centres(
        self, line: _Line, offset: int, words: list[tuple[int, int, str]], raw: Any, pdfium_c: Any
    ) -> list[tuple[float, str]]:
        start = _leading_blanks(line)
        found: list[tuple[float, str]] = []
        for begin, end, word in words:
            left = _char_x(raw, pdfium_c, offset + start + begin)
            right = _char_x(raw, pdfium_c, offset + start + end - 1)
            if left is not None and right is not None:
                found.append(((left + right) / 2, word))
        return found if len(found) >= 2 else []

    def _replace_marks(self, line: _Line, offset: int, raw: Any, pdfium_c: Any) -> None:
        chars = line.chars
        for i, (char, size) in enumerate(chars):
            if char not in _MARKS:
                continue
            alone = (i == 0 or not chars[i - 1][0].strip()) and (
                i + 1 == len(chars) or not chars[i + 1][0].strip()
            )
            x = _char_x(raw, pdfium_c, offset + i) if alone else None
            if x is None:
                continue
            centre, word = min(self.columns, key=lambda column: abs(column[0] - x))
            if abs(centre - x) <= _MARK_TOLERANCE:
                chars[i : i + 1] = [(c, size) for c in word]
                return  # one mark a row; the indices after it no longer match the page's


_MARK_TOLERANCE = 40.0  # points: a mark stands under its column's header
_HEADER_WORDS = re.compile(r"\b(?:Partially supported|Supported in part|Supported|Accepted|Noted|Rejected)\b")


def _header_words(text: str) -> list[tuple[int, int, str]]:
    """The position words of a table header row ("Recommendation Supported Noted Comments"), or []."""
    if len(text) > 120:
        return []
    found = [(m.start(), m.end(), m.group(0)) for m in _HEADER_WORDS.finditer(text)]
    words = {w for _, _, w in found}
    rest = _HEADER_WORDS.sub(" ", text)
    if len(words) < 2 or len(rest.split()) > 6:
        return []
    return found


def _leading_blanks(line: _Line) -> int:
    text = "".join(c for c, _ in line.chars)
    return len(text) - len(text.lstrip())


def _char_x(raw: Any, pdfium_c: Any, index: int) -> float | None:
    x, y = ctypes.c_double(), ctypes.c_double()
    if index < 0 or not pdfium_c.FPDFText_GetCharOrigin(raw, index, ctypes.byref(x), ctypes.byref(y)):
        return None
    return float(x.value)


def _clean_page(lines: list[_Line], body: float, continuing: bool) -> tuple[str, bool]:
    """The page's text, and whether its last footnote seems to run on to the next page."""
    kept = [line for line in lines if line.text]
    # Running headers and footers sit among the first and last lines of a page.
    edges = set(range(min(_EDGE_LINES, len(kept)))) | set(range(max(0, len(kept) - _EDGE_LINES), len(kept)))
    kept = [line for i, line in enumerate(kept) if not (i in edges and running_line(line.text))]
    kept, footnotes = _drop_footnotes(kept, body, continuing)
    out: list[str] = []
    for line in kept:
        size = line.size()
        if size >= body * _FOOTNOTE_RATIO:
            chars = [
                c for c, s in line.chars if not ((c.isdigit() or c in "*†‡") and 0 < s < body * _MARKER_RATIO)
            ]
            out.append("".join(chars).rstrip())
        else:
            out.append(line.text)
    runs_on = bool(footnotes) and not footnotes[-1].text.rstrip().endswith((".", ")", "”", '"'))
    return "\n".join(out), runs_on


# "1 The original recommendation …", "12See …", "* Previously issued …"; not a table row "140.1 …".
_FOOTNOTE_START = re.compile(r"\d{1,3}(?![.\d])|[*†‡_]")


def _small(line: _Line, body: float) -> bool:
    return 0 < line.size() < body * _FOOTNOTE_RATIO


def _drop_footnotes(lines: list[_Line], body: float, continuing: bool) -> tuple[list[_Line], list[_Line]]:
    """Split off the page's footnotes: the small-print lines standing below its last body line, when
    the topmost of them starts with a footnote number (or carries on the previous page's footnote).
    They are found by position, not by their place in the content stream, which some PDFs write
    before the page's last body lines."""
    body_lines = [line for line in lines if not _small(line, body)]
    if not body_lines or all(line.y == 0.0 for line in lines):
        return _trailing_footnotes(lines, body)
    floor = min(line.y for line in body_lines)
    below = sorted((line for line in lines if _small(line, body) and line.y < floor), key=lambda ln: -ln.y)
    if not below:
        return lines, []
    top = below[0].text
    if _FOOTNOTE_START.match(top) or (continuing and top[:1].islower()):
        dropped = {id(line) for line in below}
        return [line for line in lines if id(line) not in dropped], below
    return lines, []


def _trailing_footnotes(lines: list[_Line], body: float) -> tuple[list[_Line], list[_Line]]:
    """Without positions: the block of small-print lines that ends the page, when it starts with a number."""
    end = len(lines)
    start = end
    while start > 0 and _small(lines[start - 1], body):
        start -= 1
    if start == end or start == 0:
        return lines, []
    if _FOOTNOTE_START.match(lines[start].text):
        return lines[:start], lines[start:]
    return lines, []


def _extract_with_pypdf(path: Path) -> DocumentText:  # pragma: no cover - fall-back only
    import pypdf

    try:
        reader = pypdf.PdfReader(str(path))
        if reader.is_encrypted:
            raise ImportFailed(
                f"{path}: the PDF is encrypted (password protected)", [Problem("encrypted PDF", str(path))]
            )
        texts = [page.extract_text() or "" for page in reader.pages]
    except pypdf.errors.PdfReadError as exc:
        raise ImportFailed(
            f"{path}: not a readable PDF ({exc})", [Problem("corrupt PDF", str(path))]
        ) from exc
    if not any(t.strip() for t in texts):
        raise ImportFailed(
            f"{path}: the PDF has no text layer; it needs OCR", [Problem("no text", str(path))]
        )
    cleaned = ["\n".join(x for x in t.splitlines() if not running_line(x)) for t in texts]
    return DocumentText(str(path), [Page(i + 1, join_hyphenated(t)) for i, t in enumerate(cleaned)])
