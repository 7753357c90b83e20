"""Cost of the keyed audit chain (issue 18): appending events, verifying a long log, and the
migration that numbers an existing log.

Every read of a defender case writes an audit event, so appending is on the hot path. Three ways
of appending one event per transaction, on SQLite: the old unkeyed chain without a head file, the
unkeyed chain with the head file, and the keyed chain with the head file (what a database with a
master key does). Then ``verify`` over a 100,000-event keyed log, and migration 0006 numbering a
100,000-event log. Run: ``.venv/bin/python benchmarks/audit_chain.py``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import save
from rightstrack.auth import audit
from rightstrack.auth.audit_chain import chain_hash, verify
from rightstrack.defenders.crypto import KdfParams, Secret, Vault
from rightstrack.store import schema
from rightstrack.store.database import Database

APPENDS = 2_000  # one transaction each, as a read of a case does
LONG_LOG = 100_000
RUNS = 3
KDF = KdfParams(1, 256, 1)  # the key derivation is paid once per process, not per event


def _database(folder: Path, name: str, *, head: bool) -> Database:
    db = Database(f"sqlite:///{folder / name}-{time.monotonic_ns()}.db")
    if not head:
        db.audit_head = None
    db.init()
    return db


def append(folder: Path, mode: str) -> float:
    """Seconds per event for ``APPENDS`` events, each in its own transaction."""
    db = _database(folder, mode, head=mode != "unkeyed")
    if mode.startswith("keyed"):
        Vault(db, [Secret.passphrase("benchmark passphrase, long enough")], KDF).initialise()
    start = time.perf_counter()
    for i in range(APPENDS):
        with db.transaction(bump=False) as conn:
            audit.record(conn, actor="reader", action="read", entity="hrd_case", entity_id=i)
    seconds = (time.perf_counter() - start) / APPENDS
    db.close()
    return seconds


def verify_long_log(folder: Path) -> float:
    db = _database(folder, "long", head=True)
    vault = Vault(db, [Secret.passphrase("benchmark passphrase, long enough")], KDF)
    vault.initialise()
    for first in range(0, LONG_LOG, 1_000):
        with db.transaction(bump=False) as conn:
            for i in range(first, first + 1_000):
                audit.record(conn, actor="reader", action="read", entity="hrd_case", entity_id=i)
    start = time.perf_counter()
    with db.read() as conn:
        report = verify(conn, vault.audit_key(conn, False))
    seconds = time.perf_counter() - start
    assert report.ok and report.checked > LONG_LOG
    db.close()
    return seconds


def migrate_long_log(folder: Path) -> float:
    db = Database(f"sqlite:///{folder / 'old'}-{time.monotonic_ns()}.db")
    db.migrate("0005")
    events, previous = [], ""
    for i in range(LONG_LOG):
        event = {
            "at": datetime(2024, 1, 1, tzinfo=UTC),
            "actor": "reader",
            "action": "read",
            "entity": "hrd_case",
            "entity_id": str(i),
            "before": None,
            "after": None,
            "prev_hash": previous,
        }
        event["hash"] = previous = chain_hash(event)
        events.append(event)
    a = schema.audit_events
    with db.engine.begin() as conn:
        conn.execute(a.insert(), events)
    start = time.perf_counter()
    db.migrate()
    seconds = time.perf_counter() - start
    db.close()
    return seconds


def main() -> None:
    modes = ("unkeyed", "unkeyed+head", "keyed+head")
    per_event: dict[str, list[float]] = {m: [] for m in modes}
    verify_s, migrate_s = [], []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for _ in range(RUNS):  # alternate, so drift on a shared machine hits every mode alike
            for mode in modes:
                per_event[mode].append(append(folder, mode))
            verify_s.append(verify_long_log(folder))
            migrate_s.append(migrate_long_log(folder))
    median = {m: statistics.median(v) * 1000 for m, v in per_event.items()}
    for mode, ms in median.items():
        print(f"{mode:>13}: {ms:.3f} ms per event ({APPENDS} events, one transaction each)")
    print(f"verify {LONG_LOG:,} keyed events: {statistics.median(verify_s):.2f} s")
    print(f"migration 0006 over {LONG_LOG:,} events: {statistics.median(migrate_s):.2f} s")
    save(
        "audit_chain",
        {
            "appends": APPENDS,
            "runs": RUNS,
            "median_ms_per_event": median,
            "keyed_over_unkeyed": median["keyed+head"] / median["unkeyed"],
            "verify_events": LONG_LOG,
            "verify_seconds": statistics.median(verify_s),
            "migration_events": LONG_LOG,
            "migration_seconds": statistics.median(migrate_s),
        },
    )


if __name__ == "__main__":
    main()
