"""Importing files: pick the importer, read the file, write the batch. The CLI and web call this."""

from __future__ import annotations

from pathlib import Path

from rightstrack.errors import ImportFailed
from rightstrack.ingest.base import Importer, ProgressCallback, detect_importer, get_importer
from rightstrack.ingest.review_hint import ReviewHint
from rightstrack.store.database import Database
from rightstrack.store.writer import ImportSummary, write_batch


def import_file(
    db: Database,
    path: Path,
    importer: Importer | str | None = None,
    *,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
    review: ReviewHint | None = None,
) -> ImportSummary:
    """Import one file in one transaction; raise ImportFailed (nothing stored) on bad input."""
    if not path.exists():
        raise ImportFailed(f"{path}: no such file")
    if not path.is_file():
        raise ImportFailed(f"{path}: not a file")
    chosen = get_importer(importer) if isinstance(importer, str) else importer or detect_importer(path)
    batch = chosen.read(path, progress)
    if review is not None:
        review.apply(batch)
    return write_batch(db, batch, chosen.name, dry_run=dry_run)
