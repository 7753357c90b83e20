"""Tags on recommendations: people confirm or reject, models predict, and people always win.

The rule every function here keeps: a tag a person confirmed or rejected is never changed by a
model or an import. Predictions replace earlier predictions of the same family, so a retrained
model's view is current without touching human decisions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, delete, select

from rightstrack.auth import audit
from rightstrack.errors import InvalidInput, NotFound
from rightstrack.model.records import Provenance
from rightstrack.store import bulk, schema
from rightstrack.store.database import Database

_HUMAN = (Provenance.CONFIRMED.value, Provenance.REJECTED.value)


@dataclass(frozen=True)
class Prediction:
    recommendation_id: int
    tag: str
    confidence: float


def _tag_id(conn: Connection, family: str, name: str, *, create: bool = False) -> int:
    t = schema.tags
    found = conn.scalar(select(t.c.id).where(t.c.family == family, t.c.name == name))
    if found is not None:
        return int(found)
    if conn.scalar(select(schema.tag_families.c.code).where(schema.tag_families.c.code == family)) is None:
        raise NotFound(f"no tag family {family!r}")
    if not create:
        raise NotFound(f"no tag {name!r} in family {family!r}")
    return int(conn.execute(t.insert().returning(t.c.id), {"family": family, "name": name}).scalar_one())


def _require_recommendation(conn: Connection, recommendation_id: int) -> None:
    r = schema.recommendations
    if conn.scalar(select(r.c.id).where(r.c.id == recommendation_id)) is None:
        raise NotFound(f"no recommendation with id {recommendation_id}")


def decide(db: Database, recommendation_id: int, family: str, name: str, *, user: str, accept: bool) -> None:
    """Record a person's decision on one tag (confirm it, or reject a suggestion)."""
    if not user.strip():
        raise InvalidInput("a confirmation or rejection needs the name of the person who made it")
    rt = schema.recommendation_tags
    provenance = Provenance.CONFIRMED if accept else Provenance.REJECTED
    with db.transaction() as conn:
        _require_recommendation(conn, recommendation_id)
        tag_id = _tag_id(conn, family, name, create=accept)
        where = (rt.c.recommendation_id == recommendation_id, rt.c.tag_id == tag_id)
        values = {"provenance": provenance.value, "confirmed_by": user, "updated_at": datetime.now(UTC)}
        before = conn.scalar(select(rt.c.provenance).where(*where))
        audit.record(
            conn,
            actor=user,
            action="confirm tag" if accept else "reject tag",
            entity="recommendation",
            entity_id=recommendation_id,
            before={"tag": f"{family}: {name}", "provenance": before},
            after={"tag": f"{family}: {name}", "provenance": provenance.value},
        )
        if before is None:
            conn.execute(rt.insert().values(recommendation_id=recommendation_id, tag_id=tag_id, **values))
        else:
            # The model's confidence stays as a record of what was suggested.
            conn.execute(rt.update().where(*where).values(**values))


def store_predictions(
    db: Database, family: str, predictions: Iterable[Prediction], *, model: str, version: str
) -> int:
    """Replace this family's machine predictions; confirmed, rejected and imported tags stay.

    Returns how many predicted tags were written.
    """
    rt, t = schema.recommendation_tags, schema.tags
    now = datetime.now(UTC)
    with db.transaction() as conn:
        family_tags = select(t.c.id).where(t.c.family == family).scalar_subquery()
        conn.execute(
            delete(rt).where(rt.c.provenance == Provenance.PREDICTED.value, rt.c.tag_id.in_(family_tags))
        )
        taken = {
            (r, g)
            for r, g in conn.execute(
                select(rt.c.recommendation_id, rt.c.tag_id).where(rt.c.tag_id.in_(family_tags))
            )
        }
        ids = {
            name: _tag_id(conn, family, name, create=True) for name in {p.tag for p in _listed(predictions)}
        }
        stamp = bulk.timestamp(conn, now)
        rows = [
            (
                p.recommendation_id,
                ids[p.tag],
                Provenance.PREDICTED.value,
                model,
                version,
                round(float(p.confidence), 4),
                stamp,
            )
            for p in _listed(predictions)
            if (p.recommendation_id, ids[p.tag]) not in taken
        ]
        bulk.insert_rows(
            conn,
            "recommendation_tags",
            (
                "recommendation_id",
                "tag_id",
                "provenance",
                "model",
                "model_version",
                "confidence",
                "updated_at",
            ),
            rows,
        )
    return len(rows)


def _listed(predictions: Iterable[Prediction]) -> list[Prediction]:
    return predictions if isinstance(predictions, list) else list(predictions)


def training_labels(db: Database, family: str) -> dict[int, set[str]]:
    """Labels to learn from: imported and confirmed tags, with rejected ones taken out."""
    rt, t = schema.recommendation_tags, schema.tags
    labels: dict[int, set[str]] = defaultdict(set)
    with db.read() as conn:
        for rec_id, name, provenance in conn.execute(
            select(rt.c.recommendation_id, t.c.name, rt.c.provenance)
            .select_from(rt.join(t, t.c.id == rt.c.tag_id))
            .where(t.c.family == family)
        ):
            if provenance in (Provenance.IMPORTED.value, Provenance.CONFIRMED.value):
                labels[rec_id].add(name)
    return dict(labels)


def human_decisions(db: Database, family: str) -> Mapping[tuple[int, str], str]:
    """(recommendation id, tag) → "confirmed" / "rejected", for review queues and tests."""
    rt, t = schema.recommendation_tags, schema.tags
    with db.read() as conn:
        return {
            (r, n): p
            for r, n, p in conn.execute(
                select(rt.c.recommendation_id, t.c.name, rt.c.provenance)
                .select_from(rt.join(t, t.c.id == rt.c.tag_id))
                .where(t.c.family == family, rt.c.provenance.in_(_HUMAN))
            )
        }
