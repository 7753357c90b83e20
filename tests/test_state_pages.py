"""The state, treaty, dashboard, review-queue and audit pages, through the in-process client."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rightstrack.auth.accounts import create_user
from rightstrack.auth.audit import recent
from rightstrack.importing import import_file
from rightstrack.report.overview import bars, dashboard, tile_map
from rightstrack.settings import load_settings
from rightstrack.store.database import Database
from rightstrack.store.tagging import Prediction, store_predictions
from rightstrack.web.app import create_app
from tests.state_fixtures import RESERVATION, load_engagement

PASSWORD = "a long enough password"


@pytest.fixture
def loaded(db: Database, sample_csv: Path, tmp_path: Path) -> Database:
    import_file(db, sample_csv, "upr-info")
    load_engagement(db, tmp_path)
    return db


def _client(db: Database, role: str | None = None) -> TestClient:
    client = TestClient(create_app(db, load_settings({"public_read": "true"}, environ={})))
    if role:
        create_user(db, role, PASSWORD, role)
        answer = client.post("/api/v1/login", json={"username": role, "password": PASSWORD})
        client.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
    return client


def _row(html: str, row_id: str) -> str:
    found = re.search(rf'<tr data-instrument="{row_id}">(.*?)</tr>', html, re.S)
    assert found, row_id
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip()


def test_state_profile_shows_recommendations_treaties_and_timeline(loaded: Database) -> None:
    page = _client(loaded).get("/states/usa")
    assert page.status_code == 200
    html = page.text
    assert "<h1>United States of America" in html
    # The OHCHR sheet's full dates win over the table's years; precision shown only when coarse.
    iccpr = _row(html, "ICCPR")
    assert "party" in iccpr and "1977-10-05" in iccpr and "1992-06-08" in iccpr and "year only" not in iccpr
    assert RESERVATION in iccpr and "ohchr-export-iccpr.xls" in iccpr
    assert "unknown" in _row(html, "CAT") and html.count("<tr data-instrument=") == 18
    assert "Party to 1 of 18 core instruments." in html
    # Charts: 3 recommendations, 2 noted, linked to the search filtered by the state.
    assert 'href="/?state=USA&amp;response=noted"' in html
    timeline = html[html.index('<ol class="timeline">') :]
    order = [timeline.index(s) for s in ("1977-10-05", "1992-06-08", "withdrawal: HRC")]
    assert order == sorted(order) and "US Mission statement" in timeline
    assert _client(loaded).get("/states/ATL").status_code == 404


def test_states_index_and_treaty_map(loaded: Database) -> None:
    client = _client(loaded)
    index = client.get("/states").text
    assert index.count('<a href="/states/') == 195 and 'href="/?state=USA">3</a>' in index
    counts = client.get("/treaties").text
    assert 'href="/treaties/ICCPR"' in counts and counts.count('href="/treaties/') == 18
    world = client.get("/treaties/iccpr")
    assert world.status_code == 200
    statuses = dict(re.findall(r'data-state="(\w+)" data-status="(\w+)"', world.text))
    assert len(statuses) == 195
    assert (statuses["USA"], statuses["CHN"], statuses["SAU"], statuses["FRA"]) == (
        "party",
        "signatory",
        "no_action",
        "unknown",
    )
    assert '<table class="data" id="map-table">' in world.text  # the text alternative
    assert client.get("/treaties/NOPE").status_code == 404


def test_compare_page_counts_and_lacks(loaded: Database) -> None:
    client = _client(loaded)
    page = client.get("/compare").text  # the USA, China, Russia, Saudi Arabia and Iran by default
    counts = dict(re.findall(r'<td class="num" data-state="(\w+)"><strong>(\d+)</strong>', page))
    assert counts == {"USA": "1", "CHN": "0", "RUS": "1", "SAU": "0", "IRN": "1"}
    assert "None of them is party to:" in page and "CAT" in page
    assert client.get("/compare", params={"states": "USA,Atlantis"}).status_code == 404
    assert client.get("/compare", params={"states": ","}).status_code == 400


def test_tile_map_places_every_state_once_without_overlap() -> None:
    layout = tile_map({"states": {"USA": "party"}, "consent_year": {"USA": "1992"}})
    tiles = [t for g in layout["groups"] for t in g["states"]]
    assert len(tiles) == 195 and len({(t["x"], t["y"]) for t in tiles}) == 195
    assert all(t["y"] + layout["tile"] <= layout["height"] and t["x"] < layout["width"] for t in tiles)
    assert next(t for t in tiles if t["alpha3"] == "USA")["year"] == "1992"


def test_bars_order_and_share() -> None:
    values = [
        {"value": "3", "label": "3", "count": 5, "selected": False},
        {"value": "1", "label": "1", "count": 10, "selected": False},
        {"value": "2", "label": "2", "count": 0, "selected": False},
    ]
    assert [b["value"] for b in bars(values)] == ["1", "3", "2"]
    by_value = bars(values, order="value")
    assert [(b["value"], b["share"]) for b in by_value] == [("1", 100.0), ("2", 0.0), ("3", 50.0)]


def test_dashboard_counts_match_the_store(loaded: Database) -> None:
    figures = dashboard(loaded)
    assert figures["total"] == 9
    assert {b["value"]: b["count"] for b in figures["charts"]["response"]} == {"supported": 5, "noted": 4}
    page = _client(loaded).get("/dashboard").text
    assert 'href="/?response=noted"' in page and "Women&#39;s rights" in page


def test_review_queue_orders_and_decides(loaded: Database) -> None:
    store_predictions(
        loaded,
        "uhri_theme",
        [Prediction(1, "Torture", 0.91), Prediction(2, "Enforced disappearance", 0.42)],
        model="fake",
        version="1",
    )
    client = _client(loaded, "contributor")
    highest = client.get("/review").text
    assert highest.index("Torture") < highest.index("Enforced disappearance")
    lowest = client.get("/review", params={"order": "lowest"}).text
    assert lowest.index("Enforced disappearance") < lowest.index("Torture")
    assert 'data-decide="/api/v1/recommendations/1/tags/uhri_theme/Torture/confirm"' in highest
    client.post("/api/v1/recommendations/1/tags/uhri_theme/Torture/confirm")
    after = client.get("/review").text
    assert "Torture" not in after and "1 in all" in after
    assert client.get("/review", params={"order": "sideways"}).status_code == 400
    assert _client(loaded, "viewer").get("/review").status_code == 403


def test_audit_page_shows_changes_to_admins(loaded: Database) -> None:
    editor = _client(loaded, "editor")
    editor.post("/api/v1/recommendations/1/tags/upr_issue/Justice/reject")
    page = _client(loaded, "admin").get("/audit", params={"entity": "recommendation"})
    assert page.status_code == 200
    row = re.sub(r"<[^>]+>", " ", page.text[page.text.index("<tbody>") :])
    assert "editor" in row and "reject tag" in row and "recommendation 1" in row and "rejected" in row
    assert editor.get("/audit").status_code == 403


def test_an_editor_records_an_event_from_the_state_page(loaded: Database) -> None:
    viewer = _client(loaded, "viewer")
    assert 'action="/states/USA/events"' not in viewer.get("/states/USA").text
    editor = _client(loaded, "editor")
    page = editor.get("/states/USA").text
    assert 'action="/states/USA/events"' in page
    token = editor.headers["X-CSRF-Token"]
    form = {
        "csrf_token": token,
        "kind": "withdrawal",
        "date": "2025-02",
        "target": "UNESCO",
        "citation": "Executive order of February 2025",
    }
    answer = editor.post("/states/usa/events", data=form, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/states/USA#timeline"
    timeline = editor.get("/states/USA").text.split('id="timeline"', 1)[1]
    assert "UNESCO" in timeline and "Executive order of February 2025" in timeline
    with loaded.read() as conn:
        logged = recent(conn, 5, entity="engagement_event")
    assert logged[0]["actor"] == "editor" and logged[0]["action"] == "add event"
    assert "UNESCO" in str(logged[0]["after"])


def test_a_bad_event_comes_back_with_its_fields_named_and_nothing_stored(loaded: Database) -> None:
    editor = _client(loaded, "editor")
    before = editor.get("/api/v1/events", params={"state": "USA"}).json()
    token = editor.headers["X-CSRF-Token"]
    form = {"csrf_token": token, "kind": "withdrawal", "date": "someday", "citation": ""}
    answer = editor.post("/states/USA/events", data=form)
    assert answer.status_code == 400
    problems = answer.text.split('role="alert"', 1)[1].split("</div>", 1)[0]
    assert "date" in problems and "citation" in problems
    assert 'value="someday"' in answer.text  # the form comes back as it was typed
    assert editor.get("/api/v1/events", params={"state": "USA"}).json() == before


def test_the_event_form_needs_its_csrf_token(loaded: Database) -> None:
    editor = _client(loaded, "editor")
    form = {"csrf_token": "wrong", "kind": "withdrawal", "date": "2025", "target": "HRC", "citation": "x"}
    assert editor.post("/states/USA/events", data=form).status_code == 403


def test_each_treaty_fact_cites_its_source_and_as_of_date(loaded: Database) -> None:
    iccpr = _row(_client(loaded).get("/states/USA").text, "ICCPR")
    # The OHCHR sheet, newer than the status table, gave the status and both dates: its line is
    # cited once with the facts it gave and the date its source describes.
    cited = "ohchr-export-iccpr.xls, row 3 status, signature, ratification, accession or succession"
    assert f"{cited} · as of 2025-10-10" in iccpr


def test_an_editor_corrects_a_treaty_fact_beside_the_imported_one(loaded: Database) -> None:
    editor = _client(loaded, "editor")
    assert 'action="/states/USA/treaty-corrections"' in editor.get("/states/USA").text
    assert 'action="/states/USA/treaty-corrections"' not in _client(loaded, "viewer").get("/states/USA").text
    token = editor.headers["X-CSRF-Token"]
    form = {"csrf_token": token, "instrument": "ICCPR", "kind": "consent", "value": "", "date": "1992-06-09"}
    refused = editor.post("/states/USA/treaty-corrections", data=form)  # no citation
    assert refused.status_code == 400
    assert "Citation: Cite where the corrected fact is shown" in re.sub(r"<[^>]+>", " ", refused.text)
    assert 'value="1992-06-09"' in refused.text  # the form comes back as it was typed
    cited = form | {"citation": "UN Treaty Collection, chapter IV.4, checked 2026-05-01"}
    answer = editor.post("/states/USA/treaty-corrections", data=cited, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/states/USA#treaties"
    iccpr = _row(editor.get("/states/USA").text, "ICCPR")
    assert "1992-06-09 corrected" in iccpr  # the correction is what the row says now…
    assert (
        "UN Treaty Collection, chapter IV.4" in iccpr and "imported: 1992-06-08" in iccpr
    )  # …beside the import
    instruments = editor.get("/api/v1/states/USA/treaties").json()["instruments"]
    assert next(i for i in instruments if i["instrument"] == "ICCPR")["consent"] == "1992-06-09"
    with loaded.read() as conn:
        logged = recent(conn, 3, entity="treaty USA ICCPR")
    assert logged[0]["actor"] == "editor" and logged[0]["action"] == "correct treaty fact"
    withdraw = re.search(
        r'action="(/states/USA/treaty-corrections/\d+/withdraw)"', editor.get("/states/USA").text
    )
    assert withdraw
    assert (
        editor.post(withdraw.group(1), data={"csrf_token": token}, follow_redirects=False).status_code == 303
    )
    iccpr = _row(editor.get("/states/USA").text, "ICCPR")
    assert "1992-06-08" in iccpr and "corrected" not in iccpr
    no_status = {
        "csrf_token": token,
        "instrument": "CAT",
        "kind": "status",
        "value": "party",
        "citation": "A source",
    }
    assert (
        editor.post("/states/USA/treaty-corrections", data=no_status).status_code == 400
    )  # nothing imported


def test_the_search_page_tells_the_two_state_facets_apart_and_names_recommenders(loaded: Database) -> None:
    page = _client(loaded).get("/").text
    assert "the state that received the recommendation" in page and "the states that made it" in page
    results = page[page.index('<section class="results"') :]
    assert "recommended by" in results and re.search(r"recommended by [A-Z][a-z]+", results)
    assert not re.search(r"recommended by [A-Z]{3}\b", results)  # names, not ISO codes


def test_compare_picks_states_by_name(loaded: Database) -> None:
    client = _client(loaded)
    added = client.get("/compare", params={"states": "USA,CHN", "add": "FRA"}, follow_redirects=False)
    assert added.status_code == 303 and added.headers["location"] == "/compare?states=USA%2CCHN%2CFRA"
    page = client.get("/compare", params={"states": "United States of America,China"}).text
    assert '<option value="FRA">France</option>' in page and '<option value="USA">' not in page
    assert 'href="/compare?states=CHN"' in page  # each compared state has a Remove link
