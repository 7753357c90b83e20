"""A tiny deterministic classifier for tests of other components (store, web, CLI).

It tags a text with a label when one of the label's keywords occurs in it (case-insensitive):
confidence 0.9 for a match, 0.1 otherwise. Without explicit keywords, each label's own name is its
keyword. It needs no training data beyond the label set, no numpy model and no randomness.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from rightstrack.classify.base import FloatArray, Prediction, decide

HIT = 0.9
MISS = 0.1


class FakeClassifier:
    def __init__(
        self,
        keywords: Mapping[str, Sequence[str]] | None = None,
        *,
        multilabel: bool = True,
        name: str = "fake-keywords",
        version: str = "v1",
    ) -> None:
        self.keywords = {label: tuple(k.lower() for k in words) for label, words in (keywords or {}).items()}
        self.multilabel = multilabel
        self.name = name
        self.version = version
        self.metrics: dict[str, Any] = {}
        self._labels: tuple[str, ...] = tuple(sorted(self.keywords))

    @property
    def labels(self) -> tuple[str, ...]:
        return self._labels

    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[Sequence[str]],
        groups: Sequence[int] | None = None,
    ) -> FakeClassifier:
        if len(texts) != len(labels):
            raise ValueError("texts and labels differ in length")
        seen = {label for row in labels for label in row}
        for label in seen:
            self.keywords.setdefault(label, (label.lower(),))
        self._labels = tuple(sorted(set(self.keywords)))
        return self

    def predict_proba(self, texts: Sequence[str]) -> FloatArray:
        out = np.full((len(texts), len(self._labels)), MISS, dtype=np.float64)
        for i, text in enumerate(texts):
            lowered = text.lower()
            for j, label in enumerate(self._labels):
                if any(word in lowered for word in self.keywords[label]):
                    out[i, j] = HIT
        return out

    def predict(self, texts: Sequence[str]) -> list[list[Prediction]]:
        return decide(self.predict_proba(texts), self._labels, multilabel=self.multilabel)
