"""Reversible delete on the tracking pages: the Delete buttons' route, the workspace's bin (what can
still be restored, and for how many days) and its Restore buttons.

Who may delete or restore is the library's call (``lifecycle``: editors for the structure, anyone
who reports for reports and assessments), made before anything else is looked at, so a non-member
learns nothing about the records of a workspace from these routes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import Connection, select

from rightstrack.auth.accounts import Session
from rightstrack.auth.roles import Permission
from rightstrack.followup.access import WorkspaceAccess
from rightstrack.followup.lifecycle import TABLES, delete_record, restore_record
from rightstrack.followup.page_views import bin_view
from rightstrack.followup.pages import Pages
from rightstrack.followup.schema import fu_commitments
from rightstrack.store.database import Database
from rightstrack.web.security import Guard, check_form_csrf

# Where on its commitment's page each kind of record is listed.
_SECTIONS = {
    "measure": "measures",
    "indicator": "indicators",
    "progress": "progress",
    "assessment": "assessments",
}


def add_bin_routes(router: APIRouter, db: Database, guard: Guard, pages: Pages) -> None:
    read = guard.need(Permission.READ)
    post = guard.need(Permission.READ, form_csrf=True)

    async def checked(request: Request, session: Session | None) -> None:
        form = await request.form()
        check_form_csrf(session, str(form.get("csrf_token", "")))

    @router.get("/workspaces/{slug}/bin", response_class=HTMLResponse)
    def page_bin(request: Request, slug: str, session: Session | None = Depends(read)) -> Any:
        with db.read() as conn:
            view = bin_view(conn, pages.access(slug, session), pages.retention_days)
        return pages.render(request, "bin.html", session, **view)

    @router.post("/workspaces/{slug}/records/{entity}/{record_id}/delete")
    async def post_delete(
        request: Request, slug: str, entity: str, record_id: int, session: Session | None = Depends(post)
    ) -> Any:
        await checked(request, session)
        access = pages.access(slug, session)
        delete_record(db, access, entity, record_id)
        with db.read() as conn:
            target = _place(conn, access, entity, record_id, deleted=True)
        return RedirectResponse(target, status_code=303)

    @router.post("/workspaces/{slug}/bin/{entity}/{record_id}/restore")
    async def post_restore(
        request: Request, slug: str, entity: str, record_id: int, session: Session | None = Depends(post)
    ) -> Any:
        await checked(request, session)
        access = pages.access(slug, session)
        restore_record(db, access, entity, record_id, retention_days=pages.retention_days)
        with db.read() as conn:
            target = _place(conn, access, entity, record_id, deleted=False)
        return RedirectResponse(target, status_code=303)


def _place(conn: Connection, access: WorkspaceAccess, entity: str, record_id: int, *, deleted: bool) -> str:
    """Where to go after a delete (the page that listed the record) or a restore (the record again;
    the bin when what holds it is itself still deleted)."""
    base = f"/workspaces/{access.slug}"
    table = TABLES[entity]
    if entity in _SECTIONS:
        commitment_id = conn.scalar(select(table.c.commitment_id).where(table.c.id == record_id))
        live = conn.scalar(
            select(fu_commitments.c.id).where(
                fu_commitments.c.id == commitment_id, fu_commitments.c.deleted_at.is_(None)
            )
        )
        if live is None:
            return f"{base}/bin"
        return f"{base}/commitments/{commitment_id}#{_SECTIONS[entity]}"
    if deleted:
        return f"{base}#{'actors' if entity == 'actor' else 'commitments'}"
    return f"{base}/{entity}s/{record_id}"
