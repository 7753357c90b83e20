"""Encryption at rest: tampering fails loudly, wrong keys are refused, rotation survives a kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, update

from rightstrack.defenders import cases
from rightstrack.defenders.crypto import (
    MINIMUM_KDF,
    KdfParams,
    Secret,
    TamperedData,
    Vault,
    VaultLocked,
    rotate,
    write_key_file,
)
from rightstrack.defenders.schema import hrd_case_versions, hrd_data_keys, hrd_master_keys
from rightstrack.store.database import Database
from tests.defenders.conftest import CANARY, FAST_KDF, as_viewer, restricted_content

ROOT = Path(__file__).resolve().parents[2]


def _flip(blob: bytes, at: int) -> bytes:
    return blob[:at] + bytes([blob[at] ^ 0x01]) + blob[at + 1 :]


def test_a_flipped_bit_anywhere_in_a_sealed_field_fails_loudly(
    db: Database, vault: Vault, users: object
) -> None:
    owner = as_viewer(db, "owner")
    case_id = cases.create_case(db, vault, owner, restricted_content(), sensitivity="restricted")
    with db.read() as conn:
        blob = conn.scalar(select(hrd_case_versions.c.sealed).where(hrd_case_versions.c.case_id == case_id))
    assert blob is not None and CANARY.encode() not in blob
    for at in (0, 11, 12, len(blob) // 2, len(blob) - 1):  # nonce, body and tag
        with db.transaction() as conn:
            conn.execute(
                update(hrd_case_versions)
                .where(hrd_case_versions.c.case_id == case_id)
                .values(sealed=_flip(blob, at))
            )
        with pytest.raises(TamperedData):
            cases.get_case(db, vault, owner, case_id)


def test_ciphertext_moved_to_another_record_does_not_open(db: Database, vault: Vault, users: object) -> None:
    owner = as_viewer(db, "owner")
    first = cases.create_case(db, vault, owner, restricted_content(), sensitivity="restricted")
    cases.add_version(db, vault, owner, first, restricted_content("second version"))
    with db.transaction() as conn:
        v1 = conn.scalar(select(hrd_case_versions.c.sealed).where(hrd_case_versions.c.version == 1))
        conn.execute(update(hrd_case_versions).where(hrd_case_versions.c.version == 2).values(sealed=v1))
    with pytest.raises(TamperedData):
        cases.get_case(db, vault, owner, first)


def test_a_tampered_wrapped_key_fails_loudly(db: Database, vault: Vault, users: object) -> None:
    owner = as_viewer(db, "owner")
    case_id = cases.create_case(db, vault, owner, restricted_content(), sensitivity="restricted")
    with db.transaction() as conn:
        wrapped = conn.scalar(select(hrd_data_keys.c.wrapped).where(hrd_data_keys.c.key_id == case_id))
        conn.execute(
            update(hrd_data_keys).where(hrd_data_keys.c.key_id == case_id).values(wrapped=_flip(wrapped, 20))
        )
    fresh = Vault(db, vault.secrets)
    with pytest.raises(TamperedData):
        cases.get_case(db, fresh, owner, case_id)


def test_a_wrong_key_is_refused(db: Database, vault: Vault, tmp_path: Path, users: object) -> None:
    owner = as_viewer(db, "owner")
    case_id = cases.create_case(db, vault, owner, restricted_content(), sensitivity="restricted")
    stranger = Vault(db, [write_key_file(tmp_path / "other.key"), Secret.passphrase("not the passphrase")])
    with pytest.raises(VaultLocked):
        cases.get_case(db, stranger, owner, case_id)


def test_a_passphrase_derives_the_key_with_argon2id(db: Database, users: object) -> None:
    keyed = Vault(db, [Secret.passphrase("a passphrase long enough to use")], FAST_KDF)
    keyed.initialise()
    with db.read() as conn:
        row = conn.execute(select(hrd_master_keys)).one()
    assert row.kind == "passphrase" and len(row.salt) == 16 and row.memory_kib == FAST_KDF.memory_kib
    assert not FAST_KDF.meets(MINIMUM_KDF) and KdfParams().meets(MINIMUM_KDF)
    owner = as_viewer(db, "owner")
    case_id = cases.create_case(db, keyed, owner, restricted_content(), sensitivity="restricted")
    again = Vault(db, [Secret.passphrase("a passphrase long enough to use")])
    assert CANARY in cases.get_case(db, again, owner, case_id)["title"]


def _all_readable(db: Database, secrets: list[Secret], ids: list[str]) -> bool:
    vault = Vault(db, secrets)
    owner = as_viewer(db, "owner")
    try:
        return all(CANARY in cases.get_case(db, vault, owner, i)["title"] for i in ids)
    except (VaultLocked, TamperedData):
        return False


def test_rotation_rewraps_every_key_and_retires_the_old_one(
    db: Database, vault: Vault, tmp_path: Path, users: object
) -> None:
    owner = as_viewer(db, "owner")
    ids = [
        cases.create_case(db, vault, owner, restricted_content(), sensitivity="restricted") for _ in range(12)
    ]
    old, new = vault.secrets[0], write_key_file(tmp_path / "new.key")
    assert rotate(db, vault, new, FAST_KDF, batch=5) == 14  # twelve cases, the blind-index and audit keys
    assert _all_readable(db, [new], ids)
    assert not _all_readable(db, [old], ids)
    with db.read() as conn:
        assert conn.execute(select(hrd_master_keys.c.state)).scalars().all() == ["active"]


_CHILD = """
import sys, time
from pathlib import Path
from rightstrack.defenders import crypto
from rightstrack.store.database import Database

db = Database(sys.argv[1])
old, new = crypto.Secret.key_file(Path(sys.argv[2])), crypto.Secret.key_file(Path(sys.argv[3]))
stop, real_seal, calls = int(sys.argv[4]), crypto.seal, [0]

def seal(key, plaintext, aad):
    calls[0] += 1
    if calls[0] == stop:  # hold still inside the transaction until the parent kills us
        print("PAUSED", flush=True)
        time.sleep(600)
    return real_seal(key, plaintext, aad)

crypto.seal = seal
crypto.rotate(db, crypto.Vault(db, [old]), new, crypto.KdfParams(1, 256, 1), batch=7)
print("DONE", flush=True)
"""


@pytest.mark.parametrize("stop", [2, 3, 30])
def test_a_process_killed_during_rotation_leaves_every_record_readable(
    sqlite_db: Database, tmp_path: Path, key_file: Path, stop: int
) -> None:
    """SIGKILL inside the first transaction (2), inside the first rewrap batch (3) or a later one (30)."""
    from rightstrack.auth.accounts import create_user
    from rightstrack.auth.roles import Role

    db = sqlite_db
    create_user(db, "owner", "a long enough password", Role.EDITOR)
    vault = Vault(db, [Secret.key_file(key_file)], FAST_KDF)
    vault.initialise()
    owner = as_viewer(db, "owner")
    ids = [
        cases.create_case(db, vault, owner, restricted_content(), sensitivity="restricted") for _ in range(40)
    ]
    new_file = tmp_path / "new.key"
    new = write_key_file(new_file)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(db.url), str(key_file), str(new_file), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "PAUSED"
    child.send_signal(signal.SIGKILL)
    child.wait()
    old = Secret.key_file(key_file)
    assert _all_readable(db, [old, new], ids)
    # The old secret alone opens everything until the new master key is committed; from then on
    # the new one alone does (the old master key travels wrapped under the new one).
    assert _all_readable(db, [new] if stop > 2 else [old], ids)
    # Running the rotation again finishes it.
    rotate(db, Vault(db, [old, new]), new, FAST_KDF)
    assert _all_readable(db, [new], ids) and not _all_readable(db, [old], ids)
