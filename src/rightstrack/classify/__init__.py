"""Automatic tagging of recommendations: UPR Info issues (multi-label) and action category (1-5),
and similarity ("recommendations like this one", previous-cycle counterparts).

Public API:
* :class:`Classifier` (protocol), :class:`Prediction`
* :class:`TfidfSvcIssues` with :func:`baseline_issues` / :func:`chosen_issues`, :class:`TfidfSvcAction`,
  :class:`FakeClassifier` (for tests of other components)
* :func:`save_model`, :func:`load_model`, :func:`read_info`, :func:`latest_model`
* :func:`evaluate_multilabel`, :func:`evaluate_single_label`, :func:`overlap_report`
* :func:`train_from_rows`, :func:`merge_labels`, :func:`merge_single_label`, :func:`plan_predicted_tags`
* :func:`read_corpus` (the store as the models see it), :func:`temporal_split`
* ``service`` (train / predict / evaluate against the store), ``similar``
  (:func:`similar_recommendations`, :func:`previous_cycle_counterparts`)

Names are imported on first use (PEP 562), so importing one submodule, as the CLI and the web app
do, does not load scikit-learn's estimators.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rightstrack.classify.base import Classifier, Prediction
    from rightstrack.classify.corpus import StoredText, read_corpus
    from rightstrack.classify.data import Recommendation, load_uprinfo_rows, temporal_split
    from rightstrack.classify.evaluate import evaluate_multilabel, evaluate_single_label
    from rightstrack.classify.fake import FakeClassifier
    from rightstrack.classify.linear import TfidfSvcAction, TfidfSvcIssues, baseline_issues, chosen_issues
    from rightstrack.classify.overlap import overlap_report
    from rightstrack.classify.persist import ModelInfo, latest_model, load_model, read_info, save_model
    from rightstrack.classify.similar import previous_cycle_counterparts, similar_recommendations
    from rightstrack.classify.training import (
        TagRecord,
        TrainingRow,
        merge_labels,
        merge_single_label,
        plan_predicted_tags,
        train_from_rows,
    )

_WHERE = {
    "Classifier": "base",
    "Prediction": "base",
    "StoredText": "corpus",
    "read_corpus": "corpus",
    "Recommendation": "data",
    "load_uprinfo_rows": "data",
    "temporal_split": "data",
    "evaluate_multilabel": "evaluate",
    "evaluate_single_label": "evaluate",
    "FakeClassifier": "fake",
    "TfidfSvcAction": "linear",
    "TfidfSvcIssues": "linear",
    "baseline_issues": "linear",
    "chosen_issues": "linear",
    "overlap_report": "overlap",
    "ModelInfo": "persist",
    "latest_model": "persist",
    "load_model": "persist",
    "read_info": "persist",
    "save_model": "persist",
    "previous_cycle_counterparts": "similar",
    "similar_recommendations": "similar",
    "TagRecord": "training",
    "TrainingRow": "training",
    "merge_labels": "training",
    "merge_single_label": "training",
    "plan_predicted_tags": "training",
    "train_from_rows": "training",
}

__all__ = [
    "Classifier",
    "FakeClassifier",
    "ModelInfo",
    "Prediction",
    "Recommendation",
    "StoredText",
    "TagRecord",
    "TfidfSvcAction",
    "TfidfSvcIssues",
    "TrainingRow",
    "baseline_issues",
    "chosen_issues",
    "evaluate_multilabel",
    "evaluate_single_label",
    "latest_model",
    "load_model",
    "load_uprinfo_rows",
    "merge_labels",
    "merge_single_label",
    "overlap_report",
    "plan_predicted_tags",
    "previous_cycle_counterparts",
    "read_corpus",
    "read_info",
    "save_model",
    "similar_recommendations",
    "temporal_split",
    "train_from_rows",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        if name in {"service", "similar", "corpus"}:
            return importlib.import_module(f"rightstrack.classify.{name}")
        raise AttributeError(f"module 'rightstrack.classify' has no attribute {name!r}")
    return getattr(importlib.import_module(f"rightstrack.classify.{module}"), name)
