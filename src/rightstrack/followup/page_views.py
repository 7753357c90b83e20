"""What the tracking pages show, gathered from the library for one reader: the workspace dashboard,
one commitment, one actor. Every list goes through the library's visibility checks, so a page
built here never holds a record its reader may not see."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import Connection, select

from rightstrack.auth.accounts import User
from rightstrack.followup import history
from rightstrack.followup.access import PENDING, WorkspaceAccess, WorkspacePermission, workspace_access
from rightstrack.followup.bulk import KINDS
from rightstrack.followup.commitments import get_commitment, indicators_of, measures_of
from rightstrack.followup.form_specs import BY_NAME as FORMS
from rightstrack.followup.lifecycle import change_permission, deleted_records, record_history
from rightstrack.followup.model import (
    ActorKind,
    AssessorType,
    Frequency,
    ImplementationStatus,
    MeasureStatus,
    Visibility,
    WorkspaceKind,
    WorkspaceRole,
    invalid_input,
)
from rightstrack.followup.progress import assessments_of, claim_gap, progress_of
from rightstrack.followup.schema import (
    fu_actors,
    fu_measures,
    fu_members,
    fu_workspaces,
)
from rightstrack.followup.status import dashboard, next_report_due, standings
from rightstrack.followup.terms import term
from rightstrack.followup.workspaces import actors, members
from rightstrack.model.states import all_states
from rightstrack.store import schema
from rightstrack.store.records import fetch_record
from rightstrack.web.i18n import LANGUAGES

Choices = dict[str, list[tuple[str, str]]]


def _terms(values: list[str]) -> list[tuple[str, str]]:
    return [(v, term(v)) for v in values]


# The forms' fixed choices, each value with the name people read.
CHOICES: Choices = {
    "actor_kinds": _terms([k.value for k in ActorKind]),
    "assessor_types": _terms([a.value for a in AssessorType]),
    "frequencies": _terms([f.value for f in Frequency]),
    "implementation": _terms([s.value for s in ImplementationStatus]),
    "measure_statuses": _terms([s.value for s in MeasureStatus]),
    "visibilities": _terms([v.value for v in Visibility]),
    "workspace_roles": _terms([r.value for r in WorkspaceRole]),
    "workspace_kinds": _terms([k.value for k in WorkspaceKind]),
    "csv_kinds": _terms(list(KINDS)),
    "states": [(s.alpha3, s.name) for s in sorted(all_states(), key=lambda s: s.name)],
}


def choices(conn: Connection, access: WorkspaceAccess, **more: list[tuple[str, str]]) -> Choices:
    """The fixed choices plus this workspace's actors (as a tree) and members."""
    tree = actors(conn, access)
    names = [m["username"] for m in members(conn, access)] if access.reads_private else []
    return CHOICES | {
        "actors": [(str(a["id"]), "– " * a["depth"] + a["name"]) for a in tree],
        "members": [(n, n) for n in names],
        **more,
    }


M = TypeVar("M", bound=BaseModel)
_OPEN = ("planned", "in_progress")


def today() -> date:
    return datetime.now(UTC).date()


def parse(model: type[M], values: dict[str, Any]) -> M:
    """A form's values as ``model``, or InvalidInput naming each wrong field (as the page shows it)."""
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        raise invalid_input(exc) from None


def may(access: WorkspaceAccess) -> dict[str, bool]:
    return {p.name.lower(): access.may(p) for p in WorkspacePermission}


def _frame(access: WorkspaceAccess) -> dict[str, Any]:
    """What every workspace page shows around its content: the workspace, my role, what I may do,
    and the forms it may draw (followup.form_specs)."""
    return {
        "ws": access.workspace,
        "role": access.role.value if access.role else None,
        "wmay": may(access),
        "F": FORMS,
    }


def workspace_view(conn: Connection, access: WorkspaceAccess) -> dict[str, Any]:
    board = dashboard(conn, access, today())
    for table in ("by_theme", "by_actor", "by_cycle"):
        for row in board[table]:
            row["shares"] = {s: 100 * n / row["total"] for s, n in row["counts"].items() if row["total"]}
    return {
        **_frame(access),
        "d": board,
        "actors": actors(conn, access),
        "csv_kinds": KINDS,
        "choices": choices(conn, access, languages=list(LANGUAGES.items())),
    }


def _member_names(conn: Connection, access: WorkspaceAccess) -> dict[int, str]:
    if not access.reads_private:
        return {}
    u = schema.users
    rows = conn.execute(
        select(u.c.id, u.c.username)
        .join(fu_members, fu_members.c.user_id == u.c.id)
        .where(fu_members.c.workspace_id == access.id)
    )
    return {int(r.id): r.username for r in rows}


def commitment_view(conn: Connection, access: WorkspaceAccess, commitment_id: int) -> dict[str, Any]:
    commitment = get_commitment(conn, access, commitment_id)
    standing = standings(conn, access, only=commitment_id)[0]
    assessments = assessments_of(conn, access, commitment_id)
    rid = commitment["recommendation_id"]
    names = _member_names(conn, access)
    measures = measures_of(conn, access, commitment_id)
    now = today().isoformat()
    for m in measures:
        m["overdue"] = m["status"] in _OPEN and m["due_on"] < now
        m["responsible"] = names.get(m["responsible_user_id"] or -1)
    return {
        **_frame(access),
        "c": commitment,
        "s": standing,
        "rec": fetch_record(conn, rid) if rid else None,
        "repeats": [fetch_record(conn, r) for r in standing["repeats"]],
        "measures": measures,
        "indicators": _indicators(conn, access, commitment_id, names),
        "progress": progress_of(conn, access, commitment_id),
        "assessments": assessments,
        "gap": _gap(assessments, standing),
        "actors": actors(conn, access),
        "history": _history(conn, access, commitment_id),
        "choices": choices(conn, access, measures=[(str(m["id"]), m["title"]) for m in measures]),
    }


def _indicators(
    conn: Connection, access: WorkspaceAccess, commitment_id: int, names: dict[int, str]
) -> list[dict[str, Any]]:
    """Each indicator with when its next value is due (one period after the last, or after its start)."""
    found = indicators_of(conn, access, commitment_id)
    for i in found:
        last = i["values"][-1]["reported_on"] if i["values"] else None
        due = next_report_due(
            date.fromisoformat(i["starts_on"]),
            date.fromisoformat(last) if last else None,
            Frequency(i["frequency"]),
        )
        i |= {"next_due": due.isoformat(), "overdue": due < today()}
        i["responsible"] = names.get(i["responsible_user_id"] or -1)
    return found


def _gap(assessments: list[dict[str, Any]], standing: dict[str, Any]) -> dict[str, Any]:
    """The claim beside the independent views; carried from the earlier cycle's commitment when this
    one has no assessment of its own (as the dashboard counts it)."""
    if assessments or not standing["carried_from"]:
        return claim_gap(assessments) | {"carried": False}
    independent = standing["independent"]
    others = {independent["assessor_type"]: independent} if independent else {}
    return {
        "government": standing["claim"],
        "others": others,
        "disputed": standing["disputed"],
        "carried": True,
    }


_BOOKKEEPING = {
    "id",
    "workspace_id",
    "version",
    "created_at",
    "created_by",
    "updated_at",
    "deleted_at",
    "deleted_by",
}


def _history(
    conn: Connection, access: WorkspaceAccess, record_id: int, entity: str = "commitment"
) -> list[dict[str, Any]]:
    """A record's revisions (members only), each update with what it changed, before and after."""
    if not access.reads_private:
        return []
    revisions = record_history(conn, access, entity, record_id)
    for item in revisions:
        before, after = item["before"] or {}, item["after"] or {}
        item["changes"] = [
            (name, before.get(name), after.get(name))
            for name in sorted(after)
            if name not in _BOOKKEEPING and before and before.get(name) != after.get(name)
        ]
    return revisions


def actor_view(conn: Connection, access: WorkspaceAccess, actor_id: int) -> dict[str, Any]:
    actor = history.load(conn, fu_actors, access, "actor", actor_id)
    tree = actors(conn, access)
    by_id = {a["id"]: a for a in tree}
    path: list[dict[str, Any]] = []
    parent = actor["parent_id"]
    while parent in by_id and len(path) < len(tree):
        path.insert(0, by_id[parent])
        parent = by_id[parent]["parent_id"]
    visible = {s["id"]: s for s in standings(conn, access)}
    mine = [s for s in visible.values() if any(a["id"] == actor_id for a in s["actors"])]
    now = today()
    measures = [
        history.snapshot(r)
        | {"overdue": r.status in _OPEN and r.due_on < now, "commitment": visible[r.commitment_id]}
        for r in conn.execute(
            select(fu_measures)
            .where(fu_measures.c.actor_id == actor_id, fu_measures.c.deleted_at.is_(None))
            .order_by(fu_measures.c.due_on)
        )
        if r.commitment_id in visible
    ]
    return {
        **_frame(access),
        "a": actor,
        "path": path,
        "children": [a for a in tree if a["parent_id"] == actor_id],
        "commitments": mine,
        "measures": measures,
        "choices": choices(conn, access),
        "history": _history(conn, access, actor_id, "actor"),
    }


def track_choices(conn: Connection, user: User | None) -> Choices:
    """What the recommendation page's Track form offers: the reader's workspaces where they may take
    a recommendation on, the actors of each (named with their workspace) and the visibilities.
    Empty when there is no such workspace (the form is then not shown)."""
    found = editable_workspaces(conn, user.id if user else None)
    if not found or user is None:
        return {}
    names = {w["slug"]: w["name"] for w in found}
    actor_choices = []
    for slug, name in names.items():
        tree = actors(conn, workspace_access(conn, slug, user))
        actor_choices += [(str(a["id"]), f"{name}: {'– ' * a['depth']}{a['name']}") for a in tree]
    return {
        "workspaces": list(names.items()),
        "workspace_actors": actor_choices,
        "visibilities": CHOICES["visibilities"],
    }


def editable_workspaces(conn: Connection, user_id: int | None) -> list[dict[str, Any]]:
    """The workspaces where this user may take on a recommendation (editors and owners)."""
    if user_id is None:
        return []
    rows = conn.execute(
        select(fu_workspaces.c.slug, fu_workspaces.c.name)
        .join(fu_members, fu_members.c.workspace_id == fu_workspaces.c.id)
        .where(
            fu_members.c.user_id == user_id,
            fu_members.c.role.in_([WorkspaceRole.EDITOR.value, WorkspaceRole.OWNER.value]),
            fu_workspaces.c.status != PENDING,
        )
        .order_by(fu_workspaces.c.name)
    )
    return [dict(r._mapping) for r in rows]


def bin_view(conn: Connection, access: WorkspaceAccess, retention_days: int) -> dict[str, Any]:
    """The workspace's deleted records, each with the days left before ``purge`` removes it for good."""
    now = datetime.now(UTC)
    items = deleted_records(conn, access)
    for item in items:
        deleted_at = item["deleted_at"]
        if deleted_at.tzinfo is None:  # SQLite hands back naive UTC datetimes
            deleted_at = deleted_at.replace(tzinfo=UTC)
        item["deleted_on"] = deleted_at.date().isoformat()
        item["days_left"] = max(0, retention_days - (now - deleted_at).days)
        item["may_restore"] = access.may(change_permission(item["entity"]))
    return {
        **_frame(access),
        "items": items,
        "retention_days": retention_days,
    }
