"""The web edge (issue 18): headers on every answer, no caching of case data, Secure cookies and the
warning when they are off, and a login that answers the same for unknown and throttled names."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rightstrack.cli import app as cli_app
from rightstrack.settings import load_settings
from rightstrack.store.database import Database
from rightstrack.web.app import create_app
from tests.defenders.conftest import PASSWORD, Scenario, client_for
from tests.test_authorization import ROUTES

FRAMEWORK = ["/docs", "/redoc", "/openapi.json", "/static/site.css", "/no-such-page"]


def _example_paths(scenario: Scenario) -> list[str]:
    """A GET of every route the authorisation table lists, with the scenario's real ids."""
    paths = [example for method, _, example, _ in ROUTES if method == "GET"]
    return [p.replace("00000000-0000-4000-8000-000000000000", scenario.attack) for p in paths] + FRAMEWORK


@pytest.mark.parametrize("who", [None, "owner"])
def test_every_answer_forbids_framing_sniffing_and_referrers(
    db: Database, scenario: Scenario, keyed_env: Path, who: str | None
) -> None:
    client = client_for(db, who)
    for path in _example_paths(scenario):
        headers = client.get(path, follow_redirects=False).headers
        assert headers["x-frame-options"] == "DENY", path
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["referrer-policy"] == "no-referrer", path
        if not path.startswith(("/docs", "/redoc")):
            assert "script-src 'self';" in headers["content-security-policy"], path


def test_answers_with_case_data_are_never_stored(db: Database, scenario: Scenario, keyed_env: Path) -> None:
    owner, anonymous = client_for(db, "owner"), client_for(db, None)
    case = f"/api/v1/defenders/cases/{scenario.attack}"
    for client, path in [
        (owner, case),
        (owner, f"{case}/history"),
        (owner, f"{case}/pack"),
        (owner, "/api/v1/defenders/cases"),
        (owner, "/api/v1/defenders/monitoring"),
        (owner, "/api/v1/defenders/report?audience=staff"),
        (owner, f"/defenders/cases/{scenario.attack}"),
        (owner, "/defenders"),
        (owner, "/defenders/patterns"),
        (owner, "/"),  # any page for a logged-in user carries at least their CSRF token
        (anonymous, "/api/v1/defenders/export.json"),
        (anonymous, "/api/v1/defenders/report"),
        (anonymous, case),  # a 404 too
    ]:
        answer = client.get(path)
        assert answer.headers.get("cache-control") == "no-store", (path, answer.status_code)
    found = owner.post("/api/v1/defenders/cases/search", json={"q": "Raid"})
    assert found.headers["cache-control"] == "no-store"
    assert (
        "cache-control" not in anonymous.get("/api/v1/search?q=torture").headers
    )  # public data may be cached


def test_cookies_are_secure_when_asked_and_serve_warns_when_not(
    db: Database, scenario: Scenario, keyed_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = TestClient(
        create_app(db, load_settings({"secure_cookies": True}, environ={})), base_url="https://x"
    )
    answer = client.post("/api/v1/login", json={"username": "owner", "password": PASSWORD})
    cookies = answer.headers.get_list("set-cookie")
    assert len(cookies) == 2 and all("Secure" in c and "HttpOnly" in c for c in cookies)  # session, device
    assert "Secure" in client.get("/language?lang=fr", follow_redirects=False).headers["set-cookie"]
    assert "max-age=31536000" in answer.headers["strict-transport-security"]
    monkeypatch.setenv("RIGHTSTRACK_PRODUCTION", "1")
    url = db.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(cli_app, ["--database-url", url, "serve", "--port", "9"])
    assert "warning: session cookies are not marked Secure" in result.output
    assert result.exit_code == 1 and "refusing to start in production mode" in result.output


def test_an_unknown_name_and_a_throttled_account_answer_alike(
    db: Database, scenario: Scenario, keyed_env: Path
) -> None:
    stranger, owner = client_for(db, None), client_for(db, "owner")  # the owner's browser logged in before
    answers = {}
    for name in ("teammate", "nobody-by-this-name"):
        for _ in range(5):
            assert (
                stranger.post("/api/v1/login", json={"username": name, "password": "a guess"}).status_code
                == 401
            )
        answers[name] = stranger.post("/api/v1/login", json={"username": name, "password": PASSWORD})
    real, unknown = answers["teammate"], answers["nobody-by-this-name"]
    assert real.status_code == unknown.status_code == 429
    assert real.json() == unknown.json() and real.headers["retry-after"] == unknown.headers["retry-after"]
    page = stranger.post("/login", data={"username": "teammate", "password": PASSWORD})
    assert page.status_code == 429 and "retry-after" in page.headers
    for _ in range(5):
        stranger.post("/api/v1/login", json={"username": "owner", "password": "a guess"})
    assert stranger.post("/api/v1/login", json={"username": "owner", "password": PASSWORD}).status_code == 429
    again = owner.post("/api/v1/login", json={"username": "owner", "password": PASSWORD})
    assert again.status_code == 200  # her device cookie: the stranger's guesses do not hold her back
