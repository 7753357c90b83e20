"""Benchmark: importing a 300,000-row UHRI export (synthetic, benchmarks/uhri_export.py) into a
database that already holds the four UPR Info CSVs (~330k recommendations in all), then faceted
search on the result, on SQLite and on PostgreSQL.

Reported: the XLSX readers compared (python-calamine, openpyxl read-only), import rows/s (state
resolution, matching and tags included; each import runs in a fresh child process so that its peak
RSS is its own; it then imports the same file again, which must change nothing), and the p50 /
p95 of 200 mixed queries that also filter by the mechanism and body facets. Targets: >= 10,000
rows/s, search p95 <= 100 ms.

Run: .venv/bin/python benchmarks/uhri_import.py [--rows N] [--pg-rows N]
PostgreSQL runs when RIGHTSTRACK_BENCH_POSTGRES_URL is set (a fresh schema, dropped afterwards).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from itertools import islice
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text

from benchmarks.common import ROOT, require_shared_data, save
from benchmarks.search_speed import FACETS, make_queries, time_rightstrack
from benchmarks.uhri_export import export
from rightstrack.store.database import Database

CHILD = """
import json, os, sys, time
from pathlib import Path
from benchmarks.uhri_import import watch_readers
readers = watch_readers(os.getpid())
from rightstrack.demo import real_exports
from rightstrack.importing import import_file
from rightstrack.store.database import Database
db = Database(sys.argv[3])
db.init()
started = time.perf_counter()
base = sum(import_file(db, p, "upr-info", link_cycles=False).created for p in real_exports(Path(sys.argv[1])))
base_seconds = time.perf_counter() - started
started = time.perf_counter()
summary = import_file(db, Path(sys.argv[2]), "uhri", link_cycles=False)
seconds = time.perf_counter() - started
started = time.perf_counter()
again = import_file(db, Path(sys.argv[2]), "uhri", link_cycles=False)
print(json.dumps({"upr_info_rows": base, "upr_info_seconds": base_seconds, "rows": summary.rows_read,
                  "created": summary.created, "updated": summary.updated, "seconds": seconds,
                  "reimport_seconds": time.perf_counter() - started, "reader_peak_rss_mib": readers(),
                  "reimport_created_updated": [again.created, again.updated]}))
"""
SEARCH_FACETS = (*FACETS, "mechanism", "body", "uhri_theme", "affected_persons", "sdg")


def compare_readers(path: Path, rows: int = 30_000) -> dict[str, Any]:
    """Rows per second of each reader: python-calamine over the whole sheet (it loads all of it
    before the first row), openpyxl's streaming read-only mode over the first ``rows`` rows."""
    from openpyxl import load_workbook
    from python_calamine import CalamineWorkbook

    figures: dict[str, Any] = {}
    started = time.perf_counter()
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    count = sum(1 for _ in sheet.iter_rows())
    figures["python_calamine_rows_per_second"] = round(count / (time.perf_counter() - started))
    del sheet
    started = time.perf_counter()
    book = load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _ in islice(book.worksheets[0].iter_rows(values_only=True), rows))
    figures["openpyxl_read_only_rows_per_second"] = round(count / (time.perf_counter() - started))
    book.close()
    figures["openpyxl_rows_timed"] = rows
    return figures


def watch_readers(root: int) -> Any:
    """Poll the peak RSS (VmHWM) of the importing process's descendants: the reading process runs
    under the forkserver, so neither wait4 nor RUSAGE_CHILDREN of the importer ever sees it."""
    peak = [0]

    def parent_of(pid: str) -> int:
        with open(f"/proc/{pid}/stat") as handle:
            return int(handle.read().rsplit(")", 1)[1].split()[1])

    def descendants() -> list[str]:
        found, parents = [], {root}
        for _ in range(3):  # importer -> forkserver -> reader
            for pid in (p for p in os.listdir("/proc") if p.isdigit()):
                try:
                    if parent_of(pid) in parents and int(pid) not in parents:
                        parents.add(int(pid))
                        found.append(pid)
                except (OSError, ValueError, IndexError):
                    continue
        return found

    def poll() -> None:
        while True:
            for pid in descendants():
                try:
                    with open(f"/proc/{pid}/status") as handle:
                        for line in handle:
                            if line.startswith("VmHWM:"):
                                peak[0] = max(peak[0], int(line.split()[1]))
                except OSError:
                    continue
            time.sleep(0.5)

    threading.Thread(target=poll, daemon=True).start()
    return lambda: round(peak[0] / 1024, 1)


def run_import(data: Path, export_path: Path, url: str) -> dict[str, Any]:
    process = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data), str(export_path), url], stdout=subprocess.PIPE, cwd=ROOT
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        sys.exit(f"benchmark child failed with status {status}")
    figures: dict[str, Any] = json.loads(output.decode().strip().splitlines()[-1])
    figures["rows_per_second"] = round(figures["rows"] / figures["seconds"])
    figures["seconds"] = round(figures["seconds"], 1)
    figures["upr_info_seconds"] = round(figures["upr_info_seconds"], 1)
    figures["reimport_seconds"] = round(figures["reimport_seconds"], 1)
    figures["peak_rss_mib"] = round(usage.ru_maxrss / 1024, 1)
    # The machine is shared: CPU seconds say what the import costs when it has a core to itself
    # (they include the UPR Info import and process start-up, so they overstate the UHRI part).
    figures["child_cpu_seconds"] = round(usage.ru_utime + usage.ru_stime, 1)
    return figures


def measure(url: str, data: Path, export_path: Path) -> dict[str, Any]:
    figures: dict[str, Any] = {"import": run_import(data, export_path, url)}
    print("import", figures["import"])
    db = Database(url)
    try:
        started = time.perf_counter()
        queries = make_queries(db, facets=SEARCH_FACETS)
        figures["sample_queries"] = [{"q": q.q, "filters": q.filters} for q in queries[:5]]
        figures["search"] = time_rightstrack(db, queries)
        figures["search"]["facet_index_and_queries_seconds"] = round(time.perf_counter() - started, 1)
        print("search", figures["search"])
    finally:
        db.close()
    return figures


def on_postgres(base_url: str, data: Path, export_path: Path) -> dict[str, Any]:
    schema_name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base_url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema_name}"))
    separator = "&" if "?" in base_url else "?"
    try:
        return measure(f"{base_url}{separator}options=-csearch_path%3D{schema_name}", data, export_path)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema_name} CASCADE"))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--pg-rows", type=int, default=300_000)
    args = parser.parse_args()
    data = require_shared_data()
    started = time.perf_counter()
    export_path = export(args.rows)
    figures: dict[str, Any] = {
        "what": f"UHRI export of {args.rows:,} synthetic rows (XLSX) imported into a database holding "
        "the four UPR Info CSVs; then 200 mixed queries filtering also by mechanism, body and UHRI tags",
        "targets": {"rows_per_second": 10_000, "search_p95_ms": 100},
        "export_file_mib": round(export_path.stat().st_size / 2**20, 1),
        "export_generation_or_cache_seconds": round(time.perf_counter() - started, 1),
        "readers": compare_readers(export_path),
    }
    print("readers", figures["readers"])
    with tempfile.TemporaryDirectory() as folder:
        figures["sqlite"] = measure(f"sqlite:///{Path(folder) / 'uhri.db'}", data, export_path)
    pg_url = os.environ.get("RIGHTSTRACK_BENCH_POSTGRES_URL", "")
    if pg_url:
        figures["postgres_rows"] = args.pg_rows
        figures["postgres"] = on_postgres(pg_url, data, export(args.pg_rows))
    for engine in ("sqlite", "postgres"):
        if engine in figures:
            result = figures[engine]
            result["targets_met"] = {
                "rows_per_second": result["import"]["rows_per_second"] >= 10_000,
                "search_p95_ms": result["search"]["p95_ms"] <= 100,
            }
    save("uhri_import", figures)


if __name__ == "__main__":
    main()
