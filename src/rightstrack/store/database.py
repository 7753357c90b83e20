"""The one object that owns the database: engine, connections, transactions, migrations."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from rightstrack.errors import ConfigurationError, NotFound
from rightstrack.model.reference import ACTION_CATEGORIES, ACTION_FAMILY, MECHANISMS, TAG_FAMILIES
from rightstrack.model.states import all_states
from rightstrack.settings import Settings
from rightstrack.store import schema

_MIGRATIONS = Path(__file__).parent / "migrations"
_WRITE = "rightstrack_write"
_OWNER = "rightstrack_database"  # connection.info key: the Database a transaction belongs to
_AFTER_COMMIT = "rightstrack_after_commit"
_BUMP_GENERATION = text(
    "UPDATE store_meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'generation'"
)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Leave transaction control to SQLAlchemy's "begin" hook below (pysqlite's own is unreliable).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # Writers take the write lock up front so two writers never deadlock upgrading read locks.
    immediate = connection.get_execution_options().get(_WRITE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


AuditKey = Callable[[Connection, bool], bytes | None]
"""Opens the audit log's MAC key inside a transaction; ``True`` allows creating it (see auth/audit.py)."""


class Database:
    """Opens an engine for a URL; every read and write in rightstrack goes through one of these."""

    def __init__(self, url: str, *, echo: bool = False, audit_head: Path | None = None) -> None:
        self.url = make_url(url)
        if self.url.get_backend_name() not in {"sqlite", "postgresql"}:
            raise ConfigurationError(f"unsupported database URL {url!r}: use sqlite:/// or postgresql://")
        if self.is_sqlite and self.url.database and self.url.database != ":memory:":
            Path(self.url.database).parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(self.url, echo=echo)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
        self.cache: dict[str, Any] = {}
        """Derived, rebuildable data (the facet index) keyed by name; see :meth:`generation`."""
        self.audit_key: AuditKey | None = None
        """Set by a defenders ``Vault`` holding the master key: audit events are then MACed."""
        self.audit_head = audit_head if audit_head is not None else self._sqlite_head()
        """File the audit log's head is written to after every commit that appended events."""

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        return cls(
            settings.resolved_database_url,
            echo=bool(settings.echo_sql),
            audit_head=settings.resolved_audit_head_file,
        )

    @classmethod
    def of(cls, connection: Connection) -> Database | None:
        """The Database whose :meth:`transaction` opened this connection (None for other connections)."""
        owner = connection.info.get(_OWNER)
        return owner if isinstance(owner, Database) else None

    @staticmethod
    def after_commit(connection: Connection, action: Callable[[], None], *, key: str | None = None) -> None:
        """Run ``action`` once the transaction of ``connection`` has committed (never on rollback):
        for effects outside the database, such as files and e-mails, that must not run ahead of it.
        A later action with the same ``key`` replaces an earlier one (the newest head, not every head)."""
        actions = connection.info.get(_AFTER_COMMIT)
        if actions is None:
            raise RuntimeError("after_commit needs a connection from Database.transaction()")
        actions[key or f"#{len(actions)}"] = action

    def _sqlite_head(self) -> Path | None:
        if not self.is_sqlite or not self.url.database or self.url.database == ":memory:":
            return None
        return Path(self.url.database).with_name(Path(self.url.database).name + ".audit-head")

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def dialect(self) -> str:
        return self.url.get_backend_name()

    def describe(self) -> str:
        return self.url.render_as_string(hide_password=True)

    # -- schema ----------------------------------------------------------------------------------

    def migrate(self, revision: str = "head") -> None:
        """Upgrade the schema to ``revision`` (an older one only to test an upgrade from it)."""
        config = Config()
        config.set_main_option("script_location", str(_MIGRATIONS))
        with self.engine.connect().execution_options(**{_WRITE: True}) as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            connection.commit()

    def init(self) -> None:
        """Create or upgrade the schema and write the reference facts. Safe to run again."""
        self.migrate()
        self.sync_reference_data()

    def is_initialised(self) -> bool:
        try:
            return inspect(self.engine).has_table("store_meta")
        except OperationalError:
            return False

    def require_initialised(self) -> None:
        if not self.is_initialised():
            raise NotFound(f"no rightstrack database at {self.describe()}: run `rightstrack init` first")

    def sync_reference_data(self) -> None:
        with self.transaction() as conn:
            _upsert(
                conn,
                schema.states,
                "alpha3",
                [
                    {
                        "alpha3": s.alpha3,
                        "alpha2": s.alpha2,
                        "name": s.name,
                        "regional_group": s.regional_group.value if s.regional_group else None,
                        "un_member": s.un_member,
                    }
                    for s in all_states()
                ],
            )
            _upsert(
                conn,
                schema.mechanisms,
                "code",
                [{"code": m.code, "name": m.name, "kind": m.kind} for m in MECHANISMS],
            )
            _upsert(
                conn,
                schema.tag_families,
                "code",
                [{"code": f.code, "name": f.name, "description": f.description} for f in TAG_FAMILIES],
            )
            existing = set(
                conn.scalars(select(schema.tags.c.name).where(schema.tags.c.family == ACTION_FAMILY))
            )
            missing = [
                {"family": ACTION_FAMILY, "name": n} for n in ACTION_CATEGORIES.values() if n not in existing
            ]
            if missing:
                conn.execute(schema.tags.insert(), missing)
            if (
                conn.execute(
                    select(schema.store_meta.c.key).where(schema.store_meta.c.key == "generation")
                ).first()
                is None
            ):
                conn.execute(schema.store_meta.insert(), {"key": "generation", "value": "0"})

    # -- connections -----------------------------------------------------------------------------

    @contextmanager
    def transaction(self, *, bump: bool = True) -> Iterator[Connection]:
        """One write transaction: everything inside commits together or not at all.

        ``bump=False`` for writes no cache depends on (an audit event for a read), so reading
        defender cases does not make the search caches rebuild."""
        with self.engine.connect().execution_options(**{_WRITE: True}) as connection:
            connection.info[_OWNER] = self
            connection.info[_AFTER_COMMIT] = {}
            try:
                with connection.begin():
                    yield connection
                    if bump:
                        connection.execute(_BUMP_GENERATION)
                actions = list(connection.info.get(_AFTER_COMMIT, {}).values())
            finally:
                connection.info.pop(_OWNER, None)
                connection.info.pop(_AFTER_COMMIT, None)
        for action in actions:
            action()

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as connection:
            yield connection

    def generation(self, connection: Connection | None = None) -> int:
        """A number that changes whenever anything was written; caches compare against it."""
        query = select(schema.store_meta.c.value).where(schema.store_meta.c.key == "generation")
        if connection is not None:
            return int(connection.scalar(query) or 0)
        with self.read() as conn:
            return int(conn.scalar(query) or 0)

    def close(self) -> None:
        self.cache.clear()
        self.engine.dispose()


def _upsert(conn: Connection, table: Any, key: str, rows: list[dict[str, Any]]) -> None:
    """Insert missing rows and update changed ones (small reference tables only)."""
    existing = {row._mapping[key]: dict(row._mapping) for row in conn.execute(select(table))}
    new = [r for r in rows if r[key] not in existing]
    if new:
        conn.execute(table.insert(), new)
    for row in rows:
        old = existing.get(row[key])
        if old is not None and any(old[c] != v for c, v in row.items()):
            conn.execute(table.update().where(table.c[key] == row[key]).values(**row))
