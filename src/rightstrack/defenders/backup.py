"""Encrypted backups of the whole database, and restoring one into an empty database.

The file is ``MAGIC``, a JSON header (KDF parameters, salt, schema revision, the audit log's
head), then AES-GCM ciphertext of the gzipped rows, authenticated together with the header. Case
content inside is already sealed under its data keys, so a backup is useless without the master
key as well. The head in a backup is one more copy of where the audit log ended, out of reach of
whoever changes the live database; restoring checks the restored log against it.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from sqlalchemy import Connection, delete, func, select, text

from rightstrack.auth import audit
from rightstrack.auth.audit_chain import Head, current_head, verify
from rightstrack.defenders.crypto import KEY_BYTES, KdfParams, Secret, TamperedData, seal, unseal
from rightstrack.errors import Conflict, InvalidInput
from rightstrack.store import schema
from rightstrack.store.database import Database

MAGIC = b"RIGHTSTRACK-BACKUP-1\n"
# Live sessions and devices are never worth restoring, and a copy of their hashes only helps an
# attacker; login throttling is state of the moment.
SKIPPED = {"sessions", "login_devices", "login_throttle"}
# Tables whose rows mean the database is in use; restore refuses to overwrite them.
IN_USE = ("recommendations", "users", "hrd_cases", "treaty_facts")


def _key(secret: Secret, salt: bytes, kdf: KdfParams) -> bytes:
    # A key file's bytes go through Argon2id too: each backup then gets its own key from its salt.
    return hash_secret_raw(
        secret.material,
        salt,
        time_cost=kdf.time_cost,
        memory_cost=kdf.memory_kib,
        parallelism=kdf.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def _encode(value: Any) -> Any:
    if isinstance(value, bytes | memoryview):
        return {"$b": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, datetime):
        return {"$t": (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and "$b" in value:
        return base64.b64decode(value["$b"])
    if isinstance(value, dict) and "$t" in value:
        return datetime.fromisoformat(value["$t"])
    return value


def _revision(conn: Connection) -> str:
    return str(conn.scalar(text("SELECT version_num FROM alembic_version")) or "")


def create_backup(
    db: Database, secret: Secret, path: Path, *, actor: str = "cli", kdf: KdfParams | None = None
) -> dict[str, int]:
    kdf = kdf or KdfParams()
    counts: dict[str, int] = {}
    tables: dict[str, list[dict[str, Any]]] = {}
    with db.transaction(bump=False) as conn:  # only an audit event
        audit.record(conn, actor=actor, action="backup", entity="database")
    with db.read() as conn:
        revision = _revision(conn)
        head = current_head(conn, db.audit_key(conn, False) if db.audit_key else None)
        for table in schema.metadata.sorted_tables:
            if table.name in SKIPPED:
                continue
            rows = [{k: _encode(v) for k, v in r._mapping.items()} for r in conn.execute(select(table))]
            tables[table.name] = rows
            counts[table.name] = len(rows)
    salt = os.urandom(16)
    header = json.dumps(
        {
            "version": 1,
            "revision": revision,
            "salt": salt.hex(),
            "kind": secret.kind,
            "time_cost": kdf.time_cost,
            "memory_kib": kdf.memory_kib,
            "parallelism": kdf.parallelism,
            "audit_head": head.as_dict() if head else None,
        },
        sort_keys=True,
    ).encode()
    body = gzip.compress(json.dumps(tables, ensure_ascii=False).encode())
    blob = seal(_key(secret, salt, kdf), body, header.hex())
    tmp = path.with_name(path.name + ".partial")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(MAGIC + len(header).to_bytes(4, "big") + header + blob)
    tmp.replace(path)  # a crash leaves the previous backup, never half of a new one
    return counts


def backup_head(secret: Secret, path: Path) -> Head | None:
    """The audit head kept in a backup (authenticated with it: it opens only with the secret)."""
    header, _ = read_backup(secret, path)
    return Head.parse(json.dumps(header["audit_head"]), str(path)) if header.get("audit_head") else None


def read_backup(secret: Secret, path: Path) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    raw = path.read_bytes()
    if not raw.startswith(MAGIC):
        raise InvalidInput(f"{path} is not a rightstrack backup")
    size = int.from_bytes(raw[len(MAGIC) : len(MAGIC) + 4], "big")
    header_bytes = raw[len(MAGIC) + 4 : len(MAGIC) + 4 + size]
    header = json.loads(header_bytes)
    kdf = KdfParams(header["time_cost"], header["memory_kib"], header["parallelism"])
    key = _key(secret, bytes.fromhex(header["salt"]), kdf)
    body = unseal(key, raw[len(MAGIC) + 4 + size :], header_bytes.hex())
    return header, json.loads(gzip.decompress(body))


def restore_backup(db: Database, secret: Secret, path: Path, *, actor: str = "cli") -> dict[str, int]:
    """Load a backup into an initialised database that holds no data of its own yet."""
    header, tables = read_backup(secret, path)
    counts: dict[str, int] = {}
    with db.transaction() as conn:
        if header["revision"] != _revision(conn):
            raise Conflict(
                f"the backup is of schema {header['revision']}, this database is {_revision(conn)}"
            )
        for name in IN_USE:
            if conn.scalar(select(func.count()).select_from(schema.metadata.tables[name])):
                raise Conflict(f"this database already holds {name}; restore into a new, empty one")
        for table in reversed(schema.metadata.sorted_tables):
            if table.name not in SKIPPED:
                conn.execute(delete(table))
        for table in schema.metadata.sorted_tables:
            rows = [{k: _decode(v) for k, v in row.items()} for row in tables.get(table.name, [])]
            if rows:
                conn.execute(table.insert(), rows)
            counts[table.name] = len(rows)
            if db.dialect == "postgresql" and rows and isinstance(rows[0].get("id"), int):
                _reset_sequence(conn, table.name)
        _check_restored_log(db, conn, header)
    with db.transaction() as conn:
        audit.record(conn, actor=actor, action="restore", entity="database", after={"file": path.name})
    return counts


def _check_restored_log(db: Database, conn: Connection, header: dict[str, Any]) -> None:
    """The restored log must verify and reach the head the backup recorded (with the key at hand)."""
    if not header.get("audit_head") or db.audit_key is None:
        return
    expected = Head.parse(json.dumps(header["audit_head"]), "the backup")
    report = verify(conn, db.audit_key(conn, False), expected)
    if not report.ok:
        raise TamperedData(f"the backup's audit log does not verify: {report.problem}")


def _reset_sequence(conn: Connection, table: str) -> None:
    # Rows came in with their ids; the next insert must not collide with them.
    sequence = f"pg_get_serial_sequence('{table}', 'id')"
    conn.execute(text(f"SELECT setval({sequence}, (SELECT max(id) FROM {table}))"))
