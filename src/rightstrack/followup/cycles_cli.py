"""``rightstrack link-cycles``, ``link-add`` and ``link-remove``: the "recommended again" links, by
the model and by hand (thin over ``followup.cycles``).

Attached to the main app by ``register_cli(app)``; the database, settings and error translation
are the main CLI's own (imported when the command runs, since the main CLI imports this module).
"""

from __future__ import annotations

import json
from typing import Annotated

import typer


def register_cli(app: typer.Typer) -> None:
    app.command("link-cycles")(link_cycles_command)
    app.command("link-add")(link_add_command)
    app.command("link-remove")(link_remove_command)


Later = Annotated[int, typer.Argument(help="Id of the later recommendation (the one that repeats).")]
Earlier = Annotated[int, typer.Argument(help="Id of the earlier recommendation (the one repeated).")]


def link_add_command(later: Later, earlier: Earlier) -> None:
    """Record by hand that LATER repeats EARLIER (same state, an earlier cycle); the model keeps it."""
    from rightstrack.cli_support import console, errors_to_exit, open_database
    from rightstrack.followup.cycles import add_manual_link

    with errors_to_exit():
        add_manual_link(open_database(), later, earlier, actor="cli")
        console.print(f"Linked: recommendation {later} repeats {earlier}.", highlight=False)


def link_remove_command(later: Later, earlier: Earlier) -> None:
    """Say that LATER does not repeat EARLIER: the link goes, and the model will not add it again."""
    from rightstrack.cli_support import console, errors_to_exit, open_database
    from rightstrack.followup.cycles import remove_link

    with errors_to_exit():
        remove_link(open_database(), later, earlier, actor="cli")
        console.print(
            f"Recommendation {later} no longer linked to {earlier} (marked: not a repeat).", highlight=False
        )


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
    from rightstrack.cli_support import console, errors_to_exit, open_database
    from rightstrack.followup.cycles import link_cycles, recommendation_ids_of_state

    with errors_to_exit(json_errors=output_format == "json"):
        db = open_database()
        scope = None if state is None else recommendation_ids_of_state(db, state)
        chosen = COUNTERPART_THRESHOLD if threshold is None else threshold
        summary = link_cycles(db, scope, threshold=chosen, actor="cli")
        if output_format == "json":
            print(json.dumps(summary.as_dict()))
            return
        console.print(
            f"{summary.considered} recommendations considered: {summary.added} links added, "
            f"{summary.kept} kept, {summary.removed} removed; {summary.manual} manual links left as they "
            f"were, {summary.rejected} pairs marked not a repeat left out ({summary.seconds:.1f} s)",
            highlight=False,
        )
