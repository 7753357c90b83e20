"""Reservations and declarations: imported from a CSV with citations, shown beside each instrument."""

from __future__ import annotations

from pathlib import Path

import pytest

from rightstrack.engagement import compare
from rightstrack.engagement.reservations import reservations_template
from rightstrack.engagement.treaty_store import import_treaty_file
from rightstrack.errors import ImportFailed
from rightstrack.store.database import Database

UNTC = "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=IV-4"


def _table(path: Path, *rows: str) -> Path:
    path.write_text(reservations_template() + "".join(f"{r}\n" for r in rows), encoding="utf-8")
    return path


def _reservations(db: Database, state: str, instrument: str) -> list[dict[str, object]]:
    with db.read() as conn:
        info = compare.state_treaties(conn, state)
    return list(next(i for i in info["instruments"] if i["instrument"] == instrument)["reservations"])


def test_reservations_import_with_citations_and_stay_idempotent(db: Database, tmp_path: Path) -> None:
    path = _table(
        tmp_path / "reservations.csv",
        f'United States of America,ICCPR,reservation,1992-06-08,"Article 20 does not authorize legislation '
        f'restricting free speech.",{UNTC}',
        f'United States of America,ICCPR,reservation,1992-06-08,"The death penalty: article 6.",{UNTC}',
        f"United States of America,ICCPR,declaration,1992,Articles 1 to 27 are not self-executing.,{UNTC}",
    )
    summary = import_treaty_file(db, path)
    assert summary.created == 3
    found = _reservations(db, "USA", "ICCPR")
    assert [r["kind"] for r in found] == ["declaration", "reservation", "reservation"]
    assert all(r["citation"] == UNTC for r in found)
    assert any("free speech" in str(r["text"]) for r in found)
    assert _reservations(db, "USA", "CAT") == []
    again = import_treaty_file(db, path)
    assert (again.created, again.updated) == (0, 0)


@pytest.mark.parametrize(
    ("row", "field"),
    [
        (f"Atlantis,ICCPR,reservation,1992,Text.,{UNTC}", "state"),
        (f"France,ICCPX,reservation,1992,Text.,{UNTC}", "instrument"),
        (f"France,ICCPR,objection,1992,Text.,{UNTC}", "kind"),
        (f"France,ICCPR,reservation,1950,Text.,{UNTC}", "date"),
        ("France,ICCPR,reservation,1992,Text.,", "citation"),
    ],
)
def test_bad_rows_name_line_and_field_and_store_nothing(
    db: Database, tmp_path: Path, row: str, field: str
) -> None:
    good = f"France,ICCPR,declaration,1980,Article 27.,{UNTC}"
    with pytest.raises(ImportFailed) as failed:
        import_treaty_file(db, _table(tmp_path / "reservations.csv", good, row))
    assert any(p.line == 3 and p.field == field for p in failed.value.problems), failed.value.problems
    assert _reservations(db, "FRA", "ICCPR") == []


def test_status_export_has_every_state_and_instrument(db: Database, tmp_path: Path) -> None:
    import csv
    import io

    from fastapi.testclient import TestClient

    from rightstrack.engagement.instruments import INSTRUMENTS
    from rightstrack.model.states import all_states
    from rightstrack.settings import load_settings
    from rightstrack.web.app import create_app

    import_treaty_file(
        db, _table(tmp_path / "r.csv", f"United States of America,ICCPR,reservation,1992,Art. 20.,{UNTC}")
    )
    client = TestClient(create_app(db, load_settings({"public_read": "true"}, environ={})))
    answer = client.get("/api/v1/treaties/status.csv")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert len(rows) == len(all_states()) * len(INSTRUMENTS)
    usa = next(r for r in rows if r["alpha3"] == "USA" and r["instrument"] == "ICCPR")
    assert usa["reservations"] == "1" and usa["status"] == "unknown"
    assert client.get("/api/v1/treaties/status.json").json()[0]["alpha3"]
    assert client.get("/api/v1/treaties/status.xml").status_code == 400
