"""The treaty-status tables (``hr_status_<instrument>.csv``): one row per UN member state, years only.

Columns: iso2, member, state party, year ratification or accession, signatory, no action, status,
note (the last is missing from some files). The published files contradict themselves here and
there (a "state party" flag of 0 beside a year and the status "state party"; "no action" 1 beside
"state party"), so the ``status`` column — the table's own summary — decides, the year dates it,
and a disagreeing flag becomes a note rather than a refusal. A note saying the state denounced the
instrument ("Denounced the OP 1997") is taken as the denunciation it records.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import ClassVar

from rightstrack.engagement.dates import PartialDate
from rightstrack.engagement.instruments import Instrument, find_instrument
from rightstrack.engagement.treaty_import import check_after_adoption, read_csv_table, register, resolve_state
from rightstrack.engagement.treaty_model import ConsentKind, FactKind, TreatyBatch, TreatyFact, TreatyStatus
from rightstrack.errors import ErrorList, ImportFailed, Problem
from rightstrack.ingest.base import sha256_of

_FILE_NAME = re.compile(r"hr_status_(?P<instrument>\w+?)(?:[ _-]\d+)?\.csv", re.IGNORECASE)
_REQUIRED = ("iso2", "member", "status", "year ratification or accession")
_STATUS = {
    "state party": TreatyStatus.PARTY,
    "signatory state": TreatyStatus.SIGNATORY,
    "signatory": TreatyStatus.SIGNATORY,
    "no action": TreatyStatus.NO_ACTION,
}
_FLAGS = {TreatyStatus.PARTY: "state party", TreatyStatus.SIGNATORY: "signatory"}
_DENOUNCED = re.compile(r"\bdenounced\b.*?\b(?P<year>\d{4})\b", re.IGNORECASE)


class HrStatusCsvImporter:
    name: ClassVar[str] = "hr-status"
    description: ClassVar[str] = "treaty-status table hr_status_<instrument>.csv (years only)"

    def sniff(self, path: Path, head: bytes) -> bool:
        first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode("latin-1").lower()
        return "iso2" in first and "year ratification or accession" in first

    def read(self, path: Path, instrument: Instrument | None = None) -> TreatyBatch:
        errors = ErrorList(str(path))
        instrument = instrument or _instrument_from_name(path, errors)
        errors.raise_if_any("unknown instrument")
        assert instrument is not None
        reader = read_csv_table(path, _REQUIRED, errors, "not a treaty-status table")
        facts: list[TreatyFact] = []
        notes: list[Problem] = []
        seen: dict[str, int] = {}
        rows = 0
        for row in reader:
            rows += 1
            line = reader.line_num
            cells = {k: (v or "").strip() for k, v in row.items() if k is not None}
            resolved = resolve_state(
                errors, line, cells["member"], cells["iso2"], name_field="member", code_field="iso2"
            )
            if resolved is None:
                continue
            if resolved.alpha3 is None:
                notes.append(Problem(resolved.skip_reason or "skipped", str(path), line, field="member"))
                continue
            if resolved.alpha3 in seen:
                errors.add(
                    f"the state appears twice (also on line {seen[resolved.alpha3]})",
                    line=line,
                    field="iso2",
                    value=cells["iso2"],
                )
                continue
            seen[resolved.alpha3] = line
            facts.extend(_row_facts(errors, notes, str(path), line, resolved.alpha3, instrument, cells))
        errors.raise_if_any("the file was not imported; nothing was stored")
        if not facts:
            raise ImportFailed(f"{path}: no rows: not a treaty-status table")
        years = [f.date.year for f in facts if f.date is not None]
        as_of = PartialDate.year_only(max(years)) if years else PartialDate.year_only(date.today().year)
        notes.append(Problem(f"the file is dated by its latest year, {as_of}", str(path)))
        return TreatyBatch(
            path=str(path),
            sha256=sha256_of(path),
            importer=self.name,
            title=f"{instrument.code} status table ({path.name})",
            as_of=as_of,
            facts=facts,
            notes=notes,
            rows_read=rows,
            instruments=(instrument.code,),
        )


def _instrument_from_name(path: Path, errors: ErrorList) -> Instrument | None:
    match = _FILE_NAME.fullmatch(path.name)
    found = find_instrument(match.group("instrument")) if match else None
    if found is None:
        errors.add(
            "the file name does not name one of the 18 core instruments (hr_status_<instrument>.csv);"
            " pass the instrument explicitly",
            field="file name",
            value=path.name,
        )
    return found


def _row_facts(
    errors: ErrorList,
    notes: list[Problem],
    file: str,
    line: int,
    state: str,
    instrument: Instrument,
    cells: dict[str, str],
) -> list[TreatyFact]:
    raw_status = " ".join(cells["status"].lower().split())
    status = _STATUS.get(raw_status)
    if status is None:
        known = ", ".join(sorted(_STATUS))
        errors.add(
            f"unknown status; expected one of {known}", line=line, field="status", value=cells["status"]
        )
        return []
    year = _year(errors, line, cells["year ratification or accession"], instrument)
    if year is not None and status is not TreatyStatus.PARTY:
        errors.add(
            f"a year of ratification or accession for a state the row calls {raw_status!r}",
            line=line,
            field="year ratification or accession",
            value=year.iso,
        )
        return []
    locator = f"line {line}"
    note = cells.get("note") or None
    _check_flags(notes, file, line, status, cells)
    facts = []
    denounced = _DENOUNCED.search(note or "")
    if status is TreatyStatus.PARTY and denounced:
        when = PartialDate(denounced.group("year"))
        facts.append(TreatyFact(state, instrument.code, FactKind.DENUNCIATION, locator, None, when, note))
        status = TreatyStatus.DENOUNCED
    facts.append(TreatyFact(state, instrument.code, FactKind.STATUS, locator, status.value, None, note))
    if year is not None:
        facts.append(
            TreatyFact(state, instrument.code, FactKind.CONSENT, locator, ConsentKind.UNSPECIFIED.value, year)
        )
    return facts


def _year(errors: ErrorList, line: int, text: str, instrument: Instrument) -> PartialDate | None:
    field = "year ratification or accession"
    if not text:
        return None
    if not re.fullmatch(r"\d{4}", text) or int(text) > date.today().year:
        errors.add("not a year", line=line, field=field, value=text)
        return None
    when = PartialDate(text)
    return when if check_after_adoption(errors, line, field, when, instrument) else None


def _check_flags(
    notes: list[Problem], file: str, line: int, status: TreatyStatus, cells: dict[str, str]
) -> None:
    expected = {"state party": "0", "signatory": "0", "no action": "0"}
    expected[_FLAGS.get(status, "no action")] = "1"
    wrong = [c for c, v in expected.items() if c in cells and cells[c] not in ("", v)]
    if wrong:
        notes.append(
            Problem(
                f"flag(s) {', '.join(wrong)} disagree with the status column, which was kept",
                file,
                line,
                field=wrong[0],
                value=cells["status"],
            )
        )


register(HrStatusCsvImporter())
