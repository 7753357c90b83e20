"""Users, passwords (argon2), login throttling and lockout, TOTP second factor, sessions with CSRF tokens."""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, delete, select

from rightstrack.auth import audit, throttle
from rightstrack.auth.roles import Role
from rightstrack.errors import Conflict, InvalidInput, NotFound, Problem, RightstrackError
from rightstrack.messages import msg, msg_n
from rightstrack.store import schema
from rightstrack.store.database import Database

MIN_PASSWORD_LENGTH = 10
_HASHER = PasswordHasher()
# Verifying against a real hash when the user does not exist keeps the timing of both failures alike.
_DUMMY_HASH = _HASHER.hash("not a real password, only for timing")


class LoginFailed(RightstrackError):
    """Wrong name, password or code. The message never says which, so it tells an attacker nothing."""

    status = 401
    code = "login_failed"


class LoginThrottled(LoginFailed):
    """Too many failures for this name, address or device: the attempt waits. Unknown names are
    counted like real ones, so this answer is the same whether the account exists or not."""

    status = 429
    code = "login_throttled"

    def __init__(self, wait: timedelta) -> None:
        minutes = max(1, math.ceil(wait.total_seconds() / 60))
        super().__init__(
            msg_n(
                "Too many failed logins: wait %(num)s minute and try again.",
                "Too many failed logins: wait %(num)s minutes and try again.",
                minutes,
            )
        )
        self.headers = {"Retry-After": str(math.ceil(wait.total_seconds()))}


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    role: Role
    has_totp: bool


@dataclass(frozen=True)
class Session:
    token: str
    csrf_token: str
    user: User
    expires_at: datetime
    # The device token, in the login's answer only: the browser keeps it for a year (auth/throttle.py).
    device: str | None = field(default=None, compare=False)


def _user(row: Any) -> User:
    return User(row.id, row.username, row.display_name, Role(row.role), bool(row.totp_secret))


def _aware(moment: datetime) -> datetime:
    # SQLite hands timestamps back without their zone; they were written in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def create_user(
    db: Database,
    username: str,
    password: str,
    role: Role | str,
    *,
    display_name: str = "",
    actor: str | None = None,
    email: str | None = None,
) -> User:
    with db.transaction() as conn:
        return add_user(conn, username, password, role, display_name=display_name, actor=actor, email=email)


def add_user(
    conn: Connection,
    username: str,
    password: str,
    role: Role | str,
    *,
    display_name: str = "",
    actor: str | None = None,
    email: str | None = None,
) -> User:
    """``create_user`` inside the caller's transaction (an accepted invitation makes the account
    and the membership together)."""
    username = username.strip()
    _check_email(email)
    if not username or len(username) > 80:
        raise InvalidInput(
            msg("A username needs 1 to 80 characters."),
            [Problem(msg("A username needs 1 to 80 characters."), field="username")],
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            msg("A password needs at least %(n)s characters.", n=MIN_PASSWORD_LENGTH),
            [
                Problem(
                    msg("A password needs at least %(n)s characters.", n=MIN_PASSWORD_LENGTH),
                    field="password",
                )
            ],
        )
    try:
        role = Role(role)
    except ValueError:
        raise InvalidInput(f"unknown role {role!r}; roles: {', '.join(r.value for r in Role)}") from None
    u = schema.users
    if conn.scalar(select(u.c.id).where(u.c.username == username)) is not None:
        raise Conflict(
            msg("A user called %(name)s exists already.", name=username),
            [Problem(msg("Choose another username."), field="username", value=username)],
        )
    new_id = conn.execute(
        u.insert().returning(u.c.id),
        {
            "username": username,
            "display_name": display_name or username,
            "role": role.value,
            "password_hash": _HASHER.hash(password),
            "email": email or None,
            "active": True,
            "created_at": datetime.now(UTC),
        },
    ).scalar_one()
    audit.record(
        conn,
        actor=actor,
        action="create",
        entity="user",
        entity_id=new_id,
        after={"username": username, "role": role.value},
    )
    return _user(conn.execute(select(u).where(u.c.id == new_id)).one())


def _check_email(email: str | None) -> None:
    if email and ("@" not in email or len(email) > 200 or any(c.isspace() for c in email)):
        raise InvalidInput(
            msg("That is not an e-mail address."),
            [Problem(msg("Enter an e-mail address, like name@example.org."), field="email", value=email)],
        )


def set_email(db: Database, username: str, email: str | None, *, actor: str | None) -> None:
    """Where the user's notices are e-mailed (None: the app only)."""
    _check_email(email)
    u = schema.users
    with db.transaction() as conn:
        if conn.execute(u.update().where(u.c.username == username).values(email=email or None)).rowcount == 0:
            raise NotFound(f"no user called {username!r}")
        audit.record(conn, actor=actor, action="set email", entity="user", entity_id=username)


def enable_totp(db: Database, username: str) -> str:
    """Turn on the second factor; returns the otpauth:// URI to show as a QR code once."""
    secret = pyotp.random_base32()
    u = schema.users
    with db.transaction() as conn:
        if conn.execute(u.update().where(u.c.username == username).values(totp_secret=secret)).rowcount == 0:
            raise NotFound(f"no user called {username!r}")
        audit.record(conn, actor=username, action="enable totp", entity="user", entity_id=username)
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name="rightstrack")


def totp_secret(db: Database, username: str) -> str | None:
    with db.read() as conn:
        found = conn.scalar(select(schema.users.c.totp_secret).where(schema.users.c.username == username))
    return str(found) if found else None


def login(
    db: Database,
    username: str,
    password: str,
    totp_code: str | None = None,
    *,
    session_hours: int = 12,
    now: datetime | None = None,
    address: str | None = None,
    device: str | None = None,
) -> Session:
    """Check the credentials and open a session; every attempt, good or bad, is audited.

    ``address`` is the client's address and ``device`` the device token of an earlier login from
    the same browser (see :mod:`rightstrack.auth.throttle`); both slow guessing down."""
    now = now or datetime.now(UTC)
    u = schema.users
    session: Session | None = None
    wait = timedelta(0)
    # Failures are committed like successes (the raise comes after the transaction), so the
    # throttling count and the audit trail survive the refusal.
    with db.transaction() as conn:
        row = conn.execute(select(u).where(u.c.username == username, u.c.active.is_(True))).first()
        trusted = throttle.trusted_device(conn, device, row, now)
        counted = _counted(username, address, device if trusted else None)
        wait = throttle.waiting(conn, [key for key, _ in counted], now)
        if wait > timedelta(0):
            audit.record(
                conn,
                actor=username,
                action="login refused",
                entity="user",
                entity_id=username,
                after={"reason": "throttled", "wait_seconds": int(wait.total_seconds())},
            )
        elif not _credentials_ok(row, password, totp_code, now):
            for key, rule in counted:
                throttle.count_failure(conn, key, rule, now)
            audit.record(conn, actor=username, action="login failed", entity="user", entity_id=username)
        else:
            assert row is not None
            for key, _ in counted:
                if not key.startswith("address:"):  # an address's count only fades with time
                    throttle.clear(conn, key)
            audit.record(conn, actor=username, action="login", entity="user", entity_id=username)
            token = device if trusted else throttle.new_device(conn, row.id, now)
            session = _open_session(conn, _user(row), now, session_hours, token)
    if wait > timedelta(0):
        raise LoginThrottled(wait)
    if session is None:
        raise LoginFailed(msg("Wrong username, password or code."))
    return session


def _counted(username: str, address: str | None, device: str | None) -> list[tuple[str, throttle.Rule]]:
    """Whose failures an attempt adds to: a trusted device's own, else the name's and the address's."""
    if device is not None:
        return [(throttle.device_key(device), throttle.DEVICE)]
    counted = [(throttle.name_key(username), throttle.NAME)]
    if address:
        counted.append((throttle.address_key(address), throttle.ADDRESS))
    return counted


def unlock(db: Database, username: str, *, actor: str | None) -> None:
    """End the waits strangers caused by guessing at this name (an administrator's remedy)."""
    with db.transaction() as conn:
        throttle.clear(conn, throttle.name_key(username))
        audit.record(conn, actor=actor, action="unlock", entity="user", entity_id=username)


def _credentials_ok(row: Any, password: str, totp_code: str | None, now: datetime) -> bool:
    try:
        _HASHER.verify(row.password_hash if row is not None else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    if row is None:
        return False
    if row.totp_secret:
        return bool(totp_code) and pyotp.TOTP(row.totp_secret).verify(
            str(totp_code), for_time=now, valid_window=1
        )
    return True


def _open_session(conn: Connection, user: User, now: datetime, hours: int, device: str | None) -> Session:
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = now + timedelta(hours=hours)
    conn.execute(
        schema.sessions.insert(),
        {
            "token_hash": _digest(token),
            "user_id": user.id,
            "csrf_token": csrf,
            "created_at": now,
            "expires_at": expires,
        },
    )
    return Session(token, csrf, user, expires, device)


def _digest(token: str) -> str:
    # Only a digest is stored, so a copy of the database does not hand out live sessions.
    return hashlib.sha256(token.encode()).hexdigest()


def session_for(db: Database, token: str | None, now: datetime | None = None) -> Session | None:
    if not token:
        return None
    now = now or datetime.now(UTC)
    s, u = schema.sessions, schema.users
    with db.read() as conn:
        row = conn.execute(
            select(s.c.csrf_token, s.c.expires_at, u)
            .select_from(s.join(u, u.c.id == s.c.user_id))
            .where(s.c.token_hash == _digest(token), u.c.active.is_(True))
        ).first()
    if row is None or _aware(row.expires_at) <= now:
        return None
    return Session(token, row.csrf_token, _user(row), _aware(row.expires_at))


def logout(db: Database, token: str) -> None:
    with db.transaction() as conn:
        conn.execute(delete(schema.sessions).where(schema.sessions.c.token_hash == _digest(token)))


def list_users(db: Database) -> list[User]:
    with db.read() as conn:
        return [_user(r) for r in conn.execute(select(schema.users).order_by(schema.users.c.username))]


def find_user(db: Database, username: str) -> User:
    """An active user by name (for commands run as someone: ``--user``)."""
    with db.read() as conn:
        row = conn.execute(
            select(schema.users).where(schema.users.c.username == username, schema.users.c.active.is_(True))
        ).first()
    if row is None:
        raise NotFound(f"no active user called {username!r}")
    return _user(row)
