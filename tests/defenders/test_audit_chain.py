"""The keyed audit chain and its head, attacked the way someone with the database file would:
straight through SQLite (or a separate PostgreSQL client), no rightstrack code, no key.

Each attack below verified as "ok" before issue 18: the chain was an unkeyed SHA-256 and nothing
outside the table recorded where it ended.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select
from typer.testing import CliRunner

from rightstrack.auth.accounts import create_user, login
from rightstrack.auth.audit_chain import (
    AuditLocked,
    ChainReport,
    Head,
    chain_hash,
    chain_mac,
    read_head,
    verify,
    verify_against_file,
)
from rightstrack.cli import app as cli_app
from rightstrack.defenders import casework
from rightstrack.defenders.crypto import Secret, Vault, rotate
from rightstrack.defenders.schema import hrd_data_keys
from rightstrack.store import schema
from rightstrack.store.database import Database
from tests.defenders.conftest import FAST_KDF, PASSWORD, Scenario, as_viewer

COLUMNS = (
    "id",
    "seq",
    "at",
    "actor",
    "action",
    "entity",
    "entity_id",
    "before",
    "after",
    "prev_hash",
    "hash",
    "mac",
)


@pytest.fixture
def head_file(db: Database, tmp_path: Path) -> Path:
    """Every append writes the head here (set before any event is written)."""
    db.audit_head = tmp_path / "elsewhere" / "audit-head.json"
    return db.audit_head


@pytest.fixture
def logged(head_file: Path, db: Database, vault: Vault, scenario: Scenario) -> Database:
    """The issue's scenario (users, shares, sources) plus reads and logins, all audited."""
    owner = as_viewer(db, "owner")
    casework.dossier(db, vault, as_viewer(db, "teammate"), scenario.attack)
    casework.dossier(db, vault, owner, scenario.attack)
    login(db, "teammate", PASSWORD)
    login(db, "owner", PASSWORD)
    return db


def _key(db: Database, vault: Vault) -> bytes | None:
    with db.read() as conn:
        return vault.audit_key(conn, False)


def _check(db: Database, vault: Vault, head: Head | None = None) -> ChainReport:
    with db.read() as conn:
        if head is not None:
            return verify(conn, _key(db, vault), head)
        return verify_against_file(conn, _key(db, vault), db.audit_head, None)


# -- the attacker's tools: the file and a generic SQL client -----------------------------------------


def tamper(db: Database, *statements: str) -> None:
    """Change the database outside rightstrack: sqlite3 on the file, or a separate PostgreSQL client."""
    if db.is_sqlite:
        raw = sqlite3.connect(str(db.url.database))
        try:
            for statement in statements:
                raw.execute(statement)
            raw.commit()
        finally:
            raw.close()
        return
    engine = create_engine(db.url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)
    finally:
        engine.dispose()


def raw_events(db: Database) -> list[dict[str, Any]]:
    a = schema.audit_events
    with db.read() as conn:
        return [dict(r._mapping) for r in conn.execute(select(a).order_by(a.c.seq))]


def rewrite_log(db: Database, events: list[dict[str, Any]]) -> None:
    """Replace the whole log, as an attacker who recomputed it would write it back."""
    a = schema.audit_events
    engine = create_engine(db.url)  # a client of its own, not rightstrack's Database
    try:
        with engine.begin() as conn:
            conn.execute(a.delete())
            conn.execute(a.insert(), events)
    finally:
        engine.dispose()


def recompute(events: list[dict[str, Any]], guessed_key: bytes | None) -> list[dict[str, Any]]:
    """Renumber and rechain with the project's own functions (and a guessed key for MACs)."""
    previous = ""
    for seq, event in enumerate(events, start=1):
        event.update(seq=seq, prev_hash=previous)
        if event["mac"] is not None and guessed_key is not None:
            event["mac"] = previous = chain_mac(guessed_key, event)
        else:
            event.update(mac=None, hash=chain_hash(event))
            previous = event["hash"]
    return events


# -- the attacks -------------------------------------------------------------------------------------


def test_an_untouched_log_verifies_with_its_head(logged: Database, vault: Vault, head_file: Path) -> None:
    report = _check(logged, vault)
    events = raw_events(logged)
    assert report.ok and report.head_checked, report
    assert report.checked == len(events) and report.keyed == len(events) - report.hashed
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    head = read_head(head_file)
    assert head is not None and head.keyed and head.events == len(events) == report.head["events"]  # type: ignore[index]


def test_cutting_the_newest_events_is_caught_by_the_head(logged: Database, vault: Vault) -> None:
    newest = raw_events(logged)[-1]["seq"]
    tamper(logged, f"DELETE FROM audit_events WHERE seq > {newest - 3}")
    with logged.read() as conn:
        assert verify(conn, _key(logged, vault)).ok  # the chain alone cannot tell …
    report = _check(logged, vault)  # … the head kept outside can
    assert not report.ok and "events were removed" in report.problem


def test_removing_one_users_events_and_rechaining_is_caught(logged: Database, vault: Vault) -> None:
    kept = [e for e in raw_events(logged) if e["actor"] != "teammate"]
    assert len(kept) < len(raw_events(logged))
    rewrite_log(logged, recompute(kept, guessed_key=b"k" * 32))
    with logged.read() as conn:
        report = verify(conn, _key(logged, vault))  # fails even without the head
    assert not report.ok and "changed after it was written" in report.problem


def test_downgrading_the_log_to_an_unkeyed_chain_is_caught(logged: Database, vault: Vault) -> None:
    rewrite_log(logged, recompute(raw_events(logged), guessed_key=None))
    with logged.read() as conn:
        report = verify(conn, _key(logged, vault))
    assert not report.ok and "no event is keyed" in report.problem


def test_reordering_events_is_caught(logged: Database, vault: Vault) -> None:
    events = raw_events(logged)
    first, second = events[len(events) // 2]["seq"], events[len(events) // 2 + 1]["seq"]
    tamper(
        logged,
        f"UPDATE audit_events SET seq = -1 WHERE seq = {first}",
        f"UPDATE audit_events SET seq = {first} WHERE seq = {second}",
        f"UPDATE audit_events SET seq = {second} WHERE seq = -1",
    )
    report = _check(logged, vault)
    assert not report.ok and report.first_bad_seq == first


def test_rewriting_one_event_is_caught(logged: Database, vault: Vault) -> None:
    middle = raw_events(logged)[len(raw_events(logged)) // 2]
    tamper(logged, f"UPDATE audit_events SET actor = 'someone else' WHERE seq = {middle['seq']}")
    report = _check(logged, vault)
    assert not report.ok and report.first_bad_seq == middle["seq"] and report.first_bad_id == middle["id"]


def test_an_event_slipped_in_is_caught(logged: Database, vault: Vault) -> None:
    tamper(
        logged,
        "INSERT INTO audit_events (at, actor, action, entity)"
        " VALUES ('2024-01-01 00:00:00', 'x', 'read', 'hrd_case')",
    )
    assert "no position" in _check(logged, vault).problem


@pytest.mark.parametrize("edit", ["longer", "rewritten", "forged", "deleted"])
def test_a_head_that_does_not_match_is_caught(
    logged: Database, vault: Vault, head_file: Path, edit: str
) -> None:
    head = read_head(head_file)
    assert head is not None
    if edit == "deleted":
        head_file.unlink()
        assert "no head file" in _check(logged, vault).problem
        return
    if edit == "longer":  # a head from later on: the log lost its end
        changed = Head(head.events + 1, head.last, True, head.head_mac)
    elif edit == "rewritten":  # the head is genuine, the log's last event is not the one it names
        tamper(logged, f"UPDATE audit_events SET mac = '{'0' * 64}' WHERE seq = {head.events}")
        changed = head
    else:  # a head made up to fit a shortened log, without the key
        changed = Head(head.events - 2, raw_events(logged)[-3]["mac"], True, "f" * 64)
    head_file.write_text(json.dumps(changed.as_dict()), encoding="utf-8")
    report = _check(logged, vault)
    assert not report.ok, (edit, report)


def test_the_seal_protects_the_events_written_before_the_key(
    db: Database, key_file: Path, head_file: Path
) -> None:
    for name in ("early", "earlier"):
        create_user(db, name, PASSWORD, "viewer")  # no master key yet: hashed, unkeyed events
    assert raw_events(db)[0]["mac"] is None and read_head(head_file).keyed is False  # type: ignore[union-attr]
    vault = Vault(db, [Secret.key_file(key_file)], FAST_KDF)
    vault.initialise(actor="cli")
    events = raw_events(db)
    assert [e["action"] for e in events] == ["create", "create", "seal", "create master key"]
    assert _check(db, vault).ok
    # The old part is a plain SHA-256 chain that anyone can recompute; the seal's MAC still holds.
    events[0]["actor"] = "rewritten"
    rewrite_log(db, recompute(events[:2], None) + events[2:])
    report = _check(db, vault)
    assert not report.ok and "before the seal were changed" in report.problem


def test_a_keyed_log_needs_the_key_to_grow_and_to_verify(db: Database, vault: Vault, head_file: Path) -> None:
    stranger = Database(db.url.render_as_string(hide_password=False))  # a process without the key
    try:
        with pytest.raises(AuditLocked):
            create_user(stranger, "sneaky", PASSWORD, "admin")
        with stranger.read() as conn, pytest.raises(AuditLocked):
            verify(conn, None)
    finally:
        stranger.close()
    with db.read() as conn:
        assert conn.scalar(select(schema.users.c.id).where(schema.users.c.username == "sneaky")) is None


def test_the_chain_survives_key_rotation(
    db: Database, vault: Vault, users: object, tmp_path: Path, head_file: Path
) -> None:
    before = _key(db, vault)
    new = Secret.passphrase("a new and long enough passphrase")
    rotate(db, vault, new, FAST_KDF)
    renewed = Vault(db, [new], FAST_KDF)
    create_user(db, "after-rotation", PASSWORD, "viewer")
    assert _key(db, renewed) == before and _check(db, renewed).ok
    with db.read() as conn:
        wrapped = conn.scalar(select(hrd_data_keys.c.master_id).where(hrd_data_keys.c.key_id == "audit"))
    assert wrapped is not None  # rewrapped like any data key, never stored in plain


def test_deleting_the_audit_key_is_caught(logged: Database, vault: Vault) -> None:
    tamper(logged, "DELETE FROM hrd_data_keys WHERE key_id = 'audit'")
    fresh = Vault(logged, vault.secrets, FAST_KDF)
    with logged.read() as conn, pytest.raises(AuditLocked):
        verify(conn, fresh.audit_key(conn, False))
    with pytest.raises(AuditLocked):
        create_user(logged, "after-the-cut", PASSWORD, "viewer")


# -- the command line ------------------------------------------------------------------------------


@pytest.fixture
def cli(db: Database, head_file: Path, keyed_env: Path) -> Iterator[Any]:
    runner = CliRunner()
    url = db.url.render_as_string(hide_password=False)

    def run(*args: str) -> Any:
        return runner.invoke(cli_app, ["--database-url", url, "--audit-head-file", str(head_file), *args])

    yield run


def test_audit_verify_prints_the_head_and_checks_a_copy_kept_elsewhere(
    logged: Database, vault: Vault, cli: Any, tmp_path: Path
) -> None:
    printed = cli("audit-verify", "--head")
    assert printed.exit_code == 0, printed.output
    kept = tmp_path / "kept-offline.json"
    kept.write_text(printed.output, encoding="utf-8")
    assert Head.parse(printed.output, "output").events == len(raw_events(logged))
    assert json.loads(cli("audit-verify", "--against", str(kept)).output)["ok"] is True
    newest = raw_events(logged)[-1]["seq"]
    # The attacker cuts the end and rewrites the head file beside the database to match …
    tamper(logged, f"DELETE FROM audit_events WHERE seq = {newest}")
    cut = raw_events(logged)[-1]
    (logged.audit_head or kept).write_text(
        json.dumps(Head(cut["seq"], cut["mac"], True, "0" * 64).as_dict()), encoding="utf-8"
    )
    assert cli("audit-verify").exit_code == 1  # … which carries no valid head MAC,
    against = cli("audit-verify", "--against", str(kept))  # … and the copy kept offline disagrees
    assert against.exit_code == 1 and "events were removed" in against.output


def test_audit_seal_keys_a_log_and_is_idempotent(db: Database, key_file: Path, cli: Any) -> None:
    create_user(db, "early", PASSWORD, "viewer")
    assert cli("audit-seal").exit_code == 1  # no master key yet
    Vault(db, [Secret.key_file(key_file)], FAST_KDF).initialise()
    first = json.loads(cli("audit-seal").output)
    assert first == json.loads(cli("audit-seal").output) and first["keyed"] is True
    assert [e["action"] for e in raw_events(db)] == ["create", "seal", "create master key"]


def test_every_backup_carries_the_head(logged: Database, vault: Vault, tmp_path: Path) -> None:
    from rightstrack.defenders.backup import backup_head, create_backup, restore_backup

    secret = vault.secrets[0]
    path = tmp_path / "rt.backup"
    create_backup(logged, secret, path, kdf=FAST_KDF)
    kept = backup_head(secret, path)
    assert kept is not None and kept == read_head(logged.audit_head)  # type: ignore[arg-type]
    tamper(logged, f"DELETE FROM audit_events WHERE seq = {kept.events}")
    assert "events were removed" in _check(logged, vault, kept).problem
    restored = Database(f"sqlite:///{tmp_path / 'restored.db'}")
    restored.init()
    Vault(restored, [secret], FAST_KDF)
    restore_backup(restored, secret, path)
    with restored.read() as conn:
        assert verify(conn, _key(restored, Vault(restored, [secret], FAST_KDF)), kept).ok
    restored.close()
