"""Choosing decision thresholds on held-out scores (never on test data).

Scores are raw decision values (e.g. LinearSVC margins). :func:`tune_thresholds` returns one
threshold per label: the global threshold that maximises micro-F1, moved towards the label's own
F1-optimal threshold in proportion to how much evidence the label has (``n / (n + shrink)``
positives), so rare labels do not get a threshold fitted to three examples.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from rightstrack.classify.base import FloatArray

DEFAULT_GRID = np.round(np.arange(-1.0, 0.51, 0.05), 4)


def f1_at(scores: FloatArray, truth: npt.NDArray[np.int8], threshold: float) -> float:
    """F1 of one label when predicting ``scores > threshold`` (0 when nothing is true or predicted)."""
    predicted = scores > threshold
    tp = int(np.sum(predicted & (truth == 1)))
    denominator = int(predicted.sum()) + int(truth.sum())
    return 0.0 if denominator == 0 else 2.0 * tp / denominator


def best_global_threshold(
    scores: FloatArray, truth: npt.NDArray[np.int8], grid: FloatArray = DEFAULT_GRID
) -> float:
    """The single threshold maximising micro-F1 over all labels (ties: the highest threshold)."""
    best, best_f1 = float(grid[0]), -1.0
    positives = int(truth.sum())
    for threshold in grid:
        predicted = scores > threshold
        tp = int(np.sum(predicted & (truth == 1)))
        denominator = int(predicted.sum()) + positives
        f1 = 0.0 if denominator == 0 else 2.0 * tp / denominator
        if f1 >= best_f1:
            best, best_f1 = float(threshold), f1
    return best


def tune_thresholds(
    scores: FloatArray,
    truth: npt.NDArray[np.int8],
    *,
    per_label: bool = True,
    shrink: float = 50.0,
    grid: FloatArray = DEFAULT_GRID,
) -> FloatArray:
    """One threshold per column of ``scores``; see the module docstring."""
    global_threshold = best_global_threshold(scores, truth, grid)
    thresholds = np.full(scores.shape[1], global_threshold, dtype=np.float64)
    if not per_label:
        return thresholds
    for j in range(scores.shape[1]):
        positives = int(truth[:, j].sum())
        if positives == 0:
            continue
        f1s = [f1_at(scores[:, j], truth[:, j], float(t)) for t in grid]
        best = max(range(len(grid)), key=lambda k: (f1s[k], -abs(float(grid[k]) - global_threshold)))
        weight = positives / (positives + shrink) if shrink > 0 else 1.0
        thresholds[j] = weight * float(grid[best]) + (1.0 - weight) * global_threshold
    return thresholds


def to_confidence(scores: FloatArray, thresholds: FloatArray, steepness: float = 3.0) -> FloatArray:
    """Map margins to (0, 1) so that each label's threshold lands exactly on 0.5."""
    return np.asarray(1.0 / (1.0 + np.exp(-steepness * (scores - thresholds))), dtype=np.float64)
