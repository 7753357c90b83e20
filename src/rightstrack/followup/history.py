"""The write path of workspace records: every change keeps its history, every delete is reversible.

Each create, update, delete and restore writes a revision (who, when, the record before and after)
in the same transaction as the change, and an audit event (ids only). Deleting marks the record;
it disappears from every view and is restored with one call until the retention period ends,
after which ``purge`` removes it for good (and its revisions with it, since they hold its text).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Table, delete, select

from rightstrack.auth import audit
from rightstrack.errors import Conflict, NotFound
from rightstrack.followup.access import WorkspaceAccess, not_found
from rightstrack.followup.schema import fu_revisions
from rightstrack.followup.terms import term
from rightstrack.messages import msg


def _now() -> datetime:
    return datetime.now(UTC)


def _json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, default=_plain, sort_keys=True, ensure_ascii=False)


def _plain(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def snapshot(row: Any) -> dict[str, Any]:
    return {k: (_plain(v) if isinstance(v, datetime | date) else v) for k, v in dict(row._mapping).items()}


def _revision(
    conn: Connection,
    access: WorkspaceAccess,
    entity: str,
    entity_id: int,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    conn.execute(
        fu_revisions.insert(),
        {
            "workspace_id": access.id,
            "entity": entity,
            "entity_id": entity_id,
            "action": action,
            "actor": access.actor,
            "at": _now(),
            "before": _json(before),
            "after": _json(after),
        },
    )
    audit.record(
        conn,
        actor=access.actor,
        action=f"{action} {entity}",
        entity=f"workspace {access.slug}",
        entity_id=f"{entity}:{entity_id}",
    )


def load(
    conn: Connection, table: Table, access: WorkspaceAccess, entity: str, record_id: int
) -> dict[str, Any]:
    """A live (not deleted) record of this workspace, or NotFound."""
    row = conn.execute(
        select(table).where(
            table.c.id == record_id, table.c.workspace_id == access.id, table.c.deleted_at.is_(None)
        )
    ).first()
    if row is None:
        raise not_found(entity, record_id)
    return snapshot(row)


def create(
    conn: Connection, table: Table, access: WorkspaceAccess, entity: str, values: dict[str, Any]
) -> int:
    now = _now()
    row = {**values, "workspace_id": access.id, "created_at": now, "updated_at": now}
    if "version" in table.c:
        row |= {"created_by": access.actor, "version": 1}
    else:
        row["created_by"] = access.actor
    record_id = int(conn.execute(table.insert().returning(table.c.id), row).scalar_one())
    _revision(conn, access, entity, record_id, "create", None, load(conn, table, access, entity, record_id))
    return record_id


def update(
    conn: Connection,
    table: Table,
    access: WorkspaceAccess,
    entity: str,
    record_id: int,
    changes: dict[str, Any],
    version: int,
) -> dict[str, Any]:
    """Apply ``changes`` if the record is still at ``version``; return the record after."""
    before = load(conn, table, access, entity, record_id)
    if before["version"] != version:
        raise Conflict(
            msg(
                "Someone else changed this %(entity)s since you opened it (version %(now)s; you edited"
                " version %(yours)s): reload the page and make your change again.",
                entity=term(entity),
                now=before["version"],
                yours=version,
            )
        )
    changes = {k: v for k, v in changes.items() if before.get(k) != _plain_or(v)}
    if not changes:
        return before
    conn.execute(
        table.update()
        .where(table.c.id == record_id)
        .values(**changes, version=version + 1, updated_at=_now())
    )
    after = load(conn, table, access, entity, record_id)
    _revision(conn, access, entity, record_id, "update", before, after)
    return after


def _plain_or(value: Any) -> Any:
    return _plain(value) if isinstance(value, datetime | date) else value


def remove(conn: Connection, table: Table, access: WorkspaceAccess, entity: str, record_id: int) -> None:
    before = load(conn, table, access, entity, record_id)
    conn.execute(
        table.update().where(table.c.id == record_id).values(deleted_at=_now(), deleted_by=access.actor)
    )
    _revision(conn, access, entity, record_id, "delete", before, None)


def restore(
    conn: Connection,
    table: Table,
    access: WorkspaceAccess,
    entity: str,
    record_id: int,
    *,
    retention_days: int,
    now: datetime | None = None,
) -> dict[str, Any]:
    row = conn.execute(
        select(table).where(table.c.id == record_id, table.c.workspace_id == access.id)
    ).first()
    if row is None:
        raise not_found(entity, record_id)
    if row.deleted_at is None:
        raise Conflict(f"{entity} {record_id} is not deleted")
    deleted_at = row.deleted_at if row.deleted_at.tzinfo else row.deleted_at.replace(tzinfo=UTC)
    if deleted_at < (now or _now()) - timedelta(days=retention_days):
        raise Conflict(f"{entity} {record_id} was deleted more than {retention_days} days ago")
    conn.execute(table.update().where(table.c.id == record_id).values(deleted_at=None, deleted_by=None))
    after = load(conn, table, access, entity, record_id)
    _revision(conn, access, entity, record_id, "restore", None, after)
    return after


def history(conn: Connection, access: WorkspaceAccess, entity: str, record_id: int) -> list[dict[str, Any]]:
    """The revisions of one record, oldest first."""
    rows = conn.execute(
        select(fu_revisions)
        .where(
            fu_revisions.c.workspace_id == access.id,
            fu_revisions.c.entity == entity,
            fu_revisions.c.entity_id == record_id,
        )
        .order_by(fu_revisions.c.id)
    )
    out = []
    for row in rows:
        item = snapshot(row)
        for key in ("before", "after"):
            item[key] = json.loads(item[key]) if item[key] else None
        out.append(item)
    if not out:
        raise NotFound(f"no history for {entity} {record_id} in this workspace")
    return out


def purge_table(conn: Connection, table: Table, entity: str, cutoff: datetime) -> list[int]:
    """Remove records deleted before ``cutoff`` and their revisions; return their ids."""
    ids = [int(i) for i in conn.scalars(select(table.c.id).where(table.c.deleted_at < cutoff))]
    if ids:
        conn.execute(
            delete(fu_revisions).where(fu_revisions.c.entity == entity, fu_revisions.c.entity_id.in_(ids))
        )
        conn.execute(delete(table).where(table.c.id.in_(ids)))
    return ids
