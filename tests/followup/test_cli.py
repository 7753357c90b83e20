"""The tracking commands, end to end on one database: the city scenario typed at a terminal."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from rightstrack.cli import app
from rightstrack.store.database import Database
from tests.followup.scenario import USE_OF_FORCE_2, City, build_city

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def city(sqlite_db: Database, tmp_path: Path) -> City:
    return build_city(sqlite_db, tmp_path)


def _run(city: City, tmp_path: Path, *args: str, code: int = 0) -> str:
    url = city.db.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(
        app, ["--database-url", url, "--data-dir", str(tmp_path / "data"), "track", *args]
    )
    assert result.exit_code == code, result.output
    return result.output


def _id(output: str) -> str:
    found = re.search(r"(\d+)\s*$", output.strip())
    assert found, output
    return found.group(1)


def test_the_scenario_through_the_command_line(city: City, tmp_path: Path) -> None:
    run = lambda *a, code=0: _run(city, tmp_path, *a, code=code)  # noqa: E731
    top = _id(run("actor-add", "gotham-hrc", "City of Gotham", "--kind", "city", "--user", "analyst"))
    police = _id(
        run(
            "actor-add",
            "gotham-hrc",
            "Gotham PD",
            "--kind",
            "city_agency",
            "--parent",
            top,
            "--user",
            "analyst",
        )
    )
    rec = str(city.recommendation(USE_OF_FORCE_2))
    commitment = _id(run("take", "gotham-hrc", rec, "--actor", top, "--lead", police, "--user", "analyst"))
    run(
        "measure-add",
        "gotham-hrc",
        commitment,
        "Publish a use-of-force policy",
        "--due",
        "2026-01-10",
        "--responsible",
        "analyst",
        "--user",
        "analyst",
    )
    evidence = tmp_path / "draft.pdf"
    evidence.write_bytes(PDF)
    run("progress", "gotham-hrc", commitment, "Draft published", "--file", str(evidence), "--user", "analyst")
    run(
        "assess",
        "gotham-hrc",
        commitment,
        "fully",
        "--by-type",
        "government",
        "--by",
        "Mayor",
        "--source",
        "Statement",
        "--date",
        "2026-02-01",
        "--user",
        "analyst",
    )
    run(
        "assess",
        "gotham-hrc",
        commitment,
        "not_implemented",
        "--by-type",
        "civil_society",
        "--by",
        "Coalition",
        "--source",
        "Shadow report",
        "--date",
        "2026-02-10",
        "--user",
        "ngo",
    )
    board = run("dashboard", "gotham-hrc", "--user", "chair", "--date", "2026-02-15")
    assert "disputed" in board and "overdue" in board and "Publish a use-of-force" in board
    assert "Publish a use-of-force" not in run(
        "dashboard", "gotham-hrc", "--user", "outsider", "--date", "2026-02-15"
    )
    # Refused without the rights, with the reason
    assert "may not" in run(
        "measure-add", "gotham-hrc", commitment, "Sneak", "--due", "2026-03-01", "--user", "ngo", code=1
    )
    out = tmp_path / "midterm.docx"
    run("report", "gotham-hrc", "-o", str(out), "--user", "chair")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(out.read_bytes())).paragraphs)
    assert "Gotham Human Rights Commission" in text
    exported = run("export", "gotham-hrc", "measures", "--user", "chair")
    assert "Publish a use-of-force policy" in exported
    assert "recommendation_id" in run("template", "measures")


def test_history_delete_restore_and_purge(city: City, tmp_path: Path) -> None:
    run = lambda *a, code=0: _run(city, tmp_path, *a, code=code)  # noqa: E731
    rec = str(city.recommendation(USE_OF_FORCE_2))
    commitment = _id(run("take", "gotham-hrc", rec, "--user", "analyst"))
    measure = _id(
        run("measure-add", "gotham-hrc", commitment, "Train", "--due", "2026-01-10", "--user", "analyst")
    )
    run("delete", "gotham-hrc", "measure", measure, "--user", "analyst")
    run("restore", "gotham-hrc", "measure", measure, "--user", "analyst")
    history = run("history", "gotham-hrc", "measure", measure, "--user", "chair")
    assert [a for a in ("create", "delete", "restore") if f'"action": "{a}"' in history] == [
        "create",
        "delete",
        "restore",
    ]
    assert "0 commitment" in run("purge")
    exported = tmp_path / "measures.csv"
    exported.write_text(run("export", "gotham-hrc", "measures", "--user", "chair"), encoding="utf-8")
    assert "0 created, 1 already there" in run(
        "import", "gotham-hrc", "measures", str(exported), "--user", "analyst"
    )
    assert "field 'name'" in run("actor-add", "gotham-hrc", "X", "--user", "analyst", code=2)
    assert "not a date" in run(
        "measure-add", "gotham-hrc", commitment, "Train", "--due", "soon", "--user", "analyst", code=2
    )
