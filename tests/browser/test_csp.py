"""The Content-Security-Policy breaks nothing: pages load their script and styles, the bars keep
their widths, and the browser reports no violation (issue 18)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rightstrack.auth.accounts import create_user
from rightstrack.importing import import_file
from rightstrack.settings import load_settings
from rightstrack.store.database import Database
from rightstrack.web.app import create_app

pytestmark = pytest.mark.browser
PAGES = [
    "/login",
    "/",
    "/?q=torture",
    "/recommendations/1",
    "/states",
    "/states/USA",
    "/treaties/ICCPR",
    "/dashboard",
]


def test_pages_run_under_the_policy_without_violations(
    sqlite_db: Database, sample_csv: Path, tmp_path: Path, live_server: Any, browser_page: Any
) -> None:
    import_file(sqlite_db, sample_csv, "upr-info")
    create_user(sqlite_db, "ana", "browser test password", "editor")
    base = live_server(create_app(sqlite_db, load_settings({"data_dir": str(tmp_path / "data")}, environ={})))
    page = browser_page
    complaints: list[str] = []
    page.on("console", lambda message: complaints.append(message.text) if message.type == "error" else None)
    for path in PAGES:
        answer = page.goto(f"{base}{path}")
        assert answer is not None and "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    page.goto(f"{base}/dashboard")
    bar = page.locator(".bar").first
    assert bar.evaluate("element => element.getBoundingClientRect().width") > 0  # style attributes apply
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != ""  # site.css loaded
    assert not [c for c in complaints if "Content Security Policy" in c], complaints
