"""Workspaces, their members and their actors (the jurisdiction tree below a state)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select

from rightstrack.auth import audit
from rightstrack.auth.accounts import User
from rightstrack.auth.notices import Outbox
from rightstrack.auth.roles import Role
from rightstrack.engagement.compare import find_state
from rightstrack.errors import Conflict, InvalidInput, NotFound, PermissionDenied, Problem
from rightstrack.followup import history
from rightstrack.followup.access import PENDING, WorkspaceAccess, WorkspacePermission
from rightstrack.followup.creation import CreationPolicy, status_for_new, tell_admins
from rightstrack.followup.model import ActorCreate, ActorUpdate, WorkspaceCreate, WorkspaceRole
from rightstrack.followup.schema import fu_actors, fu_members, fu_workspaces
from rightstrack.messages import msg
from rightstrack.store import schema
from rightstrack.store.database import Database

ACTOR = "actor"
# Words the workspace pages use in their own addresses (/workspaces/new), so no workspace is called so.
RESERVED_SLUGS = frozenset({"new"})


def create_workspace(
    db: Database,
    data: WorkspaceCreate,
    *,
    by: User,
    owner: str | None = None,
    policy: CreationPolicy = CreationPolicy.ADMINS,
    outbox: Outbox | None = None,
) -> int:
    """Create a workspace if ``policy`` lets ``by`` (followup.creation); ``owner`` (default: ``by``)
    becomes its first owner. Only an administrator names someone else as owner."""
    status = status_for_new(by, policy)
    if data.slug in RESERVED_SLUGS:
        raise InvalidInput(
            msg("The address %(slug)s is taken by the site itself.", slug=data.slug),
            [Problem(msg("Choose another address."), field="slug", value=data.slug)],
        )
    if owner and owner != by.username and by.role is not Role.ADMIN:
        raise PermissionDenied(msg("Only an administrator names someone else as a new workspace's owner."))
    state = find_state(data.state).alpha3 if data.state else None
    with db.transaction() as conn:
        if conn.scalar(select(fu_workspaces.c.id).where(fu_workspaces.c.slug == data.slug)):
            raise Conflict(
                msg("A workspace with the address %(slug)s exists already.", slug=data.slug),
                [Problem(msg("Choose another address."), field="slug", value=data.slug)],
            )
        values = data.model_dump() | {
            "state": state,
            "created_at": datetime.now(UTC),
            "created_by": by.username,
            "status": status,
        }
        workspace_id = int(
            conn.execute(fu_workspaces.insert().returning(fu_workspaces.c.id), values).scalar_one()
        )
        _set_member(conn, workspace_id, user_id(conn, owner or by.username), WorkspaceRole.OWNER, None)
        audit.record(
            conn,
            actor=by.username,
            action="create workspace",
            entity="workspace",
            entity_id=data.slug,
            after={"status": status},
        )
        if status == PENDING:
            tell_admins(conn, data.name, by.username, outbox)
    return workspace_id


def list_workspaces(conn: Connection, user: User | None) -> list[dict[str, Any]]:
    """Every workspace (names are public), with the reader's role in each; one awaiting approval
    only for its members and administrators."""
    roles: dict[int, str] = {}
    if user is not None:
        roles = {
            int(r.workspace_id): r.role
            for r in conn.execute(select(fu_members).where(fu_members.c.user_id == user.id))
        }
    admin = user is not None and user.role is Role.ADMIN
    rows = conn.execute(select(fu_workspaces).order_by(fu_workspaces.c.name))
    return [
        history.snapshot(r) | {"my_role": roles.get(int(r.id))}
        for r in rows
        if r.status != PENDING or admin or int(r.id) in roles
    ]


def user_id(conn: Connection, username: str) -> int:
    found = conn.scalar(select(schema.users.c.id).where(schema.users.c.username == username))
    if found is None:
        raise NotFound(
            msg("There is no user called %(name)s.", name=username),
            [Problem(msg("There is no user of that name."), field="username", value=username)],
        )
    return int(found)


def _set_member(
    conn: Connection, workspace_id: int, uid: int, role: WorkspaceRole, email: str | None
) -> None:
    key = (fu_members.c.workspace_id == workspace_id) & (fu_members.c.user_id == uid)
    if conn.scalar(select(fu_members.c.role).where(key)) is None:
        conn.execute(
            fu_members.insert(), {"workspace_id": workspace_id, "user_id": uid, "role": role, "email": email}
        )
    else:
        conn.execute(fu_members.update().where(key).values(role=role, email=email))


def set_member(
    db: Database, access: WorkspaceAccess, username: str, role: WorkspaceRole, email: str | None = None
) -> None:
    """Add a member or change their role and reminder address."""
    access.require(WorkspacePermission.MANAGE)
    if email is not None and "@" not in email:
        raise InvalidInput(
            msg("That is not an e-mail address."),
            [Problem(msg("Enter an e-mail address, like name@example.org."), field="email", value=email)],
        )
    with db.transaction() as conn:
        uid = user_id(conn, username)
        before = _role_of(conn, access.id, uid)
        if before == WorkspaceRole.OWNER and role is not WorkspaceRole.OWNER:
            _keep_an_owner(conn, access.id, uid)
        _set_member(conn, access.id, uid, role, email)
        audit.record(
            conn,
            actor=access.actor,
            action="set member",
            entity=f"workspace {access.slug}",
            entity_id=username,
            before={"role": before} if before else None,
            after={"role": role.value},
        )


def _role_of(conn: Connection, workspace_id: int, uid: int) -> str | None:
    return conn.scalar(
        select(fu_members.c.role).where(
            fu_members.c.workspace_id == workspace_id, fu_members.c.user_id == uid
        )
    )


def _keep_an_owner(conn: Connection, workspace_id: int, uid: int) -> None:
    owners = conn.scalars(
        select(fu_members.c.user_id).where(
            fu_members.c.workspace_id == workspace_id, fu_members.c.role == WorkspaceRole.OWNER
        )
    ).all()
    if list(owners) == [uid]:
        raise Conflict(msg("A workspace keeps at least one owner: make someone else owner first."))


def remove_member(db: Database, access: WorkspaceAccess, username: str) -> None:
    access.require(WorkspacePermission.MANAGE)
    with db.transaction() as conn:
        uid = user_id(conn, username)
        before = _role_of(conn, access.id, uid)
        if before is None:
            raise NotFound(msg("%(name)s is not a member of this workspace.", name=username))
        _keep_an_owner(conn, access.id, uid)
        conn.execute(
            fu_members.delete().where(fu_members.c.workspace_id == access.id, fu_members.c.user_id == uid)
        )
        audit.record(
            conn,
            actor=access.actor,
            action="remove member",
            entity=f"workspace {access.slug}",
            entity_id=username,
            before={"role": before},
        )


def members(conn: Connection, access: WorkspaceAccess) -> list[dict[str, Any]]:
    access.require(WorkspacePermission.READ_PRIVATE)
    u = schema.users
    rows = conn.execute(
        select(u.c.username, u.c.display_name, fu_members.c.role, fu_members.c.email)
        .join(fu_members, fu_members.c.user_id == u.c.id)
        .where(fu_members.c.workspace_id == access.id)
        .order_by(u.c.username)
    )
    return [dict(r._mapping) for r in rows]


# -- actors ------------------------------------------------------------------------------------


def _check_parent(
    conn: Connection, access: WorkspaceAccess, parent_id: int | None, own_id: int | None
) -> None:
    seen = {own_id} if own_id is not None else set()
    current = parent_id
    while current is not None:
        if current in seen:
            raise InvalidInput(
                msg("An actor cannot sit below itself."),
                [Problem(msg("Choose an actor that is not below this one."), field="parent_id")],
            )
        seen.add(current)
        current = history.load(conn, fu_actors, access, ACTOR, current)["parent_id"]


def add_actor(db: Database, access: WorkspaceAccess, data: ActorCreate) -> int:
    access.require(WorkspacePermission.EDIT)
    state = find_state(data.state).alpha3 if data.state else access.workspace["state"]
    with db.transaction() as conn:
        _check_parent(conn, access, data.parent_id, None)
        return history.create(conn, fu_actors, access, ACTOR, data.model_dump() | {"state": state})


def update_actor(db: Database, access: WorkspaceAccess, actor_id: int, data: ActorUpdate) -> dict[str, Any]:
    access.require(WorkspacePermission.EDIT)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    with db.transaction() as conn:
        if "parent_id" in changes:
            _check_parent(conn, access, changes["parent_id"], actor_id)
        return history.update(conn, fu_actors, access, ACTOR, actor_id, changes, data.version)


def actors(conn: Connection, access: WorkspaceAccess) -> list[dict[str, Any]]:
    """The workspace's actors as a tree, depth-first, each with its ``depth``."""
    rows = [
        history.snapshot(r)
        for r in conn.execute(
            select(fu_actors)
            .where(fu_actors.c.workspace_id == access.id, fu_actors.c.deleted_at.is_(None))
            .order_by(fu_actors.c.name)
        )
    ]
    children: dict[int | None, list[dict[str, Any]]] = {}
    ids = {r["id"] for r in rows}
    for r in rows:
        parent = r["parent_id"] if r["parent_id"] in ids else None
        children.setdefault(parent, []).append(r)
    out: list[dict[str, Any]] = []

    def walk(parent: int | None, depth: int) -> None:
        for r in children.get(parent, []):
            out.append(r | {"depth": depth})
            walk(r["id"], depth + 1)

    walk(None, 0)
    return out


def actor_ids(conn: Connection, access: WorkspaceAccess, wanted: list[int]) -> list[int]:
    """Check every id names a live actor of this workspace."""
    for actor_id in wanted:
        history.load(conn, fu_actors, access, ACTOR, actor_id)
    return wanted
