"""Questions about treaty status: per state, between states, rankings, regional groups, world maps.

Every function takes a connection and returns plain JSON-ready data (dicts, lists, str, int,
float), which the CLI prints, the API returns and the state-profile page renders. States with no
stored fact for an instrument are reported as ``unknown``, never assumed not to be parties.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from statistics import mean, median
from typing import Any

from sqlalchemy import Connection, select

from rightstrack.engagement import schema as es
from rightstrack.engagement.instruments import CODES, INSTRUMENTS, get_instrument
from rightstrack.engagement.treaty_model import FactKind, TreatyStatus
from rightstrack.engagement.treaty_store import corrections_in_force
from rightstrack.errors import NotFound
from rightstrack.model.states import StateInfo, all_states, classify_name, state_by_alpha3

_DATES = ("signature_date", "consent_date", "denunciation_date", "complaints_date", "inquiry_date")


def find_state(text: str) -> StateInfo:
    """A state by alpha-3, alpha-2 or name; NotFound for anything else (territories included)."""
    # Lower-case codes from URLs ("usa") are codes, not words, here.
    if len(text.strip()) == 3 and text.strip().isalpha():
        try:
            return state_by_alpha3(text)
        except KeyError:
            pass
    found = classify_name(text.strip())
    if found.state is None:
        raise NotFound(f"{text!r} is not a state rightstrack knows (use the ISO alpha-3 code, e.g. USA)")
    return found.state


def status_matrix(
    conn: Connection, states: Sequence[str] | None = None
) -> dict[str, dict[str, dict[str, Any]]]:
    """alpha-3 → instrument code → the stored status row (absent when nothing is known)."""
    query = select(es.treaty_status)
    if states is not None:
        query = query.where(es.treaty_status.c.state.in_(list(states)))
    matrix: dict[str, dict[str, dict[str, Any]]] = {}
    for row in conn.execute(query):
        matrix.setdefault(row.state, {})[row.instrument] = dict(row._mapping)
    return matrix


def _entry(code: str, row: dict[str, Any] | None) -> dict[str, Any]:
    if row is None:
        return {"instrument": code, "status": TreatyStatus.UNKNOWN.value}
    entry: dict[str, Any] = {"instrument": code, "status": row["status"]}
    for column in _DATES:
        entry[column.removesuffix("_date")] = row[column]
    entry["signature_precision"] = row["signature_precision"]
    entry["consent_precision"] = row["consent_precision"]
    entry["consent_kind"] = row["consent_kind"]
    return entry


def _summary(state: StateInfo, rows: dict[str, dict[str, Any]]) -> dict[str, Any]:
    statuses = {
        code: (rows[code]["status"] if code in rows else TreatyStatus.UNKNOWN.value) for code in CODES
    }
    return {
        "alpha3": state.alpha3,
        "name": state.name,
        "regional_group": state.regional_group.value if state.regional_group else None,
        "party_count": sum(s == TreatyStatus.PARTY for s in statuses.values()),
        "parties": [c for c, s in statuses.items() if s == TreatyStatus.PARTY],
        "lacks": [c for c, s in statuses.items() if s != TreatyStatus.PARTY],
        "signed_only": [c for c, s in statuses.items() if s == TreatyStatus.SIGNATORY],
        "unknown": [c for c, s in statuses.items() if s == TreatyStatus.UNKNOWN],
        "statuses": statuses,
    }


_FACT_IDS = ("status", "signature", "consent", "denunciation", "complaints", "inquiry")


def state_treaties(conn: Connection, state: str) -> dict[str, Any]:
    """One state: its status, dates and sources for each of the 18 instruments, and what it lacks.

    Each instrument's ``sources`` cite every fact its row shows (file, line, as-of date, the
    imported value); ``corrections`` are the editors' corrections in force (engagement.corrections),
    whose values the row shows in place of the imported ones."""
    info = find_state(state)
    rows = status_matrix(conn, [info.alpha3]).get(info.alpha3, {})
    sources = _sources(
        conn, [r[f"{kind}_fact_id"] for r in rows.values() for kind in _FACT_IDS if r[f"{kind}_fact_id"]]
    )
    corrected = corrections_in_force(conn, state=info.alpha3)
    reserved = _reservations(conn, info.alpha3)
    instruments = []
    for instrument in INSTRUMENTS:
        row = rows.get(instrument.code)
        entry = {**_entry(instrument.code, row), "name": instrument.name, "body": instrument.body}
        entry["reservations"] = reserved.get(instrument.code, [])
        entry["corrections"] = corrected.get((info.alpha3, instrument.code), {})
        if row is not None:
            ids = [row[f"{kind}_fact_id"] for kind in _FACT_IDS]
            entry["sources"] = [sources[i] for i in ids if i in sources]
        instruments.append(entry)
    return {**_summary(info, rows), "total": len(CODES), "instruments": instruments}


def _reservations(conn: Connection, alpha3: str) -> dict[str, list[dict[str, Any]]]:
    """instrument → the state's reservations and declarations, each with its text and citation."""
    facts = es.treaty_facts
    kinds = [FactKind.RESERVATION.value, FactKind.DECLARATION.value]
    query = (
        select(facts)
        .where(facts.c.state == alpha3, facts.c.kind.in_(kinds))
        .order_by(facts.c.instrument, facts.c.date, facts.c.id)
    )
    found: dict[str, list[dict[str, Any]]] = {}
    for row in conn.execute(query):
        found.setdefault(row.instrument, []).append(
            {
                "kind": row.kind,
                "text": row.value,
                "date": row.date,
                "citation": row.note,
                "locator": row.locator,
            }
        )
    return found


def _sources(conn: Connection, fact_ids: list[int]) -> dict[int, dict[str, Any]]:
    from rightstrack.store import schema

    facts, docs = es.treaty_facts, schema.documents
    query = (
        select(
            facts.c.id,
            facts.c.kind,
            facts.c.value,
            facts.c.date,
            facts.c.locator,
            facts.c.as_of,
            docs.c.filename,
            docs.c.sha256,
        )
        .join(docs, docs.c.id == facts.c.document_id)
        .where(facts.c.id.in_(fact_ids))
    )
    return (
        {
            row.id: {
                "fact": row.kind,
                "value": row.value,
                "date": row.date,
                "file": row.filename,
                "locator": row.locator,
                "sha256": row.sha256,
                "as_of": row.as_of,
            }
            for row in conn.execute(query)
        }
        if fact_ids
        else {}
    )


def compare_states(conn: Connection, states: Sequence[str]) -> dict[str, Any]:
    """Any states side by side: the instruments each is party to and each lacks."""
    infos = [find_state(s) for s in states]
    matrix = status_matrix(conn, [i.alpha3 for i in infos])
    compared = [_summary(i, matrix.get(i.alpha3, {})) for i in infos]
    return {
        "instruments": list(CODES),
        "states": compared,
        "party_to_all_compared": [c for c in CODES if all(c in s["parties"] for s in compared)],
        "party_to_none_compared": [c for c in CODES if all(c not in s["parties"] for s in compared)],
    }


def ranking(conn: Connection, *, group: str | None = None) -> list[dict[str, Any]]:
    """States by the number of instruments they are party to (ties share a rank: 1, 2, 2, 4)."""
    matrix = status_matrix(conn)
    rows = [
        _summary(s, matrix.get(s.alpha3, {}))
        for s in all_states()
        if group is None or (s.regional_group is not None and s.regional_group.value.lower() == group.lower())
    ]
    rows.sort(key=lambda r: (-r["party_count"], r["name"]))
    previous, rank = None, 0
    for position, row in enumerate(rows, start=1):
        if row["party_count"] != previous:
            previous, rank = row["party_count"], position
        row["rank"] = rank
        del row["statuses"]
    return rows


def instrument_counts(conn: Connection) -> list[dict[str, Any]]:
    """Per instrument: how many states are parties, signatories, took no action, unknown."""
    matrix = status_matrix(conn)
    states = all_states()
    result = []
    for instrument in INSTRUMENTS:
        counts = Counter(
            matrix.get(s.alpha3, {}).get(instrument.code, {}).get("status", "unknown") for s in states
        )
        result.append(
            {
                "instrument": instrument.code,
                "name": instrument.name,
                **{status.value: counts.get(status.value, 0) for status in TreatyStatus},
            }
        )
    return result


def regional_stats(conn: Connection) -> list[dict[str, Any]]:
    """Per UN regional group: how many instruments its states are party to, and per instrument."""
    matrix = status_matrix(conn)
    groups: dict[str, list[StateInfo]] = {}
    for state in all_states():
        groups.setdefault(state.regional_group.value if state.regional_group else "none", []).append(state)
    result = []
    for group, members in sorted(groups.items()):
        counts = [_summary(s, matrix.get(s.alpha3, {}))["party_count"] for s in members]
        share = {
            code: round(
                sum(matrix.get(s.alpha3, {}).get(code, {}).get("status") == "party" for s in members)
                / len(members),
                3,
            )
            for code in CODES
        }
        result.append(
            {
                "regional_group": group,
                "states": len(members),
                "mean_parties": round(mean(counts), 2),
                "median_parties": median(counts),
                "min_parties": min(counts),
                "max_parties": max(counts),
                "share_party_by_instrument": share,
            }
        )
    return result


def world_map(conn: Connection, instrument: str) -> dict[str, Any]:
    """alpha-3 → status for one instrument, every state included, with a legend of counts."""
    code = get_instrument(instrument).code
    stored = {
        row.state: row
        for row in conn.execute(select(es.treaty_status).where(es.treaty_status.c.instrument == code))
    }
    statuses = {
        s.alpha3: (stored[s.alpha3].status if s.alpha3 in stored else "unknown") for s in all_states()
    }
    years = {a3: row.consent_date[:4] for a3, row in stored.items() if row.consent_date}
    return {
        "instrument": code,
        "name": get_instrument(code).name,
        "states": statuses,
        "consent_year": years,
        "legend": dict(Counter(statuses.values()).most_common()),
    }


STATUS_COLUMNS = (
    "alpha3",
    "state",
    "regional_group",
    "instrument",
    "status",
    "signature",
    "consent",
    "consent_kind",
    "complaints",
    "inquiry",
    "denunciation",
    "reservations",
)


def status_rows(conn: Connection) -> list[dict[str, Any]]:
    """Every state × every instrument, one flat row each: the open-data export of treaty status."""
    from rightstrack.model.states import all_states

    matrix = status_matrix(conn)
    facts = es.treaty_facts
    kinds = [FactKind.RESERVATION.value, FactKind.DECLARATION.value]
    reserved: dict[tuple[str, str], int] = {}
    for row in conn.execute(select(facts.c.state, facts.c.instrument).where(facts.c.kind.in_(kinds))):
        reserved[(row.state, row.instrument)] = reserved.get((row.state, row.instrument), 0) + 1
    rows = []
    for state in all_states():
        for code in CODES:
            entry = _entry(code, matrix.get(state.alpha3, {}).get(code))
            rows.append(
                {
                    "alpha3": state.alpha3,
                    "state": state.name,
                    "regional_group": state.regional_group.value if state.regional_group else None,
                    **{c: entry.get(c) for c in STATUS_COLUMNS[3:-1]},
                    "reservations": reserved.get((state.alpha3, code), 0),
                }
            )
    return rows
