"""``rightstrack track …``: implementation tracking from the command line, a few lines per command.

Commands that change a workspace say who is acting with ``--user``; the library decides what that
user may do there, exactly as on the web.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from rightstrack.followup.model import (
    ActorCreate,
    ActorKind,
    AssessmentCreate,
    AssessorType,
    CommitmentCreate,
    ImplementationStatus,
    MeasureCreate,
    ProgressCreate,
    Visibility,
    WorkspaceCreate,
    WorkspaceKind,
    WorkspaceRole,
)
from rightstrack.store.database import Database

track_app = typer.Typer(
    help="Track implementation: workspaces, commitments, measures, progress.", no_args_is_help=True
)
User = Annotated[str | None, typer.Option("--user", help="Act as this user.")]
Day = Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD (default: today).")]


def register_cli(app: typer.Typer) -> None:
    app.add_typer(track_app, name="track")


def _run(work: Callable[[Database], Any]) -> Any:
    from pydantic import ValidationError

    from rightstrack.cli_support import errors_to_exit, open_database
    from rightstrack.followup.model import invalid_input

    with errors_to_exit():
        try:
            return work(open_database())
        except ValidationError as exc:
            raise invalid_input(exc) from None


def _access(db: Database, slug: str, username: str | None) -> Any:
    from rightstrack.auth.accounts import find_user
    from rightstrack.followup.access import workspace_access

    user = find_user(db, username) if username else None
    with db.read() as conn:
        return workspace_access(conn, slug, user)


def _day(text: str | None) -> date:
    from rightstrack.errors import InvalidInput

    try:
        return date.fromisoformat(text) if text else date.today()
    except ValueError:
        raise InvalidInput(f"not a date: {text!r} (use YYYY-MM-DD)") from None


def _settings() -> Any:
    from rightstrack.cli_support import State

    return State.settings


@track_app.command("workspace-add")
def workspace_add(
    slug: str,
    name: str,
    kind: Annotated[WorkspaceKind, typer.Option()] = WorkspaceKind.CIVIL_SOCIETY,
    state: Annotated[str | None, typer.Option(help="State the workspace follows (e.g. USA).")] = None,
    owner: Annotated[str | None, typer.Option(help="First owner (an admin may name another).")] = None,
    user: Annotated[
        str, typer.Option("--user", help="Who creates it (see RIGHTSTRACK_WORKSPACE_CREATION).")
    ] = "",
) -> None:
    """Create a workspace (who may: the workspace_creation setting, or what an admin chose on /admin)."""
    from rightstrack.auth.accounts import find_user
    from rightstrack.followup.creation import creation_policy
    from rightstrack.followup.workspaces import create_workspace

    def work(db: Database) -> None:
        with db.read() as conn:
            policy = creation_policy(conn, str(_settings().workspace_creation))
        data = WorkspaceCreate(slug=slug, name=name, kind=kind, state=state)
        create_workspace(db, data, by=find_user(db, user), owner=owner, policy=policy)

    _run(work)
    print(f"workspace {slug} created")


@track_app.command("workspaces")
def workspaces_list() -> None:
    """List the workspaces."""
    from rightstrack.followup.workspaces import list_workspaces

    def work(db: Database) -> None:
        with db.read() as conn:
            for w in list_workspaces(conn, None):
                print(f"{w['slug']}\t{w['name']}\t{w['kind']}\t{w['state'] or ''}")

    _run(work)


@track_app.command("member")
def member(
    slug: str,
    username: str,
    role: WorkspaceRole,
    email: Annotated[str | None, typer.Option(help="Where reminders go.")] = None,
    user: User = None,
) -> None:
    """Add a member to a workspace or change their role."""
    from rightstrack.followup.workspaces import set_member

    _run(lambda db: set_member(db, _access(db, slug, user), username, role, email))
    print(f"{username} is {role.value} of {slug}")


@track_app.command("actor-add")
def actor_add(
    slug: str,
    name: str,
    kind: Annotated[ActorKind, typer.Option()] = ActorKind.OTHER,
    parent: Annotated[int | None, typer.Option(help="Id of the actor this one sits below.")] = None,
    user: User = None,
) -> None:
    """Add an actor (agency, city, NHRI, NGO…) to the workspace's tree."""
    from rightstrack.followup.workspaces import add_actor

    actor_id = _run(
        lambda db: add_actor(db, _access(db, slug, user), ActorCreate(name=name, kind=kind, parent_id=parent))
    )
    print(f"actor {actor_id}")


@track_app.command("take")
def take(
    slug: str,
    recommendation_id: int,
    actor: Annotated[list[int] | None, typer.Option(help="Responsible actor id (repeatable).")] = None,
    lead: Annotated[int | None, typer.Option(help="Lead actor id.")] = None,
    public: Annotated[bool, typer.Option(help="Publish the commitment and its plan.")] = False,
    user: User = None,
) -> None:
    """Take on a recommendation: it becomes a commitment of the workspace."""
    from rightstrack.followup.commitments import add_commitment

    def work(db: Database) -> int:
        data = CommitmentCreate(
            recommendation_id=recommendation_id,
            actor_ids=actor or [],
            lead_actor_id=lead,
            visibility=Visibility.PUBLIC if public else Visibility.PRIVATE,
        )
        return add_commitment(db, _access(db, slug, user), data)

    print(f"commitment {_run(work)}")


@track_app.command("measure-add")
def measure_add(
    slug: str,
    commitment_id: int,
    title: str,
    due: Annotated[str, typer.Option(help="Due date YYYY-MM-DD.")],
    actor: Annotated[int | None, typer.Option(help="Actor id carrying it out.")] = None,
    responsible: Annotated[str | None, typer.Option(help="Member reminded about it.")] = None,
    user: User = None,
) -> None:
    """Plan a measure with a due date."""
    from rightstrack.followup.commitments import add_measure

    def work(db: Database) -> int:
        data = MeasureCreate(title=title, due_on=_day(due), actor_id=actor, responsible_user=responsible)
        return add_measure(db, _access(db, slug, user), commitment_id, data)

    print(f"measure {_run(work)}")


@track_app.command("progress")
def progress_add(
    slug: str,
    commitment_id: int,
    text: str,
    on: Day = None,
    file: Annotated[list[Path] | None, typer.Option(help="Evidence file (repeatable).")] = None,
    measure: Annotated[int | None, typer.Option(help="The measure this reports on.")] = None,
    public: Annotated[bool, typer.Option(help="Publish the report.")] = False,
    user: User = None,
) -> None:
    """Report progress, with evidence files."""
    from rightstrack.followup.api import evidence_store
    from rightstrack.followup.progress import add_progress

    def work(db: Database) -> int:
        data = ProgressCreate(
            reported_on=_day(on),
            text=text,
            measure_id=measure,
            visibility=Visibility.PUBLIC if public else Visibility.PRIVATE,
        )
        files = [(p.name, p.read_bytes()) for p in file or []]
        return add_progress(
            db, _access(db, slug, user), commitment_id, data, files=files, store=evidence_store(_settings())
        )

    print(f"progress report {_run(work)}")


@track_app.command("assess")
def assess(
    slug: str,
    commitment_id: int,
    status: ImplementationStatus,
    assessor_type: Annotated[AssessorType, typer.Option("--by-type")],
    assessor: Annotated[str, typer.Option("--by", help="Who assesses (an office, an NGO…).")],
    source: Annotated[str, typer.Option(help="Where the assessment is published.")],
    on: Day = None,
    private: Annotated[bool, typer.Option(help="Keep the assessment inside the workspace.")] = False,
    user: User = None,
) -> None:
    """Record an assessment of implementation (fully / partially / not implemented / unknown)."""
    from rightstrack.followup.progress import add_assessment

    def work(db: Database) -> int:
        data = AssessmentCreate(
            assessor_type=assessor_type,
            assessor=assessor,
            status=status,
            assessed_on=_day(on),
            source=source,
            visibility=Visibility.PRIVATE if private else Visibility.PUBLIC,
        )
        return add_assessment(db, _access(db, slug, user), commitment_id, data)

    print(f"assessment {_run(work)}")


@track_app.command("dashboard")
def dashboard_command(
    slug: str,
    user: User = None,
    output_format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    on: Day = None,
) -> None:
    """Status of every commitment (claim and independent view), and what is overdue."""
    from rightstrack.cli_support import console
    from rightstrack.followup.status import dashboard

    def work(db: Database) -> dict[str, Any]:
        with db.read() as conn:
            return dashboard(conn, _access(db, slug, user), _day(on))

    board = _run(work)
    if output_format == "json":
        print(json.dumps(board, default=str, ensure_ascii=False, indent=2))
        return
    table = Table("id", "commitment", "government", "independent", "status", "")
    for c in board["commitments"]:
        flags = ("disputed " if c["disputed"] else "") + (
            "repeated, not implemented" if c["repeated_not_implemented"] else ""
        )
        table.add_row(
            str(c["id"]),
            c["title"][:60],
            (c["claim"] or {}).get("status", "-"),
            (c["independent"] or {}).get("status", "-"),
            c["status"],
            flags,
        )
    console.print(table)
    for item in board["overdue"]:
        console.print(f"[red]overdue[/] {item['kind']} {item['id']} “{item['title']}” due {item['due_on']}")


@track_app.command("remind")
def remind(
    on: Day = None,
    dry_run: Annotated[bool, typer.Option(help="Print the e-mails instead of sending them.")] = False,
) -> None:
    """E-mail the people responsible for due and overdue work, and owners a digest (run daily)."""
    from rightstrack.followup.reminders import send_reminders
    from rightstrack.mail import Mailer, MemoryMailer, smtp_mailer

    settings = _settings()
    memory = MemoryMailer()
    mailer: Mailer = memory if dry_run else (smtp_mailer(settings) or memory)

    summary = _run(
        lambda db: send_reminders(
            db,
            mailer,
            today=_day(on),
            sender=str(settings.mail_from),
            ahead_days=int(settings.reminder_days_ahead),
            base_url=str(settings.base_url),
        )
    )
    for message in memory.sent:
        print(f"To: {message['To']}\nSubject: {message['Subject']}\n\n{message.get_content()}")
    print(
        f"{summary.reminders} reminders, {summary.digests} digests,"
        f" {summary.skipped_already_sent} already sent today"
    )
    for missing in summary.without_address:
        print(f"no e-mail address for the person responsible: {missing}")


@track_app.command("history")
def history_command(slug: str, entity: str, record_id: int, user: User = None) -> None:
    """Every change to a record: who, when, before and after."""
    from rightstrack.followup.lifecycle import record_history

    def work(db: Database) -> list[dict[str, Any]]:
        with db.read() as conn:
            return record_history(conn, _access(db, slug, user), entity, record_id)

    print(json.dumps(_run(work), default=str, ensure_ascii=False, indent=2))


@track_app.command("delete")
def delete_command(slug: str, entity: str, record_id: int, user: User = None) -> None:
    """Delete a record (restorable during the retention period)."""
    from rightstrack.followup.lifecycle import delete_record

    _run(lambda db: delete_record(db, _access(db, slug, user), entity, record_id))
    print(f"{entity} {record_id} deleted; `rightstrack track restore` brings it back")


@track_app.command("restore")
def restore_command(slug: str, entity: str, record_id: int, user: User = None) -> None:
    """Restore a deleted record."""
    from rightstrack.followup.lifecycle import restore_record

    days = int(_settings().retention_days)
    _run(lambda db: restore_record(db, _access(db, slug, user), entity, record_id, retention_days=days))
    print(f"{entity} {record_id} restored")


@track_app.command("purge")
def purge_command() -> None:
    """Remove for good what was deleted longer ago than the retention period."""
    from rightstrack.followup.lifecycle import purge

    counts = _run(lambda db: purge(db, retention_days=int(_settings().retention_days)))
    print(", ".join(f"{n} {entity}" for entity, n in counts.items()) + " removed")


@track_app.command("report")
def report_command(
    slug: str,
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write: .docx or .pdf.")],
    period: Annotated[str | None, typer.Option(help="The period covered, e.g. '2022-2025'.")] = None,
    on: Day = None,
    user: User = None,
) -> None:
    """The mid-term report (DOCX or PDF) of what USER may see (anonymous: the public edition)."""
    from rightstrack.errors import InvalidInput
    from rightstrack.followup.report import midterm_report
    from rightstrack.followup.report_render import render_docx, render_pdf

    def work(db: Database) -> int:
        if out.suffix.lower() not in (".docx", ".pdf"):
            raise InvalidInput(f"{out}: the report is written as .docx or .pdf")
        with db.read() as conn:
            report = midterm_report(conn, _access(db, slug, user), _day(on), period=period)
        data = render_docx(report) if out.suffix.lower() == ".docx" else render_pdf(report)
        out.write_bytes(data)
        return len(report.commitments)

    print(f"{out}: {_run(work)} commitments")


@track_app.command("template")
def template_command(
    kind: Annotated[str, typer.Argument(help="commitments, measures or assessments")],
) -> None:
    """Print a CSV template (columns explained in comment lines)."""
    from rightstrack.cli_support import errors_to_exit
    from rightstrack.followup.bulk import template

    with errors_to_exit():
        print(template(kind), end="")


@track_app.command("export")
def export_command(slug: str, kind: str, user: User = None) -> None:
    """Export a workspace's commitments, measures or assessments as CSV (what USER may see)."""
    from rightstrack.followup.bulk import export_csv

    def work(db: Database) -> str:
        with db.read() as conn:
            return export_csv(conn, _access(db, slug, user), kind)

    print(_run(work), end="")


@track_app.command("import")
def import_command(slug: str, kind: str, file: Path, user: User = None) -> None:
    """Import commitments, measures or assessments from CSV: all rows or none; safe to repeat."""
    from rightstrack.followup.bulk import import_csv

    summary = _run(lambda db: import_csv(db, _access(db, slug, user), kind, file))
    print(
        f"{file}: {summary.rows} rows, {len(summary.created)} created, {len(summary.existing)} already there"
    )
