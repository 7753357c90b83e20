"""Delete, restore, history and purge for every editable record type, by name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Table, delete, select

from rightstrack.auth import audit
from rightstrack.brief.schema import br_briefs
from rightstrack.errors import InvalidInput
from rightstrack.followup import history
from rightstrack.followup.access import WorkspaceAccess, WorkspacePermission
from rightstrack.followup.commitments import get_commitment
from rightstrack.followup.schema import (
    fu_actors,
    fu_assessments,
    fu_commitment_actors,
    fu_commitments,
    fu_evidence,
    fu_indicator_values,
    fu_indicators,
    fu_measures,
    fu_progress,
    fu_reminders,
)
from rightstrack.store.database import Database

TABLES: dict[str, Table] = {
    "actor": fu_actors,
    "commitment": fu_commitments,
    "measure": fu_measures,
    "indicator": fu_indicators,
    "progress": fu_progress,
    "assessment": fu_assessments,
    "brief": br_briefs,
}
# Reports, assessments and briefs belong to whoever may report; the structure to editors.
_NEEDS = {
    "progress": WorkspacePermission.REPORT,
    "assessment": WorkspacePermission.REPORT,
    "brief": WorkspacePermission.REPORT,
}


def _table(entity: str) -> Table:
    try:
        return TABLES[entity]
    except KeyError:
        raise InvalidInput(f"unknown record type {entity!r} (one of {', '.join(TABLES)})") from None


def change_permission(entity: str) -> WorkspacePermission:
    """What it takes to delete or restore a record of this type."""
    return _NEEDS.get(entity, WorkspacePermission.EDIT)


def delete_record(db: Database, access: WorkspaceAccess, entity: str, record_id: int) -> None:
    access.require(_NEEDS.get(entity, WorkspacePermission.EDIT))
    with db.transaction() as conn:
        _check_visible(conn, access, entity, record_id)
        history.remove(conn, _table(entity), access, entity, record_id)


def restore_record(
    db: Database, access: WorkspaceAccess, entity: str, record_id: int, *, retention_days: int
) -> dict[str, Any]:
    access.require(_NEEDS.get(entity, WorkspacePermission.EDIT))
    with db.transaction() as conn:
        return history.restore(conn, _table(entity), access, entity, record_id, retention_days=retention_days)


def record_history(
    conn: Connection, access: WorkspaceAccess, entity: str, record_id: int
) -> list[dict[str, Any]]:
    """Revisions hold private text, so only members read them."""
    access.require(WorkspacePermission.READ_PRIVATE)
    _table(entity)
    return history.history(conn, access, entity, record_id)


def deleted_records(conn: Connection, access: WorkspaceAccess) -> list[dict[str, Any]]:
    """The workspace's bin: what can still be restored."""
    access.require(WorkspacePermission.READ_PRIVATE)
    out = []
    for entity, table in TABLES.items():
        shown = _label_columns(table)
        rows = conn.execute(
            select(table.c.id, table.c.deleted_at, table.c.deleted_by, *shown).where(
                table.c.workspace_id == access.id, table.c.deleted_at.is_not(None)
            )
        )
        for r in rows:
            label = ", ".join(str(v) for v in r[3:] if v is not None) or f"#{r.id}"
            if "text" in table.c and len(label) > 80:  # a report's first line says which one it is
                label = label[:79] + "…"
            out.append(
                {"id": r.id, "deleted_at": r.deleted_at, "deleted_by": r.deleted_by, "entity": entity}
                | {"label": label}
            )
    return sorted(out, key=lambda r: r["deleted_at"], reverse=True)


def _label_columns(table: Table) -> list[Any]:
    """What names a record in the bin: its title or name; a report's text; an assessment's assessor
    and date (neither has a title)."""
    for wanted in (("title",), ("name",), ("text",), ("assessor", "assessed_on")):
        if all(c in table.c for c in wanted):
            return [table.c[c] for c in wanted]
    return []


def _check_visible(conn: Connection, access: WorkspaceAccess, entity: str, record_id: int) -> None:
    found = history.load(conn, _table(entity), access, entity, record_id)
    if "commitment_id" in found:
        get_commitment(conn, access, int(found["commitment_id"]))


def purge(
    db: Database, *, retention_days: int, now: datetime | None = None, actor: str | None = None
) -> dict[str, int]:
    """Remove for good what was deleted more than ``retention_days`` ago (children before parents)."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=retention_days)
    counts: dict[str, int] = {}
    with db.transaction() as conn:
        for entity in ("progress", "assessment", "measure", "indicator"):
            counts[entity] = len(_purge_children_of(conn, entity, cutoff))
        counts["commitment"] = len(_purge_commitments(conn, cutoff))
        counts["actor"] = len(_purge_actors(conn, cutoff))
        counts["brief"] = len(history.purge_table(conn, br_briefs, "brief", cutoff))
        if any(counts.values()):
            audit.record(conn, actor=actor, action="purge", entity="workspace records", after=counts)
    return counts


def _purge_children_of(conn: Connection, entity: str, cutoff: datetime) -> list[int]:
    table = TABLES[entity]
    ids = [int(i) for i in conn.scalars(select(table.c.id).where(table.c.deleted_at < cutoff))]
    _drop_dependants(conn, entity, ids)
    return history.purge_table(conn, table, entity, cutoff)


def _drop_dependants(conn: Connection, entity: str, ids: list[int]) -> None:
    if not ids:
        return
    if entity == "progress":
        conn.execute(delete(fu_evidence).where(fu_evidence.c.progress_id.in_(ids)))
    elif entity == "indicator":
        conn.execute(delete(fu_indicator_values).where(fu_indicator_values.c.indicator_id.in_(ids)))
    elif entity == "measure":
        conn.execute(fu_progress.update().where(fu_progress.c.measure_id.in_(ids)).values(measure_id=None))
    if entity in ("measure", "indicator"):
        conn.execute(
            delete(fu_reminders).where(fu_reminders.c.item_kind == entity, fu_reminders.c.item_id.in_(ids))
        )


def _purge_commitments(conn: Connection, cutoff: datetime) -> list[int]:
    ids = [
        int(i) for i in conn.scalars(select(fu_commitments.c.id).where(fu_commitments.c.deleted_at < cutoff))
    ]
    for entity in ("progress", "assessment", "measure", "indicator"):
        table = TABLES[entity]
        child_ids = [int(i) for i in conn.scalars(select(table.c.id).where(table.c.commitment_id.in_(ids)))]
        _drop_dependants(conn, entity, child_ids)
        if child_ids:
            conn.execute(
                table.update()
                .where(table.c.id.in_(child_ids))
                .values(deleted_at=cutoff - timedelta(seconds=1))
            )
            history.purge_table(conn, table, entity, cutoff)
    conn.execute(delete(fu_commitment_actors).where(fu_commitment_actors.c.commitment_id.in_(ids)))
    return history.purge_table(conn, fu_commitments, "commitment", cutoff)


def _purge_actors(conn: Connection, cutoff: datetime) -> list[int]:
    ids = [int(i) for i in conn.scalars(select(fu_actors.c.id).where(fu_actors.c.deleted_at < cutoff))]
    if ids:
        conn.execute(delete(fu_commitment_actors).where(fu_commitment_actors.c.actor_id.in_(ids)))
        conn.execute(fu_measures.update().where(fu_measures.c.actor_id.in_(ids)).values(actor_id=None))
        conn.execute(fu_actors.update().where(fu_actors.c.parent_id.in_(ids)).values(parent_id=None))
    return history.purge_table(conn, fu_actors, "actor", cutoff)
