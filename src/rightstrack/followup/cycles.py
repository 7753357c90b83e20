"""Stored links between a recommendation and the same ask in the same state's earlier cycle.

``recommendation_links`` holds pairs (later, earlier) of kind ``repeats``. Two methods write them:

* the model (``tfidf-cosine/<threshold>``): :func:`link_cycles` gives each recommendation in scope
  its best previous-cycle counterpart from :mod:`rightstrack.classify.similar` when the similarity
  reaches the threshold. It syncs: a missing link is added, a present one kept (its score
  refreshed), and a model link from a recommendation in scope that is no longer its best match
  above the threshold is removed. Re-running with the same data changes nothing.
* people (``manual``): :func:`add_manual_link` / :func:`remove_link`. The model never removes or
  overwrites a manual link; a model link a person confirms becomes manual. A link a person removes
  stays in the table as kind ``rejected`` ("not a repeat"), so the model does not bring it back;
  linking the pair by hand again turns it back into a ``repeats`` link. Readers follow ``repeats``
  links only.

Links are derived data beside the corpus: they are written in their own transaction after an
import, and feed no search cache, so writing them does not bump the store's generation.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, select
from typing_extensions import TypedDict

from rightstrack.auth import audit
from rightstrack.classify.similar import COUNTERPART_THRESHOLD, previous_cycle_counterparts
from rightstrack.errors import Conflict, InvalidInput, NotFound
from rightstrack.followup.schema import LINK_REJECTED, LINK_REPEATS, recommendation_links
from rightstrack.store import schema
from rightstrack.store.database import Database

KIND = LINK_REPEATS
REJECTED = LINK_REJECTED  # a person said this pair is not a repeat: the model leaves it alone
MANUAL = "manual"
_SHORT = 200  # characters of text shown with a link
_r, _v, _l = schema.recommendations, schema.reviews, recommendation_links


def model_method(threshold: float) -> str:
    return f"tfidf-cosine/{threshold:g}"


@dataclass
class LinkSummary:
    """What one :func:`link_cycles` run did."""

    considered: int = 0
    added: int = 0
    kept: int = 0
    removed: int = 0
    manual: int = 0  # manual links from recommendations in scope, left as they were
    rejected: int = 0  # pairs people marked "not a repeat", which the model does not add again
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class LinkOut(TypedDict):
    id: int
    state_under_review: str
    cycle: int | None
    session: int | None
    paragraph: str | None
    text: str
    response: str | None
    score: float | None
    method: str
    via: int  # the recommendation on the other side of this link (chains go through several)


class CycleLinksOut(TypedDict):
    earlier: list[LinkOut]
    later: list[LinkOut]


@dataclass(frozen=True)
class CycleLinks:
    """``earlier``: what a recommendation repeats, back through every earlier cycle (nearest first);
    ``later``: recommendations of later cycles repeating it, and those repeating them (nearest first)."""

    earlier: list[LinkOut] = field(default_factory=list)
    later: list[LinkOut] = field(default_factory=list)

    def as_dict(self) -> CycleLinksOut:
        return CycleLinksOut(earlier=list(self.earlier), later=list(self.later))


# -- the model's links -------------------------------------------------------------------------


def link_cycles(
    db: Database,
    record_ids: Iterable[int] | None = None,
    *,
    threshold: float = COUNTERPART_THRESHOLD,
    actor: str | None = None,
) -> LinkSummary:
    """Store each recommendation's previous-cycle counterpart (default: every recommendation).

    Computing the counterparts builds (or reuses) the similarity index; the links are then synced
    in one transaction. Changes are audit-logged as one event when any were made.
    """
    if not 0.0 < threshold <= 1.0:
        raise InvalidInput(f"the threshold is a cosine similarity above 0 and at most 1, not {threshold}")
    started = time.perf_counter()
    scope = None if record_ids is None else sorted(set(record_ids))
    found = previous_cycle_counterparts(db, scope, threshold=threshold)
    method = model_method(threshold)
    summary = LinkSummary()
    with db.transaction(bump=False) as conn:
        ids = scope if scope is not None else list(conn.scalars(select(_r.c.id)))
        summary.considered = len(ids)
        existing = _links_from(conn, scope)
        now = datetime.now(UTC)
        new_rows: list[dict[str, Any]] = []
        for rec_id in ids:
            wanted = found.get(rec_id)
            present = existing.get(rec_id, {})
            for earlier_id, (link_id, link_method, score, kind) in present.items():
                if kind == REJECTED:
                    summary.rejected += 1
                elif link_method == MANUAL:
                    summary.manual += 1
                elif wanted is not None and earlier_id == wanted.previous_id:
                    summary.kept += 1
                    if score != wanted.score or link_method != method:
                        conn.execute(
                            _l.update().where(_l.c.id == link_id).values(score=wanted.score, method=method)
                        )
                else:
                    summary.removed += 1
                    conn.execute(_l.delete().where(_l.c.id == link_id))
            if wanted is not None and wanted.previous_id not in present:
                summary.added += 1
                new_rows.append(
                    {
                        "recommendation_id": rec_id,
                        "earlier_id": wanted.previous_id,
                        "kind": KIND,
                        "score": wanted.score,
                        "method": method,
                        "created_at": now,
                        "created_by": actor,
                    }
                )
        if new_rows:
            conn.execute(_l.insert(), new_rows)
        summary.seconds = round(time.perf_counter() - started, 3)
        if summary.added or summary.removed:
            after = {"added": summary.added, "removed": summary.removed, "method": method}
            audit.record(conn, actor=actor, action="link-cycles", entity="recommendation_links", after=after)
    return summary


_Present = dict[int, dict[int, tuple[int, str, float | None, str]]]


def _links_from(conn: Connection, ids: Sequence[int] | None) -> _Present:
    """later id -> earlier id -> (link id, method, score, kind), for the links from ``ids`` (None:
    all), rejected pairs included."""
    out: _Present = {}
    query = select(_l.c.recommendation_id, _l.c.earlier_id, _l.c.id, _l.c.method, _l.c.score, _l.c.kind)
    chunks = [None] if ids is None else [list(ids[i : i + 500]) for i in range(0, len(ids), 500)]
    for chunk in chunks:
        wanted = query if chunk is None else query.where(_l.c.recommendation_id.in_(chunk))
        for later, earlier, link_id, method, score, kind in conn.execute(wanted):
            out.setdefault(later, {})[earlier] = (link_id, method, score, kind)
    return out


def recommendation_ids_of_state(db: Database, alpha3: str) -> list[int]:
    """Every recommendation addressed to the state ``alpha3`` (NotFound for an unknown code)."""
    code = alpha3.strip().upper()
    with db.read() as conn:
        if conn.scalar(select(schema.states.c.alpha3).where(schema.states.c.alpha3 == code)) is None:
            raise NotFound(f"no state with the code {alpha3!r} (use an ISO alpha-3 code such as USA)")
        return list(
            conn.scalars(
                select(_r.c.id).select_from(_r.join(_v, _v.c.id == _r.c.review_id)).where(_v.c.state == code)
            )
        )


def ids_to_link_after_import(db: Database, new_ids: Sequence[int]) -> list[int]:
    """The recommendations whose counterpart an import of ``new_ids`` may have changed: the new ones,
    and those of the next cycle of the same states (when an earlier cycle is imported after a later
    one). Empty, without building the similarity index, when no touched state has another cycle."""
    if not new_ids:
        return []
    with db.read() as conn:
        touched: set[tuple[str, int]] = set()
        for start in range(0, len(new_ids), 500):  # bounded IN lists (SQLite's parameter limit)
            chunk = list(new_ids[start : start + 500])
            found = conn.execute(
                select(_v.c.state, _v.c.cycle)
                .select_from(_r.join(_v, _v.c.id == _r.c.review_id))
                .where(_r.c.id.in_(chunk), _v.c.cycle.is_not(None))
                .distinct()
            )
            touched.update((row.state, row.cycle) for row in found)
        states = {state for state, _ in touched}
        reviewed = conn.execute(select(_v.c.state, _v.c.cycle).where(_v.c.state.in_(states)).distinct())
        cycles = {(row.state, row.cycle) for row in reviewed}
        if not any((s, c - 1) in cycles or (s, c + 1) in cycles for s, c in touched):
            return []
        following = [(s, c + 1) for s, c in touched if (s, c + 1) in cycles]
        extra: list[int] = []
        for state, cycle in following:
            extra += conn.scalars(
                select(_r.c.id)
                .select_from(_r.join(_v, _v.c.id == _r.c.review_id))
                .where(_v.c.state == state, _v.c.cycle == cycle)
            )
    return sorted(set(new_ids) | set(extra))


# -- people's links ----------------------------------------------------------------------------


def _place(conn: Connection, record_id: int) -> tuple[str, int | None]:
    row = conn.execute(
        select(_v.c.state, _v.c.cycle)
        .select_from(_r.join(_v, _v.c.id == _r.c.review_id))
        .where(_r.c.id == record_id)
    ).first()
    if row is None:
        raise NotFound(f"no recommendation with id {record_id}")
    return row.state, row.cycle


def add_manual_link(db: Database, later_id: int, earlier_id: int, actor: str | None) -> None:
    """Record by hand that ``later_id`` repeats ``earlier_id`` (same state, an earlier cycle).

    A model link between the two becomes manual (so the model no longer removes it); a pair marked
    "not a repeat" becomes a link again."""
    with db.transaction(bump=False) as conn:
        later_state, later_cycle = _place(conn, later_id)
        earlier_state, earlier_cycle = _place(conn, earlier_id)
        if later_state != earlier_state:
            raise InvalidInput(
                f"recommendation {later_id} is addressed to {later_state}, {earlier_id} to {earlier_state}: "
                "a repeat is addressed to the same state"
            )
        if later_cycle is None or earlier_cycle is None or earlier_cycle >= later_cycle:
            raise InvalidInput(
                f"recommendation {earlier_id} (cycle {earlier_cycle}) is not in a cycle before "
                f"{later_id}'s (cycle {later_cycle})"
            )
        pair = and_(_l.c.recommendation_id == later_id, _l.c.earlier_id == earlier_id)
        current = conn.execute(select(_l.c.id, _l.c.method, _l.c.score, _l.c.kind).where(pair)).first()
        if current is not None and current.method == MANUAL and current.kind == KIND:
            raise Conflict(f"recommendation {later_id} is already linked by hand to {earlier_id}")
        values: dict[str, Any] = {"kind": KIND, "score": None, "method": MANUAL, "created_by": actor}
        values["created_at"] = datetime.now(UTC)
        if current is None:
            conn.execute(_l.insert(), {"recommendation_id": later_id, "earlier_id": earlier_id, **values})
        else:
            conn.execute(_l.update().where(_l.c.id == current.id).values(**values))
        before = None if current is None else {"kind": current.kind, "method": current.method}
        audit.record(
            conn,
            actor=actor,
            action="link-add",
            entity="recommendation_link",
            entity_id=f"{later_id}->{earlier_id}",
            before=before,
            after={"method": MANUAL},
        )


def remove_link(db: Database, later_id: int, earlier_id: int, actor: str | None) -> None:
    """Say that ``later_id`` does not repeat ``earlier_id``: the link (manual or model) is marked
    rejected, so no reader follows it and the model does not add it again."""
    with db.transaction(bump=False) as conn:
        pair = and_(_l.c.recommendation_id == later_id, _l.c.earlier_id == earlier_id)
        current = conn.execute(select(_l.c.id, _l.c.method, _l.c.score, _l.c.kind).where(pair)).first()
        if current is None or current.kind == REJECTED:
            raise NotFound(f"recommendation {later_id} is not linked to {earlier_id}")
        values = {"kind": REJECTED, "method": MANUAL, "score": None, "created_by": actor}
        conn.execute(_l.update().where(_l.c.id == current.id).values(created_at=datetime.now(UTC), **values))
        audit.record(
            conn,
            actor=actor,
            action="link-remove",
            entity="recommendation_link",
            entity_id=f"{later_id}->{earlier_id}",
            before={"method": current.method, "score": current.score},
            after={"kind": REJECTED},
        )


# -- reading -----------------------------------------------------------------------------------


def links_of(conn: Connection, record_id: int) -> CycleLinks:
    """The recommendations ``record_id`` repeats and those repeating it, following chains of links."""
    return CycleLinks(earlier=_walk(conn, record_id, back=True), later=_walk(conn, record_id, back=False))


def _walk(conn: Connection, record_id: int, *, back: bool) -> list[LinkOut]:
    here, there = (
        (_l.c.recommendation_id, _l.c.earlier_id) if back else (_l.c.earlier_id, _l.c.recommendation_id)
    )
    seen = {record_id}
    frontier = [record_id]
    found: list[LinkOut] = []
    while frontier:  # one query per cycle step; chains are a handful of cycles long
        rows = conn.execute(
            select(
                there.label("other"),
                here.label("via"),
                _l.c.score,
                _l.c.method,
                _v.c.state,
                _v.c.cycle,
                _v.c.session,
                _r.c.paragraph,
                _r.c.text,
                _r.c.response,
            )
            .select_from(_l.join(_r, _r.c.id == there).join(_v, _v.c.id == _r.c.review_id))
            .where(here.in_(frontier), _l.c.kind == KIND)
            .order_by(there)
        ).all()
        frontier = []
        for row in rows:
            if row.other in seen:
                continue
            seen.add(row.other)
            frontier.append(row.other)
            text = row.text if len(row.text) <= _SHORT else row.text[: _SHORT - 1] + "…"
            found.append(
                LinkOut(
                    id=row.other,
                    state_under_review=row.state,
                    cycle=row.cycle,
                    session=row.session,
                    paragraph=row.paragraph,
                    text=text,
                    response=row.response,
                    score=None if row.score is None else round(row.score, 4),
                    method=row.method,
                    via=row.via,
                )
            )
    return found
