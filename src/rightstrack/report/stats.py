"""Counts by state, response, issue and session: the figures `rightstrack stats` prints."""

from __future__ import annotations

from sqlalchemy import Connection, func, select
from typing_extensions import TypedDict  # pydantic needs this one on Python < 3.12

from rightstrack.model.reference import ISSUE_FAMILY
from rightstrack.store import schema


class Stats(TypedDict):
    recommendations: int
    states_reviewed: int
    documents: int
    by_state: dict[str, int]
    by_response: dict[str, int]
    by_session: dict[str, int]
    by_issue: dict[str, int]


def compute_stats(conn: Connection) -> Stats:
    r, v, rt, t = schema.recommendations, schema.reviews, schema.recommendation_tags, schema.tags
    joined = r.join(v, v.c.id == r.c.review_id)
    by_state: dict[str, int] = dict(
        conn.execute(select(v.c.state, func.count()).select_from(joined).group_by(v.c.state)).all()
    )
    by_response = {
        str(k or "none"): n
        for k, n in conn.execute(select(r.c.response, func.count()).group_by(r.c.response)).all()
    }
    by_session = {
        str(k): n
        for k, n in conn.execute(
            select(v.c.session, func.count()).select_from(joined).group_by(v.c.session).order_by(v.c.session)
        ).all()
    }
    by_issue: dict[str, int] = dict(
        conn.execute(
            select(t.c.name, func.count())
            .select_from(rt.join(t, t.c.id == rt.c.tag_id))
            .where(t.c.family == ISSUE_FAMILY, rt.c.provenance != "rejected")
            .group_by(t.c.name)
            .order_by(t.c.name)
        ).all()
    )
    return Stats(
        recommendations=int(conn.scalar(select(func.count()).select_from(r)) or 0),
        states_reviewed=len(by_state),
        documents=int(conn.scalar(select(func.count()).select_from(schema.documents)) or 0),
        by_state=dict(sorted(by_state.items())),
        by_response=by_response,
        by_session=by_session,
        by_issue=by_issue,
    )
