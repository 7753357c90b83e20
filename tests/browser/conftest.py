"""A live server on loopback and the system Chromium driven by Playwright (no browser download)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def live_server() -> Iterator[Any]:
    import uvicorn

    def start(app: Any) -> str:
        port = _free_port()
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 15
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        servers.append((server, thread))
        return f"http://127.0.0.1:{port}"

    servers: list[tuple[Any, threading.Thread]] = []
    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def browser_page() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-browser (scripts/test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        yield page
        context.close()
        browser.close()


def log_in(page: Any, base: str, username: str, password: str, then: str = "/") -> None:
    """Log in through the login page (a fresh browser session) and land on ``then``."""
    page.context.clear_cookies()
    page.goto(f"{base}/login?next={then}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}{then}")


def screenshot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


AXE_REPORTS = ARTIFACTS.parent / "axe"


def check_accessibility(page: Any, name: str) -> list[str]:
    """Run axe-core (bundled with axe-playwright-python, nothing downloaded) on the current page.

    Fails on serious or critical violations; returns the ids of the minor and moderate ones, which
    are saved with the rest of the report under test-artifacts/axe/.
    """
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    AXE_REPORTS.mkdir(parents=True, exist_ok=True)
    (AXE_REPORTS / f"{name}.txt").write_text(results.generate_report(), encoding="utf-8")
    violations = results.response["violations"]
    blocking = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not blocking, f"{name}: {results.generate_report()}"
    return [f"{v['id']} ({v['impact']})" for v in violations]
