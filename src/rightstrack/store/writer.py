"""The write path for imports: resolve names, then store a whole batch in one transaction.

Nothing is written until every name in the batch resolves, and the batch then commits as a whole,
so a bad file or a killed process leaves the database exactly as it was. Re-importing is
idempotent: each recommendation has a fingerprint (its review and paragraph, or its text and
recommenders), and a known fingerprint is updated only where something really changed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from rightstrack.errors import ErrorList, Problem, UnknownState
from rightstrack.ingest.base import ImportBatch
from rightstrack.model.records import DocumentInfo, Provenance
from rightstrack.store import bulk, schema
from rightstrack.store.authority import TEXT_AUTHORITY, text_authority, update_changed
from rightstrack.store.database import Database
from rightstrack.store.matching import Matcher
from rightstrack.store.resolve import Resolved, Resolver

_CHUNK = 500


@dataclass
class ImportSummary:
    file: str
    importer: str
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[Problem] = field(default_factory=list)
    non_state_recommenders: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    dry_run: bool = False
    sample: list[dict[str, Any]] = field(default_factory=list)
    """The first records as they would be stored (state, paragraph, recommenders, response, text)."""

    @property
    def accounted(self) -> int:
        return self.created + self.updated + self.unchanged + len(self.skipped)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["skipped"] = [p.as_dict() for p in self.skipped]
        return data


def write_batch(db: Database, batch: ImportBatch, importer: str, *, dry_run: bool = False) -> ImportSummary:
    """Store a batch in one transaction (or, with ``dry_run``, say what would change and roll back)."""
    started = time.perf_counter()
    summary = new_summary(batch.document.path, importer, batch.notes, dry_run=dry_run)
    summary.rows_read = batch.rows_read
    resolver = Resolver(ErrorList(batch.document.path), batch.field_labels)
    resolved = resolver.resolve(batch.drafts)
    raise_unresolved(resolver)
    summary.non_state_recommenders = dict(resolver.non_state)
    summary.sample = [_sample(r) for r in resolved[:SAMPLE_SIZE]]
    with suppress(DryRunDone), db.transaction() as conn:
        context = begin(conn, batch.document, batch.tag_source, datetime.now(UTC))
        write_chunk(conn, context, resolver, resolved, summary)
        finish(conn, context, summary, started)
    return summary


def new_summary(path: str, importer: str, notes: list[Problem], *, dry_run: bool) -> ImportSummary:
    summary = ImportSummary(file=path, importer=importer, dry_run=dry_run)
    summary.skipped = [n for n in notes if n.message.startswith("skipped")]
    summary.notes = [str(n) for n in notes if not n.message.startswith("skipped")]
    return summary


def raise_unresolved(resolver: Resolver) -> None:
    resolver.errors.raise_if_any(
        f"{len(resolver.errors.problems)} name(s) do not resolve to a known state; nothing was imported",
        UnknownState,
    )


SAMPLE_SIZE = 10


def _sample(item: Resolved) -> dict[str, Any]:
    draft = item.draft
    return {
        "state": item.state,
        "session": draft.session,
        "paragraph": draft.paragraph,
        "recommenders": [code or label for code, label, _kind in item.recommenders],
        "response": draft.response.value if draft.response else None,
        "text": draft.text,
        "locator": draft.locator,
    }


def add_sample(summary: ImportSummary, resolved: list[Resolved]) -> None:
    room = SAMPLE_SIZE - len(summary.sample)
    summary.sample.extend(_sample(r) for r in resolved[: max(room, 0)])


class DryRunDone(Exception):
    """Raised at the end of a dry run so the transaction rolls back everything it did."""


@dataclass
class WriteContext:
    """What every chunk of one import shares inside its transaction."""

    document_id: int
    document: DocumentInfo
    tag_source: str | None
    now: datetime
    stamp: Any
    matcher: Matcher
    mechanisms: set[str] = field(default_factory=set)
    reviews: dict[str, int] | None = None
    """Every review's id by key, read on the first chunk and kept up to date."""


def begin(conn: Connection, document: DocumentInfo, tag_source: str | None, now: datetime) -> WriteContext:
    bulk.lock_for_import(conn)
    return WriteContext(
        document_id=_upsert_document(conn, document, now),
        document=document,
        tag_source=tag_source,
        now=now,
        stamp=bulk.timestamp(conn, now),
        matcher=Matcher(),
    )


def write_chunk(
    conn: Connection, ctx: WriteContext, resolver: Resolver, resolved: list[Resolved], summary: ImportSummary
) -> None:
    _ensure_mechanisms(conn, ctx, resolver.new_mechanisms)
    review_ids = _ensure_reviews(conn, ctx, resolved)
    tag_ids = _ensure_tags(conn, [(f, n) for r in resolved for f, ns in r.draft.tags.items() for n in ns])
    ctx.matcher.by_external_id(conn, resolved)
    existing = _existing(conn, list({r.fingerprint for r in resolved}))
    unmatched = [r for r in resolved if r.fingerprint not in existing]
    if matched := ctx.matcher.by_document(conn, unmatched):
        existing.update(_existing(conn, list({r.fingerprint for r in matched})))
    new = list({r.fingerprint: r for r in resolved if r.fingerprint not in existing}.values())
    ids = {fp: row.id for fp, row in existing.items()}
    first = bulk.next_id(conn, "recommendations")
    ids.update({r.fingerprint: first + n for n, r in enumerate(new)})
    _insert_new(conn, new, ids, review_ids, tag_ids, ctx.document_id, ctx.stamp, ctx.tag_source)
    old = [r for r in resolved if r.fingerprint in existing]
    authority = text_authority(conn, list({existing[r.fingerprint].id for r in old}))
    rank = TEXT_AUTHORITY.get(ctx.document.kind, 0)
    for item in old:
        row = existing[item.fingerprint]
        outranked = authority.get(row.id, -1) > rank
        if update_changed(conn, row, item.draft, ctx.now, outranked=outranked):
            summary.updated += 1
        else:
            summary.unchanged += 1
    summary.created += len(new)
    _add_sources(conn, old, ids, ctx.document_id)
    _add_imported_tags(conn, old, ids, tag_ids, ctx.now, ctx.tag_source)
    ctx.matcher.remember(conn, resolved, ids)


def finish(conn: Connection, ctx: WriteContext, summary: ImportSummary, started: float) -> None:
    summary.seconds = time.perf_counter() - started
    conn.execute(
        schema.import_runs.insert(),
        {
            "importer": summary.importer,
            "document_id": ctx.document_id,
            "filename": Path(ctx.document.path).name,
            "started_at": ctx.now,
            "finished_at": datetime.now(UTC),
            "summary": json.dumps({k: v for k, v in summary.as_dict().items() if k != "sample"}),
        },
    )
    if summary.dry_run:
        raise DryRunDone


def _ensure_mechanisms(conn: Connection, ctx: WriteContext, wanted: dict[str, str]) -> None:
    """Add the special procedures this import met that the database does not hold yet."""
    fresh = sorted(set(wanted) - ctx.mechanisms)
    if not fresh:
        return
    m = schema.mechanisms
    have = set(conn.scalars(select(m.c.code).where(m.c.code.in_(fresh))))
    rows = [{"code": c, "name": wanted[c], "kind": "special procedures"} for c in fresh if c not in have]
    if rows:
        conn.execute(m.insert(), rows)
    ctx.mechanisms.update(fresh)


def _upsert_document(conn: Connection, doc: DocumentInfo, now: datetime) -> int:
    found = conn.scalar(select(schema.documents.c.id).where(schema.documents.c.sha256 == doc.sha256))
    if found is not None:
        return int(found)
    return int(
        conn.execute(
            schema.documents.insert().returning(schema.documents.c.id),
            {
                "sha256": doc.sha256,
                "symbol": doc.symbol,
                "kind": doc.kind.value,
                "language": doc.language,
                "filename": Path(doc.path).name,
                "title": doc.title,
                "imported_at": now,
            },
        ).scalar_one()
    )


def _ensure_reviews(conn: Connection, ctx: WriteContext, resolved: Sequence[Resolved]) -> dict[str, int]:
    """Review key → id, for every review of the chunk (new reviews are numbered here, under the
    import's lock, so one executemany writes them)."""
    if ctx.reviews is None:
        v = schema.reviews
        ctx.reviews = {key: rid for key, rid in conn.execute(select(v.c.key, v.c.id))}
    known = ctx.reviews
    missing: dict[str, tuple[Any, ...]] = {}
    for r in resolved:
        d = r.draft
        key = r.review
        if key not in known and key not in missing:
            missing[key] = (key, d.mechanism, r.state, d.cycle, d.session, d.year)
    if missing:
        first = bulk.next_id(conn, "reviews")
        rows = [(first + n, *row) for n, row in enumerate(missing.values())]
        bulk.insert_rows(
            conn, "reviews", ("id", "key", "mechanism", "state", "cycle", "session", "year"), rows
        )
        bulk.sync_sequence(conn, "reviews")
        known.update({row[1]: row[0] for row in rows})
    return known


def _ensure_tags(conn: Connection, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    wanted = set(pairs)
    t = schema.tags
    ids = {(row.family, row.name): row.id for row in conn.execute(select(t.c.id, t.c.family, t.c.name))}
    missing = [{"family": f, "name": n} for f, n in sorted(wanted) if (f, n) not in ids]
    if missing:
        conn.execute(t.insert(), missing)
        ids = {(row.family, row.name): row.id for row in conn.execute(select(t.c.id, t.c.family, t.c.name))}
    return ids


def _ids_by(conn: Connection, key_col: Any, id_col: Any, keys: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        found.update({k: i for k, i in conn.execute(select(key_col, id_col).where(key_col.in_(chunk)))})
    return found


def _existing(conn: Connection, fingerprints: list[str]) -> dict[str, Any]:
    r = schema.recommendations
    found: dict[str, Any] = {}
    for start in range(0, len(fingerprints), _CHUNK):
        chunk = fingerprints[start : start + _CHUNK]
        rows = conn.execute(
            select(
                r.c.id, r.c.fingerprint, r.c.text, r.c.response, r.c.response_source, r.c.paragraph, r.c.topic
            ).where(r.c.fingerprint.in_(chunk))
        )
        found.update({row.fingerprint: row for row in rows})
    return found


def _insert_new(
    conn: Connection,
    new: list[Resolved],
    ids: dict[str, int],
    review_ids: dict[str, int],
    tag_ids: dict[tuple[str, str], int],
    document_id: int,
    stamp: Any,
    tag_source: str | None,
) -> None:
    """Records met for the first time: they have no sources or tags yet, so nothing needs checking."""
    if not new:
        return
    imported = Provenance.IMPORTED.value
    with bulk.deferred_fulltext(conn, min(ids[r.fingerprint] for r in new)):
        _insert_recommendations(conn, new, ids, review_ids, stamp)
    bulk.insert_rows(
        conn,
        "recommenders",
        ("recommendation_id", "position", "state", "name", "kind"),
        [
            (ids[r.fingerprint], i, alpha3, label, kind)
            for r in new
            for i, (alpha3, label, kind) in enumerate(r.recommenders)
        ],
    )
    bulk.insert_rows(
        conn,
        "recommendation_sources",
        ("recommendation_id", "document_id", "locator", "paragraph"),
        [(ids[r.fingerprint], document_id, r.draft.locator, r.draft.paragraph) for r in new],
    )
    bulk.insert_rows(
        conn,
        "recommendation_tags",
        ("recommendation_id", "tag_id", "provenance", "source", "updated_at"),
        sorted(
            {
                (ids[r.fingerprint], tag_ids[(f, n)], imported, tag_source, stamp)
                for r in new
                for f, names in r.draft.tags.items()
                for n in names
            }
        ),
    )
    bulk.sync_sequence(conn, "recommendations")


def _insert_recommendations(
    conn: Connection, new: list[Resolved], ids: dict[str, int], review_ids: dict[str, int], stamp: Any
) -> None:
    bulk.insert_rows(
        conn,
        "recommendations",
        _RECOMMENDATION_COLUMNS,
        [
            (
                ids[r.fingerprint],
                review_ids[r.review],
                r.fingerprint,
                r.draft.paragraph,
                r.draft.text,
                r.draft.response.value if r.draft.response else None,
                r.draft.response_source,
                r.draft.topic,
                stamp,
                stamp,
            )
            for r in new
        ],
    )


_RECOMMENDATION_COLUMNS = (
    "id",
    "review_id",
    "fingerprint",
    "paragraph",
    "text",
    "response",
    "response_source",
    "topic",
    "created_at",
    "updated_at",
)


def _add_sources(conn: Connection, resolved: list[Resolved], ids: dict[str, int], document_id: int) -> None:
    s = schema.recommendation_sources
    rec_ids = [ids[r.fingerprint] for r in resolved]
    have: set[tuple[int, str]] = set()
    for start in range(0, len(rec_ids), _CHUNK):
        chunk = rec_ids[start : start + _CHUNK]
        have.update(
            (row.recommendation_id, row.locator)
            for row in conn.execute(
                select(s.c.recommendation_id, s.c.locator).where(
                    s.c.document_id == document_id, s.c.recommendation_id.in_(chunk)
                )
            )
        )
    rows = [
        {
            "recommendation_id": ids[r.fingerprint],
            "document_id": document_id,
            "locator": r.draft.locator,
            "paragraph": r.draft.paragraph,
        }
        for r in resolved
        if (ids[r.fingerprint], r.draft.locator) not in have
    ]
    if rows:
        conn.execute(s.insert(), rows)


def _add_imported_tags(
    conn: Connection,
    resolved: list[Resolved],
    ids: dict[str, int],
    tag_ids: dict[tuple[str, str], int],
    now: datetime,
    tag_source: str | None,
) -> None:
    rt = schema.recommendation_tags
    wanted = {
        (ids[r.fingerprint], tag_ids[(f, n)]) for r in resolved for f, ns in r.draft.tags.items() for n in ns
    }
    if not wanted:
        return
    have: dict[tuple[int, int], str] = {}
    pairs = sorted(wanted)
    # Looked up by record (an indexed IN list), not by (record, tag) pairs: a record's few tags
    # come back with it, and a re-import of 300,000 rows asks a tenth as many queries.
    records = sorted({rec for rec, _ in pairs})
    for start in range(0, len(records), _CHUNK):
        rows = conn.execute(
            select(rt.c.recommendation_id, rt.c.tag_id, rt.c.provenance).where(
                rt.c.recommendation_id.in_(records[start : start + _CHUNK])
            )
        )
        have.update({(rec, tag): prov for rec, tag, prov in rows if (rec, tag) in wanted})
    missing = [
        {
            "recommendation_id": rec,
            "tag_id": tag,
            "provenance": Provenance.IMPORTED.value,
            "source": tag_source,
            "updated_at": now,
        }
        for rec, tag in pairs
        if (rec, tag) not in have
    ]
    if missing:
        conn.execute(rt.insert(), missing)
    # A model's guess that a source now states outright becomes an imported fact; people's
    # confirmations and rejections are left alone.
    upgrade = [p for p in pairs if have.get(p) == Provenance.PREDICTED.value]
    for rec, tag in upgrade:
        conn.execute(
            rt.update()
            .where(rt.c.recommendation_id == rec, rt.c.tag_id == tag)
            .values(
                provenance=Provenance.IMPORTED.value,
                source=tag_source,
                model=None,
                model_version=None,
                confidence=None,
                updated_at=now,
            )
        )
