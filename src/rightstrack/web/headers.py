"""Headers on every answer: no framing, no type sniffing, no referrer, a Content-Security-Policy
that runs this site's own scripts only, and ``Cache-Control: no-store`` wherever the answer may
carry case data or anything only a logged-in user sees (so no browser or proxy keeps a copy).

A plain ASGI middleware (not Starlette's BaseHTTPMiddleware): it only rewrites the response's
start message, so it costs nothing measurable on the search path.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from rightstrack.web.security import COOKIE

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

# Pages use inline style attributes for bar widths, nothing else inline; no page runs inline script.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# FastAPI's API explorers (/docs, /redoc) load Swagger UI and ReDoc from a CDN with an inline script.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src 'self' https://fonts.gstatic.com; img-src 'self' data: https://fastapi.tiangolo.com "
    "https://cdn.redoc.ly; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
DOCS = ("/docs", "/redoc")
# Answers under these paths may hold case data, the audit log or a user's notices.
PRIVATE = ("/defenders", "/api/v1/defenders", "/audit", "/api/v1/audit", "/notices", "/api/v1/notices")
_COMMON = [
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class SecurityHeaders:
    """Wraps the app; ``hsts`` (behind TLS, when cookies are Secure) adds Strict-Transport-Security."""

    def __init__(self, app: App, *, hsts: bool = False) -> None:
        self.app = app
        self.extra = [(b"strict-transport-security", b"max-age=31536000")] if hsts else []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        csp = DOCS_CSP if path.startswith(DOCS) else CSP
        added = [*_COMMON, *self.extra, (b"content-security-policy", csp.encode())]
        if path.startswith(PRIVATE) or (_has_session(scope) and not path.startswith("/static/")):
            added.append((b"cache-control", b"no-store"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {added_name for added_name, _ in added}
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message["headers"] = kept + added
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _has_session(scope: Scope) -> bool:
    # Anything answered to a logged-in browser may be about that user (CSRF tokens at least).
    cookie = COOKIE.encode() + b"="
    return any(name == b"cookie" and cookie in value for name, value in scope.get("headers", []))
