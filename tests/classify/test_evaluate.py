"""Metrics against values computed by hand."""

from __future__ import annotations

import pytest

from rightstrack.classify.evaluate import evaluate_multilabel, evaluate_single_label


def test_multilabel_micro_macro_by_hand() -> None:
    truth = [["A", "B"], ["A"], ["C"], []]
    predicted = [["A"], ["A", "C"], ["C"], ["B"]]
    report = evaluate_multilabel(truth, predicted)
    # A: tp 2, fp 0, fn 0 -> F1 1; B: tp 0, fp 1, fn 1 -> 0; C: tp 1, fp 1, fn 0 -> 2/3.
    scores = {s.label: s for s in report.per_label}
    assert scores["A"].f1 == 1.0
    assert scores["B"].f1 == 0.0
    assert scores["C"].f1 == pytest.approx(2 / 3)
    assert scores["C"].precision == 0.5 and scores["C"].recall == 1.0
    assert scores["B"].support == 1 and scores["B"].predicted == 1
    # micro: tp 3, fp 2, fn 1 -> 6 / 9
    assert report.micro_f1 == pytest.approx(6 / 9)
    assert report.micro_precision == pytest.approx(3 / 5)
    assert report.micro_recall == pytest.approx(3 / 4)
    assert report.macro_f1 == pytest.approx((1 + 0 + 2 / 3) / 3)
    assert report.as_dict()["per_label"]["C"]["f1"] == 0.6667


def test_multilabel_fixed_universe_counts_absent_labels() -> None:
    report = evaluate_multilabel([["A"]], [["A"]], labels=["A", "Z"])
    assert report.macro_f1 == pytest.approx(0.5)
    assert report.micro_f1 == 1.0


def test_single_label_accuracy_macro_and_confusion() -> None:
    truth = ["1", "1", "2", "2", "3"]
    predicted = ["1", "2", "2", "2", "1"]
    report = evaluate_single_label(truth, predicted)
    assert report.accuracy == pytest.approx(3 / 5)
    assert report.labels == ["1", "2", "3"]
    assert report.confusion == [[1, 1, 0], [0, 2, 0], [1, 0, 0]]
    # F1: "1" tp1 fp1 fn1 -> 0.5; "2" tp2 fp1 fn0 -> 0.8; "3" -> 0
    assert report.macro_f1 == pytest.approx((0.5 + 0.8 + 0.0) / 3)


def test_length_mismatch_is_an_error() -> None:
    with pytest.raises(ValueError):
        evaluate_multilabel([["A"]], [])
    with pytest.raises(ValueError):
        evaluate_single_label(["1"], [])
