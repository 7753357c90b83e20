"""The tracking pages through the in-process client: what members, outsiders and anonymous visitors
see, and every form (accepted, and refused with the wrong field named and the values kept)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import pytest
from httpx import Response

from tests.followup.conftest import PDF, PRIVATE_TITLE, PUBLIC_TITLE, Client, Site
from tests.followup.scenario import USE_OF_FORCE_2


def _text(response: Response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))


def _post(client: Client, path: str, data: Mapping[str, object], **kwargs: Any) -> Response:
    response: Response = client.post(
        path, data={"csrf_token": client.csrf, **data}, follow_redirects=False, **kwargs
    )
    return response


def test_every_page_renders_for_a_member(site: Site) -> None:
    client = site.client("analyst")
    slug = site.city.slug
    listing = client.get("/workspaces")
    assert listing.status_code == 200
    assert "Gotham Human Rights Commission" in listing.text and "State Civil Liberties Union" in listing.text
    assert "editor" in _text(listing)

    board = client.get(f"/workspaces/{slug}")
    assert board.status_code == 200
    text = _text(board)
    assert PRIVATE_TITLE in text and PUBLIC_TITLE in text
    overdue = board.text[board.text.index('id="overdue"') : board.text.index('id="due-soon"')]
    assert "Publish the use-of-force policy" in overdue
    disputed = _text_of(board.text, "disputed")
    assert PRIVATE_TITLE in disputed and "Fully implemented" in disputed and "Not implemented" in disputed
    assert "Gotham Police Department" in _text_of(board.text, "commitments")  # the lead actor
    assert 'action="/workspaces/gotham-hrc/actors"' in board.text  # an editor gets the forms
    assert f'action="/workspaces/{slug}/report.docx"' in board.text  # the report form (period, language)
    french = client.get(f"/workspaces/{slug}", params={"lang": "fr"}).text
    assert "Affirmations contestées" in french and "Entièrement mise en œuvre" in french

    page = client.get(f"/workspaces/{slug}/commitments/{site.private}")
    assert page.status_code == 200
    text = _text(page)
    assert "hold those responsible to account" in text  # the recommendation's text
    assert f'href="/recommendations/{site.city.recommendation(USE_OF_FORCE_2)}"' in page.text
    assert "Gotham Police Department (lead)" in text and "overdue" in text
    standing = _text_of(page.text, "standing")
    assert "Fully implemented" in standing and "Not implemented" in standing and "Civil society" in standing
    assert f'href="/workspaces/{slug}/evidence/{site.evidence}"' in page.text
    assert "Changes to this commitment" in text

    actor = client.get(f"/workspaces/{slug}/actors/{site.police}")
    assert actor.status_code == 200
    assert "City of Gotham" in _text(actor)  # its place in the tree
    assert PRIVATE_TITLE in _text(actor) and "overdue" in _text_of(actor.text, "actor-measures")

    download = client.get(f"/workspaces/{slug}/evidence/{site.evidence}")
    assert download.status_code == 200 and download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    assert "attachment" in download.headers["content-disposition"]


def _summary(response: Response) -> str:
    """The refused form's error summary, as text (there is one per page)."""
    html = response.text
    start = html.index("data-error-summary")
    start = html.index(">", start) + 1
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start : html.index("</div>", start)])).strip()


def _text_of(html: str, element_id: str) -> str:
    start = html.index(f'id="{element_id}"')
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start : html.index("</table>", start)]))


@pytest.mark.parametrize("who", ["outsider", None])
def test_outsiders_and_anonymous_visitors_see_only_public_records(site: Site, who: str | None) -> None:
    client = site.client(who)
    slug = site.city.slug
    board = client.get(f"/workspaces/{slug}")
    assert board.status_code == 200
    assert PUBLIC_TITLE in board.text and PRIVATE_TITLE not in board.text
    assert "Publish the use-of-force policy" not in board.text  # the private commitment's measure
    assert 'action="/workspaces/gotham-hrc/actors"' not in board.text
    assert client.get(f"/workspaces/{slug}/commitments/{site.private}").status_code == 404
    assert client.get(f"/workspaces/{slug}/evidence/{site.evidence}").status_code == 404
    public = client.get(f"/workspaces/{slug}/commitments/{site.public}")
    assert public.status_code == 200 and "Changes to this commitment" not in public.text
    assert 'action="/workspaces' not in public.text
    assert client.get(f"/workspaces/{slug}/evidence/{site.public_evidence}").content == PDF
    actor = client.get(f"/workspaces/{slug}/actors/{site.police}")
    assert actor.status_code == 200 and PRIVATE_TITLE not in actor.text
    assert "Publish the use-of-force policy" not in actor.text
    assert client.get("/workspaces/nowhere").status_code == 404


def test_actor_and_commitment_forms(site: Site) -> None:
    client = site.client("analyst")
    slug = site.city.slug
    refused = _post(client, f"/workspaces/{slug}/actors", {"name": "", "kind": "city_agency"})
    assert refused.status_code == 400
    assert "Name: This is required." in _summary(refused)  # the field by its label, in words
    assert '<option value="city_agency" selected>' in refused.text  # the value is kept
    made = _post(
        client,
        f"/workspaces/{slug}/actors",
        {"name": "Civilian Review Board", "kind": "city_agency", "parent_id": str(site.police)},
    )
    assert made.status_code == 303
    board = client.get(made.headers["location"])
    assert "Civilian Review Board" in board.text and "Gotham Police Department" in _text(board)

    pledge = {"title": "CEDAW ordinance", "pledge": "Implement CEDAW locally", "visibility": "private"}
    no_source = _post(client, f"/workspaces/{slug}/commitments", pledge)
    assert no_source.status_code == 400
    assert "Source (ordinance, resolution, statement): This is required for a local pledge." in _summary(
        no_source
    )
    assert "Implement CEDAW locally</textarea>" in no_source.text
    made = _post(client, f"/workspaces/{slug}/commitments", pledge | {"source": "Ordinance 2024-17"})
    assert made.status_code == 303 and "Ordinance 2024-17" in client.get(made.headers["location"]).text

    assigned = _post(
        client,
        f"/workspaces/{slug}/commitments/{site.public}/actors",
        {"version": "1", "actor_ids": [str(site.police)], "lead_actor_id": str(site.police)},
    )
    assert assigned.status_code == 303
    page = _text(client.get(f"/workspaces/{slug}/commitments/{site.public}"))
    assert "Gotham Police Department (lead)" in page


def test_measure_progress_and_assessment_forms(site: Site) -> None:
    client = site.client("analyst")
    base = f"/workspaces/{site.city.slug}/commitments/{site.public}"
    bad_date = _post(client, f"{base}/measures", {"title": "Draft the standard", "due_on": "soon"})
    assert bad_date.status_code == 400 and "Due on: Enter a date as YYYY-MM-DD" in _summary(bad_date)
    assert 'value="Draft the standard"' in bad_date.text
    made = _post(
        client,
        f"{base}/measures",
        {"title": "Draft the standard", "due_on": "2030-01-31", "responsible_user": "ngo"},
    )
    assert made.status_code == 303
    page = client.get(base).text
    measure_id = re.search(r'name="measure_id" value="(\d+)"', page)
    assert measure_id and "Draft the standard" in page
    edited = {
        "measure_id": measure_id.group(1),
        "version": "1",
        "title": "Draft the standard",
        "due_on": "2030-01-31",
    }
    done = _post(client, f"{base}/measure-edit", edited | {"status": "done"})
    assert done.status_code == 303 and done.headers["location"].endswith("#measures")
    assert "done" in _text_of(client.get(base).text, "measures")
    wrong = _post(client, f"{base}/measure-edit", edited | {"version": "2", "status": "nope"})
    assert wrong.status_code == 400 and "Status: Choose one of the options." in _summary(wrong)

    files = [
        ("files", ("minutes.pdf", PDF, "application/pdf")),
        ("files", ("notes.txt", b"Notes", "text/plain")),
    ]
    reported = _post(
        client, f"{base}/progress", {"reported_on": "2026-03-01", "text": "Hearing held."}, files=files
    )
    assert reported.status_code == 303
    page = client.get(base).text
    assert "Hearing held." in page and "minutes.pdf" in page and "notes.txt" in page
    fake = [("files", ("policy.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"))]
    refused = _post(
        client, f"{base}/progress", {"reported_on": "2026-03-02", "text": "Renamed file."}, files=fake
    )
    assert refused.status_code == 400
    problems = _summary(refused)  # once, by the label of the file field, the file named
    assert problems.count("policy.pdf is not a kind of file accepted as evidence") == 1
    assert problems.startswith(
        "There is a problem with this form: Evidence files (PDF, images, office documents, text)"
    )
    assert "Renamed file.</textarea>" in refused.text and "Renamed file.</p>" not in refused.text
    no_text = _post(client, f"{base}/progress", {"reported_on": "2026-03-02", "text": ""}, files=files[:1])
    assert no_text.status_code == 400 and "What was done: This is required." in _summary(no_text)
    assert "Choose the files again (minutes.pdf)" in _summary(no_text)  # a chosen file is asked for again

    ngo = site.client("ngo")
    assessment = {
        "assessor_type": "civil_society",
        "status": "not_implemented",
        "assessed_on": "2026-04-15",
        "source": "Shadow report",
    }
    nameless = _post(ngo, f"{base}/assessments", assessment)
    assert nameless.status_code == 400 and "Assessor: This is required." in _summary(nameless)
    saved = _post(ngo, f"{base}/assessments", assessment | {"assessor": "Gotham Justice Coalition"})
    assert saved.status_code == 303
    assert "Gotham Justice Coalition" in _text_of(client.get(base).text, "standing")


def test_roles_and_csrf_are_enforced(site: Site) -> None:
    slug = site.city.slug
    ngo = site.client("ngo")  # a contributor reports but does not edit the structure
    refused = _post(ngo, f"/workspaces/{slug}/actors", {"name": "Mayor's office", "kind": "city_agency"})
    assert refused.status_code == 403
    outsider = site.client("outsider")
    report = {"reported_on": "2026-03-01", "text": "Not my workspace."}
    assert (
        _post(outsider, f"/workspaces/{slug}/commitments/{site.public}/progress", report).status_code == 403
    )
    # A private commitment stays "not found" for a non-member, even on a refused form.
    hidden = _post(outsider, f"/workspaces/{slug}/commitments/{site.private}/progress", report)
    assert hidden.status_code == 404 and PRIVATE_TITLE not in hidden.text
    analyst = site.client("analyst")
    forged = analyst.post(
        f"/workspaces/{slug}/actors", data={"csrf_token": "x", "name": "Forged", "kind": "city"}
    )
    assert forged.status_code == 403
    anonymous = site.client()
    assert anonymous.post(f"/workspaces/{slug}/actors", data={"name": "X", "kind": "city"}).status_code == 403


def test_tracking_a_recommendation_from_its_page(site: Site) -> None:
    analyst = site.client("analyst")
    rid = site.city.recommendation("Ratify the Convention on the Rights of the Child.")
    page = analyst.get(f"/recommendations/{rid}").text
    assert "Track in workspace" in page and '<option value="gotham-hrc">' in page
    assert '<option value="state-ngo">' not in page  # not a member there
    assert "Track in workspace" not in site.client("ngo").get(f"/recommendations/{rid}").text
    tracked = _post(analyst, f"/recommendations/{rid}/track", {"workspace": "gotham-hrc"})
    assert tracked.status_code == 303
    commitment = analyst.get(tracked.headers["location"])
    assert "Ratify the Convention on the Rights of the Child." in commitment.text
    assert _post(analyst, f"/recommendations/{rid}/track", {"workspace": "state-ngo"}).status_code == 403


@pytest.mark.parametrize("who", ["outsider", "admin", None])
def test_no_page_form_changes_another_workspace(site: Site, who: str | None) -> None:
    """Every tracking form, posted by a non-member with plausible data, is refused and writes nothing."""
    from sqlalchemy import func, select

    from rightstrack.followup.schema import fu_revisions
    from tests.test_authorization import _walk

    client = site.client(who) if who else site.client()
    slug, rec = site.city.slug, site.city.recommendation(USE_OF_FORCE_2)
    served = _walk(client.app.routes, "")  # type: ignore[attr-defined]
    forms = {path for method, path in served if method == "POST" and path.startswith("/workspaces/{slug}/")}
    forms |= {"/recommendations/{recommendation_id}/track", "/workspaces/new"}
    if who == "admin":  # an instance admin manages every workspace's members, by design (access.py)
        forms = {f for f in forms if "/members" not in f and "/invitations" not in f}
    forms.discard("/workspaces/new")  # not inside a workspace: tests/followup/test_creation.py
    assert len(forms) >= 7
    data = {
        "name": "Intruder",
        "kind": "city",
        "recommendation_id": str(rec),
        "workspace": slug,
        "version": "1",
        "title": "Intrude",
        "due_on": "2026-09-01",
        "measure_id": str(site.measure),
        "status": "done",
        "reported_on": "2026-02-02",
        "text": "Nothing happened.",
        "assessor_type": "civil_society",
        "assessor": "Someone",
        "assessed_on": "2026-02-02",
        "source": "A source",
        "form": "take_on",
        "indicator_id": "1",
        "frequency": "monthly",
        "starts_on": "2026-01-01",
        "value": "12",
    }
    with site.city.db.read() as conn:
        before = conn.scalar(select(func.count()).select_from(fu_revisions))
    for form in sorted(forms):
        path = form.format(
            slug=slug,
            commitment_id=site.private,
            recommendation_id=rec,
            entity="measure",
            record_id=site.measure,
            actor_id=site.police,
            username="ngo",
            invitation_id=1,
        )
        answer = _post(client, path, data)
        assert answer.status_code in (403, 404) or (who is None and answer.status_code == 303), (form, answer)
        if answer.status_code == 303:
            assert answer.headers["location"].startswith("/login")
    with site.city.db.read() as conn:
        assert conn.scalar(select(func.count()).select_from(fu_revisions)) == before


def test_csv_import_from_the_workspace_page(site: Site) -> None:
    client = site.client("analyst")
    slug, rec = site.city.slug, site.city.recommendation(USE_OF_FORCE_2)
    good = f"recommendation_id,title,due_on\n{rec},Audit every stop,2026-07-01\n".encode()
    done = _post(client, f"/workspaces/{slug}/import", {"kind": "measures"}, files={"file": ("m.csv", good)})
    assert done.status_code == 303, done.text
    page = _text(client.get(f"/workspaces/{slug}/commitments/{site.private}"))
    assert "Audit every stop" in page
    bad = f"recommendation_id,title,due_on\n{rec},Hire a monitor,2026-07-01\n{rec},Publish,someday\n".encode()
    refused = _post(
        client, f"/workspaces/{slug}/import", {"kind": "measures"}, files={"file": ("m.csv", bad)}
    )
    assert refused.status_code == 422  # ImportFailed: the file, not the request, is wrong
    assert "line 3" in _text(refused) and "due_on" in _text(refused)
    assert "Hire a monitor" not in _text(client.get(f"/workspaces/{slug}/commitments/{site.private}"))
    board = client.get(f"/workspaces/{slug}").text
    assert f'href="/workspaces/{slug}/export/measures.csv"' in board
    assert "Audit every stop" in client.get(f"/workspaces/{slug}/export/measures.csv").text


def _ids(html: str, pattern: str) -> list[int]:
    return [int(i) for i in re.findall(pattern, html)]


def test_indicator_form_values_and_overdue(site: Site) -> None:
    from rightstrack.followup.status import add_months

    analyst, ngo = site.client("analyst"), site.client("ngo")
    base = f"/workspaces/{site.city.slug}/commitments/{site.private}"
    started = date.today() - timedelta(days=100)
    indicator = {"name": "Complaints against police", "unit": "cases", "baseline": "40", "target": "10"}
    undated = _post(analyst, f"{base}/indicators", indicator | {"frequency": "monthly"})
    assert undated.status_code == 400 and "Starts on: This is required." in _summary(undated)
    assert 'value="Complaints against police"' in undated.text  # the values are kept
    assert _post(ngo, f"{base}/indicators", indicator).status_code == 403  # contributors report only
    made = _post(
        analyst,
        f"{base}/indicators",
        indicator | {"frequency": "monthly", "starts_on": started.isoformat(), "responsible_user": "ngo"},
    )
    assert made.status_code == 303
    page = ngo.get(base).text
    row = _text_of(page, "indicators")
    assert "Complaints against police (cases)" in row and "ngo" in row
    assert add_months(started, 1).isoformat() in row and "overdue" in row  # the first report is late
    assert "Add an indicator" not in page  # a contributor does not add indicators
    (indicator_id,) = _ids(page, r'name="indicator_id" value="(\d+)"')

    empty = _post(ngo, f"{base}/indicator-values", {"indicator_id": indicator_id, "reported_on": "x"})
    assert empty.status_code == 400 and "Value: This is required." in _summary(empty)
    assert "Reported on: Enter a date as YYYY-MM-DD" in _summary(empty)
    today = date.today().isoformat()
    reported = _post(
        ngo,
        f"{base}/indicator-values",
        {"indicator_id": indicator_id, "reported_on": today, "value": "31", "note": "First quarter"},
    )
    assert reported.status_code == 303 and reported.headers["location"].endswith("#indicators")
    row = _text_of(ngo.get(base).text, "indicators")
    assert f"{today} : 31" in row and "First quarter" in row
    assert add_months(date.today(), 1).isoformat() in row and "overdue" not in row
    french = _text_of(analyst.get(base, params={"lang": "fr"}).text, "indicators")
    assert "Prochain rapport attendu" in french
    elsewhere = f"/workspaces/{site.city.slug}/commitments/{site.public}/indicator-values"
    value = {"indicator_id": indicator_id, "reported_on": today, "value": "99"}
    tampered = _post(ngo, elsewhere, value)  # this indicator, posted through another commitment's page
    assert tampered.status_code == 400 and "not one of this commitment" in tampered.text
    assert "99" not in _text_of(ngo.get(base).text, "indicators")


def test_delete_goes_to_the_bin_and_restore_brings_it_back(site: Site) -> None:
    client = site.client("analyst")
    slug = site.city.slug
    measure = "Publish the use-of-force policy"
    page = client.get(f"/workspaces/{slug}/commitments/{site.private}")
    action = f"/workspaces/{slug}/records/measure/{site.measure}/delete"
    assert f'action="{action}"' in page.text and "can be restored for 30 days" in _text(page)
    deleted = _post(client, action, {})
    assert deleted.status_code == 303
    assert deleted.headers["location"] == f"/workspaces/{slug}/commitments/{site.private}#measures"
    assert measure not in client.get(deleted.headers["location"]).text
    assert f'href="/workspaces/{slug}/bin"' in client.get(f"/workspaces/{slug}").text
    binned = client.get(f"/workspaces/{slug}/bin")
    assert binned.status_code == 200
    listed = _text_of(binned.text, "bin")
    assert measure in listed and "measure" in listed and "analyst" in listed and " 30 " in listed
    restore = f"/workspaces/{slug}/bin/measure/{site.measure}/restore"
    assert f'action="{restore}"' in binned.text
    restored = _post(client, restore, {})
    assert restored.status_code == 303
    assert measure in client.get(restored.headers["location"]).text
    assert "The bin is empty." in client.get(f"/workspaces/{slug}/bin").text
    assert _post(client, restore, {}).status_code == 409  # not deleted any more

    # The commitment itself, and an actor: gone from the workspace's page, back after a restore.
    commitment = f"/workspaces/{slug}/records/commitment/{site.private}/delete"
    assert _post(client, commitment, {}).headers["location"] == f"/workspaces/{slug}#commitments"
    assert PRIVATE_TITLE not in client.get(f"/workspaces/{slug}").text
    assert client.get(f"/workspaces/{slug}/commitments/{site.private}").status_code == 404
    actor_page = client.get(f"/workspaces/{slug}/actors/{site.police}").text
    assert f'action="/workspaces/{slug}/records/actor/{site.police}/delete"' in actor_page
    assert _post(client, f"/workspaces/{slug}/records/actor/{site.police}/delete", {}).status_code == 303
    assert "Gotham Police Department" not in _text_of(client.get(f"/workspaces/{slug}").text, "commitments")
    listed = _text_of(client.get(f"/workspaces/{slug}/bin").text, "bin")
    assert PRIVATE_TITLE in listed and "Gotham Police Department" in listed
    back = _post(client, f"/workspaces/{slug}/bin/commitment/{site.private}/restore", {})
    assert back.headers["location"] == f"/workspaces/{slug}/commitments/{site.private}"
    assert PRIVATE_TITLE in client.get(back.headers["location"]).text
    _post(client, f"/workspaces/{slug}/bin/actor/{site.police}/restore", {})
    assert client.get(f"/workspaces/{slug}/actors/{site.police}").status_code == 200


def test_a_contributor_deletes_reports_but_not_the_structure(site: Site) -> None:
    slug = site.city.slug
    ngo, analyst = site.client("ngo"), site.client("analyst")
    base = f"/workspaces/{slug}/commitments/{site.private}"
    page = ngo.get(base).text
    assert "/records/measure/" not in page and "/records/commitment/" not in page
    refused = _post(ngo, f"/workspaces/{slug}/records/measure/{site.measure}/delete", {})
    assert refused.status_code == 403
    assert "Publish the use-of-force policy" in ngo.get(base).text

    made = _post(ngo, f"{base}/progress", {"reported_on": "2026-05-01", "text": "Coalition hearing held."})
    assert made.status_code == 303
    page = ngo.get(base).text
    mine = max(_ids(page, r"/records/progress/(\d+)/delete"))
    assert _post(ngo, f"/workspaces/{slug}/records/progress/{mine}/delete", {}).status_code == 303
    assert "Coalition hearing held." not in ngo.get(base).text
    assessment = max(_ids(page, r"/records/assessment/(\d+)/delete"))
    assert _post(ngo, f"/workspaces/{slug}/records/assessment/{assessment}/delete", {}).status_code == 303

    # In the bin, a contributor restores reports, not what an editor deleted from the structure.
    _post(analyst, f"/workspaces/{slug}/records/measure/{site.measure}/delete", {})
    binned = ngo.get(f"/workspaces/{slug}/bin").text
    assert f"/bin/progress/{mine}/restore" in binned and f"/bin/measure/{site.measure}/restore" not in binned
    assert _post(ngo, f"/workspaces/{slug}/bin/measure/{site.measure}/restore", {}).status_code == 403
    assert _post(ngo, f"/workspaces/{slug}/bin/progress/{mine}/restore", {}).status_code == 303
    assert "Coalition hearing held." in ngo.get(base).text


@pytest.mark.parametrize("who", ["outsider", "admin", None])
def test_the_bin_is_for_members_only(site: Site, who: str | None) -> None:
    slug = site.city.slug
    _post(site.client("analyst"), f"/workspaces/{slug}/records/measure/{site.measure}/delete", {})
    client = site.client(who)
    answer = client.get(f"/workspaces/{slug}/bin", follow_redirects=False)
    if who is None:  # an anonymous visitor is asked to log in
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
    else:
        assert answer.status_code in (403, 404) and "Publish the use-of-force policy" not in answer.text
    assert f'href="/workspaces/{slug}/bin"' not in client.get(f"/workspaces/{slug}").text
    restore = _post(client, f"/workspaces/{slug}/bin/measure/{site.measure}/restore", {})
    assert restore.status_code in (403, 404)
    assert site.client("analyst").get("/workspaces/nowhere/bin").status_code == 404
