"""Reading recommendations back in the one public record shape (API, exports, CLI all use it).

The shape is documented in docs/EXPORT-FORMAT.md and is a contract: other tools rely on it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, select
from typing_extensions import TypedDict  # pydantic needs this one on Python < 3.12

from rightstrack.errors import NotFound
from rightstrack.store import schema

_CHUNK = 500


class TagOut(TypedDict):
    name: str
    provenance: str
    confidence: float | None


class SourceOut(TypedDict):
    document: str
    symbol: str | None
    locator: str
    paragraph: str | None


class RecordOut(TypedDict):
    id: int
    state_under_review: str
    state_under_review_name: str
    mechanism: str
    cycle: int | None
    session: int | None
    year: int | None
    paragraph: str | None
    text: str
    recommending_states: list[str]
    response: str | None
    response_source: str | None
    topic: str | None
    source_document: str | None
    sources: list[SourceOut]
    tags: dict[str, list[TagOut]]


RECORD_FIELDS: tuple[str, ...] = tuple(RecordOut.__annotations__)


def fetch_records(conn: Connection, ids: Sequence[int]) -> list[RecordOut]:
    """Full records for the ids, in the order given (missing ids are left out)."""
    out: dict[int, RecordOut] = {}
    for start in range(0, len(ids), _CHUNK):
        out.update(_fetch_chunk(conn, list(ids[start : start + _CHUNK])))
    return [out[i] for i in ids if i in out]


def fetch_record(conn: Connection, record_id: int) -> RecordOut:
    found = fetch_records(conn, [record_id])
    if not found:
        raise NotFound(f"no recommendation with id {record_id}")
    return found[0]


def iter_all_ids(conn: Connection) -> Iterator[int]:
    yield from conn.scalars(select(schema.recommendations.c.id).order_by(schema.recommendations.c.id))


def _fetch_chunk(conn: Connection, ids: list[int]) -> dict[int, RecordOut]:
    r, v, st = schema.recommendations, schema.reviews, schema.states
    rows = conn.execute(
        select(
            r.c.id,
            v.c.state,
            st.c.name,
            v.c.mechanism,
            v.c.cycle,
            v.c.session,
            v.c.year,
            r.c.paragraph,
            r.c.text,
            r.c.response,
            r.c.response_source,
            r.c.topic,
        )
        .select_from(r.join(v, v.c.id == r.c.review_id).join(st, st.c.alpha3 == v.c.state))
        .where(r.c.id.in_(ids))
    ).all()
    recommenders = _recommenders(conn, ids)
    tags = _tags(conn, ids)
    sources = _sources(conn, ids)
    out: dict[int, RecordOut] = {}
    for row in rows:
        srcs = sources.get(row.id, [])
        out[row.id] = RecordOut(
            id=row.id,
            state_under_review=row.state,
            state_under_review_name=row.name,
            mechanism=row.mechanism,
            cycle=row.cycle,
            session=row.session,
            year=row.year,
            paragraph=row.paragraph,
            text=row.text,
            recommending_states=recommenders.get(row.id, []),
            response=row.response,
            response_source=row.response_source,
            topic=row.topic,
            source_document=(srcs[0]["symbol"] or srcs[0]["document"]) if srcs else None,
            sources=srcs,
            tags=tags.get(row.id, {}),
        )
    return out


def _recommenders(conn: Connection, ids: list[int]) -> dict[int, list[str]]:
    rec = schema.recommenders
    found: dict[int, list[str]] = defaultdict(list)
    for rid, alpha3, name in conn.execute(
        select(rec.c.recommendation_id, rec.c.state, rec.c.name)
        .where(rec.c.recommendation_id.in_(ids))
        .order_by(rec.c.recommendation_id, rec.c.position)
    ):
        found[rid].append(alpha3 or name)
    return found


def _tags(conn: Connection, ids: list[int]) -> dict[int, dict[str, list[TagOut]]]:
    rt, t = schema.recommendation_tags, schema.tags
    found: dict[int, dict[str, list[TagOut]]] = defaultdict(dict)
    for rid, family, name, provenance, confidence in conn.execute(
        select(rt.c.recommendation_id, t.c.family, t.c.name, rt.c.provenance, rt.c.confidence)
        .select_from(rt.join(t, t.c.id == rt.c.tag_id))
        .where(rt.c.recommendation_id.in_(ids))
        .order_by(rt.c.recommendation_id, t.c.family, t.c.name)
    ):
        found[rid].setdefault(family, []).append(
            TagOut(name=name, provenance=provenance, confidence=confidence)
        )
    return found


def _sources(conn: Connection, ids: list[int]) -> dict[int, list[SourceOut]]:
    s, d = schema.recommendation_sources, schema.documents
    found: dict[int, list[SourceOut]] = defaultdict(list)
    for rid, filename, symbol, locator, paragraph in conn.execute(
        select(s.c.recommendation_id, d.c.filename, d.c.symbol, s.c.locator, s.c.paragraph)
        .select_from(s.join(d, d.c.id == s.c.document_id))
        .where(s.c.recommendation_id.in_(ids))
        .order_by(s.c.recommendation_id, s.c.id)
    ):
        found[rid].append(SourceOut(document=filename, symbol=symbol, locator=locator, paragraph=paragraph))
    return found


def record_as_row(record: RecordOut) -> dict[str, Any]:
    """Flatten a record for CSV / XLSX: lists joined with '; ', tags one column per family."""
    row: dict[str, Any] = {k: record[k] for k in RECORD_FIELDS if k not in {"sources", "tags"}}  # type: ignore[literal-required]
    row["recommending_states"] = "; ".join(record["recommending_states"])
    row["sources"] = "; ".join(s["locator"] for s in record["sources"])
    for family, tags in record["tags"].items():
        row[f"tags_{family}"] = "; ".join(t["name"] for t in tags if t["provenance"] != "rejected")
    return row
