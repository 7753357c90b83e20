"""Every route, called anonymously and as each role, allows or refuses exactly as the role table says.

ROUTES lists every route of the app with the permission it needs; a route missing from the list
fails the test, so a new route cannot slip in unguarded.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from rightstrack.auth.accounts import create_user
from rightstrack.auth.roles import Permission, Role, allowed
from rightstrack.importing import import_file
from rightstrack.settings import load_settings
from rightstrack.store.database import Database
from rightstrack.web.app import create_app

PASSWORD = "a long enough password"

_NO_CASE = "00000000-0000-4000-8000-000000000000"  # a well-formed id that no case has

# (method, path template, example path, permission or None for open routes)
ROUTES: list[tuple[str, str, str, Permission | None]] = [
    ("GET", "/api/v1/search", "/api/v1/search?q=torture", Permission.READ),
    ("GET", "/api/v1/recommendations/{record_id}", "/api/v1/recommendations/1", Permission.READ),
    (
        "GET",
        "/api/v1/recommendations/{record_id}/similar",
        "/api/v1/recommendations/1/similar",
        Permission.READ,
    ),
    ("GET", "/api/v1/states", "/api/v1/states", Permission.READ),
    ("GET", "/api/v1/states/{alpha3}", "/api/v1/states/USA", Permission.READ),
    ("GET", "/api/v1/reviews", "/api/v1/reviews", Permission.READ),
    ("GET", "/api/v1/documents", "/api/v1/documents", Permission.READ),
    ("GET", "/api/v1/tags", "/api/v1/tags", Permission.READ),
    ("GET", "/api/v1/tag-families", "/api/v1/tag-families", Permission.READ),
    ("GET", "/api/v1/stats", "/api/v1/stats", Permission.READ),
    ("GET", "/api/v1/export.{fmt}", "/api/v1/export.csv", Permission.READ),
    (
        "POST",
        "/api/v1/recommendations/{record_id}/tags/{family}/{name}/{decision}",
        "/api/v1/recommendations/1/tags/upr_issue/Justice/confirm",
        Permission.DECIDE_TAGS,
    ),
    *[
        (
            method,
            "/api/v1/recommendations/{record_id}/cycle-links/{earlier_id}",
            "/api/v1/recommendations/2/cycle-links/1",
            Permission.DECIDE_TAGS,
        )
        for method in ("PUT", "DELETE")
    ],
    ("GET", "/api/v1/audit", "/api/v1/audit", Permission.VIEW_AUDIT),
    ("GET", "/api/v1/importers", "/api/v1/importers", Permission.IMPORT),
    ("POST", "/api/v1/imports", "/api/v1/imports", Permission.IMPORT),
    ("POST", "/api/v1/imports/confirm", "/api/v1/imports/confirm", Permission.IMPORT),
    ("GET", "/api/v1/treaties", "/api/v1/treaties", Permission.READ),
    ("GET", "/api/v1/treaties/regions", "/api/v1/treaties/regions", Permission.READ),
    ("GET", "/api/v1/treaties/status.{fmt}", "/api/v1/treaties/status.csv", Permission.READ),
    ("GET", "/api/v1/states/{alpha3}/treaties", "/api/v1/states/USA/treaties", Permission.READ),
    ("GET", "/api/v1/compare", "/api/v1/compare?states=USA,CHN", Permission.READ),
    ("GET", "/api/v1/ranking", "/api/v1/ranking", Permission.READ),
    ("GET", "/api/v1/map/{instrument}", "/api/v1/map/ICCPR", Permission.READ),
    ("GET", "/api/v1/events", "/api/v1/events", Permission.READ),
    ("POST", "/api/v1/events", "/api/v1/events", Permission.EDIT),
    ("GET", "/api/v1/states/{alpha3}/timeline", "/api/v1/states/USA/timeline", Permission.READ),
    ("GET", "/api/v1/me", "/api/v1/me", None),
    ("POST", "/api/v1/login", "/api/v1/login", None),
    ("POST", "/api/v1/logout", "/api/v1/logout", Permission.READ),
    ("GET", "/", "/", Permission.READ),
    ("GET", "/recommendations/{record_id}", "/recommendations/1", Permission.READ),
    ("POST", "/recommendations/{record_id}/cycle-links", "/", Permission.DECIDE_TAGS),
    ("POST", "/recommendations/{record_id}/cycle-links/{earlier_id}/remove", "/", Permission.DECIDE_TAGS),
    ("GET", "/import", "/import", Permission.IMPORT),
    ("POST", "/import", "/import", Permission.IMPORT),
    ("POST", "/import/confirm", "/import/confirm", Permission.IMPORT),
    ("POST", "/import/table", "/import/table", Permission.IMPORT),
    ("POST", "/import/table/preview", "/import/table/preview", Permission.IMPORT),
    ("POST", "/import/table/confirm", "/import/table/confirm", Permission.IMPORT),
    ("POST", "/api/v1/imports/table", "/api/v1/imports/table", Permission.IMPORT),
    ("GET", "/api/v1/table-mappings", "/api/v1/table-mappings", Permission.IMPORT),
    ("PUT", "/api/v1/table-mappings/{name}", "/api/v1/table-mappings/none", Permission.IMPORT),
    ("DELETE", "/api/v1/table-mappings/{name}", "/api/v1/table-mappings/none", Permission.IMPORT),
    ("GET", "/login", "/login", None),
    ("POST", "/login", "/login", None),
    ("GET", "/states", "/states", Permission.READ),
    ("GET", "/states/{alpha3}", "/states/USA", Permission.READ),
    ("POST", "/states/{alpha3}/events", "/states/USA/events", Permission.EDIT),
    ("POST", "/states/{alpha3}/treaty-corrections", "/", Permission.EDIT),
    ("POST", "/states/{alpha3}/treaty-corrections/{correction_id}/withdraw", "/", Permission.EDIT),
    ("GET", "/treaties", "/treaties", Permission.READ),
    ("GET", "/compare", "/compare?states=USA,CHN", Permission.READ),
    ("GET", "/treaties/{instrument}", "/treaties/ICCPR", Permission.READ),
    ("GET", "/dashboard", "/dashboard", Permission.READ),
    ("GET", "/review", "/review", Permission.DECIDE_TAGS),
    ("GET", "/audit", "/audit", Permission.VIEW_AUDIT),
    ("GET", "/language", "/language?lang=fr", None),
    # Defenders (issue 8): per-case access is checked in the library; tests/defenders has the matrix.
    ("GET", "/api/v1/defenders/cases", "/api/v1/defenders/cases", Permission.READ),
    ("POST", "/api/v1/defenders/cases", "/api/v1/defenders/cases", Permission.EDIT),
    ("POST", "/api/v1/defenders/cases/search", "/api/v1/defenders/cases/search", Permission.READ),
    ("GET", "/api/v1/defenders/cases/{case_id}", f"/api/v1/defenders/cases/{_NO_CASE}", Permission.READ),
    ("DELETE", "/api/v1/defenders/cases/{case_id}", f"/api/v1/defenders/cases/{_NO_CASE}", Permission.EDIT),
    (
        "POST",
        "/api/v1/defenders/cases/{case_id}/versions",
        f"/api/v1/defenders/cases/{_NO_CASE}/versions",
        Permission.EDIT,
    ),
    (
        "GET",
        "/api/v1/defenders/cases/{case_id}/history",
        f"/api/v1/defenders/cases/{_NO_CASE}/history",
        Permission.READ,
    ),
    (
        "POST",
        "/api/v1/defenders/cases/{case_id}/grants",
        f"/api/v1/defenders/cases/{_NO_CASE}/grants",
        Permission.EDIT,
    ),
    (
        "DELETE",
        "/api/v1/defenders/cases/{case_id}/grants/{kind}/{subject}",
        f"/api/v1/defenders/cases/{_NO_CASE}/grants/user/viewer",
        Permission.EDIT,
    ),
    (
        "POST",
        "/api/v1/defenders/cases/{case_id}/monitoring",
        f"/api/v1/defenders/cases/{_NO_CASE}/monitoring",
        Permission.EDIT,
    ),
    (
        "POST",
        "/api/v1/defenders/cases/{case_id}/sources",
        f"/api/v1/defenders/cases/{_NO_CASE}/sources",
        Permission.EDIT,
    ),
    (
        "POST",
        "/api/v1/defenders/cases/{case_id}/interventions",
        f"/api/v1/defenders/cases/{_NO_CASE}/interventions",
        Permission.EDIT,
    ),
    (
        "POST",
        "/api/v1/defenders/interventions/{intervention_id}/updates",
        f"/api/v1/defenders/interventions/{_NO_CASE}/updates",
        Permission.EDIT,
    ),
    (
        "POST",
        "/api/v1/defenders/cases/{case_id}/links",
        f"/api/v1/defenders/cases/{_NO_CASE}/links",
        Permission.EDIT,
    ),
    (
        "POST",
        "/api/v1/defenders/cases/{case_id}/attachments",
        f"/api/v1/defenders/cases/{_NO_CASE}/attachments",
        Permission.EDIT,
    ),
    (
        "GET",
        "/api/v1/defenders/attachments/{attachment_id}",
        f"/api/v1/defenders/attachments/{_NO_CASE}",
        Permission.READ,
    ),
    (
        "GET",
        "/api/v1/defenders/cases/{case_id}/pack",
        f"/api/v1/defenders/cases/{_NO_CASE}/pack",
        Permission.READ,
    ),
    ("GET", "/api/v1/defenders/requests", "/api/v1/defenders/requests", Permission.MANAGE_USERS),
    (
        "POST",
        "/api/v1/defenders/requests/{request_id}/{decision}",
        f"/api/v1/defenders/requests/{_NO_CASE}/approve",
        Permission.MANAGE_USERS,
    ),
    ("GET", "/api/v1/notices", "/api/v1/notices", Permission.READ),
    ("POST", "/api/v1/notices/read", "/api/v1/notices/read", Permission.READ),
    ("GET", "/notices", "/notices", Permission.READ),
    ("POST", "/notices", "/", Permission.READ),
    ("GET", "/api/v1/defenders/report", "/api/v1/defenders/report", Permission.READ),
    ("GET", "/api/v1/defenders/monitoring", "/api/v1/defenders/monitoring", Permission.READ),
    ("GET", "/api/v1/defenders/export.json", "/api/v1/defenders/export.json", Permission.READ),
    ("GET", "/defenders", "/defenders", Permission.READ),
    ("POST", "/defenders", "/defenders", Permission.READ),
    ("GET", "/defenders/cases/{case_id}", f"/defenders/cases/{_NO_CASE}", Permission.READ),
    ("GET", "/defenders/patterns", "/defenders/patterns", Permission.READ),
    # Tracking (issue 7): READ here; roles inside a workspace are checked by the library and
    # tests/followup/test_api.py holds that matrix.
    ("GET", "/api/v1/workspaces", "/api/v1/workspaces", Permission.READ),
    # Who may create one is the workspace_creation policy's call (tests/followup/test_creation.py).
    ("POST", "/api/v1/workspaces", "/api/v1/workspaces", Permission.READ),
    ("GET", "/api/v1/workspaces/{slug}", "/api/v1/workspaces/none", Permission.READ),
    ("GET", "/api/v1/workspaces/{slug}/members", "/api/v1/workspaces/none/members", Permission.READ),
    (
        "PUT",
        "/api/v1/workspaces/{slug}/members/{username}",
        "/api/v1/workspaces/none/members/viewer",
        Permission.READ,
    ),
    (
        "DELETE",
        "/api/v1/workspaces/{slug}/members/{username}",
        "/api/v1/workspaces/none/members/viewer",
        Permission.READ,
    ),
    ("GET", "/api/v1/workspaces/{slug}/actors", "/api/v1/workspaces/none/actors", Permission.READ),
    ("POST", "/api/v1/workspaces/{slug}/actors", "/api/v1/workspaces/none/actors", Permission.READ),
    (
        "PATCH",
        "/api/v1/workspaces/{slug}/actors/{actor_id}",
        "/api/v1/workspaces/none/actors/1",
        Permission.READ,
    ),
    ("GET", "/api/v1/workspaces/{slug}/commitments", "/api/v1/workspaces/none/commitments", Permission.READ),
    ("POST", "/api/v1/workspaces/{slug}/commitments", "/api/v1/workspaces/none/commitments", Permission.READ),
    (
        "GET",
        "/api/v1/workspaces/{slug}/commitments/{commitment_id}",
        "/api/v1/workspaces/none/commitments/1",
        Permission.READ,
    ),
    (
        "PATCH",
        "/api/v1/workspaces/{slug}/commitments/{commitment_id}",
        "/api/v1/workspaces/none/commitments/1",
        Permission.READ,
    ),
    (
        "POST",
        "/api/v1/workspaces/{slug}/commitments/{commitment_id}/measures",
        "/api/v1/workspaces/none/commitments/1/measures",
        Permission.READ,
    ),
    (
        "PATCH",
        "/api/v1/workspaces/{slug}/measures/{measure_id}",
        "/api/v1/workspaces/none/measures/1",
        Permission.READ,
    ),
    (
        "POST",
        "/api/v1/workspaces/{slug}/commitments/{commitment_id}/indicators",
        "/api/v1/workspaces/none/commitments/1/indicators",
        Permission.READ,
    ),
    (
        "POST",
        "/api/v1/workspaces/{slug}/indicators/{indicator_id}/values",
        "/api/v1/workspaces/none/indicators/1/values",
        Permission.READ,
    ),
    (
        "POST",
        "/api/v1/workspaces/{slug}/commitments/{commitment_id}/progress",
        "/api/v1/workspaces/none/commitments/1/progress",
        Permission.READ,
    ),
    (
        "GET",
        "/api/v1/workspaces/{slug}/evidence/{evidence_id}",
        "/api/v1/workspaces/none/evidence/1",
        Permission.READ,
    ),
    (
        "POST",
        "/api/v1/workspaces/{slug}/commitments/{commitment_id}/assessments",
        "/api/v1/workspaces/none/commitments/1/assessments",
        Permission.READ,
    ),
    (
        "PATCH",
        "/api/v1/workspaces/{slug}/assessments/{assessment_id}",
        "/api/v1/workspaces/none/assessments/1",
        Permission.READ,
    ),
    ("GET", "/api/v1/workspaces/{slug}/bin", "/api/v1/workspaces/none/bin", Permission.READ),
    (
        "DELETE",
        "/api/v1/workspaces/{slug}/{entity}/{record_id}",
        "/api/v1/workspaces/none/measure/1",
        Permission.READ,
    ),
    (
        "POST",
        "/api/v1/workspaces/{slug}/{entity}/{record_id}/restore",
        "/api/v1/workspaces/none/measure/1/restore",
        Permission.READ,
    ),
    (
        "GET",
        "/api/v1/workspaces/{slug}/{entity}/{record_id}/history",
        "/api/v1/workspaces/none/measure/1/history",
        Permission.READ,
    ),
    (
        "GET",
        "/api/v1/workspaces/templates/{kind}.csv",
        "/api/v1/workspaces/templates/measures.csv",
        Permission.READ,
    ),
    (
        "GET",
        "/api/v1/workspaces/{slug}/report.{fmt}",
        "/api/v1/workspaces/none/report.docx",
        Permission.READ,
    ),
    (
        "GET",
        "/api/v1/workspaces/{slug}/export/{kind}.csv",
        "/api/v1/workspaces/none/export/measures.csv",
        Permission.READ,
    ),
    (
        "POST",
        "/api/v1/workspaces/{slug}/import/{kind}",
        "/api/v1/workspaces/none/import/measures",
        Permission.READ,
    ),
    ("GET", "/workspaces/{slug}/report.{fmt}", "/workspaces/none/report.docx", Permission.READ),
    (
        "GET",
        "/workspaces/{slug}/export/{kind}.csv",
        "/workspaces/none/export/measures.csv",
        Permission.READ,
    ),
    # Tracking pages: inside a workspace, followup.access decides (tests/followup/test_pages.py).
    ("GET", "/workspaces", "/workspaces", Permission.READ),
    ("GET", "/workspaces/{slug}", "/workspaces/none", Permission.READ),
    (
        "GET",
        "/workspaces/{slug}/commitments/{commitment_id}",
        "/workspaces/none/commitments/1",
        Permission.READ,
    ),
    ("GET", "/workspaces/{slug}/actors/{actor_id}", "/workspaces/none/actors/1", Permission.READ),
    ("GET", "/workspaces/{slug}/evidence/{evidence_id}", "/workspaces/none/evidence/1", Permission.READ),
    ("POST", "/workspaces/{slug}/actors", "/workspaces/none/actors", Permission.READ),
    ("POST", "/workspaces/{slug}/import", "/workspaces/none/import", Permission.READ),
    ("POST", "/workspaces/{slug}/commitments", "/workspaces/none/commitments", Permission.READ),
    ("POST", "/recommendations/{recommendation_id}/track", "/recommendations/1/track", Permission.READ),
    ("POST", "/workspaces/{slug}/actors/{actor_id}/edit", "/", Permission.READ),
    *[
        ("POST", f"/workspaces/{{slug}}/commitments/{{commitment_id}}/{form}", "/", Permission.READ)
        for form in ("actors", "measures", "progress", "assessments", "edit", "visibility")
    ],
    *[
        ("POST", f"/workspaces/{{slug}}/commitments/{{commitment_id}}/{kind}-edit", "/", Permission.READ)
        for kind in ("measure", "indicator", "progress", "assessment")
    ],
    # Starting a workspace from the browser (issue 19): creation, members, invitations, the picker.
    ("GET", "/workspaces/new", "/workspaces/new", Permission.READ),
    ("POST", "/workspaces/new", "/", Permission.READ),
    ("GET", "/workspaces/{slug}/members", "/workspaces/none/members", Permission.READ),
    ("POST", "/workspaces/{slug}/members", "/", Permission.READ),
    ("POST", "/workspaces/{slug}/members/{username}/role", "/", Permission.READ),
    ("POST", "/workspaces/{slug}/members/{username}/remove", "/", Permission.READ),
    ("POST", "/workspaces/{slug}/invitations", "/", Permission.READ),
    ("POST", "/workspaces/{slug}/invitations/{invitation_id}/revoke", "/", Permission.READ),
    ("GET", "/workspaces/{slug}/take-on", "/workspaces/none/take-on", Permission.READ),
    ("POST", "/workspaces/{slug}/take-on", "/", Permission.READ),
    # An invitation link opens for whoever holds it, logged in or not (the token is the secret).
    ("GET", "/invitations/{token}", "/invitations/not-a-token", None),
    ("POST", "/invitations/{token}", "/", None),
    ("GET", "/admin", "/admin", Permission.MANAGE_USERS),
    ("POST", "/admin/workspace-creation", "/", Permission.MANAGE_USERS),
    ("POST", "/admin/invitations", "/", Permission.MANAGE_USERS),
    ("POST", "/admin/workspaces/{slug}/{decision}", "/", Permission.MANAGE_USERS),
    *[
        ("POST", f"/workspaces/{{slug}}/commitments/{{commitment_id}}/{form}", "/", Permission.READ)
        for form in ("indicators", "indicator-values")
    ],
    # Briefs (issue 16): drafting reads public data; saved briefs are the workspace's to decide
    # (tests/brief/test_saved.py holds that matrix).
    ("GET", "/api/v1/briefs/draft", "/api/v1/briefs/draft?state=USA", Permission.READ),
    ("GET", "/api/v1/briefs/draft.{fmt}", "/api/v1/briefs/draft.md?state=USA", Permission.READ),
    ("GET", "/api/v1/briefs", "/api/v1/briefs", Permission.READ),
    ("POST", "/api/v1/briefs", "/api/v1/briefs", Permission.READ),
    ("GET", "/api/v1/briefs/{brief_id}", "/api/v1/briefs/1", Permission.READ),
    ("PATCH", "/api/v1/briefs/{brief_id}", "/api/v1/briefs/1", Permission.READ),
    ("DELETE", "/api/v1/briefs/{brief_id}", "/api/v1/briefs/1", Permission.READ),
    ("GET", "/api/v1/briefs/{brief_id}/versions", "/api/v1/briefs/1/versions", Permission.READ),
    ("GET", "/api/v1/briefs/{brief_id}/export.{fmt}", "/api/v1/briefs/1/export.md", Permission.READ),
    ("GET", "/briefs", "/briefs", Permission.READ),
    ("GET", "/briefs/new", "/briefs/new?state=USA", Permission.READ),
    ("POST", "/briefs", "/", Permission.READ),
    ("GET", "/briefs/{brief_id}", "/briefs/1", Permission.READ),
    ("POST", "/briefs/{brief_id}", "/", Permission.READ),
    ("GET", "/workspaces/{slug}/bin", "/workspaces/none/bin", Permission.READ),
    ("POST", "/workspaces/{slug}/records/{entity}/{record_id}/delete", "/", Permission.READ),
    ("POST", "/workspaces/{slug}/bin/{entity}/{record_id}/restore", "/", Permission.READ),
]
_OPEN_FRAMEWORK = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc", "/static"}


def _app(db: Database, public_read: bool) -> TestClient:
    return TestClient(create_app(db, load_settings({"public_read": str(public_read)}, environ={})))


@pytest.fixture
def users(db: Database, sample_csv: Path) -> Database:
    import_file(db, sample_csv, "upr-info")
    for role in Role:
        create_user(db, role.value, PASSWORD, role)
    return db


def _walk(routes: list[Any], prefix: str) -> Iterator[tuple[str, str]]:
    """Every (method, path) the app serves, including routes of included routers (and their pages)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield from ((m, prefix + route.path) for m in route.methods - {"HEAD"})
        elif hasattr(route, "original_router"):
            yield from _walk(route.original_router.routes, prefix + route.include_context.prefix)


def test_every_route_is_in_the_table(users: Database) -> None:
    app = create_app(users)
    listed = {(m, p) for m, p, _, _ in ROUTES}
    served = {(m.upper(), path) for path, ops in app.openapi()["paths"].items() for m in ops}
    served |= set(_walk(app.routes, ""))
    assert len(served) > 20
    for method, path in served:
        assert path in _OPEN_FRAMEWORK or (method, path) in listed, f"{method} {path} is not in the table"


@pytest.mark.parametrize("public_read", [True, False])
@pytest.mark.parametrize("role", [None, *Role])
def test_each_role_gets_exactly_what_the_table_allows(
    users: Database, role: Role | None, public_read: bool
) -> None:
    client = _app(users, public_read)
    headers: dict[str, str] = {}
    if role is not None:
        answer = client.post("/api/v1/login", json={"username": role.value, "password": PASSWORD})
        assert answer.status_code == 200
        headers["X-CSRF-Token"] = answer.json()["csrf_token"]
    for method, _, path, permission in ROUTES:
        if path in ("/api/v1/login", "/api/v1/logout", "/login", "/language?lang=fr") or (
            method == "POST" and not path.startswith("/api")
        ):
            continue
        response = client.request(method, path, headers=headers, follow_redirects=False)
        expected = permission is None or allowed(role, permission, public_read=public_read)
        if not path.startswith("/api/"):  # pages send anonymous visitors to the login form instead
            refused_page = response.status_code == (303 if role is None else 403)
            assert refused_page is not expected, f"{role} {path}: {response.status_code}"
            continue
        refused = response.status_code in (401, 403)
        assert refused is not expected, (
            f"{role} {method} {path} (public_read={public_read}): {response.status_code}"
        )
        if refused:
            assert response.json()["error"] in ("login_required", "permission_denied")


def test_unsafe_requests_need_the_csrf_token(users: Database) -> None:
    client = _app(users, True)
    client.post("/api/v1/login", json={"username": "editor", "password": PASSWORD})
    path = "/api/v1/recommendations/1/tags/upr_issue/Justice/reject"
    assert client.post(path).status_code == 403
    assert client.post(path, headers={"X-CSRF-Token": "guess"}).status_code == 403
    token = client.get("/api/v1/me").json()["csrf_token"]
    decided = client.post(path, headers={"X-CSRF-Token": token})
    assert decided.status_code == 200
    assert {t["name"]: t["provenance"] for t in decided.json()["tags"]["upr_issue"]}["Justice"] == "rejected"


def test_tag_decisions_are_audited_with_before_and_after(users: Database) -> None:
    client = _app(users, True)
    token = client.post("/api/v1/login", json={"username": "contributor", "password": PASSWORD}).json()[
        "csrf_token"
    ]
    client.post("/api/v1/recommendations/1/tags/upr_issue/Impunity/confirm", headers={"X-CSRF-Token": token})
    admin = _app(users, True)
    admin.post("/api/v1/login", json={"username": "admin", "password": PASSWORD})
    events = admin.get("/api/v1/audit", params={"entity": "recommendation"}).json()
    assert events[0]["actor"] == "contributor" and events[0]["action"] == "confirm tag"
    assert events[0]["before"] == {"tag": "upr_issue: Impunity", "provenance": None}
    assert events[0]["after"]["provenance"] == "confirmed"


def test_login_failures_are_clear_and_logout_ends_the_session(users: Database) -> None:
    client = _app(users, False)
    bad = client.post("/api/v1/login", json={"username": "viewer", "password": "wrong password!"})
    assert bad.status_code == 401 and bad.json()["error"] == "login_failed"
    token = client.post("/api/v1/login", json={"username": "viewer", "password": PASSWORD}).json()[
        "csrf_token"
    ]
    assert client.get("/api/v1/stats").status_code == 200
    assert client.post("/api/v1/logout", headers={"X-CSRF-Token": token}).status_code == 200
    assert client.get("/api/v1/stats").status_code == 401


def test_login_page_logs_in_and_only_redirects_locally(users: Database) -> None:
    client = _app(users, False)
    first = client.get("/recommendations/1", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/login?next=%2Frecommendations%2F1"
    form = {"username": "viewer", "password": PASSWORD, "next": "//evil.example/"}
    answer = client.post("/login", data=form, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    assert client.get("/recommendations/1").status_code == 200
    wrong = _app(users, False).post("/login", data={**form, "password": "nope nope nope"})
    assert wrong.status_code == 401 and "Wrong username" in wrong.text
