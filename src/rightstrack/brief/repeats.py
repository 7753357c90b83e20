"""Asks made again cycle after cycle: the stored "recommended again" links, grouped.

``followup.cycles`` stores a link from a recommendation to the same ask in its state's earlier
cycle. Following those links both ways from the brief's recommendations, until no new one turns
up, gives each repeated ask as one group: every time it was made, in every cycle, with the
response each time. A linked recommendation outside the brief's selection (the earlier ask was
tagged another way) belongs to the group all the same: it is the same ask.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, or_, select

from rightstrack.followup.schema import LINK_REPEATS, recommendation_links
from rightstrack.store.records import RecordOut, fetch_records

_CHUNK = 400  # ids per query, well under every engine's limit on parameters


@dataclass(frozen=True)
class RepeatGroup:
    """One ask and every time it was made, oldest first."""

    members: tuple[RecordOut, ...]

    @property
    def cycles(self) -> list[int]:
        return sorted({m["cycle"] for m in self.members if m["cycle"] is not None})

    @property
    def latest(self) -> RecordOut:
        return self.members[-1]

    def responses_by_cycle(self) -> dict[int, set[str | None]]:
        found: dict[int, set[str | None]] = {}
        for member in self.members:
            if member["cycle"] is not None:
                found.setdefault(member["cycle"], set()).add(member["response"])
        return found

    @property
    def responses(self) -> set[str | None]:
        return {m["response"] for m in self.members}

    @property
    def recommenders(self) -> list[str]:
        return list(dict.fromkeys(s for m in self.members for s in m["recommending_states"]))


def repeated_asks(conn: Connection, ids: Collection[int], known: dict[int, RecordOut]) -> list[RepeatGroup]:
    """The repeated asks among (or linked to) the recommendations ``ids``; ``known`` holds records
    already read, the others are read here."""
    pairs = linked_pairs(conn, ids)
    missing = sorted({i for pair in pairs for i in pair} - known.keys())
    records = {**known, **{r["id"]: r for r in fetch_records(conn, missing)}}
    return repeat_groups(group_ids(pairs), records)


def linked_pairs(conn: Connection, start: Collection[int]) -> set[tuple[int, int]]:
    """Every (later, earlier) repeats link reachable from ``start``, in either direction."""
    links = recommendation_links
    seen, frontier = set(start), set(start)
    pairs: set[tuple[int, int]] = set()
    while frontier:
        found: set[int] = set()
        for chunk in _chunks(sorted(frontier)):
            rows = conn.execute(
                select(links.c.recommendation_id, links.c.earlier_id).where(
                    links.c.kind == LINK_REPEATS,
                    or_(links.c.recommendation_id.in_(chunk), links.c.earlier_id.in_(chunk)),
                )
            )
            for later, earlier in rows:
                pairs.add((int(later), int(earlier)))
                found.update((int(later), int(earlier)))
        frontier = found - seen
        seen |= found
    return pairs


def group_ids(pairs: Iterable[tuple[int, int]]) -> list[set[int]]:
    """The connected groups of linked recommendations (union-find)."""
    parent: dict[int, int] = {}

    def root(node: int) -> int:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for later, earlier in pairs:
        parent[root(later)] = root(earlier)
    groups: dict[int, set[int]] = {}
    for node in list(parent):
        groups.setdefault(root(node), set()).add(node)
    return list(groups.values())


def repeat_groups(groups: list[set[int]], records: dict[int, RecordOut]) -> list[RepeatGroup]:
    def when(record: RecordOut) -> tuple[int, int, int]:
        return (record["year"] or 0, record["session"] or 0, record["id"])

    out = []
    for ids in groups:
        members = sorted((records[i] for i in ids if i in records), key=when)
        if len({m["cycle"] for m in members}) > 1:
            out.append(RepeatGroup(tuple(members)))
    return out


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]
