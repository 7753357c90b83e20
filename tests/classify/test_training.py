"""The label-merge rule for confirmed / rejected tags, and training from store-shaped rows."""

from __future__ import annotations

from rightstrack.classify import FakeClassifier, Prediction, TrainingRow, train_from_rows
from rightstrack.classify.training import (
    TagRecord,
    build_training_set,
    merge_labels,
    merge_single_label,
    plan_predicted_tags,
)
from rightstrack.model.records import Provenance
from rightstrack.model.reference import ACTION_FAMILY, ISSUE_FAMILY

from .synthetic import make_rows

IMP, C, R, P = Provenance.IMPORTED, Provenance.CONFIRMED, Provenance.REJECTED, Provenance.PREDICTED


def tag(label: str, provenance: Provenance, family: str = ISSUE_FAMILY) -> TagRecord:
    return TagRecord(family, label, provenance)


def test_imported_plus_confirmed_minus_rejected() -> None:
    tags = [
        tag("Labour", IMP),
        tag("Detention", IMP),
        tag("Torture", C),
        tag("Detention", R),
        tag("Women", P),
    ]
    assert merge_labels(tags, ISSUE_FAMILY) == {"Labour", "Torture"}


def test_predicted_tags_never_train_and_other_families_are_ignored() -> None:
    tags = [tag("Women", P), tag("5", IMP, ACTION_FAMILY)]
    assert merge_labels(tags, ISSUE_FAMILY) == frozenset()


def test_rejection_wins_over_confirmation_and_import() -> None:
    assert merge_labels([tag("A", IMP), tag("A", C), tag("A", R)], ISSUE_FAMILY) == frozenset()


def test_single_label_rule() -> None:
    assert merge_single_label([tag("4", IMP, ACTION_FAMILY)], ACTION_FAMILY) == "4"
    assert (
        merge_single_label([tag("4", IMP, ACTION_FAMILY), tag("5", C, ACTION_FAMILY)], ACTION_FAMILY) == "5"
    )
    assert (
        merge_single_label([tag("4", IMP, ACTION_FAMILY), tag("4", R, ACTION_FAMILY)], ACTION_FAMILY) is None
    )
    two = [tag("4", C, ACTION_FAMILY), tag("5", C, ACTION_FAMILY)]
    assert merge_single_label(two, ACTION_FAMILY) is None
    assert merge_single_label([tag("3", P, ACTION_FAMILY)], ACTION_FAMILY) is None


def test_build_training_set_drops_unlabelled_rows_and_partial_groups() -> None:
    rows = [
        TrainingRow("one", (tag("A", IMP),), group=1),
        TrainingRow("two", (tag("A", R),), group=2),
        TrainingRow("three", (tag("B", C),), group=3),
    ]
    built = build_training_set(rows, ISSUE_FAMILY)
    assert built.texts == ["one", "three"] and built.labels == [["A"], ["B"]] and built.groups == [1, 3]
    rows.append(TrainingRow("four", (tag("B", IMP),)))
    assert build_training_set(rows, ISSUE_FAMILY).groups is None


def test_plan_predicted_tags_never_touches_human_or_imported_tags() -> None:
    existing = [tag("A", C), tag("B", R), tag("C", IMP), tag("D", P)]
    predictions = [Prediction(x, 0.8) for x in ("A", "B", "C", "D", "E")]
    planned = plan_predicted_tags(
        existing, predictions, family=ISSUE_FAMILY, model_name="m", model_version="v1"
    )
    assert [p.label for p in planned] == ["D", "E"]
    assert all(p.provenance is P and p.model_name == "m" and p.confidence == 0.8 for p in planned)


def test_train_from_rows_with_real_models_on_synthetic_data() -> None:
    rows = [
        TrainingRow(
            text,
            (*(tag(i, IMP) for i in issues), tag(action, IMP, ACTION_FAMILY)),
            group=session,
        )
        for text, issues, action, session in make_rows()
    ]
    trained = train_from_rows(rows)
    assert trained.issues is not None and trained.action is not None
    assert trained.issue_rows == len(rows) == trained.action_rows
    assert trained.action.predict(["Consider ratifying instruments on torture."])[0][0].label == "3"
    assert "Torture" in [p.label for p in trained.issues.predict(["End torture in prisons."])[0]]


def test_train_from_rows_skips_thin_families() -> None:
    rows = [TrainingRow("only one", (tag("A", IMP),))]
    trained = train_from_rows(rows, issues_factory=FakeClassifier)
    assert trained.issues is None and trained.action is None and trained.issue_rows == 1
