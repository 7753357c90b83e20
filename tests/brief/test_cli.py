"""``rightstrack brief``: a draft on stdout, as JSON, as a file, saved in a workspace; bad options
refused with the field named."""

from __future__ import annotations

import json
from pathlib import Path

import docx
from typer.testing import CliRunner

from rightstrack.brief.saved import list_briefs
from rightstrack.cli import app
from tests.brief.world import WOMEN, World


def _run(world: World, tmp_path: Path, *args: str, code: int = 0) -> str:
    url = world.db.url.render_as_string(hide_password=False)
    # The defenders' figures are audited, and the audit log is keyed: as any audited command, a brief
    # needs the master key.
    result = CliRunner().invoke(
        app,
        ["--database-url", url, "--data-dir", str(tmp_path / "data"), "brief", *args],
        env={"RIGHTSTRACK_KEY_FILE": str(world.key_file)},
    )
    assert result.exit_code == code, result.output
    return result.output


def test_brief_from_the_command_line(world: World, tmp_path: Path) -> None:
    markdown = _run(world, tmp_path, "CHL", "--theme", WOMEN, "--compare", "USA,CHN", "--compare", "RUS")
    assert markdown.startswith("# Chile: “Women's rights”") and "fewer than" not in markdown
    assert "That is more than the United States (1) or China (1)." in markdown and "Russia (2)" in markdown
    drafted = json.loads(_run(world, tmp_path, "USA", "--format", "json", "--lang", "es", "--asks", "1"))
    assert drafted["request"]["lang"] == "es" and len([p for p in drafted["points"] if p["quote"]]) == 1
    target = tmp_path / "brief.docx"
    _run(world, tmp_path, "CHL", "--format", "docx", "--output", str(target))
    assert "Recommendations" in [p.text for p in docx.Document(str(target)).paragraphs]
    saved = _run(world, tmp_path, "CHL", "--theme", WOMEN, "--save", world.slug, "--user", "contributor")
    assert "saved as brief 1 in workspace chile-watch (private until published)" in saved
    with world.db.read() as conn:
        assert [b["title"] for b in list_briefs(conn, world.users["viewer"])] == ["Chile: “Women's rights”"]

    assert "a pdf file is written with --output FILE" in _run(
        world, tmp_path, "CHL", "--format", "pdf", code=2
    )
    assert "field 'lang'" in _run(world, tmp_path, "CHL", "--lang", "de", code=2)
    assert "Log in first." in _run(world, tmp_path, "CHL", "--save", world.slug, code=1)
    refused = json.loads(_run(world, tmp_path, "Atlantis", "--format", "json", code=1))
    assert refused["error"] == "not_found"
