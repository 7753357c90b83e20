"""Editors' corrections of treaty facts, with their citation, kept beside the imported facts.

Status files stop at their publication date and carry errors (a ratification year that is the
signature year). A correction names the state, the instrument, the fact (status, signature,
ratification or accession, denunciation, acceptance of complaints or of the inquiry procedure),
its corrected value and the citation that shows it. The imported facts are never changed:
``treaty_status`` takes the correction's value (``treaty_store.refresh_status``) while pointing
at the imported fact it corrects, and the state page shows both. A newer correction of the same
fact withdraws the older one; withdrawing a correction gives the imported value back. Every
change is audited in the transaction that makes it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, select

from rightstrack.auth import audit
from rightstrack.engagement import schema as es
from rightstrack.engagement.dates import PartialDate
from rightstrack.engagement.instruments import CODES
from rightstrack.engagement.treaty_model import FactKind, TreatyStatus
from rightstrack.engagement.treaty_store import refresh_status
from rightstrack.errors import InvalidInput, NotFound, Problem
from rightstrack.messages import Text, msg
from rightstrack.store.database import Database

# The facts a correction may set: the status (a value), or the date of one action.
CORRECTABLE = (
    FactKind.STATUS,
    FactKind.SIGNATURE,
    FactKind.CONSENT,
    FactKind.DENUNCIATION,
    FactKind.COMPLAINTS,
    FactKind.INQUIRY,
)
STATUSES = (TreatyStatus.PARTY, TreatyStatus.SIGNATORY, TreatyStatus.NO_ACTION, TreatyStatus.DENOUNCED)


def _problem(field: str, text: Text) -> InvalidInput:
    return InvalidInput(msg("Some answers need correcting."), [Problem(text, field=field)])


def _checked(
    kind: str, value: str, when: str, citation: str
) -> tuple[FactKind, str | None, PartialDate | None]:
    try:
        fact = FactKind(kind)
    except ValueError:
        fact = None
    if fact not in CORRECTABLE:
        raise _problem("kind", msg("Choose one of the options."))
    if len(citation.strip()) < 3:
        raise _problem(
            "citation",
            msg("Cite where the corrected fact is shown (a treaty collection page, a document symbol)."),
        )
    if fact is FactKind.STATUS:
        if value not in {s.value for s in STATUSES}:
            raise _problem("value", msg("Choose one of the options."))
        return fact, value, None
    try:
        return fact, None, PartialDate.parse(when)
    except ValueError:
        raise _problem("date", msg("Enter a date as YYYY, YYYY-MM or YYYY-MM-DD.")) from None


def correct_fact(
    db: Database,
    state: str,
    instrument: str,
    kind: str,
    *,
    citation: str,
    value: str = "",
    date: str = "",
    actor: str,
) -> int:
    """Record a correction and let ``treaty_status`` take it; returns the correction's id."""
    if instrument not in CODES:
        raise _problem("instrument", msg("Choose one of the options."))
    fact, status, when = _checked(kind, value, date, citation)
    now = datetime.now(UTC)
    c, st = es.treaty_corrections, es.treaty_status
    with db.transaction() as conn:
        if conn.scalar(select(st.c.status).where(st.c.state == state, st.c.instrument == instrument)) is None:
            raise _problem(
                "instrument",
                msg("Nothing is imported for this instrument yet: import its status file first."),
            )
        _withdraw(conn, state, instrument, fact.value, actor, now)
        correction_id = int(
            conn.execute(
                c.insert().returning(c.c.id),
                {
                    "state": state,
                    "instrument": instrument,
                    "kind": fact.value,
                    "value": status,
                    "date": when.iso if when else None,
                    "date_precision": when.precision.value if when else None,
                    "citation": citation.strip(),
                    "corrected_by": actor,
                    "corrected_at": now,
                },
            ).scalar_one()
        )
        refresh_status(conn, [(state, instrument)])
        audit.record(
            conn,
            actor=actor,
            action="correct treaty fact",
            entity=f"treaty {state} {instrument}",
            entity_id=correction_id,
            after={
                "kind": fact.value,
                "value": status,
                "date": when.iso if when else None,
                "citation": citation,
            },
        )
    return correction_id


def withdraw_correction(db: Database, state: str, correction_id: int, *, actor: str) -> None:
    c = es.treaty_corrections
    with db.transaction() as conn:
        row = conn.execute(
            select(c).where(c.c.id == correction_id, c.c.state == state, c.c.withdrawn_at.is_(None))
        ).first()
        if row is None:
            raise NotFound(msg("There is no correction %(id)s in force for this state.", id=correction_id))
        _withdraw(conn, state, row.instrument, row.kind, actor, datetime.now(UTC))
        refresh_status(conn, [(state, row.instrument)])
        audit.record(
            conn,
            actor=actor,
            action="withdraw treaty correction",
            entity=f"treaty {state}",
            entity_id=correction_id,
        )


def _withdraw(conn: Connection, state: str, instrument: str, kind: str, actor: str, now: datetime) -> None:
    c = es.treaty_corrections
    conn.execute(
        c.update()
        .where(c.c.state == state, c.c.instrument == instrument, c.c.kind == kind, c.c.withdrawn_at.is_(None))
        .values(withdrawn_at=now, withdrawn_by=actor)
    )
