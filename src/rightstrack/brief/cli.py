"""``rightstrack brief STATE …``: draft an advocacy brief, write it out, or save it in a workspace."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from rightstrack.brief.model import Brief, BriefCreate, BriefRequest
from rightstrack.brief.render import RENDERERS
from rightstrack.cli_support import State, console, errors_to_exit, open_database
from rightstrack.errors import InvalidInput
from rightstrack.followup.model import Visibility, invalid_input
from rightstrack.store.database import Database

Many = Annotated[list[str] | None, typer.Option()]


def register_cli(app: typer.Typer) -> None:
    app.command("brief")(brief_command)


def _split(values: list[str] | None) -> list[str]:
    """Repeated options, each possibly a comma-separated list: --compare CHN,RUS --compare SAU."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def brief_command(
    state: Annotated[str, typer.Argument(help="The state (ISO alpha-3 code or name).")],
    theme: Annotated[
        list[str] | None, typer.Option(help="A UPR Info issue or UHRI theme (repeat for any of several).")
    ] = None,
    query: Annotated[str, typer.Option(help="Only recommendations matching this search.")] = "",
    since: Annotated[int | None, typer.Option(help="Only reviews and events from this year on.")] = None,
    compare: Annotated[
        list[str] | None, typer.Option(help="Peers for the treaty comparison (repeat, or CHN,RUS).")
    ] = None,
    lang: Annotated[str, typer.Option(help="en, fr or es.")] = "en",
    asks: Annotated[int, typer.Option(help="Repeated asks named and recommendations put forward.")] = 5,
    output_format: Annotated[str, typer.Option("--format", help="md, json, docx or pdf.")] = "md",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write.")] = None,
    save: Annotated[str | None, typer.Option(help="Save the draft in this workspace (its slug).")] = None,
    title: Annotated[str | None, typer.Option(help="Title of the saved brief.")] = None,
    user: Annotated[str | None, typer.Option("--user", help="Act as this user (to save).")] = None,
) -> None:
    """Draft an advocacy brief (Issue, Talking points, Recommendations), every point cited."""
    from rightstrack.brief.draft import draft_brief

    with errors_to_exit(json_errors=output_format == "json"):
        try:
            request = BriefRequest(
                state=state,
                themes=_split(theme),
                query=query,
                since=since,
                compare=_split(compare),
                lang=lang,
                asks=asks,
            )
        except ValidationError as exc:
            raise invalid_input(exc, "the brief cannot be drafted as asked") from None
        db = open_database()
        brief = draft_brief(db, request)
        if save:
            _save(db, brief, save, title, user)
        _write(brief, output_format, output)


def _save(db: Database, brief: Brief, workspace: str, title: str | None, username: str | None) -> None:
    from rightstrack.auth.accounts import find_user
    from rightstrack.brief.saved import create_brief

    data = BriefCreate(
        workspace=workspace,
        title=title or brief.title,
        request=brief.request,
        points=brief.points,
        visibility=Visibility.PRIVATE,
    )
    brief_id = create_brief(db, find_user(db, username) if username else None, data)
    console.print(f"saved as brief {brief_id} in workspace {workspace} (private until published)")


def _write(brief: Brief, fmt: str, output: Path | None) -> None:
    from rightstrack.brief.render import render

    if fmt not in ("json", *RENDERERS):
        raise InvalidInput(f"unknown format {fmt!r}; choose json, {', '.join(RENDERERS)}")
    if fmt in ("docx", "pdf") and output is None:
        raise InvalidInput(f"a {fmt} file is written with --output FILE")
    if fmt == "json":
        data = brief.model_dump_json(indent=2).encode("utf-8")
    else:
        data = render(brief, fmt, base_url=str(State.settings.base_url))
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    output.write_bytes(data)
    console.print(f"brief written to {output} ({len(brief.points)} points)")
