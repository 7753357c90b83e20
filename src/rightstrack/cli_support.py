"""What every command-line module shares: the settings of this run, the consoles, opening the
database, and turning library errors into a message and an exit code (once, here)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from rightstrack.errors import InvalidInput, RightstrackError
from rightstrack.importing import import_file
from rightstrack.ingest.base import Importer
from rightstrack.ingest.budget import ReadBudget
from rightstrack.ingest.review_hint import ReviewHint
from rightstrack.settings import Settings, load_settings
from rightstrack.store.database import Database
from rightstrack.store.writer import ImportSummary

console = Console(stderr=True, soft_wrap=True, highlight=False)
"""Messages for people (stderr), so that stdout carries only the data asked for."""
out = Console(highlight=False, soft_wrap=True)


class State:
    """The settings of this run: defaults, RIGHTSTRACK_* variables, then the global flags."""

    settings: Settings = load_settings()


def open_database(*, create: bool = False) -> Database:
    """The configured database (created or upgraded when ``create``). With a master key in the
    environment, the audit events this command writes are MACed under it (auth/audit.py)."""
    from rightstrack.defenders.config import vault_from

    db = Database.from_settings(State.settings)
    if create:
        db.init()
    else:
        db.require_initialised()
    vault_from(db)
    return db


@contextmanager
def errors_to_exit(json_errors: bool = False) -> Iterator[None]:
    """A library error becomes its message (or the JSON error shape) and exit code 2 for bad
    input, 1 for anything else."""
    try:
        yield
    except RightstrackError as exc:
        if json_errors:
            print(json.dumps(exc.as_dict(), ensure_ascii=False))
        else:
            console.print(f"[bold red]error:[/] {exc}", markup=True, highlight=False)
        raise typer.Exit(2 if isinstance(exc, InvalidInput) else 1) from None


def print_summary(summary: ImportSummary) -> None:
    verb = "would be" if summary.dry_run else "were"
    console.print(
        f"[bold]{summary.file}[/]: {summary.rows_read} rows read; {summary.created} {verb} created, "
        f"{summary.updated} updated, {summary.unchanged} unchanged, {len(summary.skipped)} skipped "
        f"({summary.seconds:.1f} s)"
    )
    for note in summary.notes:
        console.print(f"  note: {note}", highlight=False)
    for problem in summary.skipped[:20]:
        console.print(f"  skipped: {problem}", highlight=False)
    if len(summary.skipped) > 20:
        console.print(f"  … {len(summary.skipped) - 20} more skipped rows")
    for name, count in sorted(summary.non_state_recommenders.items()):
        console.print(f"  kept as a non-state recommender: {name!r} ({count} rows)")


def print_sample(summary: ImportSummary) -> None:
    table = Table(title=f"first {len(summary.sample)} of {summary.rows_read} records as they would be stored")
    for column in ("state", "session", "paragraph", "recommenders", "response", "text"):
        table.add_column(column, overflow="fold", max_width=60 if column == "text" else None)
    for row in summary.sample:
        text = row["text"] if len(row["text"]) <= 160 else row["text"][:157] + "…"
        table.add_row(
            row["state"],
            str(row["session"] or ""),
            row["paragraph"] or "",
            ", ".join(row["recommenders"]),
            row["response"] or "",
            text,
        )
    console.print(table)


def run_imports(
    importer_name: Importer | str | None,
    files: list[Path],
    dry_run: bool,
    review_text: str | None = None,
    state: str | None = None,
) -> None:
    with errors_to_exit():
        review = ReviewHint.from_options(review_text, state)
        db = open_database(create=True)
        failed = 0
        for path in files:
            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            ) as bar:
                task = bar.add_task(f"reading {path.name}", total=None)

                def progress(done: int, total: int | None, task: Any = task, bar: Progress = bar) -> None:
                    bar.update(task, completed=done, total=total)

                try:
                    summary = import_file(
                        db,
                        path,
                        importer_name,
                        dry_run=dry_run,
                        progress=progress,
                        review=review,
                        link_cycles=bool(State.settings.link_cycles_on_import),
                        budget=ReadBudget.from_settings(State.settings),
                    )
                except RightstrackError as exc:
                    bar.stop()
                    console.print(f"[bold red]error:[/] {exc}", highlight=False)
                    failed += 1
                    continue
            print_summary(summary)
            if dry_run and summary.sample:
                print_sample(summary)
        if failed:
            raise typer.Exit(1)
