"""What is due and overdue, where each commitment stands, and the workspace dashboard.

A commitment's standing is two answers, never one: the government's latest claim and the latest
independent view (NHRI, civil society, UN mechanism). Without an assessment of its own, a
commitment on a recommendation that repeats an earlier one carries the earlier commitment's
standing forward, marked as such — "recommended again, still not implemented" is then visible.
"""

from __future__ import annotations

import calendar
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, func, select

from rightstrack.followup.access import WorkspaceAccess
from rightstrack.followup.commitments import get_commitment, list_commitments
from rightstrack.followup.model import (
    OPEN_MEASURE_STATUSES,
    AssessorType,
    Frequency,
    ImplementationStatus,
)
from rightstrack.followup.progress import claim_gap
from rightstrack.followup.schema import (
    LINK_REPEATS,
    fu_actors,
    fu_assessments,
    fu_commitment_actors,
    fu_commitments,
    fu_indicator_values,
    fu_indicators,
    fu_measures,
    recommendation_links,
)
from rightstrack.model.reference import ISSUE_FAMILY
from rightstrack.store import schema

UNASSESSED = "unassessed"


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class DueItem:
    kind: str  # "measure" or "indicator"
    id: int
    commitment_id: int
    title: str
    due_on: date
    overdue: bool
    responsible_user_id: int | None
    visibility: str

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__ | {"due_on": self.due_on.isoformat()}


def due_items(
    conn: Connection, workspace_id: int, today: date, *, ahead_days: int = 7, visible_only: bool = False
) -> list[DueItem]:
    """Open measures and indicators due within ``ahead_days`` or already overdue, most overdue first."""
    horizon = today + timedelta(days=ahead_days)
    c = fu_commitments
    live = (c.c.deleted_at.is_(None)) & (c.c.workspace_id == workspace_id)
    if visible_only:
        live = live & (c.c.visibility == "public")
    m = fu_measures
    measures = conn.execute(
        select(m.c.id, m.c.commitment_id, m.c.title, m.c.due_on, m.c.responsible_user_id, c.c.visibility)
        .join(c, c.c.id == m.c.commitment_id)
        .where(live, m.c.deleted_at.is_(None), m.c.status.in_([s.value for s in OPEN_MEASURE_STATUSES]))
        .where(m.c.due_on <= horizon)
    )
    items = [
        DueItem(
            "measure",
            r.id,
            r.commitment_id,
            r.title,
            r.due_on,
            r.due_on < today,
            r.responsible_user_id,
            r.visibility,
        )
        for r in measures
    ]
    items += _due_indicators(conn, live, today, horizon)
    return sorted(items, key=lambda i: (i.due_on, i.kind, i.id))


def _due_indicators(conn: Connection, live: Any, today: date, horizon: date) -> list[DueItem]:
    i, v, c = fu_indicators, fu_indicator_values, fu_commitments
    last = (
        select(v.c.indicator_id, func.max(v.c.reported_on).label("last"))
        .group_by(v.c.indicator_id)
        .subquery()
    )
    rows = conn.execute(
        select(i, last.c.last, c.c.visibility.label("commitment_visibility"))
        .join(c, c.c.id == i.c.commitment_id)
        .outerjoin(last, last.c.indicator_id == i.c.id)
        .where(live, i.c.deleted_at.is_(None))
    )
    out = []
    for r in rows:
        due = next_report_due(r.starts_on, r.last, Frequency(r.frequency))
        if due <= horizon:
            out.append(
                DueItem(
                    "indicator",
                    r.id,
                    r.commitment_id,
                    r.name,
                    due,
                    due < today,
                    r.responsible_user_id,
                    r.commitment_visibility,
                )
            )
    return out


def next_report_due(starts_on: date, last_reported: date | None, frequency: Frequency) -> date:
    """The first report is due one period after the start; each later one a period after the last."""
    return add_months(last_reported or starts_on, frequency.months)


# -- standing ---------------------------------------------------------------------------------


def _assessments_by_commitment(
    conn: Connection, access: WorkspaceAccess, commitment_ids: list[int] | None = None
) -> dict[int, list[dict[str, Any]]]:
    a = fu_assessments
    query = select(a).where(a.c.workspace_id == access.id, a.c.deleted_at.is_(None))
    if commitment_ids is not None:
        query = query.where(a.c.commitment_id.in_(commitment_ids))
    if not access.reads_private:
        query = query.where(a.c.visibility == "public")
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in conn.execute(query):
        grouped[int(row.commitment_id)].append(dict(row._mapping))
    return grouped


def _independent(others: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    latest = sorted(others.values(), key=lambda a: (a["assessed_on"], a["id"]))
    return latest[-1] if latest else None


def _direct_links(conn: Connection, recommendation_ids: list[int]) -> dict[int, list[int]]:
    """recommendation -> the earlier asks it repeats directly, best match first, for every
    recommendation reachable backwards from ``recommendation_ids`` (one query per cycle step)."""
    direct: dict[int, list[int]] = {}
    frontier = set(recommendation_ids)
    while frontier:
        rows = conn.execute(
            select(recommendation_links.c.recommendation_id, recommendation_links.c.earlier_id)
            .where(
                recommendation_links.c.recommendation_id.in_(sorted(frontier)),
                recommendation_links.c.kind == LINK_REPEATS,
            )
            .order_by(recommendation_links.c.score.desc(), recommendation_links.c.earlier_id)
        )
        for row in rows:
            direct.setdefault(int(row.recommendation_id), []).append(int(row.earlier_id))
        direct.update({r: direct.get(r, []) for r in frontier})
        frontier = {e for r in frontier for e in direct[r]} - direct.keys()
    return direct


def _chain(direct: dict[int, list[int]], recommendation_id: int) -> list[int]:
    out: list[int] = []
    frontier = [recommendation_id]
    while frontier:
        step = [e for r in frontier for e in direct.get(r, []) if e not in out and e != recommendation_id]
        frontier = list(dict.fromkeys(step))
        out += frontier
    return out


def earlier_recommendations(conn: Connection, recommendation_id: int) -> list[int]:
    """The earlier asks a recommendation repeats, nearest cycle first (following the chain back)."""
    return _chain(_direct_links(conn, [recommendation_id]), recommendation_id)


def _actors_by_commitment(conn: Connection, commitment_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    if not commitment_ids:
        return {}
    a, ca = fu_actors, fu_commitment_actors
    rows = conn.execute(
        select(ca.c.commitment_id, a.c.id, a.c.name, a.c.kind, ca.c.lead)
        .join(a, a.c.id == ca.c.actor_id)
        .where(ca.c.commitment_id.in_(commitment_ids), a.c.deleted_at.is_(None))
        .order_by(ca.c.lead.desc(), a.c.name)
    )
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        out[int(row.commitment_id)].append(
            {"id": row.id, "name": row.name, "kind": row.kind, "lead": row.lead}
        )
    return out


def standings(conn: Connection, access: WorkspaceAccess, only: int | None = None) -> list[dict[str, Any]]:
    """Every visible commitment (or just ``only``) with its claim, independent view, carried-forward
    standing and actors."""
    if only is None:
        commitments = list_commitments(conn, access)
        direct = _direct_links(conn, [c["recommendation_id"] for c in commitments if c["recommendation_id"]])
        related = commitments
    else:  # one commitment: read only it and the commitments on the asks it repeats
        commitments = [get_commitment(conn, access, only)]
        rec = commitments[0]["recommendation_id"]
        direct = _direct_links(conn, [rec] if rec else [])
        chain = _chain(direct, rec) if rec else []
        related = commitments + (list_commitments(conn, access, recommendation_ids=chain) if chain else [])
    assessed = _assessments_by_commitment(conn, access, None if only is None else [c["id"] for c in related])
    by_recommendation = {c["recommendation_id"]: c for c in related if c["recommendation_id"]}
    actors = _actors_by_commitment(conn, [c["id"] for c in commitments])
    out = []
    for commitment in commitments:
        gap = claim_gap(assessed.get(commitment["id"], []))
        independent = _independent(gap["others"])
        item = commitment | {
            "claim": gap["government"],
            "independent": independent,
            "disputed": gap["disputed"],
            "actors": actors.get(commitment["id"], []),
            "carried_from": None,
            "repeats": [],
        }
        if commitment["recommendation_id"]:
            item["repeats"] = _chain(direct, commitment["recommendation_id"])
            previous = _earlier_standing(item["repeats"], by_recommendation, assessed)
            item["earlier_status"] = previous.get("status")
            if previous and not gap["government"] and not independent:
                item |= {k: previous[k] for k in ("claim", "independent", "disputed", "carried_from")}
        item["status"] = _status_of(item)
        # The ask came back in this cycle although the earlier one was not (fully) implemented.
        item["repeated_not_implemented"] = bool(item["repeats"]) and item.get("earlier_status") in {
            ImplementationStatus.NOT_IMPLEMENTED,
            ImplementationStatus.PARTIALLY,
        }
        out.append(item)
    return out


def _earlier_standing(
    earlier: list[int],
    by_recommendation: dict[int, dict[str, Any]],
    assessed: dict[int, list[dict[str, Any]]],
) -> dict[str, Any]:
    """The standing of the nearest earlier commitment (on an ask this one repeats) that was assessed."""
    for recommendation_id in earlier:
        previous = by_recommendation.get(recommendation_id)
        if previous is None:
            continue
        gap = claim_gap(assessed.get(previous["id"], []))
        independent = _independent(gap["others"])
        if gap["government"] or independent:
            return {
                "claim": gap["government"],
                "independent": independent,
                "disputed": gap["disputed"],
                "carried_from": previous["id"],
                "status": (independent or gap["government"] or {})["status"],
            }
    return {}


def _status_of(item: dict[str, Any]) -> str:
    """The headline status: the independent view where there is one, else the claim."""
    chosen = item["independent"] or item["claim"]
    return str(chosen["status"]) if chosen else UNASSESSED


# -- dashboard --------------------------------------------------------------------------------


def _themes(conn: Connection, recommendation_ids: list[int]) -> dict[int, list[str]]:
    if not recommendation_ids:
        return {}
    rt, t = schema.recommendation_tags, schema.tags
    rows = conn.execute(
        select(rt.c.recommendation_id, t.c.name)
        .join(t, t.c.id == rt.c.tag_id)
        .where(
            rt.c.recommendation_id.in_(recommendation_ids),
            t.c.family == ISSUE_FAMILY,
            rt.c.provenance != "rejected",
        )
    )
    out: dict[int, list[str]] = defaultdict(list)
    for r in rows:
        out[int(r.recommendation_id)].append(r.name)
    return out


def _cycles(conn: Connection, recommendation_ids: list[int]) -> dict[int, int | None]:
    if not recommendation_ids:
        return {}
    r, v = schema.recommendations, schema.reviews
    rows = conn.execute(
        select(r.c.id, v.c.cycle).join(v, v.c.id == r.c.review_id).where(r.c.id.in_(recommendation_ids))
    )
    return {int(x.id): x.cycle for x in rows}


def dashboard(conn: Connection, access: WorkspaceAccess, today: date) -> dict[str, Any]:
    """Status counts by theme, by lead actor and by cycle; the overdue list; disputed claims."""
    items = standings(conn, access)
    rec_ids = [i["recommendation_id"] for i in items if i["recommendation_id"]]
    themes, cycles = _themes(conn, rec_ids), _cycles(conn, rec_ids)
    by_theme: dict[str, Counter[str]] = defaultdict(Counter)
    by_actor: dict[str, Counter[str]] = defaultdict(Counter)
    by_cycle: dict[str, Counter[str]] = defaultdict(Counter)
    for item in items:
        rid = item["recommendation_id"]
        for theme in themes.get(rid, []) if rid else ["Local pledges"]:
            by_theme[theme][item["status"]] += 1
        lead = next((a["name"] for a in item["actors"] if a["lead"]), "No lead actor")
        by_actor[lead][item["status"]] += 1
        cycle = cycles.get(rid) if rid else None
        by_cycle[f"Cycle {cycle}" if cycle else "Local pledges"][item["status"]] += 1
    due = due_items(conn, access.id, today, visible_only=not access.reads_private)
    return {
        "commitments": items,
        "totals": dict(Counter(i["status"] for i in items)),
        # The headline mixes two views; these say what each view alone counts (never merged).
        "claim_totals": dict(Counter(_view(i["claim"]) for i in items)),
        "independent_totals": dict(Counter(_view(i["independent"]) for i in items)),
        "by_theme": _table(by_theme),
        "by_actor": _table(by_actor),
        "by_cycle": _table(by_cycle),
        "overdue": [d.as_dict() for d in due if d.overdue],
        "due_soon": [d.as_dict() for d in due if not d.overdue],
        "disputed": [i for i in items if i["disputed"]],
        "statuses": [*[s.value for s in ImplementationStatus], UNASSESSED],
        "assessor_types": [a.value for a in AssessorType],
    }


def _view(assessment: dict[str, Any] | None) -> str:
    return str(assessment["status"]) if assessment else UNASSESSED


def _table(counts: dict[str, Counter[str]]) -> list[dict[str, Any]]:
    return [{"label": k, "counts": dict(v), "total": sum(v.values())} for k, v in sorted(counts.items())]
