"""Exact and near duplicates between training and evaluation texts."""

from __future__ import annotations

from rightstrack.classify.overlap import nearest, normalise, overlap_report

TRAIN = [
    "Ratify the Convention against Torture",
    "Continue its efforts to combat trafficking in persons",
    "Establish a national human rights institution in line with the Paris Principles",
]


def test_normalise_folds_case_accents_and_punctuation() -> None:
    assert normalise("  Ratify the Convention — ÉCOLE, now! ") == "ratify the convention ecole now"


def test_nearest_points_at_the_closest_training_text() -> None:
    best, index = nearest(
        TRAIN, ["continue efforts to combat trafficking", "ratify the convention against torture"]
    )
    assert list(index) == [1, 0]
    assert best[1] > 0.99
    assert 0.3 < best[0] < 0.99


def test_overlap_report_counts_exact_and_near_copies() -> None:
    test = [
        "Ratify the Convention against Torture.",  # exact after normalisation
        "Establish a national human rights institution in line with the Paris Principles soon",  # near
        "Abolish the death penalty",  # unseen
    ]
    report = overlap_report(TRAIN, test, near=0.9).as_dict()
    assert report["test_texts"] == 3
    assert report["exact_normalised_in_train"] == 1
    assert report["near_cosine_ge_0.9"] == 2
