"""Cycle-4 (2022–2027) UPR documents written as code, after the layouts OHCHR publishes now.

No cycle-4 original sits in ../shared/data, so these follow the published structure: a Working
Group report numbering its recommendations "140.1" with the recommending States' brackets repeated
("(Maldives) (Portugal);"), page-end footnotes that the PDF's content stream writes before the
page's last lines and that run on to the next page; its addendum answering by theme (statements,
a cluster's "remaining recommendations", a table ticked under "Supported" / "Noted", one line per
recommendation); and the thematic list with the columns of 2024–2025. The review is fictitious;
its state is real so that names resolve.
"""

from __future__ import annotations

from pathlib import Path

from tests.undocs.fixtures import Line, body_lines, docx_table, pdf_bytes

STATE = "Norway"
REPORT = "A/HRC/59/15"
ADDENDUM = f"{REPORT}/Add.1"

# Paragraph, text, recommending States, and the position the addendum gives.
RECOMMENDATIONS: list[tuple[str, str, str, str]] = [
    ("140.1", "Ratify the International Convention on the Protection of the Rights of All Migrant Workers "
     "and Members of Their Families", "(Maldives) (Portugal)", "noted"),
    ("140.2", "Consider ratifying the Optional Protocol to the International Covenant on Economic, Social "
     "and Cultural Rights", "(Gabon)", "noted"),
    ("140.3", "Establish a national mechanism for implementation, reporting and follow-up", "(Paraguay)",
     "supported"),
    ("140.4", "Strengthen the independence of the national human rights institution in line with the Paris "
     "Principles", "(Iceland)", "supported"),
    ("140.5", "Allocate adequate resources to the Equality and Anti-Discrimination Ombud", "(Nepal)",
     "supported"),
    ("140.6", "Adopt a comprehensive strategy to prevent violence against women and girls", "(Spain)",
     "supported"),
    ("140.7", "Amend the definition of rape in the Penal Code so that it is based on the lack of consent",
     "(Sweden) (Belgium)", "noted"),
    ("140.8", "Close the gender pay gap in the public and private sectors", "(Chile)", "supported"),
    ("140.9", "Continue to promote the rights of the Sami people, including their right to consultation",
     "(Finland)", "supported"),
    ("140.10", "Review the use of coercive measures in mental health care", "(Austria)", "noted"),
    ("140.11", "Ensure prompt access to asylum procedures and family reunification for refugees",
     "(Mexico, Brazil)", "supported in part"),
    ("140.12", "Ratify ILO Domestic Workers Convention, 2011 (No. 189)", "(Philippines)", "supported"),
]  # fmt: skip


def _wrap(text: str, width: int = 92) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return [*lines, current] if current else lines


def _recommendation_lines(first: int, last: int) -> list[str]:
    lines: list[str] = []
    for number, text, states, _ in RECOMMENDATIONS[first:last]:
        lines.extend(_wrap(f"{number} {text} {states};"))
    return lines


def _masthead(symbol: str, extra: list[str]) -> list[Line]:
    return [
        *body_lines(
            [
                f"United Nations {symbol}",
                "General Assembly Distr.: General",
                "5 June 2025",
                "Original: English",
                "Human Rights Council",
                "Fifty-ninth session",
                "16 June–11 July 2025",
                "Agenda item 6",
                "Universal periodic review",
                "Report of the Working Group on the Universal Periodic Review*",
                STATE,
                *extra,
            ],
            top=790,
        ),
        (8, 70, "* The annex to the present report is circulated as received."),
        (9, 40, "GE.25-01234 (E) 050625 060625"),
    ]


def cycle4_report_pdf(path: Path) -> Path:
    """A/HRC/59/15: three pages; footnotes written before the page's last lines, one running on."""
    page1 = _masthead(
        REPORT,
        [
            "Introduction",
            "1. The Working Group on the Universal Periodic Review, established in accordance with",
            "Human Rights Council resolution 5/1, held its forty-eighth session from 20 to 31 January",
            "2025. The review of Norway was held at the 9th meeting, on 24 January 2025.",
            "II. Conclusions and/or recommendations",
            "140. The following recommendations will be examined by Norway, which will provide",
            "responses in due time, but no later than the fifty-ninth session of the Human Rights Council:",
        ],
    )
    page1 = page1[:-2] + body_lines(_recommendation_lines(0, 2), top=790 - 14 * 18) + page1[-2:]
    lines2 = _recommendation_lines(2, 7)
    head, tail = lines2[:-2], lines2[-2:]
    page2: list[Line] = [
        (9, 800, REPORT),
        *body_lines(head, top=760),
        # The content stream writes the footnotes before the last body lines of the page.
        (8, 90, "1 The original recommendation as read during the interactive dialogue: Strengthen the"),
        (8, 80, "national human rights institution."),
        (8, 70, "2 The original recommendation as read during the interactive dialogue: Adopt a"),
        (8, 60, "comprehensive and well-resourced national strategy"),
        *body_lines(tail, top=760 - 14 * len(head)),
        (9, 30, "2"),
    ]
    page3: list[Line] = [
        (9, 800, REPORT),
        *body_lines(
            [
                *_recommendation_lines(7, 12),
                "141. All conclusions and/or recommendations contained in the present report reflect the",
                "position of the submitting State(s) and/or the State under review. They should not be",
                "construed as endorsed by the Working Group as a whole.",
            ],
            top=760,
        ),
        (8, 60, "on violence against women and girls, with adequate resources for its implementation"),
        (8, 50, "across the country."),
        (9, 30, "3"),
    ]
    path.write_bytes(pdf_bytes([page1, page2, page3]))
    return path


def _answers_page() -> list[Line]:
    text = [
        "1. Norway has examined the 12 recommendations it received during its fourth review, on",
        "24 January 2025. Norway supports 8 recommendations, supports 1 in part and notes 3.",
        "A. International human rights instruments (recommendations 140.1–140.2)",
        "2. Norway notes recommendations 140.1 and 140.2. Norway keeps the ratification of",
        "further instruments under review.",
        "B. Institutional framework (140.3–140.5)",
        "3. Norway supports all recommendations in this cluster. The national human rights",
        "institution was accredited with A status in 2022.",
        "C. Women's rights (140.6–140.8)",
    ]
    return body_lines(text, top=790)


def _ticked_table(top: float) -> list[Line]:
    """A table answering with a tick under "Supported" or "Noted" (x: 330 and 400)."""
    rows: list[Line] = [
        (10, top, "Recommendation", 72),
        (10, top, "Supported", 310),
        (10, top, "Noted", 390),
        (10, top, "Comments", 460),
    ]
    y = top - 16
    for number, text, states, position in RECOMMENDATIONS[5:8]:
        rows.append((10, y, f"{number} {text[:34]}", 72))
        rows.append((10, y, "X", 330 if position == "supported" else 400))
        rows.append((10, y, "See the action plan", 460))
        rows.append((10, y - 12, f"{text[34:70]} {states}", 72))
        y -= 30
    return rows


def cycle4_addendum_pdf(path: Path) -> Path:
    """A/HRC/59/15/Add.1 answering by theme: statements, a cluster, a ticked table, one line each."""
    page1 = _masthead(
        ADDENDUM,
        [
            "Addendum",
            "Views on conclusions and/or recommendations, voluntary commitments and replies",
            "presented by the State under review",
        ],
    )
    page2 = [(9, 800, ADDENDUM), *_answers_page(), *_ticked_table(640)]
    page3 = [
        (9, 800, ADDENDUM),
        *body_lines(
            [
                "D. Other recommendations",
                "140.9 Supported. Norway will continue its consultations with the Sami Parliament.",
                "Recommendation 140.10: Noted. Norway does not see a need to change the Mental Health",
                "Care Act at present.",
                "140.11 – Partially supported. Norway supports prompt access to asylum procedures; the",
                "rules on family reunification remain under review.",
                "140.12 Ratify ILO Domestic Workers Convention, 2011 (No. 189) (Philippines); Supported",
            ],
            top=760,
        ),
    ]
    path.write_bytes(pdf_bytes([page1, page2, page3]))
    return path


THEMATIC_HEADER = [
    "Recommendation and recommending State",
    "Position of the State under review",
    "Human rights themes and groups of persons",
    "Relevant SDGs",
]
THEMES: dict[str, tuple[str, list[str], list[str], list[str]]] = {
    "140.1": ("Acceptance of international norms", ["Acceptance of international norms", "Migrants"],
              ["Migrants", "Migrant workers"],
              ["8 - DECENT WORK AND ECONOMIC GROWTH", "10 - REDUCED INEQUALITIES"]),
    "140.6": ("Women's rights", ["Violence against women", "Women's rights"], ["Women & girls"],
              ["5 - GENDER EQUALITY"]),
}  # fmt: skip


def cycle4_thematic_docx(path: Path, running_header: str | None = None) -> Path:
    """The thematic list of 2024–2025: States in the recommendation's cell, themes then groups."""
    rows: list[list[str]] = []
    topic = None
    for number, text, states, position in RECOMMENDATIONS:
        theme, themes, groups, sdgs = THEMES.get(number, ("", ["Human rights & counter-terrorism"], [], []))
        if theme and theme != topic:
            rows.append([f"Theme: {theme}"] * 4)
            topic = theme
        rows.append(
            [
                f"{number} {text} {states};\nSource of Position: {ADDENDUM} - Para 2",
                position.capitalize(),
                "\n".join(
                    [f"- {t}" for t in themes]
                    + (["Groups of Persons:"] + [f"- {g}" for g in groups] if groups else [])
                ),
                "\n".join(f"- {s}" for s in sdgs),
            ]
        )
    header = f"UPR of {STATE} (4th Cycle – 48th session)" if running_header is None else running_header
    return docx_table(path, THEMATIC_HEADER, rows, running_header=header)
