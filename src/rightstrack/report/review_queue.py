"""The tag review queue: model suggestions that no person has confirmed or rejected yet.

Highest confidence first suits confirming quickly; lowest first suits catching the model's
mistakes. A decided tag leaves the queue because ``decide`` changes its provenance.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from rightstrack.errors import InvalidInput
from rightstrack.model.records import Provenance
from rightstrack.store import schema

ORDERS = ("highest", "lowest")


def pending_tags(
    conn: Connection, *, order: str = "highest", family: str | None = None, limit: int = 50, offset: int = 0
) -> dict[str, Any]:
    """One page of predicted tags awaiting a decision, with the recommendation each belongs to."""
    if order not in ORDERS:
        raise InvalidInput(f"order must be one of {', '.join(ORDERS)}")
    if not 1 <= limit <= 500 or offset < 0:
        raise InvalidInput("limit must be 1 to 500 and offset at least 0")
    rt, t, r, v = schema.recommendation_tags, schema.tags, schema.recommendations, schema.reviews
    where = [rt.c.provenance == Provenance.PREDICTED.value]
    if family:
        where.append(t.c.family == family)
    joined = rt.join(t, t.c.id == rt.c.tag_id)
    total = conn.scalar(select(func.count()).select_from(joined).where(*where)) or 0
    confidence = rt.c.confidence.desc() if order == "highest" else rt.c.confidence.asc()
    query = (
        select(
            rt.c.recommendation_id,
            t.c.family,
            t.c.name,
            rt.c.confidence,
            rt.c.model,
            rt.c.model_version,
            r.c.text,
            v.c.state,
            v.c.session,
        )
        .select_from(joined.join(r, r.c.id == rt.c.recommendation_id).join(v, v.c.id == r.c.review_id))
        .where(*where)
        .order_by(confidence, rt.c.recommendation_id, t.c.family, t.c.name)
        .limit(limit)
        .offset(offset)
    )
    items = [dict(row._mapping) for row in conn.execute(query)]
    return {"total": int(total), "order": order, "family": family, "offset": offset, "items": items}
