"""Issue 19 on the tracking pages: every record can be edited (history keeps before and after), a
commitment is published and unpublished, Track asks for an actor and a visibility, recommendations
are taken on through the picker, the dashboard says which view it counts, and a refused form says
what is wrong in the reader's language."""

from __future__ import annotations

import re

from tests.followup.conftest import Site
from tests.followup.scenario import USE_OF_FORCE_1, USE_OF_FORCE_2
from tests.followup.test_pages import _post, _summary, _text, _text_of


def _version(html: str, action: str, record: str = "") -> str:
    """The version an edit form carries (per-row forms: the one for ``record``)."""
    form = html[html.index(f'action="{action}"') :]
    form = form[: form.index("</form>")]
    if record:
        assert record in form
    found = re.search(r'name="version" value="(\d+)"', form)
    assert found, action
    return found.group(1)


def test_actor_and_commitment_edits_keep_their_history(site: Site) -> None:
    client, slug = site.client("analyst"), site.city.slug
    actor = f"/workspaces/{slug}/actors/{site.police}"
    edit = {
        "version": _version(client.get(actor).text, f"{actor}/edit"),
        "kind": "city_agency",
        "parent_id": "",
    }
    refused = _post(client, f"{actor}/edit", edit | {"name": ""})
    assert refused.status_code == 400 and "Name: This is required." in _summary(refused)
    assert _post(client, f"{actor}/edit", edit | {"name": "Gotham Police"}).status_code == 303
    page = client.get(actor).text
    assert "<h1>Gotham Police</h1>" in page and "Changes to this actor" in page
    assert "<del>Gotham Police Department</del> → <ins>Gotham Police</ins>" in page  # before and after
    assert "parent_id: <del>1</del>" in page  # it left its parent: the top level now

    base = f"/workspaces/{slug}/commitments/{site.private}"
    version = _version(client.get(base).text, f"{base}/edit")
    assert _post(client, f"{base}/edit", {"version": version, "title": "Use of force"}).status_code == 303
    stale = _post(client, f"{base}/edit", {"version": version, "title": "Use of force, again"})
    assert (
        stale.status_code == 409
        and "Someone else changed this commitment since you opened it" in _summary(stale)
    )
    assert "<del>Police use of force (private draft)</del> → <ins>Use of force</ins>" in client.get(base).text

    pledged = _post(
        client,
        f"/workspaces/{slug}/commitments",
        {
            "title": "CEDAW ordinance",
            "pledge": "Implement CEDAW",
            "source": "Ordinance 17",
            "visibility": "private",
        },
    )
    pledge = pledged.headers["location"]
    data = {"version": "1", "title": "CEDAW ordinance", "pledge": "Implement CEDAW locally", "source": ""}
    blank = _post(client, f"{pledge}/edit", data)
    assert (
        blank.status_code == 400
        and "Source (ordinance, resolution, statement): This is required." in _summary(blank)
    )
    assert _post(client, f"{pledge}/edit", data | {"source": "Ordinance 2024-17"}).status_code == 303
    assert "Implement CEDAW locally" in client.get(pledge).text


def test_publish_and_unpublish_with_a_confirmation(site: Site) -> None:
    client, slug = site.client("analyst"), site.city.slug
    base = f"/workspaces/{slug}/commitments/{site.private}"
    page = client.get(base).text
    assert "Make this commitment public? Everyone will see it" in page.replace("&#39;", "'")
    assert site.client().get(base).status_code == 404
    version = _version(page, f"{base}/visibility")
    assert (
        _post(client, f"{base}/visibility", {"version": version, "visibility": "public"}).status_code == 303
    )
    assert site.client().get(base).status_code == 200  # anonymous visitors see it now…
    state = site.client().get("/states/USA").text  # …and so does the state's profile
    assert "Police use of force (private draft)" in _text_of(state, "published-commitments")
    assert "Make this commitment private again?" in client.get(base).text
    assert (
        _post(site.client("ngo"), f"{base}/visibility", {"version": "2", "visibility": "private"}).status_code
        == 403
    )
    assert _post(client, f"{base}/visibility", {"version": "2", "visibility": "private"}).status_code == 303
    assert site.client().get(base).status_code == 404


def test_measures_indicators_reports_and_assessments_are_edited_in_place(site: Site) -> None:
    analyst, ngo, slug = site.client("analyst"), site.client("ngo"), site.city.slug
    base = f"/workspaces/{slug}/commitments/{site.private}"
    measure = {
        "measure_id": str(site.measure),
        "version": "1",
        "title": "Publish the policy online",
        "description": "",
        "actor_id": "",
        "responsible_user": "ngo",
        "due_on": "2031-01-31",
        "status": "in_progress",
        "completed_on": "",
    }
    nobody = _post(analyst, f"{base}/measure-edit", measure | {"responsible_user": "nobody"})
    assert nobody.status_code == 400 and "Responsible person: Choose a member of this workspace." in _summary(
        nobody
    )
    assert _post(analyst, f"{base}/measure-edit", measure).status_code == 303
    row = _text_of(analyst.get(base).text, "measures")
    assert (
        "Publish the policy online" in row and "2031-01-31" in row and "overdue" not in row and "ngo" in row
    )

    indicator = {"name": "Complaints", "frequency": "yearly", "starts_on": "2026-01-01"}
    assert _post(analyst, f"{base}/indicators", indicator).status_code == 303
    page = analyst.get(base).text
    indicator_id = re.search(r'name="indicator_id" value="(\d+)"', page)
    assert indicator_id
    edited = indicator | {"indicator_id": indicator_id.group(1), "version": "1", "unit": "cases"}
    assert _post(ngo, f"{base}/indicator-edit", edited).status_code == 403  # contributors report, not edit
    assert _post(analyst, f"{base}/indicator-edit", edited | {"name": "Complaints filed"}).status_code == 303
    assert "Complaints filed (cases)" in _text_of(analyst.get(base).text, "indicators")

    page = ngo.get(base).text  # contributors correct reports and assessments
    report = re.search(r'name="progress_id" value="(\d+)"', page)
    assessment = re.search(r'name="assessment_id" value="(\d+)"', page)
    assert report and assessment
    fixed = {
        "progress_id": report.group(1),
        "version": "1",
        "reported_on": "2026-02-02",
        "visibility": "private",
    }
    short = _post(ngo, f"{base}/progress-edit", fixed | {"text": "x", "measure_id": ""})
    assert short.status_code == 400 and "What was done: Too short: write at least 3 characters." in _summary(
        short
    )
    assert (
        _post(
            ngo, f"{base}/progress-edit", fixed | {"text": "Draft published online.", "measure_id": ""}
        ).status_code
        == 303
    )
    assessed = {
        "assessment_id": assessment.group(1),
        "version": "1",
        "status": "partially",
        "assessed_on": "2026-04-01",
    }
    answer = _post(
        ngo,
        f"{base}/assessment-edit",
        assessed | {"source": "Report, corrected", "note": "", "visibility": "public"},
    )
    assert answer.status_code == 303
    page = _text(ngo.get(base))
    assert "Draft published online." in page and "Report, corrected" in page


def test_track_asks_for_the_lead_actor_and_the_visibility(site: Site) -> None:
    analyst = site.client("analyst")
    rid = site.city.recommendation("Ratify the Convention on the Rights of the Child.")
    page = analyst.get(f"/recommendations/{rid}").text
    assert "Gotham Human Rights Commission: – Gotham Police Department" in page  # the actors, by workspace
    other = _post(
        site.client("outsider"), "/workspaces/state-ngo/actors", {"name": "Statewide", "kind": "other"}
    )
    elsewhere = other.headers["location"].rsplit("/", 1)[1]
    track = {"workspace": "gotham-hrc", "visibility": "public"}
    refused = _post(analyst, f"/recommendations/{rid}/track", track | {"lead_actor_id": elsewhere})
    assert refused.status_code == 404 and "There is no actor" in _summary(refused)  # on its own page
    assert "Track this recommendation" in refused.text
    tracked = _post(analyst, f"/recommendations/{rid}/track", track | {"lead_actor_id": str(site.police)})
    commitment = analyst.get(tracked.headers["location"]).text
    assert (
        "Gotham Police Department</a> <strong>(lead)" in commitment
        and "<strong>public</strong>" in commitment
    )


def test_the_picker_takes_several_recommendations_on(site: Site) -> None:
    analyst, slug = site.client("analyst"), site.city.slug
    assert site.client("ngo").get(f"/workspaces/{slug}/take-on").status_code == 403
    page = analyst.get(f"/workspaces/{slug}/take-on", params={"q": "force"}).text
    assert "3 recommendations found" in page
    assert f'href="/workspaces/{slug}/commitments/{site.private}" class="chip">already tracked' in page
    none = _post(
        analyst, f"/workspaces/{slug}/take-on", {"q": "force", "state": "USA", "visibility": "private"}
    )
    assert none.status_code == 400 and "Choose at least one recommendation." in _summary(none)
    assert 'value="force"' in none.text  # the search is kept
    ids = [
        str(site.city.recommendation(t))
        for t in (USE_OF_FORCE_1, "Ratify the Convention on the Rights of the Child.")
    ]
    taken = _post(
        analyst,
        f"/workspaces/{slug}/take-on",
        {"recommendation_ids": ids, "visibility": "public", "lead_actor_id": ""},
    )
    assert taken.status_code == 303 and taken.headers["location"] == f"/workspaces/{slug}#commitments"
    board = _text_of(analyst.get(f"/workspaces/{slug}").text, "commitments")
    assert "end the excessive use of force" in board and "Rights of the Child" in board
    again = _post(
        analyst,
        f"/workspaces/{slug}/take-on",
        {
            "recommendation_ids": [ids[0], str(site.city.recommendation(USE_OF_FORCE_2))],
            "visibility": "private",
        },
    )
    assert again.status_code == 409  # tracked already: nothing is taken on twice
    assert "Recommendation" in _summary(again) and "is already commitment" in _summary(again)


def test_the_dashboard_counts_each_view_apart(site: Site) -> None:
    board = site.client("analyst").get(f"/workspaces/{site.city.slug}").text
    views = _text_of(board, "status-views")
    assert "By the government's claim" in views.replace("&#39;", "'") and "By the independent view" in views
    assert "Fully implemented 1 0" in views and "Not implemented 0 1" in views and "Not assessed 1 1" in views


def test_a_refused_form_speaks_the_readers_language(site: Site) -> None:
    client = site.client("analyst")
    base = f"/workspaces/{site.city.slug}/commitments/{site.public}"
    spanish = client.post(
        f"{base}/measures",
        params={"lang": "es"},
        data={"csrf_token": client.csrf, "title": "Norma", "due_on": ""},
    )
    assert spanish.status_code == 400
    assert _summary(spanish) == "Hay un problema en este formulario: Vence el: Este campo es obligatorio."
    assert '<html lang="es">' in spanish.text
