"""The tracking pages' forms: each POST reads a plain form by its description (followup.form_specs),
calls one library function, and redirects (303) on success; a refused form comes back on its own
page, open, with its values and its problems at its top (rightstrack.web.forms)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData, UploadFile

from rightstrack.auth.accounts import Session
from rightstrack.auth.roles import Permission
from rightstrack.errors import InvalidInput, Problem, RightstrackError
from rightstrack.followup import form_specs as specs
from rightstrack.followup.access import WorkspaceAccess, WorkspacePermission
from rightstrack.followup.bulk import import_csv
from rightstrack.followup.commitments import add_commitment, add_indicator, add_indicator_value, add_measure
from rightstrack.followup.evidence import EvidenceStore
from rightstrack.followup.model import (
    ActorCreate,
    ActorUpdate,
    AssessmentCreate,
    CommitmentCreate,
    IndicatorCreate,
    IndicatorValueCreate,
    MeasureCreate,
    ProgressCreate,
)
from rightstrack.followup.page_views import parse
from rightstrack.followup.pages import Pages
from rightstrack.followup.progress import add_assessment, add_progress
from rightstrack.followup.workspaces import add_actor, update_actor
from rightstrack.messages import msg
from rightstrack.store.database import Database
from rightstrack.web.forms import Form, keep_or_ask_again, read_form, submit
from rightstrack.web.pages import recommendation_page
from rightstrack.web.security import Guard

MAX_FILES = 10
MAX_CSV = 20 * 2**20
Files = list[tuple[str, bytes]]
# A commitment form's change: the form's values, its files, the reader's access, the commitment.
Build = Callable[[dict[str, Any], Files, WorkspaceAccess, int], None]


def model_input(values: dict[str, Any]) -> dict[str, Any]:
    # An empty field means "not given": the model's default or its "required" applies.
    return {k: v for k, v in values.items() if v not in ("", [], None)}


def optional(values: dict[str, Any], *clearable: str) -> dict[str, Any]:
    """An edit form's values: an emptied optional field clears the value (None); an emptied
    required one stays empty, for the schema to refuse."""
    return {k: (None if v == "" and k in clearable else v) for k, v in values.items()}


async def _files(form: FormData, max_bytes: int) -> tuple[Files, list[str], InvalidInput | None]:
    """The uploaded files (their type is checked by the evidence store), their names, or why they
    were refused."""
    uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    names = [f.filename or "" for f in uploads]
    if len(uploads) > MAX_FILES:
        too_many = msg("Choose at most %(n)s files per report.", n=MAX_FILES)
        return [], names, InvalidInput(too_many, [Problem(too_many, field="files")])
    # Read one byte past the limit: enough for the store to refuse a big file, never the whole of it.
    return [(f.filename or "", await f.read(max_bytes + 1)) for f in uploads], names, None


def add_form_routes(
    router: APIRouter, db: Database, guard: Guard, store: EvidenceStore, pages: Pages
) -> None:
    post = guard.need(Permission.READ, form_csrf=True)
    attempt = submit

    @router.post("/workspaces/{slug}/actors", response_class=HTMLResponse)
    async def post_actor(request: Request, slug: str, session: Session | None = Depends(post)) -> Any:
        values = specs.ACTOR.values(await read_form(request, session))
        access = pages.access(slug, session)

        def act() -> str:
            actor_id = add_actor(db, access, parse(ActorCreate, model_input(values)))
            return f"/workspaces/{slug}/actors/{actor_id}"

        return attempt("actor", values, act, _again(pages.workspace, request, slug, session))

    @router.post("/workspaces/{slug}/actors/{actor_id}/edit", response_class=HTMLResponse)
    async def post_actor_edit(
        request: Request, slug: str, actor_id: int, session: Session | None = Depends(post)
    ) -> Any:
        values = specs.ACTOR_EDIT.values(await read_form(request, session))
        access = pages.access(slug, session)

        def act() -> str:
            access.require(WorkspacePermission.EDIT)
            update_actor(db, access, actor_id, parse(ActorUpdate, optional(values, "parent_id")))
            return f"/workspaces/{slug}/actors/{actor_id}"

        return attempt("actor-edit", values, act, _again(pages.actor, request, slug, session, actor_id))

    @router.post("/workspaces/{slug}/commitments", response_class=HTMLResponse)
    async def post_pledge(request: Request, slug: str, session: Session | None = Depends(post)) -> Any:
        values = specs.PLEDGE.values(await read_form(request, session))
        access = pages.access(slug, session)

        def act() -> str:
            access.require(WorkspacePermission.EDIT)  # before the fields: an outsider learns nothing
            data = model_input(values)
            data["actor_ids"] = [data["lead_actor_id"]] if data.get("lead_actor_id") else []
            commitment_id = add_commitment_checked(db, access, data)
            return f"/workspaces/{slug}/commitments/{commitment_id}"

        return attempt("pledge", values, act, _again(pages.workspace, request, slug, session))

    @router.post("/workspaces/{slug}/import", response_class=HTMLResponse)
    async def post_import(request: Request, slug: str, session: Session | None = Depends(post)) -> Any:
        form = await read_form(request, session)
        values = specs.CSV.values(form)
        upload = form.get("file")
        data = await upload.read(MAX_CSV + 1) if isinstance(upload, UploadFile) else b""
        filename = upload.filename if isinstance(upload, UploadFile) and upload.filename else "upload.csv"
        access = pages.access(slug, session)

        def act() -> str:
            # Who may import comes first: an outsider learns nothing from the form's other checks.
            access.require(
                WorkspacePermission.REPORT if values["kind"] == "assessments" else WorkspacePermission.EDIT
            )
            if not data:
                raise InvalidInput(
                    msg("Choose a CSV file."), [Problem(msg("Choose a CSV file."), field="file")]
                )
            if len(data) > MAX_CSV:
                big = msg("%(file)s is larger than %(n)s MiB.", file=filename, n=MAX_CSV // 2**20)
                raise InvalidInput(big, [Problem(big, field="file")])
            import_csv(db, access, values["kind"], data, filename=filename)
            return f"/workspaces/{slug}#commitments"

        return attempt("csv", values, act, _again(pages.workspace, request, slug, session))

    @router.post("/recommendations/{recommendation_id}/track", response_class=HTMLResponse)
    async def post_track(
        request: Request, recommendation_id: int, session: Session | None = Depends(post)
    ) -> Any:
        # From a recommendation's page: the workspace is a field; a refusal comes back to that page.
        values = specs.TRACK.values(await read_form(request, session))
        access = pages.access(values["workspace"], session)

        def act() -> str:
            data = model_input(values) | {"recommendation_id": recommendation_id}
            data.pop("workspace")
            data["actor_ids"] = [data["lead_actor_id"]] if data.get("lead_actor_id") else []
            commitment_id = add_commitment_checked(db, access, data)
            return f"/workspaces/{access.slug}/commitments/{commitment_id}"

        def again(**extra: Any) -> Any:
            return recommendation_page(db, pages.render, request, recommendation_id, session, **extra)

        return attempt("track", values, act, again)

    def commitment_form(path: str, spec: Form, section: str = "", row: str = "") -> Callable[[Build], Build]:
        """Register a form of the commitment page; ``build`` makes the change from the form's values,
        then the page opens at ``section`` (by default the form's path). ``row``: the hidden field
        naming the record of a per-row form (its problems show beside that record only)."""

        files_field = spec.field_for("files")

        def register(build: Build) -> Build:
            @router.post(
                f"/workspaces/{{slug}}/commitments/{{commitment_id}}/{path}", response_class=HTMLResponse
            )
            async def handler(
                request: Request, slug: str, commitment_id: int, session: Session | None = Depends(post)
            ) -> Any:
                form = await read_form(request, session)
                values = spec.values(form)
                files, names, unread = await _files(form, store.max_bytes)
                await form.close()  # the uploads' temporary files, now read
                access = pages.access(slug, session)

                def act() -> str:
                    try:
                        if unread is not None:
                            raise unread
                        build(values, files, access, commitment_id)
                    except RightstrackError as exc:
                        if files_field is not None:
                            keep_or_ask_again(exc, names, files_field)
                        raise
                    return f"/workspaces/{slug}/commitments/{commitment_id}#{section or path}"

                name = f"{spec.name}-{values.get(row, '')}" if row else spec.name
                again = _again(pages.commitment, request, slug, session, commitment_id)
                return attempt(name, values, act, again)

            handler.__name__ = f"post_{path.replace('-', '_')}"
            return build

        return register

    @commitment_form("measures", specs.MEASURE)
    def _measure(values: dict[str, Any], files: Files, access: WorkspaceAccess, commitment_id: int) -> None:
        access.require(WorkspacePermission.EDIT)
        add_measure(db, access, commitment_id, parse(MeasureCreate, model_input(values)))

    @commitment_form("indicators", specs.INDICATOR)
    def _indicator(values: dict[str, Any], files: Files, access: WorkspaceAccess, commitment_id: int) -> None:
        access.require(WorkspacePermission.EDIT)  # before the fields: an outsider learns nothing from them
        add_indicator(db, access, commitment_id, parse(IndicatorCreate, model_input(values)))

    @commitment_form("indicator-values", specs.VALUE, "indicators", row="indicator_id")
    def _value(values: dict[str, Any], files: Files, access: WorkspaceAccess, commitment_id: int) -> None:
        access.require(WorkspacePermission.REPORT)
        indicator_id = record_id(values, "indicator_id")
        data = parse(IndicatorValueCreate, model_input({k: values[k] for k in specs.VALUE.names}))
        add_indicator_value(db, access, indicator_id, data, commitment_id=commitment_id)

    @commitment_form("progress", specs.PROGRESS)
    def _progress(values: dict[str, Any], files: Files, access: WorkspaceAccess, commitment_id: int) -> None:
        access.require(WorkspacePermission.REPORT)
        data = parse(ProgressCreate, model_input(values))
        add_progress(db, access, commitment_id, data, files=files, store=store)

    @commitment_form("assessments", specs.ASSESSMENT)
    def _assessment(
        values: dict[str, Any], files: Files, access: WorkspaceAccess, commitment_id: int
    ) -> None:
        access.require(WorkspacePermission.REPORT)
        add_assessment(db, access, commitment_id, parse(AssessmentCreate, model_input(values)))

    from rightstrack.followup.page_edits import add_edit_routes

    add_edit_routes(commitment_form, db)


def record_id(values: dict[str, Any], name: str) -> int:
    """The id a per-row form carries in a hidden field."""
    text = str(values.get(name, ""))
    if not text.isdigit():
        raise InvalidInput(msg("This form does not say which record it is about: reload the page."))
    return int(text)


def add_commitment_checked(db: Database, access: WorkspaceAccess, data: dict[str, Any]) -> int:
    access.require(WorkspacePermission.EDIT)
    return add_commitment(db, access, parse(CommitmentCreate, data))


def _again(show: Callable[..., Any], request: Request, slug: str, session: Session | None, *ids: int) -> Any:
    def again(**extra: Any) -> Any:
        return show(request, slug, *ids, session, **extra)

    return again
