"""Who a case is shared with: grants to users and groups, group membership, and administrators
giving themselves access.

An administrator may share any case (access.py: no silent access, but access by a visible act).
Visible means: whenever someone other than the owner changes who sees a case, the owner is told
(a notice in the app, e-mailed where mail is set up). When the ``grant_approval`` setting is on,
an administrator who would give *themselves* access — a grant to themselves or to a group they are
in, or joining a group that holds grants on restricted cases — only files a request, which a
second administrator approves or rejects.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, select

from rightstrack.auth import audit
from rightstrack.auth.notices import Outbox, notify
from rightstrack.auth.roles import Permission
from rightstrack.defenders import vocab
from rightstrack.defenders.access import Access, Viewer, access, grants_of
from rightstrack.defenders.cases import ENTITY, CaseRef, load_ref, require
from rightstrack.defenders.schema import hrd_access_requests, hrd_cases, hrd_grants, hrd_group_members
from rightstrack.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from rightstrack.settings import Settings
from rightstrack.store.database import Database

_LEVELS = {"read": Access.READ, "write": Access.WRITE}


@dataclass(frozen=True)
class SharingRules:
    """``approval``: self-grants wait for a second administrator; ``outbox``: notices are e-mailed."""

    approval: bool = False
    outbox: Outbox | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> SharingRules:
        return cls(bool(settings.grant_approval), Outbox.from_settings(settings))


def grant(
    db: Database,
    who: Viewer,
    case_id: str,
    subject: str,
    *,
    kind: str = "user",
    level: str = "read",
    rules: SharingRules = SharingRules(),
) -> str | None:
    """Share a case (the owner or an administrator). Returns None when done, or the id of the
    request a second administrator must approve."""
    if kind not in ("user", "group") or level not in _LEVELS:
        raise InvalidInput("grant to a user or a group, at level read or write")
    with db.transaction() as conn:
        case, _ = require_owner_or_admin(conn, who, case_id)
        if case.sensitivity == vocab.Sensitivity.SOURCE_PROTECTED:
            others = [g for g in grants_of(conn, case_id) if g["subject"] != subject]
            if kind == "group" or others:
                raise InvalidInput("a source-protected case is shared with one backup user only")
        for_self = _grants_self(conn, who, case, kind, subject, level)
        if for_self and rules.approval:
            return _file_request(
                conn, who, rules, [case], case_id=case_id, kind=kind, subject=subject, level=level
            )
        _apply_grant(conn, who.label, case_id, kind, subject, level)
        after = {kind: subject, "level": level} | ({"self": True} if for_self else {})
        audit.record(conn, actor=who.label, action="share", entity=ENTITY, entity_id=case_id, after=after)
        _tell_owner(conn, who, case, _shared_text(who, case_id, kind, subject, level, for_self), rules)
    return None


def revoke(
    db: Database,
    who: Viewer,
    case_id: str,
    subject: str,
    *,
    kind: str = "user",
    rules: SharingRules = SharingRules(),
) -> None:
    with db.transaction() as conn:
        case, _ = require_owner_or_admin(conn, who, case_id)
        conn.execute(_grant_row(case_id, kind, subject, delete(hrd_grants)))
        audit.record(
            conn, actor=who.label, action="revoke", entity=ENTITY, entity_id=case_id, before={kind: subject}
        )
        _tell_owner(
            conn, who, case, f"{who.label} stopped sharing your case {case_id} with {kind} {subject}.", rules
        )


def require_owner_or_admin(conn: Connection, who: Viewer, case_id: str) -> tuple[CaseRef, Access]:
    if who.may(Permission.MANAGE_USERS):
        return load_ref(conn, case_id), Access.NONE
    case, level = require(conn, who, case_id, Access.READ)
    if case.owner != who.username:
        raise PermissionDenied("only the case owner or an administrator may change who sees a case")
    return case, level


def add_member(
    db: Database, who: Viewer, group: str, username: str, *, rules: SharingRules = SharingRules()
) -> str | None:
    """Put a user in a group (administrators). Owners of restricted cases the group may read are
    told; an administrator joining such a group needs approval when ``rules.approval`` is on."""
    if not who.may(Permission.MANAGE_USERS):
        raise PermissionDenied("only an administrator may change groups")
    with db.transaction() as conn:
        opened = _cases_opened_by(conn, group, username)
        if username == who.username and opened and rules.approval:
            return _file_request(conn, who, rules, opened, group=group, kind="user", subject=username)
        _apply_membership(conn, group, username)
        audit.record(
            conn,
            actor=who.label,
            action="add to group",
            entity="hrd_group",
            entity_id=group,
            after={"user": username},
        )
        for case in opened:
            text = f"{who.label} added {username} to group {group}, which may read your case {case.id}."
            _tell_owner(conn, who, case, text, rules)
    return None


# -- requests --------------------------------------------------------------------------------------


def requests(db: Database, who: Viewer) -> list[dict[str, Any]]:
    """Requests waiting for a second administrator (administrators only)."""
    _require_admin(who)
    r = hrd_access_requests
    with db.read() as conn:
        rows = conn.execute(select(r).where(r.c.status == "pending").order_by(r.c.requested_at))
        return [dict(row._mapping) for row in rows]


def decide(
    db: Database, who: Viewer, request_id: str, *, approve: bool, rules: SharingRules = SharingRules()
) -> None:
    """A second administrator approves (the access is given) or rejects a request."""
    _require_admin(who)
    r = hrd_access_requests
    with db.transaction() as conn:
        row = conn.execute(select(r).where(r.c.id == request_id)).first()
        if row is None:
            raise NotFound(f"no access request {request_id}")
        if row.status != "pending":
            raise Conflict(f"this request was {row.status} already")
        if row.requested_by == who.username:
            raise PermissionDenied("a second administrator must decide on your own request")
        status = "approved" if approve else "rejected"
        conn.execute(
            r.update()
            .where(r.c.id == request_id)
            .values(status=status, decided_by=who.label, decided_at=_now())
        )
        if approve and row.case_id:
            _apply_grant(
                conn, row.requested_by, row.case_id, row.subject_kind, row.subject, row.level or "read"
            )
        elif approve:
            _apply_membership(conn, row.group_name, row.subject)
        audit.record(
            conn,
            actor=who.label,
            action=f"{'approve' if approve else 'reject'} access",
            entity=ENTITY if row.case_id else "hrd_group",
            entity_id=row.case_id or row.group_name,
            after={"request": request_id, "for": row.requested_by},
        )
        opened = (
            [load_ref(conn, row.case_id)]
            if row.case_id
            else _cases_opened_by(conn, row.group_name, row.subject)
        )
        text = f"{who.label} {status} the access {row.requested_by} asked for (request {request_id})."
        notify(conn, row.requested_by, f"access {status}", text, outbox=rules.outbox)
        for case in opened:
            _tell_owner(conn, who, case, f"{text} It concerns your case {case.id}.", rules)


def _file_request(
    conn: Connection,
    who: Viewer,
    rules: SharingRules,
    cases: list[CaseRef],
    *,
    kind: str,
    subject: str,
    case_id: str | None = None,
    group: str | None = None,
    level: str | None = None,
) -> str:
    request_id = str(uuid.uuid4())
    conn.execute(
        hrd_access_requests.insert(),
        {
            "id": request_id,
            "case_id": case_id,
            "group_name": group,
            "subject_kind": kind,
            "subject": subject,
            "level": level,
            "requested_by": who.label,
            "requested_at": _now(),
            "status": "pending",
        },
    )
    audit.record(
        conn,
        actor=who.label,
        action="request access",
        entity=ENTITY if case_id else "hrd_group",
        entity_id=case_id or group,
        after={"request": request_id, kind: subject, "level": level},
    )
    for case in cases:
        text = (
            f"{who.label} asked to give themselves access to your case {case.id}; "
            f"a second administrator must approve it (request {request_id})."
        )
        _tell_owner(conn, who, case, text, rules)
    return request_id


# -- what a change does and who is told ------------------------------------------------------------


def _grants_self(conn: Connection, who: Viewer, case: CaseRef, kind: str, subject: str, level: str) -> bool:
    """Whether this grant gives the one making it more access than they had."""
    if who.username is None or who.username == case.owner:
        return False
    mine = subject == who.username if kind == "user" else subject in who.groups
    return mine and access(who, case, grants_of(conn, case.id)) < _LEVELS[level]


def _cases_opened_by(conn: Connection, group: str, username: str) -> list[CaseRef]:
    """Restricted cases a group's grants would open to ``username`` (not the owner's own)."""
    c, g = hrd_cases, hrd_grants
    rows = conn.execute(
        select(c.c.id)
        .select_from(c.join(g, g.c.case_id == c.c.id))
        .where(
            g.c.subject_kind == "group",
            g.c.subject == group,
            c.c.sensitivity == vocab.Sensitivity.RESTRICTED.value,
            c.c.owner != username,
        )
        .order_by(c.c.id)
    )
    return [load_ref(conn, row.id) for row in rows]


def _tell_owner(conn: Connection, who: Viewer, case: CaseRef, text: str, rules: SharingRules) -> None:
    if who.username != case.owner:
        notify(conn, case.owner, "sharing", text, link=f"/defenders/cases/{case.id}", outbox=rules.outbox)


def _shared_text(who: Viewer, case_id: str, kind: str, subject: str, level: str, for_self: bool) -> str:
    whom = "themselves" if for_self and kind == "user" else f"{kind} {subject}"
    if for_self and kind == "group":
        whom += ", which they belong to,"
    return f"{who.label} gave {whom} {level} access to your case {case_id}."


def _grant_row(case_id: str, kind: str, subject: str, statement: Any) -> Any:
    g = hrd_grants
    return statement.where(g.c.case_id == case_id, g.c.subject_kind == kind, g.c.subject == subject)


def _apply_grant(conn: Connection, by: str, case_id: str, kind: str, subject: str, level: str) -> None:
    conn.execute(_grant_row(case_id, kind, subject, delete(hrd_grants)))
    conn.execute(
        hrd_grants.insert(),
        {
            "case_id": case_id,
            "subject_kind": kind,
            "subject": subject,
            "level": level,
            "granted_by": by,
            "granted_at": _now(),
        },
    )


def _apply_membership(conn: Connection, group: str, username: str) -> None:
    m = hrd_group_members
    conn.execute(delete(m).where(m.c.group_name == group, m.c.username == username))
    conn.execute(m.insert(), {"group_name": group, "username": username})


def _require_admin(who: Viewer) -> None:
    if not who.may(Permission.MANAGE_USERS):
        raise PermissionDenied("only an administrator may decide on access requests")


def _now() -> datetime:
    return datetime.now(UTC)
