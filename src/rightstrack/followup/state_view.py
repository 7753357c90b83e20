"""A state's implementation record across workspaces: what every tracker has published about the
recommendations the state received, by cycle — the claim and the independent view, never merged.

Built from each workspace's public records only (read as an anonymous visitor would), so a state
profile can never show a draft.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection
from typing import Any

from sqlalchemy import Connection, select

from rightstrack.followup.access import PENDING, WorkspaceAccess, workspace_access
from rightstrack.followup.model import ImplementationStatus
from rightstrack.followup.schema import fu_workspaces
from rightstrack.followup.status import UNASSESSED, standings
from rightstrack.store import schema

PUBLISHED_SHOWN = 50  # the state page lists this many published commitments; the counts cover all


def published_standings(
    conn: Connection, recommendation_ids: Collection[int]
) -> list[tuple[WorkspaceAccess, list[dict[str, Any]]]]:
    """Per workspace (by name), the standing of its public commitments on these recommendations,
    read as an anonymous visitor reads them; workspaces with none are left out."""
    found = []
    # A workspace awaiting an administrator's approval publishes nothing yet.
    open_workspaces = select(fu_workspaces.c.slug).where(fu_workspaces.c.status != PENDING)
    for slug in conn.scalars(open_workspaces.order_by(fu_workspaces.c.name)):
        access = workspace_access(conn, slug, None)
        mine = [s for s in standings(conn, access) if s["recommendation_id"] in recommendation_ids]
        if mine:
            found.append((access, mine))
    return found


def state_implementation(conn: Connection, alpha3: str) -> dict[str, Any]:
    """Public commitments on recommendations to ``alpha3``, by cycle and by workspace."""
    r, v = schema.recommendations, schema.reviews
    cycle_of = {
        int(row.id): row.cycle
        for row in conn.execute(
            select(r.c.id, v.c.cycle).join(v, v.c.id == r.c.review_id).where(v.c.state == alpha3)
        )
    }
    by_cycle: dict[str, Counter[str]] = defaultdict(Counter)
    workspaces, published, disputed, repeated = [], [], 0, 0
    for access, mine in published_standings(conn, cycle_of.keys()):
        slug = access.slug
        workspaces.append({"slug": slug, "name": access.workspace["name"], "commitments": len(mine)})
        published += [
            {"slug": slug, "workspace": access.workspace["name"], "id": item["id"], "title": item["title"]}
            | {k: item[k] for k in ("claim", "independent", "disputed")}
            for item in mine
        ]
        for item in mine:
            cycle = cycle_of[item["recommendation_id"]]
            by_cycle[str(cycle) if cycle else "?"][item["status"]] += 1
            disputed += bool(item["disputed"])
            repeated += bool(item["repeated_not_implemented"])
    return {
        "workspaces": workspaces,
        "commitments": published[:PUBLISHED_SHOWN],
        "by_cycle": [
            {"cycle": k, "counts": dict(c), "total": sum(c.values())} for k, c in sorted(by_cycle.items())
        ],
        "statuses": [*[s.value for s in ImplementationStatus], UNASSESSED],
        "disputed": disputed,
        "repeated_not_implemented": repeated,
    }
