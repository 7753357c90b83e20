"""Slow: the real taggers on the real UPR Info exports, read through the importer and the store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rightstrack.classify import service
from rightstrack.classify.corpus import import_uprinfo_folder, read_corpus
from rightstrack.model.reference import ACTION_FAMILY, ISSUE_FAMILY
from rightstrack.store.database import Database
from rightstrack.store.tagging import decide, human_decisions

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
FOLDER = SHARED_DATA / "upr-info"


def _need_data() -> None:
    if not FOLDER.is_dir():
        pytest.skip(f"real data folder {FOLDER} is not present (it sits beside the project in CI)")


def _database(tmp_path: Path, files: tuple[str, ...]) -> Iterator[Database]:
    _need_data()
    db = Database(f"sqlite:///{tmp_path / 'real.db'}")
    db.init()
    import_uprinfo_folder(db, FOLDER, files)
    yield db
    db.close()


@pytest.fixture
def everything(tmp_path: Path) -> Iterator[Database]:
    yield from _database(tmp_path, ("1-5.csv", "6-9.csv", "10-13.csv", "14-17.csv"))


@pytest.fixture
def first_sessions(tmp_path: Path) -> Iterator[Database]:
    yield from _database(tmp_path, ("1-5.csv",))


@pytest.mark.slow
def test_temporal_split_figures_stay_above_floor(everything: Database) -> None:
    report = service.evaluate(everything, test_from=15)
    assert report["split"]["train"] > 25_000 and report["split"]["test"] > 7_000
    issues, action = report["issues"], report["action"]
    # Measured 2026-11: see benchmarks/results/classify.json; floors leave about 2 points of slack.
    assert issues["micro_f1"] >= 0.88, issues["micro_f1"]
    assert issues["macro_f1"] >= 0.82, issues["macro_f1"]
    assert action["accuracy"] >= 0.88, action["accuracy"]
    assert 0.0 < report["overlap"]["exact_share"] < 0.2


@pytest.mark.slow
def test_real_models_keep_people_decisions_through_retraining(
    first_sessions: Database, tmp_path: Path
) -> None:
    db, folder = first_sessions, tmp_path / "models"
    service.train(db, folder)
    service.predict(db, folder, everything=True)
    suggested = [
        (item.id, tag.label)
        for item in read_corpus(db, (ISSUE_FAMILY,))
        for tag in item.tags
        if tag.provenance.value == "predicted"
    ]
    assert len(suggested) > 50  # extra issues the model proposes beside the imported ones
    (confirm_id, confirm_label), (reject_id, reject_label) = suggested[0], suggested[1]
    decide(db, confirm_id, ISSUE_FAMILY, confirm_label, user="ana", accept=True)
    decide(db, reject_id, ISSUE_FAMILY, reject_label, user="ana", accept=False)
    imported_action = next(item for item in read_corpus(db, (ACTION_FAMILY,)) if item.tags)
    decide(db, imported_action.id, ACTION_FAMILY, imported_action.tags[0].label, user="ana", accept=False)

    retrained = service.train(db, folder)
    assert retrained.saved[ISSUE_FAMILY].path.exists()
    service.predict(db, folder, everything=True)
    decisions = human_decisions(db, ISSUE_FAMILY)
    assert decisions[(confirm_id, confirm_label)] == "confirmed"
    assert decisions[(reject_id, reject_label)] == "rejected"
    assert (
        human_decisions(db, ACTION_FAMILY)[(imported_action.id, imported_action.tags[0].label)] == "rejected"
    )
    # with its only action label rejected, the text now gets a suggestion, never the rejected label
    after = next(item for item in read_corpus(db, (ACTION_FAMILY,), ids=[imported_action.id]))
    assert [t.label for t in after.tags if t.provenance.value == "predicted"] != [
        imported_action.tags[0].label
    ]
