"""Briefs through the API (/api/v1/briefs, in the OpenAPI spec) and the pages (/briefs): drafting,
the downloads, saving from the editor form with a reworded, a dropped, a moved and an added point,
publishing, and the same answers as the library for who may see what."""

from __future__ import annotations

import html
import io
import re
from typing import Any

import docx
from fastapi.testclient import TestClient
from pypdf import PdfReader

from rightstrack.settings import load_settings
from rightstrack.web.app import create_app
from tests.brief.world import PASSWORD, WOMEN, World

DRAFT = {"state": "CHL", "theme": WOMEN, "compare": "USA,CHN"}


def client(world: World, user: str | None = None) -> tuple[TestClient, dict[str, str]]:
    app = TestClient(create_app(world.db, load_settings({"public_read": "true"}, environ={})))
    if user is None:
        return app, {}
    token = app.post("/api/v1/login", json={"username": user, "password": PASSWORD}).json()["csrf_token"]
    return app, {"X-CSRF-Token": token}


def test_drafts_and_downloads_through_the_api(world: World) -> None:
    api, _ = client(world)
    drafted = api.get("/api/v1/briefs/draft", params=DRAFT)
    assert drafted.status_code == 200
    points = drafted.json()["points"]
    assert {p["section"] for p in points} == {"issue", "talking_points", "recommendations"}
    assert all(p["citations"] for p in points)
    markdown = api.get("/api/v1/briefs/draft.md", params={**DRAFT, "lang": "es"})
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert "## Problema" in markdown.text and "## Fuentes" in markdown.text and "[^1]:" in markdown.text
    word = docx.Document(io.BytesIO(api.get("/api/v1/briefs/draft.docx", params=DRAFT).content))
    assert [p.text for p in word.paragraphs if p.style.name == "Heading 1"] == [
        "Issue",
        "Talking points",
        "Recommendations",
        "Sources",
    ]
    pdf = PdfReader(io.BytesIO(api.get("/api/v1/briefs/draft.pdf", params=DRAFT).content))
    assert "Talking points" in "".join(page.extract_text() for page in pdf.pages)
    assert api.get("/api/v1/briefs/draft.odt", params=DRAFT).json()["error"] == "invalid_input"
    assert api.get("/api/v1/briefs/draft", params={"state": "CHL", "lang": "de"}).status_code == 400
    spec = api.get("/openapi.json").json()["paths"]
    assert {"/api/v1/briefs", "/api/v1/briefs/draft", "/api/v1/briefs/{brief_id}"} <= set(spec)


def test_saving_editing_publishing_through_the_api(world: World) -> None:
    api, headers = client(world, "contributor")
    brief = api.get("/api/v1/briefs/draft", params=DRAFT).json()
    body = {"workspace": world.slug, "title": "Chile", "request": brief["request"], "points": brief["points"]}
    assert api.post("/api/v1/briefs", json=body).status_code == 403  # no CSRF token
    created = api.post("/api/v1/briefs", json=body, headers=headers)
    assert created.status_code == 201
    brief_id = created.json()["id"]
    forged = {**body, "points": [{**brief["points"][0], "citations": []}]}
    refused = api.post("/api/v1/briefs", json=forged, headers=headers)
    assert refused.status_code == 400 and refused.json()["problems"][0]["field"] == "points.0.citations"
    untitled = api.patch(f"/api/v1/briefs/{brief_id}", json={"version": 1, "title": None}, headers=headers)
    assert untitled.json()["version"] == 1  # nothing changed, nothing saved
    patched = api.patch(
        f"/api/v1/briefs/{brief_id}", json={"version": 1, "title": "Chile, 2009-2019"}, headers=headers
    )
    assert patched.json()["version"] == 2
    stale = api.patch(f"/api/v1/briefs/{brief_id}", json={"version": 1, "title": "Old"}, headers=headers)
    assert stale.status_code == 409
    assert [v["by"] for v in api.get(f"/api/v1/briefs/{brief_id}/versions").json()] == ["contributor"] * 2
    anonymous, _ = client(world)
    assert anonymous.get(f"/api/v1/briefs/{brief_id}").status_code == 404
    assert anonymous.get(f"/api/v1/briefs/{brief_id}/export.md").status_code == 404
    editor, editor_headers = client(world, "editor")
    published = {"version": 2, "visibility": "public"}
    assert (
        editor.patch(f"/api/v1/briefs/{brief_id}", json=published, headers=editor_headers).status_code == 200
    )
    assert "Chile, 2009-2019" in anonymous.get(f"/api/v1/briefs/{brief_id}/export.md").text
    assert [b["id"] for b in anonymous.get("/api/v1/briefs").json()] == [brief_id]
    assert api.delete(f"/api/v1/briefs/{brief_id}", headers=headers).status_code == 204
    assert anonymous.get(f"/api/v1/briefs/{brief_id}").status_code == 404


def _form(page: str, csrf: str) -> dict[str, Any]:
    """The editor form as the page sends it, field by field."""
    values: dict[str, Any] = {"csrf_token": csrf}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page):
        values[name] = html.unescape(value)
    for name, value in re.findall(r'<textarea id="[^"]+" name="([^"]+)" rows="\d">([^<]*)</textarea>', page):
        values[name] = html.unescape(value)
    for name, value in re.findall(r'<input type="number" name="([^"]+)" value="(\d+)"', page):
        values[name] = value
    return values


def test_the_pages_draft_edit_save_and_publish(world: World) -> None:
    pages, headers = client(world, "contributor")
    csrf = headers["X-CSRF-Token"]
    draft = pages.get("/briefs/new", params=DRAFT)
    assert draft.status_code == 200 and "Save the brief" in draft.text
    form = _form(draft.text, csrf) | {"workspace": world.slug, "title": "Chile: women's rights"}
    original = form["p0-text"]
    form["p0-text"] = "Chile was asked about women's rights in every cycle."
    form["p1-drop"] = "1"
    form["p2-text"] = ""  # emptied: dropped as well
    form["p3-order"] = "1"  # the third point of the Issue moves up to the first place
    form["new-recommendations"] = "Meet the coalition before the next review."
    saved = pages.post("/briefs", data=form, follow_redirects=False)
    assert saved.status_code == 303
    page = html.unescape(pages.get(saved.headers["location"]).text)
    document = page[page.index("<article") : page.index("</article>")]  # the editor keeps the original
    issue = document[document.index('id="section-issue"') : document.index('id="section-talking_points"')]
    assert issue.index("was asked about women's rights") > issue.index("UPR cycle 1 (2009)")
    assert (
        original not in document
        and "By regional group" not in document
        and 'Meet the coalition before the next review. <em class="hand">(hand-written)</em>' in page
    )
    assert "Private draft" in page and 'name="published"' not in page  # contributors do not publish
    brief_id = int(saved.headers["location"].rsplit("/", 1)[1])
    assert client(world)[0].get(f"/briefs/{brief_id}").status_code == 404

    editor, editor_headers = client(world, "editor")
    mine = editor.get(f"/briefs/{brief_id}").text
    form = _form(mine, editor_headers["X-CSRF-Token"]) | {"title": "Chile: women's rights", "published": "1"}
    assert editor.post(f"/briefs/{brief_id}", data=form, follow_redirects=False).status_code == 303
    public = client(world)[0].get(f"/briefs/{brief_id}")
    assert public.status_code == 200 and "Published" in public.text and "Edit this brief" not in public.text
    assert "Versions" not in public.text  # who saved what stays with the members

    refused = pages.post("/briefs", data=_form(draft.text, csrf) | {"workspace": world.slug, "title": ""})
    assert refused.status_code == 400 and 'role="alert"' in refused.text and "Save the brief" in refused.text
    unknown = pages.get("/briefs/new", params={"state": "CHL", "theme": "Womens rights"})
    assert unknown.status_code == 400 and "did you mean" in html.unescape(unknown.text)
    assert 'id="state"' in unknown.text  # the form again, not an error page
    damaged = _form(mine, editor_headers["X-CSRF-Token"]) | {"version": "latest"}
    assert editor.post(f"/briefs/{brief_id}", data=damaged).status_code == 400
