"""The importer interface: every source format is one small class behind it.

An importer only reads. It turns a file into an :class:`ImportBatch` (the document it saw, the
drafts it found, the problems it met) and never touches the database; the store writes a batch in
one transaction, so a failing file leaves nothing behind.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Protocol, runtime_checkable

from rightstrack.errors import ImportFailed, Problem
from rightstrack.model.records import DocumentInfo, RecommendationDraft

ProgressCallback = Callable[[int, int | None], None]
"""Called as ``progress(done, total)`` while a file is read; total may be unknown (None)."""


@dataclass
class ImportBatch:
    document: DocumentInfo
    drafts: list[RecommendationDraft]
    notes: list[Problem] = field(default_factory=list)
    """Things worth telling the user that did not stop the import (skipped rows and why)."""
    rows_read: int = 0
    field_labels: dict[str, str] = field(default_factory=dict)
    """The source's own names for draft fields (``{"state_under_review": "To"}``), used in errors."""
    cited_symbol: str | None = None
    """The UN document the rows cite ("A/HRC/59/15"): where a file does not name its state under
    review, the store finds it by this symbol among the documents already imported."""
    tag_source: str | None = None
    """Who assigned the imported tags ("OHCHR thematic list"), kept with each tag."""


@dataclass
class StreamedBatch:
    """A large file read as it is written: the store asks ``chunks`` for drafts one chunk at a time
    (bounded memory) inside one transaction. ``rows_read`` and ``notes`` grow while it reads; the
    iterator raises :class:`ImportFailed` at its end if any row was bad, which rolls everything back."""

    document: DocumentInfo
    chunks: Iterator[list[RecommendationDraft]]
    notes: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    field_labels: dict[str, str] = field(default_factory=dict)
    tag_source: str | None = None


class Importer(Protocol):
    """One source format. ``name`` is what the CLI calls it (``rightstrack import NAME FILE``)."""

    name: ClassVar[str]
    description: ClassVar[str]
    budgeted: ClassVar[bool]
    """True for documents (PDF, DOCX …): read in a child process under the import time budget."""

    def sniff(self, path: Path, head: bytes) -> bool:
        """True when the file looks like this importer's format (``head`` = its first 64 KiB)."""
        ...

    def read(self, path: Path, progress: ProgressCallback | None = None) -> ImportBatch:
        """Read the whole file or raise :class:`ImportFailed` naming file, line/page and field."""
        ...


@runtime_checkable
class StreamingImporter(Importer, Protocol):
    """An importer of exports too large to hold whole: ``import_file`` writes what it streams."""

    def read_chunks(self, path: Path, progress: ProgressCallback | None = None) -> StreamedBatch:
        """Check the file's header at once; read its rows as the chunks are asked for."""
        ...


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


_REGISTRY: dict[str, Importer] = {}


def register(importer: Importer) -> Importer:
    _REGISTRY[importer.name] = importer
    return importer


def importers() -> dict[str, Importer]:
    # Imported here so that registering happens on first use, not at package import.
    from rightstrack.ingest import uhri, uprinfo  # noqa: F401
    from rightstrack.ingest.undocs import importer as _undocs  # noqa: F401

    return dict(_REGISTRY)


def get_importer(name: str) -> Importer:
    found = importers().get(name)
    if found is None:
        known = ", ".join(sorted(importers()))
        raise ImportFailed(f"no importer called {name!r}; known importers: {known}")
    return found


def detect_importer(path: Path, candidates: Iterable[Importer] | None = None) -> Importer:
    """Pick the importer whose ``sniff`` accepts the file, or say plainly that none does."""
    try:
        with path.open("rb") as handle:
            head = handle.read(65536)
    except OSError as exc:
        raise ImportFailed(f"{path}: cannot read file: {exc.strerror}") from exc
    for importer in candidates or importers().values():
        if importer.sniff(path, head):
            return importer
    raise ImportFailed(
        f"{path}: not a format rightstrack can import (no importer recognised it); a table with its "
        "own column headings imports with `rightstrack import table` or the import page's table path"
    )
