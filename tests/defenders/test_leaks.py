"""Canary sweep: a marker planted in every sealed field of the restricted scenario must not show
up in anything that leaves the trust boundary for someone not allowed to read it."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, select, text

from rightstrack.auth.audit_chain import verify
from rightstrack.defenders import attachments, cases, casework, exports, patterns, sharing
from rightstrack.defenders.backup import create_backup, read_backup, restore_backup
from rightstrack.defenders.crypto import KdfParams, Secret, TamperedData, Vault
from rightstrack.defenders.schema import (
    hrd_attachments,
    hrd_case_versions,
    hrd_data_keys,
    hrd_intervention_updates,
    hrd_interventions,
    hrd_sources,
)
from rightstrack.errors import NotFound
from rightstrack.store import schema
from rightstrack.store.database import Database
from tests.defenders.conftest import CANARY, FAST_KDF, STAFF, Scenario, as_viewer, restricted_content

OUTSIDERS = [None, "colleague", "admin", "viewer", "contributor", "editor"]


def _every_stored_value(db: Database) -> str:
    """Every row of every table, the search index (FTS5 and its shadow tables) included."""
    names = inspect(db.engine).get_table_names()
    with db.read() as conn:
        return "\n".join(repr(list(conn.execute(text(f'SELECT * FROM "{name}"')))) for name in names)


def _raw_files(db: Database) -> bytes:
    path = Path(str(db.url.database))
    return b"".join(p.read_bytes() for p in (path, path.with_name(path.name + "-wal")) if p.exists())


def test_no_canary_leaves_for_outsiders(
    db: Database,
    vault: Vault,
    scenario: Scenario,
    clients: dict[str | None, TestClient],
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    caplog.set_level(logging.DEBUG)
    ids = (scenario.attack, scenario.reprisal)
    for name in OUTSIDERS:
        client = clients[name]
        paths = [
            "/api/v1/defenders/cases",
            "/api/v1/defenders/monitoring",
            "/api/v1/defenders/export.json",
            "/defenders",
            "/defenders/patterns",
            "/api/v1/search?q=Raid",
            "/api/v1/export.csv",
            "/api/v1/audit",
        ]
        paths += [
            f"/api/v1/defenders/report?by={by}&audience={audience}"
            for by in ("act_type,country,year", "year")
            for audience in ("public", "staff")
        ]
        for case_id in ids:
            paths += [
                f"/api/v1/defenders/cases/{case_id}",
                f"/api/v1/defenders/cases/{case_id}/history",
                f"/api/v1/defenders/cases/{case_id}/pack",
                f"/defenders/cases/{case_id}",
            ]
        for path in paths:
            answer = client.get(path)
            assert CANARY not in answer.text and CANARY not in str(answer.headers), (name, path)
        for words in (CANARY, "Raid", "Ana"):
            found = client.post("/api/v1/defenders/cases/search", json={"q": words})
            page = client.post(
                "/defenders", data={"q": words, "csrf_token": client.headers.get("X-CSRF-Token", "")}
            )
            assert found.status_code == page.status_code == 200
            assert (
                CANARY not in found.text
                and scenario.attack not in found.text
                and scenario.attack not in page.text
            )
        refused = client.post(
            f"/api/v1/defenders/cases/{scenario.attack}/versions", json=restricted_content()
        )
        assert refused.status_code in (401, 403, 404) and CANARY not in refused.text
    # Insiders reading, searching and exporting must not leak either: into logs, the audit log, the index.
    owner = clients["owner"]
    assert CANARY in owner.get(f"/api/v1/defenders/cases/{scenario.attack}").text
    assert CANARY in owner.get(f"/api/v1/defenders/cases/{scenario.attack}/pack").text
    assert scenario.attack in owner.post("/api/v1/defenders/cases/search", json={"q": CANARY}).text
    staff = patterns.report(db, as_viewer(db, "owner"), "act_type,sector", audience="staff", vault=vault)
    assert CANARY not in str(staff)
    cells = {(r["act_type"], r["sector"]): r["count"] for r in staff["rows"]}
    assert cells[("040101000000", "mining_extractives")] == 1  # counted from the sealed half
    assert CANARY not in str(exports.public_export(db, as_viewer(db, None)))
    # An error on a tampered record says what failed, never what was inside.
    with db.transaction() as conn:
        blob = conn.scalar(
            select(hrd_case_versions.c.sealed).where(hrd_case_versions.c.case_id == scenario.reprisal)
        )
        conn.execute(
            hrd_case_versions.update()
            .where(hrd_case_versions.c.case_id == scenario.reprisal)
            .values(sealed=blob[:-1] + bytes([blob[-1] ^ 1]))
        )
    broken = TestClient(owner.app, raise_server_exceptions=False)
    broken.cookies = owner.cookies
    for path in (f"/api/v1/defenders/cases/{scenario.reprisal}", f"/defenders/cases/{scenario.reprisal}"):
        answer = broken.get(path)
        assert (
            answer.status_code == 500 and "failed authentication" in answer.text and CANARY not in answer.text
        )

    backup = tmp_path / "backup.bin"
    create_backup(db, Secret.passphrase("backup passphrase, long"), backup, kdf=FAST_KDF)
    assert CANARY.encode() not in backup.read_bytes()
    assert CANARY not in caplog.text
    assert CANARY not in _every_stored_value(db)
    with db.read() as conn:
        audit_rows = repr(list(conn.execute(select(schema.audit_events))))
    assert CANARY not in audit_rows and "Raid on the office" not in audit_rows
    if db.is_sqlite:
        assert CANARY.encode() not in _raw_files(db)
        assert CANARY.encode("utf-16-le") not in _raw_files(db)


def test_a_restricted_case_keeps_only_its_kind_in_plain(
    db: Database, vault: Vault, scenario: Scenario
) -> None:
    """Default-deny storage: exact date, region, sector, profiles and consent are sealed too."""
    with db.read() as conn:
        plain = conn.scalar(
            select(hrd_case_versions.c.public).where(hrd_case_versions.c.case_id == scenario.attack)
        )
    assert json.loads(plain or "{}") == {
        "country": "COL",
        "year": 2024,
        "acts": [{"act_type": "040101000000"}, {"act_type": "020103020000"}],
    }
    owner = as_viewer(db, "owner")
    full = cases.get_case(db, vault, owner, scenario.attack)
    assert full["start_date"] == "2024-03-14" and full["admin_area"] == "Cauca"
    assert full["acts"][0]["sector"] == "mining_extractives"


def test_deleting_a_case_leaves_no_trace(sqlite_db: Database, key_file: Path) -> None:
    from rightstrack.auth.accounts import create_user

    db = sqlite_db
    for name in ("owner", "colleague", "viewer"):
        create_user(db, name, "a long enough password", STAFF[name])
    vault = Vault(db, [Secret.key_file(key_file)], FAST_KDF)
    vault.initialise()
    owner = as_viewer(db, "owner")
    doomed = cases.create_case(
        db, vault, owner, restricted_content("DOOMED-MARKER"), sensitivity="restricted"
    )
    kept = cases.create_case(db, vault, owner, restricted_content(), sensitivity="restricted")
    # Everything that can hang off a case: a source, an intervention and its follow-up, a file,
    # a share, and links both ways.
    casework.add_source(db, vault, owner, doomed, identity={"name": "DOOMED-MARKER"}, statement="x")
    measure = casework.add_intervention(
        db, vault, owner, doomed, mechanism="IACHR_PM", kind="requested", opened_on="2024-03-22"
    )
    casework.add_update(db, vault, owner, measure, on_date="2024-04-30", status="granted", note="DOOMED")
    photo = b"DOOMED-FILE-" + bytes(range(256)) * 4
    attachments.add_attachment(db, vault, owner, doomed, photo, "application/octet-stream")
    sharing.grant(db, owner, doomed, "viewer")
    casework.link(db, owner, kept, doomed, "follows", intervention_id=measure)
    casework.link(db, owner, doomed, kept, "precedes")
    blobs = []
    with db.read() as conn:
        wrapped = conn.scalar(select(hrd_data_keys.c.wrapped).where(hrd_data_keys.c.key_id == doomed))
        sealed = conn.scalar(select(hrd_case_versions.c.sealed).where(hrd_case_versions.c.case_id == doomed))
        for table in (hrd_sources, hrd_interventions, hrd_attachments):
            column = table.c.original if table is hrd_attachments else table.c.sealed
            blobs += list(conn.scalars(select(column).where(table.c.case_id == doomed)))
        blobs += list(conn.scalars(select(hrd_intervention_updates.c.sealed).where(
            hrd_intervention_updates.c.intervention_id == measure)))  # fmt: skip
    assert len(blobs) == 4 and all(blobs)
    assert wrapped in _raw_files(db) or sealed in _raw_files(db)
    digest = hashlib.sha256(photo).hexdigest()
    assert digest in _every_stored_value(db)
    with pytest.raises(NotFound):  # a colleague without a share cannot even find it
        cases.delete_case(db, vault, as_viewer(db, "colleague"), doomed)
    cases.delete_case(db, vault, owner, doomed)
    cases.compact(db)
    raw = _raw_files(db)
    assert wrapped not in raw and sealed not in raw
    assert not [blob for blob in blobs if blob in raw]
    assert digest not in _every_stored_value(db) and digest.encode() not in raw
    assert measure not in _every_stored_value(db)  # the link that pointed at its intervention went too
    # The random id survives only in audit events (create, delete), which hold no content.
    names = [n for n in inspect(db.engine).get_table_names() if n != "audit_events"]
    with db.read() as conn:
        assert all(doomed not in repr(list(conn.execute(text(f'SELECT * FROM "{n}"')))) for n in names)
        events = list(
            conn.execute(select(schema.audit_events).where(schema.audit_events.c.entity_id == doomed))
        )
    assert {e.action for e in events} >= {"create", "delete"}
    assert not [e for e in events if "DOOMED" in repr(e) or digest in repr(e)]
    with db.read() as conn, pytest.raises(TamperedData, match="deleted"):
        vault.forget()
        vault.open_json(conn, doomed, sealed, f"case:{doomed}:1")
    assert CANARY in cases.get_case(db, vault, owner, kept)["title"]


def test_backup_restores_into_an_empty_database_and_needs_its_secret(
    db: Database, vault: Vault, scenario: Scenario, tmp_path: Path
) -> None:
    secret = Secret.passphrase("backup passphrase, long")
    path = tmp_path / "rightstrack.backup"
    create_backup(db, secret, path, kdf=KdfParams(1, 256, 1))
    with pytest.raises(TamperedData):
        read_backup(Secret.passphrase("another passphrase"), path)
    target = Database(f"sqlite:///{tmp_path / 'restored.db'}")
    target.init()
    restored = Vault(target, vault.secrets)  # the restore is audited in the keyed log it brings back
    counts = restore_backup(target, secret, path)
    assert counts["hrd_cases"] == 3
    owner = as_viewer(target, "owner")
    assert CANARY in cases.get_case(target, restored, owner, scenario.attack)["title"]
    with target.read() as conn:
        assert verify(conn, restored.audit_key(conn, False)).ok
    with pytest.raises(Exception, match="restore into a new"):
        restore_backup(target, secret, path)
    target.close()
