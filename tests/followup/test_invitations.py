"""Invitations by e-mail link and the members page: who may invite, what the link does once, the
account it makes (and nothing when it fails), role changes and removals, all audited."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from rightstrack.auth.accounts import find_user
from rightstrack.auth.audit import recent
from rightstrack.auth.notices import Outbox
from rightstrack.auth.roles import Role
from rightstrack.errors import Conflict, NotFound, PermissionDenied
from rightstrack.followup.invitations import (
    accept,
    accept_with_new_account,
    invite_account,
    invite_to_workspace,
    revoke,
)
from rightstrack.followup.model import WorkspaceRole
from rightstrack.followup.workspaces import members, remove_member, set_member
from rightstrack.mail import MemoryMailer
from rightstrack.settings import load_settings
from rightstrack.store import schema
from rightstrack.store.database import Database
from rightstrack.web.app import create_app
from tests.followup.scenario import PASSWORD, City, build_city


@pytest.fixture
def city(db: Database, tmp_path: Path) -> City:
    return build_city(db, tmp_path)


def _token(link: str) -> str:
    return link.rsplit("/", 1)[1]


def test_an_owner_invites_by_e_mail_and_the_link_makes_a_member(city: City) -> None:
    owner, mailer = city.access(city.chair), MemoryMailer()
    outbox = Outbox(mailer, "rightstrack@gotham.example", "https://hr.gotham.example")
    with pytest.raises(PermissionDenied):  # an editor does not manage members
        invite_to_workspace(
            city.db, city.access(city.analyst), "x@ngo.example", WorkspaceRole.VIEWER, days=14
        )
    sent = invite_to_workspace(
        city.db, owner, "coalition@ngo.example", WorkspaceRole.CONTRIBUTOR, days=14, outbox=outbox
    )
    assert sent.emailed and [m["To"] for m in mailer.sent] == ["coalition@ngo.example"]
    assert f"https://hr.gotham.example{sent.link}" in mailer.sent[0].get_content()
    with city.db.read() as conn:  # only the token's digest is stored
        stored = conn.scalar(select(func.count()).where(schema.audit_events.c.entity_id.like("invitation:%")))
        assert _token(sent.link) not in str(
            conn.execute(select(schema.metadata.tables["fu_invitations"])).all()
        )
    assert stored == 1

    invitation, user = accept_with_new_account(city.db, _token(sent.link), "coalition", PASSWORD)
    assert (
        invitation.workspace_slug == "gotham-hrc" and user.role is Role.VIEWER
    )  # never more on the instance
    with city.db.read() as conn:
        roles = {m["username"]: m["role"] for m in members(conn, owner)}
    assert roles["coalition"] == "contributor"
    with pytest.raises(NotFound, match="used already"):
        accept_with_new_account(city.db, _token(sent.link), "someone", PASSWORD)


def test_a_failed_account_leaves_the_invitation_open(city: City) -> None:
    sent = invite_to_workspace(city.db, city.access(city.chair), "a@b.example", WorkspaceRole.VIEWER, days=14)
    with pytest.raises(Conflict, match="exists already"):
        accept_with_new_account(city.db, _token(sent.link), "analyst", PASSWORD)  # a taken name
    _, user = accept_with_new_account(city.db, _token(sent.link), "observer", PASSWORD)
    assert user.username == "observer"


def test_a_logged_in_user_accepts_and_links_expire_or_are_revoked(city: City) -> None:
    owner = city.access(city.chair)
    sent = invite_to_workspace(city.db, owner, "out@side.example", WorkspaceRole.EDITOR, days=14)
    accept(city.db, _token(sent.link), city.outsider)
    assert city.access(city.outsider).role is WorkspaceRole.EDITOR
    expired = invite_to_workspace(city.db, owner, "late@side.example", WorkspaceRole.EDITOR, days=0)
    with pytest.raises(NotFound, match="expired"):
        accept(city.db, _token(expired.link), city.outsider)
    revoked = invite_to_workspace(city.db, owner, "no@side.example", WorkspaceRole.EDITOR, days=14)
    with city.db.read() as conn:
        invitation_id = conn.scalar(select(func.max(schema.metadata.tables["fu_invitations"].c.id)))
    revoke(city.db, owner, int(invitation_id))
    with pytest.raises(NotFound, match="not valid"):
        accept(city.db, _token(revoked.link), city.outsider)
    account = invite_account(city.db, city.admin, "new@city.example", Role.EDITOR, days=14)
    with pytest.raises(Conflict, match="new account"):
        accept(city.db, _token(account.link), city.outsider)
    with pytest.raises(PermissionDenied):
        invite_account(city.db, city.chair, "new@city.example", Role.ADMIN, days=14)
    _, user = accept_with_new_account(city.db, _token(account.link), "newcomer", PASSWORD)
    assert user.role is Role.EDITOR  # an administrator's invitation gives the role they chose


def test_role_changes_and_removals_are_audited_and_keep_an_owner(city: City) -> None:
    owner = city.access(city.chair)
    set_member(city.db, owner, "ngo", WorkspaceRole.VIEWER)
    with pytest.raises(Conflict, match="at least one owner"):
        set_member(city.db, owner, "chair", WorkspaceRole.EDITOR)
    with pytest.raises(Conflict, match="at least one owner"):
        remove_member(city.db, owner, "chair")
    remove_member(city.db, owner, "ngo")
    with pytest.raises(NotFound):
        remove_member(city.db, owner, "ngo")
    with city.db.read() as conn:
        events = recent(conn, 2, entity="workspace gotham-hrc")
    assert [e["action"] for e in events] == ["remove member", "set member"]
    assert events[0]["before"] == {"role": "viewer"}
    assert events[1]["before"] == {"role": "contributor"} and events[1]["after"] == {"role": "viewer"}


def test_the_members_page_and_the_invitation_page(city: City, tmp_path: Path) -> None:
    app = create_app(city.db, load_settings({"data_dir": str(tmp_path), "public_read": "false"}, environ={}))
    chair = TestClient(app)
    token = chair.post("/api/v1/login", json={"username": "chair", "password": PASSWORD}).json()["csrf_token"]
    page = chair.get("/workspaces/gotham-hrc/members")
    assert page.status_code == 200 and "analyst" in page.text and "Invite someone by e-mail" in page.text
    refused = chair.post(
        "/workspaces/gotham-hrc/invitations", data={"csrf_token": token, "email": "nope", "role": "viewer"}
    )
    assert refused.status_code == 400 and "E-mail address: Enter an e-mail address" in refused.text
    sent = chair.post(
        "/workspaces/gotham-hrc/invitations",
        data={"csrf_token": token, "email": "coalition@ngo.example", "role": "contributor"},
    )
    assert sent.status_code == 200 and "send them this link yourself" in sent.text
    link = re.search(r'value="http://testserver(/invitations/[^"]+)"', sent.text)
    assert link
    role = chair.post("/workspaces/gotham-hrc/members/ngo/role", data={"csrf_token": token, "role": "viewer"})
    assert role.status_code == 200 and city.access(city.ngo).role is WorkspaceRole.VIEWER
    analyst = TestClient(app)  # a member who does not manage members sees them, without the forms
    analyst.post("/api/v1/login", json={"username": "analyst", "password": PASSWORD})
    listed = analyst.get("/workspaces/gotham-hrc/members").text
    assert "chair" in listed and "Invite someone by e-mail" not in listed and "/remove" not in listed

    visitor = TestClient(app)  # no account, and the instance is not public: the link still opens
    opened = visitor.get(link.group(1))
    assert (
        opened.status_code == 200
        and "chair invites you to join Gotham Human Rights Commission" in opened.text
    )
    made = visitor.post(
        link.group(1), data={"username": "coalition", "password": PASSWORD}, follow_redirects=False
    )
    assert made.status_code == 303 and made.headers["location"] == "/workspaces/gotham-hrc"
    assert visitor.get("/api/v1/me").json()["user"]["username"] == "coalition"  # logged in as well
    assert find_user(city.db, "coalition").role is Role.VIEWER
    used = TestClient(app).get(link.group(1))
    assert used.status_code == 404 and "used already" in used.text
