"""The tracking API: every endpoint, called by each kind of member, by a member of another
workspace, by an instance admin who is not a member and anonymously, allows or refuses exactly as
the workspace role table says — and private records are never visible outside their workspace."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import docx
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from rightstrack.auth.accounts import create_user
from rightstrack.auth.roles import Role
from rightstrack.followup.access import WorkspacePermission as P
from rightstrack.followup.commitments import add_commitment, add_indicator, add_measure
from rightstrack.followup.evidence import EvidenceStore
from rightstrack.followup.model import (
    AssessmentCreate,
    AssessorType,
    CommitmentCreate,
    Frequency,
    ImplementationStatus,
    IndicatorCreate,
    MeasureCreate,
    ProgressCreate,
    Visibility,
    WorkspaceRole,
)
from rightstrack.followup.progress import add_assessment, add_progress, progress_of
from rightstrack.followup.workspaces import set_member
from rightstrack.settings import load_settings
from rightstrack.store.database import Database
from rightstrack.web.app import create_app
from tests.followup.scenario import PASSWORD, STANDARDS_3, USE_OF_FORCE_1, USE_OF_FORCE_2, City, build_city

PDF = b"%PDF-1.4\n%%EOF\n"
BASE = "/api/v1/workspaces/gotham-hrc"


@dataclass
class Fixture:
    city: City
    client: TestClient
    private: int
    public: int
    measure: int
    indicator: int
    progress: int
    evidence: int
    assessment: int


def _fixture(db: Database, tmp_path: Path) -> Fixture:
    city = build_city(db, tmp_path)
    create_user(db, "observer", PASSWORD, Role.VIEWER)
    owner = city.access(city.chair)
    set_member(db, owner, "observer", WorkspaceRole.VIEWER)
    private = add_commitment(
        db, owner, CommitmentCreate(recommendation_id=city.recommendation(USE_OF_FORCE_2))
    )
    public = add_commitment(
        db,
        owner,
        CommitmentCreate(recommendation_id=city.recommendation(USE_OF_FORCE_1), visibility=Visibility.PUBLIC),
    )
    measure = add_measure(db, owner, private, MeasureCreate(title="Train officers", due_on=date(2026, 1, 1)))
    indicator = add_indicator(
        db,
        owner,
        private,
        IndicatorCreate(name="Complaints", frequency=Frequency.YEARLY, starts_on=date(2025, 1, 1)),
    )
    settings = load_settings({"data_dir": str(tmp_path / "data"), "public_read": "true"}, environ={})
    store = EvidenceStore(settings.data_path / "evidence", 1024 * 1024)
    report = add_progress(
        db,
        owner,
        private,
        ProgressCreate(reported_on=date(2026, 1, 2), text="Curriculum drafted."),
        files=[("curriculum.pdf", PDF)],
        store=store,
    )
    with db.read() as conn:
        evidence = progress_of(conn, owner, private)[0]["evidence"][0]["id"]
    assessment = add_assessment(
        db,
        owner,
        private,
        AssessmentCreate(
            assessor_type=AssessorType.GOVERNMENT,
            assessor="Mayor",
            status=ImplementationStatus.PARTIALLY,
            assessed_on=date(2026, 1, 3),
            source="Press release",
        ),
    )
    client = TestClient(create_app(db, settings))
    return Fixture(city, client, private, public, measure, indicator, report, evidence, assessment)


def _routes(f: Fixture) -> list[tuple[str, str, str, dict[str, object] | None, P | None]]:
    """(method, route template, path, JSON body, workspace permission needed; None: anyone who may read)."""
    new_rec = f.city.recommendation(STANDARDS_3)
    return [
        ("GET", "/{slug}", BASE, None, None),
        ("GET", "/{slug}/members", f"{BASE}/members", None, P.READ_PRIVATE),
        ("PUT", "/{slug}/members/{username}", f"{BASE}/members/ngo", {"role": "viewer"}, P.MANAGE),
        ("GET", "/{slug}/actors", f"{BASE}/actors", None, None),
        (
            "POST",
            "/{slug}/actors",
            f"{BASE}/actors",
            {"name": "Police Oversight Board", "kind": "city_agency"},
            P.EDIT,
        ),
        (
            "PATCH",
            "/{slug}/actors/{actor_id}",
            f"{BASE}/actors/1",
            {"version": 1, "name": "Oversight Board"},
            P.EDIT,
        ),
        ("GET", "/{slug}/commitments", f"{BASE}/commitments", None, None),
        ("POST", "/{slug}/commitments", f"{BASE}/commitments", {"recommendation_id": new_rec}, P.EDIT),
        (
            "GET",
            "/{slug}/commitments/{commitment_id}",
            f"{BASE}/commitments/{f.private}",
            None,
            P.READ_PRIVATE,
        ),
        (
            "PATCH",
            "/{slug}/commitments/{commitment_id}",
            f"{BASE}/commitments/{f.private}",
            {"version": 1, "title": "Use of force"},
            P.EDIT,
        ),
        (
            "POST",
            "/{slug}/commitments/{commitment_id}/measures",
            f"{BASE}/commitments/{f.private}/measures",
            {"title": "Body cameras", "due_on": "2026-09-01"},
            P.EDIT,
        ),
        (
            "PATCH",
            "/{slug}/measures/{measure_id}",
            f"{BASE}/measures/{f.measure}",
            {"version": 1, "status": "in_progress"},
            P.EDIT,
        ),
        (
            "POST",
            "/{slug}/commitments/{commitment_id}/indicators",
            f"{BASE}/commitments/{f.private}/indicators",
            {"name": "Incidents", "frequency": "quarterly", "starts_on": "2026-01-01"},
            P.EDIT,
        ),
        (
            "POST",
            "/{slug}/indicators/{indicator_id}/values",
            f"{BASE}/indicators/{f.indicator}/values",
            {"reported_on": "2026-01-05", "value": "12"},
            P.REPORT,
        ),
        (
            "POST",
            "/{slug}/commitments/{commitment_id}/progress",
            f"{BASE}/commitments/{f.private}/progress",
            None,
            P.REPORT,
        ),
        ("GET", "/{slug}/evidence/{evidence_id}", f"{BASE}/evidence/{f.evidence}", None, P.READ_PRIVATE),
        (
            "POST",
            "/{slug}/commitments/{commitment_id}/assessments",
            f"{BASE}/commitments/{f.private}/assessments",
            {
                "assessor_type": "civil_society",
                "assessor": "Coalition",
                "status": "not_implemented",
                "assessed_on": "2026-02-01",
                "source": "Shadow report",
            },
            P.REPORT,
        ),
        (
            "PATCH",
            "/{slug}/assessments/{assessment_id}",
            f"{BASE}/assessments/{f.assessment}",
            {"version": 1, "note": "Checked"},
            P.REPORT,
        ),
        (
            "GET",
            "/{slug}/{entity}/{record_id}/history",
            f"{BASE}/measure/{f.measure}/history",
            None,
            P.READ_PRIVATE,
        ),
        ("DELETE", "/{slug}/{entity}/{record_id}", f"{BASE}/measure/{f.measure}", None, P.EDIT),
        ("GET", "/{slug}/bin", f"{BASE}/bin", None, P.READ_PRIVATE),
        ("POST", "/{slug}/{entity}/{record_id}/restore", f"{BASE}/measure/{f.measure}/restore", None, P.EDIT),
        ("GET", "/templates/{kind}.csv", "/api/v1/workspaces/templates/measures.csv", None, None),
        ("GET", "/{slug}/report.{fmt}", f"{BASE}/report.docx", None, None),
        ("GET", "/{slug}/export/{kind}.csv", f"{BASE}/export/commitments.csv", None, None),
        ("POST", "/{slug}/import/{kind}", f"{BASE}/import/measures", None, P.EDIT),
        ("DELETE", "/{slug}/members/{username}", f"{BASE}/members/observer", None, P.MANAGE),
    ]


_ROLE_OF = {
    "chair": WorkspaceRole.OWNER,
    "analyst": WorkspaceRole.EDITOR,
    "ngo": WorkspaceRole.CONTRIBUTOR,
    "observer": WorkspaceRole.VIEWER,
}
_GRANTS = {
    WorkspaceRole.OWNER: set(P),
    WorkspaceRole.EDITOR: {P.READ_PRIVATE, P.REPORT, P.EDIT},
    WorkspaceRole.CONTRIBUTOR: {P.READ_PRIVATE, P.REPORT},
    WorkspaceRole.VIEWER: {P.READ_PRIVATE},
}


def _login(client: TestClient, username: str | None) -> dict[str, str]:
    if username is None:
        return {}
    answer = client.post("/api/v1/login", json={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"X-CSRF-Token": answer.json()["csrf_token"]}


def test_every_tracking_route_is_in_the_matrix(db: Database, tmp_path: Path) -> None:
    f = _fixture(db, tmp_path)
    listed = {(m, "/api/v1/workspaces" + t) for m, t, _, _, _ in _routes(f)}
    listed |= {("GET", "/api/v1/workspaces"), ("POST", "/api/v1/workspaces")}
    served = {
        (m, r.path)
        for r in f.client.app.routes  # type: ignore[attr-defined]
        if isinstance(r, APIRoute) and r.path.startswith("/api/v1/workspaces")
        for m in r.methods - {"HEAD"}
    }
    assert served - listed == set()


@pytest.mark.parametrize("username", ["chair", "analyst", "ngo", "observer", "outsider", "admin", None])
def test_each_identity_gets_exactly_what_its_workspace_role_allows(
    db: Database, tmp_path: Path, username: str | None
) -> None:
    f = _fixture(db, tmp_path)
    headers = _login(f.client, username)
    role = _ROLE_OF.get(username or "")
    grants = _GRANTS[role] if role else ({P.MANAGE} if username == "admin" else set())
    for method, _, path, body, needed in _routes(f):
        if path.endswith("/import/measures"):
            rec = f.city.recommendation(USE_OF_FORCE_2)
            rows = f"recommendation_id,title,due_on\n{rec},Audit stops,2026-07-01\n"
            response = f.client.post(
                path, headers=headers, files=[("file", ("m.csv", rows.encode(), "text/csv"))]
            )
        elif path.endswith("/progress"):
            response = f.client.post(
                path,
                headers=headers,
                data={"reported_on": "2026-02-02", "text": "Trained 40."},
                files=[("files", ("roster.csv", b"name\nA\n", "text/csv"))],
            )
        else:
            response = f.client.request(method, path, headers=headers, json=body)
        allowed = needed is None or needed in grants
        assert (response.status_code < 400) is allowed, (
            f"{username} {method} {path}: {response.status_code} {response.text}"
        )
        if not allowed:
            assert response.status_code in (401, 403, 404), response.text
            assert response.json()["ok"] is False


@pytest.mark.parametrize("username", ["outsider", "admin", None])
def test_outsiders_see_public_records_only(db: Database, tmp_path: Path, username: str | None) -> None:
    f = _fixture(db, tmp_path)
    headers = _login(f.client, username)
    listed = f.client.get(f"{BASE}/commitments", headers=headers).json()
    assert [c["id"] for c in listed] == [f.public]
    board = f.client.get(BASE, headers=headers).json()
    assert [c["id"] for c in board["commitments"]] == [f.public]
    assert board["overdue"] == []  # the overdue measure belongs to the private commitment
    assert f.client.get(f"{BASE}/commitments/{f.public}", headers=headers).status_code == 200
    report = docx.Document(io.BytesIO(f.client.get(f"{BASE}/report.docx", headers=headers).content))
    text = "\n".join(p.text for p in report.paragraphs) + "".join(
        c.text for t in report.tables for row in t.rows for c in row.cells
    )
    assert "Gotham Human Rights Commission" in text and "Train officers" not in text
    assert "Train officers" not in f.client.get(f"{BASE}/export/measures.csv", headers=headers).text
    for path in (f"{BASE}/commitments/{f.private}", f"{BASE}/evidence/{f.evidence}"):
        answer = f.client.get(path, headers=headers)
        assert answer.status_code in (401, 403, 404)
        assert "Curriculum" not in answer.text and "Train officers" not in answer.text


def test_a_member_reads_the_whole_commitment(db: Database, tmp_path: Path) -> None:
    f = _fixture(db, tmp_path)
    headers = _login(f.client, "ngo")
    detail = f.client.get(f"{BASE}/commitments/{f.private}", headers=headers).json()
    assert detail["measures"][0]["title"] == "Train officers"
    assert detail["progress"][0]["evidence"][0]["filename"] == "curriculum.pdf"
    assert detail["gap"]["government"]["status"] == "partially"
    download = f.client.get(f"{BASE}/evidence/{f.evidence}", headers=headers)
    assert download.content == PDF and download.headers["content-type"] == "application/pdf"


def test_bad_input_gets_the_one_error_shape(db: Database, tmp_path: Path) -> None:
    f = _fixture(db, tmp_path)
    headers = _login(f.client, "analyst")
    answer = f.client.post(
        f"{BASE}/commitments/{f.private}/measures",
        headers=headers,
        json={"title": "Body cameras", "due_on": "next spring"},
    )
    assert answer.status_code == 400
    assert answer.json()["problems"][0]["field"].endswith("due_on")
    bad_file = f.client.post(
        f"{BASE}/commitments/{f.private}/progress",
        headers=headers,
        data={"reported_on": "2026-02-02", "text": "See file."},
        files=[("files", ("report.pdf", b"MZ\x90\x00", "application/pdf"))],
    )
    assert bad_file.status_code == 400 and bad_file.json()["problems"][0]["file"] == "report.pdf"
    stale = f.client.patch(
        f"{BASE}/measures/{f.measure}", headers=headers, json={"version": 7, "title": "Train all"}
    )
    assert stale.status_code == 409
