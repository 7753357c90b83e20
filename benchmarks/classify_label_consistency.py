"""Benchmark: how consistent UPR Info's own labels are, the ceiling any tagger works under.

No model is trained here. Three measurements on the temporal split (train 1-14, test 15-17):

1. Copy the nearest neighbour: each test text takes the labels of its most similar training text
   (word TF-IDF cosine), reported by similarity band. Exact copies agree almost always; near
   paraphrases of the same ask agree much less, and no model can beat the labels' own agreement
   on such pairs.
2. Opening verb against action category: UPR Info's methodology ranks actions by the verb
   ("Continue" = 2 continuing, "Consider" = 3, "Take measures" = 4 general, "Adopt / Ratify" = 5
   specific). Per session, the share of "Continue ..." recommendations labelled otherwise, and how
   "Take" and "Adopt" divide between 4 and 5.
3. Drift: issues whose share changes most between sessions 1-14 and 15-17.

Run: .venv/bin/python benchmarks/classify_label_consistency.py  (about a minute)
Saves benchmarks/results/classify_label_consistency.json.
"""

from __future__ import annotations

import math
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import require_shared_data, save
from rightstrack.classify.corpus import uprinfo_recommendations
from rightstrack.classify.data import Recommendation
from rightstrack.classify.evaluate import evaluate_multilabel
from rightstrack.classify.features import opening
from rightstrack.classify.overlap import nearest, normalise

BANDS = ((0.9, 0.999), (0.8, 0.9), (0.7, 0.8), (0.6, 0.7))


def neighbour_agreement(train: Sequence[Recommendation], test: Sequence[Recommendation]) -> dict[str, Any]:
    best, index = nearest([r.text for r in train], [r.text for r in test])
    seen = {normalise(r.text) for r in train}
    groups: dict[str, list[int]] = {
        "exact_normalised": [i for i, r in enumerate(test) if normalise(r.text) in seen]
    }
    for low, high in BANDS:
        groups[f"cosine_{low}_{high}"] = [
            i for i, r in enumerate(test) if low <= best[i] < high and normalise(r.text) not in seen
        ]
    out: dict[str, Any] = {}
    for name, idx in groups.items():
        pairs = [(test[i], train[int(index[i])]) for i in idx]
        report = evaluate_multilabel([t.issues for t, _ in pairs], [n.issues for _, n in pairs])
        acted = [(t, n) for t, n in pairs if t.action and n.action]
        same = [(t, n) for t, n in acted if opening(t.text, 2) == opening(n.text, 2)]
        out[name] = {
            "test_texts": len(pairs),
            "issues_micro_f1_copying_neighbour": round(report.micro_f1, 4),
            "issues_identical_sets": _share(
                sum(set(t.issues) == set(n.issues) for t, n in pairs), len(pairs)
            ),
            "action_agreement": _share(sum(t.action == n.action for t, n in acted), len(acted)),
            "action_agreement_same_opening_words": _share(
                sum(t.action == n.action for t, n in same), len(same)
            ),
            "pairs_same_opening_words": len(same),
        }
    return out


def verb_shares(rows: Sequence[Recommendation], verb: str) -> dict[str, dict[str, float | int]]:
    by_session: dict[int, Counter[str]] = defaultdict(Counter)
    for r in rows:
        if r.action and opening(r.text, 1) == opening(verb, 1):
            by_session[r.session][r.action[:1]] += 1
    return {
        str(session): {
            "texts": sum(c.values()),
            **{k: _share(v, sum(c.values())) for k, v in sorted(c.items())},
        }
        for session, c in sorted(by_session.items())
    }


def verb_lookup_accuracy(train: Sequence[Recommendation], test: Sequence[Recommendation]) -> dict[str, Any]:
    """Action from the training majority for the opening two words (one word, then the overall
    majority, when unseen): how far the verb alone goes."""
    two: dict[str, Counter[str]] = defaultdict(Counter)
    one: dict[str, Counter[str]] = defaultdict(Counter)
    overall: Counter[str] = Counter()
    for r in train:
        if r.action:
            two[opening(r.text, 2)][r.action] += 1
            one[opening(r.text, 1)][r.action] += 1
            overall[r.action] += 1

    def guess(text: str) -> str:
        for table, key in ((two, opening(text, 2)), (one, opening(text, 1))):
            if key in table:
                return table[key].most_common(1)[0][0]
        return overall.most_common(1)[0][0]

    acted = [r for r in test if r.action]
    right = sum(guess(r.text) == r.action for r in acted)
    return {"test_texts": len(acted), "accuracy": _share(right, len(acted))}


def drift(
    train: Sequence[Recommendation], test: Sequence[Recommendation], top: int = 10
) -> list[dict[str, Any]]:
    before = Counter(label for r in train for label in r.issues)
    after = Counter(label for r in test for label in r.issues)
    rows = []
    for label in before.keys() | after.keys():
        if before[label] + after[label] < 100:
            continue
        rate_before = 1000 * before[label] / len(train)
        rate_after = 1000 * after[label] / len(test)
        rows.append(
            {
                "issue": label,
                "per_1000_sessions_1_14": round(rate_before, 1),
                "per_1000_sessions_15_17": round(rate_after, 1),
                "log2_ratio": round(math.log2((rate_after + 0.5) / (rate_before + 0.5)), 2),
            }
        )
    return sorted(rows, key=lambda row: -abs(row["log2_ratio"]))[:top]


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def main() -> None:
    rows = uprinfo_recommendations(require_shared_data() / "upr-info")
    train = [r for r in rows if r.session <= 14]
    test = [r for r in rows if r.session >= 15]
    figures: dict[str, Any] = {
        "split": "train sessions 1-14, test 15-17; no model trained",
        "nearest_neighbour_agreement": neighbour_agreement(train, test),
        "action_from_opening_words": verb_lookup_accuracy(train, test),
        "action_by_opening_verb_per_session": {
            verb: verb_shares(rows, verb) for verb in ("continue", "take", "adopt")
        },
        "issue_drift": drift(train, test),
    }
    for name, b in figures["nearest_neighbour_agreement"].items():
        print(
            f"{name:22s} n={b['test_texts']:5d}  issues micro {b['issues_micro_f1_copying_neighbour']:.3f}  "
            f"same set {b['issues_identical_sets']:.3f}  action {b['action_agreement']:.3f} (same opening "
            f"words {b['action_agreement_same_opening_words']:.3f}, n={b['pairs_same_opening_words']})"
        )
    print(f"action from the opening words alone: {figures['action_from_opening_words']['accuracy']:.4f}")
    for session, shares in figures["action_by_opening_verb_per_session"]["continue"].items():
        share = shares.get("2", 0.0)
        print(f"  session {session:>2s} 'Continue ...' labelled 2: {share:.3f} of {shares['texts']}")
    for row in figures["issue_drift"]:
        before, after = row["per_1000_sessions_1_14"], row["per_1000_sessions_15_17"]
        print(f"  drift {row['issue'][:45]:45s} {before:6.1f} -> {after:6.1f} per 1,000")
    save("classify_label_consistency", figures)


if __name__ == "__main__":
    main()
