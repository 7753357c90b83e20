"""The migrated schema and the metadata agree, on every engine; init is safe to run twice; an
upgrade keeps the audit log's history."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text

from rightstrack.auth.audit_chain import chain_hash, verify
from rightstrack.defenders.crypto import KdfParams, Secret, Vault, write_key_file
from rightstrack.store import schema
from rightstrack.store.database import Database
from rightstrack.store.schema import metadata


def test_migrations_match_metadata(db: Database) -> None:
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    # The full-text machinery (FTS5 table / tsvector column) lives outside the metadata on purpose.
    unexpected = [d for d in diff if "fts" not in str(d) and "search" not in str(d)]
    assert unexpected == []


def test_init_twice_is_harmless(db: Database) -> None:
    generation = db.generation()
    db.init()
    db.init()
    assert db.generation() >= generation


def test_an_existing_audit_log_keeps_its_history_and_is_sealed(database_url: str, tmp_path: Path) -> None:
    """A database from before issue 18 (revision 0005: an unkeyed SHA-256 chain, and older events
    with no hash at all) upgrades without losing or rewriting an event; the first keyed event
    then seals all of them under the master key."""
    db = Database(database_url, audit_head=tmp_path / "head.json")
    db.migrate("0005")
    old = [
        ("cli", "create", "user", "ana", None, '{"role": "admin"}'),
        ("ana", "login", "user", "ana", None, None),
    ]
    with db.engine.begin() as conn:
        conn.execute(
            text("INSERT INTO audit_events (at, actor, action, entity) VALUES (:at, 'x', 'import', 'file')"),
            {"at": datetime(2024, 1, 1, tzinfo=UTC)},  # from before migration 0005: no hash
        )
        previous = ""
        for n, (actor, action, entity, entity_id, before, after) in enumerate(old):
            event = {
                "at": datetime(2024, 1, 2 + n, tzinfo=UTC),
                **dict(
                    actor=actor, action=action, entity=entity, entity_id=entity_id, before=before, after=after
                ),
                "prev_hash": previous,
            }
            event["hash"] = previous = chain_hash(event)  # the 0005 formula, unchanged
            conn.execute(schema.audit_events.insert().values(**event))
        conn.execute(
            text(
                "INSERT INTO users (username, display_name, role, password_hash, failed_logins, active,"
                " created_at) VALUES ('ana', 'Ana', 'admin', 'x', 3, true, :at)"
            ),
            {"at": datetime(2024, 1, 1, tzinfo=UTC)},
        )
    before = _rows(db)
    db.init()  # what `rightstrack init` does on upgrade
    after = _rows(db)
    assert [r[1:] for r in after] == [r[1:] for r in before]  # every event, every hash, untouched
    with db.read() as conn:
        assert list(conn.scalars(select(schema.audit_events.c.seq).order_by(schema.audit_events.c.id))) == [
            1,
            2,
            3,
        ]
        report = verify(conn)
        assert conn.scalar(select(schema.users.c.username)) == "ana"
    assert report.ok and (report.unchained, report.hashed, report.keyed) == (1, 2, 0)
    key_file = tmp_path / "master.key"
    write_key_file(key_file)
    vault = Vault(db, [Secret.key_file(key_file)], KdfParams(1, 256, 1))
    vault.initialise(actor="cli")  # or `rightstrack audit-seal` on a database that has a key already
    with db.read() as conn:
        sealed = verify(conn, vault.audit_key(conn, False))
        seal = conn.execute(select(schema.audit_events).where(schema.audit_events.c.seq == 4)).one()
    assert sealed.ok and (sealed.unchained, sealed.hashed, sealed.keyed) == (1, 2, 2)
    assert seal.action == "seal" and '"sealed_events": 3' in seal.after
    db.close()


def _rows(db: Database) -> list[tuple[object, ...]]:
    a = schema.audit_events
    with db.read() as conn:
        columns = (
            a.c.id,
            a.c.at,
            a.c.actor,
            a.c.action,
            a.c.entity,
            a.c.entity_id,
            a.c.after,
            a.c.prev_hash,
            a.c.hash,
        )
        return [tuple(r) for r in conn.execute(select(*columns).order_by(a.c.id))]
