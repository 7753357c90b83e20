"""The JSON API under /api/v1: thin routes over the library, one error shape everywhere."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from rightstrack.auth.roles import Permission
from rightstrack.errors import InvalidInput
from rightstrack.followup.cycles import CycleLinksOut, links_of
from rightstrack.report.export import FORMATS, write_export
from rightstrack.report.stats import Stats, compute_stats
from rightstrack.settings import Settings
from rightstrack.store import catalog
from rightstrack.store.database import Database
from rightstrack.store.records import RecordOut, fetch_record
from rightstrack.store.search import SearchResult, search
from rightstrack.web.params import RecordId
from rightstrack.web.security import Guard


class RecordDetailOut(RecordOut):
    """One recommendation with its "recommended again" links (docs/EXPORT-FORMAT.md)."""

    cycle_links: CycleLinksOut


_MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def api_router(
    db: Database, settings: Settings, parse: Callable[[Any, Settings], Any], guard: Guard
) -> APIRouter:
    # Every route here reads; a private instance (public_read off) needs a login for all of them.
    router = APIRouter(prefix="/api/v1", dependencies=[Depends(guard.need(Permission.READ))])

    def reading(fn: Callable[..., Any], *args: Any) -> Any:
        with db.read() as conn:
            return fn(conn, *args)

    @router.get(
        "/search",
        summary="Search recommendations: full text, facets with counts, sort, pages",
        response_model=SearchResult,
    )
    def api_search(request: Request) -> Response:
        # The result is built by the library in its documented shape; validating it again per
        # request cost more than the search itself, so it goes out as it is.
        return JSONResponse(search(db, parse(request.query_params, settings)))

    @router.get("/recommendations/{record_id}", summary="One recommendation in the public record shape")
    def api_recommendation(record_id: RecordId) -> RecordDetailOut:
        with db.read() as conn:
            record = fetch_record(conn, record_id)
            return RecordDetailOut(**record, cycle_links=links_of(conn, record_id).as_dict())

    @router.get("/states", summary="States with the number of recommendations each received")
    def api_states() -> list[dict[str, Any]]:
        return reading(catalog.list_states)  # type: ignore[no-any-return]

    @router.get("/states/{alpha3}", summary="One state")
    def api_state(alpha3: str) -> dict[str, Any]:
        return reading(catalog.get_state, alpha3)  # type: ignore[no-any-return]

    @router.get("/reviews", summary="Reviews (mechanism, state, cycle, session) with counts")
    def api_reviews(state: str | None = None) -> list[dict[str, Any]]:
        return reading(catalog.list_reviews, state)  # type: ignore[no-any-return]

    @router.get("/documents", summary="Source documents and exports, with sha256")
    def api_documents() -> list[dict[str, Any]]:
        return reading(catalog.list_documents)  # type: ignore[no-any-return]

    @router.get("/tags", summary="Tags with the number of recommendations carrying each")
    def api_tags(family: str | None = None) -> list[dict[str, Any]]:
        return reading(catalog.list_tags, family)  # type: ignore[no-any-return]

    @router.get("/tag-families", summary="Tag families")
    def api_tag_families() -> list[dict[str, Any]]:
        return reading(catalog.list_tag_families)  # type: ignore[no-any-return]

    @router.get("/stats", summary="Counts by state, response, issue and session")
    def api_stats() -> Stats:
        return reading(compute_stats)  # type: ignore[no-any-return]

    @router.get(
        "/export.{fmt}", summary="Export any search (same parameters as /search) as CSV, JSON or XLSX"
    )
    def api_export(fmt: str, request: Request) -> Response:
        if fmt not in FORMATS:
            raise InvalidInput(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
        wanted = parse(request.query_params, settings)
        buffer: Any = io.BytesIO() if fmt == "xlsx" else io.StringIO()
        write_export(db, fmt, buffer, wanted)
        body = buffer.getvalue()
        return Response(
            body,
            media_type=_MEDIA[fmt],
            headers={"Content-Disposition": f'attachment; filename="recommendations.{fmt}"'},
        )

    return router
