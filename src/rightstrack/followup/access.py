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

    def may(self, permission: WorkspacePermission) -> bool:
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
            raise LoginRequired("log in first")
        raise PermissionDenied(f"you may not {permission.value} in workspace {self.slug!r}")

    def sees(self, *visibilities: str | None) -> bool:
        """A record whose own (and parents') visibility is ``visibilities``: may this reader see it?"""
        return self.reads_private or all(v == Visibility.PUBLIC for v in visibilities)


def workspace_access(conn: Connection, slug: str, user: User | None) -> WorkspaceAccess:
    row = conn.execute(select(fu_workspaces).where(fu_workspaces.c.slug == slug)).first()
    if row is None:
        raise NotFound(f"no workspace {slug!r}")
    role = None
    if user is not None:
        found = conn.scalar(
            select(fu_members.c.role).where(
                fu_members.c.workspace_id == row.id, fu_members.c.user_id == user.id
            )
        )
        role = WorkspaceRole(found) if found else None
    return WorkspaceAccess(dict(row._mapping), user, role)


def not_found(kind: str, record_id: int) -> NotFound:
    """The same answer for "absent" and "not yours", so ids of private records do not leak."""
    return NotFound(f"no {kind} {record_id} in this workspace")
