"""What happens around a case: sources, interventions and their follow-up, chains of events.
Every change is audited with ids and labels only (sharing is in sharing.py)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from rightstrack.auth import audit
from rightstrack.defenders import vocab
from rightstrack.defenders.access import Access, Viewer, grants_of, sees_source_identity
from rightstrack.defenders.attachments import list_attachments
from rightstrack.defenders.cases import ENTITY, get_case, require, visible_cases
from rightstrack.defenders.crypto import Vault
from rightstrack.defenders.schema import (
    hrd_intervention_updates,
    hrd_interventions,
    hrd_links,
    hrd_sources,
)
from rightstrack.errors import InvalidInput, NotFound
from rightstrack.store.database import Database

RELIABILITY = (
    "highly_reliable",
    "likely_reliable",
    "unsure",
    "likely_unreliable",
    "highly_unreliable",
    "unknown",
)
CONNECTIONS = (
    "victim",
    "witness",
    "perpetrator",
    "relative",
    "colleague",
    "reporter",
    "lawyer",
    "ngo",
    "unknown",
)


def _date(text: str | None, what: str) -> str | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise InvalidInput(f"{what} must be a date YYYY-MM-DD, not {text!r}") from None


# -- sources -------------------------------------------------------------------------------------


def add_source(
    db: Database,
    vault: Vault,
    who: Viewer,
    case_id: str,
    *,
    identity: dict[str, Any],
    statement: str = "",
    sensitivity: str = "source_protected",
    consent: str = "none",
    reliability: str = "unknown",
    connection: str = "unknown",
    corroboration_count: int = 0,
) -> str:
    vocab.check_code(sensitivity, {s.value for s in vocab.Sensitivity}, "sensitivity")
    vocab.check_code(consent, {c.value for c in vocab.Consent}, "consent")
    vocab.check_code(reliability, RELIABILITY, "reliability")
    vocab.check_code(connection, CONNECTIONS, "source connection")
    source_id = str(uuid.uuid4())
    with db.transaction() as conn:
        require(conn, who, case_id, Access.WRITE)
        sealed = vault.seal_json(
            conn, case_id, {"identity": identity, "statement": statement}, f"source:{source_id}"
        )
        conn.execute(
            hrd_sources.insert(),
            {
                "id": source_id,
                "case_id": case_id,
                "sensitivity": sensitivity,
                "consent": consent,
                "reliability": reliability,
                "connection": connection,
                "corroboration_count": max(0, corroboration_count),
                "sealed": sealed,
                "created_at": datetime.now(UTC),
                "created_by": who.label,
            },
        )
        audit.record(conn, actor=who.label, action="add source", entity=ENTITY, entity_id=case_id)
    return source_id


def sources(conn: Connection, vault: Vault, who: Viewer, case_id: str) -> list[dict[str, Any]]:
    """The case's sources; a protected source's identity only for the owner and the backup."""
    case, _ = require(conn, who, case_id, Access.READ)
    identity_ok = sees_source_identity(who, case, grants_of(conn, case_id))
    found = []
    for row in conn.execute(
        select(hrd_sources).where(hrd_sources.c.case_id == case_id).order_by(hrd_sources.c.created_at)
    ):
        sealed = vault.open_json(conn, case_id, row.sealed, f"source:{row.id}")
        shown = identity_ok or row.sensitivity != vocab.Sensitivity.SOURCE_PROTECTED
        found.append(
            {
                "id": row.id,
                "sensitivity": row.sensitivity,
                "consent": row.consent,
                "reliability": row.reliability,
                "connection": row.connection,
                "corroboration_count": row.corroboration_count,
                "identity": sealed["identity"] if shown else None,
                "statement": sealed["statement"],
            }
        )
    return found


# -- interventions -------------------------------------------------------------------------------


def add_intervention(
    db: Database,
    vault: Vault,
    who: Viewer,
    case_id: str,
    *,
    mechanism: str,
    kind: str,
    opened_on: str,
    reply_due: str | None = None,
    details: dict[str, Any] | None = None,
) -> str:
    """A UN SP communication (kind UA/AL/OL), an IACHR measure (kind = its status), an embassy
    action, an NHRI complaint …; ``details`` (reference, mandates, beneficiaries) are sealed."""
    vocab.check_code(mechanism, vocab.MECHANISMS, "mechanism")
    if mechanism == "UN_SP_COMMUNICATION":
        vocab.check_code(kind, vocab.UN_COMMUNICATION_TYPES, "communication type")
    if mechanism == "IACHR_PM":
        vocab.check_code(kind, vocab.IACHR_STATUSES, "precautionary measure status")
    opened = _date(opened_on, "opened_on")
    intervention_id = str(uuid.uuid4())
    with db.transaction() as conn:
        require(conn, who, case_id, Access.WRITE)
        conn.execute(
            hrd_interventions.insert(),
            {
                "id": intervention_id,
                "case_id": case_id,
                "mechanism": mechanism,
                "kind": kind,
                "opened_on": opened,
                "reply_due": _date(reply_due, "reply_due"),
                "sealed": vault.seal_json(conn, case_id, details or {}, f"intervention:{intervention_id}"),
                "created_at": datetime.now(UTC),
                "created_by": who.label,
            },
        )
        audit.record(conn, actor=who.label, action="add intervention", entity=ENTITY, entity_id=case_id)
    return intervention_id


def _intervention_case(conn: Connection, intervention_id: str) -> str:
    found = conn.scalar(select(hrd_interventions.c.case_id).where(hrd_interventions.c.id == intervention_id))
    if found is None:
        raise NotFound(f"no intervention {intervention_id}")
    return str(found)


def add_update(
    db: Database,
    vault: Vault,
    who: Viewer,
    intervention_id: str,
    *,
    on_date: str,
    status: str,
    follow_up_due: str | None = None,
    note: str = "",
) -> int:
    """A follow-up: reply received, measure granted or extended, next check due …"""
    if not status or len(status) > 30:
        raise InvalidInput("a status needs 1 to 30 characters")
    with db.transaction() as conn:
        case_id = _intervention_case(conn, intervention_id)
        require(conn, who, case_id, Access.WRITE)
        u = hrd_intervention_updates
        seq = (
            int(
                conn.scalar(
                    select(func.coalesce(func.max(u.c.seq), 0)).where(u.c.intervention_id == intervention_id)
                )
                or 0
            )
            + 1
        )
        conn.execute(
            u.insert(),
            {
                "intervention_id": intervention_id,
                "seq": seq,
                "on_date": _date(on_date, "on_date"),
                "status": status,
                "follow_up_due": _date(follow_up_due, "follow_up_due"),
                "sealed": vault.seal_json(conn, case_id, {"note": note}, f"update:{intervention_id}:{seq}")
                if note
                else None,
                "created_at": datetime.now(UTC),
                "created_by": who.label,
            },
        )
        audit.record(
            conn,
            actor=who.label,
            action="update intervention",
            entity=ENTITY,
            entity_id=case_id,
            after={"status": status},
        )
    return seq


def interventions(
    conn: Connection, vault: Vault, case_id: str, today: date | None = None
) -> list[dict[str, Any]]:
    """The case's interventions with their follow-up history and what is awaited (caller checked access)."""
    today = today or datetime.now(UTC).date()
    found = []
    i, u = hrd_interventions, hrd_intervention_updates
    for row in conn.execute(select(i).where(i.c.case_id == case_id).order_by(i.c.opened_on)):
        updates = []
        for up in conn.execute(select(u).where(u.c.intervention_id == row.id).order_by(u.c.seq)):
            note = (
                vault.open_json(conn, case_id, up.sealed, f"update:{row.id}:{up.seq}")["note"]
                if up.sealed
                else ""
            )
            updates.append(
                {
                    "seq": up.seq,
                    "on_date": up.on_date,
                    "status": up.status,
                    "follow_up_due": up.follow_up_due,
                    "note": note,
                }
            )
        found.append(
            {
                "id": row.id,
                "mechanism": row.mechanism,
                "kind": row.kind,
                "opened_on": row.opened_on,
                "reply_due": row.reply_due,
                "details": vault.open_json(conn, case_id, row.sealed, f"intervention:{row.id}"),
                "updates": updates,
                **_awaiting(row, updates, today),
            }
        )
    return found


def _awaiting(row: Any, updates: list[dict[str, Any]], today: date) -> dict[str, Any]:
    # Whatever was recorded last sets the next date: the reply due when the intervention was
    # sent, then each update's follow-up date. No date means nothing is awaited.
    status = updates[-1]["status"] if updates else row.kind
    due = updates[-1]["follow_up_due"] if updates else row.reply_due
    return {
        "status": status,
        "next_due": due,
        "awaiting": due is not None,
        "overdue": due is not None and date.fromisoformat(due) < today,
    }


def monitoring(db: Database, vault: Vault, who: Viewer, today: date | None = None) -> dict[str, Any]:
    """Open cases, interventions awaiting a reply and overdue follow-ups, among cases one may read."""
    with db.transaction(bump=False) as conn:  # only an audit event
        readable = [ref for ref, level, _ in visible_cases(conn, who) if level >= Access.READ]
        awaiting, overdue = [], []
        with_interventions = set(conn.scalars(select(hrd_interventions.c.case_id).distinct()))
        for ref in readable:
            if ref.id not in with_interventions:
                continue
            for item in interventions(conn, vault, ref.id, today):
                entry = {
                    "case_id": ref.id,
                    **{k: item[k] for k in ("id", "mechanism", "kind", "status", "next_due")},
                }
                if item["awaiting"]:
                    awaiting.append(entry)
                if item["overdue"]:
                    overdue.append(entry)
        audit.record(
            conn, actor=who.label, action="monitoring", entity=ENTITY, after={"cases": len(readable)}
        )
    return {
        "open_cases": sum(1 for ref in readable if ref.monitoring_status == "active"),
        "awaiting_reply": awaiting,
        "overdue": overdue,
    }


# -- chains of events ----------------------------------------------------------------------------


def link(
    db: Database,
    who: Viewer,
    case_id: str,
    related_case_id: str,
    link_type: str,
    intervention_id: str | None = None,
) -> int:
    """Record that ``case_id`` (e.g. a reprisal) follows ``related_case_id`` or its intervention."""
    vocab.check_code(link_type, vocab.CHAIN_TYPES, "link type")
    with db.transaction() as conn:
        require(conn, who, case_id, Access.WRITE)
        require(conn, who, related_case_id, Access.READ)
        if intervention_id is not None and _intervention_case(conn, intervention_id) != related_case_id:
            raise InvalidInput("the intervention belongs to another case")
        new_id = conn.execute(
            hrd_links.insert().returning(hrd_links.c.id),
            {
                "case_id": case_id,
                "related_case_id": related_case_id,
                "intervention_id": intervention_id,
                "link_type": link_type,
                "created_at": datetime.now(UTC),
                "created_by": who.label,
            },
        ).scalar_one()
        audit.record(
            conn, actor=who.label, action="link", entity=ENTITY, entity_id=case_id, after={"link": new_id}
        )
    return int(new_id)


def links(conn: Connection, who: Viewer, case_id: str) -> list[dict[str, Any]]:
    """Links in both directions, but only to cases this reader may read: a link must not reveal
    that a restricted case exists (the relationship-panel leak, Uwazi #1499)."""
    readable = {ref.id for ref, level, _ in visible_cases(conn, who) if level >= Access.READ}
    found = []
    for row in conn.execute(
        select(hrd_links).where((hrd_links.c.case_id == case_id) | (hrd_links.c.related_case_id == case_id))
    ):
        other = row.related_case_id if row.case_id == case_id else row.case_id
        if other in readable:
            direction = "from" if row.case_id == case_id else "to"
            found.append(
                {
                    "id": row.id,
                    "type": row.link_type,
                    direction: other,
                    "intervention_id": row.intervention_id,
                }
            )
    return found


# -- grants and groups ---------------------------------------------------------------------------


def dossier(db: Database, vault: Vault, who: Viewer, case_id: str) -> dict[str, Any]:
    """A case with everything around it that this reader may see."""
    case = get_case(db, vault, who, case_id)
    if case["view"] != "full":
        return case
    with db.read() as conn:
        case["sources"] = sources(conn, vault, who, case_id)
        case["interventions"] = interventions(conn, vault, case_id)
        case["links"] = links(conn, who, case_id)
    case["attachments"] = list_attachments(db, who, case_id)
    return case
