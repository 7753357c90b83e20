"""Who may create a workspace, and the approval of self-service workspaces.

The ``workspace_creation`` setting gives the instance's default; an administrator can change it
from the browser (``/admin``), and what they chose is kept in ``store_meta`` and wins from then on:

- ``admins``: instance administrators create workspaces (and name their first owner);
- ``editors``: instance editors may too, and become the new workspace's owner;
- ``self_service``: anyone with an account may ask for one; it waits, visible to its owner and to
  administrators only and closed to writes, until an administrator approves it (or rejects it,
  which removes it). Administrators are told of each request in their notices.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, delete, select

from rightstrack.auth import audit
from rightstrack.auth.accounts import User
from rightstrack.auth.notices import Outbox, notify
from rightstrack.auth.roles import Role
from rightstrack.errors import Conflict, InvalidInput, NotFound, PermissionDenied, Problem
from rightstrack.followup.access import PENDING
from rightstrack.followup.schema import fu_members, fu_workspaces
from rightstrack.messages import msg
from rightstrack.store import schema
from rightstrack.store.database import Database

ACTIVE = "active"
_META_KEY = "workspace_creation"


class CreationPolicy(StrEnum):
    ADMINS = "admins"
    EDITORS = "editors"
    SELF_SERVICE = "self_service"

    @classmethod
    def parse(cls, value: str) -> CreationPolicy:
        try:
            return cls(value)
        except ValueError:
            raise InvalidInput(
                msg("Choose who may create workspaces."),
                [Problem(msg("Choose one of the options."), field="policy", value=value)],
            ) from None


def creation_policy(conn: Connection, default: str) -> CreationPolicy:
    """The administrators' choice, else the ``workspace_creation`` setting."""
    chosen = conn.scalar(select(schema.store_meta.c.value).where(schema.store_meta.c.key == _META_KEY))
    return CreationPolicy.parse(str(chosen or default))


def set_creation_policy(db: Database, by: User, policy: CreationPolicy) -> None:
    if by.role is not Role.ADMIN:
        raise PermissionDenied(msg("Only an administrator decides who may create workspaces."))
    meta = schema.store_meta
    with db.transaction() as conn:
        before = conn.scalar(select(meta.c.value).where(meta.c.key == _META_KEY))
        conn.execute(delete(meta).where(meta.c.key == _META_KEY))
        conn.execute(meta.insert(), {"key": _META_KEY, "value": policy.value})
        audit.record(
            conn,
            actor=by.username,
            action="set workspace creation",
            entity="instance",
            before={"policy": before},
            after={"policy": policy.value},
        )


def may_create(user: User | None, policy: CreationPolicy) -> bool:
    if user is None:
        return False
    if policy is CreationPolicy.ADMINS:
        return user.role is Role.ADMIN
    if policy is CreationPolicy.EDITORS:
        return user.role in (Role.ADMIN, Role.EDITOR)
    return True


def status_for_new(user: User, policy: CreationPolicy) -> str:
    """The status a workspace ``user`` creates starts in, or PermissionDenied."""
    if not may_create(user, policy):
        if policy is CreationPolicy.EDITORS:
            raise PermissionDenied(msg("Only editors and administrators create workspaces here."))
        raise PermissionDenied(msg("Only an instance administrator creates workspaces here."))
    return PENDING if policy is CreationPolicy.SELF_SERVICE and user.role is not Role.ADMIN else ACTIVE


def tell_admins(conn: Connection, name: str, by: str, outbox: Outbox | None) -> None:
    """Every administrator is told that a workspace awaits their decision (in the same transaction)."""
    admins = conn.scalars(
        select(schema.users.c.username).where(
            schema.users.c.role == Role.ADMIN.value, schema.users.c.active.is_(True)
        )
    )
    for admin in admins:
        notify(
            conn,
            admin,
            "workspace request",
            f"{by} asks for a workspace: {name}",
            link="/admin",
            outbox=outbox,
        )


def pending_workspaces(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(fu_workspaces).where(fu_workspaces.c.status == PENDING).order_by(fu_workspaces.c.created_at)
    )
    return [dict(r._mapping) for r in rows]


def decide_workspace(db: Database, by: User, slug: str, *, approve: bool) -> None:
    """An administrator approves a pending workspace (it opens) or rejects it (it is removed)."""
    if by.role is not Role.ADMIN:
        raise PermissionDenied(msg("Only an administrator approves workspaces."))
    w = fu_workspaces
    with db.transaction() as conn:
        row = conn.execute(select(w.c.id, w.c.status).where(w.c.slug == slug)).first()
        if row is None:
            raise NotFound(msg("There is no workspace %(slug)s.", slug=slug))
        if row.status != PENDING:
            raise Conflict(msg("Workspace %(slug)s is not awaiting approval.", slug=slug))
        if approve:
            conn.execute(w.update().where(w.c.id == row.id).values(status=ACTIVE))
        else:
            conn.execute(delete(fu_members).where(fu_members.c.workspace_id == row.id))
            conn.execute(delete(w).where(w.c.id == row.id))
        audit.record(
            conn,
            actor=by.username,
            action="approve workspace" if approve else "reject workspace",
            entity="workspace",
            entity_id=slug,
        )
