"""Benchmark: `classify train` on all 33k UPR Info recommendations (target <= 5 minutes on 2 cores)
and `classify predict --all` over the whole database (target >= 1,000 recommendations/s), both
through the store exactly as the CLI runs them: read texts and tags, fit, save versioned files;
load, predict, write predicted tags. Also the bare models' throughput and one-text latency.

Run: .venv/bin/python benchmarks/classify_speed.py
Saves benchmarks/results/classify_speed.json.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import require_shared_data, save
from rightstrack.classify import service
from rightstrack.classify.corpus import import_uprinfo_folder, read_corpus
from rightstrack.model.reference import ACTION_FAMILY, ISSUE_FAMILY
from rightstrack.store.database import Database


def main() -> None:
    folder = require_shared_data() / "upr-info"
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'bench.db'}")
        db.init()
        import_uprinfo_folder(db, folder)
        models = Path(tmp) / "models"

        started = time.perf_counter()
        trained = service.train(db, models)
        train_seconds = time.perf_counter() - started
        print(f"classify train: {trained.rows} in {train_seconds:.1f} s")
        sizes = {i.path.name: round(os.path.getsize(i.path) / 1e6, 2) for i in trained.saved.values()}

        started = time.perf_counter()
        loaded = service.latest_models(models)
        load_seconds = time.perf_counter() - started
        started = time.perf_counter()
        result = service.predict(db, models, everything=True, models=loaded)
        predict_seconds = time.perf_counter() - started
        texts = [item.text for item in read_corpus(db, ())]
        print(
            f"classify predict --all: {result.predicted} scored, {result.written} written"
            f" in {predict_seconds:.1f} s"
        )

        bare: dict[str, float] = {}
        for family, (model, _) in loaded.items():
            started = time.perf_counter()
            for start in range(0, len(texts), 2000):
                model.predict(texts[start : start + 2000])
            bare[family] = time.perf_counter() - started
        issues = loaded[ISSUE_FAMILY][0]
        started = time.perf_counter()
        for text in texts[:200]:
            issues.predict([text])
        single_ms = (time.perf_counter() - started) / 200 * 1000
        db.close()

    figures = {
        "recommendations": len(texts),
        "cpu_count": os.cpu_count(),
        "load_average_1min_at_end": round(os.getloadavg()[0], 2),  # other work on the machine slows training
        "train_seconds_from_store": round(train_seconds, 1),
        "train_rows": trained.rows,
        "train_target_seconds": 300,
        "models": {family: info.name for family, info in trained.saved.items()},
        "model_file_mb": sizes,
        "load_seconds": round(load_seconds, 2),
        "predict_all_seconds_from_store_incl_writing_tags": round(predict_seconds, 1),
        "predict_all_per_second_from_store": round(len(texts) / predict_seconds),
        "predicted_tags_written": result.written,
        "predict_target_per_second": 1000,
        "bare_predict_per_second_issues": round(len(texts) / bare[ISSUE_FAMILY]),
        "bare_predict_per_second_action": round(len(texts) / bare[ACTION_FAMILY]),
        "single_text_issues_ms": round(single_ms, 2),
    }
    for key, value in figures.items():
        print(f"{key}: {value}")
    save("classify_speed", figures)


if __name__ == "__main__":
    main()
