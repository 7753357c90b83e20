"""The write path for exports too large to hold: chunks of drafts, one transaction.

``write_stream`` asks the importer for one chunk of drafts at a time (say 5,000), resolves and
writes it, and lets it go, so memory stays bounded by the chunk; everything happens inside one
transaction, so the file is still all or nothing. A row the importer cannot read, or a name the
store cannot resolve, is collected while the rest of the file is still read (to report every
problem at once) and then rolls the whole import back.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import suppress
from datetime import UTC, datetime

from rightstrack.errors import ErrorList
from rightstrack.ingest.base import StreamedBatch
from rightstrack.store.database import Database
from rightstrack.store.read_ahead import ReadAhead
from rightstrack.store.resolve import Resolved, Resolver
from rightstrack.store.writer import (
    DryRunDone,
    ImportSummary,
    add_sample,
    begin,
    finish,
    new_summary,
    raise_unresolved,
    write_chunk,
)


def write_stream(
    db: Database, streamed: StreamedBatch, importer: str, *, dry_run: bool = False
) -> ImportSummary:
    started = time.perf_counter()
    summary = new_summary(streamed.document.path, importer, [], dry_run=dry_run)
    resolver = Resolver(ErrorList(streamed.document.path), streamed.field_labels)
    with suppress(DryRunDone), db.transaction() as conn:
        context = begin(conn, streamed.document, streamed.tag_source, datetime.now(UTC))
        for resolved in _resolved_chunks(streamed, resolver):
            if resolver.errors.problems:
                continue  # nothing more is written; the rest is read for its problems
            write_chunk(conn, context, resolver, resolved, summary)
            add_sample(summary, resolved)
        raise_unresolved(resolver)
        summary.rows_read = streamed.rows_read
        summary.non_state_recommenders = dict(resolver.non_state)
        summary.notes.extend(str(n) for n in streamed.notes)
        finish(conn, context, summary, started)
    return summary


def _resolved_chunks(streamed: StreamedBatch, resolver: Resolver) -> Iterator[list[Resolved]]:
    if isinstance(streamed, ReadAhead):  # resolved by the reading process already
        yield from streamed.resolved(resolver)
        return
    for chunk in streamed.chunks:
        yield resolver.resolve(chunk)
