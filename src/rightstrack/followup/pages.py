"""The tracking pages: the workspaces, a workspace's implementation dashboard, a commitment, an
actor, and evidence downloads. Thin over the follow-up library; the forms are in ``page_forms``.

The global guard only checks that the instance lets the visitor read at all; what they see inside
a workspace is the library's ``WorkspaceAccess`` (members read private records, others only
public ones, and a private record is "not found" for them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from rightstrack.auth.accounts import Session
from rightstrack.auth.roles import Permission
from rightstrack.followup.access import WorkspaceAccess, workspace_access
from rightstrack.followup.api import evidence_store
from rightstrack.followup.creation import creation_policy, may_create
from rightstrack.followup.page_views import actor_view, commitment_view, workspace_view
from rightstrack.followup.progress import evidence_file
from rightstrack.followup.workspaces import list_workspaces
from rightstrack.settings import Settings
from rightstrack.store.database import Database
from rightstrack.web.render import Render, renderer
from rightstrack.web.security import Guard


@dataclass(frozen=True)
class Pages:
    """Renders the pages that carry forms, so a refused form comes back on its own page."""

    db: Database
    render: Render
    retention_days: int = 30  # shown beside each Delete button: how long the bin keeps a record

    def access(self, slug: str, session: Session | None) -> WorkspaceAccess:
        with self.db.read() as conn:
            return workspace_access(conn, slug, session.user if session else None)

    def workspace(self, request: Request, slug: str, session: Session | None, **extra: Any) -> Any:
        with self.db.read() as conn:
            view = workspace_view(conn, workspace_access(conn, slug, _user(session)))
        return self.render(request, "workspace.html", session, **_forms(extra), **view)

    def commitment(
        self, request: Request, slug: str, commitment_id: int, session: Session | None, **extra: Any
    ) -> Any:
        with self.db.read() as conn:
            view = commitment_view(conn, workspace_access(conn, slug, _user(session)), commitment_id)
        return self.render(
            request, "commitment.html", session, retention_days=self.retention_days, **_forms(extra), **view
        )

    def actor(self, request: Request, slug: str, actor_id: int, session: Session | None, **extra: Any) -> Any:
        with self.db.read() as conn:
            view = actor_view(conn, workspace_access(conn, slug, _user(session)), actor_id)
        return self.render(
            request, "actor.html", session, retention_days=self.retention_days, **_forms(extra), **view
        )


def _user(session: Session | None) -> Any:
    return session.user if session else None


def _forms(extra: dict[str, Any]) -> dict[str, Any]:
    # ``errors`` and ``forms``: the refused form's error and the values to put back, by form name.
    return {"errors": {}, "forms": {}} | extra


def tracking_pages(db: Database, settings: Settings, templates: Jinja2Templates, guard: Guard) -> APIRouter:
    from rightstrack.followup.member_pages import member_routes
    from rightstrack.followup.page_forms import add_form_routes
    from rightstrack.followup.page_forms_more import add_bin_routes
    from rightstrack.followup.picker import picker_routes

    router = APIRouter(include_in_schema=False)
    render = renderer(templates, guard)
    read = guard.need(Permission.READ)
    pages = Pages(db, render, int(settings.retention_days))
    store = evidence_store(settings)
    # First: /workspaces/new must be matched before /workspaces/{slug}.
    member_routes(router, db, settings, guard, pages)
    picker_routes(router, db, guard, pages)

    @router.get("/workspaces", response_class=HTMLResponse)
    def page_workspaces(request: Request, session: Session | None = Depends(read)) -> Any:
        with db.read() as conn:
            found = list_workspaces(conn, _user(session))
            policy = creation_policy(conn, str(settings.workspace_creation))
        allowed = may_create(_user(session), policy)
        return render(
            request, "workspaces.html", session, workspaces=found, policy=policy.value, allowed=allowed
        )

    @router.get("/workspaces/{slug}", response_class=HTMLResponse)
    def page_workspace(request: Request, slug: str, session: Session | None = Depends(read)) -> Any:
        return pages.workspace(request, slug, session)

    @router.get("/workspaces/{slug}/commitments/{commitment_id}", response_class=HTMLResponse)
    def page_commitment(
        request: Request, slug: str, commitment_id: int, session: Session | None = Depends(read)
    ) -> Any:
        return pages.commitment(request, slug, commitment_id, session)

    @router.get("/workspaces/{slug}/actors/{actor_id}", response_class=HTMLResponse)
    def page_actor(
        request: Request, slug: str, actor_id: int, session: Session | None = Depends(read)
    ) -> Any:
        return pages.actor(request, slug, actor_id, session)

    @router.get("/workspaces/{slug}/evidence/{evidence_id}")
    def page_evidence(slug: str, evidence_id: int, session: Session | None = Depends(read)) -> Response:
        with db.read() as conn:
            found = evidence_file(conn, workspace_access(conn, slug, _user(session)), evidence_id)
        return Response(
            store.read(found["sha256"]),
            media_type=found["content_type"],
            # Served as a download, never rendered in the site's origin.
            headers={
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(found['filename'])}",
                "X-Content-Type-Options": "nosniff",
            },
        )

    add_form_routes(router, db, guard, store, pages)
    add_bin_routes(router, db, guard, pages)
    return router
