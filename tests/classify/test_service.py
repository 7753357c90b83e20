"""Train / predict / confirm / reject / retrain against the store, with the keyword fake model.

The fake learns every label it sees in its training labels (each label's keyword is its own name
unless given), so whether a confirmed tag reached the next training run is visible in what the
retrained model predicts.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from rightstrack.classify import service
from rightstrack.classify.base import Classifier
from rightstrack.classify.corpus import read_corpus, training_rows, uprinfo_recommendations
from rightstrack.classify.fake import FakeClassifier
from rightstrack.classify.training import merge_labels
from rightstrack.errors import InvalidInput, NotFound
from rightstrack.importing import import_file
from rightstrack.model.reference import ACTION_FAMILY, ISSUE_FAMILY
from rightstrack.store import schema
from rightstrack.store.database import Database
from rightstrack.store.tagging import decide, human_decisions
from tests.conftest import csv_bytes

ISSUE_KEYWORDS = {
    "Torture and other CID treatment": ["torture"],
    "Death penalty": ["death penalty"],
    "Women's rights": ["women"],
    "Human rights violations by state agents": ["police"],
}
ACTION_KEYWORDS = {"5 - Specific action": ["ratify", "abolish"], "2 - Continuing action": ["continue"]}
# Recommendations nobody has tagged yet: what the taggers are for.
UNTAGGED = (
    ("Chile", "Peru", "Prevent torture in prisons and ratify the Optional Protocol.", "", "", "", 10),
    ("Chile", "Spain", "Continue to protect women journalists from harassment.", "", "", "", 10),
    ("Chile", "Japan", "Guarantee freedom of the press for all journalists.", "", "", "", 10),
)


def _issues() -> Classifier:
    return FakeClassifier(ISSUE_KEYWORDS, name="fake-issues")


def _action() -> Classifier:
    return FakeClassifier(ACTION_KEYWORDS, multilabel=False, name="fake-action")


@pytest.fixture
def store(db: Database, sample_csv: Path, tmp_path: Path) -> Database:
    import_file(db, sample_csv, "upr-info")
    untagged = tmp_path / "untagged.csv"
    untagged.write_bytes(csv_bytes(UNTAGGED))
    import_file(db, untagged, "upr-info")
    return db


def _ids(db: Database) -> dict[str, int]:
    return {item.text.split()[0] + " " + item.text.split()[1]: item.id for item in read_corpus(db)}


def _tags(db: Database, rec: int, family: str) -> dict[str, dict[str, object]]:
    """The tags of one text with their full provenance (the public record shape omits the model)."""
    rt, t = schema.recommendation_tags, schema.tags
    columns = (rt.c.provenance, rt.c.model, rt.c.model_version, rt.c.confidence)
    with db.read() as conn:
        rows = conn.execute(
            select(t.c.name, *columns)
            .select_from(rt.join(t, t.c.id == rt.c.tag_id))
            .where(rt.c.recommendation_id == rec, t.c.family == family)
        )
        return {
            name: dict(zip(("provenance", "model", "model_version", "confidence"), rest, strict=True))
            for name, *rest in rows
        }


def _train(db: Database, folder: Path) -> service.TrainResult:
    return service.train(db, folder, issues_factory=_issues, action_factory=_action, min_rows=1)


def test_predictions_are_tags_with_provenance_on_untagged_texts(store: Database, tmp_path: Path) -> None:
    folder = tmp_path / "models"
    trained = _train(store, folder)
    assert set(trained.saved) == {ISSUE_FAMILY, ACTION_FAMILY}
    assert trained.rows == {ISSUE_FAMILY: 9, ACTION_FAMILY: 9}
    result = service.predict(store, folder)
    assert result.predicted == {ISSUE_FAMILY: 3, ACTION_FAMILY: 3}
    ids = _ids(store)
    prevent = _tags(store, ids["Prevent torture"], ISSUE_FAMILY)
    assert set(prevent) == {"Torture and other CID treatment"}
    tag = prevent["Torture and other CID treatment"]
    assert tag["provenance"] == "predicted" and tag["model"] == "fake-issues" and tag["confidence"] == 0.9
    assert str(tag["model_version"]).startswith("v1-")  # the saved file's version and time stamp
    assert set(_tags(store, ids["Continue to"], ACTION_FAMILY)) == {"2 - Continuing action"}
    # already tagged texts keep exactly their imported tags
    assert {t["provenance"] for t in _tags(store, ids["Abolish the"], ISSUE_FAMILY).values()} == {"imported"}


def test_all_suggests_extra_labels_but_never_a_second_action(store: Database, tmp_path: Path) -> None:
    folder = tmp_path / "models"
    _train(store, folder)
    investigate = _ids(store)["Investigate all"]
    service.predict(store, folder)
    assert "Human rights violations by state agents" not in _tags(store, investigate, ISSUE_FAMILY)
    service.predict(store, folder, everything=True)
    tags = _tags(store, investigate, ISSUE_FAMILY)
    assert tags["Human rights violations by state agents"]["provenance"] == "predicted"  # "police"
    assert tags["Torture and other CID treatment"]["provenance"] == "imported"  # not duplicated
    assert tags["Justice"]["provenance"] == "imported"
    # the action category of an imported text is never joined by a predicted one
    assert [t["provenance"] for t in _tags(store, investigate, ACTION_FAMILY).values()] == ["imported"]


def test_confirm_reject_retrain_keeps_people_decisions(store: Database, tmp_path: Path) -> None:
    folder = tmp_path / "models"
    _train(store, folder)
    service.predict(store, folder)
    ids = _ids(store)
    prevent, cont, press = ids["Prevent torture"], ids["Continue to"], ids["Guarantee freedom"]
    assert set(_tags(store, cont, ISSUE_FAMILY)) == {"Women's rights"}
    decide(store, prevent, ISSUE_FAMILY, "Torture and other CID treatment", user="ana", accept=True)
    decide(store, cont, ISSUE_FAMILY, "Women's rights", user="ana", accept=False)
    decide(store, cont, ISSUE_FAMILY, "Freedom of the press", user="ana", accept=True)

    # retraining learns from the confirmed tags (and not from the rejected one) ...
    rows = {row.text: merge_labels(row.tags, ISSUE_FAMILY) for row in training_rows(read_corpus(store))}
    assert rows[UNTAGGED[1][2]] == {"Freedom of the press"}
    assert rows[UNTAGGED[0][2]] == {"Torture and other CID treatment"}
    assert "Freedom of the press" not in _tags(store, press, ISSUE_FAMILY)
    retrained = _train(store, folder)
    assert retrained.rows[ISSUE_FAMILY] == 11
    service.predict(store, folder, everything=True)

    # ... people's decisions survive it, and the new label reaches the untouched text
    decisions = human_decisions(store, ISSUE_FAMILY)
    assert decisions[(prevent, "Torture and other CID treatment")] == "confirmed"
    assert decisions[(cont, "Women's rights")] == "rejected"
    assert decisions[(cont, "Freedom of the press")] == "confirmed"
    assert _tags(store, cont, ISSUE_FAMILY)["Women's rights"]["confidence"] == 0.9  # what was suggested
    assert _tags(store, press, ISSUE_FAMILY)["Freedom of the press"]["provenance"] == "predicted"


def test_model_files_are_versioned_and_the_newest_wins(store: Database, tmp_path: Path) -> None:
    folder = tmp_path / "models"
    first = _train(store, folder)
    second = _train(store, folder)
    assert first.saved[ISSUE_FAMILY].path != second.saved[ISSUE_FAMILY].path
    assert len(list(folder.glob("fake-issues-*.joblib"))) == 2
    newest = service.latest_models(folder)
    assert newest[ISSUE_FAMILY][1].path == second.saved[ISSUE_FAMILY].path
    service.predict(store, folder)
    version = _tags(store, _ids(store)["Prevent torture"], ISSUE_FAMILY)["Torture and other CID treatment"]
    assert version["model_version"] == second.saved[ISSUE_FAMILY].path.stem.removeprefix("fake-issues-")


def test_predict_without_a_model_and_train_without_labels_say_why(db: Database, tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="classify train"):
        service.predict(db, tmp_path / "models")
    with pytest.raises(InvalidInput, match="nothing to learn"):
        service.train(db, tmp_path / "models", issues_factory=_issues, action_factory=_action)


def test_a_rejected_action_category_gives_way_to_the_next_best(store: Database, tmp_path: Path) -> None:
    folder = tmp_path / "models"
    _train(store, folder)
    abolish = _ids(store)["Abolish the"]
    decide(store, abolish, ACTION_FAMILY, "5 - Specific action", user="ana", accept=False)
    service.predict(store, folder)
    tags = _tags(store, abolish, ACTION_FAMILY)
    assert tags["5 - Specific action"]["provenance"] == "rejected"  # the fake's favourite stays rejected
    predicted = [name for name, t in tags.items() if t["provenance"] == "predicted"]
    assert len(predicted) == 1 and predicted[0] != "5 - Specific action"
    assert tags[predicted[0]]["confidence"] == 0.1


def test_uprinfo_exports_read_through_the_importer(sample_csv: Path, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "1-5.csv").write_bytes(sample_csv.read_bytes())
    rows = uprinfo_recommendations(folder)
    assert len(rows) == 9
    abolish = next(r for r in rows if r.text == "Abolish the death penalty.")
    assert abolish.issues == ("Death penalty",) and abolish.action == "5 - Specific action"
    assert (abolish.session, abolish.cycle, abolish.state_under_review) == (9, 1, "USA")
    assert abolish.record_id is not None
