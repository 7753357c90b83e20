"""The ``Classifier`` protocol shared by every tagging model, and what a prediction is."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True, order=True)
class Prediction:
    """One predicted label with a confidence in [0, 1]; >= 0.5 means "predicted"."""

    label: str
    confidence: float


@runtime_checkable
class Classifier(Protocol):
    """What the rest of rightstrack may rely on.

    ``labels`` passed to :meth:`fit` hold one sequence of labels per text (exactly one label
    for single-label tasks such as the action category). ``groups`` (e.g. UPR session numbers,
    larger = later) let a model carve its own validation data out of the training set.
    :meth:`predict_proba` returns an ``(n_texts, n_labels)`` array of confidences in the order of
    :attr:`labels`, calibrated so that 0.5 is the decision threshold of each label.
    """

    name: str
    version: str
    multilabel: bool
    metrics: dict[str, Any]

    @property
    def labels(self) -> tuple[str, ...]: ...

    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[Sequence[str]],
        groups: Sequence[int] | None = None,
    ) -> Classifier: ...

    def predict_proba(self, texts: Sequence[str]) -> FloatArray: ...

    def predict(self, texts: Sequence[str]) -> list[list[Prediction]]: ...


def decide(
    confidences: FloatArray,
    labels: Sequence[str],
    *,
    multilabel: bool,
    at_least_one: bool = False,
) -> list[list[Prediction]]:
    """Turn a confidence matrix into predictions (shared by all implementations).

    Multi-label: every label with confidence >= 0.5 (and, with ``at_least_one``, the best label
    when none reaches 0.5). Single-label: the arg-max label only.
    """
    out: list[list[Prediction]] = []
    for row in confidences:
        if not multilabel:
            best = int(np.argmax(row))
            out.append([Prediction(labels[best], float(row[best]))])
            continue
        chosen = [int(j) for j in np.flatnonzero(row >= 0.5)]
        if not chosen and at_least_one and len(row):
            chosen = [int(np.argmax(row))]
        ranked = sorted(chosen, key=lambda j: (-row[j], labels[j]))
        out.append([Prediction(labels[j], float(row[j])) for j in ranked])
    return out


def labels_matrix(labels: Sequence[Sequence[str]], label_names: Sequence[str]) -> npt.NDArray[np.int8]:
    """Binary indicator matrix of ``labels`` over ``label_names`` (unknown labels are ignored)."""
    index = {name: j for j, name in enumerate(label_names)}
    matrix = np.zeros((len(labels), len(label_names)), dtype=np.int8)
    for i, row in enumerate(labels):
        for label in row:
            j = index.get(label)
            if j is not None:
                matrix[i, j] = 1
    return matrix
