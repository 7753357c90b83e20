"""A table with its own headings, imported through the import page in a real browser: log in,
upload, pick the columns, see the preview, import, find the recommendations in search."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rightstrack.auth.accounts import create_user
from rightstrack.settings import load_settings
from rightstrack.store.database import Database
from rightstrack.web.app import create_app
from tests.browser.conftest import check_accessibility, log_in, screenshot
from tests.test_import_table import write_csv

pytestmark = pytest.mark.browser
PASSWORD = "browser test password"
HEADINGS = ("N°", "Pays sous examen", "Émis par", "Libellé", "Statut", "Groupes concernés")
ROWS = (
    ("7.1", "Chad", "Canada; Mexico", "Criminalise early and forced marriage.", "Acceptée", "Children"),
    (
        "7.2",
        "Chad",
        "Korea, Republic of",
        "Abolish solitary confinement of minors.",
        "Notée",
        "Children, Detainees",
    ),
)


def test_table_with_unusual_headings(
    sqlite_db: Database, tmp_path: Path, live_server: Any, browser_page: Any
) -> None:
    create_user(sqlite_db, "nhri", PASSWORD, "editor", display_name="NHRI officer")
    base = live_server(create_app(sqlite_db, load_settings({"data_dir": str(tmp_path / "data")}, environ={})))
    page = browser_page
    table = write_csv(tmp_path / "matrice-suivi.csv", (HEADINGS, *ROWS), "cp1252", ";")

    log_in(page, base, "nhri", PASSWORD, then="/import")
    page.get_by_label("Table (CSV or XLSX)").set_input_files(str(table))
    page.get_by_role("button", name="Choose the columns").click()
    page.wait_for_url(f"{base}/import/table")
    check_accessibility(page, "table-picker")

    page.get_by_label("Recommendation text").select_option("Libellé")
    page.get_by_label("State under review", exact=True).select_option("Pays sous examen")
    page.get_by_label("Recommending states").select_option("Émis par")
    page.get_by_label("Response").select_option("Statut")
    page.get_by_label("Paragraph").select_option("N°")
    page.get_by_label("Tags: Affected persons").select_option("Groupes concernés")
    page.get_by_label("Save this mapping as").fill("Matrice CNDH")
    page.get_by_role("button", name="Preview").click()
    page.wait_for_url(f"{base}/import/table/preview")
    preview = page.locator("#table-preview")
    assert "Preview: nothing is stored yet" in preview.inner_text()
    assert "CAN, MEX" in preview.inner_text() and "KOR" in preview.inner_text()
    screenshot(page, "table-preview")
    check_accessibility(page, "table-preview")

    page.get_by_role("button", name="Import these rows").click()
    page.wait_for_url(f"{base}/import/table/confirm")
    assert "Imported" in page.content()
    page.get_by_role("link", name="Search the recommendations").click()
    page.get_by_label("Search recommendations").fill("solitary")
    page.get_by_role("button", name="Search").click()
    results = page.locator("li.rec")
    assert results.count() == 1 and "Abolish solitary confinement of minors." in results.inner_text()
    screenshot(page, "table-search")
