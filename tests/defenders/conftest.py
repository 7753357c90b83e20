"""Fixtures for the defenders tests: a keyed database, users of every role, the issue's scenario.

Argon2id runs with tiny parameters here so the tests stay fast; production refuses them (tested).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rightstrack.auth.accounts import create_user
from rightstrack.auth.roles import Role
from rightstrack.defenders import cases, casework, sharing
from rightstrack.defenders.access import Viewer
from rightstrack.defenders.crypto import KdfParams, Secret, Vault, write_key_file
from rightstrack.settings import load_settings
from rightstrack.store.database import Database
from rightstrack.web.app import create_app

FAST_KDF = KdfParams(time_cost=1, memory_kib=256, parallelism=1)
PASSWORD = "a long enough password"
CANARY = "CANARY-7f3a9c-Xochitl"  # planted in every sealed field of the restricted scenario


@pytest.fixture(autouse=True)
def data_dir_of_the_test(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Commands run here keep what they write (e.g. a PostgreSQL database's audit head) in the
    test's folder, not in ./data of the working copy."""
    monkeypatch.setenv("RIGHTSTRACK_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Users are made and logged in dozens of times here; argon2 at its defaults is the slow part.
    The accounts tests keep the real parameters."""
    from argon2 import PasswordHasher

    from rightstrack.auth import accounts

    monkeypatch.setattr(accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "master.key"
    write_key_file(path)
    return path


@pytest.fixture
def vault(db: Database, key_file: Path) -> Vault:
    keyed = Vault(db, [Secret.key_file(key_file)], FAST_KDF)
    keyed.initialise()
    return keyed


# Users: one per role, plus staff who matter to the scenario.
STAFF = {
    "owner": Role.EDITOR,  # documents the case
    "backup": Role.EDITOR,  # the one backup of a source-protected case
    "teammate": Role.VIEWER,  # in the group the case is shared with
    "colleague": Role.EDITOR,  # staff without a share
    "admin": Role.ADMIN,
    "viewer": Role.VIEWER,
    "contributor": Role.CONTRIBUTOR,
    "editor": Role.EDITOR,
}


@pytest.fixture
def users(db: Database) -> dict[str, Viewer]:
    found = {}
    for name, role in STAFF.items():
        create_user(db, name, PASSWORD, role)
        found[name] = Viewer(name, role)
    return found


def as_viewer(db: Database, name: str | None) -> Viewer:
    from rightstrack.defenders.access import ANONYMOUS, viewer

    if name is None:
        return ANONYMOUS
    with db.read() as conn:
        return viewer(conn, name, STAFF[name])


@dataclass(frozen=True)
class Scenario:
    attack: str  # restricted incident
    reprisal: str  # restricted reprisal linked to the UN communication
    public: str  # a public case
    witness: str
    un: str
    iachr: str


def restricted_content(marker: str = CANARY) -> dict[str, object]:
    return {
        "title": f"Raid on the office {marker}",
        "summary": f"Armed men searched the office and took laptops {marker}",
        "public_summary": "An office of a defenders' organisation was raided.",
        "start_date": "2024-03-14",
        "country": "COL",
        "admin_area": "Cauca",
        "locality": f"Vereda {marker}",
        "geo": [2.4411, -76.6063],
        "violation_status": "likely",
        "acts": [
            {
                "act_type": "040101000000",
                "victim_name": f"Ana {marker}",
                "victim_consent": "un_mechanisms",
                "counting_unit": "individual",
                "degree_of_involvement": "directly_carried_out",
                "defender_status": ["indigenous_defender", "woman_defender"],
                "perpetrator_types": ["nonstate.paramilitary"],
                "perpetrator_names": [f"Commander {marker}"],
                "sector": "mining_extractives",
                "stated_reason": f"Her work against the mine {marker}",
            },
            {
                "act_type": "020103020000",
                "victim_name": f"Luis {marker}",
                "defender_status": ["community_leader"],
                "perpetrator_types": ["nonstate.paramilitary"],
            },
        ],
    }


def build_scenario(db: Database, vault: Vault) -> Scenario:
    owner = as_viewer(db, "owner")
    attack = cases.create_case(db, vault, owner, restricted_content(), sensitivity="restricted")
    sharing.add_member(db, as_viewer(db, "admin"), "cauca-team", "teammate")
    sharing.grant(db, owner, attack, "cauca-team", kind="group", level="read")
    sharing.grant(db, owner, attack, "backup", kind="user", level="write")
    witness = casework.add_source(
        db,
        vault,
        owner,
        attack,
        identity={"name": f"Witness {CANARY}", "phone": f"+57 300 {CANARY}"},
        statement=f"I saw four men arrive at night {CANARY}",
        sensitivity="source_protected",
        consent="un_mechanisms",
        reliability="highly_reliable",
        connection="witness",
        corroboration_count=2,
    )
    casework.add_source(
        db,
        vault,
        owner,
        attack,
        identity={"name": f"Neighbour {CANARY}"},
        statement=f"Private account, not to be shared {CANARY}",
        consent="internal",
        connection="witness",
    )
    un = casework.add_intervention(
        db,
        vault,
        owner,
        attack,
        mechanism="UN_SP_COMMUNICATION",
        kind="UA",
        opened_on="2024-03-20",
        reply_due="2024-05-20",
        details={"reference": f"UA COL 3/2024 {CANARY}", "mandates": ["SR HRDs"]},
    )
    iachr = casework.add_intervention(
        db,
        vault,
        owner,
        attack,
        mechanism="IACHR_PM",
        kind="requested",
        opened_on="2024-03-22",
        details={"reference": f"MC 300-24 {CANARY}", "beneficiaries": [f"Ana {CANARY}"]},
    )
    casework.add_update(
        db,
        vault,
        owner,
        iachr,
        on_date="2024-04-30",
        status="granted",
        follow_up_due="2024-10-30",
        note=f"Resolution 30/24 {CANARY}",
    )
    reprisal_content = restricted_content()
    reprisal_content.update(start_date="2024-06-02", title=f"Threats after the appeal {CANARY}")
    reprisal_content["acts"] = [
        {
            "act_type": "X-REPRISAL-UN",
            "victim_name": f"Ana {CANARY}",
            "defender_status": ["indigenous_defender"],
            "perpetrator_types": ["unknown"],
        }
    ]
    reprisal = cases.create_case(db, vault, owner, reprisal_content, sensitivity="restricted")
    sharing.grant(db, owner, reprisal, "cauca-team", kind="group", level="read")
    casework.link(db, owner, reprisal, attack, "reprisal_for_cooperation", intervention_id=un)
    public = cases.create_case(
        db,
        vault,
        owner,
        {
            "title": "Journalist threatened (public)",
            "public_summary": "A journalist received death threats.",
            "start_date": "2023-11",
            "country": "MEX",
            "acts": [{"act_type": "020103020000", "defender_status": ["journalist_or_media_worker"]}],
        },
        sensitivity="public",
    )
    return Scenario(attack, reprisal, public, witness, un, iachr)


@pytest.fixture
def scenario(db: Database, vault: Vault, users: dict[str, Viewer]) -> Scenario:
    return build_scenario(db, vault)


@pytest.fixture
def keyed_env(monkeypatch: pytest.MonkeyPatch, key_file: Path) -> Path:
    monkeypatch.setenv("RIGHTSTRACK_KEY_FILE", str(key_file))
    monkeypatch.delenv("RIGHTSTRACK_PASSPHRASE", raising=False)
    monkeypatch.delenv("RIGHTSTRACK_PRODUCTION", raising=False)
    return key_file


def client_for(db: Database, name: str | None, *, public_read: bool = True) -> TestClient:
    client = TestClient(create_app(db, load_settings({"public_read": str(public_read)}, environ={})))
    if name is not None:
        answer = client.post("/api/v1/login", json={"username": name, "password": PASSWORD})
        assert answer.status_code == 200, answer.text
        client.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
    return client


@pytest.fixture
def clients(db: Database, scenario: Scenario, keyed_env: Path) -> Iterator[dict[str | None, TestClient]]:
    yield {name: client_for(db, name) for name in [None, *STAFF]}
