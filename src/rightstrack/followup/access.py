"""Who may see and change what in a workspace.

A workspace's private records are read only by its members, whatever their role on the instance:
an instance admin creates workspaces and manages their members but does not thereby read a city
commission's drafts. Public records are read by anyone the instance lets read (anonymous
visitors too in public read-only mode). Measures and indicators share their commitment's
visibility; a progress report or assessment is public only when it and its commitment both are.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, select

from rightstrack.auth.accounts import User
from rightstrack.auth.roles import Role
from rightstrack.errors import LoginRequired, NotFound, PermissionDenied
from rightstrack.followup.model import Visibility, WorkspaceRole
from rightstrack.followup.schema import fu_members, fu_workspaces
from rightstrack.followup.terms import term
from rightstrack.messages import msg


class WorkspacePermission(StrEnum):
    READ_PRIVATE = "read private records"
    REPORT = "report progress and assessments"
    EDIT = "edit actors, commitments, measures and indicators"
    MANAGE = "manage members"


_ROLE_PERMISSIONS: dict[WorkspaceRole, frozenset[WorkspacePermission]] = {
    WorkspaceRole.VIEWER: frozenset({WorkspacePermission.READ_PRIVATE}),
    WorkspaceRole.CONTRIBUTOR: frozenset({WorkspacePermission.READ_PRIVATE, WorkspacePermission.REPORT}),
    WorkspaceRole.EDITOR: frozenset(
        {WorkspacePermission.READ_PRIVATE, WorkspacePermission.REPORT, WorkspacePermission.EDIT}
    ),
    WorkspaceRole.OWNER: frozenset(WorkspacePermission),
}


PENDING = "pending"
_MAY = {
    WorkspacePermission.READ_PRIVATE: msg("read private records"),
    WorkspacePermission.REPORT: msg("report progress and assessments"),
    WorkspacePermission.EDIT: msg("edit actors, commitments, measures and indicators"),
    WorkspacePermission.MANAGE: msg("manage members"),
}


@dataclass(frozen=True)
class WorkspaceAccess:
    """One reader's standing in one workspace."""

    workspace: dict[str, Any]
    user: User | None
    role: WorkspaceRole | None

    @property
    def id(self) -> int:
        return int(self.workspace["id"])

    @property
    def slug(self) -> str:
        return str(self.workspace["slug"])

    @property
    def actor(self) -> str | None:
        return self.user.username if self.user else None

    @property
    def pending(self) -> bool:
        """Created by self-service and not yet approved: members read it, nobody writes in it."""
        return self.workspace.get("status") == PENDING

    def may(self, permission: WorkspacePermission) -> bool:
        if self.pending and permission is not WorkspacePermission.READ_PRIVATE:
            return False
        if permission is WorkspacePermission.MANAGE and self.user and self.user.role is Role.ADMIN:
            return True
        return self.role is not None and permission in _ROLE_PERMISSIONS[self.role]

    @property
    def reads_private(self) -> bool:
        return self.may(WorkspacePermission.READ_PRIVATE)

    def require(self, permission: WorkspacePermission) -> None:
        if self.may(permission):
            return
        if self.user is None:
            raise LoginRequired(msg("Log in first."))
        if self.pending and permission is not WorkspacePermission.READ_PRIVATE:
            raise PermissionDenied(
                msg("Workspace %(name)s awaits an administrator's approval.", name=self.workspace["name"])
            )
        raise PermissionDenied(
            msg(
                "You may not %(what)s in workspace %(name)s.",
                what=_MAY[permission],
                name=self.workspace["name"],
            )
        )

    def sees(self, *visibilities: str | None) -> bool:
        """A record whose own (and parents') visibility is ``visibilities``: may this reader see it?"""
        return self.reads_private or all(v == Visibility.PUBLIC for v in visibilities)


def workspace_access(conn: Connection, slug: str, user: User | None) -> WorkspaceAccess:
    row = conn.execute(select(fu_workspaces).where(fu_workspaces.c.slug == slug)).first()
    if row is None:
        raise NotFound(msg("There is no workspace %(slug)s.", slug=slug))
    role = None
    if user is not None:
        found = conn.scalar(
            select(fu_members.c.role).where(
                fu_members.c.workspace_id == row.id, fu_members.c.user_id == user.id
            )
        )
        role = WorkspaceRole(found) if found else None
    if row.status == PENDING and role is None and (user is None or user.role is not Role.ADMIN):
        raise NotFound(msg("There is no workspace %(slug)s.", slug=slug))  # not public before approval
    return WorkspaceAccess(dict(row._mapping), user, role)


def not_found(kind: str, record_id: int) -> NotFound:
    """The same answer for "absent" and "not yours", so ids of private records do not leak."""
    return NotFound(msg("There is no %(kind)s %(id)s in this workspace.", kind=term(kind), id=record_id))
