"""Commitments (a recommendation or a local pledge taken on by a workspace), with their actors,
measures (planned actions with due dates) and indicators (reported at a frequency)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, select

from rightstrack.errors import Conflict, InvalidInput, NotFound, Problem
from rightstrack.followup import history
from rightstrack.followup.access import WorkspaceAccess, WorkspacePermission, not_found
from rightstrack.followup.model import (
    CommitmentCreate,
    CommitmentUpdate,
    IndicatorCreate,
    IndicatorUpdate,
    IndicatorValueCreate,
    MeasureCreate,
    MeasureStatus,
    MeasureUpdate,
    Visibility,
)
from rightstrack.followup.schema import (
    fu_commitment_actors,
    fu_commitments,
    fu_indicator_values,
    fu_indicators,
    fu_measures,
    fu_members,
)
from rightstrack.followup.workspaces import actor_ids
from rightstrack.messages import msg
from rightstrack.store import schema
from rightstrack.store.database import Database

COMMITMENT, MEASURE, INDICATOR = "commitment", "measure", "indicator"
_TITLE_LENGTH = 140


def _title_from(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _TITLE_LENGTH else text[: _TITLE_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def _set_actors(
    conn: Connection, access: WorkspaceAccess, commitment_id: int, ids: list[int], lead: int | None
) -> None:
    if lead is not None and lead not in ids:
        ids = [lead, *ids]
    actor_ids(conn, access, ids)
    conn.execute(fu_commitment_actors.delete().where(fu_commitment_actors.c.commitment_id == commitment_id))
    if ids:
        conn.execute(
            fu_commitment_actors.insert(),
            [{"commitment_id": commitment_id, "actor_id": a, "lead": a == lead} for a in dict.fromkeys(ids)],
        )


def _commitment_values(conn: Connection, access: WorkspaceAccess, data: CommitmentCreate) -> dict[str, Any]:
    if data.recommendation_id is None:
        missing = [f for f in ("title", "pledge", "source") if not getattr(data, f)]
        if missing:
            raise InvalidInput(
                msg("A local pledge needs a title, its text and its source."),
                [Problem(msg("This is required for a local pledge."), field=f) for f in missing],
            )
        return {"recommendation_id": None, "title": data.title, "pledge": data.pledge, "source": data.source}
    text = conn.scalar(
        select(schema.recommendations.c.text).where(schema.recommendations.c.id == data.recommendation_id)
    )
    if text is None:
        raise NotFound(msg("There is no recommendation %(id)s.", id=data.recommendation_id))
    taken = conn.scalar(
        select(fu_commitments.c.id).where(
            fu_commitments.c.workspace_id == access.id,
            fu_commitments.c.recommendation_id == data.recommendation_id,
            fu_commitments.c.deleted_at.is_(None),
        )
    )
    if taken is not None:
        raise Conflict(
            msg(
                "Recommendation %(id)s is already commitment %(taken)s of this workspace.",
                id=data.recommendation_id,
                taken=taken,
            )
        )
    return {
        "recommendation_id": data.recommendation_id,
        "title": data.title or _title_from(text),
        "pledge": data.pledge,
        "source": data.source,
    }


def add_commitment_in(conn: Connection, access: WorkspaceAccess, data: CommitmentCreate) -> int:
    access.require(WorkspacePermission.EDIT)
    values = _commitment_values(conn, access, data) | {"visibility": data.visibility}
    commitment_id = history.create(conn, fu_commitments, access, COMMITMENT, values)
    _set_actors(conn, access, commitment_id, list(data.actor_ids), data.lead_actor_id)
    return commitment_id


def add_commitment(db: Database, access: WorkspaceAccess, data: CommitmentCreate) -> int:
    with db.transaction() as conn:
        return add_commitment_in(conn, access, data)


def take_on(
    db: Database,
    access: WorkspaceAccess,
    recommendation_ids: list[int],
    *,
    lead_actor_id: int | None = None,
    visibility: Visibility = Visibility.PRIVATE,
) -> list[int]:
    """Take several recommendations on at once (the picker): all become commitments, or none does."""
    access.require(WorkspacePermission.EDIT)
    if not recommendation_ids:
        none = msg("Choose at least one recommendation.")
        raise InvalidInput(none, [Problem(none, field="recommendation_ids")])
    lead = [lead_actor_id] if lead_actor_id is not None else []
    with db.transaction() as conn:
        return [
            add_commitment_in(
                conn,
                access,
                CommitmentCreate(
                    recommendation_id=rid, visibility=visibility, actor_ids=lead, lead_actor_id=lead_actor_id
                ),
            )
            for rid in dict.fromkeys(recommendation_ids)
        ]


def update_commitment(
    db: Database, access: WorkspaceAccess, commitment_id: int, data: CommitmentUpdate
) -> dict[str, Any]:
    access.require(WorkspacePermission.EDIT)
    changes = data.model_dump(exclude_unset=True, exclude={"version", "actor_ids", "lead_actor_id"})
    with db.transaction() as conn:
        after = history.update(conn, fu_commitments, access, COMMITMENT, commitment_id, changes, data.version)
        if data.actor_ids is not None or "lead_actor_id" in data.model_fields_set:
            current = commitment_actors(conn, commitment_id)
            ids = data.actor_ids if data.actor_ids is not None else [a["id"] for a in current]
            lead = data.lead_actor_id if "lead_actor_id" in data.model_fields_set else _lead(current)
            _set_actors(conn, access, commitment_id, list(ids), lead)
        return after


def _lead(current: list[dict[str, Any]]) -> int | None:
    return next((a["id"] for a in current if a["lead"]), None)


def commitment_actors(conn: Connection, commitment_id: int) -> list[dict[str, Any]]:
    from rightstrack.followup.schema import fu_actors

    rows = conn.execute(
        select(fu_actors.c.id, fu_actors.c.name, fu_actors.c.kind, fu_commitment_actors.c.lead)
        .join(fu_commitment_actors, fu_commitment_actors.c.actor_id == fu_actors.c.id)
        .where(fu_commitment_actors.c.commitment_id == commitment_id, fu_actors.c.deleted_at.is_(None))
        .order_by(fu_commitment_actors.c.lead.desc(), fu_actors.c.name)
    )
    return [dict(r._mapping) for r in rows]


def get_commitment(conn: Connection, access: WorkspaceAccess, commitment_id: int) -> dict[str, Any]:
    """A commitment the reader may see, or NotFound (also when it exists but is private)."""
    found = history.load(conn, fu_commitments, access, COMMITMENT, commitment_id)
    if not access.sees(found["visibility"]):
        raise not_found(COMMITMENT, commitment_id)
    return found


def list_commitments(
    conn: Connection, access: WorkspaceAccess, *, recommendation_ids: list[int] | None = None
) -> list[dict[str, Any]]:
    """The live commitments the reader may see (only those on ``recommendation_ids``, if given)."""
    query = select(fu_commitments).where(
        fu_commitments.c.workspace_id == access.id, fu_commitments.c.deleted_at.is_(None)
    )
    if recommendation_ids is not None:
        query = query.where(fu_commitments.c.recommendation_id.in_(recommendation_ids))
    if not access.reads_private:
        query = query.where(fu_commitments.c.visibility == "public")
    return [history.snapshot(r) for r in conn.execute(query.order_by(fu_commitments.c.id))]


# -- measures ---------------------------------------------------------------------------------


def _member_id(conn: Connection, access: WorkspaceAccess, username: str | None) -> int | None:
    """The user id of a member of this workspace named ``username`` (someone who is not a member,
    or no one at all, is the same mistake in a form: the wrong choice)."""
    if not username:
        return None
    u = schema.users
    uid = conn.scalar(
        select(u.c.id)
        .join(fu_members, fu_members.c.user_id == u.c.id)
        .where(fu_members.c.workspace_id == access.id, u.c.username == username)
    )
    if uid is None:
        raise InvalidInput(
            msg("%(name)s is not a member of this workspace.", name=username),
            [Problem(msg("Choose a member of this workspace."), field="responsible_user", value=username)],
        )
    return int(uid)


def add_measure(db: Database, access: WorkspaceAccess, commitment_id: int, data: MeasureCreate) -> int:
    access.require(WorkspacePermission.EDIT)
    with db.transaction() as conn:
        return add_measure_in(conn, access, commitment_id, data)


def add_measure_in(conn: Connection, access: WorkspaceAccess, commitment_id: int, data: MeasureCreate) -> int:
    access.require(WorkspacePermission.EDIT)
    get_commitment(conn, access, commitment_id)
    if data.actor_id is not None:
        actor_ids(conn, access, [data.actor_id])
    values = data.model_dump(exclude={"responsible_user"}) | {
        "commitment_id": commitment_id,
        "responsible_user_id": _member_id(conn, access, data.responsible_user),
        "completed_on": date.today() if data.status is MeasureStatus.DONE else None,
    }
    return history.create(conn, fu_measures, access, MEASURE, values)


def update_measure(
    db: Database, access: WorkspaceAccess, measure_id: int, data: MeasureUpdate
) -> dict[str, Any]:
    access.require(WorkspacePermission.EDIT)
    changes = data.model_dump(exclude_unset=True, exclude={"version", "responsible_user"})
    with db.transaction() as conn:
        if "responsible_user" in data.model_fields_set:
            changes["responsible_user_id"] = _member_id(conn, access, data.responsible_user)
        if changes.get("actor_id") is not None:
            actor_ids(conn, access, [changes["actor_id"]])
        if changes.get("status") is MeasureStatus.DONE and not changes.get("completed_on"):
            changes["completed_on"] = datetime.now(UTC).date()  # done without a date: done today
        return history.update(conn, fu_measures, access, MEASURE, measure_id, changes, data.version)


def measures_of(conn: Connection, access: WorkspaceAccess, commitment_id: int) -> list[dict[str, Any]]:
    get_commitment(conn, access, commitment_id)
    rows = conn.execute(
        select(fu_measures)
        .where(fu_measures.c.commitment_id == commitment_id, fu_measures.c.deleted_at.is_(None))
        .order_by(fu_measures.c.due_on, fu_measures.c.id)
    )
    return [history.snapshot(r) for r in rows]


# -- indicators -------------------------------------------------------------------------------


def add_indicator(db: Database, access: WorkspaceAccess, commitment_id: int, data: IndicatorCreate) -> int:
    access.require(WorkspacePermission.EDIT)
    with db.transaction() as conn:
        get_commitment(conn, access, commitment_id)
        values = data.model_dump(exclude={"responsible_user"}) | {
            "commitment_id": commitment_id,
            "responsible_user_id": _member_id(conn, access, data.responsible_user),
        }
        return history.create(conn, fu_indicators, access, INDICATOR, values)


def update_indicator(
    db: Database, access: WorkspaceAccess, indicator_id: int, data: IndicatorUpdate
) -> dict[str, Any]:
    access.require(WorkspacePermission.EDIT)
    changes = data.model_dump(exclude_unset=True, exclude={"version", "responsible_user"})
    with db.transaction() as conn:
        indicator = history.load(conn, fu_indicators, access, INDICATOR, indicator_id)
        get_commitment(conn, access, int(indicator["commitment_id"]))
        if "responsible_user" in data.model_fields_set:
            changes["responsible_user_id"] = _member_id(conn, access, data.responsible_user)
        return history.update(conn, fu_indicators, access, INDICATOR, indicator_id, changes, data.version)


def add_indicator_value(
    db: Database,
    access: WorkspaceAccess,
    indicator_id: int,
    data: IndicatorValueCreate,
    *,
    commitment_id: int | None = None,
) -> int:
    """Report a value. ``commitment_id``: the commitment the caller reached the indicator through
    (a form on its page); a value for another commitment's indicator is refused."""
    access.require(WorkspacePermission.REPORT)
    with db.transaction() as conn:
        indicator = history.load(conn, fu_indicators, access, INDICATOR, indicator_id)
        if commitment_id is not None and indicator["commitment_id"] != commitment_id:
            raise InvalidInput(
                msg("That indicator is not one of this commitment's."),
                [Problem(msg("That indicator is not one of this commitment's."), field="indicator_id")],
            )
        row = data.model_dump() | {
            "indicator_id": indicator_id,
            "workspace_id": access.id,
            "created_at": datetime.now(UTC),
            "created_by": access.actor,
        }
        return int(
            conn.execute(fu_indicator_values.insert().returning(fu_indicator_values.c.id), row).scalar_one()
        )


def indicators_of(conn: Connection, access: WorkspaceAccess, commitment_id: int) -> list[dict[str, Any]]:
    get_commitment(conn, access, commitment_id)
    out = []
    for row in conn.execute(
        select(fu_indicators)
        .where(fu_indicators.c.commitment_id == commitment_id, fu_indicators.c.deleted_at.is_(None))
        .order_by(fu_indicators.c.id)
    ):
        values = conn.execute(
            select(fu_indicator_values)
            .where(fu_indicator_values.c.indicator_id == row.id)
            .order_by(fu_indicator_values.c.reported_on)
        )
        out.append(history.snapshot(row) | {"values": [history.snapshot(v) for v in values]})
    return out
