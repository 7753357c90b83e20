"""Accounts: argon2 passwords, throttling and lockout, TOTP, sessions, and the audit trail of logins."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select

from rightstrack.auth import audit
from rightstrack.auth.accounts import (
    MAX_FAILED_LOGINS,
    AccountLocked,
    LoginFailed,
    create_user,
    enable_totp,
    login,
    logout,
    session_for,
    totp_secret,
)
from rightstrack.auth.roles import Permission, Role, allowed
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


def test_lockout_after_repeated_failures(db: Database) -> None:
    create_user(db, "ana", PASSWORD, "viewer")
    now = datetime(2026, 1, 1, tzinfo=UTC)
    for _ in range(MAX_FAILED_LOGINS):
        with pytest.raises(LoginFailed):
            login(db, "ana", "guess", now=now)
    with pytest.raises(AccountLocked):
        login(db, "ana", PASSWORD, now=now + timedelta(minutes=1))  # even the right password
    assert login(db, "ana", PASSWORD, now=now + timedelta(minutes=16)).user.username == "ana"
    with db.read() as conn:
        actions = [e["action"] for e in reversed(audit.recent(conn, entity="user"))]
    assert actions == ["create"] + ["login failed"] * MAX_FAILED_LOGINS + ["login refused", "login"]


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
