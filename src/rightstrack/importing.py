"""Importing files: pick the importer, read the file, write the batch. The CLI and web call this."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from rightstrack.errors import ImportFailed
from rightstrack.ingest.base import Importer, ProgressCallback, detect_importer, get_importer
from rightstrack.ingest.review_hint import ReviewHint
from rightstrack.store import schema
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
    link_cycles: bool = True,
) -> ImportSummary:
    """Import one file in one transaction; raise ImportFailed (nothing stored) on bad input.

    With ``link_cycles`` (the setting ``link_cycles_on_import``), new recommendations are then
    linked to the same ask in their state's previous cycle, in a second transaction (see
    ``rightstrack.followup.cycles``)."""
    if not path.exists():
        raise ImportFailed(f"{path}: no such file")
    if not path.is_file():
        raise ImportFailed(f"{path}: not a file")
    chosen = get_importer(importer) if isinstance(importer, str) else importer or detect_importer(path)
    batch = chosen.read(path, progress)
    if review is not None:
        review.apply(batch)
    if dry_run or not link_cycles:
        return write_batch(db, batch, chosen.name, dry_run=dry_run)
    last_id = _last_recommendation_id(db)
    summary = write_batch(db, batch, chosen.name)
    if summary.created:
        _link_new(db, last_id, summary)
    return summary


def _last_recommendation_id(db: Database) -> int:
    with db.read() as conn:
        return int(conn.scalar(select(func.max(schema.recommendations.c.id))) or 0)


def _link_new(db: Database, last_id: int, summary: ImportSummary) -> None:
    # Imports hold the write lock and number new rows after the highest id, so the ids above
    # last_id are this import's (or a concurrent one's: linking those too does no harm).
    from rightstrack.followup.cycles import ids_to_link_after_import, link_cycles

    with db.read() as conn:
        new_ids = list(
            conn.scalars(select(schema.recommendations.c.id).where(schema.recommendations.c.id > last_id))
        )
    scope = ids_to_link_after_import(db, new_ids)
    if scope:
        linked = link_cycles(db, scope, actor="import")
        summary.notes.append(
            f"linked to the previous cycle: {linked.added} added, {linked.removed} removed "
            f"({linked.seconds:.1f} s)"
        )
