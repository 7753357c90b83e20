"""CSV import and export of commitments, measures and assessments, through the city scenario."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rightstrack.errors import ImportFailed, PermissionDenied
from rightstrack.followup.access import WorkspaceAccess
from rightstrack.followup.bulk import KINDS, export_csv, import_csv, template
from rightstrack.followup.commitments import add_commitment, add_measure, list_commitments, measures_of
from rightstrack.followup.model import (
    ActorCreate,
    ActorKind,
    AssessmentCreate,
    AssessorType,
    CommitmentCreate,
    ImplementationStatus,
    MeasureCreate,
    MeasureStatus,
    Visibility,
)
from rightstrack.followup.progress import add_assessment
from rightstrack.followup.schema import fu_revisions
from rightstrack.followup.workspaces import add_actor
from rightstrack.store.database import Database
from tests.followup.scenario import USE_OF_FORCE_1, USE_OF_FORCE_2, City, build_city

PLEDGE = "Adopt a municipal ordinance implementing CEDAW"


def _actors(db: Database, access: WorkspaceAccess) -> tuple[int, int]:
    gotham = add_actor(db, access, ActorCreate(name="City of Gotham", kind=ActorKind.CITY))
    police = add_actor(
        db, access, ActorCreate(name="Gotham Police Department", kind=ActorKind.CITY_AGENCY, parent_id=gotham)
    )
    return gotham, police


@pytest.fixture
def city(db: Database, tmp_path: Path) -> City:
    city = build_city(db, tmp_path)
    owner = city.access(city.chair)
    gotham, police = _actors(db, owner)
    _actors(db, city.access(city.outsider, city.other_slug))
    police_use = add_commitment(
        db,
        owner,
        CommitmentCreate(
            recommendation_id=city.recommendation(USE_OF_FORCE_2),
            actor_ids=[gotham],
            lead_actor_id=police,
            visibility=Visibility.PUBLIC,
        ),
    )
    pledge = add_commitment(
        db, owner, CommitmentCreate(title="CEDAW ordinance", pledge=PLEDGE, source="Council vote 2024-17")
    )
    for commitment, title, due in ((police_use, "=Publish a policy", 3), (pledge, "Draft the ordinance", 6)):
        add_measure(
            db,
            owner,
            commitment,
            MeasureCreate(
                title=title, actor_id=police, due_on=date(2026, due, 1), status=MeasureStatus.PLANNED
            ),
        )
    add_assessment(
        db,
        owner,
        police_use,
        AssessmentCreate(
            assessor_type=AssessorType.CIVIL_SOCIETY,
            assessor="Gotham Justice Coalition",
            status=ImplementationStatus.NOT_IMPLEMENTED,
            assessed_on=date(2026, 4, 15),
            source="Shadow report, April",
            note="Two “shadow” hearings",
        ),
    )
    return city


def _revisions(db: Database) -> int:
    with db.read() as conn:
        return int(conn.scalar(select(func.count()).select_from(fu_revisions)) or 0)


def _export(city: City, access: WorkspaceAccess, kind: str) -> str:
    with city.db.read() as conn:
        return export_csv(conn, access, kind)


def test_round_trip_into_another_workspace_and_idempotence(city: City) -> None:
    source, target = city.access(city.chair), city.access(city.outsider, city.other_slug)
    files = {kind: _export(city, source, kind) for kind in KINDS}
    assert "'=Publish a policy" in files["measures"]  # a spreadsheet does not run it as a formula
    first = {kind: import_csv(city.db, target, kind, files[kind], filename=f"{kind}.csv") for kind in KINDS}
    assert {k: len(s.created) for k, s in first.items()} == {
        "commitments": 2,
        "measures": 2,
        "assessments": 1,
    }
    assert {kind: _export(city, target, kind) for kind in KINDS} == files
    with city.db.read() as conn:
        titles = [
            m["title"] for c in list_commitments(conn, target) for m in measures_of(conn, target, c["id"])
        ]
    assert titles == ["=Publish a policy", "Draft the ordinance"]
    revisions = _revisions(city.db)
    again = {kind: import_csv(city.db, target, kind, files[kind].encode(), filename=kind) for kind in KINDS}
    assert all(s.created == () for s in again.values())
    assert {k: s.existing for k, s in again.items()} == {k: s.created for k, s in first.items()}
    assert _revisions(city.db) == revisions


def test_the_templates_read_back_as_empty_files(city: City) -> None:
    for kind in KINDS:
        assert template(kind).splitlines()[1].startswith("# ")
        summary = import_csv(city.db, city.access(city.chair), kind, template(kind), filename="t.csv")
        assert (summary.rows, summary.created) == (0, ())


def test_a_wrong_column_name_is_refused_naming_it(city: City) -> None:
    text = (
        f"recommendation_id,title,due_date\n{city.recommendation(USE_OF_FORCE_2)},Train officers,2026-01-01\n"
    )
    with pytest.raises(ImportFailed) as error:
        import_csv(city.db, city.access(city.chair), "measures", text, filename="measures.csv")
    problems = {(p.file, p.line, p.field) for p in error.value.problems}
    assert ("measures.csv", 1, "due_date") in problems
    assert ("measures.csv", 1, "due_on") in problems  # and the required column it should have been


def test_a_bad_date_on_line_3_writes_nothing(city: City) -> None:
    rid = city.recommendation(USE_OF_FORCE_2)
    text = (
        f"recommendation_id,title,due_on\n{rid},Train officers,2026-01-10\n{rid},Hire a monitor,2026-02-30\n"
    )
    before = _revisions(city.db)
    with pytest.raises(ImportFailed) as error:
        import_csv(city.db, city.access(city.analyst), "measures", text, filename="plan.csv")
    [problem] = error.value.problems
    assert (problem.file, problem.line, problem.field, problem.value) == (
        "plan.csv",
        3,
        "due_on",
        "2026-02-30",
    )
    assert "plan.csv, line 3, field 'due_on'" in str(error.value)
    assert _revisions(city.db) == before


def test_an_unknown_actor_is_named_with_its_line(city: City) -> None:
    text = "recommendation_id,lead_actor,actors\n" + (
        f"{city.recommendation(USE_OF_FORCE_1)},Gotham Police Department,City of Gotham; Gotham Parks\n"
    )
    with pytest.raises(ImportFailed) as error:
        import_csv(city.db, city.access(city.chair), "commitments", text, filename="c.csv")
    [problem] = error.value.problems
    assert (problem.line, problem.field, problem.value) == (2, "actors", "Gotham Parks")
    assert "no actor" in problem.message


def test_a_windows_1252_file(city: City, tmp_path: Path) -> None:
    path = tmp_path / "pledges.csv"
    text = "title;pledge;source\nLodz pledge;Equal pay – “Habré” rules;Décision municipale 12\n"
    path.write_bytes(text.replace(";", ",").encode("cp1252"))
    summary = import_csv(city.db, city.access(city.chair), "commitments", path)
    assert (summary.filename, summary.encoding, len(summary.created)) == ("pledges.csv", "cp1252", 1)
    with city.db.read() as conn:
        found = [c for c in list_commitments(conn, city.access(city.chair)) if c["id"] in summary.created]
    assert (
        found[0]["pledge"] == "Equal pay – “Habré” rules" and found[0]["source"] == "Décision municipale 12"
    )


def test_a_failing_row_leaves_nothing_half_written(city: City) -> None:
    owner = city.access(city.chair)
    text = (
        "recommendation_id,title,pledge,source,visibility\n"
        ",Housing pledge,Build 500 homes,Council vote,private\n"  # good
        f"{city.recommendation(USE_OF_FORCE_1)},,,,publik\n"  # bad visibility
        "999999,,,,\n"  # no such recommendation
        ",Housing pledge,Build 500 homes,Council vote,private\n"  # the same pledge twice
        ",Water pledge,,,\n"  # a pledge without its text and source
    )
    before = _revisions(city.db)
    with city.db.read() as conn:
        commitments = list_commitments(conn, owner)
    with pytest.raises(ImportFailed) as error:
        import_csv(city.db, owner, "commitments", text, filename="c.csv")
    found = {(p.line, p.field) for p in error.value.problems}
    assert found == {(3, "visibility"), (4, "recommendation_id"), (5, None), (6, "pledge"), (6, "source")}
    with city.db.read() as conn:
        assert list_commitments(conn, owner) == commitments
    assert _revisions(city.db) == before


def test_roles_and_what_a_non_member_exports(city: City) -> None:
    with pytest.raises(PermissionDenied):
        import_csv(city.db, city.access(city.ngo), "measures", template("measures"), filename="m.csv")
    assert import_csv(city.db, city.access(city.ngo), "assessments", template("assessments")).rows == 0
    public = _export(city, city.access(None), "commitments") + _export(city, city.access(None), "measures")
    assert "Gotham Police Department" in public and "=Publish a policy" in public
    assert PLEDGE not in public and "Draft the ordinance" not in public
