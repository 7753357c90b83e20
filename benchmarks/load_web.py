"""Load benchmark on loopback: 50 concurrent clients over 200 different searches (text plus facets,
with facet counts) on the 33k database, against rightstrack's API, its search page, and Datasette
serving the same SQLite file with the same facets, in the same run. SQLite always; PostgreSQL when
RIGHTSTRACK_BENCH_POSTGRES_URL is set. Targets: >= 4x Datasette's throughput, p95 <= 250 ms at 50
clients, no errors, pages no more than 30% slower than the API.

Run: .venv/bin/python benchmarks/load_web.py [--requests 1500]
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

from benchmarks.common import ROOT, percentile, require_shared_data, save
from benchmarks.search_speed import build, make_queries
from rightstrack.store.search import SearchRequest

CLIENTS = 50
# Datasette facets on columns of recommendations_view; rightstrack's names for the same columns.
DATASETTE_COLUMNS = {
    "state": "state_alpha3",
    "response": "response",
    "session": "session",
    "cycle": "cycle",
    "year": "year",
}
FACETS = ("state", "response", "session")


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"server for {url} exited early")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    sys.exit(f"server for {url} did not start")


def urls_for(queries: list[SearchRequest], kind: str) -> list[str]:
    out = []
    for q in queries:
        filters = [(k, v) for k, vs in q.filters.items() if k in DATASETTE_COLUMNS for v in vs]
        if kind == "datasette":
            params = [
                ("_search", q.q),
                ("_size", "20"),
                *((DATASETTE_COLUMNS[k], v) for k, v in filters),
                *(("_facet", DATASETTE_COLUMNS[f]) for f in FACETS),
            ]
            out.append("/bench/recommendations_view.json?" + urlencode(params))
        else:
            params = [("q", q.q), *filters, *(("facet", f) for f in FACETS)]
            out.append(("/api/v1/search?" if kind == "api" else "/?") + urlencode(params))
    return out


async def _load(base: str, urls: list[str], total: int) -> dict[str, Any]:
    timings: list[float] = []
    errors = 0
    counter = iter(range(total))
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:

        async def worker() -> None:
            nonlocal errors
            for n in counter:
                started = time.perf_counter()
                try:
                    response = await client.get(urls[n % len(urls)])
                    if response.status_code != 200:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                timings.append((time.perf_counter() - started) * 1000)

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CLIENTS)))
        elapsed = time.perf_counter() - began
    return {
        "requests": total,
        "errors": errors,
        "seconds": round(elapsed, 2),
        "requests_per_second": round(total / elapsed, 1),
        "p50_ms": round(percentile(timings, 0.5), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
    }


def _serve(command: list[str], url: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait(url, process)
    return process


def run_target(
    name: str,
    command: list[str],
    base: str,
    probe: str,
    urls: list[str],
    total: int,
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    process = _serve(command, base + probe, env)
    try:
        asyncio.run(_load(base, urls[:CLIENTS], CLIENTS))  # warm-up (facet index, caches)
        figures = asyncio.run(_load(base, urls, total))
    finally:
        process.terminate()
        process.wait(timeout=20)
    print(f"{name:28} {figures}")
    return figures


def main() -> None:
    data = require_shared_data()
    total = int(sys.argv[sys.argv.index("--requests") + 1]) if "--requests" in sys.argv else 1500
    rightstrack = str(Path(sys.executable).parent / "rightstrack")
    datasette = str(Path(sys.executable).parent / "datasette")
    figures: dict[str, Any] = {"clients": CLIENTS, "distinct_searches": 200, "facets_counted": list(FACETS)}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        db = build(f"sqlite:///{path}", data)
        queries = make_queries(db)
        db.close()
        for q in queries:  # keep to the facets both servers can filter on
            q.filters = {k: v for k, v in q.filters.items() if k in DATASETTE_COLUMNS} or {
                "response": ["supported"]
            }
        url = f"sqlite:///{path}"
        port = _port()
        base = f"http://127.0.0.1:{port}"
        serve = [rightstrack, "--database-url", url, "serve", "--port", str(port)]
        figures["sqlite_api"] = run_target(
            "rightstrack API (SQLite)", serve, base, "/api/v1/stats", urls_for(queries, "api"), total
        )
        figures["sqlite_pages"] = run_target(
            "rightstrack pages (SQLite)", serve, base, "/api/v1/stats", urls_for(queries, "page"), total
        )
        meta = Path(folder) / "metadata.json"
        meta.write_text(
            json.dumps(
                {
                    "databases": {
                        "bench": {
                            "tables": {
                                "recommendations_view": {"fts_table": "recommendations_fts", "fts_pk": "id"}
                            }
                        }
                    }
                }
            )
        )
        ds = [
            datasette,
            str(path),
            "--port",
            str(port),
            "--metadata",
            str(meta),
            "--setting",
            "suggest_facets",
            "off",
            "--setting",
            "default_cache_ttl",
            "0",
        ]
        figures["datasette"] = run_target(
            "Datasette 0.65 (same file)", ds, base, "/bench.json", urls_for(queries, "datasette"), total
        )
        pg_url = os.environ.get("RIGHTSTRACK_BENCH_POSTGRES_URL", "")
        if pg_url:
            from sqlalchemy import text

            from rightstrack.store.database import Database

            pg = Database(pg_url)
            with pg.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            build(pg_url, data).close()
            serve_pg = [rightstrack, "--database-url", pg_url, "serve", "--port", str(port)]
            figures["postgres_api"] = run_target(
                "rightstrack API (PostgreSQL)",
                serve_pg,
                base,
                "/api/v1/stats",
                urls_for(queries, "api"),
                total,
            )
    api, pages, ds_figures = figures["sqlite_api"], figures["sqlite_pages"], figures["datasette"]
    figures["throughput_vs_datasette"] = round(
        api["requests_per_second"] / ds_figures["requests_per_second"], 2
    )
    figures["pages_slower_than_api_pct"] = round(
        100 * (api["requests_per_second"] / pages["requests_per_second"] - 1), 1
    )
    figures["targets"] = {"throughput_vs_datasette": 4, "p95_ms": 250, "pages_slower_pct": 30}
    print(
        f"throughput vs Datasette: {figures['throughput_vs_datasette']}x; "
        f"pages slower than API: {figures['pages_slower_than_api_pct']}%"
    )
    save("load_web", figures)


if __name__ == "__main__":
    main()
