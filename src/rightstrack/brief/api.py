"""The briefs API under /api/v1/briefs: a few lines per route over the library.

Drafting reads public data only, so anyone who may read the instance may draft. Saved briefs belong
to a workspace, and the library's WorkspaceAccess decides who reads and writes them, as it does on
the pages and the command line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from rightstrack.auth.accounts import Session
from rightstrack.auth.roles import Permission
from rightstrack.brief import saved
from rightstrack.brief.draft import draft_brief
from rightstrack.brief.model import Brief, BriefCreate, BriefOut, BriefRequest, BriefUpdate, BriefVersion
from rightstrack.brief.render import FORMATS, render
from rightstrack.followup.lifecycle import delete_record
from rightstrack.settings import Settings
from rightstrack.store.database import Database
from rightstrack.web.security import Guard

# Ids are 64-bit integers in both engines; anything larger is a bad request, not a server error.
BriefId = Annotated[int, Path(ge=1, le=2**63 - 1, description="Brief id")]


def brief_request(
    state: Annotated[str, Query(description="The state: ISO alpha-3 code (USA) or name")],
    theme: Annotated[
        list[str], Query(description="UPR Info issue or UHRI theme; repeat for any of several")
    ] = [],  # noqa: B006
    query: Annotated[str, Query(description="Only recommendations matching this search")] = "",
    since: Annotated[int | None, Query(description="Only reviews and events from this year on")] = None,
    compare: Annotated[list[str], Query(description="Peers to compare: repeat, or CHN,RUS")] = [],  # noqa: B006
    lang: Annotated[str, Query(description="en, fr or es")] = "en",
    asks: Annotated[int, Query(description="Repeated asks named and recommendations put forward")] = 5,
) -> BriefRequest:
    """A brief request from query parameters (shared by the API and the pages)."""
    peers = [part.strip() for value in compare for part in value.split(",") if part.strip()]
    return BriefRequest(
        state=state, themes=theme, query=query, since=since, compare=peers, lang=lang, asks=asks
    )


def file_response(data: bytes, fmt: str, name: str) -> Response:
    return Response(
        data, media_type=FORMATS[fmt], headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    )


def briefs_router(db: Database, settings: Settings, guard: Guard) -> APIRouter:
    router = APIRouter(prefix="/api/v1/briefs", tags=["briefs"])
    who = guard.need(Permission.READ)
    base_url = str(settings.base_url)

    def user_of(session: Session | None) -> Any:
        return session.user if session else None

    def reading(fn: Callable[..., Any], *args: Any) -> Any:
        with db.read() as conn:
            return fn(conn, *args)

    @router.get(
        "/draft", summary="Draft a brief from the record (every point cited)", dependencies=[Depends(who)]
    )
    def api_draft(request: Annotated[BriefRequest, Depends(brief_request)]) -> Brief:
        return draft_brief(db, request)

    @router.get(
        "/draft.{fmt}", summary="A drafted brief as a file: md, docx or pdf", dependencies=[Depends(who)]
    )
    def api_draft_file(fmt: str, request: Annotated[BriefRequest, Depends(brief_request)]) -> Response:
        data = render(draft_brief(db, request), fmt, base_url=base_url)
        return file_response(data, fmt, f"brief-{request.state}")

    @router.get("", summary="Briefs you may read: the published ones and your workspaces' drafts")
    def api_briefs(state: str | None = None, session: Session | None = Depends(who)) -> list[dict[str, Any]]:
        return reading(saved.list_briefs, user_of(session), state)  # type: ignore[no-any-return]

    @router.post("", summary="Save a brief in a workspace (private until published)", status_code=201)
    def api_save(body: BriefCreate, session: Session | None = Depends(who)) -> dict[str, int]:
        return {"id": saved.create_brief(db, user_of(session), body)}

    @router.get("/{brief_id}", summary="A saved brief")
    def api_brief(brief_id: BriefId, session: Session | None = Depends(who)) -> BriefOut:
        return reading(saved.get_brief, user_of(session), brief_id)  # type: ignore[no-any-return]

    @router.patch("/{brief_id}", summary="Save a new version: wording, order, points, title, publication")
    def api_update(brief_id: BriefId, body: BriefUpdate, session: Session | None = Depends(who)) -> BriefOut:
        return saved.update_brief(db, user_of(session), brief_id, body)

    @router.get("/{brief_id}/versions", summary="Who saved each version, and when (members)")
    def api_versions(brief_id: BriefId, session: Session | None = Depends(who)) -> list[BriefVersion]:
        return reading(saved.brief_versions, user_of(session), brief_id)  # type: ignore[no-any-return]

    @router.get("/{brief_id}/export.{fmt}", summary="A saved brief as a file: md, docx or pdf")
    def api_export(brief_id: BriefId, fmt: str, session: Session | None = Depends(who)) -> Response:
        brief = reading(saved.get_brief, user_of(session), brief_id)
        return file_response(render(brief.as_brief(), fmt, base_url=base_url), fmt, f"brief-{brief_id}")

    @router.delete(
        "/{brief_id}", summary="Delete a brief (restorable from the workspace's bin)", status_code=204
    )
    def api_delete(brief_id: BriefId, session: Session | None = Depends(who)) -> Response:
        access = reading(saved.brief_access, user_of(session), brief_id)
        delete_record(db, access, saved.BRIEF, brief_id)
        return Response(status_code=204)

    return router
