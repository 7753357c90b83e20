"""Cases (HURIDOCS events with their acts): create, new versions, read, list, search, delete.

A case version holds the incident and its acts. Fields in ``SEALED_CASE`` / ``SEALED_ACT`` are
encrypted under the case's data key; the rest is plain JSON that the whitelists in
:mod:`rightstrack.defenders.access` may show or count. Every read, listing and deletion is audited
with ids only: no field value ever goes into the audit log.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, select

from rightstrack.auth import audit
from rightstrack.auth.roles import Permission
from rightstrack.defenders import vocab
from rightstrack.defenders.access import PLAIN_FIELDS, Access, Viewer, access, grants_of, public_view
from rightstrack.defenders.crypto import Vault
from rightstrack.defenders.schema import hrd_case_versions, hrd_cases, hrd_data_keys, hrd_grants
from rightstrack.errors import InvalidInput, NotFound, PermissionDenied
from rightstrack.store.database import Database

ENTITY = "hrd_case"
_CASE_TABLES = (
    "hrd_cases",
    "hrd_case_versions",
    "hrd_data_keys",
    "hrd_sources",
    "hrd_interventions",
    "hrd_intervention_updates",
    "hrd_links",
    "hrd_grants",
    "hrd_attachments",
)


@dataclass(frozen=True)
class CaseRef:
    id: str
    sensitivity: str
    owner: str
    current_version: int
    monitoring_status: str


def split(content: dict[str, Any], sensitivity: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The plain and sealed halves of one version. Default-deny: only the label's
    ``PLAIN_FIELDS`` stay plain; everything else, including fields nobody planned for, is sealed."""
    open_case, open_act = PLAIN_FIELDS[vocab.Sensitivity(sensitivity)]
    public = {k: v for k, v in content.items() if k in open_case}
    sealed = {k: v for k, v in content.items() if k not in open_case and k != "acts"}
    acts = content.get("acts", [])
    public["acts"] = [{k: v for k, v in a.items() if k in open_act} for a in acts]
    sealed["acts"] = [{k: v for k, v in a.items() if k not in open_act} for a in acts]
    return public, sealed


def merge(public: dict[str, Any], sealed: dict[str, Any]) -> dict[str, Any]:
    content = {**public, **{k: v for k, v in sealed.items() if k != "acts"}}
    content["acts"] = [
        {**p, **s} for p, s in zip(public.get("acts", []), sealed.get("acts", []), strict=True)
    ]
    return content


def validate(content: dict[str, Any]) -> dict[str, Any]:
    if not content.get("acts"):
        raise InvalidInput("a case needs at least one act (who suffered what)")
    if content.get("violation_status"):
        vocab.check_code(content["violation_status"], vocab.VIOLATION_STATUSES, "violation status")
    if content.get("start_date"):
        date = vocab.FuzzyDate.parse(str(content["start_date"]))
        content.setdefault("date_precision", date.precision.value)
        content["year"] = date.year
        content["month"] = date.coarsened() if len(date.value) >= 7 else None
    for act in content["acts"]:
        vocab.check_code(str(act.get("act_type")), vocab.ACT_TYPES, "act type")
        for kind in act.get("perpetrator_types", []):
            vocab.check_code(kind, vocab.PERPETRATOR_TYPES, "perpetrator type")
        for status in act.get("defender_status", []):
            vocab.check_code(status, {s.value for s in vocab.DefenderStatus}, "defender profile")
        if act.get("counting_unit"):
            vocab.check_code(act["counting_unit"], vocab.COUNTING_UNITS, "counting unit")
        if act.get("degree_of_involvement"):
            vocab.check_code(
                act["degree_of_involvement"], vocab.DEGREES_OF_INVOLVEMENT, "degree of involvement"
            )
    return content


def _aad(case_id: str, version: int) -> str:
    return f"case:{case_id}:{version}"


def _ref(row: Any) -> CaseRef:
    return CaseRef(row.id, row.sensitivity, row.owner, row.current_version, row.monitoring_status)


def load_ref(conn: Connection, case_id: str) -> CaseRef:
    row = conn.execute(select(hrd_cases).where(hrd_cases.c.id == case_id)).first()
    if row is None:
        raise NotFound(f"no case {case_id}")
    return _ref(row)


def require(conn: Connection, who: Viewer, case_id: str, needed: Access) -> tuple[CaseRef, Access]:
    """The case and the reader's access, or NotFound when they may not even know it exists."""
    try:
        case = load_ref(conn, case_id)
    except NotFound:
        raise NotFound(f"no case {case_id}") from None
    level = access(who, case, grants_of(conn, case_id))
    if level == Access.NONE:
        raise NotFound(f"no case {case_id}")
    if level < needed:
        raise PermissionDenied("you may not change this case")
    return case, level


def insert_case(
    conn: Connection,
    vault: Vault,
    who: Viewer,
    content: dict[str, Any],
    *,
    sensitivity: str,
    dataset: str | None = None,
    source_ref: str | None = None,
    monitoring_status: str = "active",
) -> str:
    """Write a new case inside the caller's transaction."""
    return insert_cases(
        conn, vault, who, [content], sensitivity=sensitivity, dataset=dataset,
        source_refs=[source_ref], monitoring_status=monitoring_status,
    )[0]  # fmt: skip


def insert_cases(
    conn: Connection,
    vault: Vault,
    who: Viewer,
    contents: Sequence[dict[str, Any]],
    *,
    sensitivity: str,
    dataset: str | None = None,
    source_refs: Sequence[str | None] | None = None,
    monitoring_status: str = "active",
) -> list[str]:
    """Write many new cases with one statement per table (importers, benchmarks)."""
    sensitivity = vocab.check_code(sensitivity, {s.value for s in vocab.Sensitivity}, "sensitivity")
    vocab.check_code(monitoring_status, vocab.MONITORING_STATUSES, "monitoring status")
    if not contents:
        return []
    checked = [validate(dict(content)) for content in contents]
    ids = [str(uuid.uuid4()) for _ in checked]
    refs = list(source_refs) if source_refs is not None else [None] * len(ids)
    now = datetime.now(UTC)
    conn.execute(
        hrd_cases.insert(),
        [
            {
                "id": case_id,
                "sensitivity": sensitivity,
                "owner": who.label,
                "dataset": dataset,
                "source_ref": ref,
                "current_version": 1,
                "monitoring_status": monitoring_status,
                "created_at": now,
                "updated_at": now,
            }
            for case_id, ref in zip(ids, refs, strict=True)
        ],
    )
    vault.new_data_keys(conn, ids)
    conn.execute(
        hrd_case_versions.insert(),
        [
            _version_row(conn, vault, who, case_id, 1, content, now, sensitivity)
            for case_id, content in zip(ids, checked, strict=True)
        ],
    )
    return ids


def _version_row(
    conn: Connection,
    vault: Vault,
    who: Viewer,
    case_id: str,
    version: int,
    content: dict[str, Any],
    now: datetime,
    sensitivity: str,
) -> dict[str, Any]:
    public, sealed = split(content, sensitivity)
    return {
        "case_id": case_id,
        "version": version,
        "created_at": now,
        "created_by": who.label,
        "public": json.dumps(public, ensure_ascii=False, sort_keys=True),
        "sealed": vault.seal_json(conn, case_id, sealed, _aad(case_id, version)),
    }


def create_case(db: Database, vault: Vault, who: Viewer, content: dict[str, Any], **options: Any) -> str:
    if not who.may(Permission.EDIT):
        raise PermissionDenied("recording a case needs the edit permission")
    with db.transaction() as conn:
        case_id = insert_case(conn, vault, who, content, **options)
        audit.record(conn, actor=who.label, action="create", entity=ENTITY, entity_id=case_id)
    return case_id


def add_version(
    db: Database,
    vault: Vault,
    who: Viewer,
    case_id: str,
    content: dict[str, Any],
    *,
    conn: Connection | None = None,
) -> int:
    """Record new facts as a new version; earlier versions stay as they were."""
    if conn is None:
        with db.transaction() as own:
            return add_version(db, vault, who, case_id, content, conn=own)
    case, _ = require(conn, who, case_id, Access.WRITE)
    version = case.current_version + 1
    now = datetime.now(UTC)
    conn.execute(
        hrd_case_versions.insert(),
        _version_row(conn, vault, who, case_id, version, validate(dict(content)), now, case.sensitivity),
    )
    conn.execute(
        hrd_cases.update().where(hrd_cases.c.id == case_id).values(current_version=version, updated_at=now)
    )
    audit.record(
        conn,
        actor=who.label,
        action="new version",
        entity=ENTITY,
        entity_id=case_id,
        after={"version": version},
    )
    return version


def set_monitoring(db: Database, who: Viewer, case_id: str, status: str) -> None:
    vocab.check_code(status, vocab.MONITORING_STATUSES, "monitoring status")
    with db.transaction() as conn:
        case, _ = require(conn, who, case_id, Access.WRITE)
        conn.execute(hrd_cases.update().where(hrd_cases.c.id == case_id).values(monitoring_status=status))
        audit.record(
            conn,
            actor=who.label,
            action="update",
            entity=ENTITY,
            entity_id=case_id,
            before={"monitoring_status": case.monitoring_status},
            after={"monitoring_status": status},
        )


def read_version(conn: Connection, vault: Vault, case_id: str, version: int) -> dict[str, Any]:
    row = conn.execute(
        select(hrd_case_versions).where(
            hrd_case_versions.c.case_id == case_id, hrd_case_versions.c.version == version
        )
    ).one()
    sealed = vault.open_json(conn, case_id, row.sealed, _aad(case_id, version))
    return {**merge(json.loads(row.public), sealed), "version": version, "recorded_by": row.created_by}


def read_current(conn: Connection, vault: Vault, case_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The current version of many cases, each key fetched with its record (one query per 500)."""
    c, v, k = hrd_cases, hrd_case_versions, hrd_data_keys
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(case_ids), 500):
        rows = conn.execute(
            select(v, k.c.master_id, k.c.wrapped)
            .select_from(
                v.join(c, (c.c.id == v.c.case_id) & (c.c.current_version == v.c.version)).outerjoin(
                    k, k.c.key_id == v.c.case_id
                )
            )
            .where(v.c.case_id.in_(case_ids[start : start + 500]))
        )
        for row in rows:
            vault.unwrap(conn, row.case_id, row.master_id, row.wrapped)
            sealed = vault.open_json(conn, row.case_id, row.sealed, _aad(row.case_id, row.version))
            found[row.case_id] = {
                **merge(json.loads(row.public), sealed),
                "version": row.version,
                "recorded_by": row.created_by,
            }
    return found


def get_case(
    db: Database, vault: Vault, who: Viewer, case_id: str, *, version: int | None = None
) -> dict[str, Any]:
    """The case as this reader may see it; the read itself is audited (id only)."""
    with db.transaction(bump=False) as conn:  # only an audit event
        case, level = require(conn, who, case_id, Access.PUBLIC_VIEW)
        audit.record(conn, actor=who.label, action="read", entity=ENTITY, entity_id=case_id)
        if level == Access.PUBLIC_VIEW:
            public = json.loads(
                conn.scalar(
                    select(hrd_case_versions.c.public).where(
                        hrd_case_versions.c.case_id == case_id,
                        hrd_case_versions.c.version == case.current_version,
                    )
                )
                or "{}"
            )
            return public_view(case_id, case.sensitivity, public)
        chosen = version or case.current_version
        if not 1 <= chosen <= case.current_version:
            raise NotFound(f"case {case_id} has no version {chosen}")
        content = read_version(conn, vault, case_id, chosen)
        return {
            **content,
            "id": case_id,
            "sensitivity": case.sensitivity,
            "owner": case.owner,
            "monitoring_status": case.monitoring_status,
            "versions": case.current_version,
            "view": "full",
            "may_edit": level >= Access.WRITE,
        }


def visible_cases(conn: Connection, who: Viewer) -> list[tuple[CaseRef, Access, dict[str, Any]]]:
    """Every case this reader may at least see, with its current plain half."""
    c, v = hrd_cases, hrd_case_versions
    rows = conn.execute(
        select(c, v.c.public)
        .select_from(c.join(v, (v.c.case_id == c.c.id) & (v.c.version == c.c.current_version)))
        .order_by(c.c.created_at, c.c.id)
    )
    grants: dict[str, list[dict[str, Any]]] = {}
    for g in conn.execute(select(hrd_grants)):
        grants.setdefault(g.case_id, []).append(dict(g._mapping))
    found = []
    for row in rows:
        ref = _ref(row)
        level = access(who, ref, grants.get(ref.id, []))
        if level > Access.NONE:
            found.append((ref, level, json.loads(row.public)))
    return found


def list_cases(
    db: Database,
    vault: Vault,
    who: Viewer,
    *,
    q: str | None = None,
    country: str | None = None,
    act_type: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """Cases this reader may see, newest first. ``q`` searches sealed text too, but only within
    cases the reader may read in full: nothing is indexed in plain text anywhere."""
    needle = (q or "").casefold().strip()
    with db.transaction(bump=False) as conn:  # only an audit event
        visible = [
            (ref, level, public)
            for ref, level, public in reversed(visible_cases(conn, who))
            if (not country or public.get("country") == country)
            and (not act_type or any(a.get("act_type") == act_type for a in public.get("acts", [])))
        ]
        full = {ref.id for ref, level, _ in visible if level >= Access.READ}
        # Decrypt only what the reader may read, and only when searching or showing a page of it.
        contents = read_current(conn, vault, [r.id for r, _, _ in visible if r.id in full]) if needle else {}
        items = []
        for ref, _level, public in visible:
            if needle:
                text = (
                    contents[ref.id] if ref.id in full else {"public_summary": public.get("public_summary")}
                )
                if needle not in json.dumps(text, ensure_ascii=False).casefold():
                    continue
            item = public_view(ref.id, ref.sensitivity, public)
            if ref.id in full:
                item.update(view="full", monitoring_status=ref.monitoring_status)
            items.append(item)
        page = items[offset : offset + limit]
        shown = contents or read_current(conn, vault, [i["id"] for i in page if i["view"] == "full"])
        for item in page:
            if item["view"] == "full":
                content = shown[item["id"]]
                names = ", ".join(str(a["victim_name"]) for a in content["acts"] if a.get("victim_name"))
                item["title"] = content.get("title") or names or None
        audit.record(
            conn,
            actor=who.label,
            action="list",
            entity=ENTITY,
            after={"count": len(page), "searched": bool(needle)},
        )
    return {"total": len(items), "items": page}


def history(db: Database, who: Viewer, case_id: str) -> list[dict[str, Any]]:
    with db.transaction(bump=False) as conn:  # only an audit event
        require(conn, who, case_id, Access.READ)
        audit.record(conn, actor=who.label, action="read history", entity=ENTITY, entity_id=case_id)
        v = hrd_case_versions
        return [
            {"version": r.version, "recorded_at": r.created_at, "recorded_by": r.created_by}
            for r in conn.execute(select(v).where(v.c.case_id == case_id).order_by(v.c.version))
        ]


def delete_case(db: Database, vault: Vault, who: Viewer, case_id: str) -> None:
    """Remove the case everywhere and destroy its data key, so any copy of its ciphertext is dead.

    On SQLite, run :func:`compact` afterwards to drop the freed pages from the file."""
    with db.transaction() as conn:
        case, _ = require(conn, who, case_id, Access.WRITE)
        if who.username != case.owner and not who.may(Permission.MANAGE_USERS):
            raise PermissionDenied("only the case owner or an administrator may delete a case")
        conn.execute(delete(hrd_cases).where(hrd_cases.c.id == case_id))
        vault.destroy(conn, case_id)
        audit.record(conn, actor=who.label, action="delete", entity=ENTITY, entity_id=case_id)


def compact(db: Database) -> None:
    """Rewrite the SQLite file so deleted rows leave no bytes behind (PostgreSQL: VACUUM FULL)."""
    raw = db.engine.raw_connection()
    try:
        if not db.is_sqlite:
            raw.driver_connection.autocommit = True  # type: ignore[union-attr]
        cursor = raw.cursor()
        # PostgreSQL: only the tables that held the case, so the rest of the database stays available.
        cursor.execute("VACUUM" if db.is_sqlite else f"VACUUM FULL {', '.join(_CASE_TABLES)}")
        if db.is_sqlite:  # old pages may still sit in the write-ahead log
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.close()
    finally:
        raw.close()
