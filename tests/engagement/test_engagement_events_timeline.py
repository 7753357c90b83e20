"""Events, the state timeline, the API (TestClient) and the CLI (CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rightstrack.auth.accounts import create_user
from rightstrack.auth.roles import Role
from rightstrack.engagement import events, timeline
from rightstrack.engagement.api import engagement_router
from rightstrack.engagement.cli import register_cli
from rightstrack.engagement.treaty_store import import_treaty_file
from rightstrack.errors import ImportFailed, InvalidInput
from rightstrack.importing import import_file
from rightstrack.settings import load_settings
from rightstrack.store.database import Database
from rightstrack.web.app import create_app
from rightstrack.web.security import Guard
from tests.conftest import csv_bytes

WITHDRAWAL = {
    "target": "HRC",
    "citation": "US Mission statement, 19 June 2018",
    "description": "Left the HRC",
}


def test_add_event_validates_and_is_idempotent(db: Database) -> None:
    stored = events.add_event(db, "USA", "withdrawal", "2018-06-19", **WITHDRAWAL)
    assert (stored["state"], stored["date_precision"], stored["target"]) == ("USA", "day", "HRC")
    events.add_event(db, "United States", "withdrawal", "2018-06-19", **WITHDRAWAL)
    with db.read() as conn:
        assert len(events.list_events(conn, "USA")) == 1
    with pytest.raises(InvalidInput) as caught:
        events.add_event(db, "Atlantis", "coup", "2018-13-01", citation=" ", end_date="2017")
    fields = {p.field for p in caught.value.problems}
    assert fields == {"state", "kind", "date", "citation"}
    with pytest.raises(InvalidInput, match=r"instruments|target"):
        events.add_event(db, "USA", "overdue_report", "2020", citation="CAT list", target="Magna Carta")


def test_events_csv_template_and_import(db: Database, tmp_path: Path) -> None:
    template = events.events_template()
    assert template.splitlines()[0] == ",".join(events.TEMPLATE_COLUMNS)
    good = tmp_path / "events.csv"
    good.write_text(
        template.splitlines()[0] + "\n"
        "USA,hrc_membership,2022,2024,HRC,Member of the HRC,,A/76/PV.29,\n"
        "RUS,withdrawal,2024-03,,ICC,,,Statement,\n",  # row 3 names what it withdrew from
        encoding="utf-8",
    )
    assert events.import_events_csv(db, good) == {"created": 2, "unchanged": 0}
    assert events.import_events_csv(db, good) == {"created": 0, "unchanged": 2}
    bad = tmp_path / "bad.csv"
    bad.write_text(template.splitlines()[0] + "\nCHN,standing_invitation,2019,,,,,,\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        events.import_events_csv(db, bad)
    assert (caught.value.problems[0].line, caught.value.problems[0].field) == (2, "citation")


def test_timeline_merges_reviews_treaties_and_events(db: Database, tmp_path: Path, iccpr_csv: Path) -> None:
    upr = tmp_path / "upr.csv"
    rows = [
        ("United States", "Iran", "Abolish the death penalty.", "Noted", "5", "Death penalty", 9),
        ("United States", "France", "Ratify CEDAW.", "Accepted", "5", "Women's rights", 9),
        ("United States", "Norway", "Abolish the  death penalty", "Noted", "5", "Death penalty", 22),
        ("United States", "Chile", "Ratify the CRC.", "Supported", "5", "Rights of the Child", 22),
        ("United States", "Canada", "Close Guantanamo.", "Accepted", "5", "Detention", 22),
    ]
    upr.write_bytes(csv_bytes(rows))
    import_file(db, upr, "upr-info")
    import_treaty_file(db, iccpr_csv)
    events.add_event(db, "USA", "withdrawal", "2018-06-19", **WITHDRAWAL)
    with db.read() as conn:
        result = timeline.state_timeline(conn, "usa")
    first, second = result["cycles"]
    assert (first["cycle"], first["recommendations"], first["share_supported"]) == (1, 2, 0.5)
    assert first["repeated_from_previous_cycle"] is None
    assert (second["recommendations"], second["repeated_from_previous_cycle"]) == (3, 1)
    kinds = [(e["date"], e["type"]) for e in result["entries"]]
    assert kinds == sorted(kinds, key=lambda k: k[0])
    assert ("1992", "treaty") in kinds and ("2018-06-19", "event") in kinds
    assert [k for k in kinds if k[1] == "review"] == [("2010", "review"), ("2015", "review")]


@pytest.fixture
def client(db: Database, iccpr_csv: Path) -> TestClient:
    import_treaty_file(db, iccpr_csv)
    settings = load_settings({"public_read": "true"}, environ={})
    app = create_app(db, settings)
    app.include_router(engagement_router(db, Guard(db, settings)))
    return TestClient(app)


def test_api_reads_and_errors(client: TestClient) -> None:
    treaties = client.get("/api/v1/treaties").json()
    assert len(treaties) == 18 and treaties[1]["code"] == "ICCPR" and treaties[1]["counts"]["party"] == 4
    usa = client.get("/api/v1/states/USA/treaties").json()
    assert usa["party_count"] == 1 and "CRC" in usa["lacks"]
    compared = client.get("/api/v1/compare", params={"states": "USA,CHN"}).json()
    assert [s["party_count"] for s in compared["states"]] == [1, 0]
    assert client.get("/api/v1/ranking").json()[0]["rank"] == 1
    assert client.get("/api/v1/map/ICCPR").json()["states"]["CHN"] == "signatory"
    assert client.get("/api/v1/treaties/regions").status_code == 200
    assert client.get("/api/v1/states/USA/timeline").json()["entries"][0]["type"] == "treaty"
    missing = client.get("/api/v1/states/XXX/treaties")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    assert client.get("/api/v1/map/magna-carta").status_code == 404


def test_api_events_need_edit_permission(client: TestClient, db: Database) -> None:
    body = {"state": "USA", "kind": "withdrawal", "date": "2018-06-19", **WITHDRAWAL}
    refused = client.post("/api/v1/events", json=body)
    assert refused.status_code == 401 and refused.json()["ok"] is False
    create_user(db, "editor", "a long enough password", Role.EDITOR)
    login = client.post("/api/v1/login", json={"username": "editor", "password": "a long enough password"})
    headers = {"X-CSRF-Token": login.json()["csrf_token"]}
    created = client.post("/api/v1/events", json=body, headers=headers)
    assert created.status_code == 201 and created.json()["target"] == "HRC"
    invalid = client.post("/api/v1/events", json={**body, "citation": ""}, headers=headers)
    assert invalid.status_code == 400 and invalid.json()["problems"][0]["field"] == "citation"
    assert client.get("/api/v1/events", params={"state": "USA"}).json()[0]["kind"] == "withdrawal"


def _cli() -> typer.Typer:
    from rightstrack.cli import _configure

    app = typer.Typer()
    app.callback()(_configure)
    register_cli(app)
    return app


def test_cli(db: Database, iccpr_csv: Path, tmp_path: Path) -> None:
    if not db.is_sqlite:
        pytest.skip("the CLI is exercised once, on SQLite")
    runner, app, url = CliRunner(), _cli(), ["--database-url", db.describe()]
    assert runner.invoke(app, [*url, "treaties", "import", str(iccpr_csv)]).exit_code == 0
    shown = runner.invoke(app, [*url, "treaties", "compare", "USA", "CHN", "--format", "json"])
    assert json.loads(shown.stdout)["states"][0]["parties"] == ["ICCPR"]
    csv_out = runner.invoke(app, [*url, "treaties", "ranking", "--format", "csv"]).stdout
    assert csv_out.splitlines()[0] == "rank,alpha3,name,regional_group,party_count"
    assert "ICCPR" in runner.invoke(app, [*url, "treaties", "status", "USA"]).stdout
    added = runner.invoke(
        app,
        [
            *url,
            "events",
            "add",
            "USA",
            "withdrawal",
            "2018-06-19",
            "--target",
            "HRC",
            "--citation",
            "Statement",
        ],
    )
    assert added.exit_code == 0, added.output
    refused = runner.invoke(app, [*url, "events", "add", "USA", "withdrawal", "2018", "--citation", "x"])
    assert refused.exit_code == 2 and "target" in refused.output
    template = tmp_path / "t.csv"
    template.write_text(runner.invoke(app, [*url, "events", "template"]).stdout, encoding="utf-8")
    assert runner.invoke(app, [*url, "events", "import", str(template)]).exit_code == 0
    timeline_out = runner.invoke(app, [*url, "timeline", "USA", "--format", "json"])
    assert {e["type"] for e in json.loads(timeline_out.stdout)["entries"]} == {"treaty", "event"}
    assert runner.invoke(app, [*url, "treaties", "status", "Atlantis"]).exit_code == 1
