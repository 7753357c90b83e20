"""Taking recommendations on from inside a workspace: a search of the public corpus (the
workspace's state first) whose results are chosen with checkboxes, no ids to copy. Thin over
``store.search`` and ``followup.commitments.take_on``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from rightstrack.auth.accounts import Session
from rightstrack.auth.roles import Permission
from rightstrack.followup import form_specs as specs
from rightstrack.followup.access import WorkspaceAccess, WorkspacePermission, workspace_access
from rightstrack.followup.commitments import list_commitments, take_on
from rightstrack.followup.model import Visibility
from rightstrack.followup.page_views import choices
from rightstrack.followup.pages import Pages
from rightstrack.messages import msg
from rightstrack.store.database import Database
from rightstrack.store.search import SearchRequest, search
from rightstrack.web.forms import read_form, refused, submit
from rightstrack.web.security import Guard

PAGE_SIZE = 20


def picker_routes(router: APIRouter, db: Database, guard: Guard, pages: Pages) -> None:
    read = guard.need(Permission.READ)
    post = guard.need(Permission.READ, form_csrf=True)

    def picker_page(
        request: Request, slug: str, session: Session | None, query: dict[str, str], **extra: Any
    ) -> Any:
        with db.read() as conn:
            access = workspace_access(conn, slug, session.user if session else None)
            access.require(WorkspacePermission.EDIT)
            wanted = _search_request(access, query)
            found = search(db, wanted)
            ids = [r["id"] for r in found["results"]]
            tracked = {
                c["recommendation_id"]: c["id"]
                for c in list_commitments(conn, access, recommendation_ids=ids)
            }
            form_choices = choices(conn, access)
        context = {"errors": {}, "forms": {}} | extra
        return pages.render(
            request, "picker.html", session, ws=access.workspace, result=found, tracked=tracked,
            query={"q": wanted.q, "state": (wanted.filters.get("state") or [""])[0]},
            spec=specs.TAKE_ON, choices=form_choices, **context,
        )  # fmt: skip

    @router.get("/workspaces/{slug}/take-on", response_class=HTMLResponse)
    def page_take_on(request: Request, slug: str, session: Session | None = Depends(read)) -> Any:
        return picker_page(request, slug, session, dict(request.query_params))

    @router.post("/workspaces/{slug}/take-on", response_class=HTMLResponse)
    async def post_take_on(request: Request, slug: str, session: Session | None = Depends(post)) -> Any:
        form = await read_form(request, session)
        values = specs.TAKE_ON.values(form)
        query = {k: str(form.get(k, "")) for k in ("q", "state", "page")}

        def act() -> str:
            access = pages.access(slug, session)
            access.require(WorkspacePermission.EDIT)
            made = take_on(
                db,
                access,
                _ids(values["recommendation_ids"]),
                lead_actor_id=int(values["lead_actor_id"]) if values["lead_actor_id"].isdigit() else None,
                visibility=_visibility(values["visibility"]),
            )
            return (
                f"/workspaces/{slug}/commitments/{made[0]}"
                if len(made) == 1
                else f"/workspaces/{slug}#commitments"
            )

        def again(**extra: Any) -> Any:
            return picker_page(request, slug, session, query, **extra)

        return submit("take-on", values, act, again)


def _search_request(access: WorkspaceAccess, query: dict[str, str]) -> SearchRequest:
    """The picker's search: its words, and the state under review (the workspace's, unless the
    reader chose another or none)."""
    state = query["state"] if "state" in query else str(access.workspace.get("state") or "")
    page = int(query["page"]) if query.get("page", "").isdigit() and int(query["page"]) >= 1 else 1
    return SearchRequest(
        q=query.get("q", ""),
        filters={"state": [state]} if state else {},
        page=page,
        page_size=PAGE_SIZE,
        facets=[],
    )


def _ids(values: list[str]) -> list[int]:
    if not all(v.isdigit() for v in values):
        raise refused(("recommendation_ids", msg("Choose one of the options.")))
    return [int(v) for v in values]


def _visibility(value: str) -> Visibility:
    try:
        return Visibility(value)
    except ValueError:
        raise refused(("visibility", msg("Choose one of the options."))) from None
