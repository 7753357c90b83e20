"""The mid-term report as DOCX and PDF: its sections of blocks (``_sections``), in the language of
the catalogue given (every sentence is a ``msg``; plurals by ``msg_n``), laid out by
``report.documents``, so both documents always say the same (see that module on the PDF's
characters). The title and the summary share the first page; each commitment is kept on one page
where it fits.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from rightstrack.followup.report import (
    AssessmentLine,
    CommitmentSection,
    MidtermReport,
    Recommendation,
)
from rightstrack.messages import Catalogue, localise, msg, msg_n
from rightstrack.report import documents
from rightstrack.report.documents import Block, Section, pdf_safe

TITLE = msg("Mid-term report on the implementation of UN human rights recommendations")
PREPARED = msg("Prepared with rightstrack")
FOOTER = msg("Prepared with rightstrack — page %(n)s", n="%(n)s")

__all__ = ["TITLE", "pdf_safe", "render_docx", "render_pdf"]


def _title_page(report: MidtermReport) -> Iterator[Block]:
    yield Block("title", TITLE)
    yield Block("heading", report.workspace)
    yield Block(
        "text",
        msg("%(kind)s, %(state)s", kind=report.workspace_kind, state=report.state)
        if report.state
        else report.workspace_kind,
    )
    if report.period:
        yield Block("text", msg("Reporting period: %(period)s", period=report.period))
    yield Block("text", msg("Status as of %(date)s", date=report.as_of.isoformat()))
    edition = (
        msg("Public edition: contains only the records the workspace has made public.")
        if report.public_edition
        else msg("Internal edition: includes the workspace's private records.")
    )
    yield Block("text", edition)
    yield Block("text", PREPARED)


def _summary(report: MidtermReport) -> Iterator[Block]:
    yield Block("heading", msg("Summary"))
    counts = (
        msg_n("%(num)s commitment", "%(num)s commitments", len(report.commitments)),
        msg_n("%(num)s overdue measure", "%(num)s overdue measures", report.overdue),
        msg_n(
            "%(num)s government claim disputed by an independent assessment",
            "%(num)s government claims disputed by an independent assessment",
            report.disputed,
        ),
    )
    yield Block("text", msg("%(a)s; %(b)s; %(c)s.", a=counts[0], b=counts[1], c=counts[2]))
    header = (msg("Status"), msg("Government claim"), msg("Independent view"), msg("Headline"))
    rows = tuple((r.status, str(r.government), str(r.independent), str(r.headline)) for r in report.summary)
    yield Block("table", rows=(header, *rows))
    yield Block(
        "text",
        msg(
            "The headline status is the latest independent view (NHRI, civil society, UN mechanism) "
            "where there is one, otherwise the government's claim."
        ),
    )


def _cite(recommendation: Recommendation) -> str:
    return msg("“%(text)s” (%(citation)s)", text=recommendation.text, citation=recommendation.citation)


def _assessment(a: AssessmentLine) -> str:
    line = msg(
        "%(status)s (%(date)s, %(assessor)s; source: %(source)s)",
        status=a.status,
        date=a.assessed_on.isoformat(),
        assessor=a.assessor,
        source=a.source,
    )
    return msg("%(line)s — %(note)s", line=line, note=a.note) if a.note else line


def _commitment(c: CommitmentSection) -> Iterator[Block]:
    yield Block("heading", msg("Commitment %(id)s: %(title)s", id=c.id, title=c.title))
    if c.recommendation:
        yield Block("text", msg("Recommendation: %(text)s", text=c.text))
        yield Block("text", c.recommendation.citation)
    else:
        yield Block("text", msg("Local pledge: %(text)s", text=c.text))
        yield Block("text", msg("Source: %(source)s", source=c.pledge_source or msg("not given")))
    yield Block("text", msg("Lead actor: %(name)s", name=c.lead or msg("none")))
    others = ", ".join(c.other_actors) or msg("none")
    yield Block("text", msg("Other actors: %(names)s", names=others))
    yield Block("text", msg("Status: %(status)s", status=c.status))
    if c.disputed:
        yield Block(
            "flag", msg("DISPUTED: an independent assessment rates implementation lower than the government.")
        )
    for earlier in c.repeats:
        yield Block("flag", msg("Repeats an earlier recommendation: %(cite)s", cite=_cite(earlier)))
    for later in c.repeated_later:
        yield Block("flag", msg("Recommended again in a later cycle: %(cite)s", cite=_cite(later)))
    if c.repeated_not_implemented:
        yield Block(
            "flag", msg("Recommended again although the earlier recommendation was not fully implemented.")
        )
    if c.carried_from:
        yield Block(
            "text",
            msg("Standing carried forward from commitment %(id)s (no assessment yet).", id=c.carried_from),
        )
    yield from _assessments(c)
    yield from _measures(c)
    yield from _progress(c)
    yield from _indicators(c)


def _assessments(c: CommitmentSection) -> Iterator[Block]:
    yield Block("subheading", msg("Assessments"))
    if not c.government and not c.others:
        yield Block("text", msg("No assessment yet."))
        return
    header = (msg("Government claim"), msg("Independent assessments"))
    gov = [_assessment(a) for a in c.government]
    others = [msg("%(who)s: %(line)s", who=a.assessor_type, line=_assessment(a)) for a in c.others]
    rows = [
        (gov[i] if i < len(gov) else "—", others[i] if i < len(others) else "—")
        for i in range(max(len(gov), len(others)))
    ]
    yield Block("table", rows=(header, *rows))


def _measures(c: CommitmentSection) -> Iterator[Block]:
    yield Block("subheading", msg("Measures"))
    if not c.measures:
        yield Block("text", msg("No measures planned."))
        return
    rows: list[tuple[str, ...]] = [(msg("Measure"), msg("Actor"), msg("Due"), msg("Status"))]
    for m in c.measures:
        status: str = m.status
        if m.completed_on:
            status = msg("%(status)s on %(date)s", status=status, date=m.completed_on.isoformat())
        if m.overdue:
            status = msg("OVERDUE (%(status)s)", status=status)
        rows.append((m.title, m.actor or "", m.due_on.isoformat(), status))
    yield Block("table", rows=tuple(rows), widths=(4, 3, 1.4, 2))


def _progress(c: CommitmentSection) -> Iterator[Block]:
    yield Block("subheading", msg("Progress reports"))
    if not c.progress:
        yield Block("text", msg("No progress reported."))
    for p in c.progress:
        date, author = p.reported_on.isoformat(), p.author
        if p.measure:
            line = msg(
                "%(date)s, %(author)s (measure: %(measure)s): %(text)s",
                date=date,
                author=author,
                measure=p.measure,
                text=p.text,
            )
        else:
            line = msg("%(date)s, %(author)s: %(text)s", date=date, author=author, text=p.text)
        yield Block("text", line)
        for e in p.evidence:
            yield Block(
                "text",
                msg(
                    "    Evidence: %(file)s (sha256 %(sha)s…, %(size)s bytes)",
                    file=e.filename,
                    sha=e.sha256_prefix,
                    size=e.size,
                ),
            )


def _indicators(c: CommitmentSection) -> Iterator[Block]:
    if not c.indicators:
        return
    yield Block("subheading", msg("Indicators"))
    rows: list[tuple[str, ...]] = [(msg("Indicator"), msg("Baseline"), msg("Target"), msg("Latest value"))]
    for i in c.indicators:
        latest: str = msg("none yet")
        if i.latest and i.latest_on:
            value = " ".join(part for part in (i.latest, i.unit) if part)
            latest = msg("%(value)s (%(date)s)", value=value, date=i.latest_on.isoformat())
        rows.append((i.name, i.baseline or "", i.target or "", latest))
    yield Block("table", rows=tuple(rows), widths=(3, 1.5, 1.5, 2.5))


def _sections(report: MidtermReport) -> list[Section]:
    """The report as sections of blocks, both renderers' one source, so DOCX and PDF say the same.
    The title page and the summary share the first page (no page that is mostly blank)."""
    opening = [*_title_page(report), *_summary(report)]
    if not report.commitments:
        opening.append(Block("text", msg("No commitments to report.")))
    return [opening, *(list(_commitment(c)) for c in report.commitments)]


def _localised(sections: list[Section], catalogue: Catalogue | None) -> list[Section]:
    """Every block's text in the catalogue's language (English without one)."""

    def say(text: str) -> str:
        return localise(text, catalogue)

    return [
        [
            replace(b, text=say(b.text), rows=tuple(tuple(say(cell) for cell in row) for row in b.rows))
            for b in section
        ]
        for section in sections
    ]


def _info(report: MidtermReport, catalogue: Catalogue | None) -> documents.DocumentInfo:
    title = f"{localise(TITLE, catalogue)}: {report.workspace}"
    return documents.DocumentInfo(title, report.workspace, footer=localise(FOOTER, catalogue))


def render_docx(report: MidtermReport, catalogue: Catalogue | None = None) -> bytes:
    """The report as DOCX, in the catalogue's language (English without one)."""
    return documents.render_docx(_localised(_sections(report), catalogue), _info(report, catalogue))


def render_pdf(
    report: MidtermReport, *, font: Path | None = None, catalogue: Catalogue | None = None
) -> bytes:
    """The report as PDF, in the catalogue's language; with ``font`` (a TrueType file) every
    character is kept as it is."""
    sections = _localised(_sections(report), catalogue)
    return documents.render_pdf(sections, _info(report, catalogue), font=font)
