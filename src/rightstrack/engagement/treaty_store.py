"""Writing treaty facts: one transaction per file, idempotent, the newest and most precise source winning.

The precedence rule, per state, instrument and kind of fact: the fact from the source with the
latest ``as_of`` wins (ties: the more precise date, then the later document). A more precise date
from an older source survives when it refines the winner's (an OHCHR "1976-01-03" beside a newer
table's "1976") — a coarser source confirms a precise one rather than erasing it. Every fact stays
in ``treaty_facts``; ``treaty_status`` only points at the winners, so the choice is explainable.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select, tuple_

from rightstrack.engagement import schema as es
from rightstrack.engagement.dates import PartialDate
from rightstrack.engagement.instruments import INSTRUMENTS, Instrument
from rightstrack.engagement.treaty_import import detect_treaty_importer, treaty_importers
from rightstrack.engagement.treaty_model import FactKind, TreatyBatch, TreatyFact
from rightstrack.errors import ImportFailed, Problem
from rightstrack.model.records import DocumentKind
from rightstrack.store import schema
from rightstrack.store.database import Database

# The locator is part of a fact's identity: one file may hold several reservations of one state.
_FACT_KEY = ("state", "instrument", "kind", "locator")


@dataclass
class TreatyImportSummary:
    file: str
    importer: str
    instruments: tuple[str, ...]
    as_of: str
    rows_read: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    statuses_changed: int = 0
    notes: list[Problem] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            **{k: v for k, v in self.__dict__.items() if k != "notes"},
            "notes": [str(n) for n in self.notes],
        }


def import_treaty_file(
    db: Database, path: Path, importer_name: str | None = None, instrument: Instrument | None = None
) -> TreatyImportSummary:
    """Read one file with the named (or recognised) importer and store it in one transaction."""
    started = time.perf_counter()
    if importer_name is None:
        importer = detect_treaty_importer(path)
    else:
        found = treaty_importers().get(importer_name)
        if found is None:
            raise ImportFailed(
                f"no treaty importer called {importer_name!r}; known: {', '.join(treaty_importers())}"
            )
        importer = found
    if not path.is_file():
        raise ImportFailed(f"{path}: no such file")
    summary = write_treaty_batch(db, importer.read(path, instrument))
    summary.seconds = time.perf_counter() - started
    return summary


def ensure_instruments(conn: Connection) -> None:
    """The instruments are code; their rows exist so that the SQLite file reads well on its own."""
    stored = {row.code: row for row in conn.execute(select(es.treaty_instruments))}
    for instrument in INSTRUMENTS:
        row = {
            "code": instrument.code,
            "name": instrument.name,
            "adopted": instrument.adopted.iso,
            "body": instrument.body,
            "parent": instrument.parent,
        }
        old = stored.get(instrument.code)
        if old is None:
            conn.execute(es.treaty_instruments.insert(), row)
        elif dict(old._mapping) != row:
            conn.execute(
                es.treaty_instruments.update().where(es.treaty_instruments.c.code == instrument.code), row
            )


def write_treaty_batch(db: Database, batch: TreatyBatch) -> TreatyImportSummary:
    summary = TreatyImportSummary(
        batch.path, batch.importer, batch.instruments, batch.as_of.iso, batch.rows_read, notes=batch.notes
    )
    now = datetime.now(UTC)
    with db.transaction() as conn:
        ensure_instruments(conn)
        document_id = _document(conn, batch, now)
        touched = _write_facts(conn, document_id, batch, summary)
        summary.statuses_changed = refresh_status(conn, touched)
        conn.execute(
            schema.import_runs.insert(),
            {
                "importer": batch.importer,
                "document_id": document_id,
                "filename": Path(batch.path).name,
                "started_at": now,
                "finished_at": datetime.now(UTC),
                "summary": f"{summary.created} created, {summary.updated} updated, "
                f"{summary.unchanged} unchanged, {summary.removed} removed treaty facts",
            },
        )
    return summary


def _document(conn: Connection, batch: TreatyBatch, now: datetime) -> int:
    found = conn.scalar(select(schema.documents.c.id).where(schema.documents.c.sha256 == batch.sha256))
    if found is not None:
        return int(found)
    return int(
        conn.execute(
            schema.documents.insert().returning(schema.documents.c.id),
            {
                "sha256": batch.sha256,
                "kind": DocumentKind.DATASET_EXPORT.value,
                "filename": Path(batch.path).name,
                "title": batch.title,
                "imported_at": now,
            },
        ).scalar_one()
    )


def _fact_row(fact: TreatyFact, document_id: int, as_of: PartialDate) -> dict[str, Any]:
    return {
        "state": fact.state,
        "instrument": fact.instrument,
        "kind": fact.kind.value,
        "value": fact.value,
        "date": fact.date.iso if fact.date else None,
        "date_precision": fact.date.precision.value if fact.date else None,
        "document_id": document_id,
        "locator": fact.locator,
        "as_of": as_of.iso,
        "note": fact.note,
    }


def _write_facts(
    conn: Connection, document_id: int, batch: TreatyBatch, summary: TreatyImportSummary
) -> set[tuple[str, str]]:
    facts = es.treaty_facts
    existing = {
        tuple(row._mapping[k] for k in _FACT_KEY): row._mapping
        for row in conn.execute(select(facts).where(facts.c.document_id == document_id))
    }
    touched: set[tuple[str, str]] = set()
    new_rows = []
    wanted = set()
    for fact in batch.facts:
        row = _fact_row(fact, document_id, batch.as_of)
        key = tuple(row[k] for k in _FACT_KEY)
        wanted.add(key)
        old = existing.get(key)
        if old is None:
            new_rows.append(row)
        elif any(old[k] != v for k, v in row.items()):
            conn.execute(facts.update().where(facts.c.id == old["id"]), row)
            summary.updated += 1
        else:
            summary.unchanged += 1
            continue
        touched.add((fact.state, fact.instrument))
    if new_rows:
        conn.execute(facts.insert(), new_rows)
        summary.created = len(new_rows)
    # Only an edited file with the same sha256 could drop facts; kept for the importer changing.
    gone = [old["id"] for key, old in existing.items() if key not in wanted]
    if gone:
        touched |= {(old["state"], old["instrument"]) for key, old in existing.items() if key not in wanted}
        conn.execute(
            es.treaty_status.delete().where(
                tuple_(es.treaty_status.c.state, es.treaty_status.c.instrument).in_(list(touched))
            )
        )
        conn.execute(facts.delete().where(facts.c.id.in_(gone)))
        summary.removed = len(gone)
    return touched


def _winner(candidates: Sequence[Any]) -> Any:
    def rank(f: Any) -> tuple[str, int, int]:
        precision = PartialDate(f.date).precision.rank if f.date else 0
        return (f.as_of, precision, f.document_id)

    best = max(candidates, key=rank)
    if best.date:
        newest = PartialDate(best.date)
        finer = [
            f for f in candidates if f.date and f.value == best.value and PartialDate(f.date).refines(newest)
        ]
        if finer:
            best = max(finer, key=lambda f: (PartialDate(f.date).precision.rank, f.as_of, f.document_id))
    return best


def refresh_status(conn: Connection, pairs: Iterable[tuple[str, str]]) -> int:
    """Recompute ``treaty_status`` for these (state, instrument) pairs from all their facts."""
    pairs = sorted(set(pairs))
    if not pairs:
        return 0
    facts = es.treaty_facts
    by_pair: dict[tuple[str, str], dict[str, list[Any]]] = {}
    for chunk in _chunks(pairs, 400):
        query = select(facts).where(tuple_(facts.c.state, facts.c.instrument).in_(chunk))
        for row in conn.execute(query):
            by_pair.setdefault((row.state, row.instrument), {}).setdefault(row.kind, []).append(row)
    current = {
        (row.state, row.instrument): dict(row._mapping)
        for chunk in _chunks(pairs, 400)
        for row in conn.execute(
            select(es.treaty_status).where(
                tuple_(es.treaty_status.c.state, es.treaty_status.c.instrument).in_(chunk)
            )
        )
    }
    corrected = corrections_in_force(conn, pairs)
    changed = 0
    for pair, kinds in by_pair.items():
        if FactKind.STATUS.value not in kinds:
            continue
        winners = {kind: _winner(found) for kind, found in kinds.items()}
        status = _status_row(pair, winners, corrected.get(pair, {}))
        old = current.get(pair)
        if old is None:
            conn.execute(es.treaty_status.insert(), status)
        elif old != status:
            conn.execute(
                es.treaty_status.update().where(
                    es.treaty_status.c.state == pair[0], es.treaty_status.c.instrument == pair[1]
                ),
                status,
            )
        else:
            continue
        changed += 1
    return changed


def _status_row(
    pair: tuple[str, str], win: dict[str, Any], corrected: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """The status row from the winning facts; an editor's correction (engagement.corrections)
    gives its value and date, while the row keeps pointing at the imported fact it corrects."""

    def get(kind: FactKind, attr: str) -> Any:
        if attr != "id" and kind.value in corrected:
            return corrected[kind.value][attr]
        fact = win.get(kind.value)
        return getattr(fact, attr) if fact is not None else None

    return {
        "state": pair[0],
        "instrument": pair[1],
        "status": get(FactKind.STATUS, "value"),
        "signature_date": get(FactKind.SIGNATURE, "date"),
        "signature_precision": get(FactKind.SIGNATURE, "date_precision"),
        "consent_kind": get(FactKind.CONSENT, "value"),
        "consent_date": get(FactKind.CONSENT, "date"),
        "consent_precision": get(FactKind.CONSENT, "date_precision"),
        "denunciation_date": get(FactKind.DENUNCIATION, "date"),
        "complaints_date": get(FactKind.COMPLAINTS, "date"),
        "inquiry_date": get(FactKind.INQUIRY, "date"),
        "status_fact_id": get(FactKind.STATUS, "id"),
        "signature_fact_id": get(FactKind.SIGNATURE, "id"),
        "consent_fact_id": get(FactKind.CONSENT, "id"),
        "denunciation_fact_id": get(FactKind.DENUNCIATION, "id"),
        "complaints_fact_id": get(FactKind.COMPLAINTS, "id"),
        "inquiry_fact_id": get(FactKind.INQUIRY, "id"),
    }


def corrections_in_force(
    conn: Connection, pairs: Iterable[tuple[str, str]] | None = None, *, state: str | None = None
) -> dict[tuple[str, str], dict[str, dict[str, Any]]]:
    """(state, instrument) -> fact kind -> the editor's correction in force (engagement.corrections)."""
    c = es.treaty_corrections
    query = select(c).where(c.c.withdrawn_at.is_(None))
    if state is not None:
        query = query.where(c.c.state == state)
    found: dict[tuple[str, str], dict[str, dict[str, Any]]] = defaultdict(dict)
    wanted = set(pairs) if pairs is not None else None
    for row in conn.execute(query.order_by(c.c.id)):
        if wanted is None or (row.state, row.instrument) in wanted:
            found[(row.state, row.instrument)][row.kind] = dict(row._mapping)
    return found


def _chunks(items: Sequence[tuple[str, str]], size: int) -> Iterable[list[tuple[str, str]]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
