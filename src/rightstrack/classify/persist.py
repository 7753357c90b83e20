"""Versioned model files: ``<name>-<version>-<UTC timestamp>.joblib`` plus a JSON sidecar.

The sidecar carries what the store needs without unpickling (model name, version, label set,
metrics, library versions) and the SHA-256 of the model file, which :func:`load_model` checks.
Pickles execute code when loaded: only load model files this installation wrote itself.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import joblib
import sklearn

from rightstrack import __version__
from rightstrack.classify.base import Classifier

FORMAT = 1


@dataclass(frozen=True, slots=True)
class ModelInfo:
    name: str
    version: str
    labels: tuple[str, ...]
    multilabel: bool
    metrics: dict[str, Any]
    created_at: str
    path: Path

    @property
    def tag(self) -> str:
        """``name@version``, the provenance string stored with predicted tags."""
        return f"{self.name}@{self.version}"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save_model(model: Classifier, directory: Path, *, now: float | None = None) -> ModelInfo:
    """Write ``model`` and its sidecar into ``directory`` (created if missing); never overwrite."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(time.time() if now is None else now))
    stem = f"{model.name}-{model.version}-{stamp}"
    path = directory / f"{stem}.joblib"
    suffix = 1
    while path.exists():
        suffix += 1
        path = directory / f"{stem}-{suffix}.joblib"
    tmp = path.with_suffix(".joblib.tmp")
    joblib.dump(model, tmp, compress=3)
    tmp.replace(path)
    created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() if now is None else now))
    sidecar = {
        "format": FORMAT,
        "name": model.name,
        "version": model.version,
        "class": f"{type(model).__module__}.{type(model).__qualname__}",
        "multilabel": model.multilabel,
        "labels": list(model.labels),
        "metrics": model.metrics,
        "created_at": created,
        "file": path.name,
        "sha256": _sha256(path),
        "rightstrack": __version__,
        "scikit_learn": sklearn.__version__,
    }
    path.with_suffix(".json").write_text(json.dumps(sidecar, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return ModelInfo(
        model.name, model.version, tuple(model.labels), model.multilabel, dict(model.metrics), created, path
    )


def read_info(path: Path) -> ModelInfo:
    """Read a model's sidecar (``path`` may name the ``.joblib`` or the ``.json``)."""
    meta = json.loads(path.with_suffix(".json").read_text("utf-8"))
    if meta.get("format") != FORMAT:
        raise ValueError(f"{path}: unsupported model file format {meta.get('format')!r}")
    return ModelInfo(
        meta["name"],
        meta["version"],
        tuple(meta["labels"]),
        bool(meta["multilabel"]),
        dict(meta["metrics"]),
        meta["created_at"],
        path.with_suffix(".joblib"),
    )


def load_model(path: Path) -> Classifier:
    """Load a model written by :func:`save_model`, checking its checksum and identity."""
    info = read_info(path)
    meta = json.loads(path.with_suffix(".json").read_text("utf-8"))
    model_path = path.with_suffix(".joblib")
    if _sha256(model_path) != meta["sha256"]:
        raise ValueError(f"{model_path}: checksum does not match its sidecar")
    model = cast(Classifier, joblib.load(model_path))
    if (model.name, model.version, tuple(model.labels)) != (info.name, info.version, info.labels):
        raise ValueError(f"{model_path}: model does not match its sidecar")
    return model


def _order(info: ModelInfo) -> tuple[str, int, str]:
    """Newest last: by time stamp, then by the "-2", "-3" suffix of files saved within one second."""
    tail = info.path.stem.rsplit("-", 1)[-1]
    return (info.created_at, int(tail) if tail.isdigit() and len(tail) < 6 else 1, info.path.name)


def saved_models(directory: Path) -> list[ModelInfo]:
    """Every readable model sidecar in ``directory``, oldest first."""
    found: list[ModelInfo] = []
    for sidecar in directory.glob("*.json") if directory.is_dir() else []:
        try:
            found.append(read_info(sidecar))
        except (ValueError, KeyError, json.JSONDecodeError):
            continue
    return sorted(found, key=_order)


def latest_model(directory: Path, name: str) -> Path | None:
    """The newest saved model called ``name`` in ``directory``, if any."""
    found = [info for info in saved_models(directory) if info.name == name]
    return found[-1].path if found else None
