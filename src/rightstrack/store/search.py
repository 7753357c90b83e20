"""Search: full text combined with facets, facet counts, sorting and pagination. One function,
``search``, serves the CLI, the web pages and the JSON API alike.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection
from typing_extensions import TypedDict  # pydantic needs this one on Python < 3.12

from rightstrack.errors import InvalidInput
from rightstrack.store.database import Database
from rightstrack.store.facets import (
    MECHANISM_KINDS,
    MULTI_FACETS,
    SINGLE_FACETS,
    BoolArray,
    FacetIndex,
    IntArray,
    build_index,
)
from rightstrack.store.fulltext import ParsedQuery, parse_query, to_fts5, to_tsquery
from rightstrack.store.records import RecordOut, fetch_records
from rightstrack.store.result_cache import ResultCache

SORTS = ("relevance", "newest", "oldest", "state", "id")


@dataclass
class SearchRequest:
    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    """Facet name → wanted values; several values of one facet mean OR, several facets mean AND."""
    sort: str | None = None
    page: int = 1
    page_size: int = 20
    facets: list[str] | None = None
    """Facets to count (None: all of them)."""
    facet_size: int = 30


class FacetValue(TypedDict):
    value: str
    label: str
    count: int
    selected: bool


class SearchResult(TypedDict):
    total: int
    page: int
    page_size: int
    pages: int
    sort: str
    query: str
    filters: dict[str, list[str]]
    results: list[RecordOut]
    facets: dict[str, list[FacetValue]]


_BUILDING = threading.Lock()


def facet_index(db: Database, conn: Connection) -> FacetIndex:
    generation = db.generation(conn)
    cached = db.cache.get("facets")
    if isinstance(cached, FacetIndex) and cached.generation == generation:
        return cached
    # One thread builds; the others wait for it. Without this, the first burst of requests after a
    # start or a write (forty server threads at once) builds forty indexes and answers none for seconds.
    with _BUILDING:
        cached = db.cache.get("facets")
        if isinstance(cached, FacetIndex) and cached.generation == generation:
            return cached
        index = build_index(conn, generation)
        db.cache["facets"] = index
    return index


def facet_names(index: FacetIndex) -> list[str]:
    return [
        *SINGLE_FACETS,
        *MULTI_FACETS,
        *(c for c in index.columns if c not in SINGLE_FACETS + MULTI_FACETS),
    ]


@dataclass
class _Selection:
    index: FacetIndex
    mask: BoolArray
    ranked: IntArray | None
    sort: str

    @property
    def total(self) -> int:
        return int(self.mask.sum())

    def positions(self, offset: int, size: int) -> IntArray:
        return _page(self.index, self.mask, self.ranked, self.sort, offset, size)


def body_as_mechanism(filters: dict[str, list[str]]) -> dict[str, list[str]]:
    """Before treaty bodies and special procedures, ``mechanism`` held the body ("mechanism=UPR"):
    such a value is read as the ``body`` it names, so links made then still find the same records."""
    wanted = filters.get("mechanism")
    if not wanted or all(w in MECHANISM_KINDS for w in wanted):
        return filters
    out = {k: list(v) for k, v in filters.items()}
    out["mechanism"] = [w for w in wanted if w in MECHANISM_KINDS]
    out["body"] = [*out.get("body", []), *(w for w in wanted if w not in MECHANISM_KINDS)]
    return {k: v for k, v in out.items() if v}


def _select(db: Database, conn: Connection, request: SearchRequest) -> _Selection:
    index = facet_index(db, conn)
    unknown = [name for name in request.filters if name not in index.columns]
    if unknown:
        raise InvalidInput(f"unknown facet(s) {', '.join(unknown)}; known: {', '.join(facet_names(index))}")
    parsed = parse_query(request.q)
    sort = request.sort or ("relevance" if not parsed.empty else "newest")
    if sort not in SORTS:
        raise InvalidInput(f"unknown sort {sort!r}; choose one of {', '.join(SORTS)}")
    if sort == "relevance" and parsed.empty:
        sort = "newest"
    mask = np.ones(index.size, dtype=np.bool_)
    ranked: IntArray | None = None
    if not parsed.empty:
        ranked = index.positions(_text_matches(conn, db.dialect, parsed, ranked=sort == "relevance"))
        text_mask = np.zeros(index.size, dtype=np.bool_)
        text_mask[ranked] = True
        mask &= text_mask
    for name, wanted in request.filters.items():
        if wanted:
            mask &= index.columns[name].mask_for([str(w) for w in wanted], index.size)
    return _Selection(index, mask, ranked if sort == "relevance" else None, sort)


def result_cache(db: Database) -> ResultCache[SearchResult]:
    """This database's cache of search results (see store/result_cache.py); size 0 turns it off."""
    cache = db.cache.get("search_results")
    if not isinstance(cache, ResultCache):
        cache = db.cache["search_results"] = ResultCache()
    return cache


def _cache_key(request: SearchRequest) -> tuple[object, ...]:
    filters = tuple(sorted((k, tuple(sorted(v))) for k, v in request.filters.items() if v))
    facets = None if request.facets is None else tuple(request.facets)
    return (request.q, filters, request.sort, request.page, request.page_size, facets, request.facet_size)


def search(db: Database, request: SearchRequest) -> SearchResult:
    """One page of matching records, with facet counts over all matches.

    The result is shared with later identical searches until the next write: treat it as read-only.
    """
    if request.page < 1 or request.page_size < 1:
        raise InvalidInput("page and page_size must be at least 1")
    request = replace(request, filters=body_as_mechanism(request.filters))
    cache, key = result_cache(db), _cache_key(request)
    with db.read() as conn:
        generation = db.generation(conn)
        if (cached := cache.get(generation, key)) is not None:
            return cached
        result = _search(db, conn, request)
    cache.put(generation, key, result)
    return result


def _search(db: Database, conn: Connection, request: SearchRequest) -> SearchResult:
    selection = _select(db, conn, request)
    total = selection.total
    positions = selection.positions((request.page - 1) * request.page_size, request.page_size)
    results = fetch_records(conn, [int(i) for i in selection.index.ids[positions]])
    facets = _facet_counts(selection.index, selection.mask, request)
    return SearchResult(
        total=total,
        page=request.page,
        page_size=request.page_size,
        pages=max(1, -(-total // request.page_size)),
        sort=selection.sort,
        query=request.q,
        filters={k: list(v) for k, v in request.filters.items() if v},
        results=results,
        facets=facets,
    )


def matching_ids(db: Database, request: SearchRequest) -> list[int]:
    """Every matching id in the requested order (for exports of a whole search)."""
    request = replace(request, filters=body_as_mechanism(request.filters))
    with db.read() as conn:
        selection = _select(db, conn, request)
        return [int(i) for i in selection.index.ids[selection.positions(0, selection.total)]]


def _text_matches(
    conn: Connection, dialect: str, parsed: ParsedQuery, *, ranked: bool
) -> npt.NDArray[np.int64]:
    # Matches can number in the hundreds of thousands; the driver's own fetchall into numpy is
    # several times faster than iterating SQLAlchemy rows.
    if dialect == "sqlite":
        order = " ORDER BY rank" if ranked else ""
        sql = f"SELECT rowid FROM recommendations_fts WHERE recommendations_fts MATCH ?{order}"
        params: tuple[str, ...] = (to_fts5(parsed),)
    else:
        # search_vector is a generated column that only PostgreSQL has, so it is not in the metadata.
        sql = "SELECT id FROM recommendations WHERE search_vector @@ to_tsquery('english', %s)"
        params = (to_tsquery(parsed),)
        if ranked:
            sql += " ORDER BY ts_rank(search_vector, to_tsquery('english', %s)) DESC, id"
            params = params * 2
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    return np.array([r[0] for r in rows], dtype=np.int64)


def _page(
    index: FacetIndex, mask: BoolArray, ranked: IntArray | None, sort: str, offset: int, size: int
) -> IntArray:
    if ranked is not None:
        return ranked[mask[ranked]][offset : offset + size]
    selected = np.flatnonzero(mask).astype(np.int32)
    if offset >= len(selected):
        return selected[:0]
    rank = index.sort_rank[sort][selected]
    end = min(offset + size, len(selected))
    # argpartition keeps this O(n): only the first `end` rows need to be fully ordered.
    head = np.argpartition(rank, end - 1)[:end] if end < len(selected) else np.arange(len(selected))
    ordered = head[np.argsort(rank[head], kind="stable")]
    return selected[ordered[offset:end]]


def _facet_counts(index: FacetIndex, mask: BoolArray, request: SearchRequest) -> dict[str, list[FacetValue]]:
    wanted = request.facets if request.facets is not None else facet_names(index)
    out: dict[str, list[FacetValue]] = {}
    for name in wanted:
        column = index.columns.get(name)
        if column is None:
            raise InvalidInput(f"unknown facet {name!r}")
        counts = column.counts(mask)
        selected = {str(v) for v in request.filters.get(name, [])}
        top = np.argsort(-counts, kind="stable")[: request.facet_size]
        values: list[FacetValue] = []
        for code in top:
            count = int(counts[code])
            value = column.values[int(code)]
            if value is None or (count == 0 and str(value) not in selected):
                continue
            values.append(
                FacetValue(
                    value=str(value),
                    label=str(column.labels.get(value, value)),
                    count=count,
                    selected=str(value) in selected,
                )
            )
        out[name] = values
    return out
