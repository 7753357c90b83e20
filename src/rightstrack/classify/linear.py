"""TF-IDF + linear SVM classifiers: the issue tagger (baseline and chosen) and the action tagger.

The weights are kept as one dense float32 matrix, so prediction is a single sparse x dense product
(tens of thousands of texts per second) and the saved file stays small.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from joblib import Parallel, delayed
from scipy.sparse import csr_matrix, hstack
from sklearn.svm import LinearSVC

from rightstrack.classify.base import FloatArray, Prediction, decide, labels_matrix
from rightstrack.classify.embedding import Embedder
from rightstrack.classify.features import FeatureConfig, TextFeatures
from rightstrack.classify.thresholds import to_confidence, tune_thresholds

ThresholdMode = Literal["none", "holdout", "oof"]


@dataclass
class IssueConfig:
    """Knobs of :class:`TfidfSvcIssues`; the defaults are the model chosen on validation."""

    C: float = 0.3
    positive_weight_cap: float | None = 3.0  # class weight of positives: min(cap, sqrt(neg/pos))
    threshold_mode: ThresholdMode = "oof"
    holdout_groups: int = 2  # "holdout": the latest groups (sessions) tune the thresholds
    oof_folds: int = 3  # "oof": contiguous blocks of groups, out-of-fold scores tune them
    per_label: bool = False  # per-label thresholds lost on validation (see benchmarks)
    shrink: float = 50.0
    # Label co-occurrence: a second SVM per label also sees every label's first-stage score (out-of-fold
    # scores while training), scaled by this weight; 0 turns the second stage off.
    stack_weight: float = 0.1
    at_least_one: bool = True
    n_jobs: int = 2
    features: FeatureConfig = field(default_factory=FeatureConfig)


def _fit_one(x: Any, y: npt.NDArray[np.int8], c: float, cap: float | None) -> tuple[FloatArray, float]:
    positives = int(y.sum())
    if positives == 0 or positives == len(y):
        return np.zeros(x.shape[1]), (1.0 if positives else -1.0)
    weight = None
    if cap is not None and cap > 1.0:
        weight = {0: 1.0, 1: min(cap, max(1.0, math.sqrt((len(y) - positives) / positives)))}
    model = LinearSVC(C=c, class_weight=weight, max_iter=2000).fit(x, y)
    return np.asarray(model.coef_[0], dtype=np.float64), float(model.intercept_[0])


def _fit_weights(
    x: Any, y: npt.NDArray[np.int8], c: float, cap: float | None, n_jobs: int
) -> tuple[npt.NDArray[np.float32], FloatArray]:
    parts = Parallel(n_jobs=n_jobs, prefer="threads")(
        delayed(_fit_one)(x, y[:, j], c, cap) for j in range(y.shape[1])
    )
    weights = np.vstack([p[0] for p in parts]).astype(np.float32)
    return weights, np.array([p[1] for p in parts], dtype=np.float64)


def _scores(x: Any, weights: npt.NDArray[np.float32], bias: FloatArray) -> FloatArray:
    return np.asarray(x @ weights.T, dtype=np.float64) + bias


def _pseudo_groups(n: int, blocks: int = 5) -> npt.NDArray[np.int64]:
    """Without groups, treat consecutive blocks of rows as groups (row order as a time proxy)."""
    size = max(1, math.ceil(n / blocks))
    return np.arange(n, dtype=np.int64) // size


class TfidfSvcIssues:
    """Multi-label issue tagger: one linear SVM per label over word + character TF-IDF."""

    multilabel = True

    def __init__(
        self,
        config: IssueConfig | None = None,
        *,
        name: str = "issues-tfidf-svc-cw",
        version: str = "v1",
        embedder: Embedder | None = None,
    ) -> None:
        self.config = config or IssueConfig()
        self.embedder = embedder
        self.name = name
        self.version = version
        self.metrics: dict[str, Any] = {}
        self._labels: tuple[str, ...] = ()
        self.features: TextFeatures | None = None
        self.weights: npt.NDArray[np.float32] = np.zeros((0, 0), dtype=np.float32)
        self.bias: FloatArray = np.zeros(0)
        self.stage2: tuple[npt.NDArray[np.float32], FloatArray] | None = None
        self.thresholds: FloatArray = np.zeros(0)

    @property
    def labels(self) -> tuple[str, ...]:
        return self._labels

    def describe(self) -> dict[str, Any]:
        return {"config": asdict(self.config), "embedder": self.embedder.name if self.embedder else None}

    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[Sequence[str]],
        groups: Sequence[int] | None = None,
    ) -> TfidfSvcIssues:
        if len(texts) != len(labels):
            raise ValueError("texts and labels differ in length")
        cfg = self.config
        self._labels = tuple(sorted({label for row in labels for label in row}))
        y = labels_matrix(labels, self._labels)
        # Vocabulary and IDF come from all training texts, also for the threshold folds (no labels leak).
        self.features = TextFeatures(cfg.features, self.embedder).fit(texts)
        x = self.features.transform(texts)
        g = np.asarray(groups, dtype=np.int64) if groups is not None else _pseudo_groups(len(texts))
        oof, scored = self._out_of_fold(x, y, g)
        if scored.any() and cfg.threshold_mode != "none":
            # With the second stage these thresholds are reused on its margins (same scale; checked
            # on the validation sessions, see benchmarks/classify_eval.py).
            self.thresholds = tune_thresholds(
                oof[scored], y[scored], per_label=cfg.per_label, shrink=cfg.shrink
            )
        else:
            self.thresholds = np.zeros(y.shape[1])
        self.weights, self.bias = _fit_weights(x, y, cfg.C, cfg.positive_weight_cap, cfg.n_jobs)
        self.stage2 = None
        if cfg.stack_weight > 0 and scored.all():
            # Out-of-fold first-stage scores stand in for the test-time ones (no label leaks in).
            self.stage2 = _fit_weights(self._stacked(x, oof), y, cfg.C, cfg.positive_weight_cap, cfg.n_jobs)
        return self

    def _stacked(self, x: Any, first: FloatArray) -> Any:
        return hstack([x, csr_matrix(np.clip(first, -2.0, 2.0) * self.config.stack_weight)]).tocsr()

    def _out_of_fold(
        self, x: Any, y: npt.NDArray[np.int8], groups: npt.NDArray[np.int64]
    ) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
        """First-stage scores of each training text from a model that did not see its sessions."""
        cfg = self.config
        distinct = np.unique(groups)
        scores = np.zeros(y.shape, dtype=np.float64)
        scored = np.zeros(len(groups), dtype=bool)
        if (cfg.threshold_mode == "none" and cfg.stack_weight <= 0) or len(distinct) < 2:
            return scores, scored
        if cfg.threshold_mode == "holdout":  # the stage-2 needs every text scored, so it is skipped then
            held = distinct[-min(cfg.holdout_groups, len(distinct) - 1) :]
            folds = [np.isin(groups, held)]
        else:
            blocks = np.array_split(distinct, min(cfg.oof_folds, len(distinct)))
            folds = [np.isin(groups, block) for block in blocks]
        for held_out in folds:
            weights, bias = _fit_weights(
                x[~held_out], y[~held_out], cfg.C, cfg.positive_weight_cap, cfg.n_jobs
            )
            scores[held_out] = _scores(x[held_out], weights, bias)
            scored |= held_out
        return scores, scored

    def decision_function(self, texts: Sequence[str]) -> FloatArray:
        if self.features is None:
            raise RuntimeError("model is not fitted")
        x = self.features.transform(texts)
        first = _scores(x, self.weights, self.bias)
        if self.stage2 is None:
            return first
        return _scores(self._stacked(x, first), *self.stage2)

    def predict_proba(self, texts: Sequence[str]) -> FloatArray:
        return to_confidence(self.decision_function(texts), self.thresholds)

    def predict(self, texts: Sequence[str]) -> list[list[Prediction]]:
        return decide(
            self.predict_proba(texts), self._labels, multilabel=True, at_least_one=self.config.at_least_one
        )


def baseline_issues() -> TfidfSvcIssues:
    """The plain baseline: no class weights, per-label thresholds tuned on the latest 2 sessions."""
    config = IssueConfig(
        positive_weight_cap=None,
        threshold_mode="holdout",
        per_label=True,
        shrink=0.0,
        stack_weight=0.0,
        at_least_one=False,
    )
    return TfidfSvcIssues(config, name="issues-tfidf-svc")


def chosen_issues() -> TfidfSvcIssues:
    """The model kept on validation (see benchmarks/classify_eval.py)."""
    return TfidfSvcIssues(IssueConfig(), name="issues-tfidf-svc-stack")


def embedded_issues(embedder: Embedder) -> TfidfSvcIssues:
    """The chosen tagger with sentence embeddings beside its TF-IDF features (opt-in; see
    :mod:`rightstrack.classify.embedding` for why it is not the default)."""
    name = f"issues-tfidf-{embedder.name.lower()}-stack"
    return TfidfSvcIssues(IssueConfig(), name=name, embedder=embedder)


@dataclass
class ActionConfig:
    C: float = 0.3
    steepness: float = 3.0
    features: FeatureConfig = field(
        default_factory=lambda: FeatureConfig(opening_words=4, opening_weight=0.5)
    )


class TfidfSvcAction:
    """Single-label action category (UPR Info 1-5) from TF-IDF plus the opening words."""

    multilabel = False

    def __init__(
        self,
        config: ActionConfig | None = None,
        *,
        name: str = "action-tfidf-svc-opening",
        version: str = "v1",
    ) -> None:
        self.config = config or ActionConfig()
        self.name = name
        self.version = version
        self.metrics: dict[str, Any] = {}
        self._labels: tuple[str, ...] = ()
        self.features: TextFeatures | None = None
        self.model: LinearSVC | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        return self._labels

    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[Sequence[str]],
        groups: Sequence[int] | None = None,
    ) -> TfidfSvcAction:
        if len(texts) != len(labels):
            raise ValueError("texts and labels differ in length")
        if any(len(row) != 1 for row in labels):
            raise ValueError("the action category takes exactly one label per text")
        target = [row[0] for row in labels]
        self._labels = tuple(sorted(set(target)))
        if len(self._labels) < 2:
            raise ValueError("the action category needs at least two distinct labels to learn")
        self.features = TextFeatures(self.config.features).fit(texts)
        self.model = LinearSVC(C=self.config.C, max_iter=2000).fit(self.features.transform(texts), target)
        return self

    def predict_proba(self, texts: Sequence[str]) -> FloatArray:
        if self.features is None or self.model is None:
            raise RuntimeError("model is not fitted")
        scores = np.asarray(self.model.decision_function(self.features.transform(texts)), dtype=np.float64)
        if scores.ndim == 1:  # two classes: sklearn returns one margin
            scores = np.column_stack([-scores, scores])
        order = [list(self.model.classes_).index(label) for label in self._labels]
        z = self.config.steepness * scores[:, order]
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return np.asarray(e / e.sum(axis=1, keepdims=True), dtype=np.float64)

    def predict(self, texts: Sequence[str]) -> list[list[Prediction]]:
        return decide(self.predict_proba(texts), self._labels, multilabel=False)
