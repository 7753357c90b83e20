"""Who may see what: sensitivity labels, per-case grants to users and groups, field whitelists.

Rules (docs/SECURITY.md explains why):

* ``public`` cases: anyone who may read the instance sees the public view; staff see everything.
* ``internal`` cases: every logged-in user with READ sees them; others do not know they exist.
* ``restricted`` cases: the owner and the users or groups granted access; nobody else, admins
  included (an admin may grant access, and that grant is audited like any other).
* ``source_protected`` cases: the owner and at most one backup user; no group grants.

A case a reader may not see answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from sqlalchemy import Connection, select

from rightstrack.auth.roles import Permission, Role, allowed
from rightstrack.defenders.schema import hrd_grants, hrd_group_members
from rightstrack.defenders.vocab import Sensitivity

# What is stored unencrypted, per label: only what the public view and the public aggregates of
# that label may use. Everything else in a case (exact dates, places, names, consent, notes …)
# is sealed, so a copy of the database tells little about a restricted case beyond its kind.
_OPEN_CASE = frozenset({"country", "country_name", "admin_area", "public_summary", "year", "month"})
_OPEN_ACT = frozenset({"act_type", "defender_status", "perpetrator_types", "sector"})
PLAIN_FIELDS: dict[Sensitivity, tuple[frozenset[str], frozenset[str]]] = {
    Sensitivity.PUBLIC: (_OPEN_CASE, _OPEN_ACT),
    Sensitivity.INTERNAL: (_OPEN_CASE, _OPEN_ACT),
    Sensitivity.RESTRICTED: (frozenset({"country", "year"}), frozenset({"act_type"})),
    Sensitivity.SOURCE_PROTECTED: (frozenset({"year"}), frozenset({"act_type"})),
}
# Fields each record view may show to a reader without full access (public cases only).
PUBLIC_VIEW_FIELDS = ("id", "sensitivity", "country", "country_name", "admin_area", "public_summary")
PUBLIC_ACT_FIELDS = ("act_type", "defender_status", "perpetrator_types", "sector")
# Public figures count public cases only, by these dimensions only: each act's group is its act
# type, country and year, and a group smaller than MIN_PUBLIC_COUNT counts in no public figure
# (defenders/patterns.py). Finer dimensions would split groups so thin that most acts vanish.
PUBLIC_DIMENSIONS = ("act_type", "country", "year")
MIN_PUBLIC_COUNT = 5  # a group of 1 can name a person


class Access(IntEnum):
    NONE = 0
    PUBLIC_VIEW = 1
    READ = 2
    WRITE = 3


@dataclass(frozen=True)
class Viewer:
    """The person asking; ``username`` None means an anonymous visitor."""

    username: str | None
    role: Role | None
    groups: frozenset[str] = frozenset()

    @property
    def label(self) -> str:
        return self.username or "anonymous"

    def may(self, permission: Permission) -> bool:
        return self.role is not None and allowed(self.role, permission, public_read=False)


ANONYMOUS = Viewer(None, None)


def viewer(conn: Connection, username: str | None, role: Role | None) -> Viewer:
    if username is None:
        return ANONYMOUS
    m = hrd_group_members
    groups = frozenset(conn.scalars(select(m.c.group_name).where(m.c.username == username)))
    return Viewer(username, role, groups)


def grants_of(conn: Connection, case_id: str) -> list[dict[str, Any]]:
    g = hrd_grants
    return [dict(r._mapping) for r in conn.execute(select(g).where(g.c.case_id == case_id))]


def access(who: Viewer, case: Any, grants: list[dict[str, Any]]) -> Access:
    """``case`` needs ``sensitivity`` and ``owner``; ``grants`` are the case's grant rows."""
    label = Sensitivity(case.sensitivity)
    if who.username is None or not who.may(Permission.READ):
        return Access.PUBLIC_VIEW if label is Sensitivity.PUBLIC else Access.NONE
    can_edit = who.may(Permission.EDIT)
    if who.username == case.owner:
        return Access.WRITE if can_edit else Access.READ
    if label in (Sensitivity.PUBLIC, Sensitivity.INTERNAL):
        return Access.WRITE if can_edit else Access.READ
    level = Access.NONE
    for grant in grants:
        mine = (grant["subject_kind"] == "user" and grant["subject"] == who.username) or (
            grant["subject_kind"] == "group" and grant["subject"] in who.groups
        )
        if mine:
            level = max(level, Access.WRITE if grant["level"] == "write" and can_edit else Access.READ)
    return level


def sees_source_identity(who: Viewer, case: Any, grants: list[dict[str, Any]]) -> bool:
    """A protected source's identity: the case owner and direct (not group) write grantees only."""
    if who.username is None:
        return False
    if who.username == case.owner:
        return True
    return any(
        g["subject_kind"] == "user" and g["subject"] == who.username and g["level"] == "write" for g in grants
    )


def public_view(case_id: str, sensitivity: str, public: dict[str, Any]) -> dict[str, Any]:
    """The whitelisted, coarsened view of a public case: no names, month-level dates, no locality."""
    view = {k: public.get(k) for k in PUBLIC_VIEW_FIELDS if k not in ("id", "sensitivity")}
    view.update(id=case_id, sensitivity=sensitivity, view="public")
    view["date"] = public.get("month")
    view["acts"] = [{k: act.get(k) for k in PUBLIC_ACT_FIELDS} for act in public.get("acts", [])]
    return view
