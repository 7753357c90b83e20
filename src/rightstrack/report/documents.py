"""Documents as DOCX (python-docx) and PDF (fpdf2) from one list of blocks.

A report (the mid-term report, an advocacy brief) says what it contains as a sequence of
``Block``s, or of sections (lists of blocks) that are kept on one page where they fit;
``render_docx`` and ``render_pdf`` lay the same blocks out, so the two files always say the same.

Characters in the PDF: fpdf2's built-in fonts cover Windows-1252 only, and no TrueType font ships
with our dependencies (system fonts such as DejaVu are absent on many servers and on CI). By
default the PDF therefore uses Helvetica in Windows-1252 (curly quotes, dashes and Western European
letters come through as they are), letters with accents outside it are written without their
accents ("Łódź" becomes "Lódz") and anything else as "?". The DOCX keeps every character; for a
PDF in other scripts, pass ``font=`` a TrueType file that covers them.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.shared import Pt, RGBColor
from fpdf import FPDF
from fpdf.fonts import FontFace

PREPARED = "Prepared with rightstrack"
_PDF_ENCODING = "windows-1252"
# Letters that do not decompose into a base letter and an accent.
_PLAIN = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "ø": "o", "Ø": "O", "ħ": "h"})


@dataclass(frozen=True)
class Block:
    kind: str  # title, heading, subheading, text, flag, bullet, quote, small, table, break
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()  # for tables: the first row is the header
    widths: tuple[float, ...] | None = None  # for tables: relative column widths


Section = Sequence[Block]
"""Blocks kept on one page where they fit (a commitment of the mid-term report)."""


@dataclass(frozen=True)
class DocumentInfo:
    title: str
    author: str
    footer: str = PREPARED + " — page %(n)s"
    """The PDF's footer, in the document's language; %(n)s is the page number."""


def _sections(content: Iterable[Block] | Iterable[Section]) -> list[Section]:
    """Blocks given one by one are sections of one block each."""
    return [[item] if isinstance(item, Block) else list(item) for item in content]


# -- DOCX -------------------------------------------------------------------------------------


Paragraphs = list[Any]


def _docx_flag(document: Any, block: Block) -> Paragraphs:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(block.text)
    run.bold = True
    run.font.color.rgb = RGBColor(0xA0, 0x1C, 0x1C)
    return [paragraph]


def _docx_small(document: Any, block: Block) -> Paragraphs:
    paragraph = document.add_paragraph()
    paragraph.add_run(block.text).font.size = Pt(8.5)
    return [paragraph]


def _docx_table(document: Any, block: Block) -> Paragraphs:
    table = document.add_table(rows=0, cols=len(block.rows[0]))
    table.style = "Table Grid"
    paragraphs: Paragraphs = []
    for index, row in enumerate(block.rows):
        added = table.add_row()
        added._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row stays on one page
        for cell, value in zip(added.cells, row, strict=True):
            cell.text = value
            paragraphs += cell.paragraphs
            if index == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
                    run.font.size = Pt(10)
    return paragraphs


def _docx_text(document: Any, block: Block) -> Paragraphs:
    return [document.add_paragraph(block.text)]


def _docx_break(document: Any, block: Block) -> Paragraphs:
    paragraph = document.add_paragraph()
    paragraph.add_run().add_break(WD_BREAK.PAGE)
    return [paragraph]


_DOCX: dict[str, Callable[[Any, Block], Paragraphs]] = {
    "title": lambda d, b: [d.add_heading(b.text, level=0)],
    "heading": lambda d, b: [d.add_heading(b.text, level=1)],
    "subheading": lambda d, b: [d.add_heading(b.text, level=2)],
    "flag": _docx_flag,
    "bullet": lambda d, b: [d.add_paragraph(b.text, style="List Bullet")],
    "quote": lambda d, b: [d.add_paragraph(b.text, style="Quote")],
    "small": _docx_small,
    "table": _docx_table,
    "break": _docx_break,
}


def render_docx(content: Iterable[Block] | Iterable[Section], info: DocumentInfo) -> bytes:
    """The blocks as DOCX; a section's paragraphs are kept with the next, so it stays on one page
    where it fits."""
    document = Document()
    document.core_properties.title = info.title
    document.core_properties.author = info.author
    for section in _sections(content):
        made = [p for block in section for p in _DOCX.get(block.kind, _docx_text)(document, block)]
        for paragraph in made[:-1]:
            paragraph.paragraph_format.keep_with_next = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# -- PDF --------------------------------------------------------------------------------------


def pdf_safe(text: str) -> str:
    """``text`` in the characters the built-in PDF fonts have (see the module docstring)."""
    out = []
    for char in text.translate(_PLAIN):
        try:
            char.encode(_PDF_ENCODING)
            out.append(char)
            continue
        except UnicodeEncodeError:
            pass
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        try:
            out.append(base.encode(_PDF_ENCODING).decode(_PDF_ENCODING) if base else "?")
        except UnicodeEncodeError:
            out.append("?")
    return "".join(out)


def _same(text: str) -> str:
    return text


class _Pdf(FPDF):
    footer_text = DocumentInfo("", "").footer
    fix: Callable[[str], str] = staticmethod(_same)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(size=8)
        self.cell(0, 6, self.fix(self.footer_text % {"n": self.page_no()}), align="C")


def render_pdf(
    content: Iterable[Block] | Iterable[Section], info: DocumentInfo, *, font: Path | None = None
) -> bytes:
    """The blocks as PDF; with ``font`` (a TrueType file) every character is kept as it is. A
    section of several blocks that would run over the foot of a page starts on the next one."""
    pdf = _Pdf(format="A4")
    pdf.footer_text = info.footer
    pdf.set_title(info.title)
    pdf.set_author(info.author)
    pdf.set_creator(PREPARED)
    if font is not None:
        for style in ("", "B", "I"):
            pdf.add_font("report", style, str(font))
        family, clean = "report", _same
    else:
        pdf.core_fonts_encoding = _PDF_ENCODING
        family, clean = "helvetica", pdf_safe
    pdf.fix = clean
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_page()
    for index, section in enumerate(_sections(content)):
        if index and len(section) > 1:
            with pdf.offset_rendering() as trial:
                for block in section:
                    _pdf_block(trial, block, family, clean)
            if trial.page_break_triggered:
                pdf.add_page()
        for block in section:
            _pdf_block(pdf, block, family, clean)
    return bytes(pdf.output())


_SIZES = {"title": 18, "heading": 14, "subheading": 11.5}
_STYLES = {"flag": "B", "quote": "I"}
_INDENTS = {"bullet": 5.0, "quote": 8.0}
# fpdf2 cannot break a table row across pages: a table with a longer cell is written as text.
_CELL_LIMIT = 1200


def _pdf_block(pdf: Any, block: Block, family: str, fix: Callable[[str], str]) -> None:
    if block.kind == "break":
        pdf.add_page()
        return
    if block.kind == "table":
        _pdf_table(pdf, block, family, fix)
        return
    style = "B" if block.kind in _SIZES else _STYLES.get(block.kind, "")
    pdf.set_font(family, style, _SIZES.get(block.kind, 8.5 if block.kind == "small" else 10))
    if block.kind == "flag":
        pdf.set_text_color(160, 28, 28)
    if block.kind in _SIZES:
        pdf.ln(2)
    height = 8 if block.kind in _SIZES else 4.5 if block.kind == "small" else 5.5
    text = ("• " if block.kind == "bullet" else "") + block.text
    indent = _INDENTS.get(block.kind, 0.0)
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(pdf.epw - indent, height, fix(text), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    if block.kind in ("bullet", "quote"):
        pdf.ln(1)


def _pdf_table(pdf: Any, block: Block, family: str, fix: Callable[[str], str]) -> None:
    if max(len(v) for row in block.rows for v in row) > _CELL_LIMIT:
        _pdf_rows_as_text(pdf, block, family, fix)
        return
    pdf.set_font(family, "", 9)
    with pdf.table(
        headings_style=FontFace(emphasis="BOLD"),
        line_height=4.5,
        text_align="LEFT",
        col_widths=block.widths,
    ) as table:
        for row in block.rows:
            cells = table.row()
            for value in row:
                cells.cell(fix(value))
    pdf.ln(2)


def _pdf_rows_as_text(pdf: Any, block: Block, family: str, fix: Callable[[str], str]) -> None:
    header, *rows = block.rows
    pdf.set_font(family, "", 10)
    for row in rows:
        text = "\n".join(f"{h}: {v}" for h, v in zip(header, row, strict=True) if v)
        pdf.multi_cell(0, 5.5, fix(text), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)
