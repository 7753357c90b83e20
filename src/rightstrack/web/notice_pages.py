"""A user's notices (auth/notices.py): the API under /api/v1/notices and the /notices page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from rightstrack.auth import notices
from rightstrack.auth.accounts import Session
from rightstrack.auth.roles import Permission
from rightstrack.store.database import Database
from rightstrack.web.render import renderer
from rightstrack.web.security import Guard, check_form_csrf


def notice_router(db: Database, templates: Jinja2Templates, guard: Guard) -> APIRouter:
    router = APIRouter()
    render = renderer(templates, guard)
    templates.env.globals["unread_notices"] = lambda session: notices.unread(db, session.user.username)

    # A visitor (public read) has no notices: an empty list, not an error.
    def mine(session: Session | None) -> list[dict[str, Any]]:
        return notices.notices_of(db, session.user.username) if session else []

    @router.get("/api/v1/notices", summary="Your notices, newest first (none for visitors)")
    def api_notices(session: Session | None = Depends(guard.need(Permission.READ))) -> list[dict[str, Any]]:
        return mine(session)

    @router.post("/api/v1/notices/read", summary="Mark all your notices read")
    def api_read(session: Session | None = Depends(guard.need(Permission.READ))) -> dict[str, int]:
        return {"marked": notices.mark_read(db, session.user.username) if session else 0}

    @router.get("/notices", response_class=HTMLResponse, include_in_schema=False)
    def page_notices(request: Request, session: Session | None = Depends(guard.need(Permission.READ))) -> Any:
        return render(request, "notices.html", session, notices=mine(session))

    @router.post("/notices", include_in_schema=False)
    def page_read(
        csrf_token: Annotated[str, Form(max_length=100)] = "",
        session: Session | None = Depends(guard.need(Permission.READ, form_csrf=True)),
    ) -> RedirectResponse:
        check_form_csrf(session, csrf_token)  # a visitor has no session: refused here
        assert session is not None
        notices.mark_read(db, session.user.username)
        return RedirectResponse("/notices", status_code=303)

    return router
