"""Patterns: counts of acts by act type, country, year, defender group, perpetrator and sector.

Acts are counted, not incidents (an incident with two victims is two acts), as HURIDOCS does.
Multi-valued fields (an act by police *and* landowners) count once under each value.

Two audiences:

* ``staff``: exact counts over the cases the reader may read in full, by any dimensions;
* ``public``: public cases only — a case of any other label does not exist for the public — by
  act type, country and year (``PUBLIC_DIMENSIONS``). Small groups are left out the same way in
  every figure: an act counts only when at least ``MIN_PUBLIC_COUNT`` public acts share its act
  type, country and year. Each public figure, whatever the grouping, filter or total, is then a
  sum of whole groups of that size or more, so no difference between figures (a total minus the
  rows shown, one filter minus another) can isolate a smaller group. How many acts were left out
  is not published: it would be exactly such a difference.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, select

from rightstrack.auth import audit
from rightstrack.defenders.access import MIN_PUBLIC_COUNT, PLAIN_FIELDS, PUBLIC_DIMENSIONS, Access, Viewer
from rightstrack.defenders.cases import ENTITY, read_current, visible_cases
from rightstrack.defenders.crypto import Vault
from rightstrack.defenders.schema import hrd_case_versions, hrd_cases
from rightstrack.defenders.vocab import ACT_TYPES, Sensitivity
from rightstrack.errors import InvalidInput
from rightstrack.store.database import Database

DIMENSIONS = ("act_type", "country", "year", "defender_group", "perpetrator_type", "sector")
# Where each dimension is read: the case or the act, and which field.
_SOURCE = {
    "act_type": ("act", "act_type"),
    "country": ("case", "country"),
    "year": ("case", "year"),
    "defender_group": ("act", "defender_status"),
    "perpetrator_type": ("act", "perpetrator_types"),
    "sector": ("act", "sector"),
}
Act = tuple[dict[str, Any], dict[str, Any]]  # (case, act)


def _values(dimension: str, case: dict[str, Any], act: dict[str, Any]) -> list[str]:
    if dimension == "act_type":
        return [str(act.get("act_type"))]
    if dimension == "country":
        return [str(case.get("country") or case.get("country_name") or "unknown")]
    if dimension == "year":
        return [str(case.get("year") or "unknown")]
    if dimension == "defender_group":
        return [str(v) for v in act.get("defender_status") or ["unknown"]]
    if dimension == "perpetrator_type":
        return [str(v) for v in act.get("perpetrator_types") or ["unknown"]]
    return [str(act.get("sector") or "unknown")]


def _cells(case: dict[str, Any], act: dict[str, Any], dims: Sequence[str]) -> Iterator[tuple[str, ...]]:
    combos: list[tuple[str, ...]] = [()]
    for dim in dims:
        combos = [(*c, v) for c in combos for v in _values(dim, case, act)]
    yield from combos


def _parse_dims(by: str | Sequence[str], allowed: Sequence[str]) -> tuple[str, ...]:
    dims = tuple(d.strip() for d in (by.split(",") if isinstance(by, str) else by) if d.strip())
    unknown = [d for d in dims if d not in allowed]
    if not dims or unknown or len(dims) > 3:
        raise InvalidInput(f"group by one to three of: {', '.join(allowed)}")
    return dims


def _matches(case: dict[str, Any], act: dict[str, Any], where: Mapping[str, str]) -> bool:
    return all(value in _values(dim, case, act) for dim, value in where.items())


def report(
    db: Database,
    who: Viewer,
    by: str | Sequence[str] = "country,year",
    *,
    audience: str = "public",
    vault: Vault | None = None,
    where: Mapping[str, str | None] | None = None,
) -> dict[str, Any]:
    """Counts of acts grouped ``by`` up to three dimensions, among the acts ``where`` selects
    (act type, country and year: ``{"country": "COL"}``). ``vault`` is needed for the staff
    report: restricted cases keep most dimensions sealed."""
    if audience not in ("public", "staff"):
        raise InvalidInput("audience is public or staff")
    dims = _parse_dims(by, PUBLIC_DIMENSIONS if audience == "public" else DIMENSIONS)
    chosen = {k: str(v) for k, v in (where or {}).items() if v not in (None, "")}
    if set(chosen) - set(PUBLIC_DIMENSIONS):
        raise InvalidInput(f"filter by {', '.join(PUBLIC_DIMENSIONS)} only")
    with db.transaction(bump=False) as conn:  # only an audit event
        acts = _staff_acts(conn, who, dims, vault) if audience == "staff" else _public_acts(conn)
        audit.record(
            conn,
            actor=who.label,
            action="report",
            entity=ENTITY,
            after={"by": list(dims), "audience": audience, "where": chosen},
        )
    counted = [(case, act) for case, act in acts if _matches(case, act, chosen)]
    counts = Counter(cell for case, act in counted for cell in _cells(case, act, dims))
    return {
        "by": list(dims),
        "audience": audience,
        "where": chosen,
        "minimum_count": MIN_PUBLIC_COUNT if audience == "public" else None,
        "total_acts": len(counted),
        "rows": [_row(dims, key, count) for key, count in sorted(counts.items())],
    }


def _row(dims: Sequence[str], key: tuple[str, ...], count: int) -> dict[str, Any]:
    row: dict[str, Any] = dict(zip(dims, key, strict=True))
    row["count"] = count
    if "act_type" in row:
        row["act_label"] = ACT_TYPES.get(row["act_type"], row["act_type"])
    return row


def _staff_acts(conn: Connection, who: Viewer, dims: Sequence[str], vault: Vault | None) -> list[Act]:
    if who.username is None:
        raise InvalidInput("the staff report needs a logged-in reader")
    readable = [(ref, public) for ref, level, public in visible_cases(conn, who) if level >= Access.READ]
    sealed_ids = [ref.id for ref, _ in readable if set(dims) - _plain_dimensions(ref.sensitivity)]
    if sealed_ids and vault is None:
        raise InvalidInput("the staff report over restricted cases needs the master key")
    full = read_current(conn, vault, sealed_ids) if vault is not None and sealed_ids else {}
    cases = [full.get(ref.id, public) for ref, public in readable]
    return [(case, act) for case in cases for act in case.get("acts", [])]


def _public_acts(conn: Connection) -> list[Act]:
    """Every act of a public case whose group (act type, country, year) is large enough."""
    c, v = hrd_cases, hrd_case_versions
    current = select(v.c.public).select_from(
        c.join(v, (v.c.case_id == c.c.id) & (v.c.version == c.c.current_version))
    )
    rows = conn.execute(current.where(c.c.sensitivity == Sensitivity.PUBLIC.value))
    acts = [(case, act) for case in (json.loads(r.public) for r in rows) for act in case.get("acts", [])]
    groups = Counter(_group(case, act) for case, act in acts)
    return [(case, act) for case, act in acts if groups[_group(case, act)] >= MIN_PUBLIC_COUNT]


def _group(case: dict[str, Any], act: dict[str, Any]) -> tuple[str, ...]:
    # PUBLIC_DIMENSIONS are single-valued, so an act belongs to exactly one group.
    return tuple(_values(dim, case, act)[0] for dim in PUBLIC_DIMENSIONS)


def _plain_dimensions(sensitivity: str) -> frozenset[str]:
    """The dimensions a case of this label can be counted by without its key (PLAIN_FIELDS)."""
    open_case, open_act = PLAIN_FIELDS[Sensitivity(sensitivity)]
    return frozenset(
        dim
        for dim, (level, field) in _SOURCE.items()
        if field in (open_case if level == "case" else open_act)
    )
