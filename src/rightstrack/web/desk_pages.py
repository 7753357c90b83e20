"""Pages for the work around the record: the dashboard, the tag review queue, the audit log, and
the interface language. Thin over ``report`` and ``auth.audit``."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from rightstrack.auth import audit
from rightstrack.auth.accounts import Session
from rightstrack.auth.roles import Permission
from rightstrack.errors import InvalidInput
from rightstrack.report.overview import dashboard
from rightstrack.report.review_queue import pending_tags
from rightstrack.store.database import Database
from rightstrack.web import i18n
from rightstrack.web.params import Limit
from rightstrack.web.render import renderer
from rightstrack.web.security import Guard
from rightstrack.web.state_pages import search_link

QUEUE_PAGE = 25
Page = Annotated[int, Query(ge=1, le=100_000)]


def desk_pages(db: Database, templates: Jinja2Templates, guard: Guard) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    render = renderer(templates, guard)

    @router.get("/dashboard", response_class=HTMLResponse)
    def page_dashboard(
        request: Request, session: Session | None = Depends(guard.need(Permission.READ))
    ) -> Any:
        return render(request, "dashboard.html", session, d=dashboard(db), link=search_link({}))

    @router.get("/review", response_class=HTMLResponse)
    def page_review(
        request: Request,
        order: str = "highest",
        family: str | None = None,
        page: Page = 1,
        session: Session | None = Depends(guard.need(Permission.DECIDE_TAGS)),
    ) -> Any:
        with db.read() as conn:
            queue = pending_tags(
                conn, order=order, family=family or None, limit=QUEUE_PAGE, offset=(page - 1) * QUEUE_PAGE
            )
        pages = max(1, -(-queue["total"] // QUEUE_PAGE))
        return render(request, "review.html", session, queue=queue, page=page, pages=pages)

    @router.get("/audit", response_class=HTMLResponse)
    def page_audit(
        request: Request,
        limit: Limit = 100,
        entity: str | None = None,
        session: Session | None = Depends(guard.need(Permission.VIEW_AUDIT)),
    ) -> Any:
        with db.read() as conn:
            events = audit.recent(conn, limit, entity or None)
        return render(request, "audit.html", session, events=events, entity=entity or "", limit=limit)

    @router.get("/language")
    def page_language(lang: str, next: str = "/") -> RedirectResponse:
        if lang not in i18n.LANGUAGES:
            raise InvalidInput(f"unknown language {lang!r}; choose one of {', '.join(i18n.LANGUAGES)}")
        response = RedirectResponse(_local_without_lang(next), status_code=303)
        i18n.language_cookie(response, lang, secure=guard.secure_cookies)
        return response

    return router


def _local_without_lang(target: str) -> str:
    # Only paths on this site, as after logging in; a ?lang= left in it would override the choice.
    if not target.startswith("/") or target.startswith("//"):
        return "/"
    path, _, query = target.partition("?")
    kept = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != "lang"]
    return path + ("?" + urlencode(kept) if kept else "")
