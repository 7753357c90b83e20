"""The migrated schema and the metadata agree, on every engine; init is safe to run twice."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

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
