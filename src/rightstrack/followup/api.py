"""The tracking API under /api/v1/workspaces: a few lines per route over the library.

The Guard checks only the instance-wide READ permission (and CSRF on writes); what a caller may
do inside a workspace — and whether a private record exists for them at all — is decided by the
library's WorkspaceAccess, so the API, the pages and the CLI cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel

from rightstrack.auth.accounts import Session
from rightstrack.auth.notices import Outbox
from rightstrack.auth.roles import Permission
from rightstrack.errors import InvalidInput, LoginRequired
from rightstrack.followup import bulk, lifecycle, progress, status, workspaces
from rightstrack.followup import commitments as cm
from rightstrack.followup.access import WorkspaceAccess, workspace_access
from rightstrack.followup.creation import creation_policy
from rightstrack.followup.evidence import EvidenceStore
from rightstrack.followup.model import (
    ActorCreate,
    ActorUpdate,
    AssessmentCreate,
    AssessmentUpdate,
    CommitmentCreate,
    CommitmentUpdate,
    IndicatorCreate,
    IndicatorValueCreate,
    MeasureCreate,
    MeasureUpdate,
    ProgressCreate,
    Visibility,
    WorkspaceCreate,
    WorkspaceRole,
)
from rightstrack.followup.report import midterm_report
from rightstrack.followup.report_render import render_docx, render_pdf
from rightstrack.messages import msg
from rightstrack.settings import Settings
from rightstrack.store.database import Database
from rightstrack.web.i18n import choose_language, translations
from rightstrack.web.security import Guard


class WorkspaceIn(WorkspaceCreate):
    owner: str | None = None


class MemberIn(BaseModel):
    role: WorkspaceRole
    email: str | None = None


def evidence_store(settings: Settings) -> EvidenceStore:
    return EvidenceStore(settings.data_path / "evidence", int(settings.evidence_max_mb) * 1024 * 1024)


def commitment_detail(conn: Any, access: WorkspaceAccess, commitment_id: int) -> dict[str, Any]:
    """A commitment with everything about it the reader may see."""
    found = cm.get_commitment(conn, access, commitment_id)
    assessments = progress.assessments_of(conn, access, commitment_id)
    standing = status.standings(conn, access, only=commitment_id)[0]
    return found | {
        "actors": cm.commitment_actors(conn, commitment_id),
        "measures": cm.measures_of(conn, access, commitment_id),
        "indicators": cm.indicators_of(conn, access, commitment_id),
        "progress": progress.progress_of(conn, access, commitment_id),
        "assessments": assessments,
        "gap": progress.claim_gap(assessments),
        "status": standing["status"],
        "carried_from": standing["carried_from"],
        "repeats": standing["repeats"],
        "repeated_not_implemented": standing["repeated_not_implemented"],
    }


def tracking_router(db: Database, settings: Settings, guard: Guard) -> APIRouter:
    router = APIRouter(prefix="/api/v1/workspaces", tags=["tracking"])
    who = guard.need(Permission.READ)
    retention = int(settings.retention_days)

    @router.get("/templates/{kind}.csv", summary="A CSV template: commitments, measures or assessments")
    def api_template(kind: str, session: Session | None = Depends(who)) -> Response:
        return _csv(bulk.template(kind), f"{kind}-template.csv")

    def access_for(slug: str, session: Session | None) -> WorkspaceAccess:
        with db.read() as conn:
            return workspace_access(conn, slug, session.user if session else None)

    def reading(slug: str, session: Session | None, fn: Callable[..., Any], *args: Any) -> Any:
        with db.read() as conn:
            return fn(conn, workspace_access(conn, slug, session.user if session else None), *args)

    @router.get("", summary="Workspaces (names are public), with your role in each")
    def api_workspaces(session: Session | None = Depends(who)) -> list[dict[str, Any]]:
        with db.read() as conn:
            return workspaces.list_workspaces(conn, session.user if session else None)

    @router.post(
        "",
        summary="Create a workspace (who may: the workspace_creation setting, or /admin)",
        status_code=201,
    )
    def api_create_workspace(body: WorkspaceIn, session: Session | None = Depends(who)) -> dict[str, Any]:
        if session is None:
            raise LoginRequired(msg("Log in first."))
        data = WorkspaceCreate(**body.model_dump(exclude={"owner"}))
        with db.read() as conn:
            policy = creation_policy(conn, str(settings.workspace_creation))
        made = workspaces.create_workspace(
            db, data, by=session.user, owner=body.owner, policy=policy, outbox=Outbox.from_settings(settings)
        )
        return {"id": made, "slug": data.slug}

    @router.get("/{slug}", summary="A workspace's dashboard: status by theme, actor, cycle; overdue work")
    def api_dashboard(slug: str, session: Session | None = Depends(who)) -> dict[str, Any]:
        board: dict[str, Any] = reading(slug, session, status.dashboard, date.today())
        return {"workspace": access_for(slug, session).workspace} | board

    @router.get("/{slug}/members", summary="Members and their roles (members only)")
    def api_members(slug: str, session: Session | None = Depends(who)) -> list[dict[str, Any]]:
        return reading(slug, session, workspaces.members)  # type: ignore[no-any-return]

    @router.put("/{slug}/members/{username}", summary="Add a member or change their role (owners)")
    def api_set_member(
        slug: str, username: str, body: MemberIn, session: Session | None = Depends(who)
    ) -> dict[str, str]:
        workspaces.set_member(db, access_for(slug, session), username, body.role, body.email)
        return {"username": username, "role": body.role.value}

    @router.delete("/{slug}/members/{username}", summary="Remove a member (owners)", status_code=204)
    def api_remove_member(slug: str, username: str, session: Session | None = Depends(who)) -> Response:
        workspaces.remove_member(db, access_for(slug, session), username)
        return Response(status_code=204)

    @router.get("/{slug}/actors", summary="The actor tree")
    def api_actors(slug: str, session: Session | None = Depends(who)) -> list[dict[str, Any]]:
        return reading(slug, session, workspaces.actors)  # type: ignore[no-any-return]

    @router.post("/{slug}/actors", summary="Add an actor", status_code=201)
    def api_add_actor(slug: str, body: ActorCreate, session: Session | None = Depends(who)) -> dict[str, int]:
        return {"id": workspaces.add_actor(db, access_for(slug, session), body)}

    @router.patch("/{slug}/actors/{actor_id}", summary="Edit an actor")
    def api_edit_actor(
        slug: str, actor_id: int, body: ActorUpdate, session: Session | None = Depends(who)
    ) -> dict[str, Any]:
        return workspaces.update_actor(db, access_for(slug, session), actor_id, body)

    @router.get("/{slug}/commitments", summary="Commitments with their standing")
    def api_commitments(slug: str, session: Session | None = Depends(who)) -> list[dict[str, Any]]:
        return reading(slug, session, status.standings)  # type: ignore[no-any-return]

    @router.post("/{slug}/commitments", summary="Take on a recommendation or a local pledge", status_code=201)
    def api_add_commitment(
        slug: str, body: CommitmentCreate, session: Session | None = Depends(who)
    ) -> dict[str, int]:
        return {"id": cm.add_commitment(db, access_for(slug, session), body)}

    @router.get(
        "/{slug}/commitments/{commitment_id}", summary="A commitment with measures, reports, assessments"
    )
    def api_commitment(
        slug: str, commitment_id: int, session: Session | None = Depends(who)
    ) -> dict[str, Any]:
        return reading(slug, session, commitment_detail, commitment_id)  # type: ignore[no-any-return]

    @router.patch("/{slug}/commitments/{commitment_id}", summary="Edit a commitment")
    def api_edit_commitment(
        slug: str, commitment_id: int, body: CommitmentUpdate, session: Session | None = Depends(who)
    ) -> dict[str, Any]:
        return cm.update_commitment(db, access_for(slug, session), commitment_id, body)

    @router.post("/{slug}/commitments/{commitment_id}/measures", summary="Plan a measure", status_code=201)
    def api_add_measure(
        slug: str, commitment_id: int, body: MeasureCreate, session: Session | None = Depends(who)
    ) -> dict[str, int]:
        return {"id": cm.add_measure(db, access_for(slug, session), commitment_id, body)}

    @router.patch("/{slug}/measures/{measure_id}", summary="Edit a measure (status, due date…)")
    def api_edit_measure(
        slug: str, measure_id: int, body: MeasureUpdate, session: Session | None = Depends(who)
    ) -> dict[str, Any]:
        return cm.update_measure(db, access_for(slug, session), measure_id, body)

    @router.post(
        "/{slug}/commitments/{commitment_id}/indicators", summary="Add an indicator", status_code=201
    )
    def api_add_indicator(
        slug: str, commitment_id: int, body: IndicatorCreate, session: Session | None = Depends(who)
    ) -> dict[str, int]:
        return {"id": cm.add_indicator(db, access_for(slug, session), commitment_id, body)}

    @router.post(
        "/{slug}/indicators/{indicator_id}/values", summary="Report an indicator value", status_code=201
    )
    def api_add_value(
        slug: str, indicator_id: int, body: IndicatorValueCreate, session: Session | None = Depends(who)
    ) -> dict[str, int]:
        return {"id": cm.add_indicator_value(db, access_for(slug, session), indicator_id, body)}

    @router.post(
        "/{slug}/commitments/{commitment_id}/progress",
        summary="Report progress, with evidence files (multipart form)",
        status_code=201,
    )
    async def api_add_progress(
        slug: str,
        commitment_id: int,
        reported_on: date = Form(...),
        text: str = Form(...),
        measure_id: int | None = Form(None),
        visibility: Visibility = Form(Visibility.PRIVATE),
        files: list[UploadFile] = File(default_factory=list),
        session: Session | None = Depends(who),
    ) -> dict[str, int]:
        limit = int(settings.evidence_max_mb) * 1024 * 1024
        contents = [(f.filename or "", await f.read(limit + 1)) for f in files]
        data = ProgressCreate(
            reported_on=reported_on, text=text, measure_id=measure_id, visibility=visibility
        )
        access = access_for(slug, session)
        store = evidence_store(settings)
        return {"id": progress.add_progress(db, access, commitment_id, data, files=contents, store=store)}

    @router.get("/{slug}/evidence/{evidence_id}", summary="Download an evidence file")
    def api_evidence(slug: str, evidence_id: int, session: Session | None = Depends(who)) -> Response:
        found = reading(slug, session, progress.evidence_file, evidence_id)
        data = evidence_store(settings).read(found["sha256"])
        disposition = f'attachment; filename="{found["filename"].replace(chr(34), "")}"'
        return Response(data, media_type=found["content_type"], headers={"Content-Disposition": disposition})

    @router.post(
        "/{slug}/commitments/{commitment_id}/assessments", summary="Assess implementation", status_code=201
    )
    def api_add_assessment(
        slug: str, commitment_id: int, body: AssessmentCreate, session: Session | None = Depends(who)
    ) -> dict[str, int]:
        return {"id": progress.add_assessment(db, access_for(slug, session), commitment_id, body)}

    @router.patch("/{slug}/assessments/{assessment_id}", summary="Edit an assessment")
    def api_edit_assessment(
        slug: str, assessment_id: int, body: AssessmentUpdate, session: Session | None = Depends(who)
    ) -> dict[str, Any]:
        return progress.update_assessment(db, access_for(slug, session), assessment_id, body)

    @router.get("/{slug}/bin", summary="Deleted records that can still be restored")
    def api_bin(slug: str, session: Session | None = Depends(who)) -> list[dict[str, Any]]:
        return reading(slug, session, lifecycle.deleted_records)  # type: ignore[no-any-return]

    @router.delete("/{slug}/{entity}/{record_id}", summary="Delete (reversibly) a record", status_code=204)
    def api_delete(
        slug: str, entity: str, record_id: int, session: Session | None = Depends(who)
    ) -> Response:
        lifecycle.delete_record(db, access_for(slug, session), entity, record_id)
        return Response(status_code=204)

    @router.post("/{slug}/{entity}/{record_id}/restore", summary="Restore a deleted record")
    def api_restore(
        slug: str, entity: str, record_id: int, session: Session | None = Depends(who)
    ) -> dict[str, Any]:
        return lifecycle.restore_record(
            db, access_for(slug, session), entity, record_id, retention_days=retention
        )

    @router.get(
        "/{slug}/{entity}/{record_id}/history", summary="Who changed a record, when, before and after"
    )
    def api_history(
        slug: str, entity: str, record_id: int, session: Session | None = Depends(who)
    ) -> list[Any]:
        return reading(slug, session, lifecycle.record_history, entity, record_id)  # type: ignore[no-any-return]

    router.include_router(downloads(db, who))

    @router.post("/{slug}/import/{kind}", summary="Import commitments, measures or assessments from CSV")
    async def api_import(
        slug: str, kind: str, file: UploadFile = File(...), session: Session | None = Depends(who)
    ) -> dict[str, object]:
        data = await file.read(20 * 1024 * 1024 + 1)
        if len(data) > 20 * 1024 * 1024:
            raise InvalidInput(f"{file.filename}: larger than 20 MiB")
        access = access_for(slug, session)
        return bulk.import_csv(db, access, kind, data, filename=file.filename or "upload.csv").as_dict()

    return router


def _csv(text: str, filename: str) -> Response:
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


_REPORT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def downloads(db: Database, who: Callable[..., Any], prefix: str = "") -> APIRouter:
    """The mid-term report and CSV exports; served under the API and beside the pages (whose errors
    are pages, so they stay out of the OpenAPI spec)."""
    router = APIRouter(prefix=prefix, tags=["tracking"], include_in_schema=not prefix)

    @router.get(
        "/{slug}/report.{fmt}",
        summary="The mid-term report (docx or pdf) of what you may see, in the language asked for (?lang=)",
    )
    def report_file(
        request: Request, slug: str, fmt: str, period: str = "", session: Session | None = Depends(who)
    ) -> Response:
        if fmt not in _REPORT_TYPES:
            raise InvalidInput(f"unknown report format {fmt!r}: docx or pdf")
        with db.read() as conn:
            access = workspace_access(conn, slug, session.user if session else None)
            report = midterm_report(conn, access, date.today(), period=period.strip()[:200] or None)
        catalogue = translations(choose_language(request))
        data = render_docx(report, catalogue) if fmt == "docx" else render_pdf(report, catalogue=catalogue)
        name = f"{slug}-midterm-{date.today().isoformat()}.{fmt}"
        return Response(
            data,
            media_type=_REPORT_TYPES[fmt],
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    @router.get("/{slug}/export/{kind}.csv", summary="Export commitments, measures or assessments as CSV")
    def export_file(slug: str, kind: str, session: Session | None = Depends(who)) -> Response:
        with db.read() as conn:
            text = bulk.export_csv(
                conn, workspace_access(conn, slug, session.user if session else None), kind
            )
        return _csv(text, f"{slug}-{kind}.csv")

    return router
