"""The TF-IDF models and the fake model on synthetic data; save/load round trips."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from rightstrack.classify import (
    Classifier,
    FakeClassifier,
    TfidfSvcAction,
    baseline_issues,
    chosen_issues,
    latest_model,
    load_model,
    read_info,
    save_model,
)
from rightstrack.classify.evaluate import evaluate_multilabel

from .synthetic import make_rows


def _split() -> tuple[list[tuple[str, list[str], str, int]], list[tuple[str, list[str], str, int]]]:
    rows = make_rows(range(1, 11))
    return [r for r in rows if r[3] <= 8], [r for r in rows if r[3] > 8]


def test_fake_classifier_is_deterministic_and_a_classifier() -> None:
    fake = FakeClassifier({"Torture": ["torture"], "Press": ["journalist", "media"]})
    assert isinstance(fake, Classifier)
    fake.fit(["x"], [["Women"]])
    assert fake.labels == ("Press", "Torture", "Women")
    got = fake.predict(["End torture of journalists", "Nothing here", "women"])
    assert [[p.label for p in row] for row in got] == [["Press", "Torture"], [], ["Women"]]
    assert got[0][0].confidence == 0.9
    assert fake.predict_proba(["Nothing"]).tolist() == [[0.1, 0.1, 0.1]]


@pytest.mark.parametrize("factory", [baseline_issues, chosen_issues])
def test_issue_models_learn_synthetic_topics(factory: type) -> None:
    train, test = _split()
    model = factory()
    model.config.n_jobs = 1
    model.fit([r[0] for r in train], [r[1] for r in train], [r[3] for r in train])
    assert isinstance(model, Classifier)
    assert model.labels == ("Children", "Press", "Torture", "Women")
    proba = model.predict_proba([r[0] for r in test])
    assert proba.shape == (len(test), 4)
    assert np.all((proba > 0) & (proba < 1))
    predicted = [[p.label for p in row] for row in model.predict([r[0] for r in test])]
    report = evaluate_multilabel([r[1] for r in test], predicted)
    assert report.micro_f1 >= 0.9


def test_the_co_occurrence_stage_is_fitted_only_with_every_text_scored_out_of_fold() -> None:
    train, _ = _split()
    texts, labels, groups = [r[0] for r in train], [r[1] for r in train], [r[3] for r in train]
    stacked = chosen_issues()
    stacked.config.n_jobs = 1
    assert stacked.fit(texts, labels, groups).stage2 is not None
    assert stacked.stage2[0].shape[1] == stacked.weights.shape[1] + len(stacked.labels)
    baseline = baseline_issues()  # thresholds on a hold-out: no out-of-fold score for every text
    baseline.config.n_jobs = 1
    assert baseline.fit(texts, labels, groups).stage2 is None


def test_action_model_reads_the_opening_verb() -> None:
    train, test = _split()
    model = TfidfSvcAction().fit([r[0] for r in train], [[r[2]] for r in train])
    assert model.labels == ("2", "3", "5")
    got = model.predict(["Consider ratifying instruments on torture.", "Continue to promote the media."])
    assert [row[0].label for row in got] == ["3", "2"]
    proba = model.predict_proba([r[0] for r in test])
    assert np.allclose(proba.sum(axis=1), 1.0)
    with pytest.raises(ValueError):
        TfidfSvcAction().fit(["a", "b"], [["1", "2"], ["1"]])


def test_save_load_round_trip(tmp_path: Path) -> None:
    train, test = _split()
    model = chosen_issues()
    model.config.n_jobs = 1
    model.fit([r[0] for r in train], [r[1] for r in train], [r[3] for r in train])
    model.metrics = {"validation": {"micro_f1": 0.5}}
    info = save_model(model, tmp_path, now=0.0)
    assert info.path.name == "issues-tfidf-svc-stack-v1-19700101T000000Z.joblib"
    sidecar = json.loads(info.path.with_suffix(".json").read_text("utf-8"))
    assert sidecar["labels"] == list(model.labels)
    assert sidecar["metrics"] == {"validation": {"micro_f1": 0.5}}
    assert read_info(info.path).tag == "issues-tfidf-svc-stack@v1"
    loaded = load_model(info.path)
    texts = [r[0] for r in test]
    assert np.allclose(loaded.predict_proba(texts), model.predict_proba(texts))
    again = save_model(model, tmp_path, now=0.0)  # same second: a new file, never an overwrite
    assert again.path != info.path and info.path.exists()
    assert latest_model(tmp_path, "issues-tfidf-svc-stack") == again.path  # "-2" is the newer one
    assert latest_model(tmp_path, "other") is None


def test_load_refuses_a_tampered_file(tmp_path: Path) -> None:
    fake = FakeClassifier({"A": ["a"]})
    info = save_model(fake, tmp_path)
    assert load_model(info.path).predict(["a"])[0][0].label == "A"
    info.path.write_bytes(info.path.read_bytes() + b"\0")
    with pytest.raises(ValueError, match="checksum"):
        load_model(info.path)
