"""A UN document through the web import page: preview with the first records, then confirm."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from rightstrack.auth.accounts import create_user
from rightstrack.auth.roles import Role
from rightstrack.settings import load_settings
from rightstrack.store import schema
from rightstrack.store.database import Database
from rightstrack.web.app import create_app
from tests.undocs.fixtures import addendum_pdf, report_pdf

PASSWORD = "a long enough password"


def _count(db: Database) -> int:
    with db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(schema.recommendations)).scalar_one())


def test_report_pdf_preview_then_confirm(db: Database, tmp_path: Path) -> None:
    create_user(db, "importer", PASSWORD, Role.EDITOR)
    settings = load_settings({"data_dir": str(tmp_path / "data")}, environ={})
    client = TestClient(create_app(db, settings))
    token = client.post("/api/v1/login", json={"username": "importer", "password": PASSWORD}).json()[
        "csrf_token"
    ]
    pdf = report_pdf(tmp_path / "A_HRC_99_7.pdf").read_bytes()

    preview = client.post(
        "/import",
        data={"csrf_token": token, "review": "FRA:13"},
        files={"file": ("A_HRC_99_7.pdf", pdf, "application/pdf")},
    )
    assert preview.status_code == 200, preview.text
    assert "Preview: nothing is stored yet" in preview.text
    assert "90.2" in preview.text and "LTU" in preview.text  # the sample table: paragraph, recommenders
    assert _count(db) == 0

    upload = preview.text.split('name="upload" value="', 1)[1].split('"', 1)[0]
    done = client.post("/import/confirm", data={"csrf_token": token, "upload": upload, "review": "FRA:13"})
    assert done.status_code == 200 and "Imported" in done.text
    assert _count(db) == 3


def test_contradicting_review_is_refused_and_nothing_stored(db: Database, tmp_path: Path) -> None:
    create_user(db, "importer", PASSWORD, Role.EDITOR)
    client = TestClient(create_app(db, load_settings({"data_dir": str(tmp_path / "d")}, environ={})))
    token = client.post("/api/v1/login", json={"username": "importer", "password": PASSWORD}).json()[
        "csrf_token"
    ]
    answer = client.post(
        "/import",
        data={"csrf_token": token, "review": "DEU"},
        files={"file": ("report.pdf", report_pdf(tmp_path / "r.pdf").read_bytes(), "application/pdf")},
    )
    assert answer.status_code == 422 and "DEU" in answer.text
    assert _count(db) == 0


def test_report_with_its_addendum_through_the_import_page_and_the_api(db: Database, tmp_path: Path) -> None:
    create_user(db, "importer", PASSWORD, Role.EDITOR)
    client = TestClient(create_app(db, load_settings({"data_dir": str(tmp_path / "data")}, environ={})))
    login = client.post("/api/v1/login", json={"username": "importer", "password": PASSWORD})
    token = login.json()["csrf_token"]
    report = report_pdf(tmp_path / "g1.pdf").read_bytes()
    addendum = addendum_pdf(tmp_path / "g2.pdf").read_bytes()

    # A browser sends an empty part for a file field left empty: the report is read alone.
    alone = client.post(
        "/import",
        data={"csrf_token": token},
        files=[
            ("file", ("g1.pdf", report, "application/pdf")),
            ("addendum", ("", b"", "application/octet-stream")),
        ],
    )
    assert alone.status_code == 200, alone.text
    assert "responses read from" not in alone.text

    both = client.post(
        "/import",
        data={"csrf_token": token},
        files=[
            ("file", ("g1.pdf", report, "application/pdf")),
            ("addendum", ("g2.pdf", addendum, "application/pdf")),
        ],
    )
    assert both.status_code == 200, both.text
    assert "recognised: upr working group report A/HRC/99/7" in both.text
    assert "responses read from g2.pdf" in both.text and _count(db) == 0
    assert "uploads/" not in both.text  # the notes name the file, not where the server keeps it
    upload = both.text.split('name="upload" value="', 1)[1].split('"', 1)[0]
    done = client.post("/import/confirm", data={"csrf_token": token, "upload": upload})
    assert done.status_code == 200 and _count(db) == 3
    with db.read() as conn:
        responses = set(conn.execute(select(schema.recommendations.c.response)).scalars())
    assert responses == {"supported", "noted"}  # from the addendum: the report alone gives none

    api = client.post(
        "/api/v1/imports",
        headers={"X-CSRF-Token": token},
        data={"dry_run": "true"},
        files=[
            ("file", ("g1.pdf", report, "application/pdf")),
            ("addendum", ("g1.pdf", addendum, "application/pdf")),
        ],
    )
    assert api.status_code == 400 and "same file name" in api.json()["message"]
