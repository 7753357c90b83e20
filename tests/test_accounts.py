"""Accounts: argon2 passwords, login throttling, TOTP, sessions, and the audit trail of logins."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select

from rightstrack.auth import audit
from rightstrack.auth.accounts import (
    LoginFailed,
    LoginThrottled,
    create_user,
    enable_totp,
    login,
    logout,
    session_for,
    totp_secret,
    unlock,
)
from rightstrack.auth.roles import Permission, Role, allowed
from rightstrack.auth.throttle import ADDRESS, NAME
from rightstrack.errors import Conflict, InvalidInput
from rightstrack.store import schema
from rightstrack.store.database import Database

PASSWORD = "correct horse battery"


def test_passwords_are_argon2_hashes(db: Database) -> None:
    create_user(db, "ana", PASSWORD, "editor")
    with db.read() as conn:
        stored = conn.scalar(select(schema.users.c.password_hash))
    assert str(stored).startswith("$argon2id$") and PASSWORD not in str(stored)


def test_login_session_and_logout(db: Database) -> None:
    user = create_user(db, "ana", PASSWORD, Role.EDITOR, display_name="Ana")
    session = login(db, "ana", PASSWORD)
    assert session.user == user and len(session.csrf_token) > 30
    with db.read() as conn:
        stored = set(conn.scalars(select(schema.sessions.c.token_hash)))
    assert session.token not in stored  # only a digest is kept
    assert session_for(db, session.token) == session
    assert session_for(db, session.token, now=session.expires_at + timedelta(seconds=1)) is None
    logout(db, session.token)
    assert session_for(db, session.token) is None
    assert session_for(db, "forged") is None


def test_wrong_password_and_unknown_user_look_alike(db: Database) -> None:
    create_user(db, "ana", PASSWORD, "viewer")
    with pytest.raises(LoginFailed) as wrong:
        login(db, "ana", "not the password")
    with pytest.raises(LoginFailed) as unknown:
        login(db, "nobody", PASSWORD)
    assert str(wrong.value) == str(unknown.value)


START = datetime(2026, 1, 1, tzinfo=UTC)


def _fail(db: Database, name: str, times: int, at: datetime, address: str = "198.51.100.7") -> None:
    for _ in range(times):
        with pytest.raises(LoginFailed) as refused:
            login(db, name, "a wrong guess", now=at, address=address)
        assert not isinstance(refused.value, LoginThrottled)


def _refusal(db: Database, name: str, password: str, at: datetime, **where: str) -> LoginThrottled:
    with pytest.raises(LoginThrottled) as refused:
        login(db, name, password, now=at, **where)
    return refused.value


def test_a_throttled_account_and_an_unknown_name_get_the_same_answer(db: Database) -> None:
    create_user(db, "ana", PASSWORD, "viewer")
    _fail(db, "ana", NAME.free, START)
    _fail(db, "nobody", NAME.free, START)
    later = START + timedelta(seconds=10)
    real = _refusal(db, "ana", PASSWORD, later)  # even the right password waits
    unknown = _refusal(db, "nobody", PASSWORD, later)
    assert (real.status, real.code, real.message, real.headers) == (
        unknown.status,
        unknown.code,
        unknown.message,
        unknown.headers,
    )
    assert real.status == 429 and real.headers == {"Retry-After": "50"}


def test_waits_grow_with_each_failure_and_end(db: Database) -> None:
    create_user(db, "ana", PASSWORD, "viewer")
    _fail(db, "ana", NAME.free, START)
    at, waits = START, []
    for _ in range(6):
        wait = int(_refusal(db, "ana", "another guess", at).headers["Retry-After"])
        waits.append(wait)
        at += timedelta(seconds=wait)
        _fail(db, "ana", 1, at)  # the wait is over: one more guess, and the next wait is longer
    assert waits == [60, 120, 240, 480, 900, 900]  # doubling up to the cap of 15 minutes
    at += timedelta(minutes=15)
    assert login(db, "ana", PASSWORD, now=at).user.username == "ana"
    with db.read() as conn:
        actions = [e["action"] for e in reversed(audit.recent(conn, limit=500, entity="user"))]
    assert actions[: NAME.free + 2] == ["create"] + ["login failed"] * NAME.free + ["login refused"]
    assert actions.count("login refused") == 6 and actions[-1] == "login"


def test_a_stranger_guessing_at_a_name_cannot_lock_its_owner_out(db: Database) -> None:
    create_user(db, "ana", PASSWORD, "editor")
    device = login(db, "ana", PASSWORD, now=START, address="192.0.2.1").device
    assert device  # the browser keeps it as a cookie
    for address, times in (("203.0.113.5", 2), ("203.0.113.6", 2), ("203.0.113.7", 1)):
        _fail(db, "ana", times, START, address=address)  # the stranger changes address
    stranger = START + timedelta(seconds=1)
    _refusal(db, "ana", PASSWORD, stranger, address="203.0.113.8")  # the name waits …
    _refusal(db, "ana", PASSWORD, stranger, address="192.0.2.1")  # … for every browser but hers
    again = login(db, "ana", PASSWORD, now=stranger, address="192.0.2.1", device=device)
    assert again.user.username == "ana" and again.device == device
    with pytest.raises(LoginThrottled):  # someone else's device token does not help
        login(db, "ana", PASSWORD, now=stranger, device="a forged token")


def test_one_address_trying_many_names_is_slowed_down(db: Database) -> None:
    for n in range(ADDRESS.free):
        _fail(db, f"name-{n}", 1, START, address="198.51.100.99")
    _refusal(db, "yet-another-name", PASSWORD, START, address="198.51.100.99")
    _fail(db, "yet-another-name", 1, START, address="198.51.100.100")  # another address is not


def test_an_administrator_can_end_a_wait(db: Database) -> None:
    create_user(db, "ana", PASSWORD, "viewer")
    _fail(db, "ana", NAME.free, START)
    unlock(db, "ana", actor="admin")
    assert login(db, "ana", PASSWORD, now=START).user.username == "ana"
    with db.read() as conn:
        assert audit.recent(conn, limit=2, entity="user")[1]["action"] == "unlock"


def test_totp_second_factor(db: Database) -> None:
    create_user(db, "ana", PASSWORD, "admin")
    uri = enable_totp(db, "ana")
    assert uri.startswith("otpauth://totp/")
    secret = totp_secret(db, "ana")
    assert secret
    with pytest.raises(LoginFailed):
        login(db, "ana", PASSWORD)
    with pytest.raises(LoginFailed):
        login(db, "ana", PASSWORD, "000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    assert login(db, "ana", PASSWORD, pyotp.TOTP(secret).now()).user.has_totp


def test_bad_accounts(db: Database) -> None:
    create_user(db, "ana", PASSWORD, "viewer")
    with pytest.raises(Conflict):
        create_user(db, "ana", PASSWORD, "viewer")
    with pytest.raises(InvalidInput, match="at least"):
        create_user(db, "bob", "short", "viewer")
    with pytest.raises(InvalidInput, match="unknown role"):
        create_user(db, "bob", PASSWORD, "overlord")


@pytest.mark.parametrize(
    ("role", "permission", "expected"),
    [
        (None, Permission.READ, True),
        (None, Permission.DECIDE_TAGS, False),
        (Role.VIEWER, Permission.DECIDE_TAGS, False),
        (Role.CONTRIBUTOR, Permission.DECIDE_TAGS, True),
        (Role.CONTRIBUTOR, Permission.IMPORT, False),
        (Role.EDITOR, Permission.IMPORT, True),
        (Role.EDITOR, Permission.VIEW_AUDIT, False),
        (Role.ADMIN, Permission.VIEW_AUDIT, True),
    ],
)
def test_role_table(role: Role | None, permission: Permission, expected: bool) -> None:
    assert allowed(role, permission, public_read=True) is expected


def test_private_instance_needs_login_to_read() -> None:
    assert allowed(None, Permission.READ, public_read=False) is False
