"""The tracking pages' forms: each POST reads a plain form (so a refused one comes back as it was,
every problem named by its field), calls one library function, and redirects (303) on success."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import FormData, UploadFile

from rightstrack.auth.accounts import Session
from rightstrack.auth.roles import Permission
from rightstrack.errors import InvalidInput, Problem, RightstrackError
from rightstrack.followup.access import WorkspaceAccess, WorkspacePermission
from rightstrack.followup.bulk import import_csv
from rightstrack.followup.commitments import (
    add_commitment,
    add_indicator,
    add_indicator_value,
    add_measure,
    update_commitment,
    update_measure,
)
from rightstrack.followup.evidence import EvidenceStore
from rightstrack.followup.model import (
    ActorCreate,
    AssessmentCreate,
    CommitmentCreate,
    CommitmentUpdate,
    IndicatorCreate,
    IndicatorValueCreate,
    MeasureCreate,
    MeasureUpdate,
    ProgressCreate,
)
from rightstrack.followup.page_views import parse
from rightstrack.followup.pages import Pages
from rightstrack.followup.progress import add_assessment, add_progress
from rightstrack.followup.workspaces import add_actor
from rightstrack.store.database import Database
from rightstrack.web.security import Guard, check_form_csrf

ACTOR_FIELDS = ("name", "kind", "parent_id")
COMMITMENT_FIELDS = ("recommendation_id", "title", "pledge", "source", "visibility", "lead_actor_id")
MEASURE_FIELDS = ("title", "description", "actor_id", "responsible_user", "due_on", "status")
PROGRESS_FIELDS = ("reported_on", "text", "measure_id", "visibility")
INDICATOR_FIELDS = ("name", "unit", "baseline", "target", "frequency", "starts_on", "responsible_user")
VALUE_FIELDS = ("reported_on", "value", "note")
ASSESSMENT_FIELDS = ("assessor_type", "assessor", "status", "assessed_on", "source", "note", "visibility")
MAX_FILES = 10
MAX_CSV = 20 * 2**20
Files = list[tuple[str, bytes]]
Build = Callable[[FormData, Files, WorkspaceAccess, int], None]


def _values(form: FormData, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: str(form.get(name, "")).strip() for name in names}


def _model_input(values: dict[str, Any]) -> dict[str, Any]:
    # An empty field means "not given": the model's default or its "field required" applies.
    return {k: v for k, v in values.items() if v not in ("", [], None)}


def _actor_ids(form: FormData) -> list[str]:
    return [str(v) for v in form.getlist("actor_ids") if str(v).strip()]


async def _files(form: FormData, max_bytes: int) -> tuple[Files, InvalidInput | None]:
    """The uploaded files (their type is checked by the evidence store), or why they were refused."""
    uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    if len(uploads) > MAX_FILES:
        return [], InvalidInput(f"at most {MAX_FILES} files per report", [Problem("too many", field="files")])
    # Read one byte past the limit: enough for the store to refuse a big file, never the whole of it.
    return [(f.filename or "", await f.read(max_bytes + 1)) for f in uploads], None


def add_form_routes(
    router: APIRouter, db: Database, guard: Guard, store: EvidenceStore, pages: Pages
) -> None:
    post = guard.need(Permission.READ, form_csrf=True)

    async def read_form(request: Request, session: Session | None) -> FormData:
        form = await request.form()
        check_form_csrf(session, str(form.get("csrf_token", "")))
        return form

    def attempt(
        name: str,
        values: dict[str, Any],
        act: Callable[[WorkspaceAccess], str],
        again: Callable[..., Any],
        access: WorkspaceAccess,
    ) -> Any:
        """Run the change; on success go where ``act`` says, else show the form again with the error."""
        try:
            target = act(access)
        except RightstrackError as exc:
            page = again(errors={name: exc}, forms={name: values})
            page.status_code = exc.status
            return page
        return RedirectResponse(target, status_code=303)

    @router.post("/workspaces/{slug}/actors", response_class=HTMLResponse)
    async def post_actor(request: Request, slug: str, session: Session | None = Depends(post)) -> Any:
        form = await read_form(request, session)
        f = _values(form, ACTOR_FIELDS)

        def act(access: WorkspaceAccess) -> str:
            actor_id = add_actor(db, access, parse(ActorCreate, _model_input(f)))
            return f"/workspaces/{slug}/actors/{actor_id}"

        again = _again(pages.workspace, request, slug, session)
        return attempt("actor", f, act, again, pages.access(slug, session))

    @router.post("/workspaces/{slug}/commitments", response_class=HTMLResponse)
    async def post_commitment(request: Request, slug: str, session: Session | None = Depends(post)) -> Any:
        form = await read_form(request, session)
        name = "pledge" if form.get("form") == "pledge" else "take_on"
        f = _values(form, COMMITMENT_FIELDS) | {"actor_ids": _actor_ids(form)}

        def act(access: WorkspaceAccess) -> str:
            if name == "take_on" and not f["recommendation_id"]:
                raise InvalidInput("which recommendation?", [Problem("required", field="recommendation_id")])
            commitment_id = add_commitment(db, access, parse(CommitmentCreate, _model_input(f)))
            return f"/workspaces/{slug}/commitments/{commitment_id}"

        again = _again(pages.workspace, request, slug, session)
        return attempt(name, f, act, again, pages.access(slug, session))

    @router.post("/workspaces/{slug}/import", response_class=HTMLResponse)
    async def post_import(request: Request, slug: str, session: Session | None = Depends(post)) -> Any:
        form = await read_form(request, session)
        f = _values(form, ("kind",))
        upload = form.get("file")
        data = await upload.read(MAX_CSV + 1) if isinstance(upload, UploadFile) else b""
        filename = upload.filename if isinstance(upload, UploadFile) and upload.filename else "upload.csv"

        def act(access: WorkspaceAccess) -> str:
            # Who may import comes first: an outsider learns nothing from the form's other checks.
            access.require(
                WorkspacePermission.REPORT if f["kind"] == "assessments" else WorkspacePermission.EDIT
            )
            if not data:
                raise InvalidInput("choose a CSV file", [Problem("required", field="file")])
            if len(data) > MAX_CSV:
                raise InvalidInput(
                    f"{filename}: larger than {MAX_CSV // 2**20} MiB", [Problem("too big", field="file")]
                )
            import_csv(db, access, f["kind"], data, filename=filename)
            return f"/workspaces/{slug}#commitments"

        again = _again(pages.workspace, request, slug, session)
        return attempt("csv", f, act, again, pages.access(slug, session))

    @router.post("/recommendations/{recommendation_id}/track", response_class=HTMLResponse)
    async def post_track(
        request: Request, recommendation_id: int, session: Session | None = Depends(post)
    ) -> Any:
        # From a recommendation's page: the workspace is a field, and errors show on the error page.
        form = await read_form(request, session)
        slug = str(form.get("workspace", ""))
        commitment_id = add_commitment(
            db, pages.access(slug, session), CommitmentCreate(recommendation_id=recommendation_id)
        )
        return RedirectResponse(f"/workspaces/{slug}/commitments/{commitment_id}", status_code=303)

    def commitment_form(path: str, name: str, section: str = "") -> Callable[[Build], Build]:
        """Register a form of the commitment page; ``build`` makes the change from the form, then
        the page opens at ``section`` (by default the form's path)."""

        def register(build: Build) -> Build:
            @router.post(
                f"/workspaces/{{slug}}/commitments/{{commitment_id}}/{path}", response_class=HTMLResponse
            )
            async def handler(
                request: Request, slug: str, commitment_id: int, session: Session | None = Depends(post)
            ) -> Any:
                form = await read_form(request, session)
                f: dict[str, Any] = {
                    k: str(v).strip() for k, v in form.items() if not isinstance(v, UploadFile)
                }
                f["actor_ids"] = _actor_ids(form)

                files, unread = await _files(form, store.max_bytes)
                await form.close()  # the uploads' temporary files, now read

                def act(access: WorkspaceAccess) -> str:
                    if unread is not None:
                        raise unread
                    build(form, files, access, commitment_id)
                    return f"/workspaces/{slug}/commitments/{commitment_id}#{section or path}"

                again = _again(pages.commitment, request, slug, session, commitment_id)
                return attempt(_form_name(name, form), f, act, again, pages.access(slug, session))

            handler.__name__ = f"post_{name}"
            return build

        return register

    @commitment_form("actors", "actors")
    def _assign(form: FormData, files: Files, access: WorkspaceAccess, commitment_id: int) -> None:
        values = _values(form, ("version", "lead_actor_id")) | {"actor_ids": _actor_ids(form)}
        update_commitment(db, access, commitment_id, parse(CommitmentUpdate, values | _lead(values)))

    @commitment_form("measures", "measure")
    def _measure(form: FormData, files: Files, access: WorkspaceAccess, commitment_id: int) -> None:
        data = parse(MeasureCreate, _model_input(_values(form, MEASURE_FIELDS)))
        add_measure(db, access, commitment_id, data)

    @commitment_form("measure-status", "status", "measures")
    def _status(form: FormData, files: Files, access: WorkspaceAccess, commitment_id: int) -> None:
        f = _values(form, ("measure_id", "version", "status"))
        if not f["measure_id"].isdigit():
            raise InvalidInput("which measure?", [Problem("missing", field="measure_id")])
        data = parse(MeasureUpdate, _model_input({"version": f["version"], "status": f["status"]}))
        update_measure(db, access, int(f["measure_id"]), data)

    @commitment_form("indicators", "indicator")
    def _indicator(form: FormData, files: Files, access: WorkspaceAccess, commitment_id: int) -> None:
        access.require(WorkspacePermission.EDIT)  # before the fields: an outsider learns nothing from them
        data = parse(IndicatorCreate, _model_input(_values(form, INDICATOR_FIELDS)))
        add_indicator(db, access, commitment_id, data)

    @commitment_form("indicator-values", "value", "indicators")
    def _value(form: FormData, files: Files, access: WorkspaceAccess, commitment_id: int) -> None:
        access.require(WorkspacePermission.REPORT)
        indicator_id = str(form.get("indicator_id", ""))
        if not indicator_id.isdigit():
            raise InvalidInput("which indicator?", [Problem("missing", field="indicator_id")])
        data = parse(IndicatorValueCreate, _model_input(_values(form, VALUE_FIELDS)))
        add_indicator_value(db, access, int(indicator_id), data, commitment_id=commitment_id)

    @commitment_form("progress", "progress")
    def _progress(form: FormData, files: Files, access: WorkspaceAccess, commitment_id: int) -> None:
        data = parse(ProgressCreate, _model_input(_values(form, PROGRESS_FIELDS)))
        add_progress(db, access, commitment_id, data, files=files, store=store)

    @commitment_form("assessments", "assessment")
    def _assessment(form: FormData, files: Files, access: WorkspaceAccess, commitment_id: int) -> None:
        data = parse(AssessmentCreate, _model_input(_values(form, ASSESSMENT_FIELDS)))
        add_assessment(db, access, commitment_id, data)


def _lead(values: dict[str, Any]) -> dict[str, Any]:
    # The lead select sends "" for "no lead actor", which must clear the lead, not leave it unset.
    return {"lead_actor_id": values["lead_actor_id"] or None}


_PER_ROW = {"status": "measure_id", "value": "indicator_id"}


def _form_name(name: str, form: FormData) -> str:
    # Each measure has its own status form (each indicator its value form): the error goes beside
    # that measure (indicator) only.
    return f"{name}-{form.get(_PER_ROW[name], '')}" if name in _PER_ROW else name


def _again(show: Callable[..., Any], request: Request, slug: str, session: Session | None, *ids: int) -> Any:
    def again(**extra: Any) -> Any:
        return show(request, slug, *ids, session, **extra)

    return again
