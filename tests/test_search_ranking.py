"""What the fast paths of search rely on, pinned on both engines: relevance ties go to the lower id,
a page of a relevance search is the same slice of the whole ranked list whatever the filters, and
facet counts are the same whether counted over every row or over the selected rows alone."""

from __future__ import annotations

from pathlib import Path

import pytest

import rightstrack.store.search as search_module
from rightstrack.importing import import_file
from rightstrack.store.database import Database
from rightstrack.store.search import SearchRequest, matching_ids, result_cache, search
from tests.conftest import Row, csv_bytes

SAME = "Ratify the convention against torture."
STATES = ("France", "Germany", "Brazil", "Chile", "Peru", "Norway", "Kenya", "India")
ROWS: tuple[Row, ...] = (
    *((state, "Canada", SAME, "Accepted", "5", "Torture and other CID treatment", 3) for state in STATES),
    ("Kenya", "Chile", "End torture; investigate torture; punish torture.", "Noted", "4", "Justice", 9),
    ("India", "Peru", "Protect the rights of the child in detention.", "Accepted", "3", "Detention", 9),
    ("France", "Peru", "Protect women human rights defenders against torture.", "Noted", "4", "Women", 20),
)


@pytest.fixture
def ranked_db(db: Database, tmp_path: Path) -> Database:
    path = tmp_path / "ranking.csv"
    path.write_bytes(csv_bytes(list(ROWS)))
    import_file(db, path, "upr-info")
    result_cache(db).size = 0  # every search below is computed
    return db


def _paged_ids(db: Database, request: SearchRequest, size: int) -> list[int]:
    ids: list[int] = []
    page = 1
    while True:
        request.page, request.page_size = page, size
        found = [r["id"] for r in search(db, request)["results"]]
        if not found:
            return ids
        ids += found
        page += 1


def test_relevance_ties_go_to_the_lower_id(ranked_db: Database) -> None:
    ranked = matching_ids(ranked_db, SearchRequest(q="torture"))
    result = search(ranked_db, SearchRequest(q="torture", page_size=50))
    texts = {r["id"]: r["text"] for r in result["results"]}
    tied = [i for i in ranked if texts[i] == SAME]
    assert len(tied) == len(STATES) and tied == sorted(tied)
    assert texts[ranked[0]].startswith("End torture")  # three hits in a short text rank first


@pytest.mark.parametrize("ahead", [1, 100])
@pytest.mark.parametrize("size", [1, 2, 3, 7])
def test_every_page_is_a_slice_of_the_whole_ranked_list(
    ranked_db: Database, size: int, ahead: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ahead=1: every further page ranks again; 100: later pages come from the first page's ranking
    monkeypatch.setattr(search_module, "TOP_AHEAD", ahead)
    ranked = matching_ids(ranked_db, SearchRequest(q="torture"))
    assert _paged_ids(ranked_db, SearchRequest(q="torture"), size) == ranked


def test_a_write_reaches_the_kept_rankings(ranked_db: Database, tmp_path: Path) -> None:
    before = search(ranked_db, SearchRequest(q="torture", page_size=2))
    more = tmp_path / "more.csv"
    more.write_bytes(
        csv_bytes([("Chile", "Peru", "Torture, torture, torture, torture.", "Noted", "4", "Justice", 9)])
    )
    import_file(ranked_db, more, "upr-info")
    after = search(ranked_db, SearchRequest(q="torture", page_size=2))
    assert after["total"] == before["total"] + 1
    assert after["results"][0]["text"] == "Torture, torture, torture, torture."


def test_filters_keep_the_relative_order_of_relevance(ranked_db: Database) -> None:
    ranked = matching_ids(ranked_db, SearchRequest(q="torture"))
    for filters in ({"state": ["KEN", "BRA", "PER"]}, {"response": ["noted"]}, {"session": ["3"]}):
        wanted = set(matching_ids(ranked_db, SearchRequest(filters=filters)))
        expected = [i for i in ranked if i in wanted]
        request = SearchRequest(q="torture", filters=filters)
        assert matching_ids(ranked_db, request) == expected  # ranked from the kept match set
        ranked_db.cache.clear()  # and ranked afresh, as the first search of this text
        result_cache(ranked_db).size = 0
        assert _paged_ids(ranked_db, request, 2) == expected
        matching_ids(ranked_db, SearchRequest(q="torture"))
    beyond = search(ranked_db, SearchRequest(q="torture", filters={"state": ["KEN"]}, page=9))
    assert beyond["results"] == [] and beyond["total"] == 2


REQUESTS = (
    SearchRequest(),
    SearchRequest(q="torture"),
    SearchRequest(q="protect"),
    SearchRequest(q="torture", filters={"state": ["FRA", "KEN"]}),
    SearchRequest(filters={"upr_issue": ["Justice"]}),
    SearchRequest(q="nothingmatchesthis"),
)


@pytest.mark.parametrize("request_", REQUESTS)
def test_facet_counts_do_not_depend_on_how_they_are_counted(
    ranked_db: Database, request_: SearchRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_module, "SPARSE_SHARE", 10**9)  # always a pass over every row
    over_every_row = search(ranked_db, request_)["facets"]
    monkeypatch.setattr(search_module, "SPARSE_SHARE", 0)  # always the selected rows alone
    over_selected = search(ranked_db, request_)["facets"]
    assert over_selected == over_every_row


def test_facet_counts_are_the_records_own_values(
    ranked_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_module, "SPARSE_SHARE", 0)
    result = search(ranked_db, SearchRequest(q="protect", page_size=50))
    recommending = {f["value"]: f["count"] for f in result["facets"]["recommending_state"]}
    assert recommending == {"PER": 2}
    issues = {f["value"]: f["count"] for f in result["facets"]["upr_issue"]}
    expected: dict[str, int] = {}
    for record in result["results"]:
        for tag in record["tags"].get("upr_issue", []):
            expected[tag["name"]] = expected.get(tag["name"], 0) + 1
    assert issues == expected
