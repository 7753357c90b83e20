"""Nothing in a brief is unsourced: every sentence of generated briefs, for several states, themes
and languages, belongs to a point with citations, and every citation resolves to a stored record.

The records are looked up here with the test's own queries (not through the brief package's
resolvers), so a resolver that wrongly says yes cannot hide an unsourced sentence. The library's
own check must agree, and must refuse tampered citations.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qsl

import pytest
from sqlalchemy import Connection, func, select

from rightstrack.brief.citations import check_points
from rightstrack.brief.cite_corpus import parse_search_ref
from rightstrack.brief.draft import draft_brief
from rightstrack.brief.model import Brief, BriefRequest, Citation, Origin, Point
from rightstrack.defenders import patterns
from rightstrack.defenders.access import ANONYMOUS
from rightstrack.engagement import schema as es
from rightstrack.followup.schema import fu_commitments, fu_workspaces
from rightstrack.store import schema
from rightstrack.store.database import Database
from rightstrack.store.search import SearchRequest, matching_ids
from tests.brief.independent import linked_groups
from tests.brief.world import WOMEN, World

REQUESTS = [
    BriefRequest(state="CHL", themes=[WOMEN], compare=["USA", "CHN", "RUS"]),
    BriefRequest(state="Chile", lang="fr", asks=10),
    BriefRequest(state="USA", themes=["International instruments"], compare=["CHN", "RUS", "CHL"], lang="es"),
    BriefRequest(state="USA", since=2011),
]
# A sentence ends at . ! or ? followed by a space and a capital letter or an opening quote.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý«“])")


def sentences(point: Point) -> list[str]:
    return [s for s in _SENTENCE_END.split(point.text) if s.strip()]


def _recommendation(db: Database, conn: Connection, c: Citation) -> bool:
    r, s, d = schema.recommendations, schema.recommendation_sources, schema.documents
    rows = conn.execute(
        select(d.c.symbol, s.c.locator)
        .join(s, s.c.document_id == d.c.id)
        .where(s.c.recommendation_id == int(c.ref))
    ).all()
    exists = conn.scalar(select(func.count()).select_from(r).where(r.c.id == int(c.ref)))
    return bool(exists) and any((symbol or locator) in c.label for symbol, locator in rows)


def _search(db: Database, conn: Connection, c: Citation) -> bool:
    query, filters = parse_search_ref(c.ref)
    return len(matching_ids(db, SearchRequest(q=query, filters=filters))) == c.value


def _repeats(db: Database, conn: Connection, c: Citation) -> bool:
    """Asks linked across cycles, counted from the links table."""
    query, filters = parse_search_ref(c.ref)
    return len(linked_groups(db, matching_ids(db, SearchRequest(q=query, filters=filters)))) == c.value


def _document(db: Database, conn: Connection, c: Citation) -> bool:
    d = schema.documents
    row = conn.execute(select(d.c.symbol, d.c.title, d.c.filename).where(d.c.sha256 == c.ref)).first()
    return row is not None and c.label in row


def _treaty_count(db: Database, conn: Connection, c: Citation) -> bool:
    ts = es.treaty_status
    parties = conn.scalar(
        select(func.count()).select_from(ts).where(ts.c.state == c.ref, ts.c.status == "party")
    )
    return parties == c.value


def _treaty_status(db: Database, conn: Connection, c: Citation) -> bool:
    state, instrument = c.ref.split("/")
    ts, tf, d = es.treaty_status, es.treaty_facts, schema.documents
    row = conn.execute(
        select(d.c.filename, tf.c.locator)
        .join(tf, tf.c.document_id == d.c.id)
        .join(ts, ts.c.status_fact_id == tf.c.id)
        .where(ts.c.state == state, ts.c.instrument == instrument)
    ).first()
    return row is not None and row.filename in c.label and row.locator in c.label


def _event(db: Database, conn: Connection, c: Citation) -> bool:
    ev = es.engagement_events
    cited = conn.scalar(select(ev.c.citation).where(ev.c.id == int(c.ref)))
    return cited is not None and cited in c.label


def _workspace(db: Database, conn: Connection, c: Citation) -> bool:
    return conn.scalar(select(fu_workspaces.c.id).where(fu_workspaces.c.slug == c.ref)) is not None


def _commitment(db: Database, conn: Connection, c: Citation) -> bool:
    slug, number = c.ref.rsplit("/", 1)
    row = conn.execute(
        select(fu_commitments.c.visibility, fu_commitments.c.deleted_at)
        .join(fu_workspaces, fu_workspaces.c.id == fu_commitments.c.workspace_id)
        .where(fu_workspaces.c.slug == slug, fu_commitments.c.id == int(number))
    ).first()
    return row is not None and row.visibility == "public" and row.deleted_at is None


def _defenders(db: Database, conn: Connection, c: Citation) -> bool:
    cell = dict(parse_qsl(c.ref))
    report = patterns.report(db, ANONYMOUS, cell.pop("by"), audience="public")
    rows = [r for r in report["rows"] if all(str(r[k]) == v for k, v in cell.items())]
    return len(rows) == 1 and rows[0]["count"] == c.value


RESOLVERS: dict[str, Callable[[Database, Connection, Citation], bool]] = {
    "recommendation": _recommendation,
    "search": _search,
    "repeats": _repeats,
    "document": _document,
    "treaty_count": _treaty_count,
    "treaty_status": _treaty_status,
    "event": _event,
    "workspace": _workspace,
    "commitment": _commitment,
    "defenders_report": _defenders,
}


def unresolved(db: Database, brief: Brief) -> list[str]:
    """What is wrong with the brief: sentences without a source, sources that resolve to nothing."""
    wrong = []
    with db.read() as conn:
        for point in brief.points:
            for sentence in sentences(point):
                if not point.citations:
                    wrong.append(f"unsourced: {sentence}")
            for citation in point.citations:
                if not RESOLVERS[citation.kind](db, conn, citation):
                    wrong.append(f"{citation.kind} {citation.ref} does not resolve ({citation.label})")
    return wrong


@pytest.mark.parametrize("request_index", range(len(REQUESTS)))
def test_every_sentence_of_a_generated_brief_is_sourced(world: World, request_index: int) -> None:
    brief = draft_brief(world.db, REQUESTS[request_index])
    assert brief.points and all(p.origin == Origin.GENERATED for p in brief.points)
    assert sum(len(sentences(p)) for p in brief.points) >= len(brief.points)
    assert unresolved(world.db, brief) == []
    assert check_points(world.db, brief.request.lang, brief.points) == []


def test_the_walk_and_the_check_catch_unsourced_and_tampered_points(world: World) -> None:
    brief = draft_brief(world.db, REQUESTS[0])
    first = brief.points[0]
    search = next(c for c in first.citations if c.kind == "search")
    tampered = [
        first.model_copy(update={"citations": []}),
        first.model_copy(update={"citations": [search.model_copy(update={"value": 999})]}),
        first.model_copy(
            update={"citations": [Citation(kind="recommendation", ref="99999", label="A/HRC/1/1")]}
        ),
        first.model_copy(update={"citations": [Citation(kind="rumour", ref="x", label="heard somewhere")]}),
    ]
    recommendation = next(c for p in brief.points for c in p.citations if c.kind == "recommendation")
    forged = recommendation.model_copy(update={"label": "A/HRC/99/1, para. 1"})
    tampered.append(first.model_copy(update={"citations": [forged]}))
    assert len(unresolved(world.db, brief.model_copy(update={"points": tampered[:3]}))) == 3
    problems = check_points(world.db, "en", tampered)
    assert [p.field for p in problems] == [
        "points.0.citations",
        "points.1.citations.0",
        "points.2.citations.0",
        "points.3.citations.0",
        "points.4.citations.0",
    ]
    assert "now says" in problems[1].message and "unknown kind" in problems[3].message
    hand_written = Point(section=first.section, text="Our own words.", origin=Origin.HAND_WRITTEN)
    assert check_points(world.db, "en", [hand_written]) == []
