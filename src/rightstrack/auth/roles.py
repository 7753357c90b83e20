"""The role table: what each role may do. Every route and command checks a Permission, never a role."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    CONTRIBUTOR = "contributor"
    VIEWER = "viewer"


class Permission(StrEnum):
    READ = "read"
    SUGGEST = "suggest"  # contribute tag decisions and progress that an editor may revise
    DECIDE_TAGS = "decide tags"
    IMPORT = "import"
    EDIT = "edit"
    MANAGE_USERS = "manage users"
    VIEW_AUDIT = "view audit log"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: frozenset({Permission.READ}),
    Role.CONTRIBUTOR: frozenset({Permission.READ, Permission.SUGGEST, Permission.DECIDE_TAGS}),
    Role.EDITOR: frozenset(
        {Permission.READ, Permission.SUGGEST, Permission.DECIDE_TAGS, Permission.IMPORT, Permission.EDIT}
    ),
    Role.ADMIN: frozenset(Permission),
}

# What someone who is not logged in may do when the instance runs in public read-only mode.
ANONYMOUS_PUBLIC: frozenset[Permission] = frozenset({Permission.READ})


def allowed(role: Role | None, permission: Permission, *, public_read: bool) -> bool:
    if role is None:
        return public_read and permission in ANONYMOUS_PUBLIC
    return permission in ROLE_PERMISSIONS[role]
