"""The audit log's chain: how each event's value is computed, the head, and verification.

Three kinds of events follow one another in a log, in this order and never mixed back:

1. *unchained*: written before migration 0005; no value at all;
2. *hashed*: a SHA-256 over the event and the previous hash (migration 0005). Anyone can
   recompute it, so it only detects accidents — and edits, once it is sealed;
3. *keyed*: an HMAC-SHA256 under the audit key (migration 0006) over the event, its position
   ``seq`` and the previous value. Recomputing it needs the key, which only the master key opens.

The first keyed event is the *seal*: its payload holds the number of events before it and a
digest of all of them, so editing an old hashed event afterwards breaks the seal's MAC.

No chain can tell a log that was cut short from one that ended there: the **head** (the last
event's position and value, MACed when keyed) is kept outside the database for that.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select

from rightstrack.errors import InvalidInput, RightstrackError
from rightstrack.store import schema

SEAL_ACTION = "seal"
SEAL_ENTITY = "audit log"
_FIELDS = ("actor", "action", "entity", "entity_id", "before", "after")
_MAC_LABEL = "rightstrack audit v1"
_HEAD_BYTES = 512  # one disk sector: the head file is rewritten in place
_log = logging.getLogger(__name__)


class AuditLocked(RightstrackError):
    """The log is keyed and this process holds no key that opens it."""

    status = 503
    code = "audit_key_missing"


def _get(event: Any, name: str) -> Any:
    return event.get(name) if isinstance(event, dict) else getattr(event, name)


def _timestamp(event: Any) -> str:
    at: datetime = _get(event, "at") or datetime.min
    if at.tzinfo is None:  # SQLite returns the UTC time it was given, without its zone
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def chain_hash(event: Any) -> str:
    """The unkeyed value of a hashed event (unchanged since migration 0005)."""
    fields = [_get(event, "prev_hash") or "", _timestamp(event)] + [_get(event, k) for k in _FIELDS]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()


def chain_mac(key: bytes, event: Any) -> str:
    """The keyed value: position, previous value and every field, under the audit key."""
    fields = [_MAC_LABEL, _get(event, "seq"), _get(event, "prev_hash") or "", _timestamp(event)]
    fields += [_get(event, k) for k in _FIELDS]
    return hmac.new(key, json.dumps(fields, ensure_ascii=False).encode(), hashlib.sha256).hexdigest()


def sealed_line(event: Any) -> bytes:
    """One pre-seal event as it enters the seal's digest: everything stored but the row id."""
    fields = [_get(event, "seq"), _timestamp(event), *(_get(event, k) for k in _FIELDS)]
    fields += [_get(event, "prev_hash"), _get(event, "hash")]
    return json.dumps(fields, ensure_ascii=False).encode() + b"\n"


def sealed_digest(conn: Connection, upto: int) -> str:
    """The digest the seal keeps of every event before it (``seq`` 1 … ``upto``)."""
    a = schema.audit_events
    digest = hashlib.sha256()
    for row in conn.execute(select(a).where(a.c.seq <= upto).order_by(a.c.seq)):
        digest.update(sealed_line(row))
    return digest.hexdigest()


# -- the head --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Head:
    """Where the log ends: the number of events and the last one's value."""

    events: int
    last: str
    keyed: bool
    head_mac: str = ""  # over events and last, under the audit key: a head cannot be forged

    @classmethod
    def of(cls, seq: int, value: str, key: bytes | None) -> Head:
        return cls(seq, value, key is not None, _head_mac(key, seq, value) if key else "")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def parse(cls, text: str, origin: str) -> Head:
        try:
            raw = json.loads(text)
            return cls(int(raw["events"]), str(raw["last"]), bool(raw["keyed"]), str(raw.get("head_mac", "")))
        except (ValueError, KeyError, TypeError):
            raise InvalidInput(
                f"{origin} does not hold an audit head (as printed by audit-verify --head)"
            ) from None


def _head_mac(key: bytes, seq: int, value: str) -> str:
    return hmac.new(key, f"{_MAC_LABEL} head:{seq}:{value}".encode(), hashlib.sha256).hexdigest()


def read_head(path: Path) -> Head | None:
    if not path.exists():
        return None
    return Head.parse(path.read_text(encoding="utf-8"), str(path))


def write_head(path: Path, head: Head) -> None:
    """Rewrite the head file, never with an older head (two writers may race). A head file that
    cannot be written is logged, not raised: the change it follows is committed already.

    The head is padded to a fixed size and rewritten in place: creating or renaming a file costs
    about 2 ms on ext4 (benchmarks/audit_chain.py), one write of a sector a few microseconds, and
    every read of a case appends an event. Only the first head is written as a new file."""
    try:
        current = read_head(path)
    except (OSError, InvalidInput):
        current = None
    if current is not None and current.events >= head.events:
        return
    record = json.dumps(head.as_dict()).encode().ljust(_HEAD_BYTES - 1) + b"\n"
    try:
        if current is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
            partial.write_bytes(record)
            partial.replace(path)
            return
        handle = os.open(path, os.O_WRONLY)
        try:
            os.pwrite(handle, record, 0)
            if os.fstat(handle).st_size != _HEAD_BYTES:
                os.ftruncate(handle, _HEAD_BYTES)
        finally:
            os.close(handle)
    except OSError as exc:
        _log.warning("could not write the audit head to %s: %s", path, exc.__class__.__name__)


# -- verification ----------------------------------------------------------------------------------


@dataclass
class ChainReport:
    ok: bool = True
    checked: int = 0
    unchained: int = 0  # events written before the chain existed (migration 0005)
    hashed: int = 0  # unkeyed events (before the database had a master key, or before 0006)
    keyed: int = 0
    first_bad_id: int | None = None
    first_bad_seq: int | None = None
    problem: str = ""
    head: dict[str, Any] | None = None  # where the log ends now
    head_checked: bool = False  # compared with a head kept outside the database

    def fail(self, row: Any, problem: str) -> ChainReport:
        self.ok, self.problem = False, problem
        if row is not None:
            self.first_bad_id, self.first_bad_seq = row.id, row.seq
        return self


def verify(conn: Connection, key: bytes | None = None, head: Head | None = None) -> ChainReport:
    """Walk the whole log in order, recompute every value, and compare its end with ``head``.

    ``key`` is the database's audit key, None when it has none (a keyed log then raises
    :class:`AuditLocked`); ``head`` is a head kept outside the database (the head file, or a copy
    kept elsewhere)."""
    a = schema.audit_events
    report = ChainReport()
    if conn.scalar(select(func.count()).select_from(a).where(a.c.seq.is_(None))):
        return report.fail(None, "an event has no position: it was inserted outside rightstrack")
    walk = _Walk(key, report, head.events if head else None)
    for row in conn.execute(select(a).order_by(a.c.seq)):
        if not walk.step(row):
            return report
    if key is not None and report.keyed == 0:
        # The audit key is made for the seal, so a key without any keyed event means they were deleted.
        return report.fail(None, "the audit key exists but no event is keyed: keyed events were removed")
    if walk.last is not None:
        report.head = Head.of(walk.last.seq, walk.value or "", key if report.keyed else None).as_dict()
    if head is not None:
        _compare_head(report, head, key, walk.value_at_head)
    return report


class _Walk:
    """The state of one pass over the log, event by event."""

    def __init__(self, key: bytes | None, report: ChainReport, head_events: int | None) -> None:
        self.key, self.report, self.head_events = key, report, head_events
        self.value: str | None = None  # the previous event's value
        self.last: Any = None
        self.value_at_head: str | None = None
        self.phase = "unchained"
        self.digest = hashlib.sha256()

    def step(self, row: Any) -> bool:
        report = self.report
        if row.seq != report.checked + 1:
            report.fail(row, f"event {report.checked + 1} is missing or out of order")
            return False
        problem = self._keyed(row) if row.mac is not None else self._unkeyed(row)
        if problem:
            report.fail(row, problem)
            return False
        report.checked += 1
        self.last = row
        if row.seq == self.head_events:
            self.value_at_head = self.value or ""
        return True

    def _unkeyed(self, row: Any) -> str:
        if self.phase == "keyed":
            return "an unkeyed event after the log was keyed"
        self.digest.update(sealed_line(row))
        if row.hash is None:
            if self.phase == "hashed":
                return "an event without a hash inside the chain"
            self.report.unchained += 1
            return ""
        self.phase = "hashed"
        if (row.prev_hash or "") != (self.value or ""):
            return "the previous hash does not match"
        if chain_hash(row) != row.hash:
            return "the event was changed after it was written"
        self.value = row.hash
        self.report.hashed += 1
        return ""

    def _keyed(self, row: Any) -> str:
        if self.key is None:
            raise AuditLocked(
                "the audit log is keyed: verifying it needs the master key "
                "(set RIGHTSTRACK_KEY_FILE or RIGHTSTRACK_PASSPHRASE)"
            )
        if self.phase != "keyed":
            problem = self._seal(row)
            if problem:
                return problem
            self.phase = "keyed"
        if (row.prev_hash or "") != (self.value or ""):
            return "the previous value does not match"
        if not hmac.compare_digest(chain_mac(self.key, row), row.mac):
            return "the event was changed after it was written (or MACed under another key)"
        self.value = row.mac
        self.report.keyed += 1
        return ""

    def _seal(self, row: Any) -> str:
        if (row.action, row.entity) != (SEAL_ACTION, SEAL_ENTITY):
            return "the first keyed event is not the seal of the events before it"
        sealed = json.loads(row.after or "{}")
        if (
            sealed.get("sealed_events") != row.seq - 1
            or sealed.get("sealed_digest") != self.digest.hexdigest()
        ):
            return "the events before the seal were changed after it was written"
        return ""


def _compare_head(report: ChainReport, head: Head, key: bytes | None, value: str | None) -> None:
    report.head_checked = True
    if head.keyed:
        if key is None:
            raise AuditLocked("the head is keyed: checking it needs the master key")
        if not hmac.compare_digest(head.head_mac, _head_mac(key, head.events, head.last)):
            report.fail(
                None, "the head was not written under this database's key (forged, or another database's)"
            )
            return
    if value is None:
        ends = report.checked
        report.fail(
            None, f"the log ends at event {ends} but its head says {head.events}: events were removed"
        )
    elif not hmac.compare_digest(value, head.last):
        report.fail(None, f"event {head.events} differs from the head: the log was rewritten")


def current_head(conn: Connection, key: bytes | None) -> Head | None:
    """The head as the database says it is now (None for an empty log)."""
    a = schema.audit_events
    last = conn.execute(select(a.c.seq, a.c.hash, a.c.mac).order_by(a.c.seq.desc()).limit(1)).first()
    if last is None or last.seq is None:
        return None
    return Head.of(last.seq, last.mac or last.hash or "", key if last.mac else None)


def verify_against_file(
    conn: Connection, key: bytes | None, path: Path | None, against: Head | None
) -> ChainReport:
    """:func:`verify` with the head kept elsewhere (``against``) or, without one, the head file.
    A missing head file fails a log that has events: deleting it is how a cut would be hidden."""
    expected = against or (read_head(path) if path is not None else None)
    report = verify(conn, key, expected)
    if report.ok and expected is None and path is not None and report.checked:
        report.fail(None, f"no head file at {path}: copy it along with the database, or give --against")
    return report
