"""The issue's scenario: a restricted incident with a source-protected witness, a UN urgent
appeal and an IACHR precautionary measure with follow-up, then a reprisal linked to it.
Each role sees exactly what it may, through the library and through the API."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

from rightstrack.defenders import cases, casework, exports, sharing
from rightstrack.defenders.crypto import Vault
from rightstrack.errors import InvalidInput, NotFound, PermissionDenied
from rightstrack.store.database import Database
from tests.defenders.conftest import CANARY, Scenario, as_viewer

FULL = {"owner", "backup", "teammate"}
SEES_WITNESS = {"owner", "backup"}


@pytest.mark.parametrize(
    "name", [None, "owner", "backup", "teammate", "colleague", "admin", "viewer", "editor"]
)
def test_each_role_sees_exactly_what_it_may(
    db: Database, vault: Vault, scenario: Scenario, name: str | None
) -> None:
    who = as_viewer(db, name)
    if name not in FULL:
        for case_id in (scenario.attack, scenario.reprisal):
            with pytest.raises(NotFound):
                casework.dossier(db, vault, who, case_id)
        listed = cases.list_cases(db, vault, who, q="raid")
        assert scenario.attack not in {c["id"] for c in listed["items"]}
        public = casework.dossier(db, vault, who, scenario.public)
        assert public["view"] == ("public" if name is None else "full")
        return
    attack = casework.dossier(db, vault, who, scenario.attack)
    assert attack["view"] == "full" and CANARY in attack["title"]
    assert [a["victim_name"] for a in attack["acts"]] == [f"Ana {CANARY}", f"Luis {CANARY}"]
    witness = next(s for s in attack["sources"] if s["id"] == scenario.witness)
    assert (witness["identity"] is not None) is (name in SEES_WITNESS)
    assert witness["statement"].startswith("I saw four men")
    measure = next(i for i in attack["interventions"] if i["id"] == scenario.iachr)
    assert measure["status"] == "granted" and measure["next_due"] == "2024-10-30"
    if name == "backup":  # the reprisal is not shared with the backup: even its link stays hidden
        assert attack["links"] == []
        with pytest.raises(NotFound):
            casework.dossier(db, vault, who, scenario.reprisal)
        return
    link = attack["links"][0]
    assert (link["type"], link["to"], link["intervention_id"]) == (
        "reprisal_for_cooperation",
        scenario.reprisal,
        scenario.un,
    )
    reprisal = casework.dossier(db, vault, who, scenario.reprisal)
    assert reprisal["acts"][0]["act_type"] == "X-REPRISAL-UN"
    assert reprisal["links"][0]["from"] == scenario.attack


def test_only_the_owner_and_write_grantees_may_change_a_restricted_case(
    db: Database, vault: Vault, scenario: Scenario
) -> None:
    with db.read() as conn:
        current = cases.read_version(conn, vault, scenario.attack, 1)
    current["monitoring_status"] = "ignored"
    new = {k: v for k, v in current.items() if k not in ("version", "recorded_by", "monitoring_status")}
    assert cases.add_version(db, vault, as_viewer(db, "backup"), scenario.attack, new) == 2
    with pytest.raises(PermissionDenied):
        cases.add_version(db, vault, as_viewer(db, "teammate"), scenario.attack, new)
    with pytest.raises(NotFound):
        cases.add_version(db, vault, as_viewer(db, "colleague"), scenario.attack, new)
    # Nothing is overwritten: version 1 is still there, as it was.
    owner = as_viewer(db, "owner")
    assert cases.get_case(db, vault, owner, scenario.attack, version=1)["version"] == 1
    assert [h["version"] for h in cases.history(db, owner, scenario.attack)] == [1, 2]


def test_monitoring_lists_awaited_and_overdue_follow_ups_for_readers_only(
    db: Database, vault: Vault, scenario: Scenario
) -> None:
    owner = casework.monitoring(db, vault, as_viewer(db, "owner"), today=date(2024, 6, 1))
    assert {i["id"] for i in owner["awaiting_reply"]} == {scenario.un, scenario.iachr}
    assert {i["id"] for i in owner["overdue"]} == {scenario.un}  # the reply was due on 20 May
    casework.add_update(
        db, vault, as_viewer(db, "owner"), scenario.un, on_date="2024-05-28", status="reply_received"
    )
    later = casework.monitoring(db, vault, as_viewer(db, "owner"), today=date(2024, 11, 2))
    assert {i["id"] for i in later["overdue"]} == {scenario.iachr}
    assert later["open_cases"] == 3
    outsider = casework.monitoring(db, vault, as_viewer(db, "colleague"), today=date(2024, 11, 2))
    assert outsider["overdue"] == [] and outsider["open_cases"] == 1


def test_the_submission_pack_honours_consent(db: Database, vault: Vault, scenario: Scenario) -> None:
    pack = exports.submission_pack(db, vault, as_viewer(db, "owner"), [scenario.attack])
    entry = pack["cases"][0]
    assert [a["victim"] for a in entry["acts"]] == [f"Ana {CANARY}", exports.WITHHELD_NAME]
    assert len(entry["sources"]) == 1 and entry["sources_withheld_for_consent"] == 1
    assert "identity" not in entry["sources"][0]
    text = str(pack)
    assert "Witness" not in text and "+57" not in text and "Neighbour" not in text
    assert "Private account" not in text
    with pytest.raises(NotFound):
        exports.submission_pack(db, vault, as_viewer(db, "admin"), [scenario.attack])


def test_the_api_gives_each_role_the_same_answer(
    clients: dict[str | None, TestClient], scenario: Scenario
) -> None:
    for name, client in clients.items():
        answer = client.get(f"/api/v1/defenders/cases/{scenario.attack}")
        if name in FULL:
            assert answer.status_code == 200 and CANARY in answer.text
        else:
            assert answer.status_code == 404 and CANARY not in answer.text
        public = client.get(f"/api/v1/defenders/cases/{scenario.public}")
        assert public.status_code == 200
        assert ("Journalist threatened" in public.text) is (name is not None)


def test_a_source_protected_case_has_one_backup_only(db: Database, vault: Vault, scenario: Scenario) -> None:
    owner = as_viewer(db, "owner")
    case_id = cases.create_case(
        db, vault, owner, {"acts": [{"act_type": "X-SMEAR"}]}, sensitivity="source_protected"
    )
    sharing.grant(db, owner, case_id, "backup", level="write")
    with pytest.raises(InvalidInput):
        sharing.grant(db, owner, case_id, "colleague")
    with pytest.raises(InvalidInput):
        sharing.grant(db, owner, case_id, "cauca-team", kind="group")


def test_reads_are_audited_without_invalidating_the_search_caches(
    db: Database, vault: Vault, scenario: Scenario
) -> None:
    from rightstrack.auth.audit import recent

    generation = db.generation()
    casework.dossier(db, vault, as_viewer(db, "teammate"), scenario.attack)
    cases.list_cases(db, vault, as_viewer(db, "teammate"), q="raid")
    assert db.generation() == generation
    with db.read() as conn:
        latest = recent(conn, 2, entity=cases.ENTITY)
    assert [(e["actor"], e["action"]) for e in latest] == [("teammate", "list"), ("teammate", "read")]
    assert latest[1]["entity_id"] == scenario.attack and latest[1]["after"] is None
