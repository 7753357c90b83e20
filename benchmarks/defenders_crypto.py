"""Cost of encryption at rest: write and read 10,000 incidents with and without it.

"Without" is the same code path with a vault that stores the sealed half as plain JSON and keeps
no data keys, so the difference is AES-GCM, key generation and key wrapping alone. Target: the
encrypted run takes at most 1.5 × the plain one. Run: ``.venv/bin/python benchmarks/defenders_crypto.py``.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Connection, select

from benchmarks.common import save
from rightstrack.auth.roles import Role
from rightstrack.defenders import cases
from rightstrack.defenders.access import Viewer
from rightstrack.defenders.crypto import KdfParams, Secret, Vault
from rightstrack.defenders.schema import hrd_cases
from rightstrack.store.database import Database

N = 10_000
SINGLE = 1_000  # cases written one transaction each, and read one by one
BATCH = 500
RUNS = 5
WHO = Viewer("benchmark", Role.EDITOR)


class PlainVault(Vault):
    """The baseline only: never used outside this benchmark."""

    def new_data_keys(self, conn: Connection, key_ids: Sequence[str]) -> dict[str, bytes]:
        return {}

    def seal_json(self, conn: Connection, key_id: str, value: Any, aad: str) -> bytes:
        return json.dumps(value, ensure_ascii=False, sort_keys=True).encode()

    def open_json(self, conn: Connection, key_id: str, blob: bytes, aad: str) -> Any:
        return json.loads(blob)

    def unwrap(self, conn: Connection, key_id: str, master_id: int | None, wrapped: bytes | None) -> bytes:
        return b""


def incident(i: int) -> dict[str, Any]:
    return {
        "title": f"Incident {i}: office raided and staff threatened",
        "summary": "Armed men entered the office at night, took laptops and threatened the staff. " * 3,
        "start_date": f"20{10 + i % 14}-0{1 + i % 9}-1{i % 10}",
        "country": ("COL", "BRA", "PHL", "MEX", "HND")[i % 5],
        "locality": f"Village {i % 300}",
        "acts": [
            {
                "act_type": "040101000000",
                "victim_name": f"Person {i}",
                "defender_status": ["environmental_land_defender"],
                "perpetrator_types": ["nonstate.paramilitary"],
                "stated_reason": "Opposition to the mine",
            },
            {"act_type": "020103020000", "victim_name": f"Person {i}b", "perpetrator_types": ["unknown"]},
        ],
    }


def run(encrypted: bool, folder: Path) -> dict[str, float]:
    db = Database(f"sqlite:///{folder / ('enc' if encrypted else 'plain')}-{time.monotonic_ns()}.db")
    db.init()
    secret = [Secret.passphrase("benchmark passphrase, long enough")]
    vault: Vault = Vault(db, secret, KdfParams()) if encrypted else PlainVault(db, secret)
    if encrypted:
        vault.initialise()
    start = time.perf_counter()
    for first in range(0, N, BATCH):
        with db.transaction() as conn:
            batch = [incident(i) for i in range(first, first + BATCH)]
            cases.insert_cases(conn, vault, WHO, batch, sensitivity="restricted")
    written = time.perf_counter() - start
    reader = Vault(db, secret) if encrypted else PlainVault(db, secret)  # cold key cache
    if encrypted:
        with db.read() as conn:
            reader.unlock(conn)  # the one Argon2id derivation, paid once per process, not per record
    start = time.perf_counter()
    with db.read() as conn:
        ids = list(conn.scalars(select(hrd_cases.c.id)))
        titles = sum(1 for content in cases.read_current(conn, reader, ids).values() if content["title"])
    read = time.perf_counter() - start
    assert titles == N
    # The one-record path (a person saving a case, then opening it): per-statement costs dominate.
    start = time.perf_counter()
    for i in range(SINGLE):
        with db.transaction() as conn:
            cases.insert_case(conn, vault, WHO, incident(i), sensitivity="restricted")
    single_written = time.perf_counter() - start
    fresh = Vault(db, secret) if encrypted else PlainVault(db, secret)
    start = time.perf_counter()
    with db.read() as conn:
        if encrypted:
            fresh.unlock(conn)
            start = time.perf_counter()
        for case_id in ids[:SINGLE]:
            cases.read_version(conn, fresh, case_id, 1)
    single_read = time.perf_counter() - start
    db.close()
    return {
        "write_s": written,
        "read_s": read,
        "total_s": written + read,
        "single_write_s": single_written,
        "single_read_s": single_read,
        "single_total_s": single_written + single_read,
    }


def main() -> None:
    results: dict[str, list[dict[str, float]]] = {"plain": [], "encrypted": []}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(RUNS):  # alternate, so drift on a shared machine hits both alike
            results["plain"].append(run(False, Path(tmp)))
            results["encrypted"].append(run(True, Path(tmp)))
    median = {k: {m: statistics.median(r[m] for r in v) for m in v[0]} for k, v in results.items()}
    ratio = {m: median["encrypted"][m] / median["plain"][m] for m in median["plain"]}
    for kind, figures in median.items():
        print(f"{kind:>9}: write {figures['write_s']:.2f} s, read {figures['read_s']:.2f} s ({N} incidents)")
    print(
        f"overhead: write {ratio['write_s']:.2f}x, read {ratio['read_s']:.2f}x, total {ratio['total_s']:.2f}x"
    )
    print(
        f"one at a time ({SINGLE}): write {ratio['single_write_s']:.2f}x, "
        f"read {ratio['single_read_s']:.2f}x, total {ratio['single_total_s']:.2f}x"
    )
    print("target ≤ 1.5x total (10,000 incidents):", "met" if ratio["total_s"] <= 1.5 else "NOT met")
    save(
        "defenders_crypto",
        {
            "incidents": N,
            "single_record_cases": SINGLE,
            "runs": RUNS,
            "median_seconds": median,
            "overhead_ratio": ratio,
            "target_ratio": 1.5,
            "target_met": ratio["total_s"] <= 1.5,
        },
    )


if __name__ == "__main__":
    main()
