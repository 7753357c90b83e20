"""``rightstrack import table`` and ``import mappings``: tables people keep themselves, through a
column mapping (given with --map, saved by name, or the template's own headings)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rightstrack.cli_support import console, errors_to_exit, open_database, out, run_imports
from rightstrack.errors import InvalidInput
from rightstrack.ingest.table import TableImporter, write_template
from rightstrack.ingest.table_mapping import TableMapping
from rightstrack.store.table_mappings import (
    delete_mapping,
    list_mappings,
    mapping_for,
    mapping_name,
    save_mapping,
)

MapOption = Annotated[
    list[str] | None,
    typer.Option(
        "--map",
        help="FIELD=COLUMN (repeatable): text, state, recommending_states, mechanism, symbol, paragraph, "
        "date, session, cycle, response, tag:<family> (upr_issue, uhri_theme, sdg …).",
    ),
]


def table(
    file: Annotated[Path | None, typer.Argument(help="The table to import (.csv or .xlsx).")] = None,
    columns: MapOption = None,
    state: Annotated[str | None, typer.Option(help="The state under review of every row.")] = None,
    sheet: Annotated[str | None, typer.Option(help="The XLSX sheet to read (default: the first).")] = None,
    mapping: Annotated[str | None, typer.Option(help="Start from the mapping saved under this name.")] = None,
    save_mapping_as: Annotated[
        str | None,
        typer.Option("--save-mapping", help="Save the mapping under this name once the import works."),
    ] = None,
    dry_run: Annotated[bool, typer.Option(help="Show what would be stored; store nothing.")] = False,
    template: Annotated[
        Path | None, typer.Option(help="Write an empty template (.csv or .xlsx) that imports without --map.")
    ] = None,
) -> None:
    """Import a table with your own column headings (CSV or XLSX), through a column mapping."""
    with errors_to_exit():
        if template is not None:
            write_template(template)
            console.print(f"template written to {template}; filled in, it imports without --map")
            return
        if file is None:
            raise InvalidInput("name the table to import (or --template FILE to write a template)")
        if save_mapping_as:
            mapping_name(save_mapping_as)
        given = TableMapping.from_pairs(columns or [], state, sheet)
        chosen = mapping_for(open_database(create=True), mapping, given)
    run_imports(TableImporter(chosen), [file], dry_run)
    if save_mapping_as:
        with errors_to_exit():
            save_mapping(open_database(), save_mapping_as, chosen, actor="cli")
            console.print(f"mapping saved as {save_mapping_as!r}")


def mappings(
    delete: Annotated[str | None, typer.Option(help="Delete the mapping saved under this name.")] = None,
) -> None:
    """List the saved table mappings (or delete one)."""
    with errors_to_exit():
        db = open_database()
        if delete:
            delete_mapping(db, delete)
            console.print(f"mapping {delete!r} deleted")
            return
        for saved in list_mappings(db):
            columns = ", ".join(f"{code}={heading}" for code, heading in saved.mapping.columns.items())
            extra = f" state={saved.mapping.state}" if saved.mapping.state else ""
            out.print(f"{saved.name}\t{columns}{extra}", markup=False)


def register_cli(import_app: typer.Typer) -> None:
    import_app.command("table")(table)
    import_app.command("mappings")(mappings)
