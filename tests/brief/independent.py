"""The asks linked across cycles, found here with the test's own queries (not the brief package's),
so a test can check what a brief says against the links table itself."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import or_, select

from rightstrack.followup.schema import recommendation_links
from rightstrack.store.database import Database


def linked_groups(db: Database, start: Iterable[int]) -> list[set[int]]:
    """Breadth first along the "repeats" links from ``start``, in both directions; then the pairs
    joined into groups."""
    links, seen = recommendation_links, set(start)
    frontier, pairs = set(seen), set()
    with db.read() as conn:
        while frontier:
            rows = conn.execute(
                select(links.c.recommendation_id, links.c.earlier_id).where(
                    links.c.kind == "repeats",
                    or_(links.c.recommendation_id.in_(frontier), links.c.earlier_id.in_(frontier)),
                )
            ).all()
            pairs |= {(int(a), int(b)) for a, b in rows}
            found = {i for pair in rows for i in pair}
            frontier, seen = found - seen, seen | found
    groups: list[set[int]] = []
    for pair in pairs:
        joined = [g for g in groups if g & set(pair)]
        groups = [g for g in groups if g not in joined] + [set(pair).union(*joined)]
    return groups
