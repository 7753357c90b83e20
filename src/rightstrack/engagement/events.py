"""Engagement events: typed, dated (with precision) and always cited.

An event without a citation is refused: the point of the record is that every claim about a
state's engagement can be checked. Events are identified by a fingerprint of state, kind, date,
target and citation, so importing the same CSV twice stores nothing new.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from rightstrack.auth import audit
from rightstrack.engagement import schema as es
from rightstrack.engagement.compare import find_state
from rightstrack.engagement.dates import PartialDate
from rightstrack.engagement.instruments import find_instrument
from rightstrack.errors import ErrorList, ImportFailed, InvalidInput, NotFound, Problem
from rightstrack.ingest.encoding import decode_text
from rightstrack.store.database import Database


class EventKind(StrEnum):
    HRC_MEMBERSHIP = "hrc_membership"
    """A term on the Human Rights Council: ``date`` to ``end_date``."""
    WITHDRAWAL = "withdrawal"
    """From the HRC, UNESCO, a treaty or an agreement: ``target`` names which."""
    UPR_PARTICIPATION = "upr_participation"
    UPR_NON_PARTICIPATION = "upr_non_participation"
    MIDTERM_REPORT = "midterm_report"
    STANDING_INVITATION = "standing_invitation"
    SPECIAL_PROCEDURE_VISIT = "special_procedure_visit"
    OVERDUE_REPORT = "overdue_report"
    """A report overdue to a treaty body: ``target`` is the instrument (CAT, CRC…)."""
    CONTRIBUTION = "contribution"
    """To OHCHR or the UN regular budget (``target``), ``amount_usd`` where known."""
    WITHHOLDING = "withholding"
    SANCTIONS_ON_STAFF = "sanctions_on_staff"
    """Sanctions on UN or ICC officials (``target``)."""


# Kinds whose meaning is incomplete without saying towards what.
_NEEDS_TARGET = frozenset(
    {
        EventKind.WITHDRAWAL,
        EventKind.SPECIAL_PROCEDURE_VISIT,
        EventKind.OVERDUE_REPORT,
        EventKind.CONTRIBUTION,
        EventKind.WITHHOLDING,
        EventKind.SANCTIONS_ON_STAFF,
    }
)
TEMPLATE_COLUMNS = (
    "state",
    "kind",
    "date",
    "end_date",
    "target",
    "description",
    "amount_usd",
    "citation",
    "url",
)
TEMPLATE_EXAMPLE = {
    "state": "USA",
    "kind": "withdrawal",
    "date": "2018-06-19",
    "end_date": "",
    "target": "HRC",
    "description": "Announced withdrawal from the Human Rights Council",
    "amount_usd": "",
    "citation": "Describe the source: e.g. statement, date, document symbol",
    "url": "https://…",
}


@dataclass(frozen=True)
class EventDraft:
    state: str
    kind: EventKind
    date: PartialDate
    description: str
    citation: str
    end_date: PartialDate | None = None
    target: str | None = None
    amount_usd: float | None = None
    url: str | None = None

    @property
    def fingerprint(self) -> str:
        key = "|".join(
            (self.state, self.kind.value, self.date.iso, (self.target or "").casefold(), self.citation)
        )
        return hashlib.sha1(key.encode("utf-8")).hexdigest()


def make_event(
    state: str,
    kind: str,
    date: str,
    *,
    citation: str,
    description: str = "",
    end_date: str | None = None,
    target: str | None = None,
    amount_usd: str | float | None = None,
    url: str | None = None,
    errors: ErrorList | None = None,
    line: int | None = None,
) -> EventDraft | None:
    """Validate one event; with ``errors`` problems are collected (and None returned), else raised."""
    own = errors if errors is not None else ErrorList("event")
    before = len(own.problems)

    def bad(message: str, field: str, value: Any) -> None:
        own.add(message, line=line, field=field, value=None if value is None else str(value))

    try:
        alpha3: str | None = find_state(state).alpha3
    except NotFound:
        alpha3 = None
        bad("not a state rightstrack knows", "state", state)
    try:
        event_kind: EventKind | None = EventKind(kind.strip().lower())
    except ValueError:
        event_kind = None
        bad(f"unknown kind; one of {', '.join(k.value for k in EventKind)}", "kind", kind)
    start = _date(bad, "date", date, required=True)
    end = _date(bad, "end_date", end_date, required=False)
    if start and end and end.surely_before(start):
        bad(f"ends before it starts ({start})", "end_date", end.iso)
    if not citation or not citation.strip():
        bad("a citation is required (document symbol, statement, URL…)", "citation", citation)
    target = (target or "").strip() or None
    if event_kind in _NEEDS_TARGET and target is None:
        bad(f"a {event_kind} needs a target (what it concerns)", "target", target)
    if event_kind is EventKind.OVERDUE_REPORT and target is not None:
        instrument = find_instrument(target)
        if instrument is None:
            bad("not one of the 18 core instruments", "target", target)
        else:
            target = instrument.code
    amount: float | None = None
    if amount_usd not in (None, ""):
        try:
            amount = float(amount_usd) if amount_usd is not None else None
        except ValueError:
            bad("not a number", "amount_usd", amount_usd)
    if len(own.problems) > before:
        if errors is None:
            raise InvalidInput("the event was not stored", own.problems)
        return None
    assert alpha3 is not None and event_kind is not None and start is not None
    return EventDraft(
        alpha3,
        event_kind,
        start,
        (description or "").strip() or event_kind.value.replace("_", " "),
        citation.strip(),
        end,
        target,
        amount,
        (url or "").strip() or None,
    )


def _date(bad: Any, field: str, text: str | None, *, required: bool) -> PartialDate | None:
    if not text or not str(text).strip():
        if required:
            bad("a date is required (YYYY, YYYY-MM or YYYY-MM-DD)", field, text)
        return None
    try:
        return PartialDate.parse(str(text))
    except ValueError:
        bad("not a date (YYYY, YYYY-MM or YYYY-MM-DD)", field, text)
        return None


def store_events(
    db: Database, drafts: list[EventDraft], locators: list[str] | None = None, *, actor: str | None = None
) -> dict[str, int]:
    """Write events in one transaction; known fingerprints are left as they are. Each new event
    is audited in the same transaction, so the log and the store cannot disagree."""
    now = datetime.now(UTC)
    with db.transaction() as conn:
        known = set(conn.scalars(select(es.engagement_events.c.fingerprint)))
        rows = []
        for index, draft in enumerate(drafts):
            if draft.fingerprint in known:
                continue
            known.add(draft.fingerprint)
            rows.append(_row(draft, now, locators[index] if locators else None))
        if rows:
            conn.execute(es.engagement_events.insert(), rows)
        for row in rows:
            audit.record(
                conn,
                actor=actor,
                action="add event",
                entity="engagement_event",
                entity_id=row["fingerprint"],
                after=row,
            )
    return {"created": len(rows), "unchanged": len(drafts) - len(rows)}


def _row(draft: EventDraft, now: datetime, locator: str | None) -> dict[str, Any]:
    return {
        "fingerprint": draft.fingerprint,
        "state": draft.state,
        "kind": draft.kind.value,
        "date": draft.date.iso,
        "date_precision": draft.date.precision.value,
        "end_date": draft.end_date.iso if draft.end_date else None,
        "end_precision": draft.end_date.precision.value if draft.end_date else None,
        "target": draft.target,
        "description": draft.description,
        "amount_usd": draft.amount_usd,
        "citation": draft.citation,
        "url": draft.url,
        "locator": locator,
        "created_at": now,
    }


def add_event(
    db: Database, state: str, kind: str, date: str, *, citation: str, actor: str | None = None, **more: Any
) -> dict[str, Any]:
    """Record one event (raises InvalidInput naming each bad field); returns it as stored."""
    draft = make_event(state, kind, date, citation=citation, **more)
    assert draft is not None
    store_events(db, [draft], actor=actor)
    with db.read() as conn:
        row = conn.execute(
            select(es.engagement_events).where(es.engagement_events.c.fingerprint == draft.fingerprint)
        ).one()
    return _public(row._mapping)


def import_events_csv(db: Database, path: Path) -> dict[str, int]:
    """Import a CSV in the template's shape; every row is checked before anything is written."""
    errors = ErrorList(str(path))
    try:
        text, _ = decode_text(path.read_bytes(), str(path))
    except OSError as exc:
        raise ImportFailed(f"{path}: cannot read file: {exc.strerror}") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in ("state", "kind", "date", "citation") if c not in header]
    if missing:
        raise ImportFailed(
            f"{path}: not an events file", [Problem(f"missing column(s) {', '.join(missing)}", str(path), 1)]
        )
    reader.fieldnames = header
    drafts, locators = [], []
    for row in reader:
        cells = {k: (v or "").strip() for k, v in row.items() if k in TEMPLATE_COLUMNS}
        if not any(cells.values()):
            continue
        draft = make_event(
            cells.get("state", ""),
            cells.get("kind", ""),
            cells.get("date", ""),
            citation=cells.get("citation", ""),
            description=cells.get("description", ""),
            end_date=cells.get("end_date"),
            target=cells.get("target"),
            amount_usd=cells.get("amount_usd"),
            url=cells.get("url"),
            errors=errors,
            line=reader.line_num,
        )
        if draft is not None:
            drafts.append(draft)
            locators.append(f"{path.name} line {reader.line_num}")
    errors.raise_if_any("no event was stored")
    return store_events(db, drafts, locators)


def events_template() -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, TEMPLATE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerow(TEMPLATE_EXAMPLE)
    return buffer.getvalue()


def list_events(conn: Connection, state: str | None = None, kind: str | None = None) -> list[dict[str, Any]]:
    table = es.engagement_events
    query = select(table).order_by(table.c.state, table.c.date, table.c.id)
    if state:
        query = query.where(table.c.state == find_state(state).alpha3)
    if kind:
        if kind not in {k.value for k in EventKind}:
            raise InvalidInput(f"unknown event kind {kind!r}; one of {', '.join(k.value for k in EventKind)}")
        query = query.where(table.c.kind == kind)
    return [_public(row._mapping) for row in conn.execute(query)]


def _public(row: Any) -> dict[str, Any]:
    hidden = {"fingerprint", "created_at", "document_id"}
    return {k: v for k, v in row.items() if k not in hidden}
