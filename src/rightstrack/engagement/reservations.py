"""Reservations and declarations, from a CSV a user keeps (no shared dataset publishes them as data).

Columns: ``state, instrument, kind, date, text, citation``; ``kind`` is reservation or declaration,
``date`` may be a year, a month or a day, ``citation`` says where the text was taken from (the UN
Treaty Collection page, a depositary notification). ``rightstrack treaties template`` prints it.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rightstrack.engagement.dates import PartialDate
from rightstrack.engagement.instruments import Instrument, find_instrument
from rightstrack.engagement.treaty_import import check_after_adoption, read_csv_table, register, resolve_state
from rightstrack.engagement.treaty_model import FactKind, TreatyBatch, TreatyFact
from rightstrack.errors import ErrorList, ImportFailed
from rightstrack.ingest.base import sha256_of

COLUMNS = ("state", "instrument", "kind", "date", "text", "citation")
_KINDS = {"reservation": FactKind.RESERVATION, "declaration": FactKind.DECLARATION}


def reservations_template() -> str:
    return ",".join(COLUMNS) + "\n"


class ReservationsCsvImporter:
    name: ClassVar[str] = "reservations"
    description: ClassVar[str] = "reservations and declarations (CSV: " + ", ".join(COLUMNS) + ")"

    def sniff(self, path: Path, head: bytes) -> bool:
        first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode("latin-1").strip().lower()
        return [c.strip() for c in first.split(",")] == list(COLUMNS)

    def read(self, path: Path, instrument: Instrument | None = None) -> TreatyBatch:
        errors = ErrorList(str(path))
        reader = read_csv_table(path, COLUMNS, errors, "not a reservations table")
        facts: list[TreatyFact] = []
        rows = 0
        for row in reader:
            rows += 1
            fact = _fact(errors, path, reader.line_num, {k: (v or "").strip() for k, v in row.items() if k})
            if fact is not None:
                facts.append(fact)
        errors.raise_if_any("the file was not imported; nothing was stored")
        if not facts:
            raise ImportFailed(f"{path}: no rows: a reservations table needs at least one")
        dates = [f.date for f in facts if f.date is not None]
        return TreatyBatch(
            path=str(path),
            sha256=sha256_of(path),
            importer=self.name,
            title=f"reservations and declarations ({path.name})",
            as_of=max(dates, key=lambda d: d.iso) if dates else PartialDate.year_only(1948),
            facts=facts,
            rows_read=rows,
            instruments=tuple(sorted({f.instrument for f in facts})),
        )


def _fact(errors: ErrorList, path: Path, line: int, cells: dict[str, str]) -> TreatyFact | None:
    resolved = resolve_state(errors, line, cells["state"], name_field="state")
    instrument = find_instrument(cells["instrument"])
    if instrument is None:
        errors.add("unknown instrument", line=line, field="instrument", value=cells["instrument"])
    kind = _KINDS.get(cells["kind"].lower())
    if kind is None:
        errors.add("kind must be reservation or declaration", line=line, field="kind", value=cells["kind"])
    for field in ("text", "citation"):
        if not cells[field]:
            errors.add(f"{field} is required", line=line, field=field)
    when: PartialDate | None = None
    if cells["date"]:
        try:
            when = PartialDate.parse(cells["date"])
        except ValueError:
            errors.add("not a date (YYYY, YYYY-MM, YYYY-MM-DD)", line=line, field="date", value=cells["date"])
    if (
        instrument is not None
        and when is not None
        and not check_after_adoption(errors, line, "date", when, instrument)
    ):
        return None
    if resolved is None or resolved.alpha3 is None or instrument is None or kind is None:
        if resolved is not None and resolved.alpha3 is None:
            errors.add(resolved.skip_reason or "not a state", line=line, field="state", value=cells["state"])
        return None
    if not cells["text"] or not cells["citation"]:
        return None
    return TreatyFact(
        state=resolved.alpha3,
        instrument=instrument.code,
        kind=kind,
        locator=f"{path.name} line {line}",
        value=cells["text"],
        date=when,
        note=cells["citation"],
    )


RESERVATIONS_IMPORTER = register(ReservationsCsvImporter())
