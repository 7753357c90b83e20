"""The permission matrix over every defenders route, the CLI and the exports, with generated
permission sets: each example is a case with a random label, owner, grants and group members;
the expectation comes from the rules as written in access.py's docstring, restated here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from rightstrack.auth.roles import Permission, allowed
from rightstrack.cli import app as cli_app
from rightstrack.defenders import cases, sharing
from rightstrack.defenders.crypto import Vault
from rightstrack.store.database import Database
from tests.defenders.conftest import CANARY, STAFF, Scenario, as_viewer, restricted_content

LABELS = ["public", "internal", "restricted", "source_protected"]
EDITORS = [n for n, r in STAFF.items() if allowed(r, Permission.EDIT, public_read=False)]
NAMES = list(STAFF)


@st.composite
def permission_sets(draw: st.DrawFn) -> dict[str, Any]:
    label = draw(st.sampled_from(LABELS))
    owner = draw(st.sampled_from(EDITORS))
    others = [n for n in NAMES if n != owner]
    if label == "source_protected":
        users = draw(st.lists(st.sampled_from(others), max_size=1, unique=True))
        groups: list[str] = []
    else:
        users = draw(st.lists(st.sampled_from(others), max_size=3, unique=True))
        groups = draw(st.lists(st.sampled_from(["team-a", "team-b"]), max_size=2, unique=True))
    levels = {u: draw(st.sampled_from(["read", "write"])) for u in users + groups}
    members = {
        g: draw(st.lists(st.sampled_from(NAMES), max_size=3, unique=True)) for g in ("team-a", "team-b")
    }
    return {"label": label, "owner": owner, "levels": levels, "groups": groups, "members": members}


def expected_access(name: str | None, perms: dict[str, Any]) -> str:
    """none | public | read | write, from the rules in words."""
    if name is None:
        return "public" if perms["label"] == "public" else "none"
    can_edit = allowed(STAFF[name], Permission.EDIT, public_read=False)
    top = "write" if can_edit else "read"
    if name == perms["owner"] or perms["label"] in ("public", "internal"):
        return top
    granted = [perms["levels"][name]] if name in perms["levels"] else []
    granted += [perms["levels"][g] for g in perms["groups"] if name in perms["members"][g]]
    if not granted:
        return "none"
    return "write" if "write" in granted and can_edit else "read"


def _setup(db: Database, vault: Vault, perms: dict[str, Any]) -> str:
    admin = as_viewer(db, "admin")
    for group, members in perms["members"].items():
        for member in members:
            sharing.add_member(db, admin, group, member)
    owner = as_viewer(db, perms["owner"])
    case_id = cases.create_case(db, vault, owner, restricted_content(), sensitivity=perms["label"])
    for subject, level in perms["levels"].items():
        kind = "group" if subject in ("team-a", "team-b") else "user"
        sharing.grant(db, owner, case_id, subject, kind=kind, level=level)
    return case_id


def _reset_groups(db: Database) -> None:
    from rightstrack.defenders.schema import hrd_group_members

    with db.transaction() as conn:
        conn.execute(hrd_group_members.delete())


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(perms=permission_sets())
def test_routes_follow_the_rules_for_generated_permission_sets(
    db: Database,
    vault: Vault,
    clients: dict[str | None, TestClient],
    scenario: Scenario,
    perms: dict[str, Any],
) -> None:
    _reset_groups(db)
    case_id = _setup(db, vault, perms)
    for name, client in clients.items():
        want = expected_access(name, perms)
        base = f"/api/v1/defenders/cases/{case_id}"
        got = client.get(base)
        assert got.status_code == (404 if want == "none" else 200), (name, perms, got.text)
        assert (CANARY in got.text) is (want in ("read", "write")), (name, perms)
        for path in (f"{base}/history", f"{base}/pack"):
            answer = client.get(path)
            status = {"none": 404, "public": 403, "read": 200, "write": 200}[want]
            assert answer.status_code == status, (name, path, perms, answer.text)
        listed = client.post("/api/v1/defenders/cases/search", json={"q": CANARY, "limit": 500})
        assert (case_id in listed.text) is (want in ("read", "write")), (name, perms)
        changed = client.post(f"{base}/versions", json=restricted_content(CANARY + "-v2"))
        if name is None:
            assert changed.status_code == 401
        elif not allowed(STAFF[name], Permission.EDIT, public_read=False):
            assert changed.status_code == 403
        else:
            assert changed.status_code == {"none": 404, "read": 403, "write": 201}[want], (name, perms)
        for public_path in ("/api/v1/defenders/export.json", "/api/v1/defenders/report?by=act_type,country"):
            assert CANARY not in client.get(public_path).text


def test_cli_commands_follow_the_same_rules(
    db: Database, vault: Vault, scenario: Scenario, keyed_env: Path
) -> None:
    runner = CliRunner()

    def run(*args: str) -> Any:
        return runner.invoke(
            cli_app, ["--database-url", str(db.url.render_as_string(hide_password=False)), *args]
        )

    for name in [None, *STAFF]:
        user = ["--user", name] if name else []
        want = "read" if name in ("owner", "backup", "teammate") else "none"
        for command in (["defenders", "show", scenario.attack], ["defenders", "pack", scenario.attack]):
            result = run(*command, *user)
            assert (result.exit_code == 0) is (want == "read"), (name, command, result.output)
            assert (CANARY in result.output) is (want == "read")
        listed = run("defenders", "list", "--q", "Raid", *user)
        assert listed.exit_code == 0 and (scenario.attack in listed.output) is (want == "read")
        for command in (["defenders", "export"], ["defenders", "report", "--by", "act_type"]):
            result = run(*command, *user)
            assert result.exit_code == 0 and CANARY not in result.output
    # Commands that change data need a user allowed to.
    assert run("defenders", "delete", scenario.attack, "--user", "colleague").exit_code == 1
    assert run("defenders", "delete", scenario.attack, "--user", "viewer").exit_code == 1
    assert run("defenders", "grant", scenario.attack, "viewer", "--user", "teammate").exit_code == 1
    assert run("defenders", "group-add", "cauca-team", "viewer", "--user", "editor").exit_code == 1
    assert run("defenders", "import", "x.csv", "--user", "viewer").exit_code == 1
    assert run("defenders", "grant", scenario.attack, "viewer", "--user", "admin").exit_code == 0
    assert CANARY in run("defenders", "show", scenario.attack, "--user", "viewer").output
