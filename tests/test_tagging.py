"""Confirm / reject / predict: people's decisions survive every model run and every import."""

from __future__ import annotations

from pathlib import Path

import pytest

from rightstrack.errors import InvalidInput, NotFound
from rightstrack.importing import import_file
from rightstrack.store.database import Database
from rightstrack.store.records import fetch_record
from rightstrack.store.search import SearchRequest, search
from rightstrack.store.tagging import Prediction, decide, human_decisions, store_predictions, training_labels


@pytest.fixture
def loaded(db: Database, sample_csv: Path) -> Database:
    import_file(db, sample_csv, "upr-info")
    return db


def _tags(db: Database, rec: int, family: str) -> dict[str, str]:
    with db.read() as conn:
        return {t["name"]: t["provenance"] for t in fetch_record(conn, rec)["tags"].get(family, [])}


def test_predictions_never_overwrite_people(loaded: Database) -> None:
    store_predictions(
        loaded,
        "uhri_theme",
        [Prediction(1, "Torture", 0.9), Prediction(1, "Justice", 0.6), Prediction(2, "Death penalty", 0.4)],
        model="fake",
        version="1",
    )
    assert _tags(loaded, 1, "uhri_theme") == {"Torture": "predicted", "Justice": "predicted"}
    decide(loaded, 1, "uhri_theme", "Torture", user="ana", accept=True)
    decide(loaded, 1, "uhri_theme", "Justice", user="ana", accept=False)
    # a retrained model says the opposite of both decisions and adds a new suggestion
    written = store_predictions(
        loaded,
        "uhri_theme",
        [Prediction(1, "Torture", 0.1), Prediction(1, "Justice", 0.99), Prediction(1, "Detention", 0.7)],
        model="fake",
        version="2",
    )
    assert written == 1
    assert _tags(loaded, 1, "uhri_theme") == {
        "Torture": "confirmed",
        "Justice": "rejected",
        "Detention": "predicted",
    }
    assert _tags(loaded, 2, "uhri_theme") == {}  # version 1's prediction was replaced
    assert human_decisions(loaded, "uhri_theme") == {(1, "Torture"): "confirmed", (1, "Justice"): "rejected"}


def test_training_labels_use_imported_and_confirmed_minus_rejected(loaded: Database) -> None:
    decide(loaded, 1, "upr_issue", "Justice", user="ana", accept=False)
    decide(loaded, 1, "upr_issue", "Impunity", user="ana", accept=True)
    labels = training_labels(loaded, "upr_issue")
    assert labels[1] == {"Torture and other CID treatment", "Impunity"}
    assert labels[3] == {"Death penalty"}


def test_rejected_tags_leave_the_facets_and_reimport_keeps_decisions(
    loaded: Database, sample_csv: Path
) -> None:
    decide(loaded, 3, "upr_issue", "Death penalty", user="ana", accept=False)
    facet = search(loaded, SearchRequest(filters={"upr_issue": ["Death penalty"]}))
    assert facet["total"] == 0
    import_file(loaded, sample_csv, "upr-info")
    assert _tags(loaded, 3, "upr_issue") == {"Death penalty": "rejected"}


def test_bad_decisions(loaded: Database) -> None:
    with pytest.raises(NotFound, match="no recommendation"):
        decide(loaded, 999, "upr_issue", "Justice", user="ana", accept=True)
    with pytest.raises(NotFound, match="no tag family"):
        decide(loaded, 1, "colour", "red", user="ana", accept=True)
    with pytest.raises(NotFound, match="no tag"):
        decide(loaded, 1, "upr_issue", "Not a tag", user="ana", accept=False)
    with pytest.raises(InvalidInput):
        decide(loaded, 1, "upr_issue", "Justice", user=" ", accept=True)
