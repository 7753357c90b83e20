"""``rightstrack treaties …``, ``rightstrack events …`` and ``rightstrack timeline``: thin commands.

Attached to the main app by ``register_cli(app)``; the database and error translation are the main
CLI's own (imported when a command runs, since the main CLI imports this module).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from rightstrack.engagement import compare, events, timeline
from rightstrack.engagement.instruments import get_instrument
from rightstrack.engagement.reservations import reservations_template
from rightstrack.engagement.treaty_store import import_treaty_file
from rightstrack.errors import InvalidInput, RightstrackError
from rightstrack.store.database import Database

treaties_app = typer.Typer(
    help="Treaty ratification status: import, per state, compare, rank.", no_args_is_help=True
)
events_app = typer.Typer(
    help="Engagement events (HRC terms, withdrawals, visits…), always cited.", no_args_is_help=True
)
FormatOption = Annotated[str, typer.Option("--format", help="table, json or csv.")]


def register_cli(app: typer.Typer) -> None:
    app.add_typer(treaties_app, name="treaties")
    app.add_typer(events_app, name="events")
    app.command("timeline")(timeline_command)


def _run(fmt: str, work: Callable[[Database], None], *, create: bool = False) -> None:
    from rightstrack.cli_support import errors_to_exit, open_database

    with errors_to_exit(json_errors=fmt == "json"):
        if fmt not in {"table", "json", "csv"}:
            raise InvalidInput(f"unknown format {fmt!r}; choose table, json or csv")
        work(open_database(create=create))


def _emit(fmt: str, data: Any, rows: Sequence[dict[str, Any]], columns: Sequence[str], title: str) -> None:
    from rightstrack.cli_support import out

    if fmt == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(cells)
        return
    table = Table(title=title)
    for column in columns:
        table.add_column(column, overflow="fold")
    for line in cells:
        table.add_row(*line)
    out.print(table)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    return str(value)


@treaties_app.command("import")
def treaties_import(
    files: Annotated[list[Path], typer.Argument(help="hr_status_*.csv tables or OHCHR .xls exports.")],
    importer: Annotated[
        str | None, typer.Option(help="hr-status or ohchr-export (default: recognised).")
    ] = None,
    instrument: Annotated[
        str | None, typer.Option(help="Instrument code, when the file does not say.")
    ] = None,
) -> None:
    """Import treaty-status files, one transaction each; later, more precise sources win."""
    from rightstrack.cli_support import console

    def work(db: Database) -> None:
        chosen = get_instrument(instrument) if instrument else None
        failed = 0
        for path in files:
            try:
                s = import_treaty_file(db, path, importer, chosen)
            except RightstrackError as exc:
                console.print(f"[bold red]error:[/] {exc}", highlight=False)
                failed += 1
                continue
            console.print(
                f"[bold]{path}[/]: {', '.join(s.instruments)} as of {s.as_of}: {s.rows_read} rows; "
                f"{s.created} facts created, {s.updated} updated, {s.unchanged} unchanged; "
                f"{s.statuses_changed} statuses changed",
                highlight=False,
            )
            for note in s.notes:
                console.print(f"  note: {note}", highlight=False)
        if failed:
            raise typer.Exit(1)

    _run("table", work, create=True)


@treaties_app.command("status")
def treaties_status(state: str, output_format: FormatOption = "table") -> None:
    """One state's status for each of the 18 instruments."""

    def work(db: Database) -> None:
        with db.read() as conn:
            data = compare.state_treaties(conn, state)
        columns = (
            "instrument",
            "status",
            "signature",
            "consent",
            "consent_precision",
            "complaints",
            "inquiry",
        )
        title = f"{data['name']}: party to {data['party_count']} of {data['total']}"
        _emit(output_format, data, data["instruments"], columns, title)

    _run(output_format, work)


@treaties_app.command("compare")
def treaties_compare(
    states: Annotated[list[str], typer.Argument(help="States (alpha-3), e.g. USA CHN RUS SAU IRN.")],
    output_format: FormatOption = "table",
) -> None:
    """States side by side: how many instruments each is party to and which it lacks."""

    def work(db: Database) -> None:
        with db.read() as conn:
            data = compare.compare_states(conn, states)
        columns = ("alpha3", "name", "party_count", "lacks")
        _emit(output_format, data, data["states"], columns, "party to how many of the 18 instruments")

    _run(output_format, work)


@treaties_app.command("ranking")
def treaties_ranking(
    group: Annotated[str | None, typer.Option(help="Only one regional group (African, WEOG…).")] = None,
    limit: Annotated[int, typer.Option(help="Rows shown in table format (0: all).")] = 0,
    output_format: FormatOption = "table",
) -> None:
    """States ranked by the number of instruments they are party to."""

    def work(db: Database) -> None:
        with db.read() as conn:
            rows = compare.ranking(conn, group=group)
        shown = rows[:limit] if limit and output_format == "table" else rows
        _emit(
            output_format, rows, shown, ("rank", "alpha3", "name", "regional_group", "party_count"), "ranking"
        )

    _run(output_format, work)


@treaties_app.command("export")
def treaties_export(output_format: FormatOption = "csv") -> None:
    """Every state's status for every instrument, one row each (csv or json)."""

    def work(db: Database) -> None:
        with db.read() as conn:
            rows = compare.status_rows(conn)
        _emit(output_format, rows, rows, compare.STATUS_COLUMNS, "treaty status")

    _run(output_format, work)


@treaties_app.command("template")
def treaties_template() -> None:
    """Print the CSV template for reservations and declarations (import it with ``treaties import``)."""
    sys.stdout.write(reservations_template())


@treaties_app.command("counts")
def treaties_counts(output_format: FormatOption = "table") -> None:
    """Per instrument: parties, signatories, no action, unknown."""

    def work(db: Database) -> None:
        with db.read() as conn:
            rows = compare.instrument_counts(conn)
        columns = ("instrument", "party", "signatory", "no_action", "denounced", "unknown")
        _emit(output_format, rows, rows, columns, "states per status")

    _run(output_format, work)


@treaties_app.command("regions")
def treaties_regions(output_format: FormatOption = "table") -> None:
    """Statistics by UN regional group."""

    def work(db: Database) -> None:
        with db.read() as conn:
            rows = compare.regional_stats(conn)
        columns = ("regional_group", "states", "mean_parties", "median_parties", "min_parties", "max_parties")
        _emit(output_format, rows, rows, columns, "parties by regional group")

    _run(output_format, work)


@events_app.command("add")
def events_add(
    state: str,
    kind: Annotated[str, typer.Argument(help=", ".join(k.value for k in events.EventKind))],
    date: Annotated[str, typer.Argument(help="YYYY, YYYY-MM or YYYY-MM-DD.")],
    citation: Annotated[str, typer.Option(help="Where this is documented (required).")],
    description: Annotated[str, typer.Option(help="What happened.")] = "",
    end_date: Annotated[str | None, typer.Option(help="End (for terms).")] = None,
    target: Annotated[str | None, typer.Option(help="HRC, UNESCO, OHCHR, ICC, an instrument…")] = None,
    amount_usd: Annotated[float | None, typer.Option(help="Amount, for contributions.")] = None,
    url: Annotated[str | None, typer.Option(help="Link to the source.")] = None,
    output_format: FormatOption = "table",
) -> None:
    """Record one engagement event."""

    def work(db: Database) -> None:
        stored = events.add_event(
            db,
            state,
            kind,
            date,
            citation=citation,
            description=description,
            end_date=end_date,
            target=target,
            amount_usd=amount_usd,
            url=url,
        )
        _emit(
            output_format, stored, [stored], ("id", "state", "kind", "date", "target", "citation"), "stored"
        )

    _run(output_format, work)


@events_app.command("import")
def events_import(file: Path) -> None:
    """Import events from a CSV in the template's shape (all rows checked before any is stored)."""
    from rightstrack.cli_support import console

    def work(db: Database) -> None:
        counts = events.import_events_csv(db, file)
        console.print(f"{file}: {counts['created']} events created, {counts['unchanged']} already known")

    _run("table", work)


@events_app.command("template")
def events_template() -> None:
    """Print the CSV template for ``events import``."""
    sys.stdout.write(events.events_template())


@events_app.command("list")
def events_list(
    state: Annotated[str | None, typer.Option(help="Only this state.")] = None,
    kind: Annotated[str | None, typer.Option(help="Only this kind.")] = None,
    output_format: FormatOption = "table",
) -> None:
    """List recorded events."""

    def work(db: Database) -> None:
        with db.read() as conn:
            rows = events.list_events(conn, state, kind)
        _emit(
            output_format,
            rows,
            rows,
            ("id", "state", "kind", "date", "end_date", "target", "citation"),
            "events",
        )

    _run(output_format, work)


def timeline_command(state: str, output_format: FormatOption = "table") -> None:
    """A state's reviews, treaty actions and events in date order."""

    def work(db: Database) -> None:
        with db.read() as conn:
            data = timeline.state_timeline(conn, state)
        _emit(output_format, data, data["entries"], ("date", "precision", "type", "title"), data["name"])

    _run(output_format, work)
