"""An in-memory columnar index of every recommendation's facet values, for fast filtering and counts.

SQL GROUP BY over a large match set costs one scan per facet; holding the facet values as numpy
arrays turns filtering into boolean masks and counting into ``bincount``, a few milliseconds even
at hundreds of thousands of rows. The index is derived data: it is rebuilt whenever the
database's write generation changes, so it is never stale and never written back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, select

from rightstrack.store import schema

IntArray = npt.NDArray[np.int32]
BoolArray = npt.NDArray[np.bool_]

SINGLE_FACETS = ("state", "state_group", "mechanism", "body", "cycle", "session", "year", "response")
# "mechanism" is the kind of body (UPR, treaty bodies, special procedures); "body" the committee or
# mandate itself ("CCPR", "SR-RIGHT-FOOD"), labelled with its name where its code is not enough.
MECHANISM_KINDS = ("upr", "treaty body", "special procedures")
MULTI_FACETS = ("recommending_state", "recommending_group")


@dataclass
class Column:
    """One facet: integer codes per row (single-valued) or (row, code) pairs (multi-valued)."""

    values: list[Any]
    labels: dict[Any, str]
    codes: IntArray | None = None
    rows: IntArray | None = None

    def code_of(self) -> dict[Any, int]:
        return {str(v): i for i, v in enumerate(self.values)}

    def mask_for(self, wanted: list[str], size: int) -> BoolArray:
        lookup = self.code_of()
        chosen = np.array([lookup[w] for w in wanted if w in lookup], dtype=np.int32)
        assert self.codes is not None
        if self.rows is None:
            return np.isin(self.codes, chosen)
        mask = np.zeros(size, dtype=np.bool_)
        mask[self.rows[np.isin(self.codes, chosen)]] = True
        return mask

    def counts(self, mask: BoolArray) -> npt.NDArray[np.int64]:
        assert self.codes is not None
        selected = self.codes[mask] if self.rows is None else self.codes[mask[self.rows]]
        return np.bincount(selected, minlength=len(self.values))


@dataclass
class FacetIndex:
    generation: int
    ids: npt.NDArray[np.int64]
    columns: dict[str, Column] = field(default_factory=dict)
    sort_rank: dict[str, IntArray] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.ids)

    def positions(self, ids: list[int] | npt.NDArray[np.int64]) -> IntArray:
        """Row positions of the given ids (ids absent from the index are dropped)."""
        wanted = np.asarray(ids, dtype=np.int64)
        pos = np.searchsorted(self.ids, wanted)
        pos = np.clip(pos, 0, max(self.size - 1, 0))
        ok = self.ids[pos] == wanted if self.size else np.zeros(len(wanted), dtype=np.bool_)
        found: IntArray = pos[ok].astype(np.int32)
        return found


def _encode(raw: list[Any]) -> tuple[list[Any], IntArray]:
    vocab: dict[Any, int] = {}
    codes: IntArray = np.fromiter(
        (vocab.setdefault(v, len(vocab)) for v in raw), dtype=np.int32, count=len(raw)
    )
    return list(vocab), codes


def _single(raw: list[Any], labels: dict[Any, str]) -> Column:
    values, codes = _encode(raw)
    return Column(values, labels, codes=codes)


def _multi(pairs: list[tuple[int, Any]], labels: dict[Any, str]) -> Column:
    unique = sorted(set(pairs), key=lambda p: (p[0], str(p[1])))
    values, codes = _encode([v for _, v in unique])
    return Column(values, labels, codes=codes, rows=np.array([r for r, _ in unique], dtype=np.int32))


def build_index(conn: Connection, generation: int) -> FacetIndex:
    r, v, st, m = schema.recommendations, schema.reviews, schema.states, schema.mechanisms
    rows = conn.execute(
        select(
            r.c.id,
            v.c.state,
            st.c.regional_group,
            m.c.kind,
            v.c.mechanism,
            v.c.cycle,
            v.c.session,
            v.c.year,
            r.c.response,
            st.c.name,
        )
        .select_from(
            r.join(v, v.c.id == r.c.review_id)
            .join(st, st.c.alpha3 == v.c.state)
            .join(m, m.c.code == v.c.mechanism)
        )
        .order_by(r.c.id)
    ).all()
    ids = np.array([row[0] for row in rows], dtype=np.int64)
    position = {int(i): p for p, i in enumerate(ids)}
    state_names = {a: n for a, n in conn.execute(select(st.c.alpha3, st.c.name))}
    groups = {a: g for a, g in conn.execute(select(st.c.alpha3, st.c.regional_group))}
    index = FacetIndex(generation=generation, ids=ids)
    plain: dict[Any, str] = {}
    labels_of = {"state": state_names, "body": _body_labels(conn)}
    for offset, name in enumerate(SINGLE_FACETS, start=1):
        index.columns[name] = _single([row[offset] for row in rows], labels_of.get(name, plain))
    rec = schema.recommenders
    pairs = [
        (position[i], a or n)
        for i, a, n in conn.execute(select(rec.c.recommendation_id, rec.c.state, rec.c.name))
        if i in position
    ]
    index.columns["recommending_state"] = _multi(pairs, state_names)
    index.columns["recommending_group"] = _multi(
        [(p, groups.get(a)) for p, a in pairs if groups.get(a)], plain
    )
    _add_tag_columns(conn, index, position)
    _add_sort_ranks(index, rows)
    return index


def _body_labels(conn: Connection) -> dict[Any, str]:
    # Committees are known by their codes (CCPR, CEDAW); mandates by their names.
    m = schema.mechanisms
    return {
        code: name if kind == "special procedures" and code != "SP" else code
        for code, name, kind in conn.execute(select(m.c.code, m.c.name, m.c.kind))
    }


def _add_tag_columns(conn: Connection, index: FacetIndex, position: dict[int, int]) -> None:
    rt, t = schema.recommendation_tags, schema.tags
    by_family: dict[str, list[tuple[int, Any]]] = {}
    for rec_id, family, name in conn.execute(
        select(rt.c.recommendation_id, t.c.family, t.c.name)
        .select_from(rt.join(t, t.c.id == rt.c.tag_id))
        .where(rt.c.provenance != "rejected")
    ):
        if rec_id in position:
            by_family.setdefault(family, []).append((position[rec_id], name))
    for family in conn.scalars(select(schema.tag_families.c.code)):
        index.columns[family] = _multi(by_family.get(family, []), {})


def _rank(keys: list[Any]) -> IntArray:
    order = sorted(range(len(keys)), key=keys.__getitem__)
    rank = np.empty(len(keys), dtype=np.int32)
    rank[np.array(order, dtype=np.int64)] = np.arange(len(keys), dtype=np.int32)
    return rank


def _add_sort_ranks(index: FacetIndex, rows: Sequence[Any]) -> None:
    # row: id, state, group, mechanism kind, body, cycle, session, year, response, state name
    index.sort_rank["newest"] = _rank([(-(row[7] or 0), -(row[6] or 0), row[0]) for row in rows])
    index.sort_rank["oldest"] = _rank([(row[7] or 0, row[6] or 0, row[0]) for row in rows])
    index.sort_rank["state"] = _rank([(row[9], row[6] or 0, row[0]) for row in rows])
    index.sort_rank["id"] = np.arange(len(rows), dtype=np.int32)
