"""Server-rendered pages: search, recommendation, import with preview. Thin over the library."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from rightstrack import __version__
from rightstrack.auth.accounts import Session
from rightstrack.auth.roles import Permission, allowed
from rightstrack.errors import ImportFailed, InvalidInput, PermissionDenied
from rightstrack.importing import import_file
from rightstrack.settings import Settings
from rightstrack.store.database import Database
from rightstrack.store.records import fetch_record
from rightstrack.store.search import search
from rightstrack.web.params import RecordId, request_from_query

MAX_UPLOAD = 50 * 1024 * 1024
_SAFE_SUFFIXES = {".csv", ".pdf", ".docx", ".doc", ".txt", ".html", ".htm", ".xls", ".xlsx"}


def page_router(db: Database, settings: Settings, templates: Jinja2Templates, guard: Any) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    uploads = settings.data_path / "uploads"

    def render(request: Request, name: str, session: Session | None, **context: Any) -> Any:
        role = session.user.role if session else None
        may = {p.name.lower(): allowed(role, p, public_read=guard.public_read) for p in Permission}
        return templates.TemplateResponse(
            request, name, {"version": __version__, "session": session, "may": may, **context}
        )

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
        with db.read() as conn:
            record = fetch_record(conn, record_id)
        return render(request, "recommendation.html", session, r=record)

    @router.get("/import", response_class=HTMLResponse)
    def page_import(
        request: Request, session: Session | None = Depends(guard.need(Permission.IMPORT))
    ) -> Any:
        return render(request, "import.html", session, summary=None, upload=None, done=False)

    @router.post("/import", response_class=HTMLResponse)
    async def page_import_preview(
        request: Request,
        file: UploadFile = File(...),
        csrf_token: str = Form(""),
        session: Session | None = Depends(guard.need(Permission.IMPORT, form_csrf=True)),
    ) -> Any:
        _check_form_csrf(session, csrf_token)
        data = await file.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            raise InvalidInput(f"{file.filename}: larger than {MAX_UPLOAD // (1024 * 1024)} MiB")
        suffix = Path(file.filename or "upload").suffix.lower()
        if suffix not in _SAFE_SUFFIXES:
            raise ImportFailed(
                f"{file.filename}: not a file type rightstrack imports ({', '.join(sorted(_SAFE_SUFFIXES))})"
            )
        uploads.mkdir(parents=True, exist_ok=True)
        # Named by content and kept under its original name inside, so the preview and the confirmed
        # import read the very same bytes and the summary names the user's file.
        folder = uploads / hashlib.sha256(data).hexdigest()[:32]
        folder.mkdir(exist_ok=True)
        path = folder / Path(file.filename or f"upload{suffix}").name
        path.write_bytes(data)
        summary = import_file(db, path, dry_run=True)
        return render(
            request, "import.html", session, summary=summary, upload=f"{folder.name}/{path.name}", done=False
        )

    @router.post("/import/confirm", response_class=HTMLResponse)
    def page_import_confirm(
        request: Request,
        upload: str = Form(...),
        csrf_token: str = Form(""),
        session: Session | None = Depends(guard.need(Permission.IMPORT, form_csrf=True)),
    ) -> Any:
        _check_form_csrf(session, csrf_token)
        path = (uploads / upload).resolve()
        if uploads.resolve() not in path.parents or not path.is_file():
            raise InvalidInput("that upload is not known here: upload the file again")
        summary = import_file(db, path)
        return render(request, "import.html", session, summary=summary, upload=None, done=True)

    return router


def _check_form_csrf(session: Session | None, sent: str) -> None:
    if session is None or not hmac.compare_digest(sent, session.csrf_token):
        raise PermissionDenied("missing or wrong CSRF token: reload the page and try again")


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
