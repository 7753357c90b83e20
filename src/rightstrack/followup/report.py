"""The mid-term report: where each commitment of a workspace stands, ready to submit as it is.

``midterm_report`` gathers a plain data structure from the same reads the pages use (standings,
measures, progress, assessments, indicators), so an export holds exactly what its reader may see:
a public export by a non-member carries the public records only. ``render_docx`` and
``render_pdf`` (in ``report_render``) turn it into a document. The government's claim and the
independent views stay side by side, as everywhere in the tracker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from rightstrack.followup.access import WorkspaceAccess
from rightstrack.followup.commitments import indicators_of, measures_of
from rightstrack.followup.model import (
    OPEN_MEASURE_STATUSES,
    AssessorType,
    ImplementationStatus,
    MeasureStatus,
)
from rightstrack.followup.progress import assessments_of, progress_of
from rightstrack.followup.schema import LINK_REPEATS, recommendation_links
from rightstrack.followup.status import UNASSESSED, standings
from rightstrack.followup.terms import term
from rightstrack.followup.workspaces import actors
from rightstrack.messages import msg
from rightstrack.store import schema
from rightstrack.store.records import RecordOut, fetch_records

SHA_PREFIX = 12
# How a state responded, as the report says it (the stored values are English words).
RESPONSES = {
    "supported": msg("supported"),
    "supported in part": msg("supported in part"),
    "noted": msg("noted"),
}


def status_label(status: str | None) -> str:
    """The name of an implementation status (a ``msg``: the report is written in its reader's language)."""
    return term(status or UNASSESSED)


@dataclass(frozen=True)
class Recommendation:
    """A recommendation of the public corpus, as the report cites it."""

    id: int
    text: str
    recommending_states: tuple[str, ...]
    mechanism: str
    cycle: int | None
    session: int | None
    year: int | None
    response: str | None
    source_document: str | None

    @property
    def citation(self) -> str:
        where: str = self.mechanism
        if self.cycle:
            where = msg("%(where)s, cycle %(n)s", where=where, n=self.cycle)
        if self.session:
            where = msg("%(where)s, session %(n)s", where=where, n=self.session)
        if self.year:
            where = msg("%(where)s, %(year)s", where=where, year=self.year)
        by = ", ".join(self.recommending_states) or msg("unknown")
        response = (
            RESPONSES.get(self.response or "", self.response) if self.response else msg("none recorded")
        )
        return msg(
            "%(where)s; recommended by %(by)s; response: %(response)s", where=where, by=by, response=response
        )


@dataclass(frozen=True)
class MeasureLine:
    title: str
    due_on: date
    status: str  # label
    actor: str | None
    completed_on: date | None
    overdue: bool


@dataclass(frozen=True)
class EvidenceLine:
    filename: str
    sha256_prefix: str
    size: int


@dataclass(frozen=True)
class ProgressLine:
    reported_on: date
    text: str
    author: str
    measure: str | None
    evidence: tuple[EvidenceLine, ...]


@dataclass(frozen=True)
class AssessmentLine:
    assessor_type: str  # label
    assessor: str
    status: str  # label
    assessed_on: date
    source: str
    note: str | None


@dataclass(frozen=True)
class IndicatorLine:
    name: str
    unit: str | None
    baseline: str | None
    target: str | None
    latest: str | None
    latest_on: date | None


@dataclass(frozen=True)
class CommitmentSection:
    id: int
    title: str
    text: str  # the recommendation's text, or the local pledge
    recommendation: Recommendation | None
    pledge_source: str | None
    lead: str | None
    other_actors: tuple[str, ...]
    status: str  # the headline (independent view where there is one), as a label
    claim: AssessmentLine | None
    independent: AssessmentLine | None
    disputed: bool
    carried_from: int | None
    government: tuple[AssessmentLine, ...]
    others: tuple[AssessmentLine, ...]
    measures: tuple[MeasureLine, ...]
    progress: tuple[ProgressLine, ...]
    indicators: tuple[IndicatorLine, ...]
    repeats: tuple[Recommendation, ...]  # earlier asks this one repeats
    repeated_later: tuple[Recommendation, ...]  # later asks repeating this one
    repeated_not_implemented: bool


@dataclass(frozen=True)
class SummaryRow:
    status: str  # label
    government: int  # commitments whose government claim is this status
    independent: int  # commitments whose latest independent view is this status
    headline: int


@dataclass(frozen=True)
class MidtermReport:
    workspace: str
    workspace_kind: str
    state: str | None  # the state's name
    as_of: date
    public_edition: bool  # True when the reader sees public records only
    summary: tuple[SummaryRow, ...]
    commitments: tuple[CommitmentSection, ...]
    period: str | None = None  # e.g. "Mid-term of the fourth UPR cycle (2024-2026)"

    @property
    def overdue(self) -> int:
        return sum(m.overdue for c in self.commitments for m in c.measures)

    @property
    def disputed(self) -> int:
        return sum(c.disputed for c in self.commitments)


def midterm_report(
    conn: Connection, access: WorkspaceAccess, today: date, *, period: str | None = None
) -> MidtermReport:
    """The report as the reader of ``access`` may see it on ``today``; ``period`` names the
    reporting period on the title page."""
    items = standings(conn, access)
    actor_names = {int(a["id"]): str(a["name"]) for a in actors(conn, access)}
    corpus = _recommendations(conn, items)
    sections = tuple(_section(conn, access, item, today, actor_names, corpus) for item in items)
    state = access.workspace.get("state")
    state_name = (
        conn.scalar(select(schema.states.c.name).where(schema.states.c.alpha3 == state)) if state else None
    )
    return MidtermReport(
        workspace=str(access.workspace["name"]),
        workspace_kind=term(access.workspace["kind"]),
        state=state_name or state,
        as_of=today,
        public_edition=not access.reads_private,
        summary=_summary(items),
        commitments=sections,
        period=period,
    )


def _summary(items: list[dict[str, Any]]) -> tuple[SummaryRow, ...]:
    rows = []
    for status in [*[s.value for s in ImplementationStatus], UNASSESSED]:
        rows.append(
            SummaryRow(
                status_label(status),
                sum(_status(i["claim"]) == status for i in items),
                sum(_status(i["independent"]) == status for i in items),
                sum(i["status"] == status for i in items),
            )
        )
    return tuple(rows)


def _status(assessment: dict[str, Any] | None) -> str:
    return str(assessment["status"]) if assessment else UNASSESSED


def _recommendations(conn: Connection, items: list[dict[str, Any]]) -> dict[int, Recommendation]:
    """Every recommendation the report cites: the commitments', and those they repeat or are repeated by."""
    wanted = {int(i["recommendation_id"]) for i in items if i["recommendation_id"]}
    for item in items:
        wanted.update(int(r) for r in item["repeats"])
    wanted.update(_later_links(conn, wanted).keys())
    records = fetch_records(conn, sorted(wanted))
    codes = sorted({s for r in records for s in r["recommending_states"]})
    st = schema.states
    names = (
        dict(conn.execute(select(st.c.alpha3, st.c.name).where(st.c.alpha3.in_(codes))).all())
        if codes
        else {}
    )
    return {r["id"]: _recommendation(r, names) for r in records}


def _later_links(conn: Connection, earlier: set[int]) -> dict[int, int]:
    """later recommendation id -> the earlier one it repeats."""
    if not earlier:
        return {}
    links = recommendation_links
    rows = conn.execute(
        select(links.c.recommendation_id, links.c.earlier_id).where(
            links.c.earlier_id.in_(sorted(earlier)), links.c.kind == LINK_REPEATS
        )
    )
    return {int(r.recommendation_id): int(r.earlier_id) for r in rows}


def _recommendation(record: RecordOut, state_names: dict[str, str]) -> Recommendation:
    """The record, with the recommending states by name (the record has their ISO codes)."""
    return Recommendation(
        id=record["id"],
        text=record["text"],
        recommending_states=tuple(state_names.get(s, s) for s in record["recommending_states"]),
        mechanism=record["mechanism"],
        cycle=record["cycle"],
        session=record["session"],
        year=record["year"],
        response=record["response"],
        source_document=record["source_document"],
    )


def _section(
    conn: Connection,
    access: WorkspaceAccess,
    item: dict[str, Any],
    today: date,
    actor_names: dict[int, str],
    corpus: dict[int, Recommendation],
) -> CommitmentSection:
    cid = int(item["id"])
    rid = item["recommendation_id"]
    recommendation = corpus.get(int(rid)) if rid else None
    measures = measures_of(conn, access, cid)
    measure_titles = {int(m["id"]): str(m["title"]) for m in measures}
    assessed = [_assessment(a) for a in assessments_of(conn, access, cid)]
    government = tuple(a for a, t in assessed if t == AssessorType.GOVERNMENT)
    later = list(_later_links(conn, {int(rid)})) if rid else []
    return CommitmentSection(
        id=cid,
        title=str(item["title"]),
        text=recommendation.text if recommendation else str(item["pledge"] or item["title"]),
        recommendation=recommendation,
        pledge_source=None if recommendation else item["source"],
        lead=next((a["name"] for a in item["actors"] if a["lead"]), None),
        other_actors=tuple(a["name"] for a in item["actors"] if not a["lead"]),
        status=status_label(item["status"]),
        claim=_assessment(item["claim"])[0] if item["claim"] else None,
        independent=_assessment(item["independent"])[0] if item["independent"] else None,
        disputed=bool(item["disputed"]),
        carried_from=item["carried_from"],
        government=government,
        others=tuple(a for a, t in assessed if t != AssessorType.GOVERNMENT),
        measures=tuple(_measure(m, today, actor_names) for m in measures),
        progress=tuple(_progress(p, measure_titles) for p in progress_of(conn, access, cid)),
        indicators=tuple(_indicator(i) for i in indicators_of(conn, access, cid)),
        repeats=tuple(corpus[r] for r in item["repeats"] if r in corpus),
        repeated_later=tuple(corpus[r] for r in later if r in corpus),
        repeated_not_implemented=bool(item["repeated_not_implemented"]),
    )


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _measure(row: dict[str, Any], today: date, actor_names: dict[int, str]) -> MeasureLine:
    due = _day(row["due_on"])
    status = MeasureStatus(row["status"])
    return MeasureLine(
        title=str(row["title"]),
        due_on=due,
        status=term(status.value),
        actor=actor_names.get(row["actor_id"]) if row["actor_id"] else None,
        completed_on=_day(row["completed_on"]) if row["completed_on"] else None,
        overdue=status in OPEN_MEASURE_STATUSES and due < today,
    )


def _progress(row: dict[str, Any], measure_titles: dict[int, str]) -> ProgressLine:
    return ProgressLine(
        reported_on=_day(row["reported_on"]),
        text=str(row["text"]),
        author=str(row["author"]),
        measure=measure_titles.get(row["measure_id"]) if row["measure_id"] else None,
        evidence=tuple(
            EvidenceLine(str(e["filename"]), str(e["sha256"])[:SHA_PREFIX], int(e["size"]))
            for e in row["evidence"]
        ),
    )


def _assessment(row: dict[str, Any]) -> tuple[AssessmentLine, str]:
    kind = AssessorType(row["assessor_type"])
    line = AssessmentLine(
        assessor_type=term(kind.value),
        assessor=str(row["assessor"]),
        status=status_label(str(row["status"])),
        assessed_on=_day(row["assessed_on"]),
        source=str(row["source"]),
        note=row["note"],
    )
    return line, kind.value


def _indicator(row: dict[str, Any]) -> IndicatorLine:
    values = row["values"]
    last = values[-1] if values else None
    return IndicatorLine(
        name=str(row["name"]),
        unit=row["unit"],
        baseline=row["baseline"],
        target=row["target"],
        latest=str(last["value"]) if last else None,
        latest_on=_day(last["reported_on"]) if last else None,
    )
