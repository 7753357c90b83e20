"""The engagement API under /api/v1: treaties, comparisons, maps, events, timelines.

Reads need ``Permission.READ``; recording an event changes the record, so it needs
``Permission.EDIT``. Errors are RightstrackError subclasses, which the app turns into its one JSON
error shape.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from rightstrack.auth.accounts import Session
from rightstrack.auth.roles import Permission
from rightstrack.engagement import compare, events, timeline
from rightstrack.engagement.instruments import INSTRUMENTS
from rightstrack.errors import InvalidInput
from rightstrack.store.database import Database
from rightstrack.web.security import Guard, actor_of


class EventIn(BaseModel):
    state: str
    kind: str
    date: str = Field(description="YYYY, YYYY-MM or YYYY-MM-DD")
    citation: str = Field(description="Where this is documented (required)")
    description: str = ""
    end_date: str | None = None
    target: str | None = None
    amount_usd: float | None = None
    url: str | None = None


def engagement_router(db: Database, guard: Guard) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["engagement"])
    read = [Depends(guard.need(Permission.READ))]

    def reading(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with db.read() as conn:
            return fn(conn, *args, **kwargs)

    @router.get("/treaties", summary="The 18 core instruments, with party counts", dependencies=read)
    def api_treaties() -> list[dict[str, Any]]:
        counts = {c["instrument"]: c for c in reading(compare.instrument_counts)}
        return [{**i.as_dict(), "counts": counts[i.code]} for i in INSTRUMENTS]

    @router.get(
        "/treaties/status.{fmt}",
        summary="Open data: every state's status for every instrument (csv or json)",
        dependencies=read,
    )
    def api_status_export(fmt: str) -> Response:
        rows = reading(compare.status_rows)
        if fmt == "json":
            return JSONResponse(rows)
        if fmt != "csv":
            raise InvalidInput(f"unknown format {fmt!r}; choose csv or json")
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=compare.STATUS_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return Response(
            buffer.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="treaty-status.csv"'},
        )

    @router.get(
        "/states/{alpha3}/treaties", summary="One state's status for each instrument", dependencies=read
    )
    def api_state_treaties(alpha3: str) -> dict[str, Any]:
        return reading(compare.state_treaties, alpha3)  # type: ignore[no-any-return]

    @router.get("/compare", summary="States side by side (?states=USA,CHN,RUS)", dependencies=read)
    def api_compare(states: str = Query(description="Comma-separated alpha-3 codes")) -> dict[str, Any]:
        codes = [s for s in (part.strip() for part in states.split(",")) if s]
        if not codes or len(codes) > 50:
            raise InvalidInput("give 1 to 50 states, comma separated (states=USA,CHN)")
        return reading(compare.compare_states, codes)  # type: ignore[no-any-return]

    @router.get("/ranking", summary="States by number of instruments they are party to", dependencies=read)
    def api_ranking(group: str | None = None) -> list[dict[str, Any]]:
        return reading(compare.ranking, group=group)  # type: ignore[no-any-return]

    @router.get("/treaties/regions", summary="Party counts by UN regional group", dependencies=read)
    def api_regions() -> list[dict[str, Any]]:
        return reading(compare.regional_stats)  # type: ignore[no-any-return]

    @router.get("/map/{instrument}", summary="alpha-3 → status for one instrument", dependencies=read)
    def api_map(instrument: str) -> dict[str, Any]:
        return reading(compare.world_map, instrument)  # type: ignore[no-any-return]

    @router.get("/events", summary="Engagement events", dependencies=read)
    def api_events(state: str | None = None, kind: str | None = None) -> list[dict[str, Any]]:
        return reading(events.list_events, state, kind)  # type: ignore[no-any-return]

    @router.post(
        "/events",
        summary="Record an event",
        status_code=201,
    )
    def api_add_event(
        event: EventIn, session: Session | None = Depends(guard.need(Permission.EDIT))
    ) -> dict[str, Any]:
        fields = event.model_dump()
        actor = actor_of(session)
        return events.add_event(
            db, fields.pop("state"), fields.pop("kind"), fields.pop("date"), actor=actor, **fields
        )

    @router.get("/states/{alpha3}/timeline", summary="Reviews, treaty actions and events", dependencies=read)
    def api_timeline(alpha3: str) -> dict[str, Any]:
        return reading(timeline.state_timeline, alpha3)  # type: ignore[no-any-return]

    return router
