"""What every command-line module shares: the settings of this run, the consoles, opening the
database, and turning library errors into a message and an exit code (once, here)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from rightstrack.errors import InvalidInput, RightstrackError
from rightstrack.settings import Settings, load_settings
from rightstrack.store.database import Database

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
