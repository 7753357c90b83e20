"""The four UPR Info exports, end to end: every row accounted for, counts checked independently.

The expected figures are computed here straight from the CSV files with the csv module, not through
rightstrack's importer, so a bug in the importer cannot hide itself.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rightstrack.demo import real_exports
from rightstrack.importing import import_file
from rightstrack.model.reference import ACTION_FAMILY, ISSUE_FAMILY
from rightstrack.report.stats import compute_stats
from rightstrack.store import schema
from rightstrack.store.database import Database
from tests.conftest import SHARED_DATA, needs_shared_data

pytestmark = pytest.mark.slow


def _independent_rows() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in real_exports(SHARED_DATA):
        text = path.read_bytes().decode("mac_roman")
        rows.extend(csv.DictReader(io.StringIO(text, newline="")))
    return rows


@pytest.fixture(scope="module")
def real_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, list[object]]]:
    needs_shared_data()
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('real') / 'real.db'}")
    db.init()
    summaries = [import_file(db, path, "upr-info") for path in real_exports(SHARED_DATA)]
    yield db, summaries  # type: ignore[misc]
    db.close()


def test_every_row_is_accounted_for(real_db: tuple[Database, list[object]]) -> None:
    _, summaries = real_db
    rows = _independent_rows()
    assert len(rows) == 33_082
    assert sum(s.rows_read for s in summaries) == len(rows)  # type: ignore[attr-defined]
    assert sum(s.created for s in summaries) == len(rows)  # type: ignore[attr-defined]
    assert all(not s.skipped for s in summaries)  # type: ignore[attr-defined]


def test_counts_per_session_response_and_issue(real_db: tuple[Database, list[object]]) -> None:
    db, _ = real_db
    rows = _independent_rows()
    with db.read() as conn:
        stats = compute_stats(conn)
    assert stats["recommendations"] == len(rows)
    assert stats["by_session"] == {
        k: v for k, v in sorted(Counter(r["Session"] for r in rows).items(), key=lambda kv: int(kv[0]))
    }
    expected_response = Counter({"Accepted": "supported", "Noted": "noted"}[r["Response"]] for r in rows)
    assert stats["by_response"] == dict(expected_response)
    expected_issues = Counter(i.strip() for r in rows for i in r["Issue"].split(",") if i.strip())
    assert stats["by_issue"] == dict(expected_issues)
    assert len(expected_issues) == 54


def test_all_issues_and_action_categories_are_tags(real_db: tuple[Database, list[object]]) -> None:
    db, _ = real_db
    with db.read() as conn:

        def count(family: str) -> int:
            return int(
                conn.scalar(
                    select(func.count()).select_from(schema.tags).where(schema.tags.c.family == family)
                )
                or 0
            )

        assert count(ISSUE_FAMILY) == 54
        assert count(ACTION_FAMILY) == 5
        per_action = dict(
            conn.execute(
                select(schema.tags.c.name, func.count())
                .select_from(schema.recommendation_tags.join(schema.tags))
                .where(schema.tags.c.family == ACTION_FAMILY)
                .group_by(schema.tags.c.name)
            ).all()
        )
    expected = Counter(r["Action"] for r in _independent_rows())
    assert {name[0]: n for name, n in per_action.items()} == dict(expected)


def test_reimport_changes_nothing(real_db: tuple[Database, list[object]]) -> None:
    db, _ = real_db
    generation = db.generation()
    path = real_exports(SHARED_DATA)[0]
    summary = import_file(db, path, "upr-info")
    assert summary.created == summary.updated == 0
    assert summary.unchanged == summary.rows_read
    assert db.generation() == generation + 1  # one (empty) write transaction, nothing else


def test_the_unknown_recommender_is_reported(real_db: tuple[Database, list[object]]) -> None:
    _, summaries = real_db
    reported = Counter()  # type: Counter[str]
    for s in summaries:
        reported.update(s.non_state_recommenders)  # type: ignore[attr-defined]
    assert reported == {"(unknown)": 9}


def test_sqlite_file_is_readable_with_sqlite_utils(real_db: tuple[Database, list[object]]) -> None:
    sqlite_utils = pytest.importorskip("sqlite_utils")
    db, _ = real_db
    assert db.url.database is not None
    readable = sqlite_utils.Database(Path(db.url.database))
    assert {"recommendations", "states", "reviews", "tags"} <= set(readable.table_names())
    assert "recommendations_view" in readable.view_names()
    row = next(readable.query("select * from recommendations_view where state_alpha3 = 'USA' limit 1"))
    assert row["state_under_review"] == "United States of America" and row["recommending_states"]
    assert readable["recommendations"].count == 33_082
