"""A UHRI export uploaded through the import API: a dry run with its sample, then the import."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from rightstrack.auth.accounts import create_user
from rightstrack.auth.roles import Role
from rightstrack.settings import load_settings
from rightstrack.store.database import Database
from rightstrack.web.app import create_app
from tests.uhri.fixtures import write_xlsx

PASSWORD = "a long enough password"


def test_upload_dry_run_then_confirm(db: Database, tmp_path: Path) -> None:
    create_user(db, "editor", PASSWORD, Role.EDITOR)
    client = TestClient(create_app(db, load_settings({"data_dir": str(tmp_path / "data")}, environ={})))
    login = client.post("/api/v1/login", json={"username": "editor", "password": PASSWORD})
    client.headers["X-CSRF-Token"] = login.json()["csrf_token"]
    content = write_xlsx(tmp_path / "export.xlsx").read_bytes()
    preview = client.post(
        "/api/v1/imports", files={"file": ("export.xlsx", content)}, data={"dry_run": "true"}
    )
    assert preview.status_code == 200, preview.text
    summary = preview.json()["summary"]
    assert (summary["importer"], summary["dry_run"], summary["created"]) == ("uhri", True, 5)
    assert {s["state"] for s in summary["sample"]} == {"SVN", "FRA", "KEN", "BRA"}
    assert client.get("/api/v1/search").json()["total"] == 0
    done = client.post("/api/v1/imports/confirm", json={"upload": preview.json()["upload"]})
    assert done.status_code == 200 and done.json()["summary"]["created"] == 5
    facets = client.get("/api/v1/search", params={"mechanism": "special procedures"}).json()
    assert facets["total"] == 1
