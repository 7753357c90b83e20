"""Login, logout, the current user, tag and cycle-link decisions, and the audit log."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel

from rightstrack.auth import audit
from rightstrack.auth.accounts import LoginFailed, Session, login, logout
from rightstrack.auth.roles import Permission
from rightstrack.auth.throttle import DEVICE_LIFETIME
from rightstrack.followup.cycles import CycleLinksOut, add_manual_link, links_of, remove_link
from rightstrack.settings import Settings
from rightstrack.store.database import Database
from rightstrack.store.records import RecordOut, fetch_record
from rightstrack.store.tagging import decide
from rightstrack.web.params import Limit, RecordId
from rightstrack.web.security import COOKIE, DEVICE_COOKIE, Guard, actor_of


class LoginIn(BaseModel):
    username: str
    password: str
    totp: str | None = None


def account_router(db: Database, settings: Settings, guard: Guard) -> APIRouter:
    router = APIRouter(prefix="/api/v1")

    @router.post("/login", summary="Log in; sets the session cookie and returns the CSRF token")
    def api_login(request: Request, body: LoginIn) -> JSONResponse:
        session = login(db, body.username, body.password, body.totp, **login_attempt(request, settings))
        response = JSONResponse({"ok": True, "user": _user(session), "csrf_token": session.csrf_token})
        set_login_cookies(response, session, settings)
        return response

    @router.post("/logout", summary="End the session")
    def api_logout(
        request: Request, session: Session | None = Depends(guard.need(Permission.READ))
    ) -> JSONResponse:
        if session is not None:
            logout(db, session.token)
        response = JSONResponse({"ok": True})
        response.delete_cookie(COOKIE)
        return response

    @router.get("/me", summary="The logged-in user (null when anonymous)")
    def api_me(request: Request) -> dict[str, Any]:
        session = guard.session(request)
        return {
            "user": _user(session) if session else None,
            "csrf_token": session.csrf_token if session else None,
        }

    @router.post(
        "/recommendations/{record_id}/tags/{family}/{name}/{decision}",
        summary="Confirm or reject a tag (decision: confirm | reject)",
    )
    def api_decide(
        record_id: RecordId,
        family: str,
        name: str,
        decision: str,
        session: Session | None = Depends(guard.need(Permission.DECIDE_TAGS)),
    ) -> RecordOut:
        from rightstrack.errors import InvalidInput

        if decision not in ("confirm", "reject"):
            raise InvalidInput("decision must be confirm or reject")
        assert session is not None
        decide(db, record_id, family, name, user=session.user.username, accept=decision == "confirm")
        with db.read() as conn:
            return fetch_record(conn, record_id)

    decider = guard.need(Permission.DECIDE_TAGS)
    link_path = "/recommendations/{record_id}/cycle-links/{earlier_id}"

    def relinked(change: Any, record_id: int, earlier_id: int, session: Session | None) -> CycleLinksOut:
        change(db, record_id, earlier_id, actor=actor_of(session))
        with db.read() as conn:
            return links_of(conn, record_id).as_dict()

    @router.put(link_path, summary="Say by hand that a recommendation repeats an earlier one")
    def api_link(
        record_id: RecordId, earlier_id: RecordId, session: Session | None = Depends(decider)
    ) -> CycleLinksOut:
        return relinked(add_manual_link, record_id, earlier_id, session)

    @router.delete(link_path, summary="Say it does not repeat it (the model will not link the pair again)")
    def api_unlink(
        record_id: RecordId, earlier_id: RecordId, session: Session | None = Depends(decider)
    ) -> CycleLinksOut:
        return relinked(remove_link, record_id, earlier_id, session)

    @router.get("/audit", summary="The audit log, newest first (admins)")
    def api_audit(
        limit: Limit = 100,
        entity: str | None = None,
        _: Session | None = Depends(guard.need(Permission.VIEW_AUDIT)),
    ) -> list[dict[str, Any]]:
        with db.read() as conn:
            return audit.recent(conn, limit, entity)

    return router


def _user(session: Session) -> dict[str, Any]:
    u = session.user
    return {"username": u.username, "display_name": u.display_name, "role": u.role.value, "totp": u.has_totp}


def login_pages(db: Database, settings: Settings, templates: Jinja2Templates) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/login", response_class=HTMLResponse)
    def page_login(request: Request, next: str = "/") -> Any:
        return templates.TemplateResponse(request, "login.html", {"next": _local(next), "error": None})

    @router.post("/login", response_class=HTMLResponse)
    def page_login_post(
        request: Request,
        username: str = Form(...),
        password: str = Form(...),
        totp: str = Form(""),
        next: str = Form("/"),
    ) -> Any:
        try:
            session = login(db, username, password, totp or None, **login_attempt(request, settings))
        except LoginFailed as exc:
            return templates.TemplateResponse(
                request,
                "login.html",
                {"next": _local(next), "error": exc.message},
                status_code=exc.status,
                headers=exc.headers,
            )
        response = RedirectResponse(_local(next), status_code=303)
        set_login_cookies(response, session, settings)
        return response

    return router


def login_attempt(request: Request, settings: Settings) -> dict[str, Any]:
    """What a login attempt is judged by besides the credentials (auth/throttle.py)."""
    return {
        "session_hours": int(settings.session_hours),
        "address": request.client.host if request.client else None,
        "device": request.cookies.get(DEVICE_COOKIE),
    }


def set_login_cookies(response: Response, session: Session, settings: Settings) -> None:
    """The session cookie and, after a login from a new browser, its device token."""
    secure = bool(settings.secure_cookies)
    response.set_cookie(
        COOKIE,
        session.token,
        httponly=True,
        samesite="lax",
        secure=secure,
        max_age=int(settings.session_hours) * 3600,
    )
    if session.device:
        age = int(DEVICE_LIFETIME.total_seconds())
        response.set_cookie(
            DEVICE_COOKIE, session.device, httponly=True, samesite="strict", secure=secure, max_age=age
        )


def _local(target: str) -> str:
    # Only paths on this site: "next" must never send someone to another host after logging in.
    return target if target.startswith("/") and not target.startswith("//") else "/"
