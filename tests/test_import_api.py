"""The import API: dry run, confirm, bad input with its problems, and nothing stored on failure."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from rightstrack.auth.accounts import create_user
from rightstrack.auth.roles import Role
from rightstrack.settings import load_settings
from rightstrack.store import schema
from rightstrack.store.database import Database
from rightstrack.web.app import create_app
from tests.conftest import SAMPLE_ROWS, csv_bytes

PASSWORD = "a long enough password"


@pytest.fixture
def client(db: Database, tmp_path: Path) -> TestClient:
    create_user(db, "editor", PASSWORD, Role.EDITOR)
    app = create_app(db, load_settings({"data_dir": str(tmp_path)}, environ={}))
    client = TestClient(app)
    token = client.post("/api/v1/login", json={"username": "editor", "password": PASSWORD}).json()[
        "csrf_token"
    ]
    client.headers["X-CSRF-Token"] = token
    return client


def _count(db: Database) -> int:
    with db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(schema.recommendations)).scalar_one())


def test_dry_run_then_confirm(client: TestClient, db: Database) -> None:
    assert "upr-info" in {i["name"] for i in client.get("/api/v1/importers").json()}
    upload = {"file": ("uprinfo.csv", csv_bytes(SAMPLE_ROWS), "text/csv")}
    preview = client.post("/api/v1/imports", files=upload, data={"dry_run": "true"})
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert body["summary"]["dry_run"] and body["summary"]["created"] == len(SAMPLE_ROWS)
    assert len(body["summary"]["sample"]) == min(10, len(SAMPLE_ROWS))
    assert _count(db) == 0

    done = client.post("/api/v1/imports/confirm", json={"upload": body["upload"]})
    assert done.status_code == 200 and done.json()["summary"]["created"] == len(SAMPLE_ROWS)
    again = client.post("/api/v1/imports", files=upload)
    assert again.json()["summary"]["unchanged"] == len(SAMPLE_ROWS)
    assert _count(db) == len(SAMPLE_ROWS)


def test_bad_file_gets_the_error_shape_with_its_problems(client: TestClient, db: Database) -> None:
    rows = [*SAMPLE_ROWS[:2], ("Atlantis", "France", "Do better.", "Supported", "4", "Justice", 20)]
    answer = client.post("/api/v1/imports", files={"file": ("bad.csv", csv_bytes(rows), "text/csv")})
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["error"] and "bad.csv" in problem["message"]
    assert any("Atlantis" in str(p) for p in problem["problems"])
    assert _count(db) == 0


@pytest.mark.parametrize(
    ("name", "content", "status"),
    [("notes.exe", b"MZ", 422), ("empty.csv", b"", 422)],
)
def test_refused_uploads(client: TestClient, name: str, content: bytes, status: int) -> None:
    assert client.post("/api/v1/imports", files={"file": (name, content)}).status_code == status


def test_confirm_refuses_paths_outside_the_uploads(client: TestClient) -> None:
    answer = client.post("/api/v1/imports/confirm", json={"upload": "../../etc/passwd"})
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_input"
