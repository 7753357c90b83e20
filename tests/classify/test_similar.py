"""Recommendations like this one, and the same ask in the same state's previous cycle."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rightstrack.classify.corpus import read_corpus
from rightstrack.classify.similar import (
    SimilarityIndex,
    previous_cycle_counterparts,
    similar_recommendations,
    similarity_index,
)
from rightstrack.errors import InvalidInput, NotFound
from rightstrack.importing import import_file
from rightstrack.settings import load_settings
from rightstrack.store import schema
from rightstrack.store.database import Database
from rightstrack.store.tagging import decide
from rightstrack.web.app import create_app
from tests.conftest import csv_bytes

OPCAT = "Ratify the Optional Protocol to the Convention against Torture"
# Sessions 1-12 are the first UPR cycle, 13 onwards the second.
ROWS = (
    ("Brazil", "Denmark", f"{OPCAT}.", "Accepted", "5", "Torture and other CID treatment", 1),
    ("Brazil", "Ghana", "Abolish child labour in agriculture.", "Accepted", "5", "Rights of the Child", 1),
    ("Brazil", "Peru", "Guarantee the right to housing in cities.", "Accepted", "4", "Right to housing", 1),
    ("Brazil", "Spain", f"{OPCAT} promptly.", "Accepted", "5", "Torture and other CID treatment", 13),
    ("Brazil", "Japan", "Build new schools for rural girls.", "Accepted", "4", "Right to education", 13),
    ("Chile", "Norway", f"{OPCAT}.", "Accepted", "5", "Torture and other CID treatment", 13),
)


@pytest.fixture
def store(db: Database, tmp_path: Path) -> Database:
    path = tmp_path / "cycles.csv"
    path.write_bytes(csv_bytes(ROWS))
    import_file(db, path, "upr-info")
    return db


def _id(db: Database, text: str, state: str) -> int:
    return next(item.id for item in read_corpus(db, ()) if item.text == text and item.state == state)


def test_similar_ranks_the_same_ask_first(store: Database) -> None:
    spain = _id(store, f"{OPCAT} promptly.", "BRA")
    found = similar_recommendations(store, spain, limit=3)
    assert {n.state_under_review for n in found[:2]} == {"BRA", "CHL"}
    assert all(n.text.startswith(OPCAT) for n in found[:2])
    assert spain not in [n.id for n in found]
    assert found[0].score >= found[1].score > 0.5
    same_state = similar_recommendations(store, spain, limit=5, same_state=True)
    assert {n.state_under_review for n in same_state} == {"BRA"}
    with pytest.raises(NotFound):
        similar_recommendations(store, 10_000)
    with pytest.raises(InvalidInput):
        similar_recommendations(store, spain, limit=0)


def test_previous_cycle_counterparts_link_only_the_repeated_ask(store: Database) -> None:
    spain = _id(store, f"{OPCAT} promptly.", "BRA")
    denmark = _id(store, f"{OPCAT}.", "BRA")
    links = previous_cycle_counterparts(store)
    assert set(links) == {spain}  # schools: nothing alike before; Chile: no earlier review
    assert links[spain].previous_id == denmark and links[spain].score > 0.8
    assert previous_cycle_counterparts(store, [denmark]) == {}  # cycle 1 has no previous cycle
    assert set(previous_cycle_counterparts(store, threshold=0.0)) == {
        spain,
        _id(store, "Build new schools for rural girls.", "BRA"),
    }


def test_the_index_is_rebuilt_for_new_texts_not_for_tag_decisions(store: Database, tmp_path: Path) -> None:
    first = similarity_index(store)
    decide(store, 1, "upr_issue", "Justice", user="ana", accept=True)
    assert similarity_index(store) is first
    more = tmp_path / "more.csv"
    more.write_bytes(csv_bytes([("Chile", "Peru", "Protect journalists.", "Accepted", "4", "", 13)]))
    import_file(store, more, "upr-info")
    assert similarity_index(store) is not first
    assert len(similarity_index(store).ids) == len(ROWS) + 1


def test_similar_endpoint(store: Database) -> None:
    client = TestClient(create_app(store, load_settings({"public_read": "true"}, environ={})))
    spain = _id(store, f"{OPCAT} promptly.", "BRA")
    answer = client.get(f"/api/v1/recommendations/{spain}/similar", params={"limit": 2})
    assert answer.status_code == 200
    body = answer.json()
    assert body["id"] == spain and len(body["similar"]) == 2
    assert body["previous_cycle"]["id"] == _id(store, f"{OPCAT}.", "BRA")
    assert body["previous_cycle"]["cycle"] == 1
    assert client.get("/api/v1/recommendations/9999/similar").status_code == 404
    assert client.get(f"/api/v1/recommendations/{spain}/similar?limit=0").status_code == 400


def test_an_import_extends_the_index_and_an_edit_rebuilds_it(store: Database, tmp_path: Path) -> None:
    first = similarity_index(store)
    more = tmp_path / "more.csv"
    more.write_bytes(csv_bytes([("Chile", "Peru", f"{OPCAT} without delay.", "Accepted", "5", "", 27)]))
    import_file(store, more, "upr-info", link_cycles=False)
    grown = similarity_index(store)
    assert grown.vectoriser is first.vectoriser  # extended with the fitted vocabulary, not refitted
    assert grown.matrix.shape == (len(ROWS) + 1, first.matrix.shape[1])
    later = _id(store, f"{OPCAT} without delay.", "CHL")
    chile = _id(store, f"{OPCAT}.", "CHL")
    assert previous_cycle_counterparts(store, [later])[later].previous_id == chile
    rebuilt = SimilarityIndex(read_corpus(store, ()))
    assert [n.id for n in rebuilt.similar(later, limit=2)] == [n.id for n in grown.similar(later, limit=2)]

    with store.transaction() as conn:  # an edited text: the fitted vocabulary may no longer fit
        conn.execute(
            schema.recommendations.update()
            .where(schema.recommendations.c.id == later)
            .values(text="Protect journalists.", updated_at=datetime.now(UTC))
        )
    assert similarity_index(store).vectoriser is not first.vectoriser
