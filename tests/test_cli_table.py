"""``rightstrack import table`` and ``import mappings`` through Typer's in-process runner."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rightstrack.cli import app
from tests.test_import_table import HEADINGS, MAP, ROWS, write_csv

Invoke = Callable[..., Any]


@pytest.fixture
def invoke(tmp_path: Path) -> Invoke:
    runner = CliRunner()

    def run(*args: str) -> Any:
        return runner.invoke(app, ["--data-dir", str(tmp_path / "data"), *args], catch_exceptions=False)

    return run


def _total(invoke: Invoke) -> int:
    return int(json.loads(invoke("search", "--format", "json").stdout)["total"])


def test_import_table_with_map_save_and_reuse(invoke: Invoke, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "matrice.csv", (HEADINGS, *ROWS), "cp1252", ";")
    maps = [arg for pair in MAP for arg in ("--map", pair)]
    dry = invoke("import", "table", str(path), *maps, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "3 would be created" in dry.output and "SEN" in dry.output
    assert _total(invoke) == 0
    done = invoke("import", "table", str(path), *maps, "--save-mapping", "NHRI matrix")
    assert done.exit_code == 0, done.output
    assert "3 were created" in done.output and "mapping saved as 'NHRI matrix'" in done.output
    listed = invoke("import", "mappings")
    assert "NHRI matrix" in listed.stdout and "text=Texte de la recommandation" in listed.stdout
    again = invoke("import", "table", str(path), "--mapping", "NHRI matrix")
    assert "0 were created, 0 updated, 3 unchanged" in again.output
    assert _total(invoke) == 3
    assert invoke("import", "mappings", "--delete", "NHRI matrix").exit_code == 0
    assert "NHRI matrix" not in invoke("import", "mappings").stdout


def test_bad_rows_and_missing_columns_exit_nonzero(invoke: Invoke, tmp_path: Path) -> None:
    bad = write_csv(tmp_path / "bad.csv", (HEADINGS, (*ROWS[0][:4], "perhaps", *ROWS[0][5:])))
    result = invoke("import", "table", str(bad), *[a for p in MAP for a in ("--map", p)])
    assert result.exit_code == 1
    assert "line 2, field 'Position': unknown response" in result.output
    missing = invoke("import", "table", str(bad), "--map", "text=Recommendation", "--state", "Chad")
    assert missing.exit_code == 1 and "its columns are: Réf., Pays examiné" in missing.output
    assert invoke("import", "mappings", "--delete", "nothing").exit_code == 1


def test_template_imports_without_map(invoke: Invoke, tmp_path: Path) -> None:
    template = tmp_path / "template.csv"
    assert invoke("import", "table", "--template", str(template)).exit_code == 0
    headings = template.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    row = ["Ratify the CRPD." if h == "Recommendation" else "" for h in headings]
    write_csv(template, (tuple(headings), tuple(row)))
    result = invoke("import", "table", str(template), "--state", "Chad")
    assert result.exit_code == 0, result.output
    assert "1 were created" in result.output
