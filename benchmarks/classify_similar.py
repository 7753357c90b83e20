"""Benchmark: "recommendations like this one" and previous-cycle counterparts on the real UPR Info data.

Imports the four exports into a temporary SQLite database with the project's importer, builds the
similarity index, links every second-cycle recommendation to its best match in the same state's
first cycle, and draws a fixed random sample of links from each similarity band. A person judged
each sampled link by reading both texts; the verdicts are in classify_similar_judgements.json
(record ids only, no texts: ids are stable because the import order is fixed). Rule used: "same
ask" = the same requested measure on the same subject (e.g. ratify the same instrument; "consider
ratifying" and "ratify" count as the same ask; a different instrument, or "implement" versus
"ratify", does not).

Run: .venv/bin/python benchmarks/classify_similar.py [--print-sample]
Saves benchmarks/results/classify_similar.json.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import percentile, require_shared_data, save
from rightstrack.classify.corpus import import_uprinfo_folder
from rightstrack.classify.similar import COUNTERPART_THRESHOLD, SimilarityIndex, similarity_index
from rightstrack.store.database import Database

BANDS = ((0.3, 0.4), (0.4, 0.5), (0.5, 0.6), (0.6, 0.8), (0.8, 1.01))
PER_BAND = 12
SEED = 2026
JUDGEMENTS = Path(__file__).resolve().parent / "classify_similar_judgements.json"


def sample(links: dict[int, Any]) -> dict[tuple[float, float], list[int]]:
    rng = random.Random(SEED)
    drawn: dict[tuple[float, float], list[int]] = {}
    for low, high in BANDS:
        members = sorted(k for k, v in links.items() if low <= v.score < high)
        drawn[(low, high)] = sorted(rng.sample(members, min(PER_BAND, len(members))))
    return drawn


def show(index: SimilarityIndex, links: dict[int, Any], drawn: dict[tuple[float, float], list[int]]) -> None:
    for (low, high), ids in drawn.items():
        print(f"=== similarity {low:.1f}-{min(high, 1.0):.1f}")
        for rec in ids:
            link = links[rec]
            print(f"[{rec}->{link.previous_id} {link.score:.2f} {index.states[index.row(rec)]}]")
            print("  now :", index.texts[index.row(rec)])
            print("  prev:", index.texts[index.row(link.previous_id)])


def main() -> None:
    folder = require_shared_data() / "upr-info"
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'bench.db'}")
        db.init()
        import_uprinfo_folder(db, folder)
        started = time.perf_counter()
        index = similarity_index(db)
        build_seconds = time.perf_counter() - started
        query_ms: list[float] = []
        for rec in random.Random(SEED).sample([int(i) for i in index.ids], 200):
            started = time.perf_counter()
            index.similar(rec, limit=10)
            query_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        links = index.counterparts(threshold=0.0)
        link_seconds = time.perf_counter() - started
        second_cycle = sum(1 for c in index.cycles if c == 2)
        db.close()
    drawn = sample(links)
    if "--print-sample" in sys.argv:
        show(index, links, drawn)
        return
    judgements = json.loads(JUDGEMENTS.read_text("utf-8"))
    verdicts: dict[str, bool] = judgements["verdicts"]
    bands: list[dict[str, Any]] = []
    for (low, high), ids in drawn.items():
        keys = [f"{rec}->{links[rec].previous_id}" for rec in ids]
        judged = [verdicts[k] for k in keys if k in verdicts]
        size = sum(1 for v in links.values() if low <= v.score < high)
        bands.append(
            {
                "similarity": [low, min(high, 1.0)],
                "links_in_band": size,
                "sampled": len(ids),
                "judged": len(judged),
                "same_ask": sum(judged),
                "precision": round(sum(judged) / len(judged), 3) if judged else None,
                "unjudged": [k for k in keys if k not in verdicts],
            }
        )
    estimates = {}
    for threshold in (0.3, 0.4, 0.5, 0.6):
        chosen = [b for b in bands if b["similarity"][0] >= threshold and b["precision"] is not None]
        total = sum(b["links_in_band"] for b in chosen)
        estimates[str(threshold)] = {
            "links": total,
            "estimated_precision": round(sum(b["links_in_band"] * b["precision"] for b in chosen) / total, 3)
            if total
            else None,
        }
    extra = judgements["exploratory_sample"]["bands"]
    combined = {}
    for threshold in (0.4, 0.5):
        chosen = [b for b in bands if b["similarity"][0] >= threshold]
        total = sum(b["links_in_band"] for b in chosen)
        weighted = 0.0
        for b in chosen:
            low, high = b["similarity"]
            yes, seen = extra.get(f"{low:.1f}-{high:.1f}", [0, 0])
            weighted += b["links_in_band"] * (b["same_ask"] + yes) / (b["judged"] + seen)
        combined[str(threshold)] = round(weighted / total, 3) if total else None
    for band in bands:
        print(band)
    print("with the exploratory sample too:", combined)
    print("estimated precision by threshold:", estimates)
    save(
        "classify_similar",
        {
            "what": "previous-cycle counterparts: best TF-IDF match among the same state's previous-cycle "
            "recommendations; precision judged by hand on a fixed random sample per similarity band",
            "second_cycle_recommendations": second_cycle,
            "linked_at_any_similarity": len(links),
            "threshold_in_use": COUNTERPART_THRESHOLD,
            "linked_at_threshold": sum(1 for v in links.values() if v.score >= COUNTERPART_THRESHOLD),
            "judging_rule": "same requested measure on the same subject; 'consider ratifying' = 'ratify'; "
            "different instrument or 'implement' vs 'ratify' = different ask",
            "judged_by": "one person (the developer), reading both texts of each pair; no second reader",
            "bands": bands,
            "estimated_precision_at_threshold": estimates,
            "exploratory_sample": judgements["exploratory_sample"],
            "estimated_precision_both_samples": combined,
            "note": "recall is not measured: a repeated ask paraphrased with few shared words is missed",
            "index_build_seconds": round(build_seconds, 2),
            "similar_query_ms_p50": round(percentile(query_ms, 0.5), 1),
            "similar_query_ms_p95": round(percentile(query_ms, 0.95), 1),
            "link_all_seconds": round(link_seconds, 2),
        },
    )


if __name__ == "__main__":
    main()
