"""How tracking scales: a workspace taking on 500 and then 5,000 real recommendations.

Writes commitments (each with a measure and two assessments) through the library's write path —
one transaction each, with revisions and audit events, as the web app does — then times the
dashboard (standings of every commitment, status by theme / actor / cycle, due and overdue) and
one commitment's detail. No baseline is named for these; the figures are absolute.
Run: ``.venv/bin/python benchmarks/tracking_dashboard.py [--postgres URL]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select, text

from benchmarks.common import require_shared_data, save
from rightstrack.auth.accounts import create_user
from rightstrack.auth.roles import Role
from rightstrack.followup.access import workspace_access
from rightstrack.followup.api import commitment_detail
from rightstrack.followup.commitments import add_commitment_in, add_measure_in
from rightstrack.followup.model import (
    AssessmentCreate,
    AssessorType,
    CommitmentCreate,
    ImplementationStatus,
    MeasureCreate,
    WorkspaceCreate,
    WorkspaceKind,
)
from rightstrack.followup.progress import add_assessment
from rightstrack.followup.status import dashboard
from rightstrack.followup.workspaces import create_workspace
from rightstrack.importing import import_file
from rightstrack.store import schema
from rightstrack.store.database import Database

SIZES = (500, 5_000)
STATUSES = list(ImplementationStatus)


def _timed(fn: Any, runs: int = 5) -> dict[str, float]:
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - start)
    return {"median_ms": round(statistics.median(seconds) * 1000, 1), "min_ms": round(min(seconds) * 1000, 1)}


def _fill(db: Database, slug: str, ids: list[int], admin: Any) -> dict[str, float]:
    create_workspace(db, WorkspaceCreate(slug=slug, name=slug, kind=WorkspaceKind.COALITION), by=admin)
    with db.read() as conn:
        access = workspace_access(conn, slug, admin)
    start = time.perf_counter()
    for i, rec_id in enumerate(ids):
        with db.transaction() as conn:
            commitment = add_commitment_in(conn, access, CommitmentCreate(recommendation_id=rec_id))
            due = date(2026, 1, 1) + timedelta(days=i % 400)
            add_measure_in(conn, access, commitment, MeasureCreate(title=f"Measure {i}", due_on=due))
    written = time.perf_counter() - start
    start = time.perf_counter()
    for i in range(len(ids)):
        if i % 2:
            continue
        for kind, status in (
            (AssessorType.GOVERNMENT, STATUSES[i % 3]),
            (AssessorType.CIVIL_SOCIETY, STATUSES[(i + 1) % 3]),
        ):
            add_assessment(
                db,
                access,
                _commitment_id(db, access.id, ids[i]),
                AssessmentCreate(
                    assessor_type=kind,
                    assessor="bench",
                    status=status,
                    assessed_on=date(2026, 2, 1),
                    source="bench",
                ),
            )
    assessed = time.perf_counter() - start
    return {
        "commitments_with_measure_per_s": round(len(ids) / written, 1),
        "assessments_per_s": round(len(ids) / assessed, 1),
    }


def _commitment_id(db: Database, workspace_id: int, rec_id: int) -> int:
    from rightstrack.followup.schema import fu_commitments

    with db.read() as conn:
        return int(
            conn.scalar(
                select(fu_commitments.c.id).where(
                    fu_commitments.c.workspace_id == workspace_id,
                    fu_commitments.c.recommendation_id == rec_id,
                )
            )
        )


def run(url: str, data: Path) -> dict[str, Any]:
    db = Database(url)
    db.init()
    for name in ("10-13.csv", "14-17.csv"):
        import_file(db, data / "upr-info" / name)
    admin = create_user(db, "bench-admin", "a long enough password", Role.ADMIN)
    with db.read() as conn:
        ids = [
            int(i)
            for i in conn.scalars(select(schema.recommendations.c.id).order_by(schema.recommendations.c.id))
        ]
    figures: dict[str, Any] = {}
    for size in SIZES:
        slug = f"bench-{size}"
        writes = _fill(db, slug, ids[:size], admin)
        with db.read() as conn:
            access = workspace_access(conn, slug, admin)
            some = _commitment_id(db, access.id, ids[size // 2])
            figures[str(size)] = writes | {
                "dashboard": _timed(lambda a=access: dashboard(conn, a, date(2026, 6, 1)), runs=3),
                "commitment_detail": _timed(lambda a=access, c=some: commitment_detail(conn, a, c)),
            }
        print(size, figures[str(size)], flush=True)
    db.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", default="", help="also run on this PostgreSQL database (emptied first)")
    args = parser.parse_args()
    data = require_shared_data()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        results["sqlite"] = run(f"sqlite:///{folder}/bench.db", data)
    if args.postgres:
        from sqlalchemy import create_engine

        engine = create_engine(args.postgres)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
        results["postgresql"] = run(args.postgres, data)
    save("tracking_dashboard", {"sizes": list(SIZES), "data": "UPR Info sessions 10-17", "results": results})


if __name__ == "__main__":
    main()
