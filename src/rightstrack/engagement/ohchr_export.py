"""OHCHR's ratification-status export (.xls): one sheet per instrument, full dates.

Row 1 holds the instrument's title and "[Last Updated: dd/mm/yyyy hh:mm:ss]"; row 2 the headers
(Country, Date of Signature, Date of Ratification/Accession, Date of acceptance of individual
communications procedure, Date of acceptance of inquiry procedure); then one row per country
until a blank row, after which come definitions and the source. The same layout serves every
instrument, so the instrument comes from the title. Non-states it lists (Cook Islands, Niue, the
European Union) are skipped with a note.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

import xlrd

from rightstrack.engagement.dates import PartialDate
from rightstrack.engagement.instruments import Instrument, find_instrument
from rightstrack.engagement.treaty_import import check_after_adoption, register, resolve_state
from rightstrack.engagement.treaty_model import ConsentKind, FactKind, TreatyBatch, TreatyFact, TreatyStatus
from rightstrack.errors import ErrorList, ImportFailed, Problem
from rightstrack.ingest.base import sha256_of

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_UPDATED = re.compile(r"\[\s*last updated:\s*(\d{1,2}/\d{1,2}/\d{4})[^\]]*\]", re.IGNORECASE)
# Header prefix → (fact kind, field label); matched by prefix so that "(dd/mm/yyyy)" may come and go.
_COLUMNS: dict[str, FactKind] = {
    "date of signature": FactKind.SIGNATURE,
    "date of ratification": FactKind.CONSENT,
    "date of acceptance of individual communications": FactKind.COMPLAINTS,
    "date of acceptance of inquiry": FactKind.INQUIRY,
}


class OhchrExportImporter:
    name: ClassVar[str] = "ohchr-export"
    description: ClassVar[str] = "OHCHR ratification-status export (.xls, full dates)"

    def sniff(self, path: Path, head: bytes) -> bool:
        return head.startswith(_OLE) and path.suffix.lower() == ".xls"

    def read(self, path: Path, instrument: Instrument | None = None) -> TreatyBatch:
        try:
            book = xlrd.open_workbook(str(path))
        except Exception as exc:  # xlrd raises assorted types on corrupt files (CompDocError, struct.error…)
            raise ImportFailed(f"{path}: not a readable .xls workbook ({exc})") from exc
        return parse_sheet(str(path), sha256_of(path), book.sheet_by_index(0), book.datemode, instrument)


def parse_sheet(
    file: str, sha256: str, sheet: Any, datemode: int, instrument: Instrument | None = None
) -> TreatyBatch:
    """The export's first sheet (an ``xlrd`` sheet, or anything with its ``nrows``, ``ncols``,
    ``cell``, ``cell_value`` and ``row_values``) as treaty facts."""
    errors = ErrorList(file)
    path = Path(file)
    if sheet.nrows < 3 or sheet.ncols < 3:
        raise ImportFailed(f"{file}: malformed export", [Problem("fewer than 3 rows or columns", file, 1)])
    title = str(sheet.cell_value(0, 0)).strip()
    instrument = instrument or _instrument_from_title(errors, title)
    as_of = _as_of(errors, title)
    columns = _columns(errors, [str(v).strip() for v in sheet.row_values(1)])
    errors.raise_if_any("malformed export; nothing was stored")
    assert instrument is not None and as_of is not None
    facts: list[TreatyFact] = []
    notes: list[Problem] = []
    seen: dict[str, int] = {}
    rows = 0
    for index in range(2, sheet.nrows):
        line = index + 1
        country = str(sheet.cell_value(index, 0)).strip()
        if not country:
            break  # definitions and source follow the blank row
        rows += 1
        resolved = resolve_state(errors, line, country, name_field="Country")
        if resolved is None:
            continue
        if resolved.alpha3 is None:
            notes.append(Problem(resolved.skip_reason or "skipped", str(path), line, field="Country"))
            continue
        if resolved.alpha3 in seen:
            errors.add(
                f"the state appears twice (also on row {seen[resolved.alpha3]})",
                line=line,
                field="Country",
                value=country,
            )
            continue
        seen[resolved.alpha3] = line
        dates: dict[FactKind, PartialDate] = {}
        for column, (kind, label) in columns.items():
            when = _date(errors, line, label, sheet.cell(index, column), datemode)
            if when is not None and check_after_adoption(errors, line, label, when, instrument):
                dates[kind] = when
        facts.extend(_row_facts(errors, line, resolved.alpha3, instrument, dates, columns))
    errors.raise_if_any("the file was not imported; nothing was stored")
    if not facts:
        raise ImportFailed(f"{path}: no country rows: malformed export")
    return TreatyBatch(
        path=file,
        sha256=sha256,
        importer=OhchrExportImporter.name,
        title=f"{instrument.code} OHCHR ratification export ({path.name})",
        as_of=as_of,
        facts=facts,
        notes=notes,
        rows_read=rows,
        instruments=(instrument.code,),
    )


def _instrument_from_title(errors: ErrorList, title: str) -> Instrument | None:
    name = title.split("[", 1)[0].strip()
    found = find_instrument(name)
    if found is None:
        errors.add("the title names none of the 18 core instruments", line=1, field="title", value=name)
    return found


def _as_of(errors: ErrorList, title: str) -> PartialDate | None:
    match = _UPDATED.search(title)
    if match is None:
        errors.add("no '[Last Updated: dd/mm/yyyy]' in the title", line=1, field="title", value=title)
        return None
    try:
        return PartialDate.parse(match.group(1))
    except ValueError:
        errors.add("the 'Last Updated' date is not a date", line=1, field="title", value=title)
        return None


def _columns(errors: ErrorList, headers: list[str]) -> dict[int, tuple[FactKind, str]]:
    found: dict[int, tuple[FactKind, str]] = {}
    for index, header in enumerate(headers):
        for prefix, kind in _COLUMNS.items():
            if header.lower().startswith(prefix):
                found[index] = (kind, header)
    if not headers or headers[0].lower() != "country":
        errors.add("the first column must be 'Country'", line=2, value=headers[0] if headers else "")
    if FactKind.CONSENT not in {kind for kind, _ in found.values()}:
        errors.add("no 'Date of Ratification/Accession' column", line=2, value=" | ".join(headers))
    return found


def _date(errors: ErrorList, line: int, field: str, cell: Any, datemode: int) -> PartialDate | None:
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    try:
        if cell.ctype == xlrd.XL_CELL_DATE:
            return PartialDate.of(xlrd.xldate.xldate_as_datetime(cell.value, datemode).date())
        if cell.ctype == xlrd.XL_CELL_TEXT and str(cell.value).strip():
            return PartialDate.parse(str(cell.value))
        if cell.ctype == xlrd.XL_CELL_TEXT:
            return None
    except (ValueError, xlrd.xldate.XLDateError):
        pass
    errors.add("not a date", line=line, field=field, value=str(cell.value))
    return None


def _row_facts(
    errors: ErrorList,
    line: int,
    state: str,
    instrument: Instrument,
    dates: dict[FactKind, PartialDate],
    columns: dict[int, tuple[FactKind, str]],
) -> list[TreatyFact]:
    label = {kind: header for kind, header in columns.values()}
    signed, consent = dates.get(FactKind.SIGNATURE), dates.get(FactKind.CONSENT)
    if signed and consent and consent.surely_before(signed):
        errors.add(
            f"ratification/accession ({consent}) before signature ({signed})",
            line=line,
            field=label[FactKind.CONSENT],
            value=consent.iso,
        )
        return []
    for kind in (FactKind.COMPLAINTS, FactKind.INQUIRY):
        accepted = dates.get(kind)
        if accepted and (consent is None or accepted.surely_before(consent)):
            errors.add(
                "procedure accepted before (or without) ratification/accession",
                line=line,
                field=label[kind],
                value=accepted.iso,
            )
            return []
    status = TreatyStatus.PARTY if consent else TreatyStatus.SIGNATORY if signed else TreatyStatus.NO_ACTION
    locator = f"row {line}"
    facts = [TreatyFact(state, instrument.code, FactKind.STATUS, locator, status.value)]
    for kind, when in dates.items():
        value = ConsentKind.UNSPECIFIED.value if kind is FactKind.CONSENT else None
        facts.append(TreatyFact(state, instrument.code, kind, locator, value, when))
    return facts


register(OhchrExportImporter())
