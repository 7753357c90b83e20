"""The mid-term report as DOCX and PDF: its blocks (``_blocks``), laid out by ``report.documents``,
so both documents always say the same (see that module on the PDF's characters).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from rightstrack.followup.report import (
    AssessmentLine,
    CommitmentSection,
    MidtermReport,
    Recommendation,
)
from rightstrack.report import documents
from rightstrack.report.documents import PREPARED, Block, pdf_safe

__all__ = ["TITLE", "pdf_safe", "render_docx", "render_pdf"]

TITLE = "Mid-term report on the implementation of UN human rights recommendations"


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


def _info(report: MidtermReport) -> documents.DocumentInfo:
    return documents.DocumentInfo(title=f"{TITLE}: {report.workspace}", author=report.workspace)


def render_docx(report: MidtermReport) -> bytes:
    return documents.render_docx(_blocks(report), _info(report))


def render_pdf(report: MidtermReport, *, font: Path | None = None) -> bytes:
    """The report as PDF; with ``font`` (a TrueType file) every character is kept as it is."""
    return documents.render_pdf(_blocks(report), _info(report), font=font)
