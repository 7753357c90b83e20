"""Benchmark (a): importing the four UPR Info CSVs into SQLite, beside `sqlite-utils insert` of the
same rows in the same run. Each side runs in a fresh child process so that peak memory (max RSS) is
its own. Target: >= 10,000 recommendations/s end to end, state resolution and tags included.

Run: .venv/bin/python benchmarks/import_speed.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import ROOT, require_shared_data, save

RIGHTSTRACK = """
import sys
from pathlib import Path
from rightstrack.demo import real_exports
from rightstrack.importing import import_file
from rightstrack.store.database import Database
db = Database(f"sqlite:///{sys.argv[2]}")
db.init()
total = sum(import_file(db, p, "upr-info").created for p in real_exports(Path(sys.argv[1])))
print(total)
"""

SQLITE_UTILS = """
import csv, io, sys
from pathlib import Path
import sqlite_utils
from rightstrack.demo import real_exports
db = sqlite_utils.Database(sys.argv[2])
total = 0
for path in real_exports(Path(sys.argv[1])):
    rows = list(csv.DictReader(io.StringIO(path.read_bytes().decode("mac_roman"), newline="")))
    db["recommendations"].insert_all(rows, batch_size=1000)
    total += len(rows)
print(total)
"""


def run(script: str, data: Path, target: Path) -> dict[str, float]:
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", script, str(data), str(target)], stdout=subprocess.PIPE, cwd=ROOT
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        sys.exit(f"benchmark child failed with status {status}")
    rows = int(output.decode().strip().splitlines()[-1])
    return {
        "rows": rows,
        "seconds": round(seconds, 3),
        "rows_per_second": round(rows / seconds),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
    }


def main() -> None:
    data = require_shared_data()
    with tempfile.TemporaryDirectory() as folder:
        ours = run(RIGHTSTRACK, data, Path(folder) / "rightstrack.db")
        baseline = run(SQLITE_UTILS, data, Path(folder) / "sqlite-utils.db")
    figures = {
        "what": "import of the four UPR Info CSVs (33,082 rows) into a new SQLite file, "
        "including process start-up, schema creation, name resolution, tags and full-text index",
        "rightstrack": ours,
        "baseline_sqlite_utils_insert": baseline,
        "time_ratio_vs_baseline": round(ours["seconds"] / baseline["seconds"], 2),
        "target_rows_per_second": 10_000,
        "target_met": ours["rows_per_second"] >= 10_000,
    }
    for name in ("rightstrack", "baseline_sqlite_utils_insert"):
        f = figures[name]
        print(
            f"{name:30} {f['rows']} rows in {f['seconds']:.2f} s = {f['rows_per_second']:,} rows/s, "  # type: ignore[index]
            f"peak RSS {f['peak_rss_mib']} MiB"
        )  # type: ignore[index]
    print(f"time ratio rightstrack / sqlite-utils: {figures['time_ratio_vs_baseline']}")
    save("import_speed", figures)


if __name__ == "__main__":
    main()
