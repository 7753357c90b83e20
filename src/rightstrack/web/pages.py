"""Server-rendered pages: search, recommendation, import with preview. Thin over the library."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from rightstrack.auth.accounts import Session
from rightstrack.auth.roles import Permission
from rightstrack.errors import InvalidInput
from rightstrack.followup.cycles import add_manual_link, links_of, remove_link
from rightstrack.followup.form_specs import TRACK
from rightstrack.followup.page_views import track_choices
from rightstrack.ingest.review_hint import ReviewHint
from rightstrack.settings import Settings
from rightstrack.store.database import Database
from rightstrack.store.records import fetch_record
from rightstrack.store.search import search
from rightstrack.web.params import RecordId, request_from_query
from rightstrack.web.render import Render, renderer
from rightstrack.web.security import Guard, actor_of, check_form_csrf
from rightstrack.web.table_pages import table_upload_context
from rightstrack.web.uploads import UploadImports, find_upload, keep_upload


def page_router(db: Database, settings: Settings, templates: Jinja2Templates, guard: Guard) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    uploads = settings.data_path / "uploads"
    imports = UploadImports(db, settings)

    render = renderer(templates, guard)

    @router.get("/", response_class=HTMLResponse)
    def page_search(request: Request, session: Session | None = Depends(guard.need(Permission.READ))) -> Any:
        result = search(db, request_from_query(request.query_params, settings))
        export = "/api/v1/export.csv?" + urlencode(
            [(k, v) for k, v in request.query_params.multi_items() if k not in ("page", "page_size")]
        )
        return render(request, "search.html", session, result=result, link=_linker(request), export=export)

    @router.get("/recommendations/{record_id}", response_class=HTMLResponse)
    def page_recommendation(
        request: Request, record_id: RecordId, session: Session | None = Depends(guard.need(Permission.READ))
    ) -> Any:
        return recommendation_page(db, render, request, record_id, session)

    decide = guard.need(Permission.DECIDE_TAGS, form_csrf=True)

    @router.post("/recommendations/{record_id}/cycle-links")
    def page_link(
        record_id: RecordId,
        earlier_id: str = Form(""),
        csrf_token: str = Form(""),
        session: Session | None = Depends(decide),
    ) -> Any:
        check_form_csrf(session, csrf_token)
        if not earlier_id.strip().isdigit():
            raise InvalidInput(f"earlier_id: a recommendation id is a number, not {earlier_id!r}")
        add_manual_link(db, record_id, int(earlier_id), actor=actor_of(session))
        return RedirectResponse(f"/recommendations/{record_id}#cycle-links-title", status_code=303)

    @router.post("/recommendations/{record_id}/cycle-links/{earlier_id}/remove")
    def page_unlink(
        record_id: RecordId,
        earlier_id: RecordId,
        back: str = Form(""),
        csrf_token: str = Form(""),
        session: Session | None = Depends(decide),
    ) -> Any:
        check_form_csrf(session, csrf_token)
        remove_link(db, record_id, earlier_id, actor=actor_of(session))
        # Back to the page the button was on (either side of the link), else the later one's.
        page = back if back.isdigit() and int(back) in (record_id, earlier_id) else record_id
        return RedirectResponse(f"/recommendations/{page}#cycle-links-title", status_code=303)

    @router.get("/import", response_class=HTMLResponse)
    def page_import(
        request: Request, session: Session | None = Depends(guard.need(Permission.IMPORT))
    ) -> Any:
        extra = table_upload_context(db)
        return render(request, "import.html", session, summary=None, upload=None, done=False, **extra)

    @router.post("/import", response_class=HTMLResponse)
    async def page_import_preview(
        request: Request,
        file: UploadFile = File(...),
        addendum: UploadFile | None = File(None),
        csrf_token: str = Form(""),
        review: str = Form(""),
        session: Session | None = Depends(guard.need(Permission.IMPORT, form_csrf=True)),
    ) -> Any:
        check_form_csrf(session, csrf_token)
        upload, path = await keep_upload(uploads, file, beside=addendum)
        summary = await imports.run_in_thread(path, dry_run=True, review=_review(review))
        return render(
            request, "import.html", session, summary=summary, upload=upload, review=review, done=False
        )

    @router.post("/import/confirm", response_class=HTMLResponse)
    def page_import_confirm(
        request: Request,
        upload: str = Form(...),
        csrf_token: str = Form(""),
        review: str = Form(""),
        session: Session | None = Depends(guard.need(Permission.IMPORT, form_csrf=True)),
    ) -> Any:
        check_form_csrf(session, csrf_token)
        summary = imports.run(find_upload(uploads, upload), review=_review(review))
        return render(request, "import.html", session, summary=summary, upload=None, done=True)

    return router


def recommendation_page(
    db: Database, render: Render, request: Request, record_id: int, session: Session | None, **extra: Any
) -> Any:
    """A recommendation's page, with the form that tracks it in the reader's workspaces (which
    comes back here, its problems at its top, when it is refused)."""
    with db.read() as conn:
        record = fetch_record(conn, record_id)
        track = track_choices(conn, session.user if session else None)
        cycles = links_of(conn, record_id)
    context = {"errors": {}, "forms": {}} | extra
    return render(
        request,
        "recommendation.html",
        session,
        r=record,
        track=track,
        cycles=cycles,
        track_form=TRACK,
        **context,
    )


def _review(text: str) -> ReviewHint | None:
    return ReviewHint.parse(text) if text.strip() else None


def _linker(request: Request) -> Any:
    """Build shareable URLs: the current search with one facet value toggled (and page reset)."""
    current = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]

    def link(name: str | None = None, value: str | None = None, page: int | None = None) -> str:
        items = list(current)
        if name is not None and value is not None:
            toggled = (name, value)
            items = [i for i in items if i != toggled] if toggled in items else [*items, toggled]
        if page is not None:
            items.append(("page", str(page)))
        return "/?" + urlencode(items)

    return link
