"""The web app: HTML search pages and the JSON API, both thin over the library's ``search``."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from rightstrack import __version__
from rightstrack.errors import InvalidInput, LoginRequired, NotFound, Problem, RightstrackError
from rightstrack.settings import Settings, load_settings
from rightstrack.store.database import Database
from rightstrack.web.account_api import account_router, login_pages
from rightstrack.web.api import api_router
from rightstrack.web.pages import page_router
from rightstrack.web.params import request_from_query
from rightstrack.web.security import Guard

_HERE = Path(__file__).parent


def create_app(db: Database, settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()
    app = FastAPI(
        title="rightstrack",
        version=__version__,
        description="UN human rights recommendations: search, facets, records.",
    )
    templates = Jinja2Templates(directory=str(_HERE / "templates"))
    app.mount("/static", StaticFiles(directory=str(_HERE / "static")), name="static")

    @app.exception_handler(RightstrackError)
    async def _error(request: Request, exc: RightstrackError) -> Any:
        if request.url.path.startswith("/api/"):
            return JSONResponse(exc.as_dict(), status_code=exc.status)
        if isinstance(exc, LoginRequired):
            return RedirectResponse("/login?" + urlencode({"next": str(request.url.path)}), status_code=303)
        return templates.TemplateResponse(request, "error.html", {"error": exc}, status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Any:
        problems = [
            Problem(str(e.get("msg", "invalid")), field=".".join(str(p) for p in e.get("loc", ())))
            for e in exc.errors()
        ]
        return await _error(request, InvalidInput("the request is not valid", problems))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Any:
        error: RightstrackError = (
            NotFound(f"no such page: {request.url.path}")
            if exc.status_code == 404
            else RightstrackError(str(exc.detail))
        )
        error.status = exc.status_code
        return await _error(request, error)

    guard = Guard(db, settings)
    app.include_router(api_router(db, settings, request_from_query, guard))
    app.include_router(account_router(db, settings, guard))

    app.include_router(login_pages(db, settings, templates))
    app.include_router(page_router(db, settings, templates, guard))
    return app
