"""The audit log: who changed what, when, with the record before and after."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select

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
    conn.execute(
        schema.audit_events.insert(),
        {
            "at": datetime.now(UTC),
            "actor": actor,
            "action": action,
            "entity": entity,
            "entity_id": None if entity_id is None else str(entity_id),
            "before": None if before is None else json.dumps(before, default=str, sort_keys=True),
            "after": None if after is None else json.dumps(after, default=str, sort_keys=True),
        },
    )


def recent(conn: Connection, limit: int = 100, entity: str | None = None) -> list[dict[str, Any]]:
    a = schema.audit_events
    query = select(a).order_by(a.c.id.desc()).limit(limit)
    if entity:
        query = query.where(a.c.entity == entity)
    events = []
    for row in conn.execute(query):
        event = dict(row._mapping)
        for key in ("before", "after"):
            event[key] = json.loads(event[key]) if event[key] else None
        events.append(event)
    return events
