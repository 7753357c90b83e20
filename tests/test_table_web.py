"""The import page's table path (upload → column picker → preview → import) and its API, in process."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from rightstrack.store import schema
from rightstrack.store.database import Database
from rightstrack.store.table_mappings import list_mappings, load_mapping
from tests import test_import_api
from tests.test_import_table import HEADINGS, ROWS, write_csv

client = test_import_api.client  # the editor's logged-in client, as the import API's tests have it


def _count(db: Database) -> int:
    with db.read() as conn:
        return int(conn.scalar(select(func.count()).select_from(schema.recommendations)) or 0)


def _hidden(html: str, name: str) -> str:
    return html.split(f'name="{name}" value="', 1)[1].split('"', 1)[0]


def _csv(tmp_path: Path, rows: tuple[tuple[str, ...], ...] = ROWS) -> bytes:
    return write_csv(tmp_path / "m.csv", (HEADINGS, *rows), "cp1252", ";").read_bytes()


def test_pick_preview_import_and_save(client: TestClient, db: Database, tmp_path: Path) -> None:
    token = client.headers["X-CSRF-Token"]
    page = client.get("/import")
    assert "A table with my own columns" in page.text and 'action="/import/table"' in page.text
    picker = client.post(
        "/import/table",
        data={"csrf_token": token},
        files={"file": ("matrice.csv", _csv(tmp_path), "text/csv")},
    )
    # The headings are guessed (text, state, recommenders …) and the preview comes at once.
    assert picker.status_code == 200, picker.text
    assert '<option value="Pays examiné" selected>' in picker.text and "SEN" in picker.text
    upload = _hidden(picker.text, "upload")
    form = {"csrf_token": token, "upload": upload, "col_text": "Texte de la recommandation"}
    # Without the state, the picker says so at its top, linked to the state's select.
    refused = client.post("/import/table/preview", data=form)
    assert refused.status_code == 422 and 'href="#table-col_state"' in refused.text
    form |= {
        "col_state": "Pays examiné",
        "col_recommending_states": "Recommandé par",
        "col_response": "Position",
    }
    form |= {"col_tag_upr_issue": "Thème", "col_date": "Année", "col_paragraph": "Réf.", "save_as": "Matrice"}
    preview = client.post("/import/table/preview", data=form)
    assert preview.status_code == 200, preview.text
    assert "Preview: nothing is stored yet" in preview.text and "KOR, DEU" in preview.text
    assert _count(db) == 0
    mapping = _hidden(preview.text, "mapping").replace("&#34;", '"')
    done = client.post(
        "/import/table/confirm",
        data={"csrf_token": token, "upload": upload, "mapping": mapping, "save_as": "Matrice"},
    )
    assert done.status_code == 200 and "Imported" in done.text
    assert _count(db) == 3
    assert load_mapping(db, "Matrice").mapping.columns["state"] == "Pays examiné"
    # Next time the saved mapping fills the picker, and the preview comes at once.
    again = client.post(
        "/import/table",
        data={"csrf_token": token, "saved": "Matrice"},
        files={"file": ("matrice.csv", _csv(tmp_path), "text/csv")},
    )
    assert again.status_code == 200 and '<option value="Pays examiné" selected>' in again.text
    assert "120.3" in again.text  # the saved mapping's paragraph column, which no guess found


def test_bad_rows_are_listed_by_line_and_heading(client: TestClient, db: Database, tmp_path: Path) -> None:
    token = client.headers["X-CSRF-Token"]
    bad = (*ROWS, ("1", "Senegal", "France", "Do it.", "maybe", "", "soon"))
    picker = client.post(
        "/import/table",
        data={"csrf_token": token},
        files={"file": ("bad.csv", _csv(tmp_path, bad), "text/csv")},
    )
    form = {
        "csrf_token": token,
        "upload": _hidden(picker.text, "upload"),
        "col_text": "Texte de la recommandation",
    }
    form |= {"col_state": "Pays examiné", "col_response": "Position", "col_date": "Année"}
    answer = client.post("/import/table/preview", data=form)
    assert answer.status_code == 422
    assert "bad.csv, line 5, Position: unknown response" in answer.text
    assert "bad.csv, line 5, Année: not a date" in answer.text
    assert "/tmp" not in answer.text and 'name="mapping"' not in answer.text
    assert _count(db) == 0


def test_refused_upload_comes_back_to_the_import_page(client: TestClient) -> None:
    token = client.headers["X-CSRF-Token"]
    answer = client.post(
        "/import/table",
        data={"csrf_token": token},
        files={"file": ("notes.exe", b"MZ", "application/octet-stream")},
    )
    assert answer.status_code == 422 and "table-upload-errors" in answer.text


def test_api_imports_a_table_and_keeps_mappings(client: TestClient, db: Database, tmp_path: Path) -> None:
    columns = {
        "text": "Texte de la recommandation",
        "state": "Pays examiné",
        "recommending_states": "Recommandé par",
    }
    upload = {"file": ("m.csv", _csv(tmp_path), "text/csv")}
    data = {"mapping": json.dumps({"columns": columns}), "dry_run": "true", "save_as": "api"}
    dry = client.post("/api/v1/imports/table", files=upload, data=data)
    assert dry.status_code == 200, dry.text
    assert dry.json()["summary"]["created"] == 3 and _count(db) == 0
    assert [m["name"] for m in client.get("/api/v1/table-mappings").json()] == ["api"]
    done = client.post("/api/v1/imports/table", files=upload, data={"saved": "api"})
    assert done.json()["summary"]["created"] == 3 and _count(db) == 3
    missing = client.post(
        "/api/v1/imports/table", files=upload, data={"mapping": '{"columns": {"text": "Nope"}}'}
    )
    assert missing.status_code == 422
    assert "Pays examiné" in missing.json()["message"]
    put = client.put("/api/v1/table-mappings/other", json={"columns": {"text": "T"}, "state": "Chad"})
    assert put.status_code == 200 and put.json()["mapping"]["state"] == "Chad"
    assert client.delete("/api/v1/table-mappings/other").status_code == 200
    assert [m.name for m in list_mappings(db)] == ["api"]
    assert client.delete("/api/v1/table-mappings/other").status_code == 404
