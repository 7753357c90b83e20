"""Saved table mappings: the column mapping of a spreadsheet someone imports again and again
(their office's matrix), kept under a name so the next import needs no picking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select

from rightstrack.errors import InvalidInput, NotFound
from rightstrack.ingest.table_mapping import TableMapping
from rightstrack.store import schema
from rightstrack.store.database import Database

_TABLE = schema.table_mappings
_MAX_NAME = 80


@dataclass(frozen=True)
class SavedMapping:
    name: str
    mapping: TableMapping
    created_by: str | None
    created_at: datetime
    updated_at: datetime


def save_mapping(db: Database, name: str, mapping: TableMapping, *, actor: str | None = None) -> SavedMapping:
    """Save under ``name``, replacing a mapping of that name (its creator and creation are kept)."""
    name = mapping_name(name)
    now = datetime.now(UTC)
    with db.transaction(bump=False) as conn:
        found = conn.execute(select(_TABLE.c.id).where(_TABLE.c.name == name)).first()
        if found is None:
            conn.execute(
                _TABLE.insert().values(
                    name=name, mapping=mapping.to_json(), created_by=actor, created_at=now, updated_at=now
                )
            )
        else:
            conn.execute(
                _TABLE.update()
                .where(_TABLE.c.id == found.id)
                .values(mapping=mapping.to_json(), updated_at=now)
            )
    return load_mapping(db, name)


def mapping_for(db: Database, saved: str | None, given: TableMapping) -> TableMapping:
    """The mapping of one import: a saved one (if named) with what is given for this file over it
    (columns, the state of every row, the sheet)."""
    base = load_mapping(db, saved).mapping if saved and saved.strip() else TableMapping()
    return TableMapping(base.columns | given.columns, given.state or base.state, given.sheet or base.sheet)


def load_mapping(db: Database, name: str) -> SavedMapping:
    with db.read() as conn:
        row = conn.execute(select(_TABLE).where(_TABLE.c.name == name.strip())).first()
    if row is None:
        known = ", ".join(m.name for m in list_mappings(db)) or "none saved yet"
        raise NotFound(f"no saved mapping called {name!r} (saved: {known})")
    return _saved(row)


def list_mappings(db: Database) -> list[SavedMapping]:
    with db.read() as conn:
        return [_saved(row) for row in conn.execute(select(_TABLE).order_by(_TABLE.c.name))]


def delete_mapping(db: Database, name: str) -> None:
    with db.transaction(bump=False) as conn:
        gone = conn.execute(delete(_TABLE).where(_TABLE.c.name == name.strip())).rowcount
    if not gone:
        raise NotFound(f"no saved mapping called {name!r}")


def mapping_name(name: str) -> str:
    """A name a mapping may be saved under (whitespace squeezed), checked before an import that
    will save it, so a refused name does not come after the rows are stored."""
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > _MAX_NAME:
        raise InvalidInput(f"a mapping's name is 1 to {_MAX_NAME} characters")
    return cleaned


def _saved(row: object) -> SavedMapping:
    values = row._mapping  # type: ignore[attr-defined]
    return SavedMapping(
        values["name"],
        TableMapping.from_json(values["mapping"]),
        values["created_by"],
        values["created_at"],
        values["updated_at"],
    )
