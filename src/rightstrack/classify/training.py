"""From tags (imported, confirmed, rejected, predicted) to training sets and back to predicted tags.

These functions know nothing about the database; the store hands in plain rows. Families and
provenances are the store's own (``rightstrack.model.reference`` / ``rightstrack.model.records``);
``store.tagging.training_labels`` applies the same multi-label rule inside the database.

Rules (facts of the project, tested in tests/classify/test_training.py):
* Training labels of a text = (imported | confirmed) - rejected. Should a label arrive both
  confirmed and rejected, rejection wins (never learn a disputed label as a positive).
* Predicted tags never count as training labels (the model must not learn from itself).
* Single-label families (the action category): a single confirmed label wins; otherwise the one
  imported label unless rejected; anything else (none, several) leaves the text out.
* New predictions never overwrite an imported, confirmed or rejected tag of the same label.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rightstrack.classify.base import Classifier, Prediction
from rightstrack.model.records import Provenance
from rightstrack.model.reference import ACTION_FAMILY, ISSUE_FAMILY


@dataclass(frozen=True, slots=True)
class TagRecord:
    family: str
    label: str
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class TrainingRow:
    text: str
    tags: tuple[TagRecord, ...] = ()
    group: int | None = None  # e.g. the UPR session: later groups are used to tune thresholds


def _labels(tags: Iterable[TagRecord], family: str, provenance: Provenance) -> set[str]:
    return {t.label for t in tags if t.family == family and t.provenance is provenance}


def merge_labels(tags: Iterable[TagRecord], family: str) -> frozenset[str]:
    """Multi-label training labels of one text: (imported | confirmed) - rejected."""
    items = list(tags)
    imported = _labels(items, family, Provenance.IMPORTED)
    confirmed = _labels(items, family, Provenance.CONFIRMED)
    rejected = _labels(items, family, Provenance.REJECTED)
    return frozenset((imported | confirmed) - rejected)


def merge_single_label(tags: Iterable[TagRecord], family: str) -> str | None:
    """Single-label training label of one text, or None when there is no unambiguous one."""
    items = list(tags)
    rejected = _labels(items, family, Provenance.REJECTED)
    confirmed = _labels(items, family, Provenance.CONFIRMED) - rejected
    if len(confirmed) == 1:
        return next(iter(confirmed))
    if confirmed:
        return None
    imported = _labels(items, family, Provenance.IMPORTED) - rejected
    return next(iter(imported)) if len(imported) == 1 else None


@dataclass(frozen=True)
class TrainingSet:
    texts: list[str]
    labels: list[list[str]]
    groups: list[int] | None


def build_training_set(
    rows: Iterable[TrainingRow], family: str, *, single_label: bool = False
) -> TrainingSet:
    """Texts with at least one training label for ``family``, their labels and groups.

    Groups are kept only when every kept row has one; otherwise the model falls back to row order.
    """
    texts: list[str] = []
    labels: list[list[str]] = []
    groups: list[int | None] = []
    for row in rows:
        if single_label:
            one = merge_single_label(row.tags, family)
            merged = [one] if one is not None else []
        else:
            merged = sorted(merge_labels(row.tags, family))
        if merged and row.text.strip():
            texts.append(row.text)
            labels.append(merged)
            groups.append(row.group)
    clean = [g for g in groups if g is not None]
    return TrainingSet(texts, labels, clean if len(clean) == len(groups) else None)


@dataclass(frozen=True)
class TrainedModels:
    issues: Classifier | None
    action: Classifier | None
    issue_rows: int
    action_rows: int


def train_from_rows(
    rows: Iterable[TrainingRow],
    *,
    issues_factory: Callable[[], Classifier] | None = None,
    action_factory: Callable[[], Classifier] | None = None,
    min_rows: int = 20,
    progress: Callable[[str, int, int], None] | None = None,
) -> TrainedModels:
    """Train the issue and action taggers from the store's rows (a model is None when its
    family has fewer than ``min_rows`` labelled texts or fewer than two labels). ``progress`` is
    called as ``(family, 0, 1)`` before and ``(family, 1, 1)`` after each fit."""
    # The real models import scikit-learn; imported here so readers of this module stay light.
    from rightstrack.classify.linear import TfidfSvcAction, chosen_issues

    issues_factory = issues_factory or chosen_issues
    action_factory = action_factory or TfidfSvcAction
    items = list(rows)
    issues_set = build_training_set(items, ISSUE_FAMILY)
    action_set = build_training_set(items, ACTION_FAMILY, single_label=True)
    issues: Classifier | None = None
    action: Classifier | None = None
    report = progress or (lambda step, done, total: None)
    if len(issues_set.texts) >= min_rows and len({x for row in issues_set.labels for x in row}) >= 2:
        report(ISSUE_FAMILY, 0, 1)
        issues = issues_factory().fit(issues_set.texts, issues_set.labels, issues_set.groups)
        report(ISSUE_FAMILY, 1, 1)
    if len(action_set.texts) >= min_rows and len({row[0] for row in action_set.labels}) >= 2:
        report(ACTION_FAMILY, 0, 1)
        action = action_factory().fit(action_set.texts, action_set.labels, action_set.groups)
        report(ACTION_FAMILY, 1, 1)
    return TrainedModels(issues, action, len(issues_set.texts), len(action_set.texts))


@dataclass(frozen=True, slots=True)
class PredictedTag:
    family: str
    label: str
    confidence: float
    model_name: str
    model_version: str
    provenance: Provenance = Provenance.PREDICTED


def plan_predicted_tags(
    existing: Sequence[TagRecord],
    predictions: Sequence[Prediction],
    *,
    family: str,
    model_name: str,
    model_version: str,
) -> list[PredictedTag]:
    """The predicted tags to write for one text: the store replaces the text's previous
    *predicted* tags of ``family`` with these. Labels already imported, confirmed or
    rejected are skipped, so a human decision is never overwritten."""
    settled = {t.label for t in existing if t.family == family and t.provenance is not Provenance.PREDICTED}
    return [
        PredictedTag(family, p.label, round(p.confidence, 4), model_name, model_version)
        for p in predictions
        if p.label not in settled
    ]
