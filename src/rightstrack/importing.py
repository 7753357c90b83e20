"""Importing files: pick the importer, read the file, write the batch. The CLI and web call this."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from rightstrack.errors import ImportFailed, Problem
from rightstrack.ingest.base import (
    ImportBatch,
    Importer,
    ProgressCallback,
    StreamingImporter,
    detect_importer,
    get_importer,
)
from rightstrack.ingest.budget import ReadBudget, read_within_budget
from rightstrack.ingest.review_hint import ReviewHint
from rightstrack.store import schema
from rightstrack.store.database import Database
from rightstrack.store.read_ahead import read_ahead
from rightstrack.store.stream import write_stream
from rightstrack.store.writer import ImportSummary, write_batch

DEFAULT_BUDGET = ReadBudget()
_ANALYZE_AFTER = 10_000  # new recommendations
READ_AHEAD_BYTES = 4 << 20
"""From this size an export is parsed in a second process while the store writes (about 15,000
rows of XLSX); below it, starting the process costs more than it saves."""


def import_file(
    db: Database,
    path: Path,
    importer: Importer | str | None = None,
    *,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
    review: ReviewHint | None = None,
    link_cycles: bool = True,
    budget: ReadBudget | None = DEFAULT_BUDGET,
) -> ImportSummary:
    """Import one file in one transaction; raise ImportFailed (nothing stored) on bad input.

    Documents (importers marked ``budgeted``) are read in a child process under ``budget`` (see
    :mod:`rightstrack.ingest.budget`); None reads them in this process, unbounded.

    With ``link_cycles`` (the setting ``link_cycles_on_import``), new recommendations are then
    linked to the same ask in their state's previous cycle, in a second transaction (see
    ``rightstrack.followup.cycles``)."""
    if not path.exists():
        raise ImportFailed(f"{path}: no such file")
    if not path.is_file():
        raise ImportFailed(f"{path}: not a file")
    chosen = get_importer(importer) if isinstance(importer, str) else importer or detect_importer(path)
    if isinstance(chosen, StreamingImporter) and review is None:
        return _import_stream(db, chosen, path, dry_run=dry_run, progress=progress, link_cycles=link_cycles)
    if budget is not None and chosen.budgeted:
        batch = read_within_budget(chosen, path, budget, progress)
    else:
        batch = chosen.read(path, progress)
    if review is not None:
        review.apply(batch)
    settle_state(db, batch)
    if dry_run or not link_cycles:
        return write_batch(db, batch, chosen.name, dry_run=dry_run)
    last_id = _last_recommendation_id(db)
    summary = write_batch(db, batch, chosen.name)
    if summary.created:
        _link_new(db, last_id, summary)
    return summary


def _import_stream(
    db: Database,
    chosen: StreamingImporter,
    path: Path,
    *,
    dry_run: bool,
    progress: ProgressCallback | None,
    link_cycles: bool,
) -> ImportSummary:
    """A large export, written chunk by chunk as it is read (every row names its state)."""
    last_id = _last_recommendation_id(db)
    large = path.is_file() and path.stat().st_size >= READ_AHEAD_BYTES
    streamed = read_ahead(chosen, path, progress) if large else chosen.read_chunks(path, progress)
    summary = write_stream(db, streamed, chosen.name, dry_run=dry_run)
    if summary.created >= _ANALYZE_AFTER and not dry_run and db.dialect == "postgresql":
        # PostgreSQL would plan searches with the statistics of the table before the import until
        # autovacuum comes by; a large export can multiply the table tenfold.
        with db.transaction(bump=False) as conn:  # statistics only: no data changes
            conn.exec_driver_sql("ANALYZE")
    if summary.created and link_cycles and not dry_run:
        _link_new(db, last_id, summary)
    return summary


def settle_state(db: Database, batch: ImportBatch) -> None:
    """Give rows the file left without a state under review the review of the document they cite
    (imported earlier): its state, and its session where the file gives none. Without one, refuse
    the file and say how to name the state."""
    missing = [d for d in batch.drafts if not d.state_under_review]
    if not missing:
        return
    review = _review_of_symbol(db, batch.cited_symbol) if batch.cited_symbol else None
    if review is None:
        cited = f" (it cites {batch.cited_symbol}, which is not imported yet)" if batch.cited_symbol else ""
        raise ImportFailed(
            f"{batch.document.path}: cannot tell which state is under review{cited}; "
            "name it with --state (or --review STATE:SESSION), or import the report first",
            [Problem("state under review not found", batch.document.path, value=batch.cited_symbol)],
        )
    for draft in missing:
        draft.state_under_review = review.state
        if draft.session is None and draft.mechanism == review.mechanism:
            draft.cycle, draft.session, draft.year = review.cycle, review.session, review.year
    batch.notes.insert(
        0,
        Problem(
            f"state under review {review.state}: the review of {batch.cited_symbol}", batch.document.path
        ),
    )


@dataclass(frozen=True)
class _Review:
    state: str
    mechanism: str
    cycle: int | None
    session: int | None
    year: int | None


def _review_of_symbol(db: Database, symbol: str) -> _Review | None:
    """The one review whose recommendations cite ``symbol`` (or its addendum), if it is stored."""
    d, s, r, v = schema.documents, schema.recommendation_sources, schema.recommendations, schema.reviews
    query = (
        select(v.c.state, v.c.mechanism, v.c.cycle, v.c.session, v.c.year)
        .select_from(d.join(s, s.c.document_id == d.c.id).join(r, r.c.id == s.c.recommendation_id))
        .join(v, v.c.id == r.c.review_id)
        .where(d.c.symbol.in_([symbol, f"{symbol}/Add.1"]))
        .distinct()
    )
    with db.read() as conn:
        reviews = [_Review(*row) for row in conn.execute(query)]
    return reviews[0] if len(reviews) == 1 else None


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
