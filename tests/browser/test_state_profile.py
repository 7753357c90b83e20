"""A state's profile, the world map of one instrument, the dashboard, the review queue, the audit
log and a French page in a real browser, each checked with axe-core; screenshots are saved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from rightstrack.auth.accounts import create_user
from rightstrack.importing import import_file
from rightstrack.settings import load_settings
from rightstrack.store.database import Database
from rightstrack.store.tagging import Prediction, store_predictions
from rightstrack.web.app import create_app
from tests.browser.conftest import check_accessibility, screenshot
from tests.state_fixtures import RESERVATION, load_engagement

pytestmark = pytest.mark.browser
PASSWORD = "browser test password"


@pytest.fixture
def site(sqlite_db: Database, sample_csv: Path, tmp_path: Path, live_server: Any) -> str:
    import_file(sqlite_db, sample_csv, "upr-info")
    load_engagement(sqlite_db, tmp_path)
    store_predictions(
        sqlite_db,
        "uhri_theme",
        [Prediction(1, "Torture", 0.9), Prediction(2, "Enforced disappearance", 0.4)],
        model="fake",
        version="1",
    )
    create_user(sqlite_db, "root", PASSWORD, "admin", display_name="Root")
    settings = load_settings({"data_dir": str(tmp_path / "data"), "public_read": "true"}, environ={})
    return str(live_server(create_app(sqlite_db, settings)))


def test_state_profile_table_timeline_and_map(site: str, browser_page: Any) -> None:
    page = browser_page
    page.goto(f"{site}/states")
    check_accessibility(page, "states")
    page.get_by_role("link", name="United States of America").click()
    page.wait_for_url(f"{site}/states/USA")
    assert page.locator("html").get_attribute("lang") == "en"

    table = page.get_by_role("table", name="Status for each of the 18 core human rights instruments")
    assert table.locator("tbody tr").count() == 18
    iccpr = table.locator('tr[data-instrument="ICCPR"]')
    assert "party" in iccpr.inner_text() and "1992-06-08" in iccpr.inner_text()
    assert RESERVATION in iccpr.inner_text()
    timeline = page.locator("ol.timeline li")
    assert timeline.count() >= 3 and "withdrawal: HRC" in page.locator("ol.timeline").inner_text()
    cycles = page.get_by_role("table", name="Recommendations received per review cycle")
    assert "33%" in cycles.inner_text()  # 1 of the 3 recommendations to the USA supported
    check_accessibility(page, "state-profile")
    screenshot(page, "10-state-profile")

    iccpr.get_by_role("link", name="ICCPR", exact=True).click()
    page.wait_for_url(f"{site}/treaties/ICCPR")
    tiles = page.locator("svg.map rect")
    assert tiles.count() == 195
    assert page.locator('rect[data-state="USA"]').get_attribute("data-status") == "party"
    assert page.locator('rect[data-state="SAU"]').get_attribute("data-status") == "no_action"
    assert page.locator("svg.map").bounding_box()["width"] > 300  # drawn, not just present
    screenshot(page, "11-treaty-map")
    page.get_by_text("The same map as a table").click()
    assert page.locator("#map-table tbody tr").count() == 195
    check_accessibility(page, "treaty-map")
    page.goto(f"{site}/treaties")
    check_accessibility(page, "treaties")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Compare").click()
    assert page.locator('#comparison td[data-state="USA"]').inner_text() == "1 / 18"
    check_accessibility(page, "compare")
    screenshot(page, "18-compare")


def test_the_accessibility_check_can_fail(browser_page: Any) -> None:
    browser_page.set_content('<html><body><img src="x.png"><input type="text"></body></html>')
    with pytest.raises(AssertionError, match="image-alt"):
        check_accessibility(browser_page, "deliberately-broken")


def test_dashboard_review_audit_and_french(site: str, browser_page: Any) -> None:
    page = browser_page
    page.goto(f"{site}/dashboard")
    chart = page.get_by_role("table", name="Response")
    assert "5" in chart.get_by_role("row").filter(has_text="supported").inner_text()
    check_accessibility(page, "dashboard")
    screenshot(page, "12-dashboard")

    page.goto(f"{site}/login?next=/review")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{site}/review")
    check_accessibility(page, "review-queue")
    screenshot(page, "13-review-queue")
    # The keyboard alone works down the queue: Enter decides, focus moves to the next suggestion.
    page.get_by_role("button", name="Confirm Torture (1)").focus()
    page.keyboard.press("Enter")
    # expect() polls without evaluating strings, which the pages' CSP (script-src 'self') forbids.
    expect(page.get_by_role("button", name="Confirm Enforced disappearance (2)")).to_be_focused()
    assert page.get_by_role("status").inner_text() == "Confirmed: Torture"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Reject
    page.wait_for_selector("text=Nothing is waiting for a decision.")

    # An engagement event entered in the web app lands on the timeline and in the audit log.
    page.goto(f"{site}/states/USA")
    page.get_by_text("Record an engagement event").click()
    page.get_by_label("Kind").select_option("withdrawal")
    page.get_by_label("Date (YYYY, YYYY-MM or YYYY-MM-DD)").fill("2025-02-04")
    page.get_by_label("Towards (HRC, UNESCO, a treaty, a rapporteur…)").fill("UNESCO")
    citation = page.get_by_label("Citation (required: document symbol, statement, date)")
    citation.fill("Executive order, 4 Feb 2025")
    check_accessibility(page, "state-event-form")
    page.get_by_role("button", name="Record the event").click()
    page.wait_for_url(f"{site}/states/USA#timeline")
    assert "withdrawal: UNESCO" in page.locator("ol.timeline").inner_text()
    screenshot(page, "19-state-event-recorded")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit log").click()
    page.wait_for_url(f"{site}/audit")
    log = page.get_by_role("table").inner_text()
    assert "confirm tag" in log and "reject tag" in log and "Enforced disappearance" in log
    assert "add event" in log
    check_accessibility(page, "audit")
    screenshot(page, "14-audit")

    page.get_by_role("link", name="Français").click()
    page.wait_for_url(f"{site}/audit")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == "Journal d'audit"
    page.goto(f"{site}/states/USA")
    assert page.get_by_role("heading", name="Chronologie").is_visible()
    check_accessibility(page, "state-profile-fr")
    screenshot(page, "15-state-profile-fr")


def test_real_treaty_files_on_the_profile_and_map(
    sqlite_db: Database, tmp_path: Path, live_server: Any, browser_page: Any
) -> None:
    from rightstrack.engagement.compare import state_treaties
    from rightstrack.engagement.treaty_store import import_treaty_file
    from tests.conftest import SHARED_DATA, needs_shared_data

    needs_shared_data()
    treaties = SHARED_DATA / "treaties"
    for path in [*sorted(treaties.glob("hr_status_*.csv")), treaties / "ohchr-export-icescr.xls"]:
        import_treaty_file(sqlite_db, path)
    with sqlite_db.read() as conn:
        expected = state_treaties(conn, "USA")
    settings = load_settings({"data_dir": str(tmp_path / "data"), "public_read": "true"}, environ={})
    base = live_server(create_app(sqlite_db, settings))
    page = browser_page
    page.goto(f"{base}/states/USA")
    rows = page.locator("#ratifications tbody tr")
    shown = {rows.nth(i).get_attribute("data-instrument"): rows.nth(i) for i in range(rows.count())}
    assert len(shown) == 18
    assert f"Party to {expected['party_count']} of 18 core instruments." in page.content()
    for code in expected["parties"]:
        assert shown[code].locator("td.status").inner_text() == "party"
    # ICESCR comes with full dates from the OHCHR export: no "year only" beside its signature.
    icescr = shown["ICESCR"].inner_text()
    assert "signatory" in icescr and "1977-10-05" in icescr and "year only" not in icescr
    check_accessibility(page, "state-profile-real")
    screenshot(page, "16-state-profile-real-data")
    page.goto(f"{base}/treaties/CRC")
    assert page.locator('rect[data-status="party"]').count() >= 190
    assert page.locator('rect[data-state="USA"]').get_attribute("data-status") == "signatory"
    check_accessibility(page, "treaty-map-real")
    screenshot(page, "17-treaty-map-crc-real-data")
