"""Metrics for the taggers, computed by hand on plain label lists (no sklearn in the contract).

Multi-label (issues): micro-F1, macro-F1 over the labels that occur in the truth or the
predictions, and per-label precision / recall / F1 / support. Single-label (action category):
accuracy, macro-F1 and the confusion matrix (rows = truth, columns = prediction).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class LabelScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int
    predicted: int

    def as_dict(self, *, with_predicted: bool) -> dict[str, Any]:
        figures: dict[str, Any] = {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "support": self.support,
        }
        return figures | ({"predicted": self.predicted} if with_predicted else {})


@dataclass(frozen=True)
class MultiLabelReport:
    micro_precision: float
    micro_recall: float
    micro_f1: float
    macro_f1: float
    samples: int
    per_label: list[LabelScore] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "micro_precision": round(self.micro_precision, 4),
            "micro_recall": round(self.micro_recall, 4),
            "micro_f1": round(self.micro_f1, 4),
            "macro_f1": round(self.macro_f1, 4),
            "samples": self.samples,
            "per_label": {s.label: s.as_dict(with_predicted=True) for s in self.per_label},
        }


@dataclass(frozen=True)
class SingleLabelReport:
    accuracy: float
    macro_f1: float
    samples: int
    labels: list[str]
    confusion: list[list[int]]
    per_label: list[LabelScore] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "samples": self.samples,
            "labels": self.labels,
            "confusion_rows_truth_cols_predicted": self.confusion,
            "per_label": {s.label: s.as_dict(with_predicted=False) for s in self.per_label},
        }


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def _f1(tp: int, fp: int, fn: int) -> float:
    return _ratio(2 * tp, 2 * tp + fp + fn)


def evaluate_multilabel(
    truth: Sequence[Sequence[str]],
    predicted: Sequence[Sequence[str]],
    labels: Sequence[str] | None = None,
) -> MultiLabelReport:
    """Compare label sets text by text. ``labels`` fixes the label universe of macro-F1
    (default: every label seen in ``truth`` or ``predicted``)."""
    if len(truth) != len(predicted):
        raise ValueError("truth and predicted differ in length")
    universe = sorted(set(labels) if labels is not None else {x for row in (*truth, *predicted) for x in row})
    tp = dict.fromkeys(universe, 0)
    fp = dict.fromkeys(universe, 0)
    fn = dict.fromkeys(universe, 0)
    for gold_row, guess_row in zip(truth, predicted, strict=True):
        gold, guess = set(gold_row), set(guess_row)
        for label in universe:
            if label in gold and label in guess:
                tp[label] += 1
            elif label in guess:
                fp[label] += 1
            elif label in gold:
                fn[label] += 1
    scores = [
        LabelScore(
            label,
            _ratio(tp[label], tp[label] + fp[label]),
            _ratio(tp[label], tp[label] + fn[label]),
            _f1(tp[label], fp[label], fn[label]),
            tp[label] + fn[label],
            tp[label] + fp[label],
        )
        for label in universe
    ]
    all_tp, all_fp, all_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    return MultiLabelReport(
        micro_precision=_ratio(all_tp, all_tp + all_fp),
        micro_recall=_ratio(all_tp, all_tp + all_fn),
        micro_f1=_f1(all_tp, all_fp, all_fn),
        macro_f1=sum(s.f1 for s in scores) / len(scores) if scores else 0.0,
        samples=len(truth),
        per_label=scores,
    )


def evaluate_single_label(
    truth: Sequence[str],
    predicted: Sequence[str],
    labels: Sequence[str] | None = None,
) -> SingleLabelReport:
    """Accuracy, macro-F1 (over ``labels``, default: all seen) and the confusion matrix."""
    if len(truth) != len(predicted):
        raise ValueError("truth and predicted differ in length")
    universe = sorted(set(labels) if labels is not None else {*truth, *predicted})
    index = {label: i for i, label in enumerate(universe)}
    confusion = [[0] * len(universe) for _ in universe]
    for gold, guess in zip(truth, predicted, strict=True):
        if gold in index and guess in index:
            confusion[index[gold]][index[guess]] += 1
    scores: list[LabelScore] = []
    for label, i in index.items():
        tp = confusion[i][i]
        fn = sum(confusion[i]) - tp
        fp = sum(row[i] for row in confusion) - tp
        scores.append(
            LabelScore(label, _ratio(tp, tp + fp), _ratio(tp, tp + fn), _f1(tp, fp, fn), tp + fn, tp + fp)
        )
    correct = sum(1 for gold, guess in zip(truth, predicted, strict=True) if gold == guess)
    return SingleLabelReport(
        accuracy=_ratio(correct, len(truth)),
        macro_f1=sum(s.f1 for s in scores) / len(scores) if scores else 0.0,
        samples=len(truth),
        labels=list(universe),
        confusion=confusion,
        per_label=scores,
    )
