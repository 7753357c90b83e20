"""The hash-chained audit log, metadata stripping of shared media, and production-mode refusals."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select

from rightstrack.auth.audit_chain import verify
from rightstrack.defenders import attachments
from rightstrack.defenders.crypto import Vault
from rightstrack.errors import ConfigurationError, NotFound, PermissionDenied
from rightstrack.settings import load_settings
from rightstrack.store import schema
from rightstrack.store.database import Database
from rightstrack.web.app import create_app
from tests.defenders.conftest import CANARY, Scenario, as_viewer


def test_every_read_share_and_login_is_chained(
    db: Database, vault: Vault, scenario: Scenario, clients: dict[str | None, TestClient]
) -> None:
    clients["teammate"].get(f"/api/v1/defenders/cases/{scenario.attack}")
    clients["colleague"].get(f"/api/v1/defenders/cases/{scenario.attack}")  # refused reads are not content
    clients[None].post("/api/v1/login", json={"username": "owner", "password": "wrong password!!"})
    a = schema.audit_events
    with db.read() as conn:
        events = list(conn.execute(select(a).order_by(a.c.id)))
        report = verify(conn, vault.audit_key(conn, False))
    assert report.ok and report.checked == len(events)
    actions = {(e.actor, e.action) for e in events}
    assert {
        ("teammate", "read"),
        ("owner", "share"),
        ("owner", "login failed"),
        ("owner", "login"),
    } <= actions
    assert ("admin", "add to group") in actions


def _photo_with_gps() -> bytes:
    image = Image.new("RGB", (32, 24), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "CanaryCamMaker"  # Make
    exif[0xA431] = "SERIAL-998877"  # BodySerialNumber
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (4.0, 35.0, 12.5), 3: "W", 4: (74.0, 4.0, 51.0)})
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), comment=b"taken at the safe house")
    return out.getvalue()


def test_shared_copies_carry_no_exif_or_gps_and_the_original_keeps_its_hash(
    db: Database, vault: Vault, scenario: Scenario, clients: dict[str | None, TestClient]
) -> None:
    photo = _photo_with_gps()
    with Image.open(io.BytesIO(photo)) as check:
        assert check.getexif().get_ifd(0x8825)  # the fixture really has GPS data
    made = clients["owner"].post(
        f"/api/v1/defenders/cases/{scenario.attack}/attachments",
        content=photo,
        headers={"Content-Type": "image/jpeg"},
    )
    assert made.status_code == 201 and made.json()["sha256"] == hashlib.sha256(photo).hexdigest()
    attachment = made.json()["id"]
    shared = clients["teammate"].get(f"/api/v1/defenders/attachments/{attachment}")
    assert shared.status_code == 200 and shared.headers["content-type"] == "image/jpeg"
    for marker in (b"CanaryCamMaker", b"SERIAL-998877", b"safe house", b"Exif"):
        assert marker not in shared.content
    with Image.open(io.BytesIO(shared.content)) as clean:
        assert not clean.getexif() and clean.size == (32, 24) and "exif" not in clean.info
    assert (
        clients["teammate"].get(f"/api/v1/defenders/attachments/{attachment}?copy=original").status_code
        == 403
    )
    assert clients["colleague"].get(f"/api/v1/defenders/attachments/{attachment}").status_code == 404
    original = clients["owner"].get(f"/api/v1/defenders/attachments/{attachment}?copy=original")
    assert original.content == photo
    with db.read() as conn:
        stored = conn.execute(select(attachments.hrd_attachments)).one()
    assert b"CanaryCamMaker" not in stored.original and b"CanaryCamMaker" not in stored.shared
    owner = as_viewer(db, "owner")
    pdf = attachments.add_attachment(
        db, vault, owner, scenario.attack, b"%PDF-1.4 not an image", "application/pdf"
    )
    assert pdf["shared_copy"] is False
    with pytest.raises(NotFound, match="no shareable copy"):
        attachments.get_attachment(db, vault, as_viewer(db, "teammate"), pdf["id"])
    with pytest.raises(PermissionDenied):
        attachments.get_attachment(db, vault, as_viewer(db, "teammate"), pdf["id"], copy="original")


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({}, "no master key"),
        ({"RIGHTSTRACK_PASSPHRASE": "changeme"}, "default or shorter"),
        ({"RIGHTSTRACK_PASSPHRASE": "short one"}, "default or shorter"),
        ({"RIGHTSTRACK_KEY_FILE": "LOOSE"}, "readable by others"),
        ({"RIGHTSTRACK_KEY_FILE": "GOOD", "insecure_cookies": "1"}, "secure_cookies"),
        ({"RIGHTSTRACK_KEY_FILE": "GOOD"}, "below the minimum"),
    ],
)
def test_production_mode_refuses_defaults(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], problem: str
) -> None:
    from rightstrack.defenders.crypto import KdfParams, Secret, write_key_file

    if problem == "below the minimum":  # a passphrase master key made with test-only parameters
        Vault(db, [Secret.passphrase("a perfectly long passphrase")], KdfParams(1, 256, 1)).initialise()
    for name in ("RIGHTSTRACK_PASSPHRASE", "RIGHTSTRACK_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        if value in ("LOOSE", "GOOD"):
            path = tmp_path / f"{value}.key"
            write_key_file(path)
            os.chmod(path, 0o644 if value == "LOOSE" else 0o600)
            value = str(path)
        if name.startswith("RIGHTSTRACK_"):
            monkeypatch.setenv(name, value)
    monkeypatch.setenv("RIGHTSTRACK_PRODUCTION", "1")
    settings = load_settings({"secure_cookies": "insecure_cookies" not in env}, environ={})
    with pytest.raises(ConfigurationError, match=problem):
        create_app(db, settings)


def test_production_mode_starts_with_a_proper_key(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rightstrack.defenders.crypto import write_key_file

    path = tmp_path / "prod.key"
    write_key_file(path)
    monkeypatch.delenv("RIGHTSTRACK_PASSPHRASE", raising=False)
    monkeypatch.setenv("RIGHTSTRACK_KEY_FILE", str(path))
    monkeypatch.setenv("RIGHTSTRACK_PRODUCTION", "1")
    app = create_app(db, load_settings({"secure_cookies": True}, environ={}))
    assert TestClient(app).get("/api/v1/defenders/cases").status_code == 200


def test_login_throttling_and_the_second_factor_hold_and_are_chained(
    db: Database, vault: Vault, scenario: Scenario, keyed_env: Path
) -> None:
    import pyotp

    from rightstrack.auth.accounts import enable_totp, totp_secret

    client = TestClient(create_app(db, load_settings({}, environ={})))
    for _ in range(5):
        assert (
            client.post(
                "/api/v1/login", json={"username": "teammate", "password": "wrong password!!"}
            ).status_code
            == 401
        )
    locked = client.post("/api/v1/login", json={"username": "teammate", "password": "a long enough password"})
    unknown = client.post("/api/v1/login", json={"username": "no-such-user", "password": "x"})
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
    assert unknown.status_code == 401  # an unknown name has its own count: no failures yet
    enable_totp(db, "backup")
    no_code = client.post("/api/v1/login", json={"username": "backup", "password": "a long enough password"})
    assert no_code.status_code == 401
    code = pyotp.TOTP(totp_secret(db, "backup") or "").now()
    with_code = client.post(
        "/api/v1/login", json={"username": "backup", "password": "a long enough password", "totp": code}
    )
    assert with_code.status_code == 200
    assert CANARY in client.get(f"/api/v1/defenders/cases/{scenario.attack}").text
    with db.read() as conn:
        report = verify(conn, vault.audit_key(conn, False))
        actions = [e.action for e in conn.execute(select(schema.audit_events.c.action))]
    assert report.ok and actions.count("login failed") >= 6 and "login refused" in actions


def test_compacting_runs_on_every_engine(db: Database, vault: Vault, scenario: Scenario) -> None:
    from rightstrack.defenders import cases

    cases.delete_case(db, vault, as_viewer(db, "owner"), scenario.reprisal)
    cases.compact(db)
    with pytest.raises(NotFound):
        cases.get_case(db, vault, as_viewer(db, "owner"), scenario.reprisal)
