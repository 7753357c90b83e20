"""The command line, through Typer's in-process runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rightstrack.cli import app
from tests.conftest import csv_bytes


@pytest.fixture
def run(tmp_path: Path) -> object:
    runner = CliRunner()

    def invoke(*args: str) -> object:
        return runner.invoke(app, ["--data-dir", str(tmp_path / "data"), *args], catch_exceptions=False)

    return invoke


def test_init_import_search_stats_export(run: object, sample_csv: Path, tmp_path: Path) -> None:
    invoke = run  # type: ignore[assignment]
    assert invoke("init").exit_code == 0
    result = invoke("import", "upr-info", str(sample_csv))
    assert result.exit_code == 0, result.output
    assert "9 were created" in result.output
    found = invoke("search", "death penalty", "--format", "json")
    assert found.exit_code == 0
    payload = json.loads(found.stdout)
    assert payload["total"] == 1 and payload["results"][0]["state_under_review"] == "USA"
    filtered = invoke("search", "--filter", "state=USA", "-f", "response=noted", "--format", "csv")
    assert filtered.stdout.count("\n") == 3  # header + 2 rows
    table = invoke("search", "torture", "--facets")
    assert "Brazil" not in table.stdout or "BRA" in table.stdout
    stats = json.loads(invoke("stats", "--format", "json").stdout)
    assert stats["recommendations"] == 9 and stats["by_response"] == {"supported": 5, "noted": 4}
    out = tmp_path / "all.xlsx"
    assert invoke("export", "--format", "xlsx", "-o", str(out)).exit_code == 0
    assert out.stat().st_size > 0


def test_import_errors_exit_nonzero_and_keep_going(run: object, sample_csv: Path, tmp_path: Path) -> None:
    invoke = run  # type: ignore[assignment]
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([("Atlantis", "France", "x", "Accepted", "4", "General", 2)]))
    result = invoke("import", "upr-info", str(bad), str(sample_csv))
    assert result.exit_code == 1
    assert "bad.csv" in result.output and "line 2" in result.output and "'To'" in result.output
    assert "9 were created" in result.output


def test_import_auto_recognises_the_format(run: object, sample_csv: Path) -> None:
    invoke = run  # type: ignore[assignment]
    result = invoke("import", "auto", "--dry-run", str(sample_csv))
    assert result.exit_code == 0 and "9 would be created" in result.output


def test_bad_filter_and_uninitialised_database(run: object) -> None:
    invoke = run  # type: ignore[assignment]
    missing = invoke("search", "x")
    assert missing.exit_code == 1 and "rightstrack init" in missing.output
    invoke("init")
    bad = invoke("search", "--filter", "nonsense", "--format", "json")
    assert bad.exit_code == 2
    assert json.loads(bad.stdout)["error"] == "invalid_input"


def test_demo_without_real_data_loads_the_labelled_sample(run: object, tmp_path: Path) -> None:
    invoke = run  # type: ignore[assignment]
    result = invoke("demo", "--source", str(tmp_path / "nothing-here"))
    assert result.exit_code == 0, result.output
    assert "ILLUSTRATIVE" in result.output
    found = json.loads(invoke("search", "--format", "json").stdout)
    assert found["total"] == 12
    assert all(r["text"].startswith("[ILLUSTRATIVE]") for r in found["results"])


def test_users_and_audit(run: object) -> None:
    invoke = run  # type: ignore[assignment]
    invoke("init")
    added = invoke("user", "add", "ana", "--role", "editor", "--password", "a long password here")
    assert added.exit_code == 0, added.output
    assert "ana\teditor" in invoke("user", "list").stdout
    assert invoke("user", "add", "ana", "--password", "a long password here").exit_code == 1
    assert invoke("user", "totp", "ana").stdout.startswith("otpauth://")
    events = json.loads(invoke("audit", "--format", "json").stdout)
    assert [e["action"] for e in events] == ["enable totp", "create"]
