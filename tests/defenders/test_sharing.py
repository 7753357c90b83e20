"""An administrator giving themselves access to a case is made visible: the owner is told in the
app and by e-mail, and with ``grant_approval`` on, a second administrator must approve (issue 18).
Before, it was only an audit event nobody would read in time."""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rightstrack.auth import notices
from rightstrack.auth.accounts import create_user, set_email
from rightstrack.auth.audit import recent
from rightstrack.auth.notices import Outbox
from rightstrack.auth.roles import Role
from rightstrack.cli import app as cli_app
from rightstrack.defenders import casework, sharing
from rightstrack.defenders.access import Viewer
from rightstrack.defenders.crypto import Vault
from rightstrack.defenders.sharing import SharingRules
from rightstrack.errors import Conflict, NotFound, PermissionDenied
from rightstrack.mail import MemoryMailer
from rightstrack.settings import load_settings
from rightstrack.store.database import Database
from rightstrack.web.app import create_app
from tests.defenders.conftest import CANARY, PASSWORD, Scenario, as_viewer


class BrokenMailer:
    def send(self, message: EmailMessage) -> None:
        raise OSError("the mail server is down")


@pytest.fixture
def mail(db: Database, scenario: Scenario) -> MemoryMailer:
    set_email(db, "owner", "owner@example.org", actor="test")
    create_user(db, "admin2", PASSWORD, Role.ADMIN, email="admin2@example.org")
    return MemoryMailer()


def _rules(mailer: Any, approval: bool = False) -> SharingRules:
    return SharingRules(approval, Outbox(mailer, "rightstrack@example.org", "https://hr.example.org"))


def _admin(db: Database, name: str = "admin") -> Viewer:
    return Viewer(name, Role.ADMIN) if name == "admin2" else as_viewer(db, name)


def _told(db: Database, username: str) -> list[str]:
    return [n["message"] for n in notices.notices_of(db, username)]


def test_an_admin_giving_themselves_access_is_told_to_the_owner(
    db: Database, vault: Vault, scenario: Scenario, mail: MemoryMailer
) -> None:
    admin = _admin(db)
    with pytest.raises(NotFound):
        casework.dossier(db, vault, admin, scenario.attack)
    assert sharing.grant(db, admin, scenario.attack, "admin", rules=_rules(mail)) is None
    assert CANARY in casework.dossier(db, vault, admin, scenario.attack)["title"]  # no approval needed …
    told = _told(db, "owner")  # … but the owner knows, in the app
    assert told == [f"admin gave themselves read access to your case {scenario.attack}."]
    assert notices.unread(db, "owner") == 1
    (sent,) = mail.sent  # … and by e-mail, with a link and nothing of the case's content
    assert sent["To"] == "owner@example.org" and "admin gave themselves" in sent["Subject"]
    assert f"https://hr.example.org/defenders/cases/{scenario.attack}" in sent.get_content()
    assert CANARY not in sent.as_string() and "Raid" not in sent.as_string()
    with db.read() as conn:
        share = next(e for e in recent(conn, 50) if e["action"] == "share")
    assert share["after"]["self"] is True


def test_joining_a_group_that_reads_restricted_cases_is_told_too(
    db: Database, scenario: Scenario, mail: MemoryMailer
) -> None:
    sharing.add_member(db, _admin(db), "cauca-team", "admin", rules=_rules(mail))
    told = _told(db, "owner")
    assert len(told) == 2 and all("added admin to group cauca-team" in t for t in told)
    assert {scenario.attack, scenario.reprisal} == {t.rsplit(" ", 1)[1].rstrip(".") for t in told}


def test_the_owner_sharing_their_own_case_is_not_told(
    db: Database, scenario: Scenario, mail: MemoryMailer
) -> None:
    sharing.grant(db, as_viewer(db, "owner"), scenario.attack, "colleague", rules=_rules(mail))
    assert _told(db, "owner") == [] and mail.sent == []
    sharing.revoke(db, _admin(db), scenario.attack, "colleague", rules=_rules(mail))
    assert _told(db, "owner") == [f"admin stopped sharing your case {scenario.attack} with user colleague."]


def test_with_approval_a_self_grant_waits_for_a_second_administrator(
    db: Database, vault: Vault, scenario: Scenario, mail: MemoryMailer
) -> None:
    rules = _rules(mail, approval=True)
    admin, admin2 = _admin(db), _admin(db, "admin2")
    request = sharing.grant(db, admin, scenario.attack, "admin", level="write", rules=rules)
    assert request is not None
    with pytest.raises(NotFound):
        casework.dossier(db, vault, admin, scenario.attack)  # nothing granted yet
    assert "a second administrator must approve it" in _told(db, "owner")[0]
    assert [r["id"] for r in sharing.requests(db, admin2)] == [request]
    with pytest.raises(PermissionDenied, match="second administrator"):
        sharing.decide(db, admin, request, approve=True, rules=rules)
    with pytest.raises(PermissionDenied):
        sharing.requests(db, as_viewer(db, "owner"))
    sharing.decide(db, admin2, request, approve=True, rules=rules)
    assert CANARY in casework.dossier(db, vault, admin, scenario.attack)["title"]
    with pytest.raises(Conflict):
        sharing.decide(db, admin2, request, approve=False, rules=rules)
    assert sharing.requests(db, admin2) == [] and "approved" in _told(db, "admin")[0]
    assert "admin2 approved the access admin asked for" in _told(db, "owner")[0]
    # Joining a group that reads restricted cases is a self-grant too; a rejection leaves it shut.
    joining = sharing.add_member(db, admin2, "cauca-team", "admin2", rules=rules)
    assert joining is not None
    sharing.decide(db, admin, joining, approve=False, rules=rules)
    with pytest.raises(NotFound):
        casework.dossier(db, vault, admin2, scenario.reprisal)
    # Giving others access is not a self-grant: it needs no approval (the owner is still told).
    assert sharing.grant(db, admin, scenario.reprisal, "colleague", rules=rules) is None


def test_a_mail_server_that_fails_loses_no_notice(
    db: Database, scenario: Scenario, mail: MemoryMailer
) -> None:
    sharing.grant(db, _admin(db), scenario.attack, "admin", rules=_rules(BrokenMailer()))
    (notice,) = notices.notices_of(db, "owner")
    assert notice["emailed_at"] is None and notice["read_at"] is None  # still in the app
    sharing.grant(db, _admin(db), scenario.reprisal, "admin", rules=_rules(mail))
    assert notices.notices_of(db, "owner")[0]["emailed_at"] is not None


def test_mail_and_head_files_wait_for_the_commit(db: Database) -> None:
    ran: list[str] = []
    with pytest.raises(RuntimeError), db.transaction() as conn:
        Database.after_commit(conn, lambda: ran.append("rolled back"))
        raise RuntimeError("the change fails")
    with db.transaction() as conn:
        Database.after_commit(conn, lambda: ran.append("older head"), key="head")
        Database.after_commit(conn, lambda: ran.append("newest head"), key="head")
        assert ran == []
    assert ran == ["newest head"]


def test_the_web_and_the_command_line_follow_the_setting(
    db: Database, vault: Vault, scenario: Scenario, mail: MemoryMailer, keyed_env: Path
) -> None:
    settings = load_settings({"grant_approval": True}, environ={})
    clients = {}
    for name in ("admin", "admin2", "owner"):
        client = TestClient(create_app(db, settings))
        answer = client.post("/api/v1/login", json={"username": name, "password": PASSWORD})
        client.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
        clients[name] = client
    asked = clients["admin"].post(
        f"/api/v1/defenders/cases/{scenario.attack}/grants", json={"subject": "admin"}
    )
    assert asked.status_code == 202
    request = asked.json()["pending"]
    assert clients["owner"].get("/api/v1/defenders/requests").status_code == 403
    assert [r["id"] for r in clients["admin2"].get("/api/v1/defenders/requests").json()] == [request]
    assert clients["admin"].post(f"/api/v1/defenders/requests/{request}/approve").status_code == 403
    assert clients["admin2"].post(f"/api/v1/defenders/requests/{request}/approve").status_code == 200
    assert clients["admin"].get(f"/api/v1/defenders/cases/{scenario.attack}").status_code == 200
    owner = clients["owner"]
    assert len(owner.get("/api/v1/notices").json()) == 2
    assert "Notices (2)" in owner.get("/defenders").text
    page = owner.get("/notices")
    assert scenario.attack in page.text and page.headers["cache-control"] == "no-store"
    assert owner.post("/notices", data={"csrf_token": "wrong"}).status_code == 403
    owner.post("/notices", data={"csrf_token": owner.headers["X-CSRF-Token"]})
    assert notices.unread(db, "owner") == 0

    runner = CliRunner()
    url = db.url.render_as_string(hide_password=False)

    def run(*args: str) -> Any:
        result = runner.invoke(
            cli_app, ["--database-url", url, "--grant-approval", "true", "defenders", *args]
        )
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    pending = run("grant", scenario.reprisal, "admin2", "--user", "admin2")["pending"]
    assert [r["id"] for r in run("requests", "--user", "admin")] == [pending]
    run("reject", pending, "--user", "admin")
    assert clients["admin2"].get(f"/api/v1/defenders/cases/{scenario.reprisal}").status_code == 404
