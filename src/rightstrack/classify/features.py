"""TF-IDF features: word 1-2-grams, character 2-5-grams, for the action category the opening words
and, optionally, sentence embeddings (:mod:`rightstrack.classify.embedding`).

The action category is largely decided by the opening verb ("Consider ..." -> 3, "Continue ..." -> 2,
"Ratify ..." -> 5), so :class:`TextFeatures` can add a separate block of n-grams over the first words,
anchored with a ``bos`` token so "continue" at the start differs from "continue" mid-sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from rightstrack.classify.embedding import Embedder

_WORD = re.compile(r"[a-z]+")


def opening(text: str, words: int) -> str:
    """The first ``words`` lower-case words of ``text`` behind a ``bos`` marker."""
    return " ".join(["bos", *_WORD.findall(text.lower())[:words]])


@dataclass
class FeatureConfig:
    word_min_df: int = 2
    char_min_df: int = 3
    char_max_features: int = 200_000
    opening_words: int = 0
    opening_weight: float = 0.5
    # Scale of the embedding block beside the unit-length TF-IDF rows (0.5 won on validation).
    embedding_weight: float = 0.5


class TextFeatures:
    """Fit-once, transform-many sparse features (L2-normalised rows)."""

    def __init__(self, config: FeatureConfig | None = None, embedder: Embedder | None = None) -> None:
        self.config = config or FeatureConfig()
        self.embedder = embedder
        self.word = TfidfVectorizer(
            ngram_range=(1, 2), min_df=self.config.word_min_df, sublinear_tf=True, strip_accents="unicode"
        )
        self.char = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(2, 5),
            min_df=self.config.char_min_df,
            sublinear_tf=True,
            max_features=self.config.char_max_features,
        )
        self.opening: TfidfVectorizer | None = None
        if self.config.opening_words > 0:
            self.opening = TfidfVectorizer(
                ngram_range=(1, 3), min_df=2, sublinear_tf=True, token_pattern=r"\S+"
            )

    def fit(self, texts: Sequence[str]) -> TextFeatures:
        items = list(texts)
        # min_df must not exceed the corpus on tiny data sets (tests, first imports).
        if len(items) < 50:
            self.word.set_params(min_df=1)
            self.char.set_params(min_df=1)
            if self.opening is not None:
                self.opening.set_params(min_df=1)
        self.word.fit(items)
        self.char.fit(items)
        if self.opening is not None:
            self.opening.fit([opening(t, self.config.opening_words) for t in items])
        return self

    def transform(self, texts: Sequence[str]) -> Any:
        items = list(texts)
        blocks = [normalize(hstack([self.word.transform(items), self.char.transform(items)]).tocsr())]
        if self.opening is not None:
            start = normalize(self.opening.transform([opening(t, self.config.opening_words) for t in items]))
            blocks.append(start * self.config.opening_weight)
        if self.embedder is not None:
            blocks.append(csr_matrix(self.embedder.embed(items) * self.config.embedding_weight))
        return blocks[0] if len(blocks) == 1 else hstack(blocks).tocsr()
