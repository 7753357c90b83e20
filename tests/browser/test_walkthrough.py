"""The main path through the app in a real browser: log in, search, filter by two facets, open a
recommendation, confirm a suggested tag, export the search as CSV, import a file with preview."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rightstrack.auth.accounts import create_user
from rightstrack.importing import import_file
from rightstrack.settings import load_settings
from rightstrack.store.database import Database
from rightstrack.store.tagging import Prediction, store_predictions
from rightstrack.web.app import create_app
from tests.browser.conftest import check_accessibility, screenshot
from tests.conftest import SAMPLE_ROWS, csv_bytes

pytestmark = pytest.mark.browser
PASSWORD = "browser test password"


def test_walkthrough(
    sqlite_db: Database, sample_csv: Path, tmp_path: Path, live_server: Any, browser_page: Any
) -> None:
    db = sqlite_db
    import_file(db, sample_csv, "upr-info")
    create_user(db, "ana", PASSWORD, "editor", display_name="Ana")
    usa_child = 4  # "Ratify the Convention on the Rights of the Child." (USA, noted)
    store_predictions(
        db, "uhri_theme", [Prediction(usa_child, "Rights of the child", 0.83)], model="fake", version="1"
    )
    settings = load_settings({"data_dir": str(tmp_path / "data")}, environ={})
    base = live_server(create_app(db, settings))
    page = browser_page

    page.goto(f"{base}/login")
    check_accessibility(page, "login")
    page.get_by_label("Username").fill("ana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/")
    assert "Ana (editor)" in page.content()
    screenshot(page, "01-search")
    check_accessibility(page, "search")

    page.get_by_label("Search recommendations").fill("ratify*")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("navigation", name="Filters").get_by_role(
        "link", name="United States of America"
    ).click()
    page.get_by_role("navigation", name="Filters").get_by_role("link", name="noted").click()
    assert "state=USA" in page.url and "response=noted" in page.url
    results = page.locator("li.rec")
    assert results.count() == 1
    screenshot(page, "02-search-filtered")
    check_accessibility(page, "search-filtered")

    results.first.get_by_role("link").click()
    page.wait_for_url(f"{base}/recommendations/{usa_child}")
    screenshot(page, "03-recommendation")
    check_accessibility(page, "recommendation")
    page.get_by_role("button", name="Confirm Rights of the child", exact=True).click()
    page.wait_for_load_state("load")
    page.wait_for_selector(".prov-confirmed")
    assert "confirmed" in page.locator(".prov-confirmed").inner_text()

    page.go_back()
    page.reload()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export as CSV").click()
    exported = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert exported.count("\n") == 2 and "Ratify the Convention on the Rights of the Child." in exported

    upload = tmp_path / "more.csv"
    upload.write_bytes(
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
                ),
                SAMPLE_ROWS[0],
            ]
        )
    )
    page.get_by_role("link", name="Import").click()
    check_accessibility(page, "import")
    page.get_by_label("File").set_input_files(str(upload))
    page.get_by_role("button", name="Preview").click()
    page.wait_for_load_state("load")
    screenshot(page, "04-import-preview")
    assert page.locator("[data-created]").inner_text() == "1"
    assert "nothing is stored yet" in page.content()
    check_accessibility(page, "import-preview")
    page.get_by_role("button", name="Confirm import").click()
    page.wait_for_selector("text=Imported")
    screenshot(page, "05-import-done")
    check_accessibility(page, "import-done")
    page.goto(f"{base}/?q=habitat")
    assert page.locator("li.rec").count() == 1
