"""The audit log: who changed what, when, with the record before and after.

Events form a hash chain: each one stores the hash of the previous event and its own hash over
its fields and that previous hash, so editing, inserting or removing an event in the middle breaks
:func:`verify`. Payloads hold ids and labels only, never the content of a record.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select, text

from rightstrack.store import schema


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
    a = schema.audit_events
    if conn.dialect.name == "postgresql":
        # Concurrent writers must not both chain onto the same previous event.
        conn.execute(text("SELECT pg_advisory_xact_lock(740815)"))
    event = {
        "at": datetime.now(UTC),
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_id": None if entity_id is None else str(entity_id),
        "before": None if before is None else json.dumps(before, default=str, sort_keys=True),
        "after": None if after is None else json.dumps(after, default=str, sort_keys=True),
    }
    previous = conn.scalar(select(a.c.hash).where(a.c.hash.is_not(None)).order_by(a.c.id.desc()).limit(1))
    event["prev_hash"] = previous or ""
    event["hash"] = _chain_hash(event)
    conn.execute(a.insert(), event)


def _chain_hash(event: Any) -> str:
    get = event.get if isinstance(event, dict) else event._mapping.get
    at: datetime = get("at") or datetime.min
    if at.tzinfo is None:  # SQLite returns the UTC time it was given, without its zone
        at = at.replace(tzinfo=UTC)
    fields = [get("prev_hash") or "", at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")]
    fields += [get(k) for k in ("actor", "action", "entity", "entity_id", "before", "after")]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    unchained: int  # events written before the chain existed (migration 0005)
    first_bad_id: int | None = None
    problem: str = ""


def verify(conn: Connection) -> ChainReport:
    """Walk the whole log in order and recompute every hash."""
    previous: str | None = None
    checked = unchained = 0
    for row in conn.execute(select(schema.audit_events).order_by(schema.audit_events.c.id)):
        if row.hash is None:
            if previous is not None:
                return ChainReport(
                    False, checked, unchained, row.id, "an event without a hash inside the chain"
                )
            unchained += 1
            continue
        if (row.prev_hash or "") != (previous or ""):
            return ChainReport(False, checked, unchained, row.id, "the previous hash does not match")
        if _chain_hash(row) != row.hash:
            return ChainReport(
                False, checked, unchained, row.id, "the event was changed after it was written"
            )
        previous = row.hash
        checked += 1
    return ChainReport(True, checked, unchained)


def recent(conn: Connection, limit: int = 100, entity: str | None = None) -> list[dict[str, Any]]:
    a = schema.audit_events
    query = select(a).order_by(a.c.id.desc()).limit(limit)
    if entity:
        query = query.where(a.c.entity == entity)
    events = []
    for row in conn.execute(query):
        event = dict(row._mapping)
        event.pop("prev_hash", None)
        event.pop("hash", None)
        for key in ("before", "after"):
            event[key] = json.loads(event[key]) if event[key] else None
        events.append(event)
    return events
