"""Invitations by e-mail link: to join a workspace with a role (an owner's), or to make an account
on the instance (an administrator's).

The link carries a random token; only its SHA-256 is stored, so a copy of the database opens no
invitation. Whoever opens the link either logs in and joins, or makes an account there and then:
an owner's invitation makes a *viewer* account (it reads what the instance lets readers read and
works in the workspace it joined; only administrators give instance roles), an administrator's
invitation the role they chose. A link works once, until it expires (``invitation_days``) or is
revoked. Sending, accepting and revoking are audited; the e-mail goes out after the invitation is
committed, and the inviter is shown the link too, for instances without a mail server.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import smtplib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

from sqlalchemy import Connection, select

from rightstrack.auth import audit
from rightstrack.auth.accounts import User, add_user
from rightstrack.auth.notices import Outbox
from rightstrack.auth.roles import Role
from rightstrack.errors import Conflict, InvalidInput, NotFound, PermissionDenied, Problem
from rightstrack.followup.access import WorkspaceAccess, WorkspacePermission
from rightstrack.followup.model import WorkspaceRole
from rightstrack.followup.schema import fu_invitations, fu_members, fu_workspaces
from rightstrack.mail import message
from rightstrack.messages import msg
from rightstrack.store.database import Database

_INVITE = "invitation"
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Invitation:
    id: int
    email: str
    account_role: Role
    workspace_id: int | None
    workspace_slug: str | None
    workspace_name: str | None
    workspace_role: WorkspaceRole | None
    invited_by: str
    expires_at: datetime


@dataclass(frozen=True)
class Sent:
    """A new invitation: its link (shown once to whoever invited) and whether it was e-mailed."""

    link: str
    emailed: bool


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _check_address(email: str) -> str:
    email = email.strip()
    if "@" not in email or len(email) > 200 or any(c.isspace() for c in email):
        raise InvalidInput(
            msg("That is not an e-mail address."),
            [Problem(msg("Enter an e-mail address, like name@example.org."), field="email", value=email)],
        )
    return email


def invite_to_workspace(
    db: Database,
    access: WorkspaceAccess,
    email: str,
    role: WorkspaceRole,
    *,
    days: int,
    outbox: Outbox | None = None,
) -> Sent:
    access.require(WorkspacePermission.MANAGE)
    return _invite(db, access.actor or "", _check_address(email), Role.VIEWER, access, role, days, outbox)


def invite_account(
    db: Database, by: User, email: str, role: Role, *, days: int, outbox: Outbox | None = None
) -> Sent:
    if by.role is not Role.ADMIN:
        raise PermissionDenied(msg("Only an administrator invites people to make an account."))
    return _invite(db, by.username, _check_address(email), role, None, None, days, outbox)


def _invite(
    db: Database,
    by: str,
    email: str,
    account_role: Role,
    access: WorkspaceAccess | None,
    role: WorkspaceRole | None,
    days: int,
    outbox: Outbox | None,
) -> Sent:
    token = secrets.token_urlsafe(24)
    now = datetime.now(UTC)
    link = f"/invitations/{token}"
    with db.transaction() as conn:
        invitation_id = conn.execute(
            fu_invitations.insert().returning(fu_invitations.c.id),
            {
                "token_hash": _digest(token),
                "email": email,
                "workspace_id": access.id if access else None,
                "workspace_role": role.value if role else None,
                "account_role": account_role.value,
                "invited_by": by,
                "created_at": now,
                "expires_at": now + timedelta(days=days),
            },
        ).scalar_one()
        audit.record(
            conn,
            actor=by,
            action="invite",
            entity=f"workspace {access.slug}" if access else "instance",
            entity_id=f"{_INVITE}:{invitation_id}",
            after={"email": email, "role": (role or account_role).value},
        )
        if outbox is not None:
            where = access.workspace["name"] if access else "rightstrack"
            until = (now + timedelta(days=days)).date()
            body = (
                f"{by} invites you to {where} on rightstrack"
                + (f" as {role.value}" if role else "")
                + f".\n\nOpen this link to accept (it works once, until {until}):\n"
                + f"{outbox.base_url.rstrip('/')}{link}\n"
            )
            mail = message(outbox.sender, email, f"[rightstrack] An invitation to {where}", body)
            Database.after_commit(conn, lambda: _send(outbox, mail, invitation_id))
    return Sent(link, outbox is not None)


def _send(outbox: Outbox, mail: EmailMessage, invitation_id: int) -> None:
    # The invitation is stored and its link shown to whoever invited: a failing mail server loses nothing.
    try:
        outbox.mailer.send(mail)
    except (OSError, smtplib.SMTPException) as exc:
        _log.warning("invitation %s was not e-mailed: %s", invitation_id, exc.__class__.__name__)


def find_invitation(conn: Connection, token: str, *, now: datetime | None = None) -> Invitation:
    """The open invitation this token is for, or NotFound saying why it is not open."""
    i, w = fu_invitations, fu_workspaces
    row = conn.execute(
        select(i, w.c.slug, w.c.name.label("workspace_name"))
        .select_from(i.outerjoin(w, w.c.id == i.c.workspace_id))
        .where(i.c.token_hash == _digest(token))
    ).first()
    if row is None or row.revoked_at is not None:
        raise NotFound(msg("This invitation link is not valid: ask for a new one."))
    if row.accepted_at is not None:
        raise NotFound(msg("This invitation has been used already: log in instead."))
    if _aware(row.expires_at) <= (now or datetime.now(UTC)):
        raise NotFound(msg("This invitation has expired: ask for a new one."))
    return Invitation(
        id=row.id,
        email=row.email,
        account_role=Role(row.account_role),
        workspace_id=row.workspace_id,
        workspace_slug=row.slug,
        workspace_name=row.workspace_name,
        workspace_role=WorkspaceRole(row.workspace_role) if row.workspace_role else None,
        invited_by=row.invited_by,
        expires_at=_aware(row.expires_at),
    )


def accept(db: Database, token: str, user: User) -> Invitation:
    """A logged-in user takes up a workspace invitation (an account invitation is for a new account)."""
    with db.transaction() as conn:
        invitation = find_invitation(conn, token)
        if invitation.workspace_id is None:
            raise Conflict(msg("This invitation is for a new account: log out to make it."))
        _take_up(conn, invitation, user.id, user.username)
    return invitation


def accept_with_new_account(
    db: Database, token: str, username: str, password: str, *, display_name: str = ""
) -> tuple[Invitation, User]:
    """Make the account the invitation offers and, for a workspace invitation, join it: both or neither."""
    with db.transaction() as conn:
        invitation = find_invitation(conn, token)
        user = add_user(
            conn,
            username,
            password,
            invitation.account_role,
            display_name=display_name,
            actor=invitation.invited_by,
            email=invitation.email,
        )
        _take_up(conn, invitation, user.id, user.username)
    return invitation, user


def _take_up(conn: Connection, invitation: Invitation, uid: int, username: str) -> None:
    i = fu_invitations
    taken = conn.execute(
        i.update()
        .where(i.c.id == invitation.id, i.c.accepted_at.is_(None))
        .values(accepted_at=datetime.now(UTC), accepted_by=username)
    )
    if taken.rowcount != 1:  # a second tab accepted it a moment ago
        raise Conflict(msg("This invitation has been used already: log in instead."))
    if invitation.workspace_id is not None and invitation.workspace_role is not None:
        key = (fu_members.c.workspace_id == invitation.workspace_id) & (fu_members.c.user_id == uid)
        if conn.scalar(select(fu_members.c.role).where(key)) is None:
            conn.execute(
                fu_members.insert(),
                {
                    "workspace_id": invitation.workspace_id,
                    "user_id": uid,
                    "role": invitation.workspace_role.value,
                    "email": invitation.email,
                },
            )
    where = f"workspace {invitation.workspace_slug}" if invitation.workspace_slug else "instance"
    audit.record(
        conn, actor=username, action="accept invitation", entity=where, entity_id=f"{_INVITE}:{invitation.id}"
    )


def open_invitations(conn: Connection, workspace_id: int | None) -> list[dict[str, Any]]:
    """Invitations not yet used, revoked or expired: a workspace's, or (None) the administrators'."""
    i = fu_invitations
    where = i.c.workspace_id == workspace_id if workspace_id is not None else i.c.workspace_id.is_(None)
    rows = conn.execute(
        select(i.c.id, i.c.email, i.c.workspace_role, i.c.account_role, i.c.invited_by, i.c.expires_at)
        .where(where, i.c.accepted_at.is_(None), i.c.revoked_at.is_(None))
        .order_by(i.c.created_at)
    )
    now = datetime.now(UTC)
    return [
        dict(r._mapping) | {"expires_on": _aware(r.expires_at).date().isoformat()}
        for r in rows
        if _aware(r.expires_at) > now
    ]


def workspace_invitations(conn: Connection, access: WorkspaceAccess) -> list[dict[str, Any]]:
    access.require(WorkspacePermission.MANAGE)
    return open_invitations(conn, access.id)


def revoke(db: Database, access: WorkspaceAccess, invitation_id: int) -> None:
    access.require(WorkspacePermission.MANAGE)
    i = fu_invitations
    with db.transaction() as conn:
        done = conn.execute(
            i.update()
            .where(i.c.id == invitation_id, i.c.workspace_id == access.id, i.c.accepted_at.is_(None))
            .values(revoked_at=datetime.now(UTC))
        )
        if done.rowcount != 1:
            raise NotFound(msg("There is no open invitation %(id)s in this workspace.", id=invitation_id))
        audit.record(
            conn,
            actor=access.actor,
            action="revoke invitation",
            entity=f"workspace {access.slug}",
            entity_id=f"{_INVITE}:{invitation_id}",
        )
