"""Notices: what a user must be told, shown in the app and e-mailed where mail is set up.

A notice is written in the transaction of the change it reports, so one never exists without the
other; its e-mail goes out only after that transaction commits, and a mail server that fails
loses nothing (the notice is still in the app, marked as not e-mailed). Notices carry ids and
names, never the content of a record: an e-mail leaves the trust boundary.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from rightstrack.errors import NotFound
from rightstrack.mail import Mailer, message, smtp_mailer
from rightstrack.settings import Settings
from rightstrack.store import schema
from rightstrack.store.database import Database

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outbox:
    """Where notices are e-mailed from; without one (mail not set up) they stay in the app."""

    mailer: Mailer
    sender: str
    base_url: str = ""

    @classmethod
    def from_settings(cls, settings: Settings) -> Outbox | None:
        mailer = smtp_mailer(settings)
        return cls(mailer, str(settings.mail_from), str(settings.base_url)) if mailer else None


def notify(
    conn: Connection,
    username: str,
    kind: str,
    text: str,
    *,
    link: str | None = None,
    outbox: Outbox | None = None,
) -> None:
    """Tell ``username`` (nobody, if no such user) inside the caller's transaction."""
    u = schema.users
    user = conn.execute(select(u.c.id, u.c.email).where(u.c.username == username)).first()
    if user is None:
        return
    now = datetime.now(UTC)
    n = schema.user_notices
    notice_id = conn.execute(
        n.insert().returning(n.c.id),
        {"user_id": user.id, "at": now, "kind": kind, "message": text, "link": link},
    ).scalar_one()
    db = Database.of(conn)
    if outbox is not None and user.email and db is not None:
        address = str(user.email)
        Database.after_commit(conn, lambda: _email(db, outbox, notice_id, address, text, link))


def _email(db: Database, outbox: Outbox, notice_id: int, address: str, text: str, link: str | None) -> None:
    where = f"\n\n{outbox.base_url.rstrip('/')}{link}" if link and outbox.base_url else ""
    try:
        outbox.mailer.send(message(outbox.sender, address, f"[rightstrack] {text[:80]}", text + where))
    except (OSError, smtplib.SMTPException) as exc:
        _log.warning("notice %s was not e-mailed: %s", notice_id, exc.__class__.__name__)
        return
    n = schema.user_notices
    with db.transaction(bump=False) as conn:
        conn.execute(n.update().where(n.c.id == notice_id).values(emailed_at=datetime.now(UTC)))


def notices_of(db: Database, username: str, *, limit: int = 100) -> list[dict[str, Any]]:
    """A user's notices, newest first."""
    n, u = schema.user_notices, schema.users
    query = (
        select(n.c.id, n.c.at, n.c.kind, n.c.message, n.c.link, n.c.read_at, n.c.emailed_at)
        .select_from(n.join(u, u.c.id == n.c.user_id))
        .where(u.c.username == username)
        .order_by(n.c.id.desc())
        .limit(limit)
    )
    with db.read() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def unread(db: Database, username: str) -> int:
    n, u = schema.user_notices, schema.users
    query = (
        select(func.count())
        .select_from(n.join(u, u.c.id == n.c.user_id))
        .where(u.c.username == username, n.c.read_at.is_(None))
    )
    with db.read() as conn:
        return int(conn.scalar(query) or 0)


def mark_read(db: Database, username: str) -> int:
    """Mark all of a user's notices read; returns how many were unread."""
    n, u = schema.user_notices, schema.users
    with db.transaction(bump=False) as conn:
        user_id = conn.scalar(select(u.c.id).where(u.c.username == username))
        if user_id is None:
            raise NotFound(f"no user called {username!r}")
        done = conn.execute(
            n.update().where(n.c.user_id == user_id, n.c.read_at.is_(None)).values(read_at=datetime.now(UTC))
        )
        return int(done.rowcount or 0)
