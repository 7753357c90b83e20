"""The treaty-status importer interface and registry (separate from recommendation importers:
these produce treaty facts, not recommendation drafts).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Protocol

from rightstrack.engagement.dates import PartialDate
from rightstrack.engagement.instruments import Instrument
from rightstrack.engagement.treaty_model import TreatyBatch
from rightstrack.errors import ErrorList, ImportFailed
from rightstrack.ingest.encoding import decode_text
from rightstrack.model.states import NameKind, classify_name


class TreatyStatusImporter(Protocol):
    name: ClassVar[str]
    description: ClassVar[str]

    def sniff(self, path: Path, head: bytes) -> bool:
        """True when the file looks like this importer's format (``head`` = its first 64 KiB)."""
        ...

    def read(self, path: Path, instrument: Instrument | None = None) -> TreatyBatch:
        """Read the whole file or raise ImportFailed naming file, line and field.

        ``instrument`` overrides what the file name or title says (for renamed files)."""
        ...


_REGISTRY: dict[str, TreatyStatusImporter] = {}


def register(importer: TreatyStatusImporter) -> TreatyStatusImporter:
    _REGISTRY[importer.name] = importer
    return importer


def treaty_importers() -> dict[str, TreatyStatusImporter]:
    # Imported here so that registering happens on first use, not at package import.
    from rightstrack.engagement import hr_status, ohchr_export, reservations  # noqa: F401

    return dict(_REGISTRY)


def detect_treaty_importer(path: Path) -> TreatyStatusImporter:
    try:
        with path.open("rb") as handle:
            head = handle.read(65536)
    except OSError as exc:
        raise ImportFailed(f"{path}: cannot read file: {exc.strerror}") from exc
    for importer in treaty_importers().values():
        if importer.sniff(path, head):
            return importer
    known = ", ".join(f"{i.name} ({i.description})" for i in treaty_importers().values())
    raise ImportFailed(f"{path}: not a treaty-status file rightstrack knows; known formats: {known}")


@dataclass(frozen=True)
class ResolvedState:
    alpha3: str | None
    """None: the row names a territory or other non-state and is skipped with a note."""
    skip_reason: str | None = None


def resolve_state(
    errors: ErrorList, line: int, name: str, code: str | None = None, *, name_field: str, code_field: str = ""
) -> ResolvedState | None:
    """The state a row names: by ISO code where the file gives one, by name otherwise.

    A code and a name that name two different states is an error, never a choice; a territory or
    non-state entity is skipped (these tables list some beside the states); anything unknown is an
    error. Returns None after recording an error."""
    by_code = classify_name(code.strip()) if code and code.strip() else None
    by_name = classify_name(name) if name.strip() else None
    if by_code is not None and by_code.state is not None:
        if by_name is not None and by_name.state is not None and by_name.state != by_code.state:
            errors.add(
                f"the code names {by_code.state.name} but the name names {by_name.state.name}",
                line=line,
                field=code_field,
                value=code,
            )
            return None
        return ResolvedState(by_code.state.alpha3)
    if by_name is not None and by_name.state is not None:
        return ResolvedState(by_name.state.alpha3)
    for found in (by_name, by_code):
        if found is not None and found.kind in (NameKind.TERRITORY, NameKind.NON_STATE):
            return ResolvedState(None, f"{found.label} is not a state ({found.reason}); row skipped")
    errors.add("not a state rightstrack knows", line=line, field=name_field, value=name or code)
    return None


def check_after_adoption(
    errors: ErrorList, line: int, field: str, when: PartialDate, instrument: Instrument
) -> bool:
    if when.surely_before(instrument.adopted):
        errors.add(
            f"date before {instrument.code} was adopted ({instrument.adopted})",
            line=line,
            field=field,
            value=when.iso,
        )
        return False
    return True


def read_csv_table(path: Path, required: Sequence[str], errors: ErrorList, what: str) -> csv.DictReader[str]:
    """A CSV reader over the decoded file with lower-cased column names; refuses missing columns."""
    text, _encoding = decode_text(path.read_bytes(), str(path))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in required if c not in header]
    if missing:
        errors.add(f"missing column(s) {', '.join(missing)}", line=1, value=",".join(header))
        errors.raise_if_any(what)
    reader.fieldnames = header
    return reader
