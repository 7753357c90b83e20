"""The tracking library through the city scenario: actors, commitments, measures, progress with
evidence, assessments side by side, due and overdue, history, delete and restore."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from rightstrack.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from rightstrack.followup import lifecycle
from rightstrack.followup.commitments import (
    add_commitment,
    add_indicator,
    add_indicator_value,
    add_measure,
    commitment_actors,
    get_commitment,
    list_commitments,
    update_measure,
)
from rightstrack.followup.evidence import EvidenceStore
from rightstrack.followup.model import (
    ActorCreate,
    ActorKind,
    AssessmentCreate,
    AssessorType,
    CommitmentCreate,
    Frequency,
    ImplementationStatus,
    IndicatorCreate,
    IndicatorValueCreate,
    MeasureCreate,
    MeasureStatus,
    MeasureUpdate,
    ProgressCreate,
    Visibility,
)
from rightstrack.followup.progress import add_assessment, add_progress, assessments_of, claim_gap, progress_of
from rightstrack.followup.schema import recommendation_links
from rightstrack.followup.status import dashboard, due_items, standings
from rightstrack.followup.workspaces import actors, add_actor
from rightstrack.store.database import Database
from tests.followup.scenario import USE_OF_FORCE_1, USE_OF_FORCE_2, City, add_city_actors, build_city

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def city(db: Database, tmp_path: Path) -> City:
    return build_city(db, tmp_path)


def _police_commitment(city: City, text: str = USE_OF_FORCE_2) -> tuple[int, int, int]:
    owner = city.access(city.chair)
    city_id, police = add_city_actors(city)
    commitment = add_commitment(
        city.db,
        owner,
        CommitmentCreate(
            recommendation_id=city.recommendation(text), actor_ids=[city_id], lead_actor_id=police
        ),
    )
    return commitment, city_id, police


def test_actor_tree_and_commitment_with_lead(city: City) -> None:
    commitment, _, police = _police_commitment(city)
    with city.db.read() as conn:
        tree = actors(conn, city.access(city.chair))
        lead = [a for a in commitment_actors(conn, commitment) if a["lead"]]
        found = get_commitment(conn, city.access(city.chair), commitment)
    assert [(a["name"], a["depth"]) for a in tree] == [("City of Gotham", 0), ("Gotham Police Department", 1)]
    assert [a["id"] for a in lead] == [police]
    assert found["title"].startswith("Take effective measures") and found["version"] == 1


def test_local_pledge_needs_its_source(city: City) -> None:
    owner = city.access(city.chair)
    with pytest.raises(InvalidInput) as error:
        add_commitment(
            city.db, owner, CommitmentCreate(title="CEDAW ordinance", pledge="Implement CEDAW locally")
        )
    assert [p.field for p in error.value.problems] == ["source"]
    pledge = add_commitment(
        city.db,
        owner,
        CommitmentCreate(
            title="CEDAW ordinance", pledge="Implement CEDAW locally", source="Ordinance 2024-17"
        ),
    )
    assert pledge > 0


def test_the_same_recommendation_is_taken_once(city: City) -> None:
    _police_commitment(city)
    with pytest.raises(Conflict):
        add_commitment(
            city.db,
            city.access(city.chair),
            CommitmentCreate(recommendation_id=city.recommendation(USE_OF_FORCE_2)),
        )


def test_progress_with_evidence_and_the_gap_between_claim_and_civil_society(
    city: City, tmp_path: Path
) -> None:
    commitment, _, police = _police_commitment(city)
    store = EvidenceStore(tmp_path / "evidence", max_bytes=1024 * 1024)
    analyst = city.access(city.analyst)
    measure = add_measure(
        city.db,
        analyst,
        commitment,
        MeasureCreate(
            title="Publish a use-of-force policy",
            actor_id=police,
            due_on=date(2026, 3, 1),
            responsible_user="analyst",
        ),
    )
    report = add_progress(
        city.db,
        analyst,
        commitment,
        ProgressCreate(
            reported_on=date(2026, 2, 1), text="Draft policy published for comment.", measure_id=measure
        ),
        files=[("draft-policy.pdf", PDF)],
        store=store,
    )
    ngo = city.access(city.ngo)
    add_assessment(
        city.db,
        analyst,
        commitment,
        AssessmentCreate(
            assessor_type=AssessorType.GOVERNMENT,
            assessor="Office of the Mayor",
            status=ImplementationStatus.FULLY,
            assessed_on=date(2026, 4, 1),
            source="Mayor's mid-term statement",
        ),
    )
    add_assessment(
        city.db,
        ngo,
        commitment,
        AssessmentCreate(
            assessor_type=AssessorType.CIVIL_SOCIETY,
            assessor="Gotham Justice Coalition",
            status=ImplementationStatus.NOT_IMPLEMENTED,
            assessed_on=date(2026, 4, 15),
            source="Shadow report, April",
        ),
    )
    with city.db.read() as conn:
        reports = progress_of(conn, analyst, commitment)
        gap = claim_gap(assessments_of(conn, analyst, commitment))
    evidence = reports[0]["evidence"][0]
    assert reports[0]["id"] == report and evidence["filename"] == "draft-policy.pdf"
    assert store.read(evidence["sha256"]) == PDF
    assert gap["government"]["status"] == "fully"
    assert gap["others"]["civil_society"]["status"] == "not_implemented"
    assert gap["disputed"] is True


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        ("policy.pdf", b"MZ\x90\x00 not a pdf", "not a kind of file accepted as evidence"),
        ("photo.pdf", b"\x89PNG\r\n\x1a\n....", "holds image/png"),
        ("empty.pdf", b"", "empty"),
        ("big.txt", b"x" * 2048, "larger than"),
    ],
)
def test_evidence_is_checked_and_nothing_is_written_when_refused(
    city: City, tmp_path: Path, name: str, data: bytes, why: str
) -> None:
    commitment, _, _ = _police_commitment(city)
    store = EvidenceStore(tmp_path / "evidence", max_bytes=1024)
    with pytest.raises(InvalidInput, match=why):
        add_progress(
            city.db,
            city.access(city.analyst),
            commitment,
            ProgressCreate(reported_on=date(2026, 2, 1), text="With a bad file."),
            files=[(name, data)],
            store=store,
        )
    with city.db.read() as conn:
        assert progress_of(conn, city.access(city.analyst), commitment) == []


def test_due_and_overdue_measures_and_indicators(city: City) -> None:
    commitment, _, _ = _police_commitment(city)
    analyst = city.access(city.analyst)
    late = add_measure(
        city.db, analyst, commitment, MeasureCreate(title="Train officers", due_on=date(2026, 1, 10))
    )
    add_measure(
        city.db, analyst, commitment, MeasureCreate(title="Audit complaints", due_on=date(2026, 6, 1))
    )
    soon = add_measure(
        city.db, analyst, commitment, MeasureCreate(title="Hire monitor", due_on=date(2026, 2, 5))
    )
    indicator = add_indicator(
        city.db,
        analyst,
        commitment,
        IndicatorCreate(
            name="Use-of-force incidents", frequency=Frequency.QUARTERLY, starts_on=date(2025, 10, 1)
        ),
    )
    today = date(2026, 2, 1)
    with city.db.read() as conn:
        due = {(d.kind, d.id): d.overdue for d in due_items(conn, analyst.id, today)}
    assert due == {("measure", late): True, ("measure", soon): False, ("indicator", indicator): True}
    add_indicator_value(
        city.db,
        city.access(city.ngo),
        indicator,
        IndicatorValueCreate(reported_on=date(2026, 1, 5), value="14"),
    )
    update_measure(city.db, analyst, late, MeasureUpdate(version=1, status=MeasureStatus.DONE))
    with city.db.read() as conn:
        due = {(d.kind, d.id): d.overdue for d in due_items(conn, analyst.id, today)}
    assert due == {("measure", soon): False}


def test_editing_keeps_history_and_refuses_stale_versions(city: City) -> None:
    commitment, _, _ = _police_commitment(city)
    analyst = city.access(city.analyst)
    measure = add_measure(
        city.db, analyst, commitment, MeasureCreate(title="Train officers", due_on=date(2026, 1, 10))
    )
    update_measure(city.db, analyst, measure, MeasureUpdate(version=1, due_on=date(2026, 5, 1)))
    with pytest.raises(Conflict, match="Someone else changed this measure"):
        update_measure(city.db, analyst, measure, MeasureUpdate(version=1, title="Train all officers"))
    with city.db.read() as conn:
        revisions = lifecycle.record_history(conn, analyst, "measure", measure)
    assert [r["action"] for r in revisions] == ["create", "update"]
    assert revisions[1]["actor"] == "analyst"
    assert (
        revisions[1]["before"]["due_on"] == "2026-01-10" and revisions[1]["after"]["due_on"] == "2026-05-01"
    )


def test_deleting_is_reversible_within_the_retention_period(city: City) -> None:
    commitment, _, _ = _police_commitment(city)
    owner = city.access(city.chair)
    lifecycle.delete_record(city.db, owner, "commitment", commitment)
    with city.db.read() as conn:
        assert list_commitments(conn, owner) == []
        assert [d["id"] for d in lifecycle.deleted_records(conn, owner)] == [commitment]
    lifecycle.restore_record(city.db, owner, "commitment", commitment, retention_days=30)
    with city.db.read() as conn:
        assert [c["id"] for c in list_commitments(conn, owner)] == [commitment]
        assert [r["action"] for r in lifecycle.record_history(conn, owner, "commitment", commitment)] == [
            "create",
            "delete",
            "restore",
        ]
    lifecycle.delete_record(city.db, owner, "commitment", commitment)
    later = datetime.now(UTC) + timedelta(days=31)
    with pytest.raises(Conflict, match="more than 30 days"), city.db.transaction() as conn:
        from rightstrack.followup import history
        from rightstrack.followup.schema import fu_commitments

        history.restore(conn, fu_commitments, owner, "commitment", commitment, retention_days=30, now=later)
    assert lifecycle.purge(city.db, retention_days=30)["commitment"] == 0  # still inside the period
    assert lifecycle.purge(city.db, retention_days=30, now=later)["commitment"] == 1
    with pytest.raises(NotFound):
        lifecycle.restore_record(city.db, owner, "commitment", commitment, retention_days=30)


def test_roles_inside_a_workspace(city: City) -> None:
    commitment, _, _ = _police_commitment(city)
    with pytest.raises(PermissionDenied):
        add_measure(
            city.db, city.access(city.ngo), commitment, MeasureCreate(title="x y", due_on=date(2026, 1, 1))
        )
    with pytest.raises(PermissionDenied):
        add_actor(city.db, city.access(city.outsider), ActorCreate(name="Intruder", kind=ActorKind.OTHER))


def test_private_records_stay_in_their_workspace_and_public_ones_are_read(city: City) -> None:
    private, _, _ = _police_commitment(city)
    public = add_commitment(
        city.db,
        city.access(city.chair),
        CommitmentCreate(recommendation_id=city.recommendation(USE_OF_FORCE_1), visibility=Visibility.PUBLIC),
    )
    for reader in (city.outsider, None):
        access = city.access(reader)
        with city.db.read() as conn:
            assert [c["id"] for c in list_commitments(conn, access)] == [public]
            with pytest.raises(NotFound):
                get_commitment(conn, access, private)


def test_a_repeated_recommendation_carries_the_earlier_standing_forward(city: City) -> None:
    owner = city.access(city.chair)
    earlier = add_commitment(
        city.db, owner, CommitmentCreate(recommendation_id=city.recommendation(USE_OF_FORCE_1))
    )
    add_assessment(
        city.db,
        owner,
        earlier,
        AssessmentCreate(
            assessor_type=AssessorType.CIVIL_SOCIETY,
            assessor="Coalition",
            status=ImplementationStatus.NOT_IMPLEMENTED,
            assessed_on=date(2014, 9, 1),
            source="Mid-term shadow report",
        ),
    )
    later = add_commitment(
        city.db, owner, CommitmentCreate(recommendation_id=city.recommendation(USE_OF_FORCE_2))
    )
    with city.db.read() as conn:  # the import linked the repeated ask to its predecessor
        linked = conn.execute(recommendation_links.select()).all()
    assert [(r.recommendation_id, r.earlier_id) for r in linked] == [
        (city.recommendation(USE_OF_FORCE_2), city.recommendation(USE_OF_FORCE_1))
    ]
    with city.db.read() as conn:
        found = {s["id"]: s for s in standings(conn, owner)}
        board = dashboard(conn, owner, date(2026, 2, 1))
    assert found[later]["carried_from"] == earlier
    assert found[later]["status"] == "not_implemented" and found[later]["repeated_not_implemented"]
    assert found[earlier]["repeated_not_implemented"] is False
    assert board["totals"] == {"not_implemented": 2}
    assert {row["label"] for row in board["by_cycle"]} == {"Cycle 1", "Cycle 2"}
