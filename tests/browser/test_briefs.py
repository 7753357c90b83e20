"""An advocacy brief in a real browser: a contributor drafts a brief on Chile and women's rights,
rewords a point, drops one, adds one of her own, saves the brief in her workspace, and downloads
it as DOCX and PDF; the page prints as the brief alone. axe-core finds no violation on any page."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import pytest
from pypdf import PdfReader

from rightstrack.settings import load_settings
from rightstrack.store.database import Database
from rightstrack.web.app import create_app
from tests.brief.conftest import cheap_password_hashes  # noqa: F401 (the world's six users)
from tests.brief.world import PASSWORD, WOMEN, World, build_world
from tests.browser.conftest import check_accessibility, screenshot

pytestmark = pytest.mark.browser
REWORDED = "Chile has been asked to decriminalise abortion in every review since 2009."
OWN_POINT = "Our coalition will brief the committee before the next review."


@dataclass
class Site:
    url: str
    world: World


@pytest.fixture
def site(sqlite_db: Database, tmp_path: Path, live_server: Any) -> Site:
    world = build_world(sqlite_db, tmp_path)
    settings = load_settings({"data_dir": str(tmp_path / "data"), "public_read": "true"}, environ={})
    return Site(str(live_server(create_app(sqlite_db, settings))), world)


def _visit(page: Any, name: str) -> None:
    assert check_accessibility(page, name) == [], name  # not even a minor or moderate violation
    screenshot(page, name)


def test_draft_edit_save_and_export_a_brief(site: Site, browser_page: Any) -> None:
    page = browser_page
    page.goto(f"{site.url}/login?next=/briefs/new")
    page.get_by_label("Username").fill("contributor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{site.url}/briefs/new")
    _visit(page, "50-brief-form")

    page.get_by_label("State", exact=True).fill("CHL")
    page.get_by_label("Themes (UPR Info issues; any of those chosen)").select_option(WOMEN)
    page.get_by_label("States to compare on treaty ratification (comma separated)").fill("USA,CHN")
    page.get_by_role("button", name="Draft the brief").click()
    page.wait_for_url(f"{site.url}/briefs/new?*")
    issue = page.get_by_role("group", name="Issue")
    repeated = issue.locator(".point-edit", has_text="Recommended in every cycle since 2009")
    assert "noted each time" in repeated.locator("textarea").input_value()
    _visit(page, "51-brief-draft")

    # Reword the repeated ask, drop the count of responses, add a point of our own; save.
    repeated.locator("textarea").fill(REWORDED)
    issue.locator(".point-edit", has_text="Chile supported").get_by_label("Drop this point").check()
    page.get_by_label("Add a point of your own (it is marked hand-written)").last.fill(OWN_POINT)
    page.get_by_label("Title").fill("Chile: women's rights, three cycles")
    page.get_by_label("Workspace").select_option(label="Chile Watch")
    page.get_by_role("button", name="Save the brief").click()
    page.wait_for_url(f"{site.url}/briefs/*")
    brief = page.get_by_role("article")
    assert REWORDED in brief.inner_text() and f"{OWN_POINT} (hand-written)" in brief.inner_text()
    assert "Chile supported" not in brief.inner_text()
    assert "Private draft" in page.locator(".brief-meta").inner_text()
    _visit(page, "52-brief-saved")

    with page.expect_download() as download:
        page.get_by_role("link", name="DOCX").click()
    word = docx.Document(download.value.path())
    text = "\n".join(p.text for p in word.paragraphs)
    assert REWORDED in text and "Sources" in text and "Chile supported" not in text
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and OWN_POINT in "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages
    )

    # Printed, the page is the brief: no site header, no editor.
    page.emulate_media(media="print")
    assert not page.locator("header").is_visible() and not page.locator("#edit").is_visible()
    assert brief.is_visible()
    screenshot(page, "53-brief-print")
