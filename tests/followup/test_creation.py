"""Who may create a workspace (the workspace_creation setting, or what an administrator chose on
/admin), self-service workspaces awaiting approval, and the pages that do it from the browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from rightstrack.auth.accounts import User, create_user
from rightstrack.auth.audit import recent
from rightstrack.auth.roles import Role
from rightstrack.errors import NotFound, PermissionDenied
from rightstrack.followup.access import workspace_access
from rightstrack.followup.creation import (
    CreationPolicy,
    creation_policy,
    decide_workspace,
    pending_workspaces,
    set_creation_policy,
)
from rightstrack.followup.model import ActorCreate, ActorKind, WorkspaceCreate, WorkspaceKind
from rightstrack.followup.workspaces import add_actor, create_workspace, list_workspaces
from rightstrack.settings import load_settings
from rightstrack.store import schema
from rightstrack.store.database import Database
from rightstrack.web.app import create_app

PASSWORD = "a long enough password"
GOTHAM = WorkspaceCreate(
    slug="gotham-hrc", name="Gotham HRC", kind=WorkspaceKind.CITY_COMMISSION, state="USA"
)


@pytest.fixture
def people(db: Database) -> dict[str, User]:
    return {role.value: create_user(db, role.value, PASSWORD, role) for role in Role}


def test_the_policy_comes_from_the_setting_until_an_admin_chooses(
    db: Database, people: dict[str, User]
) -> None:
    with db.read() as conn:
        assert creation_policy(conn, "editors") is CreationPolicy.EDITORS
    with pytest.raises(PermissionDenied):
        set_creation_policy(db, people["editor"], CreationPolicy.SELF_SERVICE)
    set_creation_policy(db, people["admin"], CreationPolicy.SELF_SERVICE)
    with db.read() as conn:
        assert creation_policy(conn, "admins") is CreationPolicy.SELF_SERVICE  # the admin's choice wins
        event = recent(conn, 1, entity="instance")[0]
    assert event["action"] == "set workspace creation" and event["after"] == {"policy": "self_service"}


@pytest.mark.parametrize(
    ("policy", "allowed"),
    [
        (CreationPolicy.ADMINS, {"admin"}),
        (CreationPolicy.EDITORS, {"admin", "editor"}),
        (CreationPolicy.SELF_SERVICE, {"admin", "editor", "contributor", "viewer"}),
    ],
)
def test_who_may_create_a_workspace(
    db: Database, people: dict[str, User], policy: CreationPolicy, allowed: set[str]
) -> None:
    for name, user in people.items():
        data = GOTHAM.model_copy(update={"slug": f"ws-{name}"})
        if name in allowed:
            create_workspace(db, data, by=user, policy=policy)
            with db.read() as conn:
                access = workspace_access(conn, data.slug, user)
            assert access.role is not None and access.role.value == "owner"
        else:
            with pytest.raises(PermissionDenied):
                create_workspace(db, data, by=user, policy=policy)
    with pytest.raises(PermissionDenied):  # only an admin makes someone else the owner
        create_workspace(db, GOTHAM, by=people["editor"], owner="viewer", policy=CreationPolicy.EDITORS)


def test_a_self_service_workspace_waits_for_an_admin(db: Database, people: dict[str, User]) -> None:
    contributor, admin, editor = people["contributor"], people["admin"], people["editor"]
    create_workspace(db, GOTHAM, by=contributor, policy=CreationPolicy.SELF_SERVICE)
    with db.read() as conn:
        mine = workspace_access(conn, GOTHAM.slug, contributor)
        assert [w["slug"] for w in pending_workspaces(conn)] == [GOTHAM.slug]
        assert [w["slug"] for w in list_workspaces(conn, contributor)] == [GOTHAM.slug]
        assert list_workspaces(conn, editor) == [] and list_workspaces(conn, None) == []
        with pytest.raises(NotFound):  # not public before it is approved
            workspace_access(conn, GOTHAM.slug, None)
        notices = conn.execute(select(schema.user_notices.c.message, schema.user_notices.c.link)).all()
    assert [tuple(n) for n in notices] == [("contributor asks for a workspace: Gotham HRC", "/admin")]
    with pytest.raises(PermissionDenied, match="awaits an administrator's approval"):
        add_actor(db, mine, ActorCreate(name="City of Gotham", kind=ActorKind.CITY))
    with pytest.raises(PermissionDenied):
        decide_workspace(db, editor, GOTHAM.slug, approve=True)
    decide_workspace(db, admin, GOTHAM.slug, approve=True)
    with db.read() as conn:
        mine = workspace_access(conn, GOTHAM.slug, contributor)
        assert workspace_access(conn, GOTHAM.slug, None).workspace["status"] == "active"
    add_actor(db, mine, ActorCreate(name="City of Gotham", kind=ActorKind.CITY))

    other = GOTHAM.model_copy(update={"slug": "rejected"})
    create_workspace(db, other, by=contributor, policy=CreationPolicy.SELF_SERVICE)
    decide_workspace(db, admin, "rejected", approve=False)
    with db.read() as conn:
        with pytest.raises(NotFound):
            workspace_access(conn, "rejected", admin)
        actions = [e["action"] for e in recent(conn, 10, entity="workspace")]
    assert "approve workspace" in actions and "reject workspace" in actions


def _client(db: Database, username: str | None, tmp_path: Path, **settings: str) -> TestClient:
    client = TestClient(create_app(db, load_settings({"data_dir": str(tmp_path), **settings}, environ={})))
    if username:
        answer = client.post("/api/v1/login", json={"username": username, "password": PASSWORD})
        client.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
    return client


def test_the_api_and_the_pages_follow_the_policy(
    db: Database, people: dict[str, User], tmp_path: Path
) -> None:
    editor = _client(db, "editor", tmp_path)  # the setting's default: admins only
    body = {"slug": "gotham-hrc", "name": "Gotham HRC", "kind": "city_commission"}
    assert editor.post("/api/v1/workspaces", json=body).status_code == 403
    page = editor.get("/workspaces").text
    assert 'href="/workspaces/new"' not in page and "Ask an administrator" in page

    admin = _client(db, "admin", tmp_path)
    token = admin.headers["X-CSRF-Token"]
    chosen = admin.post("/admin/workspace-creation", data={"csrf_token": token, "policy": "editors"})
    assert chosen.status_code == 200 and "Now: editors and administrators." in chosen.text
    assert 'href="/workspaces/new"' in editor.get("/workspaces").text
    form = {"csrf_token": editor.headers["X-CSRF-Token"], "name": "Gotham HRC", "kind": "city_commission"}
    for slug, problem in (("new", "Choose another address."), ("Gotham", "Use lower-case letters")):
        refused = editor.post("/workspaces/new", data=form | {"slug": slug})
        assert refused.status_code == 400 and f"Short name for its address: {problem}" in refused.text
    made = editor.post("/workspaces/new", data=form | {"slug": "gotham-hrc"}, follow_redirects=False)
    assert made.status_code == 303 and made.headers["location"] == "/workspaces/gotham-hrc"
    assert editor.post("/api/v1/workspaces", json=body | {"slug": "second"}).status_code == 201

    contributor = _client(db, "contributor", tmp_path, workspace_creation="self_service")
    assert (
        admin.post(
            "/admin/workspace-creation", data={"csrf_token": token, "policy": "self_service"}
        ).status_code
        == 200
    )
    form = {"csrf_token": contributor.headers["X-CSRF-Token"], "name": "Coalition", "kind": "coalition"}
    assert contributor.post("/workspaces/new", data=form | {"slug": "coalition"}).status_code == 200
    assert "awaits an administrator's approval" in contributor.get("/workspaces/coalition").text.replace(
        "&#39;", "'"
    )
    waiting = admin.get("/admin").text
    approve = re.search(r'action="(/admin/workspaces/coalition/approve)"', waiting)
    assert (
        approve
        and admin.post(approve.group(1), data={"csrf_token": token}, follow_redirects=False).status_code
        == 303
    )
    assert "awaits" not in contributor.get("/workspaces/coalition").text
