"""Plain text out of UN documents (PDF, DOCX, HTML, TXT), with page numbers kept.

Every format ends up as a :class:`DocumentText`: a list of pages (TXT, HTML and DOCX have one
page, numbered None) joined into one whitespace-normalised string whose offsets map back to pages.

PDF: text comes from pdfium (``pypdfium2``, a dependency of pdfplumber; ten times faster than
pypdf and better at word spacing), with pypdf as a fall-back. Per character we read the font
size, which is what tells running headers, footnote markers (superscript digits) and footnote
text (a block of smaller lines at the foot of the page) apart from body text.
"""

from __future__ import annotations

import bisect
import html
import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from rightstrack.errors import ImportFailed, Problem
from rightstrack.ingest.budget import report_characters
from rightstrack.ingest.encoding import decode_text
from rightstrack.model.records import Response

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+")
_ANY_SPACE = re.compile(r"\s+")
# Lines that are running headers or footers of UN documents and nothing else.
# Matched against a stripped line: one character class per part, bounded, so no line can make it
# backtrack (an earlier "[A-Z0-9./]*(?:/[A-Za-z0-9.]+)*" split a run of slashes every possible way).
_RUNNING = re.compile(
    r"""(?:
        [A-Z]{1,6}/[A-Z0-9][A-Za-z0-9./\-]{0,59}                     # A/HRC/21/11, CCPR/C/USA/CO/5
      | GE[.:]\ ?\d{2}-\d{4,6}(?:\ [^\n]{0,80})?                # GE.12-14567 (E) 291112
      | \*\d{6,8}\*                                              # barcode *1409727*
      | \d{1,3}                                                  # page number
      | Page\ \d{1,3}(?:\ of\ \d{1,4})?
    )""",
    re.VERBOSE,
)
_HYPHEN_MARK = "\ufffe"


@dataclass
class Page:
    number: int | None
    text: str


@dataclass
class DocumentText:
    """A document's text: pages, and all pages joined with single spaces (``flat``)."""

    source: str
    pages: list[Page]
    flat: str = ""
    starts: list[int] = field(default_factory=list)
    first_page: str = ""

    def __post_init__(self) -> None:
        parts: list[str] = []
        offset = 0
        for page in self.pages:
            text = _ANY_SPACE.sub(" ", page.text).strip()
            self.starts.append(offset)
            parts.append(text)
            offset += len(text) + 1
        self.flat = " ".join(parts)
        self.first_page = self.pages[0].text if self.pages else ""

    def page_at(self, offset: int) -> int | None:
        """The page number (1-based) holding character ``offset`` of ``flat``; None without pages."""
        if not self.starts:
            return None
        index = bisect.bisect_right(self.starts, offset) - 1
        return self.pages[max(index, 0)].number


def extract_text(path: Path) -> DocumentText:
    """The text of a PDF, DOCX, HTML or TXT file, chosen by its first bytes, not its name."""
    try:
        head = path.open("rb").read(8)
    except OSError as exc:
        raise ImportFailed(f"{path}: cannot read file: {exc.strerror}") from exc
    if head.startswith(b"%PDF"):
        from rightstrack.ingest.undocs.pdf import extract_pdf

        return extract_pdf(path)  # it reports its page count as soon as the file is open
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFailed(
            f"{path}: legacy Word (.doc) files cannot be read; save it as .docx or PDF",
            [Problem("legacy Word format", str(path))],
        )
    document = extract_docx(path) if head.startswith(b"PK") else text_of(path.read_bytes(), str(path))
    report_characters(len(document.flat))
    return document


def text_of(raw: bytes, source: str) -> DocumentText:
    """A TXT or HTML file's bytes, decoded whatever their encoding."""
    text, _ = decode_text(raw, source)
    if re.search(r"<(html|body|p|div|table)\b", text[:5000], re.IGNORECASE):
        return html_text(text, source)
    return plain_text(text, source)


def plain_text(text: str, source: str) -> DocumentText:
    """A TXT file: line endings of every kind, tabs and stray control characters made plain."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return DocumentText(source, [Page(None, _clean_chars(text))])


def _clean_chars(text: str) -> str:
    text = text.replace("\u00ad", "").replace(_HYPHEN_MARK, "-").replace("\x02", "-")
    return _SPACES.sub(" ", text)


class _HtmlText(HTMLParser):
    _BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "td"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(markup: str, source: str) -> DocumentText:
    parser = _HtmlText()
    parser.feed(markup)
    parser.close()
    return plain_text(html.unescape("".join(parser.parts)), source)


def extract_docx(path: Path) -> DocumentText:
    """Body paragraphs and table cells of a DOCX, in document order (one page, numbered None)."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises zipfile, KeyError and lxml errors alike
        raise ImportFailed(
            f"{path}: not a readable DOCX file ({type(exc).__name__}: {exc})",
            [Problem("corrupt or not a Word document", str(path))],
        ) from exc
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            lines.extend(
                table_lines([[cell.text for cell in row.cells] for row in Table(block, document).rows])
            )
    return DocumentText(str(path), [Page(None, _clean_chars("\n".join(lines)))])


TICKS = frozenset({"x", "✓", "✔", "√", "☑", "☒", "•", "yes", "\uf0fc", "\uf0fe"})


def table_lines(rows: list[list[str]]) -> list[str]:
    """A table's rows as lines of cells joined by " | ". Under "Supported" / "Noted" columns a tick
    becomes the column's word, so that a row reads "140.5 | … | Supported |" whichever column holds it."""
    if not rows:
        return []
    header = rows[0]
    positions = {i: name.strip() for i, name in enumerate(header) if Response.parse(name) is not None}
    lines = [" | ".join(header)]
    for row in rows[1:]:
        cells = [
            positions[i] if i in positions and cell.strip().lower() in TICKS else cell
            for i, cell in enumerate(row)
        ]
        lines.append(" | ".join(cells))
    return lines


def running_line(line: str) -> bool:
    """True for a line that is only a running header or footer (symbol, GE number, page number)."""
    text = " ".join(line.split()).rstrip(".")
    return len(text) <= 100 and _RUNNING.fullmatch(text) is not None


# Words are bounded (no word is 40 letters long), so a run of letters costs 40 steps a position.
_BROKEN = re.compile(r"(\w{1,40})[-\ufffe\x02][ \t]{0,4}\n[ \t]{0,4}(\w{1,40})")
_MARKED = re.compile(r"(\w{1,40})[\ufffe\x02](\w{1,40})")


def vocabulary(text: str) -> Counter[str]:
    return Counter(w.lower() for w in re.findall(r"\w+", text))


def join_hyphenated(text: str, words: Counter[str] | None = None) -> str:
    """Re-join words broken at a line end: "discrimi-\\nnation" becomes "discrimination" when the
    document spells the word whole elsewhere, otherwise the hyphen stays ("same-sex")."""
    if words is None:
        words = vocabulary(text)

    def fix(match: re.Match[str]) -> str:
        first, second = match.group(1), match.group(2)
        if words.get((first + second).lower()) and not first[-1].isdigit():
            return first + second
        return f"{first}-{second}"

    return _MARKED.sub(fix, _BROKEN.sub(fix, text))


def body_font_size(sizes: Counter[float]) -> float:
    return sizes.most_common(1)[0][0] if sizes else 0.0
