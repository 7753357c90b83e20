"""Fixtures of the tracking pages' tests: a city workspace with private and public records, and
clients logged in as each of its people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rightstrack.followup.commitments import add_commitment, add_measure
from rightstrack.followup.evidence import EvidenceStore
from rightstrack.followup.model import (
    AssessmentCreate,
    AssessorType,
    CommitmentCreate,
    ImplementationStatus,
    MeasureCreate,
    ProgressCreate,
    Visibility,
)
from rightstrack.followup.progress import add_assessment, add_progress, progress_of
from rightstrack.settings import load_settings
from rightstrack.store.database import Database
from rightstrack.web.app import create_app
from tests.followup.scenario import PASSWORD, STANDARDS_3, USE_OF_FORCE_2, City, add_city_actors, build_city

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PRIVATE_TITLE = "Police use of force (private draft)"
PUBLIC_TITLE = "Binding standards on lethal force"


@dataclass
class Site:
    city: City
    data: Path
    private: int  # commitment on USE_OF_FORCE_2, private, with an overdue measure and evidence
    public: int  # commitment on STANDARDS_3, public
    police: int
    measure: int
    evidence: int
    public_evidence: int

    def client(self, username: str | None = None) -> Client:
        settings = load_settings({"public_read": "true", "data_dir": str(self.data)}, environ={})
        client = Client(create_app(self.city.db, settings))
        if username:
            answer = client.post("/api/v1/login", json={"username": username, "password": PASSWORD})
            assert answer.status_code == 200, answer.text
            client.csrf = answer.json()["csrf_token"]
        return client


class Client(TestClient):
    """A logged-in browser's client: it keeps the CSRF token that its forms send back."""

    csrf = ""


@pytest.fixture
def site(db: Database, tmp_path: Path) -> Site:
    city = build_city(db, tmp_path)
    data = tmp_path / "data"
    store = EvidenceStore(data / "evidence", max_bytes=1024 * 1024)
    owner = city.access(city.chair)
    city_id, police = add_city_actors(city)
    private = add_commitment(
        db,
        owner,
        CommitmentCreate(
            recommendation_id=city.recommendation(USE_OF_FORCE_2), title=PRIVATE_TITLE, lead_actor_id=police
        ),
    )
    public = add_commitment(
        db,
        owner,
        CommitmentCreate(
            recommendation_id=city.recommendation(STANDARDS_3),
            title=PUBLIC_TITLE,
            visibility=Visibility.PUBLIC,
            lead_actor_id=city_id,
        ),
    )
    measure = add_measure(
        db,
        owner,
        private,
        MeasureCreate(
            title="Publish the use-of-force policy",
            actor_id=police,
            responsible_user="analyst",
            due_on=date.today() - timedelta(days=10),
        ),
    )
    reports = []
    for commitment, visibility in ((private, Visibility.PRIVATE), (public, Visibility.PUBLIC)):
        reports.append(
            add_progress(
                db,
                owner,
                commitment,
                ProgressCreate(reported_on=date(2026, 2, 1), text="Draft published.", visibility=visibility),
                files=[("draft.pdf", PDF)],
                store=store,
            )
        )
    for kind, status, who in (
        (AssessorType.GOVERNMENT, ImplementationStatus.FULLY, "Office of the Mayor"),
        (AssessorType.CIVIL_SOCIETY, ImplementationStatus.NOT_IMPLEMENTED, "Gotham Justice Coalition"),
    ):
        add_assessment(
            db,
            owner,
            private,
            AssessmentCreate(
                assessor_type=kind, assessor=who, status=status, assessed_on=date(2026, 4, 1), source="Report"
            ),
        )
    with db.read() as conn:
        ids = [progress_of(conn, owner, c)[0]["evidence"][0]["id"] for c in (private, public)]
    return Site(city, data, private, public, police, measure, ids[0], ids[1])
