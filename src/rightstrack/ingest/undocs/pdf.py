"""PDF text with running headers and footers, footnote markers and footnote text removed.

pdfium gives, per character, the code point and the font size. The document's body size is the
most common size; a digit or asterisk clearly smaller than the body inside a body line is a
footnote marker, and a block of smaller lines at the foot of a page that starts with a number is
footnote text. Lines at the top or bottom of a page that hold only a symbol, a GE job number or a
page number are running headers and footers.
"""

from __future__ import annotations

import ctypes
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rightstrack.errors import ImportFailed, Problem
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
    texts = [_clean_page(lines, body) for lines in pages]
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
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            count = pdfium_c.FPDFText_CountChars(textpage.raw)
            lines: list[_Line] = []
            current: list[tuple[str, float]] = []
            get_unicode = pdfium_c.FPDFText_GetUnicode
            get_size = pdfium_c.FPDFText_GetFontSize
            raw = textpage.raw
            for i in range(count):
                char = chr(get_unicode(raw, i))
                if char == "\n":
                    lines.append(_Line(current))
                    current = []
                elif char != "\r":
                    current.append((char, float(get_size(raw, i))))
            lines.append(_Line(current))
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


def _clean_page(lines: list[_Line], body: float) -> str:
    kept = [line for line in lines if line.text]
    # Running headers and footers sit among the first and last lines of a page.
    edges = set(range(min(_EDGE_LINES, len(kept)))) | set(range(max(0, len(kept) - _EDGE_LINES), len(kept)))
    kept = [line for i, line in enumerate(kept) if not (i in edges and running_line(line.text))]
    kept = _drop_footnotes(kept, body)
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
    return "\n".join(out)


def _drop_footnotes(lines: list[_Line], body: float) -> list[_Line]:
    """Remove the block of small-print lines at the foot of the page when it is a footnote block."""
    end = len(lines)
    start = end
    while start > 0 and 0 < lines[start - 1].size() < body * _FOOTNOTE_RATIO:
        start -= 1
    if start == end or start == 0:
        return lines
    first = lines[start].text
    if first[:1].isdigit() or first[:1] in "*†‡_":
        return lines[:start]
    return lines


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
