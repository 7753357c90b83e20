"""A brief as a document: Markdown, and DOCX / PDF through the report machinery (``report.documents``).

Every format lays out the same thing: the title, the three sections in their order, each point
followed by the numbers of its citations, hand-written points marked as such, and the numbered
sources at the end (each cited record once, numbered by first use).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rightstrack.brief.model import Brief, Citation, Origin, Point, Section
from rightstrack.brief.phrases import Phrases
from rightstrack.errors import InvalidInput
from rightstrack.report import documents
from rightstrack.report.documents import Block
from rightstrack.translation import N_

HEADINGS = {
    Section.ISSUE: N_("Issue"),
    Section.TALKING_POINTS: N_("Talking points"),
    Section.RECOMMENDATIONS: N_("Recommendations"),
}
SOURCES_HEADING = N_("Sources")
HAND_WRITTEN = N_("hand-written")
FORMATS = {
    "md": "text/markdown; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class Numbered:
    """The brief's citations numbered by first use: a point's markers, and the list of sources."""

    sources: list[Citation]
    numbers: dict[tuple[str, str], int]

    @classmethod
    def of(cls, points: list[Point]) -> Numbered:
        numbers: dict[tuple[str, str], int] = {}
        sources = []
        for point in points:
            for citation in point.citations:
                key = (citation.kind, citation.ref)
                if key not in numbers:
                    numbers[key] = len(numbers) + 1
                    sources.append(citation)
        return cls(sources, numbers)

    def of_point(self, point: Point) -> list[int]:
        return list(dict.fromkeys(self.numbers[(c.kind, c.ref)] for c in point.citations))


def drafted_line(brief: Brief, say: Phrases) -> str:
    return say.say(
        N_("Drafted on %(date)s from the rightstrack record; each point names its sources."),
        date=say.date(brief.drafted_on.isoformat()),
    )


def document_words(brief: Brief) -> dict[str, str]:
    """The brief's own headings and marks, in the brief's language (a French brief reads as one
    on an English page too)."""
    say = Phrases(brief.request.lang)
    return {
        **{section.value: say.say(heading) for section, heading in HEADINGS.items()},
        "sources": say.say(SOURCES_HEADING),
        "hand_written": say.say(HAND_WRITTEN),
        "drafted": drafted_line(brief, say),
    }


def point_text(point: Point, say: Phrases) -> str:
    """The point's sentences, with the hand-written mark where it applies."""
    if point.origin == Origin.HAND_WRITTEN:
        return f"{point.text} ({say.say(HAND_WRITTEN)})"
    return point.text


def _where(citation: Citation, base_url: str) -> str:
    if not citation.url:
        return ""
    return citation.url if citation.url.startswith("http") or not base_url else base_url + citation.url


# -- Markdown -----------------------------------------------------------------------------------


def render_markdown(brief: Brief, *, base_url: str = "") -> str:
    say = Phrases(brief.request.lang)
    numbered = Numbered.of(brief.points)
    lines = [f"# {brief.title}", "", f"*{drafted_line(brief, say)}*", ""]
    for section, heading in HEADINGS.items():
        lines += [f"## {say.say(heading)}", ""]
        for point in brief.section(section):
            markers = "".join(f"[^{n}]" for n in numbered.of_point(point))
            quote = f"\n\n  > {say.quoted(point.quote)}" if point.quote else ""
            lines.append(f"- {point_text(point, say)}{markers}{quote}")
        lines.append("")
    lines += [f"## {say.say(SOURCES_HEADING)}", ""]
    for number, citation in enumerate(numbered.sources, start=1):
        where = _where(citation, base_url)
        lines.append(f"[^{number}]: {citation.label}" + (f" <{where}>" if where else ""))
    return "\n".join(lines) + "\n"


# -- DOCX and PDF -------------------------------------------------------------------------------


def brief_blocks(brief: Brief, *, base_url: str = "") -> Iterator[Block]:
    say = Phrases(brief.request.lang)
    numbered = Numbered.of(brief.points)
    yield Block("title", brief.title)
    yield Block("small", drafted_line(brief, say))
    for section, heading in HEADINGS.items():
        yield Block("heading", say.say(heading))
        for point in brief.section(section):
            markers = "".join(f"[{n}]" for n in numbered.of_point(point))
            quote = [Block("quote", say.quoted(point.quote))] if point.quote else []
            text = Block("bullet", f"{point_text(point, say)} {markers}".strip())
            # A recommendation is its quoted words first; elsewhere the quote illustrates the point.
            yield from [*quote, text] if section == Section.RECOMMENDATIONS else [text, *quote]
    yield Block("heading", say.say(SOURCES_HEADING))
    for number, citation in enumerate(numbered.sources, start=1):
        where = _where(citation, base_url)
        yield Block("small", f"[{number}] {citation.label}" + (f" — {where}" if where else ""))


def _info(brief: Brief) -> documents.DocumentInfo:
    return documents.DocumentInfo(title=brief.title, author="rightstrack")


def render_docx(brief: Brief, *, base_url: str = "") -> bytes:
    return documents.render_docx(brief_blocks(brief, base_url=base_url), _info(brief))


def render_pdf(brief: Brief, *, base_url: str = "", font: Path | None = None) -> bytes:
    return documents.render_pdf(brief_blocks(brief, base_url=base_url), _info(brief), font=font)


def _markdown_bytes(brief: Brief, *, base_url: str = "") -> bytes:
    return render_markdown(brief, base_url=base_url).encode("utf-8")


RENDERERS: dict[str, Callable[..., bytes]] = {"md": _markdown_bytes, "docx": render_docx, "pdf": render_pdf}


def render(brief: Brief, fmt: str, *, base_url: str = "") -> bytes:
    """The brief in ``fmt``: one of FORMATS (md, docx, pdf)."""
    if fmt not in RENDERERS:
        raise InvalidInput(f"unknown format {fmt!r}; choose {', '.join(RENDERERS)}")
    return RENDERERS[fmt](brief, base_url=base_url)
