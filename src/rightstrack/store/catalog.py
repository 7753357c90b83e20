"""Listings of the reference and source tables: states, reviews, documents, tags (API and pages)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, case, func, select

from rightstrack.errors import NotFound
from rightstrack.store import schema


def _rows(conn: Connection, query: Any) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in conn.execute(query)]


def list_states(conn: Connection) -> list[dict[str, Any]]:
    """Every state with how many recommendations it received."""
    st, v, r = schema.states, schema.reviews, schema.recommendations
    received = (
        select(v.c.state, func.count(r.c.id).label("recommendations"))
        .select_from(v.join(r, r.c.review_id == v.c.id))
        .group_by(v.c.state)
        .subquery()
    )
    return _rows(
        conn,
        select(st, func.coalesce(received.c.recommendations, 0).label("recommendations"))
        .select_from(st.outerjoin(received, received.c.state == st.c.alpha3))
        .order_by(st.c.name),
    )


def get_state(conn: Connection, alpha3: str) -> dict[str, Any]:
    found = [s for s in list_states(conn) if s["alpha3"] == alpha3.upper()]
    if not found:
        raise NotFound(f"no state with code {alpha3!r} (use ISO 3166 alpha-3, e.g. USA)")
    return found[0]


def list_reviews(conn: Connection, state: str | None = None) -> list[dict[str, Any]]:
    v, r = schema.reviews, schema.recommendations
    query = (
        select(
            v.c.id,
            v.c.mechanism,
            v.c.state,
            v.c.cycle,
            v.c.session,
            v.c.year,
            func.count(r.c.id).label("recommendations"),
            func.sum(case((r.c.response == "supported", 1), else_=0)).label("supported"),
        )
        .select_from(v.outerjoin(r, r.c.review_id == v.c.id))
        .group_by(v.c.id)
        .order_by(v.c.state, v.c.session)
    )
    if state:
        query = query.where(v.c.state == state.upper())
    return _rows(conn, query)


def list_documents(conn: Connection) -> list[dict[str, Any]]:
    d, s = schema.documents, schema.recommendation_sources
    return _rows(
        conn,
        select(
            d.c.id,
            d.c.symbol,
            d.c.kind,
            d.c.language,
            d.c.filename,
            d.c.title,
            d.c.sha256,
            d.c.imported_at,
            func.count(s.c.id).label("recommendations"),
        )
        .select_from(d.outerjoin(s, s.c.document_id == d.c.id))
        .group_by(d.c.id)
        .order_by(d.c.id),
    )


def list_tags(conn: Connection, family: str | None = None) -> list[dict[str, Any]]:
    t, rt = schema.tags, schema.recommendation_tags
    query = (
        select(t.c.family, t.c.name, func.count(rt.c.recommendation_id).label("recommendations"))
        .select_from(t.outerjoin(rt, (rt.c.tag_id == t.c.id) & (rt.c.provenance != "rejected")))
        .group_by(t.c.id)
        .order_by(t.c.family, t.c.name)
    )
    if family:
        query = query.where(t.c.family == family)
    return _rows(conn, query)


def list_tag_families(conn: Connection) -> list[dict[str, Any]]:
    return _rows(conn, select(schema.tag_families).order_by(schema.tag_families.c.code))
