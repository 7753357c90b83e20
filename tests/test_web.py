"""The first web page and the JSON search API, through FastAPI's in-process client."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rightstrack.importing import import_file
from rightstrack.store.database import Database
from rightstrack.web.app import create_app


@pytest.fixture
def client(db: Database, sample_csv: Path) -> TestClient:
    import_file(db, sample_csv, "upr-info")
    return TestClient(create_app(db))


def test_api_search_with_facets(client: TestClient) -> None:
    response = client.get(
        "/api/v1/search",
        params=[("q", "convention"), ("state", "USA"), ("state", "BRA"), ("response", "noted")],
    )
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 2
    assert {f["value"] for f in body["facets"]["state"]} == {"USA", "BRA"}


def test_api_record_and_errors(client: TestClient) -> None:
    first = client.get("/api/v1/search", params={"sort": "id"}).json()["results"][0]
    record = client.get(f"/api/v1/recommendations/{first['id']}")
    assert record.status_code == 200 and record.json()["text"] == first["text"]
    missing = client.get("/api/v1/recommendations/999999")
    assert missing.status_code == 404
    assert missing.json() == {
        "ok": False,
        "status": 404,
        "error": "not_found",
        "message": "no recommendation with id 999999",
        "problems": [],
    }
    bad = client.get("/api/v1/search", params={"colour": "red"})
    assert bad.status_code == 400 and bad.json()["error"] == "invalid_input"
    too_big = client.get("/api/v1/search", params={"page_size": "100000"})
    assert too_big.status_code == 400


def test_search_page_links_are_shareable(client: TestClient) -> None:
    page = client.get("/", params={"q": "death"})
    assert page.status_code == 200
    assert "Abolish the death penalty." in page.text
    assert "state=USA" in page.text  # facet link keeps the query and adds the filter
    detail = client.get("/recommendations/1")
    assert detail.status_code == 200 and "Sources" in detail.text
    assert client.get("/recommendations/424242").status_code == 404


def test_catalog_endpoints(client: TestClient) -> None:
    states = client.get("/api/v1/states").json()
    assert len(states) == 195
    usa = client.get("/api/v1/states/usa").json()
    assert usa["name"] == "United States of America" and usa["recommendations"] == 3
    assert client.get("/api/v1/states/XXX").status_code == 404
    reviews = client.get("/api/v1/reviews", params={"state": "USA"}).json()
    assert [(r["session"], r["recommendations"], r["supported"]) for r in reviews] == [(9, 3, 1)]
    documents = client.get("/api/v1/documents").json()
    assert [(d["filename"], d["recommendations"]) for d in documents] == [("sample.csv", 9)]
    issues = {
        t["name"]: t["recommendations"]
        for t in client.get("/api/v1/tags", params={"family": "upr_issue"}).json()
    }
    assert issues["Women's rights"] == 2
    assert client.get("/api/v1/stats").json()["recommendations"] == 9
    assert {f["code"] for f in client.get("/api/v1/tag-families").json()} >= {"upr_issue", "upr_action"}


def test_export_any_search(client: TestClient) -> None:
    response = client.get("/api/v1/export.csv", params={"state": "USA", "response": "noted"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.text.count("\n") == 3
    as_json = client.get("/api/v1/export.json", params={"q": "death"}).json()
    assert [r["state_under_review"] for r in as_json] == ["USA"]
    xlsx = client.get("/api/v1/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get("/api/v1/export.pdf").json()["error"] == "invalid_input"


def test_one_error_shape_for_framework_errors(client: TestClient) -> None:
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    invalid = client.get("/api/v1/recommendations/not-a-number")
    assert invalid.status_code == 400
    body = invalid.json()
    assert body["error"] == "invalid_input" and body["problems"][0]["field"] == "path.record_id"
    assert client.get("/openapi.json").json()["paths"]["/api/v1/search"]


def test_the_threads_setting_bounds_the_request_thread_pool(db: Database) -> None:
    from rightstrack.settings import load_settings

    def tokens(client: TestClient) -> float:
        import anyio.to_thread

        assert client.portal is not None
        limiter = anyio.to_thread.current_default_thread_limiter
        return float(client.portal.call(lambda: limiter().total_tokens))

    with TestClient(create_app(db, load_settings({}, environ={}))) as client:
        assert tokens(client) == 6
    with TestClient(create_app(db, load_settings({"threads": "3"}, environ={}))) as client:
        assert tokens(client) == 3
        assert client.get("/api/v1/search").status_code == 200
