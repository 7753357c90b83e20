"""Encryption at rest: per-case data keys under a master key, AES-GCM everywhere.

* The master key (key-encryption key) comes from a passphrase through Argon2id, or is 32 random
  bytes read from a key file. A check value (a known text sealed under it) tells a wrong key from
  a right one without trying real data.
* Every case has its own random data key, stored only wrapped by the master key. Deleting the
  wrapped key destroys the case's content for good (crypto-shredding), backups included.
* Rotation is crash-safe: the first transaction stores the new master key's row together with the
  *old* master key wrapped under the *new* one, so from that commit on the new secret opens every
  data key, rewrapped or not; before it, the old secret still does. Data keys are then rewrapped in
  small transactions; running ``rotate`` again resumes. The old master key disappears at the end.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Connection, delete, select

from rightstrack.auth import audit
from rightstrack.defenders.schema import hrd_data_keys, hrd_master_keys
from rightstrack.errors import ConfigurationError, Conflict, RightstrackError
from rightstrack.store.database import Database

KEY_BYTES = 32
NONCE_BYTES = 12
INDEX_KEY = "index"
AUDIT_KEY = "audit"  # the audit log's MAC key: a data key like any other, so rotation rewraps it
_CHECK_TEXT = b"rightstrack master key check v1"


class TamperedData(RightstrackError):
    """Ciphertext failed authentication: it was altered, or belongs to another record."""

    status = 500
    code = "tampered_ciphertext"


class VaultLocked(RightstrackError):
    """No master key that opens this database was given."""

    status = 503
    code = "vault_locked"


@dataclass(frozen=True)
class KdfParams:
    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 1

    def meets(self, minimum: KdfParams) -> bool:
        return self.time_cost >= minimum.time_cost and self.memory_kib >= minimum.memory_kib


# OWASP's floor for Argon2id; production mode refuses anything weaker.
MINIMUM_KDF = KdfParams(time_cost=2, memory_kib=19 * 1024, parallelism=1)


@dataclass(frozen=True)
class Secret:
    """A passphrase or the contents of a key file; never logged, never stored."""

    kind: str  # passphrase | keyfile
    material: bytes

    def __repr__(self) -> str:  # keep the material out of tracebacks and logs
        return f"Secret(kind={self.kind!r})"

    @classmethod
    def passphrase(cls, text: str) -> Secret:
        if not text:
            raise ConfigurationError("an empty passphrase is not a key")
        return cls("passphrase", text.encode())

    @classmethod
    def key_file(cls, path: Path) -> Secret:
        try:
            raw = base64.b64decode(path.read_text(encoding="ascii").strip(), validate=True)
        except (OSError, ValueError) as exc:
            raise ConfigurationError(f"cannot read the key file {path}: {exc.__class__.__name__}") from None
        if len(raw) != KEY_BYTES:
            raise ConfigurationError(f"the key file {path} does not hold a {KEY_BYTES}-byte key")
        return cls("keyfile", raw)


def write_key_file(path: Path) -> Secret:
    """Create a new random key file readable by its owner only."""
    if path.exists():
        raise Conflict(f"{path} exists already; a key file is never overwritten")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
    raw = os.urandom(KEY_BYTES)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(base64.b64encode(raw).decode() + "\n")
    return Secret("keyfile", raw)


class _RandomPool:
    """Random bytes from the OS, fetched 4 KiB at a time: one system call per ~100 nonces and keys
    instead of one each (it showed in the benchmark). Not shared across fork: see ``os.register_at_fork``."""

    def __init__(self) -> None:
        self._buffer, self._at = b"", 0

    def take(self, size: int) -> bytes:
        if self._at + size > len(self._buffer):
            self._buffer, self._at = os.urandom(4096), 0
        self._at += size
        return self._buffer[self._at - size : self._at]

    def reset(self) -> None:
        self._buffer, self._at = b"", 0


_POOL = _RandomPool()
os.register_at_fork(after_in_child=_POOL.reset)  # a child must never reuse the parent's bytes


def seal(key: bytes, plaintext: bytes, aad: str) -> bytes:
    """AES-256-GCM; the associated data binds the ciphertext to its row, so rows cannot be swapped."""
    nonce = _POOL.take(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad.encode())


def unseal(key: bytes, blob: bytes, aad: str) -> bytes:
    try:
        return AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad.encode())
    except (InvalidTag, ValueError):
        raise TamperedData(f"ciphertext for {aad.split(':')[0]} failed authentication") from None


def _derive(secret: Secret, row: Any) -> bytes:
    if secret.kind != row.kind:
        return b""
    if secret.kind == "keyfile":
        return secret.material
    return hash_secret_raw(
        secret.material,
        row.salt,
        time_cost=row.time_cost,
        memory_cost=row.memory_kib,
        parallelism=row.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def _opens(kek: bytes, row: Any) -> bool:
    if not kek:
        return False
    try:
        return unseal(kek, row.check_value, f"check:{row.id}") == _CHECK_TEXT
    except TamperedData:
        return False


def _new_master_row(conn: Connection, secret: Secret, kdf: KdfParams, **extra: Any) -> tuple[int, bytes]:
    m = hrd_master_keys
    salt = os.urandom(16) if secret.kind == "passphrase" else None
    row = {
        "kind": secret.kind,
        "salt": salt,
        "time_cost": kdf.time_cost,
        "memory_kib": kdf.memory_kib,
        "parallelism": kdf.parallelism,
        "check_value": b"",
        "state": "active",
        "created_at": datetime.now(UTC),
        **extra,
    }
    new_id = conn.execute(m.insert().returning(m.c.id), row).scalar_one()
    kek = _derive(secret, _Row(id=new_id, **{k: v for k, v in row.items() if k != "created_at"}))
    conn.execute(
        m.update().where(m.c.id == new_id).values(check_value=seal(kek, _CHECK_TEXT, f"check:{new_id}"))
    )
    return new_id, kek


class _Row:
    def __init__(self, **fields: Any) -> None:
        self.__dict__.update(fields)


class Vault:
    """The unlocked master keys of one database, and the data keys they open (cached in memory)."""

    def __init__(self, db: Database, secrets: Sequence[Secret], kdf: KdfParams | None = None) -> None:
        self.db = db
        self.secrets = list(secrets)
        self.kdf = kdf or KdfParams()
        self._masters: dict[int, bytes] = {}
        self._current: int | None = None
        self._data_keys: dict[str, bytes] = {}
        self._checked_on: Connection | None = None
        if self.secrets:  # this process holds the master key: every audit event it writes is MACed
            db.audit_key = self.audit_key

    # -- master keys -----------------------------------------------------------------------------

    def initialise(self, actor: str | None = None) -> None:
        """Create the first master key and the blind-index key; refuses if keys exist. Its audit
        event is the first keyed one: it seals the events written before (auth/audit_chain.py)."""
        if not self.secrets:
            raise VaultLocked("give a passphrase or a key file to create the master key")
        with self.db.transaction() as conn:
            if conn.scalar(select(hrd_master_keys.c.id).limit(1)) is not None:
                raise Conflict("this database has a master key already; use `rightstrack keys rotate`")
            new_id, kek = _new_master_row(conn, self.secrets[0], self.kdf)
            self._masters, self._current = {new_id: kek}, new_id
            self.new_data_key(conn, INDEX_KEY)
            self.db.audit_key = self.audit_key
            audit.record(conn, actor=actor, action="create master key", entity="keys")

    def audit_key(self, conn: Connection, create: bool) -> bytes | None:
        """The audit log's MAC key; None when the database has no master key yet, or when the key
        does not exist and ``create`` is false. Made on first use, wrapped by the master key."""
        cached = self._data_keys.get(AUDIT_KEY)
        if cached is not None:
            return cached
        row = conn.execute(select(hrd_data_keys).where(hrd_data_keys.c.key_id == AUDIT_KEY)).first()
        if row is not None:
            return self.unwrap(conn, AUDIT_KEY, row.master_id, row.wrapped)
        if not create or conn.scalar(select(hrd_master_keys.c.id).limit(1)) is None:
            return None
        return self.new_data_key(conn, AUDIT_KEY)

    def unlock(self, conn: Connection) -> None:
        rows = list(conn.execute(select(hrd_master_keys).order_by(hrd_master_keys.c.id.desc())))
        if not rows:
            raise VaultLocked("no master key yet: run `rightstrack keys init`")
        if not self.secrets:
            raise VaultLocked("no master key given: set RIGHTSTRACK_KEY_FILE or RIGHTSTRACK_PASSPHRASE")
        masters: dict[int, bytes] = {}
        for row in rows:
            for secret in self.secrets:
                kek = self._masters.get(row.id) or _derive(secret, row)
                if _opens(kek, row):
                    masters[row.id] = kek
                    break
        # Follow the rotation chain: a newer master key holds the one it replaces.
        for row in rows:
            if row.id in masters and row.previous_wrapped is not None and row.previous_id not in masters:
                masters[row.previous_id] = unseal(
                    masters[row.id], row.previous_wrapped, f"previous:{row.id}:{row.previous_id}"
                )
        if not masters:
            raise VaultLocked("the configured passphrase or key file does not open this database")
        self._masters = masters
        self._current = rows[0].id

    def current_master(self, conn: Connection) -> tuple[int, bytes]:
        # Checked once per connection (one transaction): a rotation started by another process
        # shows up at the next transaction, and its rewrap loop picks up keys wrapped meanwhile.
        if conn is self._checked_on and self._current in self._masters:
            return self._current, self._masters[self._current]
        newest = conn.scalar(select(hrd_master_keys.c.id).order_by(hrd_master_keys.c.id.desc()).limit(1))
        if newest is None or newest != self._current or newest not in self._masters:
            self.unlock(conn)
            newest = self._current
        assert newest is not None
        if newest not in self._masters:
            raise VaultLocked("a key rotation is in progress: unlock with the new key to write")
        self._checked_on = conn
        return newest, self._masters[newest]

    def master(self, conn: Connection, master_id: int) -> bytes:
        if master_id not in self._masters:
            self.unlock(conn)
        if master_id not in self._masters:
            raise VaultLocked("this record's key is wrapped by a master key that was not given")
        return self._masters[master_id]

    # -- data keys -------------------------------------------------------------------------------

    def new_data_key(self, conn: Connection, key_id: str) -> bytes:
        return self.new_data_keys(conn, [key_id])[key_id]

    def new_data_keys(self, conn: Connection, key_ids: Sequence[str]) -> dict[str, bytes]:
        """Fresh random keys for new records, stored wrapped (one statement for the lot)."""
        master_id, kek = self.current_master(conn)
        keys = {key_id: _POOL.take(KEY_BYTES) for key_id in key_ids}
        now = datetime.now(UTC)
        conn.execute(
            hrd_data_keys.insert(),
            [
                {
                    "key_id": k,
                    "master_id": master_id,
                    "wrapped": seal(kek, key, f"dek:{k}"),
                    "created_at": now,
                }
                for k, key in keys.items()
            ],
        )
        self._data_keys.update(keys)
        return keys

    def data_key(self, conn: Connection, key_id: str) -> bytes:
        cached = self._data_keys.get(key_id)
        if cached is not None:
            return cached
        row = conn.execute(select(hrd_data_keys).where(hrd_data_keys.c.key_id == key_id)).first()
        if row is None:
            raise TamperedData(f"no data key for {key_id}: the record was deleted or its key destroyed")
        return self.unwrap(conn, key_id, row.master_id, row.wrapped)

    def unwrap(self, conn: Connection, key_id: str, master_id: int | None, wrapped: bytes | None) -> bytes:
        """A data key from its stored row (fetched by the caller, e.g. joined to the records)."""
        cached = self._data_keys.get(key_id)
        if cached is not None:
            return cached
        if master_id is None or wrapped is None:
            raise TamperedData(f"no data key for {key_id}: the record was deleted or its key destroyed")
        key = unseal(self.master(conn, master_id), wrapped, f"dek:{key_id}")
        self._data_keys[key_id] = key
        return key

    def destroy(self, conn: Connection, key_id: str) -> None:
        conn.execute(delete(hrd_data_keys).where(hrd_data_keys.c.key_id == key_id))
        self._data_keys.pop(key_id, None)

    def forget(self) -> None:
        """Drop cached keys (after a rotation by another process, or before handing the vault on)."""
        self._data_keys.clear()
        self._masters.clear()
        self._current = None
        self._checked_on = None

    # -- field helpers ---------------------------------------------------------------------------

    def seal_json(self, conn: Connection, key_id: str, value: Any, aad: str) -> bytes:
        plain = json.dumps(value, ensure_ascii=False, sort_keys=True).encode()
        return seal(self.data_key(conn, key_id), plain, aad)

    def open_json(self, conn: Connection, key_id: str, blob: bytes, aad: str) -> Any:
        return json.loads(unseal(self.data_key(conn, key_id), blob, aad))

    def blind_index(self, conn: Connection, text: str) -> str:
        """A keyed hash: equal inputs match, yet the column reveals nothing without the key."""
        return hmac.new(self.data_key(conn, INDEX_KEY), text.encode(), hashlib.sha256).hexdigest()


def rotate(
    db: Database,
    vault: Vault,
    new_secret: Secret,
    kdf: KdfParams | None = None,
    *,
    batch: int = 100,
    after_batch: Callable[[int], None] | None = None,
) -> int:
    """Rewrap every data key under a master key from ``new_secret``; returns how many were rewrapped.

    ``vault`` must open the current master key (the old secret, or the new one when resuming).
    """
    m = hrd_master_keys
    with db.transaction() as conn:
        vault.unlock(conn)
        newest = conn.execute(select(m).order_by(m.c.id.desc()).limit(1)).one()
        new_kek = _derive(new_secret, newest)
        if newest.state == "rotating" and _opens(new_kek, newest):
            target = newest.id  # resuming a rotation that was interrupted
        else:
            if newest.id not in vault._masters:
                raise VaultLocked("the current key does not open this database; cannot rotate")
            old_kek = vault._masters[newest.id]
            target, new_kek = _new_master_row(conn, new_secret, kdf or vault.kdf, state="rotating")
            conn.execute(
                m.update()
                .where(m.c.id == target)
                .values(
                    previous_id=newest.id,
                    previous_wrapped=seal(new_kek, old_kek, f"previous:{target}:{newest.id}"),
                )
            )
    vault.secrets.append(new_secret)
    vault.forget()
    done = 0
    while True:
        with db.transaction() as conn:
            rows = list(
                conn.execute(select(hrd_data_keys).where(hrd_data_keys.c.master_id != target).limit(batch))
            )
            for row in rows:
                key = unseal(vault.master(conn, row.master_id), row.wrapped, f"dek:{row.key_id}")
                conn.execute(
                    hrd_data_keys.update()
                    .where(hrd_data_keys.c.key_id == row.key_id)
                    .values(master_id=target, wrapped=seal(new_kek, key, f"dek:{row.key_id}"))
                )
        done += len(rows)
        if not rows:
            break
        if after_batch is not None:
            after_batch(done)
    with db.transaction() as conn:
        conn.execute(
            m.update().where(m.c.id == target).values(state="active", previous_id=None, previous_wrapped=None)
        )
        conn.execute(delete(m).where(m.c.id != target))
    vault.secrets[:] = [new_secret]
    vault.forget()
    return done
