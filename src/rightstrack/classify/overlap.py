"""How much of an evaluation set the model has effectively seen: exact and near duplicates.

UPR recommendations recur from one review to the next, so a test text may be a (near) copy of a
training text. :func:`overlap_report` counts test texts whose normalised text equals a training
text, and those whose best word TF-IDF cosine to any training text reaches ``near``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """Lower-case, accents stripped, punctuation and spacing collapsed."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_WORD.sub(" ", folded.lower()).strip()


@dataclass(frozen=True, slots=True)
class OverlapReport:
    test_texts: int
    exact: int
    near: int
    near_threshold: float

    def as_dict(self) -> dict[str, float | int]:
        return {
            "test_texts": self.test_texts,
            "exact_normalised_in_train": self.exact,
            "exact_share": round(self.exact / self.test_texts, 4) if self.test_texts else 0.0,
            f"near_cosine_ge_{self.near_threshold}": self.near,
            "near_share": round(self.near / self.test_texts, 4) if self.test_texts else 0.0,
        }


def nearest(train: Sequence[str], test: Sequence[str], *, chunk: int = 2000) -> tuple[np.ndarray, np.ndarray]:
    """For each test text, its highest word TF-IDF cosine to any training text and that text's index."""
    vectoriser = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode")
    reference = vectoriser.fit_transform(list(train))
    query = vectoriser.transform(list(test))
    best = np.zeros(query.shape[0])
    index = np.zeros(query.shape[0], dtype=np.int64)
    for start in range(0, query.shape[0], chunk):
        block = query[start : start + chunk] @ reference.T
        best[start : start + chunk] = block.max(axis=1).toarray().ravel()
        index[start : start + chunk] = np.asarray(block.argmax(axis=1)).ravel()
    return best, index


def overlap_report(train: Sequence[str], test: Sequence[str], *, near: float = 0.9) -> OverlapReport:
    seen = {normalise(t) for t in train}
    exact = sum(1 for t in test if normalise(t) in seen)
    close = int(np.sum(nearest(train, test)[0] >= near)) if test and train else 0
    return OverlapReport(len(test), exact, close, near)
