"""The audit log: who changed what, when, with the record before and after.

Payloads hold ids and labels only, never the content of a record. Every event joins a chain
(:mod:`rightstrack.auth.audit_chain`): once the database has a master key, each event carries an
HMAC under the audit key over its fields, its position and the previous event's value, so
editing, inserting, removing or reordering events breaks verification, and recomputing the chain
needs the master key. After each commit the head (position and last value) is written to a file
outside the database, which is what detects events cut from the end.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, select, text

from rightstrack.auth.audit_chain import (
    SEAL_ACTION,
    SEAL_ENTITY,
    AuditLocked,
    Head,
    chain_hash,
    chain_mac,
    sealed_digest,
    write_head,
)
from rightstrack.store import schema
from rightstrack.store.database import Database


def record(
    conn: Connection,
    *,
    actor: str | None,
    action: str,
    entity: str,
    entity_id: str | int | None = None,
    before: Any = None,
    after: Any = None,
) -> None:
    """Write one audit event inside the caller's transaction, so the change and its record commit together."""
    if conn.dialect.name == "postgresql":
        # Concurrent writers must not both chain onto the same previous event.
        conn.execute(text("SELECT pg_advisory_xact_lock(740815)"))
    db = Database.of(conn)
    last = _last(conn)
    key = _key(conn, db, keyed=last is not None and last.mac is not None)
    if key is not None and (last is None or last.mac is None):
        last = _append(conn, db, last, key, _seal_event(conn, last))
    _append(conn, db, last, key, _event(actor, action, entity, entity_id, before, after))


def _last(conn: Connection) -> Any:
    a = schema.audit_events
    return conn.execute(
        select(a.c.seq, a.c.hash, a.c.mac).where(a.c.seq.is_not(None)).order_by(a.c.seq.desc()).limit(1)
    ).first()


def _key(conn: Connection, db: Database | None, *, keyed: bool) -> bytes | None:
    """The audit key, or None while the database has no master key (the chain stays unkeyed)."""
    source = db.audit_key if db is not None else None
    key = source(conn, not keyed) if source is not None else None
    if keyed and key is None:
        raise AuditLocked(
            "this database's audit log is keyed: a change needs the master key "
            "(set RIGHTSTRACK_KEY_FILE or RIGHTSTRACK_PASSPHRASE)"
        )
    return key


def _event(
    actor: str | None, action: str, entity: str, entity_id: str | int | None, before: Any, after: Any
) -> dict[str, Any]:
    return {
        "at": datetime.now(UTC),
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_id": None if entity_id is None else str(entity_id),
        "before": None if before is None else json.dumps(before, default=str, sort_keys=True),
        "after": None if after is None else json.dumps(after, default=str, sort_keys=True),
    }


def _seal_event(conn: Connection, last: Any) -> dict[str, Any]:
    """The first keyed event: it keeps the count and a digest of every unkeyed event before it."""
    upto = last.seq if last is not None else 0
    sealed = {"sealed_events": upto, "sealed_digest": sealed_digest(conn, upto)}
    return _event("rightstrack", SEAL_ACTION, SEAL_ENTITY, None, None, sealed)


def _append(
    conn: Connection, db: Database | None, last: Any, key: bytes | None, event: dict[str, Any]
) -> Any:
    previous = (last.mac or last.hash or "") if last is not None else ""
    event.update(seq=(last.seq if last is not None else 0) + 1, prev_hash=previous)
    if key is not None:
        event["mac"] = chain_mac(key, event)
    else:
        event["hash"] = chain_hash(event)
    conn.execute(schema.audit_events.insert(), event)
    if db is not None and db.audit_head is not None:
        head, path = Head.of(event["seq"], event.get("mac") or event["hash"], key), db.audit_head
        Database.after_commit(conn, lambda: write_head(path, head), key="audit head")
    return _Tail(event["seq"], event.get("hash"), event.get("mac"))


class _Tail(NamedTuple):
    """The newest event's position and value, as :func:`_last` reads it."""

    seq: int
    hash: str | None
    mac: str | None


def seal(db: Database) -> Head:
    """Key the log now (after upgrading, with the master key configured): the seal keeps every
    earlier event under the key. A log that is keyed already is left as it is. Returns the head."""
    with db.transaction(bump=False) as conn:
        last = _last(conn)
        if last is not None and last.mac is not None:
            return Head.of(last.seq, last.mac, _key(conn, db, keyed=True))
        key = _key(conn, db, keyed=False)
        if key is None:
            raise AuditLocked(
                "sealing the audit log needs a master key (`rightstrack keys init`, then its secret)"
            )
        new = _append(conn, db, last, key, _seal_event(conn, last))
        return Head.of(new.seq, new.mac, key)


def recent(conn: Connection, limit: int = 100, entity: str | None = None) -> list[dict[str, Any]]:
    a = schema.audit_events
    query = select(a).order_by(a.c.id.desc()).limit(limit)
    if entity:
        query = query.where(a.c.entity == entity)
    events = []
    for row in conn.execute(query):
        event = dict(row._mapping)
        for chain_field in ("prev_hash", "hash", "mac"):
            event.pop(chain_field, None)
        for key in ("before", "after"):
            event[key] = json.loads(event[key]) if event[key] else None
        events.append(event)
    return events
