"""Treaty-body concluding observations (CCPR/C/USA/CO/5 and the like).

Paragraphs are numbered 1, 2, 3 … in one sequence under topic headings (short unnumbered lines).
A paragraph is a recommendation when the Committee recommends, urges, calls on, requests or
encourages the State party, or says what it "should" do; its lettered sub-items (a), (b) … stay in
its text. The nearest heading above becomes the ``topic``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rightstrack.ingest.undocs.text import DocumentText

_ASK = re.compile(
    r"\b(?:Committee|It)\s+(?:also\s+|further\s+|again\s+|strongly\s+|therefore\s+)*"
    r"(?:recommends?|urges?|calls?\s+(?:up)?on|requests?|encourages?|invites?|reiterates its recommendation)"
    r"|\bState party should\b",
)
_NUMBERED = re.compile(r"^\s*(\d{1,3})\.\s+(.*)$")


@dataclass
class Observation:
    number: str
    text: str
    topic: str | None
    page: int | None


def parse_concluding_observations(doc: DocumentText) -> list[Observation]:
    """Recommendation paragraphs of concluding observations, with their topic headings."""
    found: list[Observation] = []
    lines: list[tuple[str, int | None]] = [
        (line.strip(), page.number) for page in doc.pages for line in page.text.splitlines() if line.strip()
    ]
    topic: str | None = None
    current: list[str] = []
    number: str | None = None
    number_page: int | None = None
    current_topic: str | None = None
    expected = 1

    def close() -> None:
        if number is not None:
            text = " ".join(" ".join(current).split())
            if _ASK.search(text):
                found.append(Observation(number, text, current_topic, number_page))

    for line, page in lines:
        numbered = _NUMBERED.match(line)
        if numbered and int(numbered.group(1)) == expected:
            close()
            number, number_page, current_topic = numbered.group(1), page, topic
            current = [numbered.group(2)]
            expected += 1
        elif _is_heading(line):
            close()
            number = None
            current = []
            topic = line.rstrip(":")
        elif number is not None:
            current.append(line)
    close()
    return found


def _is_heading(line: str) -> bool:
    if len(line) > 90 or line.endswith((".", ";", ",")) or re.match(r"^\(?[a-z]\)", line):
        return False
    if re.match(r"^[A-H]\.\s", line) or re.match(r"^[IVX]+\.\s", line):
        return True
    words = line.split()
    capitals = sum(1 for w in words if w[:1].isupper())
    return 0 < len(words) <= 12 and line[:1].isupper() and capitals >= max(1, len(words) // 3)
