"""The classifiers' view of the store: every recommendation's text, review and tags, read in bulk.

This is the only place in ``classify`` that reads the database for training, evaluation and
prediction; the models themselves see plain texts and label lists. :func:`import_uprinfo_folder`
loads UPR Info's exports through the real importer, so benchmarks and the slow tests measure what
users get after ``rightstrack import``.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from rightstrack.classify.data import UPRINFO_FILES, Recommendation
from rightstrack.classify.training import TagRecord, TrainingRow, merge_labels, merge_single_label
from rightstrack.model.records import Provenance
from rightstrack.model.reference import ACTION_FAMILY, ISSUE_FAMILY
from rightstrack.store import schema
from rightstrack.store.database import Database

_CHUNK = 5000
_POSITIVE = (Provenance.IMPORTED, Provenance.CONFIRMED)


@dataclass(frozen=True, slots=True)
class StoredText:
    """One recommendation as the classifiers see it (``tags`` of the requested families only)."""

    id: int
    text: str
    state: str
    cycle: int | None
    session: int | None
    tags: tuple[TagRecord, ...] = ()

    def labelled(self, family: str) -> set[str]:
        """Labels of ``family`` someone vouched for: imported or confirmed."""
        return {t.label for t in self.tags if t.family == family and t.provenance in _POSITIVE}

    def settled(self, family: str) -> set[str]:
        """Labels of ``family`` a model must leave alone: imported, confirmed or rejected."""
        return {t.label for t in self.tags if t.family == family and t.provenance is not Provenance.PREDICTED}


def read_corpus(
    db: Database, families: Sequence[str] = (ISSUE_FAMILY, ACTION_FAMILY), *, ids: Iterable[int] | None = None
) -> list[StoredText]:
    """Every recommendation (or those in ``ids``) ordered by id, with its tags of ``families``."""
    r, rv, rt, t = schema.recommendations, schema.reviews, schema.recommendation_tags, schema.tags
    wanted = None if ids is None else sorted(set(ids))
    base = (
        select(r.c.id, r.c.text, rv.c.state, rv.c.cycle, rv.c.session)
        .select_from(r.join(rv, rv.c.id == r.c.review_id))
        .order_by(r.c.id)
    )
    tag_query = (
        select(rt.c.recommendation_id, t.c.family, t.c.name, rt.c.provenance)
        .select_from(rt.join(t, t.c.id == rt.c.tag_id))
        .where(t.c.family.in_(list(families)))
    )
    tags: dict[int, list[TagRecord]] = defaultdict(list)
    with db.read() as conn:
        if wanted is None:
            heads = list(conn.execute(base))
            tag_rows = list(conn.execute(tag_query))
        else:
            heads, tag_rows = [], []
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                heads.extend(conn.execute(base.where(r.c.id.in_(chunk))))
                tag_rows.extend(conn.execute(tag_query.where(rt.c.recommendation_id.in_(chunk))))
    for rec_id, family, name, provenance in tag_rows:
        tags[rec_id].append(TagRecord(family, name, Provenance(provenance)))
    return [
        StoredText(rec_id, text, state, cycle, session, tuple(sorted(tags.get(rec_id, []), key=_tag_key)))
        for rec_id, text, state, cycle, session in heads
    ]


def _tag_key(tag: TagRecord) -> tuple[str, str, str]:
    return (tag.family, tag.label, tag.provenance.value)


def training_rows(corpus: Iterable[StoredText]) -> list[TrainingRow]:
    """Rows for :func:`rightstrack.classify.training.train_from_rows`; the session is the group."""
    return [TrainingRow(item.text, item.tags, item.session) for item in corpus]


def as_recommendations(corpus: Iterable[StoredText]) -> list[Recommendation]:
    """Labelled recommendations (training labels, never predictions) for evaluation and splits.

    Rows without a session are left out: a temporal split cannot place them.
    """
    out: list[Recommendation] = []
    for item in corpus:
        if item.session is None:
            continue
        out.append(
            Recommendation(
                text=item.text,
                issues=tuple(sorted(merge_labels(item.tags, ISSUE_FAMILY))),
                action=merge_single_label(item.tags, ACTION_FAMILY),
                session=item.session,
                state_under_review=item.state,
                record_id=item.id,
                cycle=item.cycle,
            )
        )
    return out


def import_uprinfo_folder(db: Database, folder: Path, files: Sequence[str] = UPRINFO_FILES) -> int:
    """Import UPR Info's CSV exports found in ``folder`` with the project's importer; rows written."""
    from rightstrack.importing import import_file

    written = 0
    for name in files:
        path = folder / name
        if path.is_file():
            summary = import_file(db, path, "upr-info")
            written += summary.created
    return written


def uprinfo_recommendations(folder: Path, files: Sequence[str] = UPRINFO_FILES) -> list[Recommendation]:
    """UPR Info's exports as the product sees them: imported into a temporary SQLite store with
    the project's importer and read back (for benchmarks and evaluations outside a database)."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'uprinfo.db'}")
        try:
            db.init()
            import_uprinfo_folder(db, folder, files)
            return as_recommendations(read_corpus(db))
        finally:
            db.close()
