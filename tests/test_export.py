"""Exports: the documented JSON record shape, CSV and XLSX."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from rightstrack.errors import InvalidInput
from rightstrack.importing import import_file
from rightstrack.report.export import write_export
from rightstrack.store.database import Database
from rightstrack.store.search import SearchRequest

# The contract other tools rely on (docs/EXPORT-FORMAT.md).
REQUIRED_FIELDS = {
    "id",
    "state_under_review",
    "mechanism",
    "cycle",
    "session",
    "paragraph",
    "text",
    "recommending_states",
    "response",
    "source_document",
    "tags",
}


@pytest.fixture
def loaded(db: Database, sample_csv: Path) -> Database:
    import_file(db, sample_csv, "upr-info")
    return db


def test_json_shape(loaded: Database) -> None:
    buffer = io.StringIO()
    assert write_export(loaded, "json", buffer) == 9
    records = json.loads(buffer.getvalue())
    assert len(records) == 9
    for record in records:
        assert set(record) >= REQUIRED_FIELDS
        assert isinstance(record["recommending_states"], list)
        for family, tags in record["tags"].items():
            assert family in {"upr_issue", "upr_action"}
            assert all(set(t) == {"name", "provenance", "confidence", "source"} for t in tags)
            assert {t["source"] for t in tags} == {"UPR Info"}  # who assigned an imported tag (0007)
    child = next(r for r in records if "Rights of the Child" in r["text"])
    assert child["state_under_review"] == "USA" and child["mechanism"] == "UPR"
    assert child["recommending_states"] == ["RUS"] and child["source_document"] == "sample.csv"


def test_json_export_of_a_search(loaded: Database) -> None:
    buffer = io.StringIO()
    count = write_export(loaded, "json", buffer, SearchRequest(filters={"response": ["noted"]}))
    assert count == 4
    assert {r["response"] for r in json.loads(buffer.getvalue())} == {"noted"}


def test_csv_flattens_lists_and_tags(loaded: Database) -> None:
    buffer = io.StringIO()
    write_export(loaded, "csv", buffer, SearchRequest(q="defenders"))
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert len(rows) == 1
    assert rows[0]["recommending_states"] == "NOR"
    assert rows[0]["tags_upr_issue"] == "Detention; Human rights defenders; Women's rights"


def test_xlsx(loaded: Database, tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    assert write_export(loaded, "xlsx", path) == 9
    sheet = load_workbook(path).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 10 and "text" in rows[0]


def test_unknown_format(loaded: Database) -> None:
    with pytest.raises(InvalidInput, match="unknown export format"):
        write_export(loaded, "pdf", io.StringIO())
