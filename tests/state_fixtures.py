"""A small engagement record written as code, for the state pages (in-process and in the browser):
ICCPR status from a year-only table and from an OHCHR sheet with full dates, one reservation, and
one withdrawal event, beside the sample recommendations."""

from __future__ import annotations

from pathlib import Path

from rightstrack.engagement import events
from rightstrack.engagement.dates import PartialDate
from rightstrack.engagement.treaty_model import FactKind, TreatyBatch, TreatyFact
from rightstrack.engagement.treaty_store import import_treaty_file, write_treaty_batch
from rightstrack.store.database import Database
from tests.engagement.conftest import ICCPR_OHCHR, ICCPR_ROWS, hr_csv, ohchr_batch, ohchr_sheet

RESERVATION = "The United States reserves the right to impose capital punishment (article 6)."
WITHDRAWAL = {"target": "HRC", "citation": "US Mission statement, 19 June 2018", "description": "Left"}


def load_engagement(db: Database, folder: Path) -> None:
    import_treaty_file(db, hr_csv(folder / "hr_status_iccpr.csv", ICCPR_ROWS))
    write_treaty_batch(db, ohchr_batch(ohchr_sheet(ICCPR_OHCHR)))
    write_treaty_batch(
        db,
        TreatyBatch(
            path="reservations-iccpr.txt",
            sha256="e" * 64,
            importer="fixture",
            title="ICCPR reservations",
            as_of=PartialDate("2025"),
            facts=[TreatyFact("USA", "ICCPR", FactKind.RESERVATION, "line 1", value=RESERVATION)],
            rows_read=1,
            instruments=("ICCPR",),
        ),
    )
    events.add_event(db, "USA", "withdrawal", "2018-06-19", **WITHDRAWAL)
