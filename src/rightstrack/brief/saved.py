"""Briefs saved in a workspace: private drafts until published, every save a version.

Saving goes through the workspace's write path (``followup.history``): a revision with who, when,
before and after, and an audit event, in the same transaction as the change; an update names the
version it started from, and a stale one is refused. Before anything is written, every point's
citations are resolved again (``citations.check_points``): a brief is never stored with a sentence
that is unsourced or whose source no longer says what the sentence states.

Who may do what is the workspace's role table: contributors and up draft and save briefs, editors
and owners publish them (or take them back), members read private ones, everyone else reads the
published ones and is told "not found" for the rest.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import Connection, select

from rightstrack.auth.accounts import User
from rightstrack.brief.citations import check_points
from rightstrack.brief.model import BriefCreate, BriefOut, BriefUpdate, BriefVersion, Origin, Point
from rightstrack.brief.schema import br_briefs
from rightstrack.engagement.compare import find_state
from rightstrack.errors import InvalidInput, NotFound
from rightstrack.followup import history
from rightstrack.followup.access import WorkspaceAccess, WorkspacePermission, workspace_access
from rightstrack.followup.model import Visibility
from rightstrack.followup.schema import fu_members, fu_workspaces
from rightstrack.store.database import Database

BRIEF = "brief"
_POINTS = TypeAdapter(list[Point])


def settle(points: list[Point]) -> list[Point]:
    """A generated point whose wording people changed is ``edited`` (it keeps its citations and
    its original wording); one changed back is ``generated`` again."""
    out = []
    for point in points:
        if point.origin != Origin.HAND_WRITTEN and point.original is not None:
            reworded = point.text != point.original
            point = point.model_copy(update={"origin": Origin.EDITED if reworded else Origin.GENERATED})
        out.append(point)
    return out


def _checked(db: Database, lang: str, points: list[Point]) -> str:
    problems = check_points(db, lang, points)
    if problems:
        raise InvalidInput("every point of a brief must be sourced, and its sources must resolve", problems)
    return _POINTS.dump_json(points, exclude_none=True).decode("utf-8")


def create_brief(db: Database, user: User | None, data: BriefCreate) -> int:
    """Save a new brief in ``data.workspace`` (contributors and up; publishing: editors and up)."""
    with db.read() as conn:
        access = workspace_access(conn, data.workspace, user)
    access.require(WorkspacePermission.REPORT)
    if data.visibility == Visibility.PUBLIC:
        access.require(WorkspacePermission.EDIT)
    points = _checked(db, data.request.lang, settle(data.points))
    values = {
        "title": data.title,
        "state": find_state(data.request.state).alpha3,
        "lang": data.request.lang,
        "visibility": data.visibility.value,
        "request": data.request.model_dump_json(),
        "points": points,
    }
    with db.transaction() as conn:
        return history.create(conn, br_briefs, access, BRIEF, values)


def update_brief(db: Database, user: User | None, brief_id: int, data: BriefUpdate) -> BriefOut:
    """Save a new version: new wording, order or points, a new title, or (editors and up) publish."""
    with db.read() as conn:
        access, row = _locate(conn, brief_id, user)
    access.require(WorkspacePermission.REPORT)
    changes: dict[str, Any] = data.model_dump(
        exclude_unset=True, exclude_none=True, exclude={"version", "points", "visibility"}
    )
    if data.visibility is not None and data.visibility.value != row["visibility"]:
        access.require(WorkspacePermission.EDIT)
        changes["visibility"] = data.visibility.value
    if data.points is not None:
        changes["points"] = _checked(db, row["lang"], settle(data.points))
    with db.transaction() as conn:
        history.update(conn, br_briefs, access, BRIEF, brief_id, changes, data.version)
        return _out(conn, brief_id, access)


def get_brief(conn: Connection, user: User | None, brief_id: int) -> BriefOut:
    access, _ = _locate(conn, brief_id, user)
    return _out(conn, brief_id, access)


def brief_access(conn: Connection, user: User | None, brief_id: int) -> WorkspaceAccess:
    """The reader's standing in the brief's workspace (NotFound when they may not see it)."""
    return _locate(conn, brief_id, user)[0]


def list_briefs(conn: Connection, user: User | None, state: str | None = None) -> list[dict[str, Any]]:
    """The briefs the reader may see: the published ones, and every one of their workspaces'."""
    b, w = br_briefs, fu_workspaces
    mine = (
        set(conn.scalars(select(fu_members.c.workspace_id).where(fu_members.c.user_id == user.id)))
        if user
        else set()
    )
    query = (
        select(
            b.c.id,
            b.c.title,
            b.c.state,
            b.c.lang,
            b.c.visibility,
            b.c.version,
            b.c.updated_at,
            b.c.workspace_id,
            w.c.slug.label("workspace"),
            w.c.name.label("workspace_name"),
        )
        .join(w, w.c.id == b.c.workspace_id)
        .where(b.c.deleted_at.is_(None))
        .order_by(b.c.updated_at.desc(), b.c.id.desc())
    )
    if state:
        query = query.where(b.c.state == find_state(state).alpha3)
    return [
        history.snapshot(row)
        for row in conn.execute(query)
        if row.visibility == Visibility.PUBLIC or row.workspace_id in mine
    ]


def brief_versions(conn: Connection, user: User | None, brief_id: int) -> list[BriefVersion]:
    """Every saved version, oldest first, with who saved it and when (members only: earlier
    versions may hold what was never published)."""
    access, _ = _locate(conn, brief_id, user)
    access.require(WorkspacePermission.READ_PRIVATE)
    return [
        BriefVersion(
            version=int((r["after"] or r["before"] or {}).get("version", 0)),
            action=str(r["action"]),
            by=r["actor"],
            at=r["at"],
        )
        for r in history.history(conn, access, BRIEF, brief_id)
    ]


def _locate(conn: Connection, brief_id: int, user: User | None) -> tuple[WorkspaceAccess, dict[str, Any]]:
    slug = conn.scalar(
        select(fu_workspaces.c.slug)
        .join(br_briefs, br_briefs.c.workspace_id == fu_workspaces.c.id)
        .where(br_briefs.c.id == brief_id)
    )
    if slug is None:
        raise NotFound(f"no brief {brief_id}")
    access = workspace_access(conn, slug, user)
    row = history.load(conn, br_briefs, access, BRIEF, brief_id)
    if not access.sees(row["visibility"]):
        raise NotFound(f"no brief {brief_id}")
    return access, row


def _out(conn: Connection, brief_id: int, access: WorkspaceAccess) -> BriefOut:
    row = history.load(conn, br_briefs, access, BRIEF, brief_id)
    return BriefOut(
        **{k: row[k] for k in ("id", "title", "state", "lang", "visibility", "version", "created_by")},
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        workspace=access.slug,
        workspace_name=str(access.workspace["name"]),
        request=json.loads(row["request"]),
        points=_POINTS.validate_json(row["points"]),
    )
