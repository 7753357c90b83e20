"""What a treaty-status importer hands to the store: typed facts, each with the line it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from rightstrack.engagement.dates import PartialDate
from rightstrack.errors import Problem


class TreatyStatus(StrEnum):
    PARTY = "party"
    SIGNATORY = "signatory"
    NO_ACTION = "no_action"
    DENOUNCED = "denounced"
    UNKNOWN = "unknown"
    """No source says anything about this state and instrument."""


class FactKind(StrEnum):
    STATUS = "status"
    SIGNATURE = "signature"
    CONSENT = "consent"
    """Ratification, accession or succession; ``value`` says which when the source does."""
    DENUNCIATION = "denunciation"
    COMPLAINTS = "complaints"
    """Acceptance of the individual communications (complaints) procedure."""
    INQUIRY = "inquiry"
    """Acceptance of the inquiry procedure."""
    RESERVATION = "reservation"
    DECLARATION = "declaration"


class ConsentKind(StrEnum):
    RATIFICATION = "ratification"
    ACCESSION = "accession"
    SUCCESSION = "succession"
    UNSPECIFIED = "ratification or accession"


@dataclass(frozen=True)
class TreatyFact:
    state: str
    instrument: str
    kind: FactKind
    locator: str
    value: str | None = None
    date: PartialDate | None = None
    note: str | None = None


@dataclass
class TreatyBatch:
    """One file as an importer read it; the store writes it whole or not at all."""

    path: str
    sha256: str
    importer: str
    title: str
    as_of: PartialDate
    facts: list[TreatyFact]
    notes: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    instruments: tuple[str, ...] = ()
