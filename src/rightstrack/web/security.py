"""Who is asking, and may they: session cookies, CSRF checks and permission guards for routes."""

from __future__ import annotations

import hmac
from collections.abc import Callable

from fastapi import Request

from rightstrack.auth.accounts import Session, session_for
from rightstrack.auth.roles import Permission, allowed
from rightstrack.errors import LoginRequired, PermissionDenied
from rightstrack.settings import Settings
from rightstrack.store.database import Database

COOKIE = "rightstrack_session"
DEVICE_COOKIE = "rightstrack_device"  # a browser that logged in before (auth/throttle.py)
CSRF_HEADER = "X-CSRF-Token"
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class Guard:
    """Builds the FastAPI dependencies that routes declare: ``Depends(guard.need(Permission.X))``."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.public_read = bool(settings.public_read)
        self.secure_cookies = bool(settings.secure_cookies)

    def session(self, request: Request) -> Session | None:
        return session_for(self.db, request.cookies.get(COOKIE))

    def need(self, permission: Permission, *, form_csrf: bool = False) -> Callable[[Request], Session | None]:
        """``form_csrf``: the route checks the token from its form field itself (HTML forms cannot
        send headers); every other unsafe request must carry it in the X-CSRF-Token header."""

        def check(request: Request) -> Session | None:
            session = self.session(request)
            role = session.user.role if session else None
            if not allowed(role, permission, public_read=self.public_read):
                if session is None:
                    raise LoginRequired("log in first")
                raise PermissionDenied(f"your role ({role}) may not {permission.value}")
            if session is not None and request.method not in _SAFE_METHODS and not form_csrf:
                _check_csrf(request, session)
            return session

        return check


def _check_csrf(request: Request, session: Session) -> None:
    # A cookie travels with cross-site requests; the token, read from the page or the login answer,
    # does not, so an unsafe request must carry it back.
    sent = request.headers.get(CSRF_HEADER, "")
    if not hmac.compare_digest(sent, session.csrf_token):
        raise PermissionDenied("missing or wrong CSRF token (send the X-CSRF-Token header)")


def check_form_csrf(session: Session | None, sent: str) -> None:
    """For routes declared with ``form_csrf=True``: the token comes back in the form's field."""
    if session is None or not hmac.compare_digest(sent, session.csrf_token):
        raise PermissionDenied("missing or wrong CSRF token: reload the page and try again")


def actor_of(session: Session | None) -> str | None:
    """Who the audit log names for a request: the logged-in user, or nobody in public read mode."""
    return session.user.username if session else None


_LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def cookie_warnings(settings: Settings, *, production: bool) -> list[str]:
    """What ``serve`` warns about before starting: cookies without the Secure flag where they
    would matter (production mode, or listening beyond this machine)."""
    if settings.secure_cookies or not (production or str(settings.host) not in _LOOPBACK):
        return []
    return [
        "session cookies are not marked Secure (RIGHTSTRACK_SECURE_COOKIES is off): logins would travel "
        "without TLS; serve behind HTTPS and turn it on"
    ]
