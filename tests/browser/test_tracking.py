"""Implementation tracking in a real browser: a city commission takes on a US recommendation on
police use of force, assigns the city and its police department, plans a measure that falls
overdue, reports progress with an evidence file, and records the government's claim beside a
civil-society assessment; reminders go out by SMTP; the next cycle's repeated ask shows the
earlier standing. Every page is checked with axe-core and screenshotted."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import docx
import pytest

from rightstrack.followup.reminders import send_reminders
from rightstrack.mail import SmtpMailer
from rightstrack.settings import load_settings
from rightstrack.store.database import Database
from rightstrack.web.app import create_app
from tests.browser.conftest import check_accessibility, log_in, screenshot
from tests.followup.scenario import PASSWORD, USE_OF_FORCE_1, USE_OF_FORCE_2, City, build_city

pytestmark = pytest.mark.browser
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MEASURE = "Publish a use-of-force policy"
INDICATOR = "Complaints against police"


@dataclass
class _Collector:
    """An SMTP handler that keeps what it receives."""

    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[_Collector, int]]:
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    collector = _Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    yield collector, port
    controller.stop()


@dataclass
class Site:
    url: str
    city: City
    app: Any


@pytest.fixture
def site(sqlite_db: Database, tmp_path: Path, live_server: Any) -> Site:
    city = build_city(sqlite_db, tmp_path)
    settings = load_settings({"data_dir": str(tmp_path / "data"), "public_read": "true"}, environ={})
    app = create_app(sqlite_db, settings)
    return Site(str(live_server(app)), city, app)


def _log_in(page: Any, site: Site, username: str, then: str) -> None:
    log_in(page, site.url, username, PASSWORD, then)


def _visit(page: Any, name: str) -> None:
    check_accessibility(page, name)
    screenshot(page, name)


def _take_on(page: Any, site: Site, text: str) -> str:
    """Take a recommendation on through the workspace's search picker; return its commitment's page."""
    page.goto(f"{site.url}/workspaces/{site.city.slug}/take-on")
    page.get_by_label(text, exact=True).check()
    page.get_by_role("button", name="Take on the chosen recommendations").click()
    page.wait_for_url(f"{site.url}/workspaces/{site.city.slug}/commitments/*")
    return str(page.url)


def _submit(page: Any, summary: str, fields: dict[str, str], button: str) -> None:
    """Open a folded form by its summary, fill it by labels, send it."""
    form = page.locator("details", has=page.locator("summary", has_text=summary))
    if form.get_attribute("open") is None:  # a refused form comes back open
        form.locator("summary").click()
    for label, value in fields.items():
        control = form.get_by_label(label, exact=True)
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(label=value)
        else:
            control.fill(value)
    form.get_by_role("button", name=button).click()


def test_a_city_tracks_police_use_of_force(
    site: Site, browser_page: Any, tmp_path: Path, smtp: tuple[_Collector, int]
) -> None:
    page, city = browser_page, site.city
    slug = city.slug
    earlier, later = city.recommendation(USE_OF_FORCE_1), city.recommendation(USE_OF_FORCE_2)

    # The editor takes the cycle-1 recommendation on from its page.
    _log_in(page, site, "analyst", "/workspaces")
    assert page.get_by_role("row", name="Gotham Human Rights Commission").get_by_text("editor").count() == 1
    _visit(page, "30-workspaces")
    page.goto(f"{site.url}/recommendations/{earlier}")
    page.get_by_label("Track in workspace").select_option(label="Gotham Human Rights Commission")
    _visit(page, "31-recommendation-track")
    page.get_by_role("button", name="Track", exact=True).click()
    page.wait_for_url(f"{site.url}/workspaces/{slug}/commitments/*")
    commitment_url = page.url
    assert "end the excessive use of force" in page.locator("blockquote").inner_text()

    # Actors: the city, and its police department below it.
    page.goto(f"{site.url}/workspaces/{slug}")
    _submit(page, "Add an actor", {"Name (required)": "City of Gotham", "Kind": "city"}, "Add the actor")
    page.wait_for_url(f"{site.url}/workspaces/{slug}/actors/*")
    page.goto(f"{site.url}/workspaces/{slug}")
    _submit(page, "Add an actor", {"Name (required)": "X", "Kind": "city agency"}, "Add the actor")
    assert "Name: Too short" in page.get_by_role("alert").inner_text()  # refused, the field named
    assert page.get_by_label("Name (required)", exact=True).input_value() == "X"  # and the value kept
    _visit(page, "32-workspace-refused-form")
    _submit(
        page,
        "Add an actor",
        {"Name (required)": "Gotham Police Department", "Kind": "city agency", "Part of": "City of Gotham"},
        "Add the actor",
    )
    page.wait_for_url(f"{site.url}/workspaces/{slug}/actors/*")
    tree = page.get_by_role("navigation", name="Place in the tree of actors")
    assert "City of Gotham" in tree.inner_text()
    _visit(page, "33-actor")
    police_url = page.url

    # Assign both, the police department leading; plan a measure already past its date.
    page.goto(commitment_url)
    form = page.locator("details", has=page.locator("summary", has_text="Assign actors"))
    form.locator("summary").click()
    form.get_by_label("City of Gotham").check()
    form.get_by_label("Gotham Police Department").check()
    form.get_by_label("Lead actor").select_option(label="– Gotham Police Department")
    form.get_by_role("button", name="Save the actors").click()
    page.wait_for_url(f"{commitment_url}#actors")
    assert "Gotham Police Department (lead)" in page.locator("#actors ul").inner_text()
    due = (datetime.now(UTC).date() - timedelta(days=5)).isoformat()
    _submit(
        page,
        "Plan a measure",
        {
            "Title (required)": MEASURE,
            "Actor": "– Gotham Police Department",
            "Responsible person": "analyst",
            "Due on (required)": due,
        },
        "Plan the measure",
    )
    page.wait_for_url(f"{commitment_url}#measures")
    assert "overdue" in page.locator("#measures tr", has_text=MEASURE).inner_text()

    # A progress report with an evidence file.
    evidence = tmp_path / "draft-policy.pdf"
    evidence.write_bytes(PDF)
    form = page.locator("details", has=page.locator("summary", has_text="Report progress"))
    form.locator("summary").click()
    assert form.get_by_label("Reported on").input_value() == date.today().isoformat()  # the default
    form.get_by_label("What was done").fill("Draft policy published for public comment.")
    form.get_by_label("Measure").select_option(label=MEASURE)
    form.get_by_label("Evidence files (PDF, images, office documents, text)").set_input_files(str(evidence))
    form.get_by_role("button", name="Save the report").click()
    page.wait_for_url(f"{commitment_url}#progress")
    with page.expect_download() as download:
        page.get_by_role("link", name="draft-policy.pdf").click()
    assert Path(download.value.path()).read_bytes() == PDF

    # The government's claim: fully implemented.
    _assess(page, "Government", "Office of the Mayor", "Fully implemented", "Mayor's mid-term statement")
    _visit(page, "34-commitment-claim")

    # The civil-society partner disagrees.
    _log_in(page, site, "ngo", commitment_url.removeprefix(site.url))
    assert page.get_by_text("Assign actors").count() == 0  # a contributor does not edit the structure
    _assess(page, "Civil society", "Gotham Justice Coalition", "Not implemented", "Shadow report, spring")
    standing = page.get_by_role("table", name="The government's claim beside the independent assessments")
    cells = standing.locator("tbody td")
    assert "Fully implemented" in cells.nth(0).inner_text()
    assert "Not implemented" in cells.nth(1).inner_text()
    assert page.get_by_text("Disputed: an independent assessment").is_visible()
    _visit(page, "35-commitment-disputed")

    # The dashboard: the measure overdue, the claim disputed.
    page.goto(f"{site.url}/workspaces/{slug}")
    overdue = page.get_by_role("table", name="Overdue", exact=True)
    assert MEASURE in overdue.inner_text()
    disputed = page.get_by_role("table", name="Where an independent assessment rates implementation")
    assert "Fully implemented" in disputed.inner_text() and "Not implemented" in disputed.inner_text()
    assert "Gotham Police Department" in page.get_by_role("table", name="By lead actor").inner_text()
    _visit(page, "36-workspace-dashboard")
    page.goto(police_url)
    assert "overdue" in page.get_by_role("table", name="Measures").inner_text()

    # Reminders through a real SMTP conversation.
    collector, port = smtp
    summary = send_reminders(
        city.db,
        SmtpMailer("127.0.0.1", port),
        today=datetime.now(UTC).date(),
        sender="rightstrack@gotham.example",
        base_url=site.url,
    )
    assert summary.reminders == 1
    to_analyst = [m for m in collector.messages if m["To"] == "analyst@gotham.example"]
    assert len(to_analyst) == 1
    body = to_analyst[0].get_content()
    assert MEASURE in body and "overdue by 5 days" in body and commitment_url in body

    # The next cycle repeats the ask: take it on, link it to the earlier one, see the earlier standing.
    _log_in(page, site, "analyst", f"/workspaces/{slug}")
    later_commitment = _take_on(page, site, USE_OF_FORCE_2)
    page.goto(f"{site.url}/recommendations/{later}")  # the reviewer links the two asks by hand
    _submit(
        page,
        "Link an earlier recommendation this one repeats",
        {"Id of the earlier recommendation (the number in its address)": str(earlier)},
        "Link",
    )
    page.wait_for_url(f"{site.url}/recommendations/{later}#cycle-links-title")
    assert page.get_by_role("button", name=f"Not a repeat – Cycle 1 #{earlier}").count() == 1
    _visit(page, "37a-recommendation-linked")
    page.goto(later_commitment)
    repeats = page.locator("#repeats")
    assert "This recommendation repeats an earlier one" in repeats.inner_text()
    assert repeats.locator(f'a[href="/recommendations/{earlier}"]').count() == 1
    assert page.get_by_text("recommended again, still not implemented").count() == 1
    carried = page.get_by_role("table", name="The government's claim beside the independent assessments")
    assert "Not implemented" in carried.inner_text() and "Fully implemented" in carried.inner_text()
    _visit(page, "37-commitment-repeated")
    page.goto(f"{site.url}/workspaces/{slug}")
    badge = page.locator("#commitments tr", has=page.locator(f'a[href="/recommendations/{later}"]'))
    assert "recommended again, still not implemented" in badge.inner_text()

    # The mid-term report, downloaded from the dashboard, says what happened.
    page.goto(f"{site.url}/workspaces/{slug}")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the report (DOCX)").click()
    report = docx.Document(download.value.path())
    text = "\n".join(p.text for p in report.paragraphs) + "\n".join(
        cell.text for table in report.tables for row in table.rows for cell in row.cells
    )
    for expected in (
        USE_OF_FORCE_1,
        MEASURE,
        "OVERDUE",
        "draft-policy.pdf",
        "Office of the Mayor",
        "Gotham Justice Coalition",
        "Not implemented",
        "Fully implemented",
        "DISPUTED",
    ):
        assert expected in text, expected


def _assess(page: Any, kind: str, who: str, status: str, source: str) -> None:
    url = page.url.split("#")[0]
    _submit(
        page,
        "Record an assessment",
        {
            "Assessed by (type)": kind,
            "Assessor (required)": who,
            "Status": status,
            "Assessed on (required)": date.today().isoformat(),
            "Source (where it was published, or who made it and how) (required)": source,
        },
        "Save the assessment",
    )
    page.wait_for_url(f"{url}#assessments")


def test_indicators_and_the_bin(site: Site, browser_page: Any) -> None:
    page, slug = browser_page, site.city.slug
    _log_in(page, site, "analyst", f"/workspaces/{slug}")
    commitment_url = _take_on(page, site, USE_OF_FORCE_2)

    started = (date.today() - timedelta(days=100)).isoformat()
    _submit(
        page,
        "Add an indicator",
        {
            "Name (required)": INDICATOR,
            "Unit": "cases",
            "Baseline": "40",
            "Target": "10",
            "Starts on (required)": started,
        },
        "Add the indicator",
    )
    page.wait_for_url(f"{commitment_url}#indicators")
    row = page.locator("#indicators tbody tr", has_text=INDICATOR)
    assert "overdue" in row.inner_text()  # quarterly from 100 days ago: the first value is late
    row.locator("summary", has_text="Report a value").click()
    row.get_by_label("Reported on").fill(date.today().isoformat())
    row.get_by_label("Value (required)", exact=True).fill("31")
    row.get_by_role("button", name="Save the value").click()
    page.wait_for_url(f"{commitment_url}#indicators")
    row = page.locator("#indicators tbody tr", has_text=INDICATOR)
    assert ": 31" in row.inner_text() and "overdue" not in row.inner_text()
    _visit(page, "38-commitment-indicator")

    # Deleted, it leaves the page for the bin; restored, it comes back with its values.
    row.locator("summary", has_text="Delete").click()
    row.get_by_role("button", name=f"Delete {INDICATOR}").click()
    page.wait_for_url(f"{commitment_url}#indicators")
    assert page.locator("#indicators tbody tr", has_text=INDICATOR).count() == 0
    page.goto(f"{site.url}/workspaces/{slug}")
    page.get_by_role("link", name="Bin (deleted records)").click()
    page.wait_for_url(f"{site.url}/workspaces/{slug}/bin")
    binned = page.get_by_role("table", name="Deleted records, most recent first")
    assert INDICATOR in binned.inner_text() and "analyst" in binned.inner_text()
    _visit(page, "39-workspace-bin")
    binned.get_by_role("button", name=f"Restore {INDICATOR}").click()
    page.wait_for_url(f"{commitment_url}#indicators")
    assert ": 31" in page.locator("#indicators tbody tr", has_text=INDICATOR).inner_text()
