"""Reading recommendations back in the one public record shape (API, exports, CLI all use it).

The shape is documented in docs/EXPORT-FORMAT.md and is a contract: other tools rely on it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import BindParameter, Connection, bindparam, select
from typing_extensions import TypedDict  # pydantic needs this one on Python < 3.12

from rightstrack.errors import NotFound
from rightstrack.store import schema

_CHUNK = 500


class TagOut(TypedDict):
    name: str
    provenance: str
    confidence: float | None
    source: str | None
    """Who assigned an imported tag ("OHCHR thematic list", "UPR Info")."""


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
    """The body's code: "UPR", a treaty body ("CCPR"), a special procedure ("SR-RIGHT-FOOD")."""
    mechanism_kind: str
    """"upr", "treaty body" or "special procedures"."""
    body: str
    """The body's full name ("Human Rights Committee", "SR on the right to food")."""
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


_r, _v, _st = schema.recommendations, schema.reviews, schema.states
_rec, _rt, _t = schema.recommenders, schema.recommendation_tags, schema.tags
_s, _d, _m = schema.recommendation_sources, schema.documents, schema.mechanisms
_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)
# Built once: a results page runs these four statements, and constructing them anew each time cost
# more than running them.
_ROWS = (
    select(
        _r.c.id,
        _v.c.state,
        _st.c.name,
        _v.c.mechanism,
        _m.c.kind,
        _m.c.name.label("body"),
        _v.c.cycle,
        _v.c.session,
        _v.c.year,
        _r.c.paragraph,
        _r.c.text,
        _r.c.response,
        _r.c.response_source,
        _r.c.topic,
    )
    .select_from(
        _r.join(_v, _v.c.id == _r.c.review_id)
        .join(_st, _st.c.alpha3 == _v.c.state)
        .join(_m, _m.c.code == _v.c.mechanism)
    )
    .where(_r.c.id.in_(_IDS))
)
_RECOMMENDERS = (
    select(_rec.c.recommendation_id, _rec.c.state, _rec.c.name)
    .where(_rec.c.recommendation_id.in_(_IDS))
    .order_by(_rec.c.recommendation_id, _rec.c.position)
)
_TAGS = (
    select(_rt.c.recommendation_id, _t.c.family, _t.c.name, _rt.c.provenance, _rt.c.confidence, _rt.c.source)
    .select_from(_rt.join(_t, _t.c.id == _rt.c.tag_id))
    .where(_rt.c.recommendation_id.in_(_IDS))
    .order_by(_rt.c.recommendation_id, _t.c.family, _t.c.name)
)
_SOURCES = (
    select(_s.c.recommendation_id, _d.c.filename, _d.c.symbol, _s.c.locator, _s.c.paragraph)
    .select_from(_s.join(_d, _d.c.id == _s.c.document_id))
    .where(_s.c.recommendation_id.in_(_IDS))
    .order_by(_s.c.recommendation_id, _s.c.id)
)


def _fetch_chunk(conn: Connection, ids: list[int]) -> dict[int, RecordOut]:
    wanted = {"ids": ids}
    rows = conn.execute(_ROWS, wanted).all()
    recommenders: dict[int, list[str]] = defaultdict(list)
    for rid, alpha3, name in conn.execute(_RECOMMENDERS, wanted):
        recommenders[rid].append(alpha3 or name)
    tags: dict[int, dict[str, list[TagOut]]] = defaultdict(dict)
    for rid, family, name, provenance, confidence, source in conn.execute(_TAGS, wanted):
        tags[rid].setdefault(family, []).append(
            TagOut(name=name, provenance=provenance, confidence=confidence, source=source)
        )
    sources: dict[int, list[SourceOut]] = defaultdict(list)
    for rid, filename, symbol, locator, paragraph in conn.execute(_SOURCES, wanted):
        sources[rid].append(SourceOut(document=filename, symbol=symbol, locator=locator, paragraph=paragraph))
    out: dict[int, RecordOut] = {}
    for row in rows:
        srcs = sources.get(row.id, [])
        out[row.id] = RecordOut(
            id=row.id,
            state_under_review=row.state,
            state_under_review_name=row.name,
            mechanism=row.mechanism,
            mechanism_kind=row.kind,
            body=row.body,
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


def record_as_row(record: RecordOut) -> dict[str, Any]:
    """Flatten a record for CSV / XLSX: lists joined with '; ', tags one column per family."""
    row: dict[str, Any] = {k: record[k] for k in RECORD_FIELDS if k not in {"sources", "tags"}}  # type: ignore[literal-required]
    row["recommending_states"] = "; ".join(record["recommending_states"])
    row["sources"] = "; ".join(s["locator"] for s in record["sources"])
    for family, tags in record["tags"].items():
        row[f"tags_{family}"] = "; ".join(t["name"] for t in tags if t["provenance"] != "rejected")
    return row
