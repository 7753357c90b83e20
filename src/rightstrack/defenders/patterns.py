"""Patterns: counts of acts by act type, country, year, defender group, perpetrator and sector.

Acts are counted, not incidents (an incident with two victims is two acts), as HURIDOCS does.
Multi-valued fields (an act by police *and* landowners) count once under each value.

Two audiences:

* ``staff``: exact counts over the cases the reader may read in full;
* ``public``: every case, but each label contributes only the dimensions its whitelist allows
  (others count under "(withheld)"), and counts below ``MIN_PUBLIC_COUNT`` are suppressed.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import select

from rightstrack.auth import audit
from rightstrack.defenders.access import AGGREGATE_FIELDS, MIN_PUBLIC_COUNT, WITHHELD, Access, Viewer
from rightstrack.defenders.cases import ENTITY, read_current, visible_cases
from rightstrack.defenders.crypto import Vault
from rightstrack.defenders.schema import hrd_case_versions, hrd_cases
from rightstrack.defenders.vocab import ACT_TYPES, Sensitivity
from rightstrack.errors import InvalidInput
from rightstrack.store.database import Database

DIMENSIONS = ("act_type", "country", "year", "defender_group", "perpetrator_type", "sector")


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


def _cells(
    case: dict[str, Any], dims: Sequence[str], allowed: frozenset[str] | None
) -> Iterator[tuple[str, ...]]:
    for act in case.get("acts", []):
        combos: list[tuple[str, ...]] = [()]
        for dim in dims:
            values = _values(dim, case, act) if allowed is None or dim in allowed else [WITHHELD]
            combos = [(*c, v) for c in combos for v in values]
        yield from combos


def _parse_dims(by: str | Sequence[str]) -> tuple[str, ...]:
    dims = tuple(d.strip() for d in (by.split(",") if isinstance(by, str) else by) if d.strip())
    unknown = [d for d in dims if d not in DIMENSIONS]
    if not dims or unknown or len(dims) > 3:
        raise InvalidInput(f"group by one to three of: {', '.join(DIMENSIONS)}")
    return dims


def report(
    db: Database,
    who: Viewer,
    by: str | Sequence[str] = "country,year",
    *,
    audience: str = "public",
    vault: Vault | None = None,
) -> dict[str, Any]:
    """``vault`` is needed for the staff report: restricted cases keep most dimensions sealed."""
    dims = _parse_dims(by)
    if audience not in ("public", "staff"):
        raise InvalidInput("audience is public or staff")
    counts: Counter[tuple[str, ...]] = Counter()
    with db.transaction(bump=False) as conn:  # only an audit event
        if audience == "staff":
            if who.username is None:
                raise InvalidInput("the staff report needs a logged-in reader")
            readable = [
                (ref, public) for ref, level, public in visible_cases(conn, who) if level >= Access.READ
            ]
            sealed_ids = [ref.id for ref, _ in readable if set(dims) - _plain_dimensions(ref.sensitivity)]
            if sealed_ids and vault is None:
                raise InvalidInput("the staff report over restricted cases needs the master key")
            full = read_current(conn, vault, sealed_ids) if vault is not None and sealed_ids else {}
            for ref, public in readable:
                counts.update(_cells(full.get(ref.id, public), dims, None))
        else:
            for current in conn.execute(_all_current()):
                allowed = AGGREGATE_FIELDS[Sensitivity(current.sensitivity)]
                counts.update(_cells(json.loads(current.public), dims, allowed))
        audit.record(
            conn,
            actor=who.label,
            action="report",
            entity=ENTITY,
            after={"by": list(dims), "audience": audience},
        )
    rows = []
    for key, count in sorted(counts.items()):
        suppressed = audience == "public" and count < MIN_PUBLIC_COUNT
        row: dict[str, Any] = dict(zip(dims, key, strict=True))
        row.update(count=None if suppressed else count, suppressed=suppressed)
        if "act_type" in row:
            row["act_label"] = ACT_TYPES.get(row["act_type"], row["act_type"])
        rows.append(row)
    return {
        "by": list(dims),
        "audience": audience,
        "minimum_count": MIN_PUBLIC_COUNT if audience == "public" else None,
        "total_acts": sum(counts.values()),
        "rows": rows,
    }


def _plain_dimensions(sensitivity: str) -> frozenset[str]:
    # A dimension can be counted from the plain half exactly when the label's aggregate
    # whitelist allows it (PLAIN_FIELDS stores those fields and no more).
    return AGGREGATE_FIELDS[Sensitivity(sensitivity)]


def _all_current() -> Any:
    c, v = hrd_cases, hrd_case_versions
    return select(c.c.sensitivity, v.c.public).select_from(
        c.join(v, (v.c.case_id == c.c.id) & (v.c.version == c.c.current_version))
    )
