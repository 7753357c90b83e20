"""A process killed in the middle of an import leaves the database exactly as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from rightstrack.importing import import_file
from rightstrack.store import schema
from rightstrack.store.database import Database
from tests.conftest import SAMPLE_ROWS, csv_bytes

_STATES = ("Brazil", "Chile", "Peru", "Kenya", "Norway", "India", "Japan", "Mexico", "Ghana", "France")


def _big_csv(path: Path, rows: int) -> None:
    generated = [
        (
            _STATES[i % 10],
            _STATES[(i + 3) % 10],
            f"Recommendation number {i} on women's rights.",
            "Accepted",
            str(1 + i % 5),
            "Women's rights,Justice",
            1 + i % 17,
        )
        for i in range(rows)
    ]
    path.write_bytes(csv_bytes(generated))


def test_killed_import_leaves_database_unchanged(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kill.db'}"
    db = Database(url)
    db.init()
    sample = tmp_path / "sample.csv"
    sample.write_bytes(csv_bytes(SAMPLE_ROWS))
    import_file(db, sample, "upr-info")
    big = tmp_path / "big.csv"
    _big_csv(big, 150_000)
    with db.read() as conn:
        before = int(conn.scalar(select(func.count()).select_from(schema.recommendations)) or 0)
    db.close()
    marker = tmp_path / "writing"
    script = (
        "import sys, pathlib\n"
        "from rightstrack.store import writer\n"
        "from rightstrack.importing import import_file\n"
        "from rightstrack.store.database import Database\n"
        "original = writer._insert_new\n"
        "def slow(*a, **k):\n"
        "    original(*a, **k)\n"
        "    pathlib.Path(sys.argv[3]).write_text('inserted')\n"
        "    import time; time.sleep(60)\n"
        "writer._insert_new = slow\n"
        "import_file(Database(sys.argv[1]), pathlib.Path(sys.argv[2]), 'upr-info')\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script, url, str(big), str(marker)],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    deadline = time.monotonic() + 120
    while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), "the import never reached the point of writing rows"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    reopened = Database(url)
    with reopened.read() as conn:
        after = int(conn.scalar(select(func.count()).select_from(schema.recommendations)) or 0)
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    assert after == before == len(SAMPLE_ROWS)
    # and the database still takes writes afterwards
    assert import_file(reopened, sample, "upr-info").unchanged == len(SAMPLE_ROWS)
    reopened.close()
