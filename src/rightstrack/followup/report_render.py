"""The mid-term report as DOCX (python-docx) and PDF (fpdf2).

Both documents are built from the same list of blocks (``_blocks``), so they always say the same.

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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_BREAK
from docx.shared import Pt, RGBColor
from fpdf import FPDF
from fpdf.fonts import FontFace

from rightstrack.followup.report import (
    AssessmentLine,
    CommitmentSection,
    MidtermReport,
    Recommendation,
)

TITLE = "Mid-term report on the implementation of UN human rights recommendations"
PREPARED = "Prepared with rightstrack"
_PDF_ENCODING = "windows-1252"
# Letters that do not decompose into a base letter and an accent.
_PLAIN = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "ø": "o", "Ø": "O", "ħ": "h"})


@dataclass(frozen=True)
class Block:
    kind: str  # "title", "heading", "subheading", "text", "flag", "table", "break"
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()  # for tables: the first row is the header
    widths: tuple[float, ...] | None = None  # for tables: relative column widths


def _title_page(report: MidtermReport) -> Iterator[Block]:
    yield Block("title", TITLE)
    yield Block("heading", report.workspace)
    yield Block(
        "text", f"{report.workspace_kind.capitalize()}" + (f", {report.state}" if report.state else "")
    )
    if report.period:
        yield Block("text", f"Reporting period: {report.period}")
    yield Block("text", f"Status as of {report.as_of.isoformat()}")
    edition = (
        "Public edition: contains only the records the workspace has made public."
        if report.public_edition
        else "Internal edition: includes the workspace's private records."
    )
    yield Block("text", edition)
    yield Block("text", PREPARED)
    yield Block("break")


def _summary(report: MidtermReport) -> Iterator[Block]:
    yield Block("heading", "Summary")
    yield Block(
        "text",
        f"{len(report.commitments)} commitments; {report.overdue} overdue measures; "
        f"{report.disputed} government claims disputed by an independent assessment.",
    )
    header = ("Status", "Government claim", "Independent view", "Headline")
    rows = tuple((r.status, str(r.government), str(r.independent), str(r.headline)) for r in report.summary)
    yield Block("table", rows=(header, *rows))
    yield Block(
        "text",
        "The headline status is the latest independent view (NHRI, civil society, UN mechanism) "
        "where there is one, otherwise the government's claim.",
    )


def _cite(recommendation: Recommendation) -> str:
    return f"“{recommendation.text}” ({recommendation.citation})"


def _assessment(a: AssessmentLine) -> str:
    note = f" — {a.note}" if a.note else ""
    return f"{a.status} ({a.assessed_on.isoformat()}, {a.assessor}; source: {a.source}){note}"


def _commitment(c: CommitmentSection) -> Iterator[Block]:
    yield Block("heading", f"Commitment {c.id}: {c.title}")
    if c.recommendation:
        yield Block("text", f"Recommendation: {c.text}")
        yield Block("text", c.recommendation.citation)
    else:
        yield Block("text", f"Local pledge: {c.text}")
        yield Block("text", f"Source: {c.pledge_source or 'not given'}")
    yield Block("text", f"Lead actor: {c.lead or 'none'}")
    yield Block("text", f"Other actors: {', '.join(c.other_actors) or 'none'}")
    yield Block("text", f"Status: {c.status}")
    if c.disputed:
        yield Block(
            "flag", "DISPUTED: an independent assessment rates implementation lower than the government."
        )
    for earlier in c.repeats:
        yield Block("flag", f"Repeats an earlier recommendation: {_cite(earlier)}")
    for later in c.repeated_later:
        yield Block("flag", f"Recommended again in a later cycle: {_cite(later)}")
    if c.repeated_not_implemented:
        yield Block(
            "flag", "Recommended again although the earlier recommendation was not fully implemented."
        )
    if c.carried_from:
        yield Block("text", f"Standing carried forward from commitment {c.carried_from} (no assessment yet).")
    yield from _assessments(c)
    yield from _measures(c)
    yield from _progress(c)
    yield from _indicators(c)


def _assessments(c: CommitmentSection) -> Iterator[Block]:
    yield Block("subheading", "Assessments")
    if not c.government and not c.others:
        yield Block("text", "No assessment yet.")
        return
    header = ("Government claim", "Independent assessments")
    gov = [_assessment(a) for a in c.government]
    others = [f"{a.assessor_type}: {_assessment(a)}" for a in c.others]
    rows = [
        (gov[i] if i < len(gov) else "—", others[i] if i < len(others) else "—")
        for i in range(max(len(gov), len(others)))
    ]
    yield Block("table", rows=(header, *rows))


def _measures(c: CommitmentSection) -> Iterator[Block]:
    yield Block("subheading", "Measures")
    if not c.measures:
        yield Block("text", "No measures planned.")
        return
    rows = [("Measure", "Actor", "Due", "Status")]
    for m in c.measures:
        status = m.status + (f" on {m.completed_on.isoformat()}" if m.completed_on else "")
        rows.append(
            (m.title, m.actor or "", m.due_on.isoformat(), f"OVERDUE ({status})" if m.overdue else status)
        )
    yield Block("table", rows=tuple(rows), widths=(4, 3, 1.4, 2))


def _progress(c: CommitmentSection) -> Iterator[Block]:
    yield Block("subheading", "Progress reports")
    if not c.progress:
        yield Block("text", "No progress reported.")
    for p in c.progress:
        about = f" (measure: {p.measure})" if p.measure else ""
        yield Block("text", f"{p.reported_on.isoformat()}, {p.author}{about}: {p.text}")
        for e in p.evidence:
            yield Block("text", f"    Evidence: {e.filename} (sha256 {e.sha256_prefix}…, {e.size} bytes)")


def _indicators(c: CommitmentSection) -> Iterator[Block]:
    if not c.indicators:
        return
    yield Block("subheading", "Indicators")
    rows = [("Indicator", "Baseline", "Target", "Latest value")]
    for i in c.indicators:
        unit = f" {i.unit}" if i.unit else ""
        latest = f"{i.latest}{unit} ({i.latest_on.isoformat()})" if i.latest and i.latest_on else "none yet"
        rows.append((i.name, i.baseline or "", i.target or "", latest))
    yield Block("table", rows=tuple(rows), widths=(3, 1.5, 1.5, 2.5))


def _blocks(report: MidtermReport) -> Iterator[Block]:
    yield from _title_page(report)
    yield from _summary(report)
    for section in report.commitments:
        yield from _commitment(section)
    if not report.commitments:
        yield Block("text", "No commitments to report.")


# -- DOCX -------------------------------------------------------------------------------------


def render_docx(report: MidtermReport) -> bytes:
    document = Document()
    document.core_properties.title = f"{TITLE}: {report.workspace}"
    document.core_properties.author = report.workspace
    for block in _blocks(report):
        if block.kind == "title":
            document.add_heading(block.text, level=0)
        elif block.kind in ("heading", "subheading"):
            document.add_heading(block.text, level=1 if block.kind == "heading" else 2)
        elif block.kind == "flag":
            run = document.add_paragraph().add_run(block.text)
            run.bold = True
            run.font.color.rgb = RGBColor(0xA0, 0x1C, 0x1C)
        elif block.kind == "table":
            _docx_table(document, block.rows)
        elif block.kind == "break":
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        else:
            document.add_paragraph(block.text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _docx_table(document: Any, rows: tuple[tuple[str, ...], ...]) -> None:
    table = document.add_table(rows=0, cols=len(rows[0]))
    table.style = "Table Grid"
    for index, row in enumerate(rows):
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value
            if index == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
                    run.font.size = Pt(10)


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
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(size=8)
        self.cell(0, 6, f"{PREPARED} — page {self.page_no()}", align="C")


def render_pdf(report: MidtermReport, *, font: Path | None = None) -> bytes:
    """The report as PDF; with ``font`` (a TrueType file) every character is kept as it is."""
    pdf = _Pdf(format="A4")
    pdf.set_title(f"{TITLE}: {report.workspace}")
    pdf.set_creator(PREPARED)
    if font is not None:
        pdf.add_font("report", "", str(font))
        pdf.add_font("report", "B", str(font))
        family, clean = "report", _same
    else:
        pdf.core_fonts_encoding = _PDF_ENCODING
        family, clean = "helvetica", pdf_safe
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_page()
    for block in _blocks(report):
        _pdf_block(pdf, block, family, clean)
    return bytes(pdf.output())


_SIZES = {"title": 18, "heading": 14, "subheading": 11.5}
# fpdf2 cannot break a table row across pages: a table with a longer cell is written as text.
_CELL_LIMIT = 1200


def _pdf_block(pdf: FPDF, block: Block, family: str, fix: Callable[[str], str]) -> None:
    if block.kind == "break":
        pdf.add_page()
        return
    if block.kind == "table" and max(len(v) for row in block.rows for v in row) > _CELL_LIMIT:
        _pdf_rows_as_text(pdf, block, family, fix)
        return
    if block.kind == "table":
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
        return
    bold = block.kind in _SIZES or block.kind == "flag"
    pdf.set_font(family, "B" if bold else "", _SIZES.get(block.kind, 10))
    if block.kind == "flag":
        pdf.set_text_color(160, 28, 28)
    if block.kind in _SIZES:
        pdf.ln(2)
    height = 5.5 if block.kind not in _SIZES else 8
    pdf.multi_cell(0, height, fix(block.text), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)


def _pdf_rows_as_text(pdf: FPDF, block: Block, family: str, fix: Callable[[str], str]) -> None:
    header, *rows = block.rows
    pdf.set_font(family, "", 10)
    for row in rows:
        text = "\n".join(f"{h}: {v}" for h, v in zip(header, row, strict=True) if v)
        pdf.multi_cell(0, 5.5, fix(text), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)
