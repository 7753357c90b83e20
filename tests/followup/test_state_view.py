"""A state's profile shows what workspaces have published about its recommendations — public
records only, by cycle, claim and independent view kept apart."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from rightstrack.followup.commitments import add_commitment
from rightstrack.followup.model import (
    AssessmentCreate,
    AssessorType,
    CommitmentCreate,
    ImplementationStatus,
    Visibility,
)
from rightstrack.followup.progress import add_assessment
from rightstrack.followup.state_view import state_implementation
from rightstrack.settings import load_settings
from rightstrack.store.database import Database
from rightstrack.web.app import create_app
from tests.followup.scenario import STANDARDS_3, USE_OF_FORCE_1, USE_OF_FORCE_2, build_city


def _assess(
    db: Database, access: object, commitment: int, kind: AssessorType, status: ImplementationStatus
) -> None:
    add_assessment(
        db,
        access,
        commitment,
        AssessmentCreate(  # type: ignore[arg-type]
            assessor_type=kind,
            assessor="Someone",
            status=status,
            assessed_on=date(2026, 3, 1),
            source="Report",
        ),
    )


def test_public_records_only_by_cycle(db: Database, tmp_path: Path) -> None:
    city = build_city(db, tmp_path)
    owner = city.access(city.chair)
    first = add_commitment(
        db,
        owner,
        CommitmentCreate(recommendation_id=city.recommendation(USE_OF_FORCE_1), visibility=Visibility.PUBLIC),
    )
    _assess(db, owner, first, AssessorType.GOVERNMENT, ImplementationStatus.FULLY)
    _assess(db, owner, first, AssessorType.CIVIL_SOCIETY, ImplementationStatus.NOT_IMPLEMENTED)
    repeated = add_commitment(
        db,
        owner,
        CommitmentCreate(recommendation_id=city.recommendation(USE_OF_FORCE_2), visibility=Visibility.PUBLIC),
    )
    secret = add_commitment(
        db,
        owner,
        CommitmentCreate(
            recommendation_id=city.recommendation(STANDARDS_3), title="Confidential draft on lethal force"
        ),
    )
    _assess(db, owner, secret, AssessorType.GOVERNMENT, ImplementationStatus.PARTIALLY)
    with db.read() as conn:
        found = state_implementation(conn, "USA")
        elsewhere = state_implementation(conn, "BRA")
    assert [(w["slug"], w["commitments"]) for w in found["workspaces"]] == [("gotham-hrc", 2)]
    assert {row["cycle"]: row["counts"] for row in found["by_cycle"]} == {
        "1": {"not_implemented": 1},
        "2": {"not_implemented": 1},
    }  # cycle 2 carries cycle 1 forward
    assert found["disputed"] == 2 and found["repeated_not_implemented"] == 1
    assert elsewhere["workspaces"] == [] and repeated != secret

    page = TestClient(create_app(db, load_settings({"public_read": "true"}, environ={}))).get("/states/USA")
    assert page.status_code == 200
    assert (
        'href="/workspaces/gotham-hrc"' in page.text and "Public commitments by cycle and status" in page.text
    )
    assert "Confidential draft" not in page.text
