"""Benchmark: storing "recommended again" links for the whole real UPR Info database.

Imports the four exports into a temporary SQLite database without linking, then times
``link_cycles`` over every recommendation (similarity index built from cold, then the links
written in one transaction), a second run (nothing to change), and, in a second database, the same
four imports with linking after each import (the ``link_cycles_on_import`` default).

Run: .venv/bin/python benchmarks/link_cycles.py
Saves benchmarks/results/link_cycles.json.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select

from benchmarks.common import require_shared_data, save
from rightstrack.classify.similar import COUNTERPART_THRESHOLD, similarity_index
from rightstrack.followup.cycles import link_cycles
from rightstrack.followup.schema import recommendation_links
from rightstrack.importing import import_file
from rightstrack.store.database import Database

FILES = ("1-5.csv", "6-9.csv", "10-13.csv", "14-17.csv")


def import_all(db: Database, folder: Path, *, link: bool) -> float:
    started = time.perf_counter()
    for name in FILES:
        summary = import_file(db, folder / name, "upr-info", link_cycles=link)
        for note in summary.notes:
            if note.startswith("linked"):
                print(f"  {name}: {note}")
    return time.perf_counter() - started


def count_links(db: Database) -> int:
    with db.read() as conn:
        return int(conn.scalar(select(func.count()).select_from(recommendation_links)) or 0)


def main() -> None:
    folder = require_shared_data() / "upr-info"
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'plain.db'}")
        db.init()
        import_plain = import_all(db, folder, link=False)
        # The whole job from cold, as `rightstrack link-cycles` runs it (scikit-learn not yet loaded).
        started = time.perf_counter()
        first = link_cycles(db)
        first_seconds = time.perf_counter() - started
        links = count_links(db)
        db.cache.clear()
        started = time.perf_counter()
        records = len(similarity_index(db).ids)
        index_seconds = time.perf_counter() - started
        started = time.perf_counter()
        again = link_cycles(db)
        again_seconds = time.perf_counter() - started
        db.close()

        linked_db = Database(f"sqlite:///{Path(tmp) / 'linked.db'}")
        linked_db.init()
        import_linked = import_all(linked_db, folder, link=True)
        links_on_import = count_links(linked_db)
        linked_db.close()

    figures = {
        "what": "recommendation_links for the four UPR Info CSVs on SQLite: link_cycles over every "
        "recommendation (cold similarity index), a second run, and imports with linking on",
        "notes": "link_all includes loading scikit-learn and building the TF-IDF index over every "
        "text; the second run reuses the cached index. On import, files whose states have no other "
        "cycle stored (1-5, 6-9) skip linking; the others rebuild the index over the whole corpus.",
        "threshold": COUNTERPART_THRESHOLD,
        "recommendations": records,
        "link_all": {
            "seconds": round(first_seconds, 2),
            "index_build_seconds_warm_process": round(index_seconds, 2),
            "links": links,
            "summary": first.as_dict(),
        },
        "link_all_again": {"seconds": round(again_seconds, 2), "summary": again.as_dict()},
        "import_four_files": {
            "without_linking_seconds": round(import_plain, 2),
            "with_linking_seconds": round(import_linked, 2),
            "links": links_on_import,
        },
    }
    print(figures)
    save("link_cycles", figures)


if __name__ == "__main__":
    main()
