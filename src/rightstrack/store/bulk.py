"""Fast inserts for the import path.

SQLAlchemy's per-row parameter processing costs more than SQLite itself when an import writes
hundreds of thousands of rows, so the write path hands plain tuples to the driver's executemany
(on PostgreSQL, to COPY).
Only this module knows the two drivers' parameter styles and how each stores a timestamp.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, text


def insert_rows(
    conn: Connection, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        _copy_rows(conn, table, columns, rows)
        return
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"
    conn.exec_driver_sql(sql, list(rows))


def _copy_rows(conn: Connection, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    # COPY is several times faster than executemany for the hundreds of thousands of tag rows of
    # a large export; it runs on the transaction's own connection, so it commits or rolls back with it.
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    finally:
        cursor.close()


def timestamp(conn: Connection, moment: datetime) -> Any:
    """The value the driver should receive so that SQLAlchemy's DateTime reads it back unchanged."""
    if conn.dialect.name == "sqlite":
        return moment.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    return moment


def next_id(conn: Connection, table: str) -> int:
    """First free id of a table. Callers hold the write lock (see ``lock_for_import``)."""
    return int(conn.scalar(text(f"SELECT coalesce(max(id), 0) FROM {table}")) or 0) + 1


def lock_for_import(conn: Connection) -> None:
    # SQLite: BEGIN IMMEDIATE already holds the only write lock. PostgreSQL: ids are assigned by
    # the importer, so concurrent imports take turns.
    if conn.dialect.name == "postgresql":
        conn.execute(text("LOCK TABLE recommendations IN SHARE ROW EXCLUSIVE MODE"))
    else:
        # A large import updates several indexes at random places; with SQLite's default 2 MB page
        # cache it rewrites the same pages again and again. 64 MB, for this connection only.
        conn.exec_driver_sql("PRAGMA cache_size = -65536")


def sync_sequence(conn: Connection, table: str) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        )


@contextmanager
def deferred_fulltext(conn: Connection, first_id: int) -> Iterator[None]:
    """Insert many recommendations with ids >= first_id, then index their text in one statement.

    The flag row lives only inside the caller's transaction, so no other connection ever sees it.
    """
    if conn.dialect.name != "sqlite":
        yield  # PostgreSQL computes the tsvector column itself
        return
    conn.execute(text("INSERT INTO store_meta (key, value) VALUES ('fts_deferred', '1')"))
    yield
    conn.execute(text("DELETE FROM store_meta WHERE key = 'fts_deferred'"))
    conn.execute(
        text(
            "INSERT INTO recommendations_fts (rowid, text) "
            "SELECT id, text FROM recommendations WHERE id >= :first"
        ),
        {"first": first_id},
    )
