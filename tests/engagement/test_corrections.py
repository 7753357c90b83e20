"""Editors' corrections of treaty facts: the status table takes them, the imported facts stay as
they are beside them, a newer import does not erase them, and withdrawing one gives the import back."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from rightstrack.engagement import schema as es
from rightstrack.engagement.compare import state_treaties, status_matrix
from rightstrack.engagement.corrections import correct_fact, withdraw_correction
from rightstrack.engagement.dates import PartialDate
from rightstrack.engagement.treaty_model import FactKind, TreatyBatch, TreatyFact
from rightstrack.engagement.treaty_store import import_treaty_file, write_treaty_batch
from rightstrack.errors import InvalidInput
from rightstrack.store.database import Database
from tests.engagement.conftest import ICCPR_ROWS, hr_csv

SOURCE = "UN Treaty Collection, chapter IV.4"


def _iccpr(db: Database, state: str = "USA") -> dict[str, object]:
    with db.read() as conn:
        return status_matrix(conn, [state])[state]["ICCPR"]


def test_a_correction_wins_over_every_import_and_keeps_the_imported_fact(
    db: Database, tmp_path: Path
) -> None:
    import_treaty_file(db, hr_csv(tmp_path / "hr_status_iccpr.csv", ICCPR_ROWS))
    imported = _iccpr(db)
    assert imported["consent_date"] == "1992"
    correct_fact(db, "USA", "ICCPR", "consent", date="1992-06-08", citation=SOURCE, actor="editor")
    corrected = _iccpr(db)
    assert corrected["consent_date"] == "1992-06-08" and corrected["consent_precision"] == "day"
    assert corrected["consent_fact_id"] == imported["consent_fact_id"]  # still points at the import
    with db.read() as conn:
        assert conn.scalar(
            select(func.count()).select_from(es.treaty_facts).where(es.treaty_facts.c.date == "1992")
        )
        entry = next(i for i in state_treaties(conn, "USA")["instruments"] if i["instrument"] == "ICCPR")
    assert entry["corrections"]["consent"]["citation"] == SOURCE
    assert [s["date"] for s in entry["sources"] if s["fact"] == "consent"] == ["1992"]

    newer = TreatyBatch(
        path="newer.csv",
        sha256="a" * 64,
        importer="fixture",
        title="A newer table",
        as_of=PartialDate("2030"),
        facts=[
            TreatyFact("USA", "ICCPR", FactKind.STATUS, "line 2", value="party"),
            TreatyFact("USA", "ICCPR", FactKind.CONSENT, "line 2", date=PartialDate("1993")),
        ],
        rows_read=1,
        instruments=("ICCPR",),
    )
    write_treaty_batch(db, newer)
    assert _iccpr(db)["consent_date"] == "1992-06-08"  # an import refreshes the row, the correction stays

    second = correct_fact(db, "USA", "ICCPR", "consent", date="1992-06-09", citation=SOURCE, actor="editor")
    assert _iccpr(db)["consent_date"] == "1992-06-09"  # the newer correction replaces the older one
    withdraw_correction(db, "USA", second, actor="editor")
    assert _iccpr(db)["consent_date"] == "1993"  # the newest import again


@pytest.mark.parametrize(
    ("kind", "value", "date", "citation", "field"),
    [
        ("reservation", "", "2020", SOURCE, "kind"),
        ("consent", "", "sometime", SOURCE, "date"),
        ("status", "ratified", "", SOURCE, "value"),
        ("consent", "", "1992", "", "citation"),
    ],
)
def test_a_bad_correction_names_its_field(
    db: Database, tmp_path: Path, kind: str, value: str, date: str, citation: str, field: str
) -> None:
    import_treaty_file(db, hr_csv(tmp_path / "hr_status_iccpr.csv", ICCPR_ROWS))
    with pytest.raises(InvalidInput) as refused:
        correct_fact(db, "USA", "ICCPR", kind, value=value, date=date, citation=citation, actor="editor")
    assert [p.field for p in refused.value.problems] == [field]
    with db.read() as conn:
        assert conn.scalar(select(func.count()).select_from(es.treaty_corrections)) == 0
