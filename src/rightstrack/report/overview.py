"""Figures for the overview pages: the dashboard, a state's profile and the states index.

The counts come from ``search`` facet counts, the same numbers the search page shows beside its
filters, so a bar on the dashboard and the search it links to can never disagree. Each chart is a
list of bars with a share of the largest bar (0–100), ready for a CSS or SVG bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select

from rightstrack.engagement import schema as es
from rightstrack.engagement.compare import find_state, ranking, state_treaties
from rightstrack.model.reference import ISSUE_FAMILY
from rightstrack.model.states import all_states
from rightstrack.store import catalog
from rightstrack.store.database import Database
from rightstrack.store.facets import MECHANISM_KINDS
from rightstrack.store.search import FacetValue, SearchRequest, search

# Facet name → (title, order of the bars): cycles and years read best in their own order.
DASHBOARD_CHARTS: tuple[tuple[str, str], ...] = (
    ("mechanism", "count"),
    ("body", "count"),
    ("response", "count"),
    ("cycle", "value"),
    ("state_group", "count"),
    ("recommending_group", "count"),
    (ISSUE_FAMILY, "count"),
    ("year", "value"),
)
STATE_CHARTS: tuple[tuple[str, str], ...] = (
    ("mechanism", "count"),
    ("body", "count"),
    ("response", "count"),
    ("cycle", "value"),
    ("recommending_group", "count"),
    (ISSUE_FAMILY, "count"),
)
TOP = 12


def bars(values: Sequence[FacetValue], order: str = "count", limit: int = TOP) -> list[dict[str, Any]]:
    """Facet values as bars; ``share`` is the percentage of the largest bar, for the bar's width."""
    if order == "value":
        chosen = sorted(values, key=lambda v: _number_first(v["value"]))[-limit:]
    else:
        chosen = sorted(values, key=lambda v: (-v["count"], v["label"]))[:limit]
    largest = max((v["count"] for v in chosen), default=0)
    return [
        {
            "value": v["value"],
            "label": v["label"],
            "count": v["count"],
            "share": round(100 * v["count"] / largest, 1) if largest else 0.0,
        }
        for v in chosen
    ]


def _number_first(value: str) -> tuple[int, float, str]:
    try:
        return (0, float(value), value)
    except ValueError:
        return (1, 0.0, value)


def charts(db: Database, specs: Sequence[tuple[str, str]], filters: dict[str, list[str]]) -> dict[str, Any]:
    """Total and one bar chart per facet, over the recommendations matching ``filters``."""
    result = search(
        db,
        SearchRequest(filters=filters, page_size=1, facets=[name for name, _ in specs], facet_size=200),
    )
    kinds = {v["value"]: v["count"] for v in result["facets"].get("mechanism", [])}
    return {
        "total": result["total"],
        # Every kind of mechanism, counted even when none of its recommendations is stored.
        "by_mechanism": [{"value": kind, "count": kinds.get(kind, 0)} for kind in MECHANISM_KINDS],
        "charts": {name: bars(result["facets"].get(name, []), order) for name, order in specs},
    }


def dashboard(db: Database) -> dict[str, Any]:
    return charts(db, DASHBOARD_CHARTS, {})


def state_profile(db: Database, state: str) -> dict[str, Any]:
    """A state's page: recommendations received (with charts), its treaty table with reservations."""
    info = find_state(state)
    with db.read() as conn:
        treaties = state_treaties(conn, info.alpha3)
        notes = reservations(conn, info.alpha3)
    for entry in treaties["instruments"]:
        entry["reservations"] = notes.get(entry["instrument"], [])
        entry["citations"] = citations(entry.get("sources", []))
    return {
        "alpha3": info.alpha3,
        "name": info.name,
        "regional_group": info.regional_group.value if info.regional_group else None,
        "received": charts(db, STATE_CHARTS, {"state": [info.alpha3]}),
        "treaties": treaties,
    }


def citations(sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A row's sources, each line of each file cited once with the facts it gave and its as-of
    date (status, signature and ratification often come from one line of one file)."""
    cited: dict[tuple[str, str, str], dict[str, Any]] = {}
    for source in sources:
        key = (source["file"], source["locator"], source["as_of"])
        cited.setdefault(key, {"file": key[0], "locator": key[1], "as_of": key[2], "facts": []})
        cited[key]["facts"].append(source["fact"])
    return list(cited.values())


def reservations(conn: Connection, alpha3: str) -> dict[str, list[dict[str, Any]]]:
    """Instrument → the reservations and declarations sources record for this state."""
    facts = es.treaty_facts
    found: dict[str, list[dict[str, Any]]] = {}
    query = (
        select(facts.c.instrument, facts.c.kind, facts.c.value, facts.c.note, facts.c.date)
        .where(facts.c.state == alpha3, facts.c.kind.in_(("reservation", "declaration")))
        .order_by(facts.c.instrument, facts.c.id)
    )
    for row in conn.execute(query):
        found.setdefault(row.instrument, []).append(
            {"kind": row.kind, "text": row.value or row.note or "", "date": row.date}
        )
    return found


def states_index(conn: Connection) -> list[dict[str, Any]]:
    """Every state: recommendations received, instruments it is party to, and its rank by those."""
    received = {s["alpha3"]: s["recommendations"] for s in catalog.list_states(conn)}
    rows = ranking(conn)
    for row in rows:
        row["recommendations"] = received.get(row["alpha3"], 0)
    return sorted(rows, key=lambda r: r["name"])


TILE, GAP, COLUMNS, HEADING = 36, 4, 18, 26


def tile_map(world: dict[str, Any]) -> dict[str, Any]:
    """A world map as tiles: one square per state, grouped by UN regional group, in name order.

    Not a geographic projection: the project ships no borders, and tiles keep small states as
    visible as large ones. Each tile carries its state's status and its position in the drawing.
    """
    by_group: dict[str, list[dict[str, Any]]] = {}
    for row in _states():
        status = world["states"].get(row["alpha3"], "unknown")
        by_group.setdefault(row["group"], []).append(
            {**row, "status": status, "year": world["consent_year"].get(row["alpha3"])}
        )
    groups, top = [], 0
    step = TILE + GAP
    for group, tiles in sorted(by_group.items()):
        for number, tile in enumerate(tiles):
            tile["x"] = (number % COLUMNS) * step
            tile["y"] = top + HEADING + (number // COLUMNS) * step
        groups.append({"group": group, "y": top + HEADING - 8, "states": tiles})
        top += HEADING + -(-len(tiles) // COLUMNS) * step + GAP
    return {"groups": groups, "width": COLUMNS * step, "height": top, "tile": TILE}


def _states() -> list[dict[str, str]]:
    return sorted(
        (
            {
                "alpha3": s.alpha3,
                "name": s.name,
                "group": s.regional_group.value if s.regional_group else "none",
            }
            for s in all_states()
        ),
        key=lambda s: s["name"],
    )
