"""Threshold tuning and the confidence scale."""

from __future__ import annotations

import numpy as np
import pytest

from rightstrack.classify.base import decide
from rightstrack.classify.thresholds import best_global_threshold, f1_at, to_confidence, tune_thresholds


def _data() -> tuple[np.ndarray, np.ndarray]:
    # label 0 separates at about -0.5, label 1 at about 0.3
    scores = np.array([[-0.2, 0.6], [-0.4, 0.4], [-0.7, 0.2], [-0.9, -0.1], [0.1, 0.5], [-0.8, 0.35]])
    truth = np.array([[1, 1], [1, 1], [0, 0], [0, 0], [1, 1], [0, 1]], dtype=np.int8)
    return scores, truth


def test_f1_at_counts() -> None:
    scores, truth = _data()
    assert f1_at(scores[:, 0], truth[:, 0], 0.0) == pytest.approx(2 * 1 / (1 + 3))
    assert f1_at(scores[:, 0], truth[:, 0], -0.5) == 1.0
    assert f1_at(np.array([-1.0]), np.array([0], dtype=np.int8), 0.0) == 0.0


def test_per_label_thresholds_without_shrink_separate_each_label() -> None:
    scores, truth = _data()
    thresholds = tune_thresholds(scores, truth, shrink=0.0)
    assert all(f1_at(scores[:, j], truth[:, j], thresholds[j]) == 1.0 for j in range(2))


def test_shrink_pulls_rare_labels_to_the_global_threshold() -> None:
    scores, truth = _data()
    global_t = best_global_threshold(scores, truth)
    shrunk = tune_thresholds(scores, truth, shrink=1e9)
    assert np.allclose(shrunk, global_t)
    assert np.allclose(tune_thresholds(scores, truth, per_label=False), global_t)


def test_confidence_is_one_half_at_the_threshold() -> None:
    scores = np.array([[0.2, -0.3]])
    conf = to_confidence(scores, np.array([0.2, -0.5]))
    assert conf[0, 0] == pytest.approx(0.5)
    assert conf[0, 1] > 0.5


def test_decide_multilabel_and_single_label() -> None:
    conf = np.array([[0.7, 0.2, 0.55], [0.1, 0.3, 0.2]])
    labels = ("a", "b", "c")
    multi = decide(conf, labels, multilabel=True)
    assert [p.label for p in multi[0]] == ["a", "c"]
    assert multi[1] == []
    forced = decide(conf, labels, multilabel=True, at_least_one=True)
    assert [p.label for p in forced[1]] == ["b"]
    single = decide(conf, labels, multilabel=False)
    assert [[p.label for p in row] for row in single] == [["a"], ["b"]]
