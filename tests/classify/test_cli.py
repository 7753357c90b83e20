"""``rightstrack classify train | predict | evaluate`` with the real (small) models on synthetic rows."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from rightstrack.cli import app
from tests.classify.synthetic import make_rows
from tests.conftest import csv_bytes

STATES = ("Norway", "Chile", "Ghana", "Japan", "Peru", "Spain")


def test_train_predict_evaluate(tmp_path: Path) -> None:
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, ["--data-dir", str(tmp_path / "data"), *args], catch_exceptions=False)
        return result.exit_code, result.stdout

    rows = [
        (STATES[i % len(STATES)], "Brazil", text, "Accepted", action, ",".join(issues), session)
        for i, (text, issues, action, session) in enumerate(make_rows())
    ]
    # texts nobody has tagged yet
    rows += [("Chile", "Peru", "Adopt a law on the safety of journalists.", "", "", "", 9)]
    path = tmp_path / "synthetic.csv"
    path.write_bytes(csv_bytes(rows))
    assert invoke("init")[0] == 0
    assert invoke("import", "upr-info", str(path))[0] == 0

    code, out = invoke("classify", "predict")
    assert code == 1  # no model yet

    code, out = invoke("classify", "train")
    assert code == 0, out
    models = tmp_path / "data" / "models"
    assert len(list(models.glob("issues-*.joblib"))) == 1 and len(list(models.glob("action-*.joblib"))) == 1
    assert "trained on 144 texts" in out

    code, out = invoke("classify", "predict")
    assert code == 0, out
    assert "upr_issue: 1 recommendations scored" in out

    report = tmp_path / "figures.json"
    code, out = invoke("classify", "evaluate", "--test-from", "7", "--output", str(report))
    assert code == 0, out
    for needle in ("micro-F1", "macro-F1", "accuracy", "confusion matrix", "Press", "precision"):
        assert needle in out
    figures = json.loads(report.read_text("utf-8"))
    assert figures["split"]["test"] == 37 and figures["issues"]["samples"] == 36  # one text is untagged
    assert set(figures["issues"]["per_label"]) == {"Children", "Press", "Torture", "Women"}
    assert sum(map(sum, figures["action"]["confusion_rows_truth_cols_predicted"])) == 36
