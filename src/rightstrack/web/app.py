"""The web app: HTML search pages and the JSON API, both thin over the library's ``search``."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from rightstrack import __version__
from rightstrack.auth.roles import Permission
from rightstrack.errors import InvalidInput, LoginRequired, NotFound, Problem, RightstrackError
from rightstrack.settings import Settings, load_settings
from rightstrack.store.database import Database
from rightstrack.store.records import fetch_record
from rightstrack.store.search import SearchRequest, search
from rightstrack.web.account_api import account_router, login_pages
from rightstrack.web.api import api_router
from rightstrack.web.security import Guard

_HERE = Path(__file__).parent
_RESERVED = {"q", "sort", "page", "page_size", "facet"}


def request_from_query(params: Any, settings: Settings) -> SearchRequest:
    """Every query parameter that is not q/sort/page/page_size/facet is a facet filter."""
    filters: dict[str, list[str]] = {}
    for key, value in params.multi_items():
        if key not in _RESERVED and value != "":
            filters.setdefault(key, []).append(value)
    try:
        page = int(params.get("page", 1))
        page_size = int(params.get("page_size", settings.page_size))
    except ValueError:
        raise InvalidInput("page and page_size must be whole numbers") from None
    if page_size > int(settings.max_page_size):
        raise InvalidInput(f"page_size may be at most {settings.max_page_size}")
    return SearchRequest(
        q=params.get("q", ""),
        filters=filters,
        sort=params.get("sort") or None,
        page=page,
        page_size=page_size,
        facets=params.getlist("facet") or None,
        facet_size=int(settings.facet_size),
    )


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
    read = Depends(guard.need(Permission.READ))

    app.include_router(login_pages(db, settings, templates))

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page_search(request: Request, _: Any = read) -> Any:
        result = search(db, request_from_query(request.query_params, settings))
        return templates.TemplateResponse(
            request, "search.html", {"result": result, "link": _linker(request), "version": __version__}
        )

    @app.get("/recommendations/{record_id}", response_class=HTMLResponse, include_in_schema=False)
    def page_recommendation(request: Request, record_id: int, _: Any = read) -> Any:
        with db.read() as conn:
            record = fetch_record(conn, record_id)
        return templates.TemplateResponse(
            request, "recommendation.html", {"r": record, "version": __version__}
        )

    return app


def _linker(request: Request) -> Any:
    """Build shareable URLs: the current search with one facet value toggled (and page reset)."""
    current = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]

    def link(name: str | None = None, value: str | None = None, page: int | None = None) -> str:
        items = list(current)
        if name is not None and value is not None:
            items = (
                [(k, v) for k, v in items if (k, v) != (name, value)]
                if (name, value) in items
                else [*items, (name, value)]
            )
        if page is not None:
            items.append(("page", str(page)))
        return "/?" + urlencode(items)

    return link
