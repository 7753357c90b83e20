"""The web app: HTML search pages and the JSON API, both thin over the library's ``search``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from rightstrack import __version__
from rightstrack.auth.roles import Permission
from rightstrack.brief.api import briefs_router
from rightstrack.brief.pages import brief_pages
from rightstrack.classify.api import classify_router
from rightstrack.defenders.web import defenders_router
from rightstrack.engagement.api import engagement_router
from rightstrack.errors import InvalidInput, LoginRequired, NotFound, Problem, RightstrackError
from rightstrack.followup.api import downloads, tracking_router
from rightstrack.followup.model import invalid_input
from rightstrack.followup.pages import tracking_pages
from rightstrack.followup.terms import term
from rightstrack.model.states import state_names
from rightstrack.settings import Settings, load_settings
from rightstrack.store.database import Database
from rightstrack.store.search import result_cache
from rightstrack.web import i18n
from rightstrack.web.account_api import account_router, login_pages
from rightstrack.web.admin_pages import admin_pages
from rightstrack.web.api import api_router
from rightstrack.web.desk_pages import desk_pages
from rightstrack.web.forms import problem_items
from rightstrack.web.headers import SecurityHeaders
from rightstrack.web.import_api import import_router
from rightstrack.web.notice_pages import notice_router
from rightstrack.web.pages import page_router
from rightstrack.web.params import request_from_query
from rightstrack.web.security import Guard
from rightstrack.web.state_pages import state_pages
from rightstrack.web.table_api import table_api
from rightstrack.web.table_pages import table_pages

_HERE = Path(__file__).parent


def create_app(db: Database, settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()
    threads = int(settings.threads)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Sync routes run in anyio's pool (40 threads by default). Searches are CPU work under the
        # GIL: measured with 50 clients, 40 threads served 180 requests/s and 6 served 450-670.
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="rightstrack",
        version=__version__,
        description="UN human rights recommendations: search, facets, records.",
    )
    app.add_middleware(SecurityHeaders, hsts=bool(settings.secure_cookies))
    templates = Jinja2Templates(directory=str(_HERE / "templates"))
    i18n.install(templates)
    templates.env.globals.update(problem_items=problem_items, tracking_term=term, state_names=state_names)
    app.mount("/static", StaticFiles(directory=str(_HERE / "static")), name="static")

    @app.exception_handler(RightstrackError)
    async def _error(request: Request, exc: RightstrackError) -> Any:
        if request.url.path.startswith("/api/"):
            return JSONResponse(exc.as_dict(), status_code=exc.status, headers=exc.headers)
        if isinstance(exc, LoginRequired):
            return RedirectResponse("/login?" + urlencode({"next": str(request.url.path)}), status_code=303)
        return templates.TemplateResponse(
            request, "error.html", {"error": exc}, status_code=exc.status, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Any:
        problems = [
            Problem(str(e.get("msg", "invalid")), field=".".join(str(p) for p in e.get("loc", ())))
            for e in exc.errors()
        ]
        return await _error(request, InvalidInput("the request is not valid", problems))

    @app.exception_handler(ValidationError)
    async def _schema(request: Request, exc: ValidationError) -> Any:
        # A schema built inside a route (form fields → create schema) is the caller's error, not a 500.
        return await _error(request, invalid_input(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Any:
        error: RightstrackError = (
            NotFound(f"no such page: {request.url.path}")
            if exc.status_code == 404
            else RightstrackError(str(exc.detail))
        )
        error.status = exc.status_code
        return await _error(request, error)

    result_cache(db).size = int(settings.search_cache_size)
    guard = Guard(db, settings)
    app.include_router(api_router(db, settings, request_from_query, guard))
    app.include_router(account_router(db, settings, guard))
    app.include_router(notice_router(db, templates, guard))
    app.include_router(import_router(db, settings, guard))
    app.include_router(table_api(db, settings, guard))
    app.include_router(engagement_router(db, guard))
    app.include_router(defenders_router(db, settings, guard, templates))
    app.include_router(classify_router(db, guard))
    app.include_router(tracking_router(db, settings, guard))
    app.include_router(briefs_router(db, settings, guard))
    app.include_router(downloads(db, guard.need(Permission.READ), prefix="/workspaces"))

    app.include_router(login_pages(db, settings, templates))
    app.include_router(page_router(db, settings, templates, guard))
    app.include_router(table_pages(db, settings, templates, guard))
    app.include_router(state_pages(db, templates, guard))
    app.include_router(desk_pages(db, templates, guard))
    app.include_router(admin_pages(db, settings, templates, guard))
    app.include_router(tracking_pages(db, settings, templates, guard))
    app.include_router(brief_pages(db, templates, guard))
    return app


def app_from_environment() -> FastAPI:
    """The app for each worker process of ``rightstrack serve --workers N`` (settings from RIGHTSTRACK_*)."""
    settings = load_settings()
    db = Database.from_settings(settings)
    db.require_initialised()
    return create_app(db, settings)
