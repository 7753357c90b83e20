"""Issue 19: a city commission starts and runs its tracker from the browser alone. From an instance
with one administrator and the public corpus, and no terminal: the administrator lets editors
create workspaces and invites an analyst; the analyst makes an account from the link, creates the
workspace, invites a colleague and a civil-society contributor, builds actors, takes on
recommendations through the search picker, plans and edits a measure, publishes a commitment
(which then shows on /states/USA), records the government's claim; the contributor joins from the
link and records an independent assessment; the dashboard says which view each count is; the
report comes out in Spanish. Every page visited, refused forms included, passes axe with no
violation at all."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import docx
import pytest

from rightstrack.auth.accounts import create_user
from rightstrack.auth.roles import Role
from rightstrack.settings import load_settings
from rightstrack.store.database import Database
from rightstrack.web.app import create_app
from tests.browser.conftest import check_accessibility, log_in, screenshot
from tests.followup.scenario import STANDARDS_3, USE_OF_FORCE_1, USE_OF_FORCE_2, import_rows

pytestmark = pytest.mark.browser
PASSWORD = "a long enough password"
WORKSPACE = "Gotham Human Rights Commission"


def _visit(page: Any, name: str) -> None:
    """axe finds nothing at all (not only nothing serious) on every page of this scenario."""
    assert check_accessibility(page, f"city-{name}") == [], name
    screenshot(page, f"city-{name}")


def _open(page: Any, summary: str) -> Any:
    """A folded form, opened by its summary."""
    details = page.locator("details", has=page.locator("summary", has_text=summary)).first
    if details.get_attribute("open") is None:
        details.locator("summary").first.click()
    return details


def _refused_summary_has_focus(page: Any) -> str:
    """A refused form comes back with its problems summarised at its top, and focus moved there."""
    focused = page.evaluate(
        "document.activeElement && document.activeElement.hasAttribute('data-error-summary')"
    )
    assert focused, "focus is not on the error summary"
    return str(page.locator("[data-error-summary]").inner_text())


def _invitation_link(page: Any) -> str:
    return str(page.get_by_label("Invitation link (it works once)").input_value())


@pytest.fixture
def site(sqlite_db: Database, tmp_path: Path, live_server: Any) -> str:
    import_rows(sqlite_db, tmp_path)  # the public corpus: US recommendations on police use of force
    create_user(sqlite_db, "admin", PASSWORD, Role.ADMIN, display_name="Administrator")
    settings = load_settings({"data_dir": str(tmp_path / "data"), "public_read": "true"}, environ={})
    return str(live_server(create_app(sqlite_db, settings)))


def test_a_city_commission_runs_its_tracker_from_the_browser(site: str, browser_page: Any) -> None:
    page, base = browser_page, site

    # The administrator lets editors create workspaces and invites the analyst.
    page.goto(f"{base}/login?next=/admin")
    _visit(page, "00-login")
    log_in(page, base, "admin", PASSWORD, "/admin")
    _visit(page, "01-admin")
    policy = page.locator("#policy-form")
    policy.get_by_label("Who may create a workspace").select_option("editors")
    policy.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{base}/admin#workspace-creation")
    assert "editors and administrators" in page.locator("#workspace-creation").inner_text()
    invite = _open(page, "Invite someone to make an account")
    invite.get_by_label("E-mail address (required)").fill("analyst@gotham.example")
    invite.get_by_label("Role on this instance").select_option("editor")
    invite.get_by_role("button", name="Send the invitation").click()
    analyst_link = _invitation_link(page)
    _visit(page, "02-admin-invited")

    # The analyst makes an account from the link: a short password is refused in words.
    page.context.clear_cookies()
    page.goto(analyst_link)
    _visit(page, "03-invitation")
    page.get_by_label("User name (required)").fill("analyst")
    page.get_by_label("Password (required)").fill("short")
    page.get_by_role("button", name="Make my account and accept").click()
    assert "Password: A password needs at least 10 characters." in _refused_summary_has_focus(page)
    _visit(page, "04-invitation-refused")
    page.get_by_label("Password (required)").fill(PASSWORD)
    page.get_by_role("button", name="Make my account and accept").click()
    page.wait_for_url(f"{base}/")
    assert "analyst (editor)" in page.locator("header").inner_text()
    _visit(page, "04b-search")

    # A new workspace: a wrong address is named by its label, then the workspace is made.
    page.goto(f"{base}/workspaces")
    _visit(page, "05-workspaces")
    page.get_by_role("link", name="New workspace").click()
    _visit(page, "06-new-workspace")
    page.get_by_label("Name (required)").fill(WORKSPACE)
    page.get_by_label("Short name for its address (required)").fill("Gotham HRC")
    page.get_by_label("State it follows").select_option("USA")
    page.get_by_role("button", name="Create the workspace").click()
    problems = _refused_summary_has_focus(page)
    assert "Short name for its address: Use lower-case letters, digits and hyphens only." in problems
    assert "slug" not in problems
    _visit(page, "07-new-workspace-refused")
    page.get_by_label("Short name for its address (required)").fill("gotham-hrc")
    page.get_by_role("button", name="Create the workspace").click()
    page.wait_for_url(f"{base}/workspaces/gotham-hrc")
    workspace = page.url
    _visit(page, "07b-new-workspace-made")

    # Invitations by e-mail link: a colleague (editor) and a civil-society contributor.
    page.get_by_role("link", name="Members").click()
    _visit(page, "08-members")
    links = {}
    for email, role in (("colleague@gotham.example", "editor"), ("coalition@ngo.example", "contributor")):
        form = _open(page, "Invite someone by e-mail")
        form.get_by_label("E-mail address (required)").fill(email)
        form.get_by_label("Role in the workspace").select_option(role)
        form.get_by_role("button", name="Send the invitation").click()
        links[role] = _invitation_link(page)
    assert (
        "coalition@ngo.example" in page.get_by_role("table", name="Invitations not yet accepted").inner_text()
    )
    _visit(page, "09-members-invited")

    # Actors: the city, and its police department below it.
    for name, kind, parent in (
        ("City of Gotham", "city", None),
        ("Gotham Police Department", "city_agency", "1"),
    ):
        page.goto(workspace)
        form = _open(page, "Add an actor")
        form.get_by_label("Name (required)").fill(name)
        form.get_by_label("Kind").select_option(kind)
        if parent:
            form.get_by_label("Part of").select_option(parent)
        form.get_by_role("button", name="Add the actor").click()
        page.wait_for_url(f"{workspace}/actors/*")
    _visit(page, "10-actor")

    # Recommendations taken on through the search picker: ticked, never typed as ids.
    page.goto(workspace)
    page.get_by_role("link", name="Take on recommendations").click()
    page.get_by_label("Words to look for").fill("force")
    page.get_by_role("button", name="Search").click()
    _visit(page, "11-picker")
    page.get_by_role("button", name="Take on the chosen recommendations").click()
    assert "Choose at least one recommendation." in _refused_summary_has_focus(page)
    _visit(page, "12-picker-refused")
    for text in (USE_OF_FORCE_1, STANDARDS_3):
        page.get_by_label(text, exact=True).check()
    page.get_by_label("Lead actor").select_option(label="– Gotham Police Department")
    page.get_by_role("button", name="Take on the chosen recommendations").click()
    page.wait_for_url(f"{workspace}#commitments")
    commitments = page.locator("#commitments").inner_text()
    assert (
        "use of force" in commitments and "lethal force" in commitments and USE_OF_FORCE_2 not in commitments
    )
    _visit(page, "13-workspace")

    # A measure, planned (already overdue) and then edited; the history keeps before and after.
    page.locator("#commitments").get_by_role("link", name=USE_OF_FORCE_1[:40], exact=False).first.click()
    commitment = page.url
    plan = _open(page, "Plan a measure")
    plan.get_by_label("Title (required)").fill("Draft a use-of-force policy")
    plan.get_by_label("Due on (required)").fill((date.today() - timedelta(days=3)).isoformat())
    plan.get_by_role("button", name="Plan the measure").click()
    page.wait_for_url(f"{commitment}#measures")
    edit = _open(page, "Edit – Draft a use-of-force policy")
    edit.get_by_label("Title (required)").fill("Publish a use-of-force policy")
    edit.get_by_label("Status").select_option("in_progress")
    edit.get_by_role("button", name="Save the measure").click()
    page.wait_for_url(f"{commitment}#measures")
    row = page.locator("#measures tbody tr").first.inner_text()
    assert "Publish a use-of-force policy" in row and "overdue" in row and "in progress" in row

    # Published, after a confirmation: it shows on the state's profile.
    _open(page, "Publish").get_by_role("button", name="Yes, make it public").click()
    page.wait_for_url(f"{commitment}#visibility")
    assert "public" in page.locator("main > p").nth(1).inner_text()
    _visit(page, "14-commitment")
    page.goto(f"{base}/states/USA")
    assert (
        "use of force"
        in page.get_by_role("table", name="Commitments published by the workspaces").inner_text()
    )
    _visit(page, "15-state")

    # The government's claim, recorded by the analyst (today's date is filled in).
    page.goto(commitment)
    claim = _open(page, "Record an assessment")
    assert claim.get_by_label("Assessed on (required)").input_value() == date.today().isoformat()
    claim.get_by_label("Assessed by (type)").select_option("government")
    claim.get_by_label("Assessor (required)").fill("Office of the Mayor")
    claim.get_by_label("Status").select_option("fully")
    claim.get_by_role("button", name="Save the assessment").click()
    assert (
        "Source (where it was published, or who made it and how): This is required."
        in _refused_summary_has_focus(page)
    )
    _visit(page, "16-assessment-refused")
    claim = _open(page, "Record an assessment")
    claim.get_by_label("Source (where it was published, or who made it and how) (required)").fill(
        "Mayor's statement"
    )
    claim.get_by_role("button", name="Save the assessment").click()
    page.wait_for_url(f"{commitment}#assessments")

    # The civil-society contributor joins from the link and disagrees.
    page.context.clear_cookies()
    page.goto(links["contributor"])
    page.get_by_label("User name (required)").fill("coalition")
    page.get_by_label("Password (required)").fill(PASSWORD)
    page.get_by_role("button", name="Make my account and accept").click()
    page.wait_for_url(workspace)
    _visit(page, "16b-workspace-contributor")
    page.goto(commitment)
    view = _open(page, "Record an assessment")
    view.get_by_label("Assessed by (type)").select_option("civil_society")
    view.get_by_label("Assessor (required)").fill("Gotham Justice Coalition")
    view.get_by_label("Status").select_option("not_implemented")
    view.get_by_label("Source (where it was published, or who made it and how) (required)").fill(
        "Shadow report"
    )
    view.get_by_role("button", name="Save the assessment").click()
    page.wait_for_url(f"{commitment}#assessments")
    assert page.get_by_text("Disputed: an independent assessment").is_visible()
    _visit(page, "16c-commitment-disputed")

    # The dashboard says which view each count is.
    page.goto(workspace)
    views = page.get_by_role("table", name="Commitments by status, counted in each view")
    header = views.locator("thead").inner_text()
    assert "By the government's claim" in header and "By the independent view" in header
    assert [
        c.strip() for c in views.locator("tr", has_text="Fully implemented").locator("td").all_inner_texts()
    ] == ["1", "0"]
    assert [
        c.strip() for c in views.locator("tr", has_text="Not implemented").locator("td").all_inner_texts()
    ] == ["0", "1"]
    _visit(page, "17-dashboard")

    # The report, in Spanish: the interface language chosen at the foot of the page.
    page.get_by_role("link", name="Español").click()
    page.wait_for_url(workspace)
    _visit(page, "18-dashboard-es")
    with page.expect_download() as download:
        page.locator("#report button").first.click()
    report = docx.Document(download.value.path())
    text = "\n".join(p.text for p in report.paragraphs) + "\n".join(
        cell.text for table in report.tables for row in table.rows for cell in row.cells
    )
    for spanish in (
        "Informe de mitad de período",
        "2 compromisos",
        "1 medida atrasada",
        "No aplicada",
        "IMPUGNADA",
    ):
        assert spanish in text, spanish
    assert "Government claim" not in text
