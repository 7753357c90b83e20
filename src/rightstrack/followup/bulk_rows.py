"""The columns of the bulk CSV files, checking rows against the database, writing and exporting them.

``bulk`` reads files and holds the public functions; this module knows what a row means.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import Connection, select

from rightstrack.errors import ImportFailed, Problem
from rightstrack.followup import history
from rightstrack.followup.access import WorkspaceAccess
from rightstrack.followup.commitments import (
    add_commitment_in,
    add_measure_in,
    commitment_actors,
    list_commitments,
    measures_of,
)
from rightstrack.followup.model import (
    STATUS_LABELS,
    AssessmentCreate,
    CommitmentCreate,
    MeasureCreate,
)
from rightstrack.followup.progress import ASSESSMENT, assessments_of
from rightstrack.followup.schema import fu_assessments, fu_measures, fu_members
from rightstrack.followup.workspaces import actors
from rightstrack.store import schema

KINDS = ("commitments", "measures", "assessments")


@dataclass(frozen=True)
class Column:
    name: str
    help: str
    example: str = ""


_REFS = (
    Column("commitment_id", "this workspace's commitment id (exports leave it empty)"),
    Column("recommendation_id", "id of the commitment's recommendation in the public corpus", "4021"),
    Column("commitment_title", "title of a local pledge (when the commitment has no recommendation)"),
)
_VISIBILITY = Column("visibility", "public or private (default: private)", "private")
COLUMNS: dict[str, tuple[Column, ...]] = {
    "commitments": (
        Column(
            "recommendation_id", "id of the recommendation in the public corpus; empty for a pledge", "4021"
        ),
        Column("title", "short title; required for a local pledge (the key of a pledge)"),
        Column("pledge", "text of a local pledge"),
        Column("source", "where a local pledge was made (ordinance, council decision)"),
        _VISIBILITY,
        Column("lead_actor", "name of the lead actor, as in the workspace's actor list", "Gotham Police"),
        Column("actors", "names of other actors, separated by ;", "City of Gotham; Parks Department"),
    ),
    "measures": (
        *_REFS,
        Column("title", "what will be done", "Publish a use-of-force policy"),
        Column("description", "details"),
        Column("actor", "name of the actor carrying it out", "Gotham Police"),
        Column("responsible_user", "username of the workspace member responsible", "analyst"),
        Column("due_on", "due date, YYYY-MM-DD", "2026-03-01"),
        Column("status", "planned, in_progress, done or cancelled (default: planned)", "planned"),
    ),
    "assessments": (
        *_REFS,
        Column("assessor_type", "government, nhri, civil_society or un_mechanism", "civil_society"),
        Column("assessor", "who assessed", "Gotham Justice Coalition"),
        Column("status", "fully, partially, not_implemented or unknown", "partially"),
        Column("assessed_on", "date of the assessment, YYYY-MM-DD", "2026-04-15"),
        Column("source", "where it was published, or who made it and how", "Shadow report, April 2026"),
        Column("note", "remarks"),
        Column("visibility", "public or private (default: public)", "public"),
    ),
}
REQUIRED: dict[str, frozenset[str]] = {
    "commitments": frozenset(),
    "measures": frozenset({"title", "due_on"}),
    "assessments": frozenset({"assessor_type", "assessor", "status", "assessed_on", "source"}),
}
_MODELS: dict[str, type[BaseModel]] = {
    "commitments": CommitmentCreate,
    "measures": MeasureCreate,
    "assessments": AssessmentCreate,
}
# CSV column -> schema field, where they differ (actors are named in files, ids in the schemas).
_FIELDS = {"lead_actor": "lead_actor_id", "actors": "actor_ids", "actor": "actor_id"}
_COLUMN_OF = {v: k for k, v in _FIELDS.items()}
_ENUMS = {"visibility", "status", "assessor_type"}
_STATUS_BY_LABEL = {label.lower(): status.value for status, label in STATUS_LABELS.items()}


@dataclass(frozen=True)
class Row:
    line: int
    cells: dict[str, str | None]


@dataclass
class Checked:
    line: int
    data: BaseModel
    key: tuple[Any, ...]
    commitment_id: int | None = None


@dataclass
class _Context:
    """What rows are checked against, read once per file."""

    filename: str
    actors: dict[str, list[int]]
    commitments: list[dict[str, Any]]
    members: set[str]
    problems: list[Problem] = field(default_factory=list)

    def problem(self, row: Row, column: str | None, message: str) -> None:
        value = row.cells.get(column) if column else None
        self.problems.append(Problem(message, self.filename, line=row.line, field=column, value=value))


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _context(conn: Connection, access: WorkspaceAccess, filename: str) -> _Context:
    names: dict[str, list[int]] = {}
    for actor in actors(conn, access):
        names.setdefault(_fold(actor["name"]), []).append(int(actor["id"]))
    u = schema.users
    members = conn.scalars(
        select(u.c.username)
        .join(fu_members, fu_members.c.user_id == u.c.id)
        .where(fu_members.c.workspace_id == access.id)
    )
    return _Context(filename, names, list_commitments(conn, access), set(members))


# -- checking ---------------------------------------------------------------------------------


def check_rows(
    conn: Connection, access: WorkspaceAccess, kind: str, rows: list[Row], filename: str
) -> list[Checked]:
    """Every row as a validated schema and its key, or ImportFailed listing every problem."""
    context = _context(conn, access, filename)
    checked: list[Checked] = []
    seen: dict[tuple[Any, ...], int] = {}
    for row in rows:
        item = _check_row(conn, context, kind, row)
        if item is None:
            continue
        if item.key in seen:
            context.problem(row, None, f"the same record as line {seen[item.key]}")
            continue
        seen[item.key] = row.line
        checked.append(item)
    if context.problems:
        raise ImportFailed(
            f"{filename}: {len({p.line for p in context.problems})} rows have problems; nothing was imported",
            context.problems,
        )
    return checked


def _check_row(conn: Connection, context: _Context, kind: str, row: Row) -> Checked | None:
    before = len(context.problems)
    values: dict[str, Any] = {}
    commitment_id = None
    for column, value in row.cells.items():
        if value is None or column in {r.name for r in _REFS}:
            continue
        if column in ("lead_actor", "actor"):
            values[_FIELDS[column]] = _actor(context, row, column, value)
        elif column == "actors":
            values["actor_ids"] = [
                _actor(context, row, column, v.strip()) for v in value.split(";") if v.strip()
            ]
        elif column in _ENUMS:
            values[column] = _enum(value)
        else:
            values[column] = value
    if kind == "commitments":
        values["recommendation_id"] = _recommendation(conn, context, row, row.cells.get("recommendation_id"))
        _check_pledge(context, row, values)
    else:
        commitment_id = _commitment(context, row)
    if kind == "measures" and values.get("responsible_user") not in (None, *context.members):
        context.problem(row, "responsible_user", "not a member of this workspace")
    data = _validate(context, row, kind, values)
    if data is None or len(context.problems) > before:
        return None
    return Checked(row.line, data, _key(kind, data, commitment_id), commitment_id)


def _enum(value: str) -> str:
    folded = value.strip().lower()
    return _STATUS_BY_LABEL.get(folded, folded.replace(" ", "_").replace("-", "_"))


def _actor(context: _Context, row: Row, column: str, name: str) -> int:
    found = context.actors.get(_fold(name), [])
    if len(found) == 1:
        return found[0]
    if found:
        message = f"{len(found)} actors have this name: rename one of them first"
    else:
        message = "no actor of this workspace has this name (add the actor first)"
    context.problems.append(Problem(message, context.filename, line=row.line, field=column, value=name))
    return 0


def _recommendation(conn: Connection, context: _Context, row: Row, raw: str | None) -> int | None:
    if raw is None:
        return None
    try:
        rid = int(raw)
    except ValueError:
        context.problem(row, "recommendation_id", "not a whole number")
        return None
    if conn.scalar(select(schema.recommendations.c.id).where(schema.recommendations.c.id == rid)) is None:
        context.problem(row, "recommendation_id", "no recommendation with this id in the corpus")
    return rid


def _check_pledge(context: _Context, row: Row, values: dict[str, Any]) -> None:
    if values.get("recommendation_id") is not None or "recommendation_id" in _named(context, row):
        return
    for column in ("title", "pledge", "source"):
        if not values.get(column):
            context.problem(row, column, "required for a local pledge (a row without recommendation_id)")


def _named(context: _Context, row: Row) -> set[str]:
    """The columns already reported on this row (so one mistake is not reported twice)."""
    return {p.field for p in context.problems if p.line == row.line and p.field}


def _commitment(context: _Context, row: Row) -> int | None:
    """The commitment a measure or assessment row names, by id, recommendation id or pledge title."""
    found: set[int] = set()
    for ref in _REFS:
        value = row.cells.get(ref.name)
        if value is None:
            continue
        matches = [c["id"] for c in context.commitments if _refers(c, ref.name, value)]
        if not matches:
            context.problem(row, ref.name, "no commitment of this workspace matches")
            return None
        found.update(matches)
    if not found:
        context.problem(
            row, None, "no commitment named: fill commitment_id, recommendation_id or commitment_title"
        )
        return None
    if len(found) > 1:
        context.problem(row, None, "the commitment columns name different (or several) commitments")
        return None
    return found.pop()


def _refers(commitment: dict[str, Any], column: str, value: str) -> bool:
    if column == "commitment_id":
        return str(commitment["id"]) == value
    if column == "recommendation_id":
        return str(commitment["recommendation_id"]) == value
    return commitment["recommendation_id"] is None and _fold(commitment["title"]) == _fold(value)


def _validate(context: _Context, row: Row, kind: str, values: dict[str, Any]) -> BaseModel | None:
    try:
        return _MODELS[kind].model_validate(values)
    except ValidationError as exc:
        named = _named(context, row)
        for error in exc.errors():
            field_name = str(error["loc"][0]) if error["loc"] else None
            column = _COLUMN_OF.get(field_name or "", field_name)
            if column not in named:
                context.problem(row, column, error["msg"])
        return None


def _key(kind: str, data: Any, commitment_id: int | None) -> tuple[Any, ...]:
    if kind == "commitments":
        if data.recommendation_id is not None:
            return ("recommendation", data.recommendation_id)
        return ("pledge", _fold(data.title))
    if kind == "measures":
        return (commitment_id, _fold(data.title))
    return (commitment_id, data.assessor_type.value, _fold(data.assessor), data.assessed_on.isoformat())


# -- writing ----------------------------------------------------------------------------------


def write_rows(
    conn: Connection, access: WorkspaceAccess, kind: str, checked: list[Checked]
) -> tuple[list[int], list[int]]:
    """Create what is not there yet; return (created ids, ids of records that were there)."""
    present = _present(conn, access, kind)
    created: list[int] = []
    existing: list[int] = []
    for item in checked:
        if item.key in present:
            existing.append(present[item.key])
            continue
        data: Any = item.data
        if kind == "commitments":
            created.append(add_commitment_in(conn, access, data))
        elif kind == "measures":
            assert item.commitment_id is not None
            created.append(add_measure_in(conn, access, item.commitment_id, data))
        else:
            values = data.model_dump() | {"commitment_id": item.commitment_id}
            created.append(history.create(conn, fu_assessments, access, ASSESSMENT, values))
    return created, existing


def _present(conn: Connection, access: WorkspaceAccess, kind: str) -> dict[tuple[Any, ...], int]:
    if kind == "commitments":
        return {
            ("recommendation", c["recommendation_id"])
            if c["recommendation_id"] is not None
            else ("pledge", _fold(c["title"])): int(c["id"])
            for c in list_commitments(conn, access)
        }
    if kind == "measures":
        m = fu_measures
        rows = conn.execute(
            select(m.c.id, m.c.commitment_id, m.c.title).where(
                m.c.workspace_id == access.id, m.c.deleted_at.is_(None)
            )
        )
        return {(int(r.commitment_id), _fold(r.title)): int(r.id) for r in rows}
    a = fu_assessments
    rows = conn.execute(
        select(a.c.id, a.c.commitment_id, a.c.assessor_type, a.c.assessor, a.c.assessed_on).where(
            a.c.workspace_id == access.id, a.c.deleted_at.is_(None)
        )
    )
    return {
        (int(r.commitment_id), r.assessor_type, _fold(r.assessor), str(r.assessed_on)[:10]): int(r.id)
        for r in rows
    }


# -- exporting --------------------------------------------------------------------------------


def export_rows(conn: Connection, access: WorkspaceAccess, kind: str) -> list[dict[str, str | None]]:
    out: list[dict[str, str | None]] = []
    actor_names = {int(a["id"]): str(a["name"]) for a in actors(conn, access)}
    usernames = _usernames(conn) if access.reads_private else {}
    for commitment in list_commitments(conn, access):
        ref = _portable_ref(commitment)
        if kind == "commitments":
            out.append(_commitment_row(conn, commitment))
        elif kind == "measures":
            for m in measures_of(conn, access, int(commitment["id"])):
                out.append(
                    ref
                    | {
                        "title": m["title"],
                        "description": m["description"],
                        "actor": actor_names.get(m["actor_id"]) if m["actor_id"] else None,
                        "responsible_user": usernames.get(m["responsible_user_id"]),
                        "due_on": str(m["due_on"])[:10],
                        "status": m["status"],
                    }
                )
        else:
            for a in assessments_of(conn, access, int(commitment["id"])):
                out.append(ref | {k: _text(a[k]) for k in [c.name for c in COLUMNS[kind]][3:]})
    return out


def _text(value: Any) -> str | None:
    return None if value is None else str(value)[:10] if hasattr(value, "isoformat") else str(value)


def _portable_ref(commitment: dict[str, Any]) -> dict[str, str | None]:
    if commitment["recommendation_id"] is not None:
        return {"recommendation_id": str(commitment["recommendation_id"])}
    return {"commitment_title": str(commitment["title"])}


def _commitment_row(conn: Connection, commitment: dict[str, Any]) -> dict[str, str | None]:
    named = commitment_actors(conn, int(commitment["id"]))
    rid = commitment["recommendation_id"]
    return {
        "recommendation_id": str(rid) if rid is not None else None,
        "title": commitment["title"],
        "pledge": commitment["pledge"],
        "source": commitment["source"],
        "visibility": commitment["visibility"],
        "lead_actor": next((a["name"] for a in named if a["lead"]), None),
        "actors": "; ".join(a["name"] for a in named if not a["lead"]) or None,
    }


def _usernames(conn: Connection) -> dict[int, str]:
    return {
        int(r.id): str(r.username) for r in conn.execute(select(schema.users.c.id, schema.users.c.username))
    }
