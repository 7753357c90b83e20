"""The command line: thin commands over the library. Errors are translated here, once."""

from __future__ import annotations

import inspect
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from rightstrack.cli_support import (
    State,
    console,
    errors_to_exit,
    open_database,
    out,
    print_summary,
    run_imports,
)
from rightstrack.errors import InvalidInput
from rightstrack.ingest.base import importers
from rightstrack.settings import SETTINGS, load_settings
from rightstrack.store.search import SearchRequest, search

app = typer.Typer(
    help="rightstrack: track UN human rights recommendations.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
import_app = typer.Typer(
    help="Import files into the database (one transaction per file).", no_args_is_help=True
)
app.add_typer(import_app, name="import")


def _configure(**given: Any) -> None:
    State.settings = load_settings(given)


# One global flag per row of the settings table (--data-dir, --database-url, --port …), so a new
# setting needs no CLI code; each flag's help is the table's help text plus its variable.
_configure.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
    [
        inspect.Parameter(
            s.name,
            inspect.Parameter.KEYWORD_ONLY,
            default=typer.Option(None, s.flag, help=f"{s.help} [env: {s.env_var}; default: {s.default!r}]"),
            annotation=str | None,
        )
        for s in SETTINGS
    ]
)
app.callback()(_configure)


@app.command()
def init() -> None:
    """Create (or upgrade) the database and write the reference data (states, mechanisms, tag families)."""
    with errors_to_exit():
        db = open_database(create=True)
        console.print(f"database ready: {db.describe()}")


ReviewOption = Annotated[
    str | None,
    typer.Option(
        help="STATE[:SESSION] the files belong to (SVN:20); fills what a file omits, refuses conflicts."
    ),
]
StateOption = Annotated[
    str | None,
    typer.Option(
        help="The state under review (name or ISO code), for a file that does not say: a matrix whose "
        "title and file name do not name it. Refuses a file that names another state."
    ),
]


def _import_command(name: str, description: str) -> Callable[..., None]:
    def command(
        files: Annotated[list[Path], typer.Argument(help="Files to import.")],
        dry_run: Annotated[bool, typer.Option(help="Show what would be stored; store nothing.")] = False,
        review: ReviewOption = None,
        state: StateOption = None,
    ) -> None:
        run_imports(name, files, dry_run, review, state)

    command.__doc__ = f"Import {description}."
    return command


for _name, _importer in importers().items():
    import_app.command(_name)(_import_command(_name, _importer.description))


@import_app.command("auto")
def import_auto(
    files: Annotated[list[Path], typer.Argument(help="Files to import; the format is recognised.")],
    dry_run: Annotated[bool, typer.Option(help="Show what would be stored; store nothing.")] = False,
    review: ReviewOption = None,
    state: StateOption = None,
) -> None:
    """Import files of any known format, recognised from their content."""
    run_imports(None, files, dry_run, review, state)


FilterOption = Annotated[
    list[str] | None, typer.Option("--filter", "-f", help="Facet filter NAME=VALUE (repeatable).")
]


def _request(
    query: str, filters: list[str] | None, sort: str | None, page: int, page_size: int
) -> SearchRequest:
    wanted: dict[str, list[str]] = {}
    for item in filters or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InvalidInput(f"filter {item!r} is not NAME=VALUE (for example state=USA or response=noted)")
        wanted.setdefault(name.strip(), []).append(value.strip())
    return SearchRequest(q=query, filters=wanted, sort=sort, page=page, page_size=page_size)


@app.command("search")
def search_command(
    query: Annotated[str, typer.Argument(help='Words, "phrases", prefix*, OR, -excluded.')] = "",
    filters: FilterOption = None,
    sort: Annotated[str | None, typer.Option(help="relevance, newest, oldest, state or id.")] = None,
    page: int = 1,
    page_size: Annotated[int, typer.Option(help="Results per page.")] = 20,
    output_format: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    facets: Annotated[bool, typer.Option(help="Show facet counts (table format).")] = False,
) -> None:
    """Search recommendations: full text combined with facets."""
    from rightstrack.report.export import write_records

    with errors_to_exit(json_errors=output_format == "json"):
        if output_format not in {"table", "csv", "json"}:
            raise InvalidInput(f"unknown format {output_format!r}; choose table, csv or json")
        result = search(open_database(), _request(query, filters, sort, page, page_size))
        if output_format == "json":
            print(json.dumps(result, ensure_ascii=False, indent=2))
        elif output_format == "csv":
            write_records("csv", iter(result["results"]), sys.stdout)
        else:
            _print_results(result, facets)


def _print_results(result: Any, show_facets: bool) -> None:
    table = Table(title=f"{result['total']} recommendations (page {result['page']} of {result['pages']})")
    for column in ("id", "state", "session", "recommending", "response", "text"):
        table.add_column(column, overflow="fold")
    for r in result["results"]:
        table.add_row(
            str(r["id"]),
            r["state_under_review"],
            str(r["session"] or ""),
            ", ".join(r["recommending_states"]),
            r["response"] or "",
            r["text"],
        )
    out.print(table)
    if show_facets:
        for name, values in result["facets"].items():
            shown = ", ".join(f"{v['label']} ({v['count']})" for v in values[:10])
            out.print(f"[bold]{name}[/]: {shown}")


@app.command()
def stats(output_format: Annotated[str, typer.Option("--format", help="table or json.")] = "table") -> None:
    """Counts by state, response, issue and session."""
    from rightstrack.report.stats import compute_stats

    with errors_to_exit(json_errors=output_format == "json"):
        db = open_database()
        with db.read() as conn:
            figures = compute_stats(conn)
        if output_format == "json":
            print(json.dumps(figures, indent=2, ensure_ascii=False))
            return
        out.print(
            f"{figures['recommendations']} recommendations, {figures['states_reviewed']} states reviewed, "
            f"{figures['documents']} source documents"
        )
        for title in ("by_response", "by_session", "by_issue", "by_state"):
            table = Table(title=title.replace("_", " "))
            table.add_column("value")
            table.add_column("count", justify="right")
            for key, count in figures[title].items():
                table.add_row(str(key), str(count))
            out.print(table)


@app.command()
def export(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    output_format: Annotated[str, typer.Option("--format", help="csv, json or xlsx.")] = "json",
    query: Annotated[str, typer.Option("--query", "-q", help="Export only what this search finds.")] = "",
    filters: FilterOption = None,
) -> None:
    """Export recommendations (all, or those of a search) as CSV, JSON or XLSX."""
    from rightstrack.report.export import write_export

    with errors_to_exit():
        request = _request(query, filters, "id", 1, 1)
        count = write_export(open_database(), output_format, output or sys.stdout, request)
        console.print(f"{count} recommendations exported" + (f" to {output}" if output else ""))


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    workers: Annotated[
        int | None, typer.Option(help="Server processes (default: the workers setting).")
    ] = None,
) -> None:
    """Serve the web app: search pages and the JSON API under /api/v1."""
    import uvicorn

    from rightstrack.defenders.config import check_production, is_production
    from rightstrack.web.app import create_app
    from rightstrack.web.security import cookie_warnings

    with errors_to_exit():
        settings = load_settings({**State.settings.values, "host": host, "port": port, "workers": workers})
        db = open_database()
        production = is_production(os.environ)
        for warning in cookie_warnings(settings, production=production):
            console.print(f"[bold yellow]warning:[/] {warning}", highlight=False)
        check_production(db, settings)  # here, before worker processes start and fail one by one
        count = int(settings.workers)
        console.print(
            f"serving {db.describe()} on http://{settings.host}:{settings.port}/ ({count} process(es))"
        )
        where = {"host": settings.host, "port": int(settings.port), "log_level": "warning"}
        if count <= 1:
            uvicorn.run(create_app(db, settings), **where)
            return
        db.close()
        # Worker processes rebuild the app from the environment, so every setting travels there.
        for setting in SETTINGS:
            os.environ[setting.env_var] = str(settings.values[setting.name])
        uvicorn.run("rightstrack.web.app:app_from_environment", factory=True, workers=count, **where)


@app.command()
def demo(
    source: Annotated[
        Path | None, typer.Option(help="Folder of real data (default: ../shared/data).")
    ] = None,
    serve_after: Annotated[bool, typer.Option("--serve", help="Start the web app afterwards.")] = False,
) -> None:
    """Build a database from the real data if present, else from a small illustrative sample."""
    from rightstrack.demo import build_demo

    with errors_to_exit():
        db = open_database(create=True)
        folder = source or State.settings.resolved_shared_data_dir
        for summary in build_demo(db, folder, log=lambda message: console.print(message, highlight=False)):
            print_summary(summary)
    if serve_after:
        serve(None, None)


user_app = typer.Typer(
    help="Accounts: add users, list them, turn on the second factor.", no_args_is_help=True
)
app.add_typer(user_app, name="user")


@user_app.command("add")
def user_add(
    username: str,
    role: Annotated[str, typer.Option(help="admin, editor, contributor or viewer.")] = "viewer",
    display_name: Annotated[str, typer.Option(help="Name shown in the app.")] = "",
    email: Annotated[str | None, typer.Option(help="Where notices are e-mailed (optional).")] = None,
    password: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            envvar="RIGHTSTRACK_NEW_PASSWORD",
            help="Asked for when not given.",
        ),
    ] = "",
) -> None:
    """Add a user (the password is asked for, or read from RIGHTSTRACK_NEW_PASSWORD)."""
    from rightstrack.auth.accounts import create_user

    with errors_to_exit():
        db = open_database()
        user = create_user(db, username, password, role, display_name=display_name, actor="cli", email=email)
        console.print(f"user {user.username!r} added with role {user.role.value}")


@user_app.command("list")
def user_list() -> None:
    """List the users and their roles."""
    from rightstrack.auth.accounts import list_users

    with errors_to_exit():
        for user in list_users(open_database()):
            print(f"{user.username}\t{user.role.value}\t{'totp' if user.has_totp else ''}")


@user_app.command("totp")
def user_totp(username: str) -> None:
    """Turn on the second factor for a user; prints the otpauth:// URI to scan once."""
    from rightstrack.auth.accounts import enable_totp

    with errors_to_exit():
        out.print(enable_totp(open_database(), username))


@user_app.command("email")
def user_email(
    username: str, address: Annotated[str, typer.Argument(help="E-mail address; empty to stop e-mail.")]
) -> None:
    """Set where a user's notices are e-mailed (when RIGHTSTRACK_SMTP_HOST is set)."""
    from rightstrack.auth.accounts import set_email

    with errors_to_exit():
        set_email(open_database(), username, address or None, actor="cli")
        console.print(f"notices for {username!r} go to {address or 'the app only'}")


@user_app.command("unlock")
def user_unlock(username: str) -> None:
    """End the login wait that failed guesses at this name caused (strangers' or the user's own)."""
    from rightstrack.auth.accounts import unlock

    with errors_to_exit():
        unlock(open_database(), username, actor="cli")
        console.print(f"{username!r} may log in again now")


@app.command("audit")
def audit_log(
    limit: int = 50, output_format: Annotated[str, typer.Option("--format", help="table or json.")] = "table"
) -> None:
    """Show the audit log, newest first."""
    from rightstrack.auth.audit import recent

    with errors_to_exit():
        db = open_database()
        with db.read() as conn:
            events = recent(conn, limit)
        if output_format == "json":
            print(json.dumps(events, default=str, indent=2))
            return
        for e in events:
            out.print(f"{e['at']}  {e['actor'] or '-'}  {e['action']}  {e['entity']} {e['entity_id'] or ''}")


# Sub-applications register their commands on the one Typer app.
from rightstrack.engagement.cli import register_cli as _register_engagement  # noqa: E402

_register_engagement(app)
from rightstrack.defenders.cli import register_cli as _register_defenders  # noqa: E402

_register_defenders(app)
from rightstrack.classify.cli import register_cli as _register_classify  # noqa: E402

_register_classify(app)
from rightstrack.followup.cli import register_cli as _register_tracking  # noqa: E402

_register_tracking(app)
from rightstrack.followup.cycles_cli import register_cli as _register_cycles  # noqa: E402

_register_cycles(app)
from rightstrack.brief.cli import register_cli as _register_brief  # noqa: E402

_register_brief(app)
from rightstrack.cli_table import register_cli as _register_table  # noqa: E402

_register_table(import_app)


def main() -> None:
    app()
