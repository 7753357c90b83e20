"""Progress reports (with evidence files) and assessments of implementation.

The government's claim and the assessments of others are kept side by side, never merged: the
gap between them is the finding.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select

from rightstrack.followup import history
from rightstrack.followup.access import WorkspaceAccess, WorkspacePermission, not_found
from rightstrack.followup.commitments import MEASURE, get_commitment
from rightstrack.followup.evidence import EvidenceStore
from rightstrack.followup.model import (
    AssessmentCreate,
    AssessmentUpdate,
    AssessorType,
    ImplementationStatus,
    ProgressCreate,
    ProgressUpdate,
)
from rightstrack.followup.schema import fu_assessments, fu_evidence, fu_measures, fu_progress
from rightstrack.store.database import Database

PROGRESS, ASSESSMENT = "progress", "assessment"


def add_progress(
    db: Database,
    access: WorkspaceAccess,
    commitment_id: int,
    data: ProgressCreate,
    *,
    files: list[tuple[str, bytes]] = (),  # type: ignore[assignment]
    store: EvidenceStore | None = None,
) -> int:
    """A dated report, with evidence files checked before anything is written."""
    access.require(WorkspacePermission.REPORT)
    checked = [(store.check(name, data), data) for name, data in files] if store else []
    if files and store is None:
        raise ValueError("evidence files need an EvidenceStore")
    with db.transaction() as conn:
        get_commitment(conn, access, commitment_id)
        if data.measure_id is not None:
            measure = history.load(conn, fu_measures, access, MEASURE, data.measure_id)
            if measure["commitment_id"] != commitment_id:
                raise not_found(MEASURE, data.measure_id)
        author = access.user.display_name or access.user.username if access.user else "unknown"
        progress_id = history.create(
            conn,
            fu_progress,
            access,
            PROGRESS,
            data.model_dump() | {"commitment_id": commitment_id, "author": author},
        )
        for stored, content in checked:
            assert store is not None
            store.put(
                content, stored
            )  # by hash: a rolled-back report leaves an unreferenced file, never a lost one
            conn.execute(
                fu_evidence.insert(),
                {
                    "workspace_id": access.id,
                    "progress_id": progress_id,
                    "filename": stored.filename,
                    "content_type": stored.content_type,
                    "size": stored.size,
                    "sha256": stored.sha256,
                    "created_at": datetime.now(UTC),
                    "created_by": access.actor,
                },
            )
        return progress_id


def update_progress(
    db: Database, access: WorkspaceAccess, progress_id: int, data: ProgressUpdate
) -> dict[str, Any]:
    """Correct a report's date, text, measure or visibility (its evidence files stay as they are)."""
    access.require(WorkspacePermission.REPORT)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    with db.transaction() as conn:
        report = history.load(conn, fu_progress, access, PROGRESS, progress_id)
        commitment_id = int(report["commitment_id"])
        get_commitment(conn, access, commitment_id)
        if changes.get("measure_id") is not None:
            measure = history.load(conn, fu_measures, access, MEASURE, int(changes["measure_id"]))
            if measure["commitment_id"] != commitment_id:
                raise not_found(MEASURE, int(changes["measure_id"]))
        return history.update(conn, fu_progress, access, PROGRESS, progress_id, changes, data.version)


def progress_of(conn: Connection, access: WorkspaceAccess, commitment_id: int) -> list[dict[str, Any]]:
    commitment = get_commitment(conn, access, commitment_id)
    query = select(fu_progress).where(
        fu_progress.c.commitment_id == commitment_id, fu_progress.c.deleted_at.is_(None)
    )
    out = []
    for row in conn.execute(query.order_by(fu_progress.c.reported_on, fu_progress.c.id)):
        if not access.sees(commitment["visibility"], row.visibility):
            continue
        files = conn.execute(
            select(
                fu_evidence.c.id,
                fu_evidence.c.filename,
                fu_evidence.c.content_type,
                fu_evidence.c.size,
                fu_evidence.c.sha256,
            ).where(fu_evidence.c.progress_id == row.id)
        )
        out.append(history.snapshot(row) | {"evidence": [dict(f._mapping) for f in files]})
    return out


def evidence_file(conn: Connection, access: WorkspaceAccess, evidence_id: int) -> dict[str, Any]:
    """An evidence file's record, if the reader may see the report it belongs to."""
    row = conn.execute(
        select(fu_evidence).where(fu_evidence.c.id == evidence_id, fu_evidence.c.workspace_id == access.id)
    ).first()
    if row is None:
        raise not_found("evidence file", evidence_id)
    report = history.load(conn, fu_progress, access, PROGRESS, int(row.progress_id))
    commitment = get_commitment(conn, access, int(report["commitment_id"]))
    if not access.sees(commitment["visibility"], report["visibility"]):
        raise not_found("evidence file", evidence_id)
    return history.snapshot(row)


# -- assessments ------------------------------------------------------------------------------


def add_assessment(db: Database, access: WorkspaceAccess, commitment_id: int, data: AssessmentCreate) -> int:
    access.require(WorkspacePermission.REPORT)
    with db.transaction() as conn:
        get_commitment(conn, access, commitment_id)
        return history.create(
            conn, fu_assessments, access, ASSESSMENT, data.model_dump() | {"commitment_id": commitment_id}
        )


def update_assessment(
    db: Database, access: WorkspaceAccess, assessment_id: int, data: AssessmentUpdate
) -> dict[str, Any]:
    access.require(WorkspacePermission.REPORT)
    with db.transaction() as conn:
        return history.update(
            conn,
            fu_assessments,
            access,
            ASSESSMENT,
            assessment_id,
            data.model_dump(exclude_unset=True, exclude={"version"}),
            data.version,
        )


def assessments_of(conn: Connection, access: WorkspaceAccess, commitment_id: int) -> list[dict[str, Any]]:
    commitment = get_commitment(conn, access, commitment_id)
    rows = conn.execute(
        select(fu_assessments)
        .where(fu_assessments.c.commitment_id == commitment_id, fu_assessments.c.deleted_at.is_(None))
        .order_by(fu_assessments.c.assessed_on, fu_assessments.c.id)
    )
    return [history.snapshot(r) for r in rows if access.sees(commitment["visibility"], r.visibility)]


def latest_by_assessor(assessments: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """assessor type -> its most recent assessment (by date, then by entry order)."""
    latest: dict[str, dict[str, Any]] = {}
    for item in sorted(assessments, key=lambda a: (a["assessed_on"], a["id"])):
        latest[item["assessor_type"]] = item
    return latest


_RANK = {
    ImplementationStatus.NOT_IMPLEMENTED: 0,
    ImplementationStatus.PARTIALLY: 1,
    ImplementationStatus.FULLY: 2,
}


def claim_gap(assessments: list[dict[str, Any]]) -> dict[str, Any]:
    """The government's latest claim beside the latest view of each other assessor type.

    ``disputed`` is true when someone other than the government rates implementation lower than
    the government does (``unknown`` is not a rating, so it disputes nothing)."""
    latest = latest_by_assessor(assessments)
    claim = latest.get(AssessorType.GOVERNMENT)
    others = {k: v for k, v in latest.items() if k != AssessorType.GOVERNMENT}
    disputed = False
    if claim and claim["status"] in _RANK:
        disputed = any(
            v["status"] in _RANK
            and _RANK[ImplementationStatus(v["status"])] < _RANK[ImplementationStatus(claim["status"])]
            for v in others.values()
        )
    return {"government": claim, "others": others, "disputed": disputed}
