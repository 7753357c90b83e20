"""``rightstrack link-cycles``: store "recommended again" links (thin over ``followup.cycles``).

Attached to the main app by ``register_cli(app)``; the database, settings and error translation
are the main CLI's own (imported when the command runs, since the main CLI imports this module).
"""

from __future__ import annotations

import json
from typing import Annotated

import typer


def register_cli(app: typer.Typer) -> None:
    app.command("link-cycles")(link_cycles_command)


def link_cycles_command(
    state: Annotated[
        str | None, typer.Option(help="Only recommendations to this state (alpha-3 code, e.g. USA).")
    ] = None,
    threshold: Annotated[
        float | None, typer.Option(help="Lowest text similarity that counts as the same ask (default 0.4).")
    ] = None,
    output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Link recommendations to the same ask in their state's previous cycle (manual links stay)."""
    from rightstrack.classify.similar import COUNTERPART_THRESHOLD
    from rightstrack.cli import _errors_to_exit, _open, console
    from rightstrack.followup.cycles import link_cycles, recommendation_ids_of_state

    with _errors_to_exit(json_errors=output_format == "json"):
        db = _open()
        scope = None if state is None else recommendation_ids_of_state(db, state)
        chosen = COUNTERPART_THRESHOLD if threshold is None else threshold
        summary = link_cycles(db, scope, threshold=chosen, actor="cli")
        if output_format == "json":
            print(json.dumps(summary.as_dict()))
            return
        console.print(
            f"{summary.considered} recommendations considered: {summary.added} links added, "
            f"{summary.kept} kept, {summary.removed} removed; {summary.manual} manual links left as they "
            f"were ({summary.seconds:.1f} s)",
            highlight=False,
        )
