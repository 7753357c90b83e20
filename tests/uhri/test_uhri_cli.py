"""`rightstrack import uhri` and `import auto` through Typer's in-process runner (SQLite)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from rightstrack.cli import app
from tests.uhri.fixtures import TREATY_ROW, UPR_ROW, write_csv, write_xlsx


def test_import_uhri_then_auto_then_search_by_body(tmp_path: Path) -> None:
    runner = CliRunner()

    def invoke(*args: str) -> str:
        result = runner.invoke(app, ["--data-dir", str(tmp_path / "data"), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.stdout
        return result.stdout

    invoke("init")
    invoke("import", "uhri", str(write_xlsx(tmp_path / "export.xlsx")))
    invoke("import", "auto", str(write_csv(tmp_path / "again.csv", [UPR_ROW, TREATY_ROW])))
    found = json.loads(invoke("search", "-f", "body=CCPR", "--format", "json"))
    assert [r["mechanism_kind"] for r in found["results"]] == ["treaty body"]
    assert json.loads(invoke("search", "--format", "json"))["total"] == 5  # the CSV added nothing
    bad = runner.invoke(
        app,
        [
            "--data-dir",
            str(tmp_path / "data"),
            "import",
            "uhri",
            str(write_csv(tmp_path / "bad.csv", [{**UPR_ROW, "Countries Concerned": "- Atlantis"}])),
        ],
    )
    assert bad.exit_code == 1 and "Countries Concerned" in bad.output and "line 2" in bad.output
