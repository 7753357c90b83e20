"""Small UN-like documents written as code: PDFs by hand (base-14 font), DOCX with python-docx."""

from __future__ import annotations

from pathlib import Path

Line = tuple[float, float, str] | tuple[float, float, str, float]
"""(font size, y position from the bottom, text[, x position from the left, 72 when absent])."""


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _show(line: Line) -> str:
    x = line[3] if len(line) > 3 else 72
    return f"BT /F1 {line[0]} Tf {x} {line[1]} Td ({_escape(line[2])}) Tj ET\n"


def pdf_bytes(pages: list[list[Line]]) -> bytes:
    """A valid PDF whose pages hold the given lines in Helvetica (WinAnsi)."""
    objects: list[bytes] = []
    page_ids = [4 + 2 * i for i in range(len(pages))]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{i} 0 R" for i in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for index, lines in enumerate(pages):
        content = "".join(_show(line) for line in lines).encode("cp1252")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {page_ids[index] + 1} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def body_lines(texts: list[str], top: float = 720, size: float = 10) -> list[Line]:
    return [(size, top - 14 * i, t) for i, t in enumerate(texts)]


def report_pdf(path: Path) -> Path:
    """A two-page cycle-2 style Working Group report with running headers, page numbers and a footnote."""
    page1 = [
        (9, 800, "GE.12-99999"),
        *body_lines(
            [
                "United Nations A/HRC/99/7",
                "Human Rights Council",
                "Report of the Working Group on the Universal Periodic Review",
                "Ruritania",
                "1. The Working Group held its thirteenth session. The review of France was held at",
                "the 9th meeting on 25 May 2012.",
                "II. Conclusions and/or recommendations",
                "90. The following recommendations will be examined by France, which will respond",
                "in due course:",
                "90.1. Ratify the Optional Protocol to the Convention against Torture (Denmark,",
                "Brazil); consider ratifying the Maputo Protocol (Maputo Protocol) (Chad);",
                "90.2. Strengthen the national human rights institution in line with the Paris",
            ]
        ),
        (6, 556, "1"),
        (8, 90, "1 A footnote that must not end up in any recommendation."),
        (9, 60, "2"),
    ]
    page2 = [
        (9, 800, "A/HRC/99/7"),
        *body_lines(
            [
                "Principles (ICCPR) and ensure non-discrimi-",
                "nation of migrants (Lithuania);",
                "90.3. Guarantee non-discrimination of migrants in law and in practice (Viet Nam).",
                "91. All conclusions and/or recommendations contained in the present report reflect",
                "the position of the submitting State(s).",
            ]
        ),
        (9, 60, "3"),
    ]
    path.write_bytes(pdf_bytes([page1, page2]))
    return path


def addendum_pdf(path: Path) -> Path:
    """The addendum of report_pdf's review: France's responses to 90.1-90.3, in prose."""
    addendum = body_lines(
        [
            "United Nations A/HRC/99/7/Add.1",
            "Report of the Working Group on the Universal Periodic Review",
            "Addendum",
            "1. France accepts recommendations 90.1 and 90.3. It notes recommendation 90.2.",
        ]
    )
    path.write_bytes(pdf_bytes([addendum]))
    return path


def docx_table(
    path: Path, header: list[str], rows: list[list[str]], running_header: str = "", title: str = ""
) -> Path:
    import docx

    document = docx.Document()
    if running_header:
        document.sections[0].header.paragraphs[0].text = running_header
    if title:
        document.add_paragraph(title)
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    for column, name in enumerate(header):
        table.rows[0].cells[column].text = name
    for index, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            table.rows[index].cells[column].text = value
    document.save(str(path))
    return path
