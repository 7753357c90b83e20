"""The rest of the permission matrix: every defenders route and CLI command not exercised by
test_matrix.py, against generated permission sets, plus a guard that fails when a route or a
command is added without joining the matrix.

Expectations come from the rules in words (access.py's docstring, restated in
test_matrix.expected_access), never from the code under test:

* reading needs ``read`` (a public view is not enough for history, packs, files or follow-ups);
* changing needs the EDIT role and ``write`` on the case (a case one may not see is a 404);
* sharing and unsharing: the case owner or an administrator only;
* deleting: someone with ``write`` who is the owner or an administrator;
* the original of an attachment only for ``write``, the cleaned copy for ``read``.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from PIL import Image
from typer.testing import CliRunner

from rightstrack.auth.roles import Permission, allowed
from rightstrack.cli import app as cli_app
from rightstrack.defenders import attachments, casework
from rightstrack.defenders.cli import defenders_app
from rightstrack.defenders.crypto import Vault
from rightstrack.settings import load_settings
from rightstrack.store.database import Database
from rightstrack.web.app import create_app
from tests.defenders.conftest import CANARY, STAFF, Scenario, as_viewer, restricted_content
from tests.defenders.test_matrix import _reset_groups, _setup, expected_access, permission_sets

API = "/api/v1/defenders"
# (method, route) → the test that checks it against generated permission sets.
ROUTES = {
    ("GET", f"{API}/cases"): "test_matrix_all",
    ("POST", f"{API}/cases"): "test_matrix_all (role only: no case yet)",
    ("POST", f"{API}/cases/search"): "test_matrix",
    ("GET", f"{API}/cases/{{case_id}}"): "test_matrix",
    ("POST", f"{API}/cases/{{case_id}}/versions"): "test_matrix",
    ("GET", f"{API}/cases/{{case_id}}/history"): "test_matrix",
    ("DELETE", f"{API}/cases/{{case_id}}"): "test_matrix_all",
    ("POST", f"{API}/cases/{{case_id}}/grants"): "test_matrix_all",
    ("DELETE", f"{API}/cases/{{case_id}}/grants/{{kind}}/{{subject}}"): "test_matrix_all",
    ("POST", f"{API}/cases/{{case_id}}/monitoring"): "test_matrix_all",
    ("POST", f"{API}/cases/{{case_id}}/sources"): "test_matrix_all",
    ("POST", f"{API}/cases/{{case_id}}/interventions"): "test_matrix_all",
    ("POST", f"{API}/interventions/{{intervention_id}}/updates"): "test_matrix_all",
    ("POST", f"{API}/cases/{{case_id}}/links"): "test_matrix_all",
    ("POST", f"{API}/cases/{{case_id}}/attachments"): "test_matrix_all",
    ("GET", f"{API}/attachments/{{attachment_id}}"): "test_matrix_all",
    ("GET", f"{API}/cases/{{case_id}}/pack"): "test_matrix",
    ("GET", f"{API}/report"): "test_matrix, test_matrix_all",
    ("GET", f"{API}/requests"): "test_sharing (admins only)",
    ("POST", f"{API}/requests/{{request_id}}/{{decision}}"): "test_sharing (a second admin only)",
    ("GET", f"{API}/monitoring"): "test_matrix_all",
    ("GET", f"{API}/export.json"): "test_matrix, test_matrix_all",
    ("GET", "/defenders"): "test_matrix_all",
    ("POST", "/defenders"): "test_matrix_all",
    ("GET", "/defenders/cases/{case_id}"): "test_matrix_all",
    ("GET", "/defenders/patterns"): "test_matrix_all",
}
COMMANDS = {
    "import": "test_matrix (role only)",
    "list": "test_matrix_all",
    "show": "test_matrix_all",
    "report": "test_matrix_all",
    "monitoring": "test_matrix_all",
    "pack": "test_matrix_all",
    "export": "test_matrix_all",
    "delete": "test_matrix_all",
    "grant": "test_matrix_all",
    "revoke": "test_matrix_all",
    "status": "test_matrix_all",
    "group-add": "test_matrix (role only), test_sharing",
    "requests": "test_sharing",
    "approve": "test_sharing",
    "reject": "test_sharing",
}
NOBODY = "nobody-in-particular"  # a grant subject that changes nobody's access


def _walk(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """Every (method, path) served, through included routers too."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield from ((m, prefix + route.path) for m in (route.methods or set()) - {"HEAD"})
        elif hasattr(route, "original_router"):
            yield from _walk(route.original_router.routes, prefix + route.include_context.prefix)


def test_every_defenders_route_and_command_is_in_the_matrix(db: Database, keyed_env: Path) -> None:
    app = create_app(db, load_settings({}, environ={}))
    found = {(m, p) for m, p in _walk(app.routes) if p.startswith(("/api/v1/defenders", "/defenders"))}
    assert found == set(ROUTES), found ^ set(ROUTES)
    assert {c.name for c in defenders_app.registered_commands} == set(COMMANDS)


def _edits(name: str | None) -> bool:
    return name is not None and allowed(STAFF[name], Permission.EDIT, public_read=False)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 40)).save(out, format="PNG")
    return out.getvalue()


def _furnish(db: Database, vault: Vault, perms: dict[str, Any]) -> tuple[str, str, str]:
    """A case with an intervention awaiting a reply and an image attached, made by its owner."""
    case_id = _setup(db, vault, perms)
    owner = as_viewer(db, perms["owner"])
    intervention = casework.add_intervention(
        db, vault, owner, case_id, mechanism="UN_SP_COMMUNICATION", kind="UA", opened_on="2024-03-20",
        reply_due="2024-05-20", details={"reference": f"UA {CANARY}"},
    )  # fmt: skip
    attachment = attachments.add_attachment(db, vault, owner, case_id, _png(), "image/png")["id"]
    return case_id, intervention, attachment


def _change(name: str | None, want: str) -> int:
    """Status for a change to the case: role first (the guard), then the case's access."""
    if name is None:
        return 401
    if not _edits(name):
        return 403
    return {"none": 404, "public": 403, "read": 403, "write": 201}[want]


def _share(name: str | None, want: str, perms: dict[str, Any], *, granting: bool) -> int:
    if name is None:
        return 401
    if not _edits(name):
        return 403
    if name in ("admin", perms["owner"]):
        # A source-protected case has one backup user: a second grant is refused as invalid.
        return 400 if granting and perms["label"] == "source_protected" and perms["levels"] else 200
    return 404 if want == "none" else 403


def _delete(name: str | None, want: str, perms: dict[str, Any]) -> int:
    if name is None:
        return 401
    if not _edits(name):
        return 403
    if want == "none":
        return 404
    return 200 if want == "write" and name in ("admin", perms["owner"]) else 403


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(perms=permission_sets())
def test_every_other_route_follows_the_rules_for_generated_permission_sets(
    db: Database,
    vault: Vault,
    clients: dict[str | None, TestClient],
    scenario: Scenario,
    perms: dict[str, Any],
) -> None:
    _reset_groups(db)
    case_id, intervention, attachment = _furnish(db, vault, perms)
    base = f"{API}/cases/{case_id}"
    for name, client in clients.items():
        want = expected_access(name, perms)
        reads = want in ("read", "write")
        ctx = (name, perms)
        # Reading: lists, pages, monitoring, exports, reports, files.
        assert (case_id in client.get(f"{API}/cases?limit=500").text) is (want != "none"), ctx
        assert (case_id in client.get("/defenders").text) is (want != "none"), ctx
        csrf = client.headers.get("X-CSRF-Token", "")
        searched = client.post("/defenders", data={"q": CANARY, "csrf_token": csrf})
        assert searched.status_code == 200 and (case_id in searched.text) is reads, ctx
        page = client.get(f"/defenders/cases/{case_id}")
        assert page.status_code == (404 if want == "none" else 200), ctx
        assert (CANARY in page.text) is reads, ctx
        assert (intervention in client.get(f"{API}/monitoring").text) is reads, ctx
        exported = client.get(f"{API}/export.json").text
        assert (case_id in exported) is (perms["label"] == "public") and CANARY not in exported, ctx
        for path in (f"{API}/report?by=act_type,country,year&audience=public", "/defenders/patterns"):
            answer = client.get(path)
            assert answer.status_code == 200 and CANARY not in answer.text, (path, *ctx)
        staff = client.get(f"{API}/report?by=act_type&audience=staff")
        assert staff.status_code == (400 if name is None else 200) and CANARY not in staff.text, ctx
        files = f"{API}/attachments/{attachment}"
        shared, original = client.get(files), client.get(f"{files}?copy=original")
        assert shared.status_code == {"none": 404, "public": 403, "read": 200, "write": 200}[want], ctx
        assert original.status_code == {"none": 404, "public": 403, "read": 403, "write": 200}[want], ctx
        # Changing: each kind of addition to the case.
        changes: list[tuple[str, dict[str, Any], int]] = [
            (f"{base}/sources", {"statement": f"seen {CANARY}", "consent": "internal"}, 201),
            (
                f"{base}/interventions",
                {"mechanism": "NHRI_COMPLAINT", "kind": "filed", "opened_on": "2024-04-01"},
                201,
            ),
            # A later follow-up date keeps the intervention awaited for the readers still to come.
            (
                f"{API}/interventions/{intervention}/updates",
                {"on_date": "2024-04-02", "status": "follow_up", "follow_up_due": "2030-01-01"},
                201,
            ),
            (f"{base}/links", {"related_case_id": scenario.public, "link_type": "follows"}, 201),
            (f"{base}/monitoring", {"status": "active"}, 200),
        ]
        for path, body, ok in changes:
            answer = client.post(path, json=body)
            expected = _change(name, want)
            assert answer.status_code == (ok if expected == 201 else expected), (path, *ctx, answer.text)
        attached = client.post(f"{base}/attachments", content=_png(), headers={"Content-Type": "image/png"})
        assert attached.status_code == _change(name, want), ctx
        # Sharing, then undoing it so the next reader meets the same permission set.
        granted = client.post(f"{base}/grants", json={"subject": NOBODY, "level": "read"})
        assert granted.status_code == _share(name, want, perms, granting=True), (*ctx, granted.text)
        revoked = client.delete(f"{base}/grants/user/{NOBODY}")
        assert revoked.status_code == _share(name, want, perms, granting=False), (*ctx, revoked.text)
    # Deleting: those allowed delete a copy with the same permission set; the rest try the case.
    for name, client in clients.items():
        want = expected_access(name, perms)
        expected = _delete(name, want, perms)
        target = _setup(db, vault, perms) if expected == 200 else case_id
        assert client.delete(f"{API}/cases/{target}").status_code == expected, (name, perms)
    assert clients[perms["owner"]].get(f"{API}/cases/{case_id}").status_code == 200


def test_recording_a_case_needs_the_edit_role(clients: dict[str | None, TestClient]) -> None:
    body = {**restricted_content(), "sensitivity": "restricted"}
    for name, client in clients.items():
        expected = 401 if name is None else (201 if _edits(name) else 403)
        assert client.post(f"{API}/cases", json=body).status_code == expected, name


def _cli(db: Database) -> Callable[..., Any]:
    runner = CliRunner()
    url = db.url.render_as_string(hide_password=False)
    return lambda *args: runner.invoke(cli_app, ["--database-url", url, *args])


def _outcome(result: Any) -> str:
    """ok, 400, 404 (a case one may not see) or 403 (any other refusal)."""
    if result.exit_code == 0:
        return "ok"
    if result.exit_code == 2:
        return "400"
    return "404" if "no case" in result.output else "403"


@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(perms=permission_sets())
def test_cli_commands_follow_the_rules_for_generated_permission_sets(
    db: Database, vault: Vault, scenario: Scenario, keyed_env: Path, perms: dict[str, Any]
) -> None:
    _reset_groups(db)
    case_id, intervention, _ = _furnish(db, vault, perms)
    run = _cli(db)
    http = {200: "ok", 201: "ok", 400: "400", 401: "403", 403: "403", 404: "404"}
    for name in [None, *STAFF]:
        want = expected_access(name, perms)
        reads = want in ("read", "write")
        user = ["--user", name] if name else []
        ctx = (name, perms)
        shown = run("defenders", "show", case_id, *user)
        assert _outcome(shown) == ("404" if want == "none" else "ok"), (*ctx, shown.output)
        assert (CANARY in shown.output) is reads, ctx
        pack = run("defenders", "pack", case_id, *user)
        assert _outcome(pack) == {"none": "404", "public": "403", "read": "ok", "write": "ok"}[want], ctx
        assert (CANARY in pack.output) is reads, ctx
        listed = run("defenders", "list", "--q", CANARY, "--limit", "500", *user)
        assert listed.exit_code == 0 and (case_id in listed.output) is reads, ctx
        monitoring = run("defenders", "monitoring", *user)
        assert monitoring.exit_code == 0 and (intervention in monitoring.output) is reads, ctx
        exported = run("defenders", "export", *user)
        assert exported.exit_code == 0 and CANARY not in exported.output, ctx
        assert (case_id in exported.output) is (perms["label"] == "public"), ctx
        report = run("defenders", "report", "--by", "act_type,year", *user)
        assert report.exit_code == 0 and CANARY not in report.output, ctx
        if name is None:  # commands that change data refuse anyone who does not say who they are
            for args in (["status", case_id, "active"], ["grant", case_id, NOBODY], ["delete", case_id]):
                assert run("defenders", *args).exit_code != 0, args
            continue
        status = run("defenders", "status", case_id, "active", *user)
        assert _outcome(status) == http[_change(name, want)], (*ctx, status.output)
        granted = run("defenders", "grant", case_id, NOBODY, *user)
        assert _outcome(granted) == http[_share(name, want, perms, granting=True)], (*ctx, granted.output)
        revoked = run("defenders", "revoke", case_id, NOBODY, *user)
        assert _outcome(revoked) == http[_share(name, want, perms, granting=False)], (*ctx, revoked.output)
    for name in STAFF:
        expected = http[_delete(name, expected_access(name, perms), perms)]
        target = _setup(db, vault, perms) if expected == "ok" else case_id
        assert _outcome(run("defenders", "delete", target, "--user", name)) == expected, (name, perms)
    assert CANARY in run("defenders", "show", case_id, "--user", perms["owner"]).output
