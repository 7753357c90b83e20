"""Citations of a state's engagement: how many core instruments it is party to, its status for one
instrument (the treaty data source, its line and date), an engagement event (its own citation)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from rightstrack.brief.citations import Context
from rightstrack.brief.model import Citation
from rightstrack.brief.phrases import Phrases, upper_first
from rightstrack.engagement import schema as es
from rightstrack.engagement.compare import compare_states
from rightstrack.engagement.instruments import CODES
from rightstrack.model.states import state_by_alpha3
from rightstrack.store import schema
from rightstrack.translation import N_


@dataclass(frozen=True)
class StatusSource:
    """Where a state's stored status for one instrument comes from."""

    state: str
    instrument: str
    status: str
    filename: str
    sha256: str
    symbol: str | None
    title: str | None
    locator: str
    as_of: str


def status_sources(conn: Connection, states: Iterable[str]) -> dict[tuple[str, str], StatusSource]:
    """(state, instrument) → the status and the fact it was taken from, for these states."""
    ts, tf, d = es.treaty_status, es.treaty_facts, schema.documents
    rows = conn.execute(
        select(
            ts.c.state,
            ts.c.instrument,
            ts.c.status,
            d.c.filename,
            d.c.sha256,
            d.c.symbol,
            d.c.title,
            tf.c.locator,
            tf.c.as_of,
        )
        .join(tf, tf.c.id == ts.c.status_fact_id)
        .join(d, d.c.id == tf.c.document_id)
        .where(ts.c.state.in_(sorted(set(states))))
    )
    return {(r.state, r.instrument): StatusSource(*r) for r in rows}


def _states(refs: Iterable[str]) -> list[str]:
    known = []
    for ref in refs:
        try:
            known.append(state_by_alpha3(ref).alpha3)
        except KeyError:
            continue
    return known


class TreatyCountSource:
    """How many of the 18 core instruments a state is party to (the stored status of each)."""

    kind = "treaty_count"

    def cite(self, summary: dict[str, Any], say: Phrases) -> Citation:
        return Citation(
            kind=self.kind,
            ref=summary["alpha3"],
            label=upper_first(
                say.say(
                    N_("%(state)s: party to %(count)s of the %(total)s core instruments (treaty status)"),
                    state=say.state(summary["alpha3"]),
                    count=summary["party_count"],
                    total=len(CODES),
                )
            ),
            url=f"/states/{summary['alpha3']}#treaties",
            value=summary["party_count"],
        )

    def rebuild(self, ctx: Context, refs: Sequence[str]) -> dict[str, Citation]:
        states = _states(refs)
        if not states:
            return {}
        compared = compare_states(ctx.conn, states)["states"]
        return {s["alpha3"]: self.cite(s, ctx.say) for s in compared}


class TreatyStatusSource:
    """A state's status for one instrument, with the data source, its line and its date."""

    kind = "treaty_status"

    def cite(self, source: StatusSource, say: Phrases) -> Citation:
        return Citation(
            kind=self.kind,
            ref=f"{source.state}/{source.instrument}",
            label=upper_first(
                say.say(
                    N_("%(state)s, %(instrument)s: %(status)s (%(file)s, %(locator)s, as of %(as_of)s)"),
                    state=say.state(source.state),
                    instrument=source.instrument,
                    status=say.label("status", source.status),
                    file=source.filename,
                    locator=source.locator,
                    as_of=source.as_of,
                )
            ),
            url=f"/states/{source.state}#treaties",
        )

    def rebuild(self, ctx: Context, refs: Sequence[str]) -> dict[str, Citation]:
        wanted = {tuple(r.split("/", 1)) for r in refs if "/" in r}
        found = status_sources(ctx.conn, _states(state for state, _ in wanted))
        return {f"{k[0]}/{k[1]}": self.cite(s, ctx.say) for k, s in found.items() if k in wanted}


class EventSource:
    """An engagement event, by the citation it was recorded with."""

    kind = "event"

    def cite(self, event: dict[str, Any], say: Phrases) -> Citation:
        return Citation(
            kind=self.kind,
            ref=str(event["id"]),
            label=say.say(
                N_("%(citation)s (%(date)s)"),
                citation=event["citation"],
                date=say.date(event["date"], event["date_precision"]),
            ),
            url=event["url"] or f"/states/{event['state']}#timeline",
        )

    def rebuild(self, ctx: Context, refs: Sequence[str]) -> dict[str, Citation]:
        table = es.engagement_events
        ids = [int(r) for r in refs if r.isdigit()]
        rows = ctx.conn.execute(select(table).where(table.c.id.in_(ids)))
        return {str(row.id): self.cite(dict(row._mapping), ctx.say) for row in rows}


TREATY_COUNT = TreatyCountSource()
TREATY_STATUS = TreatyStatusSource()
EVENT = EventSource()
SOURCES = (TREATY_COUNT, TREATY_STATUS, EVENT)
