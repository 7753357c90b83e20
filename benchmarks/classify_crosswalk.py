"""Benchmark: how well UPR Info issues, predicted by the chosen model and mapped through the
crosswalk (rightstrack.classify.crosswalk), reproduce OHCHR's own UHRI themes, affected persons
and SDGs in Slovenia's thematic lists of recommendations (cycle 2: 2014, cycle 3: 2019).

The issue model is trained on all UPR Info sessions 1-17 (2008-2013); Slovenia's cycle 2 and 3
recommendations are later and were never seen. Only 378 recommendations of one state: thin data.

Run: .venv/bin/python benchmarks/classify_crosswalk.py
Saves benchmarks/results/classify_crosswalk.json.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import require_shared_data, save
from rightstrack.classify.corpus import uprinfo_recommendations
from rightstrack.classify.crosswalk import ISSUE_CROSSWALK, map_issues, normalise_name
from rightstrack.classify.evaluate import evaluate_multilabel
from rightstrack.classify.linear import chosen_issues
from rightstrack.classify.thematic import read_thematic_list

LISTS = {
    "cycle2": "slovenia/cycle2/UPR20__Slovenia_ThematicListRecommendations_E.docx",
    "cycle3": "slovenia/cycle3/UPR34_Slovenia_Thematic_list_of_Recommendations.docx",
}


def main() -> None:
    data = require_shared_data()
    rows = uprinfo_recommendations(data / "upr-info")
    model = chosen_issues().fit([r.text for r in rows], [r.issues for r in rows], [r.session for r in rows])
    known_themes = {normalise_name(t) for c in ISSUE_CROSSWALK.values() for t in c.themes}
    known_persons = {normalise_name(p) for c in ISSUE_CROSSWALK.values() for p in c.persons}
    figures: dict[str, Any] = {}
    for cycle, relative in LISTS.items():
        items = read_thematic_list(data / relative)
        predicted = [[p.label for p in row] for row in model.predict([i.text for i in items])]
        mapped = [map_issues(issues) for issues in predicted]
        result: dict[str, Any] = {"recommendations": len(items)}
        families: list[tuple[str, list[list[str]], list[list[str]], set[str] | None]] = [
            (
                "uhri_themes",
                [sorted(i.themes) for i in items],
                [sorted(m.themes) for m in mapped],
                known_themes,
            ),
            (
                "affected_persons",
                [sorted(i.persons) for i in items],
                [sorted(m.persons) for m in mapped],
                known_persons,
            ),
        ]
        if any(i.has_sdgs for i in items):
            families.append(("sdgs", [sorted(i.sdgs) for i in items], [sorted(m.sdgs) for m in mapped], None))
        for family, truth, guess, known in families:
            report = evaluate_multilabel(truth, guess)
            missed = Counter(
                t for gold, pred in zip(truth, guess, strict=True) for t in gold if t not in pred
            )
            wrong = Counter(t for gold, pred in zip(truth, guess, strict=True) for t in pred if t not in gold)
            entry: dict[str, Any] = {
                "micro_precision": round(report.micro_precision, 4),
                "micro_recall": round(report.micro_recall, 4),
                "micro_f1": round(report.micro_f1, 4),
                "macro_f1": round(report.macro_f1, 4),
                "distinct_gold_labels": len({t for gold in truth for t in gold}),
                "most_missed": missed.most_common(8),
                "most_wrongly_added": wrong.most_common(8),
            }
            if known is not None:
                gold_all = [t for gold in truth for t in gold]
                entry["gold_tags_the_crosswalk_can_produce"] = round(
                    sum(1 for t in gold_all if t in known) / max(1, len(gold_all)), 4
                )
            result[family] = entry
            print(
                f"{cycle} {family:17s} P {report.micro_precision:.3f} R {report.micro_recall:.3f} "
                f"micro-F1 {report.micro_f1:.3f} (n={len(items)})"
            )
        figures[cycle] = result
    save("classify_crosswalk", {"source": "Slovenia thematic lists, cycles 2 and 3", **figures})


if __name__ == "__main__":
    main()
