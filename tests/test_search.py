"""Search: full text, phrases, prefixes, facets with counts, sorting and pagination, on both engines."""

from __future__ import annotations

from pathlib import Path

import pytest

from rightstrack.errors import InvalidInput
from rightstrack.importing import import_file
from rightstrack.store.database import Database
from rightstrack.store.fulltext import parse_query, to_fts5, to_tsquery
from rightstrack.store.search import SearchRequest, matching_ids, search


@pytest.fixture
def loaded(db: Database, sample_csv: Path) -> Database:
    import_file(db, sample_csv, "upr-info")
    return db


def _texts(db: Database, **kwargs: object) -> set[str]:
    result = search(db, SearchRequest(page_size=100, **kwargs))  # type: ignore[arg-type]
    return {r["text"] for r in result["results"]}


def test_words_must_all_match(loaded: Database) -> None:
    assert _texts(loaded, q="ratify convention child") == {
        "Ratify the Convention on the Rights of the Child."
    }


def test_stemming_phrase_prefix_or_and_exclusion(loaded: Database) -> None:
    assert _texts(loaded, q="defenders") == {"Protect women human rights defenders from arbitrary detention."}
    assert _texts(loaded, q='"death penalty"') == {"Abolish the death penalty."}
    assert _texts(loaded, q='"penalty death"') == set()
    assert len(_texts(loaded, q="traffic*")) == 1
    assert len(_texts(loaded, q="torture OR trafficking")) == 2
    assert _texts(loaded, q="convention -child") == {
        "Consider ratifying the Convention on enforced disappearances."
    }


def test_facets_filter_and_count(loaded: Database) -> None:
    result = search(loaded, SearchRequest(filters={"state": ["USA"]}))
    assert result["total"] == 3
    responses = {f["value"]: f["count"] for f in result["facets"]["response"]}
    assert responses == {"noted": 2, "supported": 1}
    recommending = {f["value"]: f["count"] for f in result["facets"]["recommending_state"]}
    assert recommending == {"IRN": 1, "RUS": 1, "CIV": 1}
    assert {f["label"] for f in result["facets"]["recommending_state"]} >= {"Russian Federation"}


def test_values_of_one_facet_are_alternatives_and_facets_combine(loaded: Database) -> None:
    both = search(loaded, SearchRequest(filters={"state": ["USA", "BRA"]}))
    assert both["total"] == 5
    noted = search(loaded, SearchRequest(filters={"state": ["USA", "BRA"], "response": ["noted"]}))
    assert noted["total"] == 3
    issue = search(
        loaded,
        SearchRequest(
            q="ratify*", filters={"upr_issue": ["International instruments"], "state_group": ["WEOG"]}
        ),
    )
    assert [r["text"] for r in issue["results"]] == ["Ratify the Convention on the Rights of the Child."]


def test_group_session_cycle_year_and_tag_facets(loaded: Database) -> None:
    assert search(loaded, SearchRequest(filters={"recommending_group": ["WEOG"]}))["total"] == 3
    assert search(loaded, SearchRequest(filters={"session": ["7"]}))["total"] == 2
    assert search(loaded, SearchRequest(filters={"year": ["2010"]}))["total"] == 5
    assert search(loaded, SearchRequest(filters={"cycle": ["1"]}))["total"] == 9
    action = search(loaded, SearchRequest(filters={"upr_action": ["5 - Specific action"]}))
    assert action["total"] == 4
    issues = {f["value"]: f["count"] for f in action["facets"]["upr_issue"]}
    assert issues["International instruments"] == 1


def test_sorting_and_pagination(loaded: Database) -> None:
    newest = search(loaded, SearchRequest(sort="newest", page_size=4))
    assert newest["pages"] == 3 and len(newest["results"]) == 4
    assert [r["year"] for r in newest["results"]][:3] == [2010, 2010, 2010]
    last = search(loaded, SearchRequest(sort="newest", page_size=4, page=3))
    assert [r["year"] for r in last["results"]] == [2008]
    oldest = search(loaded, SearchRequest(sort="oldest", page_size=9))
    years = [r["year"] for r in oldest["results"]]
    assert years == sorted(years)
    by_state = [
        r["state_under_review_name"]
        for r in search(loaded, SearchRequest(sort="state", page_size=9))["results"]
    ]
    assert by_state == sorted(by_state)
    ids = matching_ids(loaded, SearchRequest(sort="id"))
    assert ids == sorted(ids) and len(ids) == 9
    beyond = search(loaded, SearchRequest(page=5, page_size=4))
    assert beyond["results"] == [] and beyond["total"] == 9


def test_relevance_puts_better_matches_first(loaded: Database) -> None:
    result = search(loaded, SearchRequest(q="women OR rights"))
    assert result["sort"] == "relevance"
    assert result["total"] == 4
    assert result["results"][0]["text"] == "Protect women human rights defenders from arbitrary detention."


def test_the_index_follows_new_writes(loaded: Database, tmp_path: Path) -> None:
    assert search(loaded, SearchRequest(q="habitat"))["total"] == 0
    from tests.conftest import csv_bytes

    path = tmp_path / "more.csv"
    path.write_bytes(
        csv_bytes(
            [
                (
                    "Peru",
                    "Chile",
                    "Protect the habitat of indigenous peoples.",
                    "Accepted",
                    "4",
                    "Indigenous peoples",
                    2,
                )
            ]
        )
    )
    import_file(loaded, path, "upr-info")
    result = search(loaded, SearchRequest(q="habitat", filters={"state": ["PER"]}))
    assert result["total"] == 1
    assert result["facets"]["upr_issue"][0]["value"] == "Indigenous peoples"


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (SearchRequest(filters={"colour": ["red"]}), "unknown facet"),
        (SearchRequest(sort="random"), "unknown sort"),
        (SearchRequest(page=0), "at least 1"),
        (SearchRequest(q="-torture"), "cannot only exclude"),
    ],
)
def test_bad_requests_are_clear(loaded: Database, request_: SearchRequest, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        search(loaded, request_)


def test_engine_syntax_is_never_passed_through() -> None:
    parsed = parse_query('women* "death penalty" OR torture -child NEAR( ) AND :x')
    assert (
        to_fts5(parsed)
        == '("women"* AND ("death penalty" OR "torture") AND "near" AND "and" AND "x") NOT "child"'
    )
    assert to_tsquery(parsed) == "(women:*) & ((death <-> penalty) | torture) & (near) & (and) & (x) & !child"
    assert parse_query('"" *').empty


def test_repeated_search_is_served_from_the_cache_until_a_write(loaded: Database, tmp_path: Path) -> None:
    from rightstrack.store.search import result_cache
    from rightstrack.store.tagging import decide
    from tests.conftest import csv_bytes

    request = SearchRequest(q="torture", facets=["upr_issue"])
    first = search(loaded, request)
    assert search(loaded, SearchRequest(q="torture", facets=["upr_issue"])) is first
    assert result_cache(loaded).hits == 1

    # A tag decision is a write: the facet counts it changes must show at once.
    record = first["results"][0]["id"]
    decide(loaded, record, "upr_issue", "Justice", user="tester", accept=True)
    after_decision = search(loaded, request)
    assert after_decision is not first
    counts = {v["value"]: v["count"] for v in after_decision["facets"]["upr_issue"]}
    assert counts.get("Justice", 0) >= 1

    more = tmp_path / "more.csv"
    more.write_bytes(
        csv_bytes([("France", "Chile", "End torture in prisons.", "Supported", "4", "Detention", 20)])
    )
    import_file(loaded, more, "upr-info")
    assert search(loaded, request)["total"] == first["total"] + 1


def test_cache_size_zero_turns_it_off(loaded: Database) -> None:
    from rightstrack.store.search import result_cache

    result_cache(loaded).size = 0
    assert search(loaded, SearchRequest(q="torture")) is not search(loaded, SearchRequest(q="torture"))
