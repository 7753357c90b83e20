"""Reminder e-mails to the people responsible for due and overdue work, and a digest for owners.

Mail goes through a ``Mailer`` (rightstrack/mail.py). Each reminder is recorded, so running the
command twice on one day sends nothing twice.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection, select

from rightstrack.followup.model import WorkspaceRole
from rightstrack.followup.schema import fu_members, fu_reminders, fu_workspaces
from rightstrack.followup.status import DueItem, due_items
from rightstrack.mail import Mailer, message
from rightstrack.store.database import Database


@dataclass(frozen=True)
class _Workspace:
    id: int
    slug: str
    name: str


@dataclass
class ReminderSummary:
    reminders: int = 0
    digests: int = 0
    skipped_already_sent: int = 0
    without_address: list[str] = field(default_factory=list)


def send_reminders(
    db: Database, mailer: Mailer, *, today: date, sender: str, ahead_days: int = 7, base_url: str = ""
) -> ReminderSummary:
    """One e-mail per responsible person and workspace listing their due and overdue items, and a
    digest of everything overdue to each workspace's owners."""
    summary = ReminderSummary()
    with db.read() as conn:
        workspaces = [
            _Workspace(int(r.id), r.slug, r.name)
            for r in conn.execute(select(fu_workspaces.c.id, fu_workspaces.c.slug, fu_workspaces.c.name))
        ]
    for ws in workspaces:
        with db.transaction(bump=False) as conn:
            items = due_items(conn, ws.id, today, ahead_days=ahead_days)
            if not items:
                continue
            emails = _emails(conn, ws.id)
            _remind_each(conn, mailer, summary, ws, items, emails, today, sender, base_url)
            _digest(conn, mailer, summary, ws, items, today, sender, base_url)
    return summary


def _emails(conn: Connection, workspace_id: int) -> dict[int, tuple[str | None, str]]:
    rows = conn.execute(select(fu_members).where(fu_members.c.workspace_id == workspace_id))
    return {int(r.user_id): (r.email, r.role) for r in rows}


def _remind_each(
    conn: Connection,
    mailer: Mailer,
    summary: ReminderSummary,
    ws: _Workspace,
    items: list[DueItem],
    emails: dict[int, tuple[str | None, str]],
    today: date,
    sender: str,
    base_url: str,
) -> None:
    by_person: dict[str, list[DueItem]] = defaultdict(list)
    for item in items:
        address = emails.get(item.responsible_user_id or -1, (None, ""))[0]
        if not address:
            summary.without_address.append(f"{ws.slug}: {item.kind} {item.id} {item.title}")
            continue
        if _already_sent(conn, ws.id, item, address, today):
            summary.skipped_already_sent += 1
            continue
        by_person[address].append(item)
    for address, mine in by_person.items():
        lines = [_line(i, today, base_url, ws.slug) for i in mine]
        body = f"Work you are responsible for in {ws.name}:\n\n" + "\n".join(lines)
        overdue = sum(i.overdue for i in mine)
        subject = f"[rightstrack] {overdue} overdue, {len(mine) - overdue} due soon — {ws.name}"
        mailer.send(message(sender, address, subject, body))
        for item in mine:
            _mark(
                conn,
                ws.id,
                item.kind,
                item.id,
                address,
                "overdue" if item.overdue else "due_soon",
                today,
            )
        summary.reminders += 1


def _digest(
    conn: Connection,
    mailer: Mailer,
    summary: ReminderSummary,
    ws: _Workspace,
    items: list[DueItem],
    today: date,
    sender: str,
    base_url: str,
) -> None:
    overdue = [i for i in items if i.overdue]
    if not overdue:
        return
    owners = (
        conn.execute(
            select(fu_members.c.email).where(
                fu_members.c.workspace_id == ws.id,
                fu_members.c.role == WorkspaceRole.OWNER,
                fu_members.c.email.is_not(None),
            )
        )
        .scalars()
        .all()
    )
    for address in owners:
        if conn.scalar(
            select(fu_reminders.c.id).where(
                fu_reminders.c.item_kind == "digest",
                fu_reminders.c.item_id == ws.id,
                fu_reminders.c.recipient == address,
                fu_reminders.c.sent_on == today,
            )
        ):
            continue
        body = f"Overdue in {ws.name} on {today.isoformat()}:\n\n" + "\n".join(
            _line(i, today, base_url, ws.slug) for i in overdue
        )
        mailer.send(message(sender, address, f"[rightstrack] Overdue digest — {ws.name}", body))
        _mark(conn, ws.id, "digest", ws.id, address, "overdue", today)
        summary.digests += 1


def _line(item: DueItem, today: date, base_url: str, slug: str) -> str:
    when = (
        f"overdue by {(today - item.due_on).days} days" if item.overdue else f"due {item.due_on.isoformat()}"
    )
    link = f"{base_url.rstrip('/')}/workspaces/{slug}/commitments/{item.commitment_id}" if base_url else ""
    return f"- {item.kind} “{item.title}”: {when}" + (f"\n  {link}" if link else "")


def _already_sent(conn: Connection, workspace_id: int, item: DueItem, address: str, today: date) -> bool:
    return (
        conn.scalar(
            select(fu_reminders.c.id).where(
                fu_reminders.c.workspace_id == workspace_id,
                fu_reminders.c.item_kind == item.kind,
                fu_reminders.c.item_id == item.id,
                fu_reminders.c.recipient == address,
                fu_reminders.c.sent_on == today,
            )
        )
        is not None
    )


def _mark(
    conn: Connection, workspace_id: int, kind: str, item_id: int, address: str, reason: str, today: date
) -> None:
    conn.execute(
        fu_reminders.insert(),
        {
            "workspace_id": workspace_id,
            "item_kind": kind,
            "item_id": item_id,
            "recipient": address,
            "reason": reason,
            "sent_on": today,
        },
    )
