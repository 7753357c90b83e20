"""Rendering a page with what every page needs: the version, the session and what it may do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates

from rightstrack import __version__
from rightstrack.auth.accounts import Session
from rightstrack.auth.roles import Permission, allowed
from rightstrack.web.security import Guard

Render = Callable[..., Any]


def renderer(templates: Jinja2Templates, guard: Guard) -> Render:
    def render(request: Request, name: str, session: Session | None, **context: Any) -> Any:
        role = session.user.role if session else None
        may = {p.name.lower(): allowed(role, p, public_read=guard.public_read) for p in Permission}
        return templates.TemplateResponse(
            request, name, {"version": __version__, "session": session, "may": may, **context}
        )

    return render
