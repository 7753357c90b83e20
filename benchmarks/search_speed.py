"""Benchmark (b): 200 mixed queries (text plus 1-3 facets, with facet counts) on the 33k database and
on a 10x scale-up (330k rows), p50 and p95, beside the bare FTS5 query through sqlite3 in the same
run; the same queries on PostgreSQL when RIGHTSTRACK_BENCH_POSTGRES_URL is set.
Targets: p95 <= 30 ms at 33k and <= 100 ms at 330k.

Run: .venv/bin/python benchmarks/search_speed.py [--skip-scale]
"""

from __future__ import annotations

import os
import random
import re
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text

from benchmarks.common import percentile, require_shared_data, save
from rightstrack.demo import real_exports
from rightstrack.importing import import_file
from rightstrack.store.database import Database
from rightstrack.store.fulltext import parse_query, to_fts5
from rightstrack.store.search import SearchRequest, search

FACETS = (
    "state",
    "response",
    "session",
    "upr_issue",
    "recommending_group",
    "state_group",
    "upr_action",
    "recommending_state",
    "cycle",
    "year",
)
PHRASES = (
    "human rights",
    "death penalty",
    "domestic violence",
    "rights of the child",
    "freedom of expression",
    "national human rights institution",
)


def make_queries(
    db: Database, count: int = 200, seed: int = 7, facets: tuple[str, ...] = FACETS
) -> list[SearchRequest]:
    """Text drawn from the corpus vocabulary (mid-frequency words, some phrases and prefixes) plus 1-3
    facet filters whose values come from the facet counts of the whole database."""
    rng = random.Random(seed)
    everything = search(db, SearchRequest(page_size=1, facet_size=60))
    with db.read() as conn:
        words = Counter(
            w
            for t in conn.scalars(text("SELECT text FROM recommendations"))
            for w in re.findall(r"[a-z]{4,}", t.lower())
        )
    vocabulary = [w for w, _ in words.most_common(600)[20:]]
    queries = []
    for _ in range(count):
        shape = rng.random()
        if shape < 0.6:
            q = rng.choice(vocabulary)
        elif shape < 0.8:
            q = f"{rng.choice(vocabulary)} {rng.choice(vocabulary)}"
        elif shape < 0.9:
            q = rng.choice(vocabulary)[:5] + "*"
        else:
            q = '"' + rng.choice(PHRASES) + '"'
        filters: dict[str, list[str]] = {}
        for name in rng.sample(facets, rng.randint(1, 3)):
            values = everything["facets"][name]
            filters[name] = [rng.choice(values[: max(1, min(len(values), 15))])["value"]]
        queries.append(SearchRequest(q=q, filters=filters, page_size=20))
    return queries


def time_rightstrack(db: Database, queries: list[SearchRequest]) -> dict[str, float]:
    search(db, queries[0])  # build the facet index once, as a running server would have it
    timings = []
    totals = []
    for query in queries:
        started = time.perf_counter()
        result = search(db, query)
        timings.append((time.perf_counter() - started) * 1000)
        totals.append(result["total"])
    return _figures(timings) | {"mean_matches": round(sum(totals) / len(totals), 1)}


def time_bare_fts5(path: str, queries: list[SearchRequest]) -> dict[str, float]:
    conn = sqlite3.connect(path)
    timings = []
    for query in queries:
        started = time.perf_counter()
        conn.execute(
            "SELECT rowid FROM recommendations_fts WHERE recommendations_fts MATCH ?",
            (to_fts5(parse_query(query.q)),),
        ).fetchall()
        timings.append((time.perf_counter() - started) * 1000)
    conn.close()
    return _figures(timings)


def _figures(timings: list[float]) -> dict[str, float]:
    return {
        "queries": len(timings),
        "p50_ms": round(percentile(timings, 0.5), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "max_ms": round(max(timings), 2),
    }


def scale_up(db: Database, factor: int) -> None:
    """Copy every recommendation (with recommenders, tags and sources) factor-1 more times, in SQL."""
    with db.transaction() as conn:
        top = int(conn.scalar(text("SELECT max(id) FROM recommendations")) or 0)
        for k in range(1, factor):
            offset = k * top
            conn.execute(
                text(
                    "INSERT INTO recommendations (id, review_id, fingerprint, paragraph, text, response, "
                    "response_source, topic, created_at, updated_at) "
                    "SELECT id + :o, review_id, fingerprint || :s, "
                    "paragraph, text, response, response_source, topic, created_at, updated_at "
                    "FROM recommendations WHERE id <= :top"
                ),
                {"o": offset, "s": f"-{k}", "top": top},
            )
            for table, columns in (
                ("recommenders", "position, state, name, kind"),
                (
                    "recommendation_tags",
                    "tag_id, provenance, model, model_version, confidence, confirmed_by, updated_at",
                ),
            ):
                conn.execute(
                    text(
                        f"INSERT INTO {table} (recommendation_id, {columns}) "
                        f"SELECT recommendation_id + :o, {columns} "
                        f"FROM {table} WHERE recommendation_id <= :top"
                    ),
                    {"o": offset, "top": top},
                )


def build(url: str, data: Path) -> Database:
    db = Database(url)
    db.init()
    for path in real_exports(data):
        import_file(db, path, "upr-info")
    return db


def main() -> None:
    data = require_shared_data()
    figures: dict[str, Any] = {"targets": {"p95_ms_33k": 30, "p95_ms_330k": 100}}
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "bench.db")
        db = build(f"sqlite:///{path}", data)
        queries = make_queries(db)
        figures["sample_queries"] = [{"q": q.q, "filters": q.filters} for q in queries[:5]]
        figures["sqlite_33k"] = {
            "rightstrack_search": time_rightstrack(db, queries),
            "bare_fts5_sqlite3": time_bare_fts5(path, queries),
        }
        print("sqlite 33k ", figures["sqlite_33k"])
        if "--skip-scale" not in sys.argv:
            started = time.perf_counter()
            scale_up(db, 10)
            figures["scale_up_seconds"] = round(time.perf_counter() - started, 1)
            figures["sqlite_330k"] = {
                "rightstrack_search": time_rightstrack(db, queries),
                "bare_fts5_sqlite3": time_bare_fts5(path, queries),
            }
            print("sqlite 330k", figures["sqlite_330k"])
        db.close()
    pg_url = os.environ.get("RIGHTSTRACK_BENCH_POSTGRES_URL", "")
    if pg_url:
        pg = Database(pg_url)
        with pg.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        pg = build(pg_url, data)
        figures["postgres_33k"] = {"rightstrack_search": time_rightstrack(pg, queries)}
        print("postgres 33k", figures["postgres_33k"])
        pg.close()
    ours = figures["sqlite_33k"]["rightstrack_search"]["p95_ms"]
    figures["target_met_33k"] = ours <= 30
    if "sqlite_330k" in figures:
        figures["target_met_330k"] = figures["sqlite_330k"]["rightstrack_search"]["p95_ms"] <= 100
    save("search_speed", figures)


if __name__ == "__main__":
    main()
