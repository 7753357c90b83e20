"""Slowing password guessing down without telling anyone which account names exist.

Failed logins are counted per *name tried* (whether or not an account has that name), per client
address and, for browsers that logged in to the account before, per *device*. After a few free
failures each further one makes the next attempt wait longer (1 minute, 2, 4 … up to a cap).
While a wait runs, an attempt is refused before the password is even checked, with the same
answer for a real name and an unknown one, because both are counted the same way.

A stranger guessing at a name cannot lock its owner out for good: the owner's browser carries a
device token from an earlier login (a cookie), and an attempt with a valid token for that account
is judged by the device's own count only — not by the name's or the address's.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from rightstrack.store import schema


@dataclass(frozen=True)
class Rule:
    """``free`` failures cost nothing; each one after makes the next attempt wait twice as long."""

    free: int
    first_wait: timedelta
    longest_wait: timedelta

    def wait(self, failures: int) -> timedelta:
        if failures < self.free:
            return timedelta(0)
        doubled: timedelta = self.first_wait * 2 ** (failures - self.free)
        return min(self.longest_wait, doubled)


NAME = Rule(5, timedelta(minutes=1), timedelta(minutes=15))
# An address may try several accounts (an office behind one router), so it gets more free tries.
ADDRESS = Rule(20, timedelta(minutes=1), timedelta(hours=1))
DEVICE = Rule(5, timedelta(minutes=1), timedelta(minutes=15))
FORGET_AFTER = timedelta(days=1)  # a count with no new failure for this long starts again
DEVICE_LIFETIME = timedelta(days=365)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def name_key(username: str) -> str:
    # Hashed: a password typed into the name field by mistake is not kept readable here.
    return "name:" + _digest(username)


def address_key(address: str) -> str:
    return "address:" + address[:60]


def device_key(token: str) -> str:
    return "device:" + _digest(token)


def waiting(conn: Connection, keys: list[str], now: datetime) -> timedelta:
    """How long the longest running wait among ``keys`` still lasts (zero: none)."""
    t = schema.login_throttle
    longest = timedelta(0)
    for blocked in conn.scalars(select(t.c.blocked_until).where(t.c.key.in_(keys))):
        if blocked is not None:
            longest = max(longest, _aware(blocked) - now)
    return longest


def count_failure(conn: Connection, key: str, rule: Rule, now: datetime) -> None:
    t = schema.login_throttle
    row = conn.execute(select(t).where(t.c.key == key)).first()
    fresh = row is not None and now - _aware(row.last_failure_at) <= FORGET_AFTER
    failures = row.failures + 1 if fresh and row is not None else 1
    wait = rule.wait(failures)
    values = {"failures": failures, "last_failure_at": now, "blocked_until": now + wait if wait else None}
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    conn.execute(
        insert(t).values(key=key, **values).on_conflict_do_update(index_elements=[t.c.key], set_=values)
    )
    # Names nobody has are counted too, so old rows are cleared as new ones come.
    conn.execute(delete(t).where(t.c.last_failure_at < now - FORGET_AFTER, t.c.key != key))


def clear(conn: Connection, key: str) -> None:
    conn.execute(delete(schema.login_throttle).where(schema.login_throttle.c.key == key))


def new_device(conn: Connection, user_id: int, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    conn.execute(
        schema.login_devices.insert(),
        {"token_hash": _digest(token), "user_id": user_id, "created_at": now, "last_used_at": now},
    )
    return token


def trusted_device(conn: Connection, token: str | None, user: Any, now: datetime) -> bool:
    """Whether ``token`` is a device this account logged in from (within its lifetime)."""
    if not token or user is None:
        return False
    d = schema.login_devices
    row = conn.execute(select(d).where(d.c.token_hash == _digest(token), d.c.user_id == user.id)).first()
    if row is None or now - _aware(row.created_at) > DEVICE_LIFETIME:
        return False
    conn.execute(d.update().where(d.c.token_hash == row.token_hash).values(last_used_at=now))
    return True
