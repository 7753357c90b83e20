"""Train, evaluate and apply the taggers against the store: what ``rightstrack classify`` runs.

* :func:`train` learns from the store's training labels ((imported | confirmed) - rejected; never
  predictions) and saves each model as a new versioned file under ``<data dir>/models``.
* :func:`predict` loads the newest model of each family and stores its suggestions as
  ``predicted`` tags with provenance (model name, version, confidence) through
  ``store.tagging.store_predictions``, which never touches imported, confirmed or rejected tags.
* :func:`evaluate` measures the taggers on a temporal split of the store (never a random one).

Progress is reported through a plain callback ``(step, done, total)`` so the CLI can draw bars.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from rightstrack.classify.base import Classifier
from rightstrack.classify.corpus import StoredText, as_recommendations, read_corpus, training_rows
from rightstrack.classify.data import temporal_split
from rightstrack.classify.embedding import cached_embedder
from rightstrack.classify.evaluate import evaluate_multilabel, evaluate_single_label
from rightstrack.classify.linear import TfidfSvcAction, chosen_issues, embedded_issues
from rightstrack.classify.overlap import overlap_report
from rightstrack.classify.persist import ModelInfo, load_model, save_model, saved_models
from rightstrack.classify.training import train_from_rows
from rightstrack.errors import InvalidInput, NotFound
from rightstrack.model.reference import ACTION_FAMILY, ISSUE_FAMILY
from rightstrack.store import tagging
from rightstrack.store.database import Database

Progress = Callable[[str, int, int], None]
Factory = Callable[[], Classifier]
FAMILIES = (ISSUE_FAMILY, ACTION_FAMILY)
PREDICT_BATCH = 2000


def models_dir(data_dir: Path) -> Path:
    """Where model files live: ``<data dir>/models`` (created on first save)."""
    return data_dir / "models"


def issues_model(directory: Path, embeddings: str | None = None) -> Factory:
    """The issue tagger to train: the TF-IDF one, or with ``embeddings`` (an embedder's name) the
    same with sentence vectors beside it, cached under ``directory``. Fails early, before any
    training, when the embedder cannot load (its optional extra is missing)."""
    if not embeddings:
        return chosen_issues
    embedder = cached_embedder(embeddings, directory)
    embedder.inner.embed(["check that the embedder loads"])  # not cached
    return lambda: embedded_issues(embedder)


def _quiet(step: str, done: int, total: int) -> None:
    """The default progress callback: report nothing."""


@dataclass(frozen=True)
class TrainResult:
    saved: dict[str, ModelInfo]
    rows: dict[str, int]
    seconds: float


def _stem_version(info: ModelInfo) -> str:
    """Tag provenance names the exact file: "v1-20261123T040000Z" (the file stem minus the name)."""
    return info.path.stem.removeprefix(f"{info.name}-")


def train(
    db: Database,
    directory: Path,
    *,
    issues_factory: Factory = chosen_issues,
    action_factory: Factory = TfidfSvcAction,
    min_rows: int = 20,
    progress: Progress = _quiet,
) -> TrainResult:
    """Train both taggers on the store's training labels and save them; returns what was saved."""
    started = time.perf_counter()
    progress("read", 0, 1)
    rows = training_rows(read_corpus(db))
    progress("read", 1, 1)
    trained = train_from_rows(
        rows,
        issues_factory=issues_factory,
        action_factory=action_factory,
        min_rows=min_rows,
        progress=progress,
    )
    saved: dict[str, ModelInfo] = {}
    for family, model in ((ISSUE_FAMILY, trained.issues), (ACTION_FAMILY, trained.action)):
        if model is not None:
            model.metrics = {**model.metrics, "family": family, "trained_on": len(rows)}
            saved[family] = save_model(model, directory)
    if not saved:
        raise InvalidInput(
            f"nothing to learn from: fewer than {min_rows} labelled recommendations in every tag family"
        )
    rows_used = {ISSUE_FAMILY: trained.issue_rows, ACTION_FAMILY: trained.action_rows}
    return TrainResult(saved, rows_used, time.perf_counter() - started)


def latest_models(directory: Path) -> dict[str, tuple[Classifier, ModelInfo]]:
    """The newest saved model of each family found in ``directory``."""
    newest: dict[str, ModelInfo] = {}
    for info in saved_models(directory):  # oldest first, so later ones replace earlier ones
        family = info.metrics.get("family")
        if family in FAMILIES:
            newest[str(family)] = info
    return {family: (load_model(info.path), info) for family, info in newest.items()}


@dataclass(frozen=True)
class PredictResult:
    predicted: dict[str, int] = field(default_factory=dict)  # texts scored per family
    written: dict[str, int] = field(default_factory=dict)  # predicted tags stored per family
    seconds: float = 0.0


def _eligible(
    corpus: Sequence[StoredText], family: str, multilabel: bool, everything: bool
) -> list[StoredText]:
    """Texts to suggest tags for: by default those without an imported or confirmed tag of
    ``family``; with ``everything``, all texts of a multi-label family. A single-label family never
    gets a suggestion beside an imported or confirmed label: two action categories would contradict."""
    if everything and multilabel:
        return list(corpus)
    return [item for item in corpus if not item.labelled(family)]


def _suggest(model: Classifier, items: Sequence[StoredText], family: str) -> list[tagging.Prediction]:
    """The model's suggestions for ``items``, leaving out labels people or imports already settled.

    Single-label: the most confident label that is not settled (so a rejected category gives way
    to the next best one), whatever its confidence.
    """
    texts = [item.text for item in items]
    out: list[tagging.Prediction] = []
    if model.multilabel:
        for item, row in zip(items, model.predict(texts), strict=True):
            settled = item.settled(family)
            out.extend(
                tagging.Prediction(item.id, p.label, p.confidence) for p in row if p.label not in settled
            )
        return out
    confidences = model.predict_proba(texts)
    for item, row in zip(items, confidences, strict=True):
        settled = item.settled(family)
        allowed = [j for j in np.argsort(-row, kind="stable") if model.labels[j] not in settled]
        if allowed:
            out.append(tagging.Prediction(item.id, model.labels[allowed[0]], float(row[allowed[0]])))
    return out


def predict(
    db: Database,
    directory: Path,
    *,
    everything: bool = False,
    models: dict[str, tuple[Classifier, ModelInfo]] | None = None,
    progress: Progress = _quiet,
) -> PredictResult:
    """Suggest tags with the newest models and store them as predictions (see module docstring)."""
    started = time.perf_counter()
    chosen = models if models is not None else latest_models(directory)
    if not chosen:
        raise NotFound(f"no trained model in {directory}; run `rightstrack classify train` first")
    corpus = read_corpus(db, list(chosen))
    scored: dict[str, int] = {}
    written: dict[str, int] = {}
    for family, (model, info) in chosen.items():
        items = _eligible(corpus, family, model.multilabel, everything)
        suggestions: list[tagging.Prediction] = []
        for start in range(0, len(items), PREDICT_BATCH):
            batch = items[start : start + PREDICT_BATCH]
            suggestions.extend(_suggest(model, batch, family))
            progress(family, start + len(batch), len(items))
        progress(family, len(items), len(items))
        scored[family] = len(items)
        written[family] = tagging.store_predictions(
            db, family, suggestions, model=info.name, version=_stem_version(info)
        )
    return PredictResult(scored, written, time.perf_counter() - started)


def evaluate(
    db: Database,
    *,
    test_from: int = 15,
    issues_factory: Factory = chosen_issues,
    action_factory: Factory = TfidfSvcAction,
    progress: Progress = _quiet,
) -> dict[str, Any]:
    """Train on sessions before ``test_from`` and measure on the later ones (temporal split).

    The models tune their thresholds inside the training sessions only; the test sessions are
    seen once, for the figures. Returns a JSON-ready report.
    """
    progress("read", 0, 1)
    rows = as_recommendations(read_corpus(db))
    split = temporal_split(rows, train_until=test_from - 1, validation_until=test_from - 1)
    progress("read", 1, 1)
    train_rows, test_rows = split.train, split.test
    if not train_rows or not test_rows:
        raise InvalidInput(f"a temporal split needs sessions before and from {test_from}")
    report: dict[str, Any] = {
        "split": {
            "train_sessions": f"< {test_from}",
            "test_sessions": f">= {test_from}",
            "train": len(train_rows),
            "test": len(test_rows),
        },
        "overlap": overlap_report([r.text for r in train_rows], [r.text for r in test_rows]).as_dict(),
    }
    progress("issues", 0, 1)
    train_i = [r for r in train_rows if r.issues]
    test_i = [r for r in test_rows if r.issues]
    if train_i and test_i:
        model = issues_factory().fit(
            [r.text for r in train_i], [r.issues for r in train_i], [r.session for r in train_i]
        )
        guessed = [[p.label for p in row] for row in model.predict([r.text for r in test_i])]
        report["issues"] = {
            "model": model.name,
            **evaluate_multilabel([r.issues for r in test_i], guessed).as_dict(),
        }
    progress("issues", 1, 1)
    progress("action", 0, 1)
    train_a = [r for r in train_rows if r.action]
    test_a = [r for r in test_rows if r.action]
    if len({r.action for r in train_a}) >= 2 and test_a:
        action = action_factory().fit(
            [r.text for r in train_a], [[r.action or ""] for r in train_a], [r.session for r in train_a]
        )
        picked = [row[0].label for row in action.predict([r.text for r in test_a])]
        report["action"] = {
            "model": action.name,
            **evaluate_single_label([r.action or "" for r in test_a], picked).as_dict(),
        }
    progress("action", 1, 1)
    return report
