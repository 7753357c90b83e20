"""Search: full text combined with facets, facet counts, sorting and pagination. One function,
``search``, serves the CLI, the web pages and the JSON API alike.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

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
    Column,
    FacetIndex,
    IntArray,
    build_index,
)
from rightstrack.store.fulltext import (
    IdArray,
    ParsedQuery,
    ScoreArray,
    match_ids,
    parse_query,
    ranked_ids,
    scored_matches,
    top_by_score,
)
from rightstrack.store.records import RecordOut, fetch_records
from rightstrack.store.result_cache import ResultCache

SORTS = ("relevance", "newest", "oldest", "state", "id")
PARTS_CACHED = 32
"""Match sets and ranked tops kept per process, each (a common word's match set is half a megabyte)."""
TOP_AHEAD = 100
"""A relevance search ranks at least this many, so the next pages need no ranking of their own."""
RANKED_IN_NUMPY = frozenset({"postgresql"})
"""Engines whose scores come with the matches in one pass, ordered by numpy, when no facet narrows
a relevance search. PostgreSQL's matches of a common word cover most of the heap, so ranking them
in a second query reads it twice; FTS5 scores from its own index, and scoring only the rows a page
needs is cheaper there."""
SPARSE_SHARE = 4
"""Facet counts come from the selected rows alone when at most 1 / SPARSE_SHARE of rows are selected."""


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

    def __post_init__(self) -> None:
        self.filters = body_as_mechanism(self.filters)


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
    sort: str
    ranking: _Ranking | None = None
    """Set for a relevance sort: the engine ranks only what the page needs (see _Ranking)."""

    @property
    def total(self) -> int:
        return int(self.mask.sum())

    def positions(self, offset: int, size: int) -> IntArray:
        if self.ranking is not None:
            return self.ranking.page(self.index, self.mask, offset, size)
        return _page(self.index, self.mask, self.sort, offset, size)


@dataclass
class _Ranking:
    """Relevance order, asked of the engine lazily: the top offset + size of the selected matches.

    Scoring every match of a common word and sorting them all cost more than the rest of a search
    together; the engine scores only the rows that pass the facet filters and keeps a bounded top.
    """

    conn: Connection
    parsed: ParsedQuery
    matches: IntArray
    scores: ScoreArray | None
    """The engine's score of each match (PostgreSQL), or None: the engine ranks (SQLite)."""
    tops: ResultCache[IdArray]
    generation: int

    def page(self, index: FacetIndex, mask: BoolArray, offset: int, size: int) -> IntArray:
        kept = mask[self.matches]
        selected = self.matches[kept]
        if offset >= len(selected):
            return selected[:0]
        if self.scores is not None:
            top = top_by_score(index.ids[selected], self.scores[kept], offset + size)
            return index.positions(top)[offset:]
        # Every match selected (no facet filter): no id list to send, the engine ranks them all.
        within = None if len(selected) == len(self.matches) else index.ids[selected]
        wanted = min(offset + size, len(selected))
        return index.positions(self._top(within, wanted, len(selected))[:wanted])[offset:]

    def _top(self, within: IdArray | None, wanted: int, total: int) -> IdArray:
        """The best ``wanted`` or more, kept for the generation: the next pages of the same
        search come from here instead of scoring every match again."""
        digest = None if within is None else hashlib.blake2b(within.tobytes(), digest_size=16).digest()
        key = (self.parsed, digest)
        found = self.tops.get(self.generation, key)
        if found is not None and (len(found) >= wanted or len(found) == total):
            return found
        # A bounded sort of a few more rows costs little more: take the next pages with this one.
        found = ranked_ids(self.conn, self.parsed, min(total, max(2 * wanted, TOP_AHEAD)), within)
        self.tops.put(self.generation, key, found)
        return found


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
    ranking: _Ranking | None = None
    if not parsed.empty:
        # Facet filters leave the engine few rows to score in a second, narrow pass (by primary key).
        narrowed = any(request.filters.values())
        scored = sort == "relevance" and db.dialect in RANKED_IN_NUMPY and not narrowed
        matches, scores = _text_matches(db, conn, index, parsed, scored=scored)
        text_mask = np.zeros(index.size, dtype=np.bool_)
        text_mask[matches] = True
        mask &= text_mask
        if sort == "relevance":
            tops: ResultCache[IdArray] = _cache(db, "ranked_tops")
            ranking = _Ranking(conn, parsed, matches, scores, tops, index.generation)
    for name, wanted in request.filters.items():
        if wanted:
            mask &= index.columns[name].mask_for([str(w) for w in wanted], index.size)
    return _Selection(index, mask, sort, ranking)


def _text_matches(
    db: Database, conn: Connection, index: FacetIndex, parsed: ParsedQuery, *, scored: bool
) -> tuple[IntArray, ScoreArray | None]:
    """Index positions of every match, ascending, with their scores when ``scored``; kept for the
    write generation, because paging through a search or narrowing it asks the same text again."""
    cache: ResultCache[tuple[IntArray, ScoreArray | None]] = _cache(db, "text_matches")
    found = cache.get(index.generation, parsed)
    if found is not None and (found[1] is not None or not scored):
        return found
    if scored:
        ids, scores = scored_matches(conn, parsed)
        present = _in_index(index, ids)  # a row written since the index was built is not in it
        found = (index.positions(ids[present]), scores[present])
    else:
        found = (index.positions(match_ids(conn, parsed)), None)
    cache.put(index.generation, parsed, found)
    return found


def _in_index(index: FacetIndex, ids: IdArray) -> BoolArray:
    at = np.clip(np.searchsorted(index.ids, ids), 0, max(index.size - 1, 0))
    present: BoolArray = index.ids[at] == ids if index.size else np.zeros(len(ids), dtype=np.bool_)
    return present


def _cache(db: Database, name: str) -> ResultCache[Any]:
    """One of this database's per-generation caches of search parts (match sets, ranked tops)."""
    cache = db.cache.get(name)
    if not isinstance(cache, ResultCache):
        cache = db.cache[name] = ResultCache(PARTS_CACHED)
    return cache


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
    facets = _facet_counts(db, selection.index, selection.mask, request)
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
    with db.read() as conn:
        selection = _select(db, conn, request)
        return [int(i) for i in selection.index.ids[selection.positions(0, selection.total)]]


def _page(index: FacetIndex, mask: BoolArray, sort: str, offset: int, size: int) -> IntArray:
    selected = np.flatnonzero(mask).astype(np.int32)
    if offset >= len(selected):
        return selected[:0]
    rank = index.sort_rank[sort][selected]
    end = min(offset + size, len(selected))
    # argpartition keeps this O(n): only the first `end` rows need to be fully ordered.
    head = np.argpartition(rank, end - 1)[:end] if end < len(selected) else np.arange(len(selected))
    ordered = head[np.argsort(rank[head], kind="stable")]
    return selected[ordered[offset:end]]


def _facet_counts(
    db: Database, index: FacetIndex, mask: BoolArray, request: SearchRequest
) -> dict[str, list[FacetValue]]:
    wanted = request.facets if request.facets is not None else facet_names(index)
    unknown = [name for name in wanted if name not in index.columns]
    if unknown:
        raise InvalidInput(f"unknown facet {unknown[0]!r}")
    count = _counter(db, index, mask)
    return {name: _facet_values(index.columns[name], count(name), request, name) for name in wanted}


def _counter(db: Database, index: FacetIndex, mask: BoolArray) -> Callable[[str], npt.NDArray[np.int64]]:
    """Counts per value of a facet over the selection. A pass over every row's values costs the
    same whatever is selected; when little is (a rare word, a narrow filter) counting only the
    selected rows' values, found through per-row offsets, is many times cheaper. Same counts."""
    selected = np.flatnonzero(mask)
    if len(selected) * SPARSE_SHARE > index.size:
        return lambda name: index.columns[name].counts(mask)
    offsets = _row_offsets(db, index)

    def count(name: str) -> npt.NDArray[np.int64]:
        column = index.columns[name]
        assert column.codes is not None
        if column.rows is None:
            return np.bincount(column.codes[selected], minlength=len(column.values))
        if name not in offsets:
            return column.counts(mask)
        starts = offsets[name][selected]
        lengths = offsets[name][selected + 1] - starts
        # every (row, value) pair of the selected rows, without a loop: each row's run of pairs
        pairs = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        return np.bincount(column.codes[pairs], minlength=len(column.values))

    return count


def _row_offsets(db: Database, index: FacetIndex) -> dict[str, npt.NDArray[np.int64]]:
    """For each multi-valued facet whose pairs are in row order: where each row's pairs begin."""
    cached = db.cache.get("facet_offsets")
    if isinstance(cached, tuple) and cached[0] is index:
        found: dict[str, npt.NDArray[np.int64]] = cached[1]
        return found
    offsets = {
        name: np.searchsorted(column.rows, np.arange(index.size + 1)).astype(np.int64)
        for name, column in index.columns.items()
        if column.rows is not None and bool(np.all(column.rows[1:] >= column.rows[:-1]))
    }
    db.cache["facet_offsets"] = (index, offsets)
    return offsets


def _facet_values(
    column: Column, counts: npt.NDArray[np.int64], request: SearchRequest, name: str
) -> list[FacetValue]:
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
    return values
