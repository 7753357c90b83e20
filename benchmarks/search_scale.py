"""Benchmark: faceted search at the scale of the whole UN record (~330k recommendations, UHRI-like
text lengths; see scale_data.py), on SQLite and on PostgreSQL, by query kind.

Each kind is timed through ``search`` (what the web pages and the API call) with the result cache
off, so every figure is a computed search, beside the bare full-text match in the same process
(sqlite3 / psycopg: the ids of every match, nothing else). Target: p95 <= 100 ms on SQLite.

Run: .venv/bin/python benchmarks/search_scale.py --label before|after [--reuse] [--engines sqlite,postgres]
PostgreSQL is measured when RIGHTSTRACK_BENCH_POSTGRES_URL names a database it may empty.
--reuse keeps the SQLite file in /tmp/rightstrack-bench and the PostgreSQL database between runs.
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text

from benchmarks import search_speed
from benchmarks.common import RESULTS, percentile, require_shared_data, save
from benchmarks.scale_data import build, row_count
from rightstrack.store.database import Database
from rightstrack.store.fulltext import parse_query, to_fts5, to_tsquery
from rightstrack.store.search import SearchRequest, facet_index, result_cache, search

NOTES = (
    "Cold: every kind but *_warm forgets the match sets and ranked tops kept per text before each query; "
    "the result cache is off throughout. bare_fulltext: the engine's match of the text with every id "
    "fetched through the driver (no facets, no ranking, no records). 'before' ran the code of main "
    "(63603db), 'after' this branch, back to back on the same databases; the *_repeat pair ran in the "
    "other order. The machine (2 cores) was shared with two other engineers' work: figures moved by "
    "up to a third between runs, as the bare figures show. PostgreSQL: default settings "
    "(shared_buffers 128 MB against a 331 MB table), VACUUM ANALYZE after the bulk load."
)
EXTRA_ROWS = 297_000
TARGET_P95_MS = 100
PER_KIND = 20
DEEP_PAGE = 100
PHRASES = (
    *search_speed.PHRASES,
    "persons with disabilities",
    "violence against women",
    "freedom of religion",
    "torture and other cruel",
)


def _vocabulary(db: Database, rng: random.Random) -> tuple[list[str], list[str], list[str]]:
    """Common (5-40 % of rows), middling (0.2-2 %) and rare (a few rows) words, from a sample."""
    with db.read() as conn:
        texts = list(conn.scalars(text("SELECT text FROM recommendations ORDER BY id")))
    sample = rng.sample(texts, 20_000)
    df = Counter(w for t in sample for w in set(re.findall(r"[a-z]{4,}", t.lower())))
    share = {w: n / len(sample) for w, n in df.items()}
    common = sorted(w for w, s in share.items() if 0.05 <= s <= 0.4)
    middling = sorted(w for w, s in share.items() if 0.002 <= s <= 0.02)
    rare = sorted(w for w, n in df.items() if n == 1)
    return common, middling, rare


def _filters(rng: random.Random, top: dict[str, list[str]], count: int) -> dict[str, list[str]]:
    names = rng.sample(sorted(top), count)
    return {name: [rng.choice(top[name])] for name in names}


def make_queries(db: Database, seed: int = 7) -> dict[str, list[SearchRequest]]:
    rng = random.Random(seed)
    common, middling, rare = _vocabulary(db, rng)
    everything = search(db, SearchRequest(page_size=1, facet_size=40))["facets"]
    top = {
        name: [v["value"] for v in everything[name][:15]]
        for name in ("mechanism", "state", "year", "response", "uhri_theme", "affected_persons", "sdg")
        if everything.get(name)
    }
    # Each kind draws its own words: a word met again would be a warmer search than a visitor's first.
    words = iter(rng.sample(common, 4 * PER_KIND))
    broad = {k: v for k, v in top.items() if k in ("mechanism", "year", "response", "uhri_theme")}
    first = [next(words) for _ in range(PER_KIND)]
    return {
        "common_word": [SearchRequest(q=w) for w in first],
        "common_word_newest": [SearchRequest(q=next(words), sort="newest") for _ in range(PER_KIND)],
        "common_word_deep_page": [SearchRequest(q=next(words), page=DEEP_PAGE) for _ in range(PER_KIND)],
        "common_word_and_facet": [
            SearchRequest(q=next(words), filters=_filters(rng, top, 1)) for _ in range(PER_KIND)
        ],
        # Warm: the words just searched, narrowed by a facet and paged, as a visitor goes on.
        "common_word_refined_warm": [
            SearchRequest(q=w, filters=_filters(rng, broad, 1), page=2) for w in first
        ],
        "rare_word": [SearchRequest(q=w) for w in rng.sample(rare, PER_KIND)],
        "phrase": [SearchRequest(q=f'"{p}"') for p in PHRASES]
        + [SearchRequest(q=f'"{p}"', sort="newest") for p in PHRASES],
        "word_and_facets": [
            SearchRequest(q=rng.choice(middling), filters=_filters(rng, broad, 2)) for _ in range(PER_KIND)
        ],
        "filters_only": [
            SearchRequest(filters=_filters(rng, top, rng.randint(1, 3))) for _ in range(PER_KIND)
        ],
        "filters_only_deep_page": [
            SearchRequest(filters=_filters(rng, top, 1), page=DEEP_PAGE // 4) for _ in range(PER_KIND)
        ],
    }


def _figures(timings: list[float]) -> dict[str, float]:
    return {
        "queries": len(timings),
        "p50_ms": round(percentile(timings, 0.5), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "max_ms": round(max(timings), 1),
    }


def _timed(run: Callable[[SearchRequest], int], queries: list[SearchRequest]) -> tuple[list[float], int]:
    timings, matches = [], 0
    for query in queries:
        started = time.perf_counter()
        matches += run(query)
        timings.append((time.perf_counter() - started) * 1000)
    return timings, matches // max(1, len(queries))


def bare_fulltext(db: Database) -> Callable[[SearchRequest], int]:
    """The engine's own match of the query text, every id fetched: the floor for a text search."""
    raw = db.engine.raw_connection()
    if db.dialect == "sqlite":
        sql, render = "SELECT rowid FROM recommendations_fts WHERE recommendations_fts MATCH ?", to_fts5
    else:
        sql = "SELECT id FROM recommendations WHERE search_vector @@ to_tsquery('english', %s)"
        render = to_tsquery

    def run(query: SearchRequest) -> int:
        cursor = raw.cursor()
        cursor.execute(sql, (render(parse_query(query.q)),))
        found = len(cursor.fetchall())
        cursor.close()
        return found

    return run


def _cold(db: Database, query: SearchRequest) -> int:
    # A visitor's first search of a text: nothing of an earlier search of it is kept (match sets
    # and ranked tops are kept per text for the write generation; see store/search.py).
    for part in ("text_matches", "ranked_tops"):
        db.cache.pop(part, None)
    return search(db, query)["total"]


def _warm(db: Database, query: SearchRequest) -> int:
    return search(db, query)["total"]


def measure(db: Database, kinds: dict[str, list[SearchRequest]]) -> dict[str, Any]:
    db.cache.pop("facets", None)  # built by make_queries' searches: time a build of its own
    started = time.perf_counter()
    with db.read() as conn:
        facet_index(db, conn)
    out: dict[str, Any] = {"facet_index_build_ms": round((time.perf_counter() - started) * 1000)}
    result_cache(db).size = 0  # every query below is computed, none served from the cache
    bare, everything = bare_fulltext(db), []
    for kind, queries in kinds.items():
        run = _warm if kind.endswith("_warm") else _cold
        if run is _warm:
            for query in queries:  # what the visitor searched just before: the text alone
                search(db, SearchRequest(q=query.q))
        timings, matches = _timed(partial(run, db), queries)
        everything += timings
        row: dict[str, Any] = {"rightstrack": _figures(timings), "mean_matches": matches}
        if queries[0].q:
            base, _ = _timed(bare, queries)
            row["bare_fulltext"] = _figures(base)
            row["p95_ratio"] = round(
                row["rightstrack"]["p95_ms"] / max(0.01, row["bare_fulltext"]["p95_ms"]), 1
            )
        out[kind] = row
        print(f"  {kind:24} {row['rightstrack']}  matches~{matches}  bare {row.get('bare_fulltext')}")
    out["all_queries"] = _figures(everything)
    out["target_met"] = out["all_queries"]["p95_ms"] <= TARGET_P95_MS
    print(f"  {'all':24} {out['all_queries']}")
    return out


def open_sqlite(data: Path, reuse: bool) -> Database:
    folder = Path("/tmp/rightstrack-bench")
    folder.mkdir(exist_ok=True)
    path = folder / "scale.db"
    if reuse and path.exists():
        return Database(f"sqlite:///{path}")
    for stale in folder.glob("scale.db*"):
        stale.unlink()
    return build(f"sqlite:///{path}", data, EXTRA_ROWS)


def open_postgres(url: str, data: Path, reuse: bool) -> Database:
    db = Database(url)
    try:
        if reuse and row_count(db) > EXTRA_ROWS:
            return db
    except Exception:  # an empty database has no tables yet
        pass
    with db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    db.close()
    db = build(url, data, EXTRA_ROWS)
    # What autovacuum does within a minute of a bulk load: planner statistics and the visibility
    # map; without them the first searches set hint bits on every page they read.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    return db


def main() -> None:
    data = require_shared_data()
    label = sys.argv[sys.argv.index("--label") + 1] if "--label" in sys.argv else "latest"
    reuse = "--reuse" in sys.argv
    engines = (
        sys.argv[sys.argv.index("--engines") + 1].split(",")
        if "--engines" in sys.argv
        else ["sqlite", "postgres"]
    )
    pg_url = os.environ.get("RIGHTSTRACK_BENCH_POSTGRES_URL", "")
    previous = RESULTS / "search_scale.json"
    figures: dict[str, Any] = json.loads(previous.read_text()) if previous.exists() else {}
    figures.pop("measured_at", None), figures.pop("python", None), figures.pop("machine", None)
    figures["target_p95_ms"] = TARGET_P95_MS
    figures["notes"] = NOTES
    run = figures.setdefault("runs", {}).setdefault(label, {})
    for engine in engines:
        if engine == "postgres" and not pg_url:
            print("postgres skipped: RIGHTSTRACK_BENCH_POSTGRES_URL is not set")
            continue
        started = time.perf_counter()
        db = open_sqlite(data, reuse) if engine == "sqlite" else open_postgres(pg_url, data, reuse)
        if not reuse:
            figures.setdefault("build_seconds", {})[engine] = round(time.perf_counter() - started, 1)
        rows = row_count(db)
        print(f"{engine}: {rows} recommendations")
        kinds = make_queries(db)
        run[engine] = {"rows": rows, **measure(db, kinds)}
        figures["sample_queries"] = {
            k: [{"q": q.q, "filters": q.filters, "sort": q.sort, "page": q.page} for q in v[:2]]
            for k, v in kinds.items()
        }
        db.close()
    save("search_scale", figures)


if __name__ == "__main__":
    main()
