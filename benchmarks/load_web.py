"""Load benchmark on loopback: 50 concurrent clients over 200 different searches (text plus facets,
with facet counts) on the 33k database, against rightstrack's API, its search page, and Datasette
serving the same SQLite file with the same facets, in the same run. SQLite always; PostgreSQL when
RIGHTSTRACK_BENCH_POSTGRES_URL is set. Targets: >= 4x Datasette's throughput, p95 <= 250 ms at 50
clients, no errors, pages no more than 30% slower than the API.

Run: .venv/bin/python benchmarks/load_web.py [--seconds 15]   (needs wrk: apt-get install wrk;
Datasette: pip install -e .[bench])
"""

from __future__ import annotations

import json
import os
import shutil
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

from benchmarks.common import ROOT, require_shared_data, save
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


_WRK_SCRIPT = """
local urls = {%s}
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("offset", threads * 97)
end
init = function(args)
  i = offset or 0
end
request = function()
  i = i + 1
  return wrk.format("GET", urls[(i %% #urls) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK {\\"requests\\": %%d, \\"errors\\": %%d, \\"seconds\\": %%.2f, " ..
    "\\"p50_ms\\": %%.1f, \\"p95_ms\\": %%.1f}\\n",
    summary.requests, e.connect + e.read + e.write + e.status + e.timeout, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


def _load(base: str, urls: list[str], seconds: int) -> dict[str, Any]:
    """wrk (C, two threads, 50 connections) so that the load generator does not eat the CPU it measures."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_WRK_SCRIPT % ", ".join(json.dumps(u) for u in urls))
    command = ["wrk", "-t2", f"-c{CLIENTS}", f"-d{seconds}s", "--timeout", "10s", "-s", script.name, base]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    Path(script.name).unlink()
    figures: dict[str, Any] = json.loads(output.split("WRK ", 1)[1].splitlines()[0])
    figures["requests_per_second"] = round(figures["requests"] / figures["seconds"], 1)
    return figures


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
    seconds: int,
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    process = _serve(command, base + probe, env)
    try:
        for url in urls[:8]:  # warm-up: the workers build their facet indexes before the clock starts
            httpx.get(base + url, timeout=120)
        _load(base, urls[:4], 2)
        figures = _load(base, urls, seconds)
    finally:
        process.terminate()
        process.wait(timeout=20)
    print(f"{name:28} {figures}")
    return figures


def _datasette(datasette: str, path: Path, port: int, folder: str) -> list[str]:
    meta = Path(folder) / "metadata.json"
    table = {"recommendations_view": {"fts_table": "recommendations_fts", "fts_pk": "id"}}
    meta.write_text(json.dumps({"databases": {"bench": {"tables": table}}}))
    return [
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


def main() -> None:
    data = require_shared_data()
    if shutil.which("wrk") is None:
        sys.exit("this benchmark drives the servers with wrk: apt-get install wrk")
    seconds = int(sys.argv[sys.argv.index("--seconds") + 1]) if "--seconds" in sys.argv else 15
    rightstrack = str(Path(sys.executable).parent / "rightstrack")
    datasette = str(Path(sys.executable).parent / "datasette")
    figures: dict[str, Any] = {
        "clients": CLIENTS,
        "distinct_searches": 200,
        "facets_counted": list(FACETS),
        "load_generator": "wrk, 2 threads",
        "seconds_per_target": seconds,
    }
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        db = build(f"sqlite:///{path}", data)
        queries = make_queries(db)
        db.close()
        for q in queries:  # keep to the facets both servers can filter on
            q.filters = {k: v for k, v in q.filters.items() if k in DATASETTE_COLUMNS} or {
                "response": ["supported"]
            }
        port = _port()
        base = f"http://127.0.0.1:{port}"
        api, pages = urls_for(queries, "api"), urls_for(queries, "page")

        def serve(url: str, workers: int) -> list[str]:
            return [
                rightstrack,
                "--database-url",
                url,
                "serve",
                "--port",
                str(port),
                "--workers",
                str(workers),
            ]

        url = f"sqlite:///{path}"
        no_cache = {"RIGHTSTRACK_SEARCH_CACHE_SIZE": "0"}
        runs: list[tuple[str, str, list[str], str, list[str], dict[str, str]]] = [
            ("sqlite_api", "API, SQLite, 2 workers", serve(url, 2), "/api/v1/stats", api, {}),
            ("sqlite_pages", "pages, SQLite, 2 workers", serve(url, 2), "/api/v1/stats", pages, {}),
            (
                "sqlite_api_no_cache",
                "API, SQLite, 2 workers, no cache",
                serve(url, 2),
                "/api/v1/stats",
                api,
                no_cache,
            ),
            (
                "sqlite_pages_no_cache",
                "pages, 2 workers, no cache",
                serve(url, 2),
                "/api/v1/stats",
                pages,
                no_cache,
            ),
            (
                "sqlite_api_1_worker_no_cache",
                "API, 1 worker, no cache",
                serve(url, 1),
                "/api/v1/stats",
                api,
                no_cache,
            ),
            (
                "datasette",
                "Datasette (same file)",
                _datasette(datasette, path, port, folder),
                "/bench.json",
                urls_for(queries, "datasette"),
                {},
            ),
        ]
        for key, name, command, probe, urls, env in runs:
            figures[key] = run_target(name, command, base, probe, urls, seconds, env)
        pg_url = os.environ.get("RIGHTSTRACK_BENCH_POSTGRES_URL", "")
        if pg_url:
            from sqlalchemy import text

            from rightstrack.store.database import Database

            pg = Database(pg_url)
            with pg.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            pg.close()
            build(pg_url, data).close()
            for key, env in (("postgres_api", {}), ("postgres_api_no_cache", no_cache)):
                figures[key] = run_target(key, serve(pg_url, 2), base, "/api/v1/stats", api, seconds, env)
    ds_rps = figures["datasette"]["requests_per_second"]
    for key in [k for k in figures if k.endswith(("_api", "_pages", "_cache"))]:
        figures[key]["vs_datasette"] = round(figures[key]["requests_per_second"] / ds_rps, 2)
    figures["pages_slower_than_api_pct"] = round(
        100
        * (figures["sqlite_api"]["requests_per_second"] / figures["sqlite_pages"]["requests_per_second"] - 1),
        1,
    )
    figures["pages_slower_than_api_no_cache_pct"] = round(
        100
        * (
            figures["sqlite_api_no_cache"]["requests_per_second"]
            / figures["sqlite_pages_no_cache"]["requests_per_second"]
            - 1
        ),
        1,
    )
    figures["targets"] = {"throughput_vs_datasette": 4, "p95_ms": 250, "pages_slower_pct": 30}
    print(json.dumps({k: v for k, v in figures.items() if k.endswith("pct")}))
    save("load_web", figures)


if __name__ == "__main__":
    main()
