"""A state's timeline: reviews with what they produced, treaty actions and events, in date order.

Per review cycle: recommendations received, the share supported (fully or in part, over all
received, so that unanswered ones count against it), and how many repeat a recommendation of the
state's previous cycle of the same mechanism — an exact match of normalised text for now, which
undercounts reworded repeats.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, select

from rightstrack.engagement import schema as es
from rightstrack.engagement.compare import find_state
from rightstrack.engagement.events import list_events
from rightstrack.engagement.instruments import get_instrument
from rightstrack.model.records import Response
from rightstrack.store import schema

_SUPPORTED = {Response.SUPPORTED.value, Response.SUPPORTED_IN_PART.value}
_TREATY_ACTIONS = (
    ("signature_date", "signature_precision", "signature"),
    ("consent_date", "consent_precision", "consent_kind"),
    ("denunciation_date", None, "denunciation"),
    ("complaints_date", None, "acceptance of individual complaints"),
    ("inquiry_date", None, "acceptance of the inquiry procedure"),
)


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold().rstrip(" .;")


def review_cycles(conn: Connection, alpha3: str) -> list[dict[str, Any]]:
    reviews, recs = schema.reviews, schema.recommendations
    query = (
        select(
            reviews.c.mechanism,
            reviews.c.cycle,
            reviews.c.session,
            reviews.c.year,
            recs.c.text,
            recs.c.response,
        )
        .join(recs, recs.c.review_id == reviews.c.id)
        .where(reviews.c.state == alpha3)
    )
    grouped: dict[tuple[str, int | None], dict[str, Any]] = {}
    texts: dict[tuple[str, int | None], set[str]] = defaultdict(set)
    normals: dict[tuple[str, int | None], list[str]] = defaultdict(list)
    for row in conn.execute(query):
        # Reviews without a cycle are grouped by session instead, so none is merged with another.
        key = (row.mechanism, row.cycle if row.cycle is not None else -(row.session or 0))
        cycle = grouped.setdefault(
            key,
            {
                "mechanism": row.mechanism,
                "cycle": row.cycle,
                "sessions": set(),
                "years": set(),
                "recommendations": 0,
                "supported": 0,
                "noted": 0,
                "no_response": 0,
            },
        )
        cycle["recommendations"] += 1
        cycle["sessions"].add(row.session)
        cycle["years"].add(row.year)
        if row.response in _SUPPORTED:
            cycle["supported"] += 1
        elif row.response == Response.NOTED.value:
            cycle["noted"] += 1
        else:
            cycle["no_response"] += 1
        normals[key].append(_normal(row.text))
        texts[key].add(_normal(row.text))
    result = []
    previous: dict[str, tuple[str, int | None]] = {}
    for key in sorted(grouped, key=lambda k: (k[0], min(y or 0 for y in grouped[k]["years"]), k[1] or 0)):
        cycle = grouped[key]
        before = previous.get(key[0])
        cycle["repeated_from_previous_cycle"] = (
            sum(text in texts[before] for text in normals[key]) if before else None
        )
        previous[key[0]] = key
        cycle["share_supported"] = round(cycle["supported"] / cycle["recommendations"], 3)
        cycle["sessions"] = sorted(s for s in cycle["sessions"] if s is not None)
        years = sorted(y for y in cycle["years"] if y is not None)
        cycle["years"] = years
        cycle["date"] = str(years[0]) if years else None
        result.append(cycle)
    return result


def treaty_actions(conn: Connection, alpha3: str) -> list[dict[str, Any]]:
    table = es.treaty_status
    found = []
    for row in conn.execute(select(table).where(table.c.state == alpha3)):
        for date_column, precision_column, label in _TREATY_ACTIONS:
            date = row._mapping[date_column]
            if not date:
                continue
            action = (row.consent_kind if label == "consent_kind" else label) or "ratification or accession"
            precision = row._mapping[precision_column] if precision_column else None
            found.append(
                {
                    "date": date,
                    "precision": precision
                    or ("day" if len(date) == 10 else "year" if len(date) == 4 else "month"),
                    "type": "treaty",
                    "instrument": row.instrument,
                    "action": action,
                    "title": f"{get_instrument(row.instrument).code}: {action}",
                }
            )
    return found


def state_timeline(conn: Connection, state: str) -> dict[str, Any]:
    """Everything dated about a state's engagement, oldest first; undated items are left out."""
    info = find_state(state)
    cycles = review_cycles(conn, info.alpha3)
    entries: list[dict[str, Any]] = []
    for cycle in cycles:
        if cycle["date"]:
            label = (
                f"cycle {cycle['cycle']}" if cycle["cycle"] is not None else f"sessions {cycle['sessions']}"
            )
            entries.append(
                {
                    "date": cycle["date"],
                    "precision": "year",
                    "type": "review",
                    "title": f"{cycle['mechanism']} {label}: {cycle['recommendations']} recommendations, "
                    f"{cycle['share_supported']:.0%} supported",
                    **{
                        k: cycle[k]
                        for k in (
                            "mechanism",
                            "cycle",
                            "recommendations",
                            "share_supported",
                            "repeated_from_previous_cycle",
                        )
                    },
                }
            )
    entries.extend(treaty_actions(conn, info.alpha3))
    for event in list_events(conn, info.alpha3):
        entries.append(
            {
                **event,
                "precision": event["date_precision"],
                "type": "event",
                "title": f"{event['kind'].replace('_', ' ')}"
                + (f": {event['target']}" if event["target"] else ""),
            }
        )
    type_order = {"review": 0, "treaty": 1, "event": 2}
    entries.sort(key=lambda e: (e["date"], type_order[e["type"]], e["title"]))
    return {"alpha3": info.alpha3, "name": info.name, "cycles": cycles, "entries": entries}
