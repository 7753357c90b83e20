"""Stored "recommended again" links: the model's, people's, chains, the page, the API, imports."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from rightstrack.auth.audit import recent
from rightstrack.classify.corpus import read_corpus
from rightstrack.cli import app as cli_app
from rightstrack.errors import Conflict, InvalidInput, NotFound
from rightstrack.followup.cycles import add_manual_link, link_cycles, links_of, remove_link
from rightstrack.followup.schema import recommendation_links
from rightstrack.importing import import_file
from rightstrack.settings import load_settings
from rightstrack.store.database import Database
from rightstrack.web.app import create_app
from tests.conftest import Row, csv_bytes

PASSWORD = "a long enough password"
OPCAT = "Ratify the Optional Protocol to the Convention against Torture"
TORTURE = "Torture and other CID treatment"
# Sessions 1-12 are the first UPR cycle, 13-26 the second, 27-40 the third.
FIRST: tuple[Row, ...] = (
    ("Brazil", "Denmark", f"{OPCAT}.", "Accepted", "5", TORTURE, 1),
    ("Brazil", "Ghana", "Abolish child labour on farms in rural areas.", "Accepted", "5", "", 1),
)
SECOND: tuple[Row, ...] = (
    ("Brazil", "Spain", f"{OPCAT} promptly.", "Noted", "5", TORTURE, 13),
    ("Brazil", "Japan", "Build new schools for girls in rural areas.", "Accepted", "4", "", 13),
    ("Chile", "Norway", f"{OPCAT}.", "Accepted", "5", TORTURE, 13),
)
THIRD: tuple[Row, ...] = (
    ("Brazil", "Peru", f"Promptly {OPCAT.lower()}.", "Accepted", "5", TORTURE, 27),
    ("Brazil", "Chad", "Guarantee the right to housing in cities.", "Accepted", "4", "", 27),
)


def _write(tmp_path: Path, name: str, rows: tuple[Row, ...]) -> Path:
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows))
    return path


def _id(db: Database, text: str, state: str = "BRA") -> int:
    return next(item.id for item in read_corpus(db, ()) if item.text == text and item.state == state)


def _links(db: Database, kind: str = "repeats") -> dict[tuple[int, int], str]:
    t = recommendation_links
    with db.read() as conn:
        rows = conn.execute(select(t.c.recommendation_id, t.c.earlier_id, t.c.method, t.c.kind)).all()
    assert {row.kind for row in rows} <= {"repeats", "rejected"}
    return {(row.recommendation_id, row.earlier_id): row.method for row in rows if row.kind == kind}


@pytest.fixture
def store(db: Database, tmp_path: Path) -> Database:
    """Three Brazilian cycles repeating the OPCAT ask, imported without linking."""
    for name, rows in (("c1.csv", FIRST), ("c2.csv", SECOND), ("c3.csv", THIRD)):
        import_file(db, _write(tmp_path, name, rows), "upr-info", link_cycles=False)
    assert _links(db) == {}
    return db


def _opcat(db: Database) -> tuple[int, int, int]:
    return _id(db, f"{OPCAT}."), _id(db, f"{OPCAT} promptly."), _id(db, f"Promptly {OPCAT.lower()}.")


def test_link_cycles_stores_each_repeated_ask_once(store: Database) -> None:
    c1, c2, c3 = _opcat(store)
    first = link_cycles(store, actor="ana")
    assert (first.considered, first.added, first.kept, first.removed) == (7, 2, 0, 0)
    assert _links(store) == {(c2, c1): "tfidf-cosine/0.4", (c3, c2): "tfidf-cosine/0.4"}
    again = link_cycles(store)
    assert (again.added, again.kept, again.removed) == (0, 2, 0)
    assert len(_links(store)) == 2
    with store.read() as conn:
        events = recent(conn, entity="recommendation_links")
    assert len(events) == 1 and events[0]["actor"] == "ana" and events[0]["after"]["added"] == 2


def test_model_links_below_the_threshold_are_removed(store: Database) -> None:
    loose = link_cycles(store, threshold=0.05)
    schools = _id(store, "Build new schools for girls in rural areas.")
    assert loose.added == 4 and (  # schools and housing share a few words with earlier asks
        schools,
        _id(store, "Abolish child labour on farms in rural areas."),
    ) in _links(store)
    strict = link_cycles(store)
    assert (strict.added, strict.kept, strict.removed) == (0, 2, 2)
    assert all(later != schools for later, _ in _links(store))
    assert set(_links(store).values()) == {"tfidf-cosine/0.4"}  # kept links carry the run's method
    with pytest.raises(InvalidInput):
        link_cycles(store, threshold=0)


def test_manual_links_survive_model_runs(store: Database) -> None:
    c1, c2, _c3 = _opcat(store)
    housing = _id(store, "Guarantee the right to housing in cities.")
    labour = _id(store, "Abolish child labour on farms in rural areas.")
    link_cycles(store)
    add_manual_link(store, housing, labour, "ana")  # two cycles apart is allowed
    add_manual_link(store, c2, c1, "ana")  # confirms the model's link: it becomes manual
    assert _links(store)[(c2, c1)] == "manual" and _links(store)[(housing, labour)] == "manual"
    summary = link_cycles(store, threshold=0.99)  # the model would now keep nothing
    assert summary.manual == 2 and summary.removed == 1
    assert _links(store) == {(c2, c1): "manual", (housing, labour): "manual"}
    remove_link(store, housing, labour, "ana")
    assert (housing, labour) not in _links(store)
    with store.read() as conn:
        actions = [e["action"] for e in recent(conn, entity="recommendation_link")]
    assert actions == ["link-remove", "link-add", "link-add"]


def test_manual_link_checks(store: Database) -> None:
    c1, c2, c3 = _opcat(store)
    chile = _id(store, f"{OPCAT}.", "CHL")
    with pytest.raises(InvalidInput, match="same state"):
        add_manual_link(store, chile, c1, "ana")
    with pytest.raises(InvalidInput, match="not in a cycle before"):
        add_manual_link(store, c1, c2, "ana")
    with pytest.raises(InvalidInput, match="not in a cycle before"):
        add_manual_link(store, c2, _id(store, "Build new schools for girls in rural areas."), "ana")
    with pytest.raises(NotFound):
        add_manual_link(store, c3, 10_000, "ana")
    add_manual_link(store, c3, c1, "ana")
    with pytest.raises(Conflict):
        add_manual_link(store, c3, c1, "ana")
    with pytest.raises(NotFound):
        remove_link(store, c1, c3, "ana")


def test_a_link_people_remove_stays_removed(store: Database) -> None:
    from rightstrack.followup.status import _direct_links

    c1, c2, c3 = _opcat(store)
    link_cycles(store)
    remove_link(store, c3, c2, "ana")  # a model link a reviewer rejects
    assert _links(store) == {(c2, c1): "tfidf-cosine/0.4"}
    assert _links(store, "rejected") == {(c3, c2): "manual"}
    again = link_cycles(store)
    assert (again.added, again.kept, again.removed, again.rejected) == (0, 1, 0, 1)
    assert (c3, c2) not in _links(store)  # the model does not bring it back
    with store.read() as conn:
        assert links_of(conn, c3).earlier == [] and [i["id"] for i in links_of(conn, c2).later] == []
        assert _direct_links(conn, [c3]) == {c3: []}  # no standing is carried over a rejected pair
    with pytest.raises(NotFound):
        remove_link(store, c3, c2, "ana")  # already gone
    add_manual_link(store, c3, c2, "ben")  # a second look: it is a repeat after all
    assert _links(store)[(c3, c2)] == "manual" and _links(store, "rejected") == {}
    with store.read() as conn:
        events = recent(conn, entity="recommendation_link")
    assert [(e["action"], e["actor"]) for e in events] == [("link-add", "ben"), ("link-remove", "ana")]
    assert events[0]["before"] == {"kind": "rejected", "method": "manual"}


def test_links_by_hand_from_the_command_line(store: Database, tmp_path: Path) -> None:
    c1, c2, _c3 = _opcat(store)
    runner, url = CliRunner(), store.url.render_as_string(hide_password=False)

    def invoke(*args: str) -> tuple[int, str]:
        result = runner.invoke(cli_app, ["--data-dir", str(tmp_path / "cli"), "--database-url", url, *args])
        return result.exit_code, result.output

    assert invoke("link-add", str(c2), str(c1)) == (0, f"Linked: recommendation {c2} repeats {c1}.\n")
    assert _links(store) == {(c2, c1): "manual"}
    code, out = invoke("link-add", str(c1), str(c2))
    assert code != 0 and "not in a cycle before" in out
    code, out = invoke("link-remove", str(c2), str(c1))
    assert code == 0 and "not a repeat" in out and _links(store) == {}
    code, out = invoke("link-remove", str(c2), str(c1))
    assert code != 0 and "is not linked to" in out
    assert "1 pairs marked not a repeat left out" in invoke("link-cycles")[1]


def _linked_with_users(store: Database) -> tuple[int, int, int]:
    """The OPCAT chain linked by the model, and a viewer and a contributor who may log in."""
    from rightstrack.auth.accounts import create_user
    from rightstrack.auth.roles import Role

    link_cycles(store)
    for role in (Role.VIEWER, Role.CONTRIBUTOR):
        create_user(store, role.value, PASSWORD, role)
    return _opcat(store)


def _log_in(client: TestClient, username: str) -> str:
    """Log ``client`` in; its CSRF token."""
    answer = client.post("/api/v1/login", json={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["csrf_token"])


def test_links_through_the_api(store: Database) -> None:
    c1, c2, c3 = _linked_with_users(store)
    client = _client(store)
    path = f"/api/v1/recommendations/{c3}/cycle-links/{c2}"
    assert client.delete(path).status_code == 401
    assert client.delete(path, headers={"X-CSRF-Token": _log_in(client, "viewer")}).status_code == 403
    headers = {"X-CSRF-Token": _log_in(client, "contributor")}
    assert client.delete(path, headers=headers).json() == {"earlier": [], "later": []}
    assert (c3, c2) not in _links(store) and link_cycles(store).added == 0
    missing = client.delete(path, headers=headers)
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    wrong = client.put(f"/api/v1/recommendations/{c1}/cycle-links/{c3}", headers=headers)
    assert wrong.status_code == 400 and "not in a cycle before" in wrong.json()["message"]
    relinked = client.put(path, headers=headers).json()
    assert [(i["id"], i["method"]) for i in relinked["earlier"]] == [(c2, "manual"), (c1, "tfidf-cosine/0.4")]
    with store.read() as conn:
        assert recent(conn, entity="recommendation_link")[0]["actor"] == "contributor"


def test_links_corrected_on_the_recommendation_page(store: Database) -> None:
    c1, c2, c3 = _linked_with_users(store)
    client = _client(store)
    assert "Not a repeat" not in client.get(f"/recommendations/{c2}").text  # anonymous readers
    viewer = _log_in(client, "viewer")
    assert "Not a repeat" not in client.get(f"/recommendations/{c2}").text
    refused = client.post(f"/recommendations/{c3}/cycle-links/{c2}/remove", data={"csrf_token": viewer})
    assert refused.status_code == 403 and (c3, c2) in _links(store)
    csrf = _log_in(client, "contributor")
    page = client.get(f"/recommendations/{c2}").text
    # Only the direct links of this page get a button: c2 -> c1 and c3 -> c2 (not c3's chain).
    assert re.findall(r'action="/recommendations/(\d+)/cycle-links/(\d+)/remove"', page) == [
        (str(c2), str(c1)),
        (str(c3), str(c2)),
    ]
    no_token = client.post(f"/recommendations/{c3}/cycle-links/{c2}/remove", data={"back": str(c2)})
    assert no_token.status_code == 403 and (c3, c2) in _links(store)
    removed = client.post(
        f"/recommendations/{c3}/cycle-links/{c2}/remove",
        data={"csrf_token": csrf, "back": str(c2)},
        follow_redirects=False,
    )
    assert (
        removed.status_code == 303
        and removed.headers["location"] == f"/recommendations/{c2}#cycle-links-title"
    )
    assert (c3, c2) not in _links(store) and _links(store, "rejected") == {(c3, c2): "manual"}
    assert f'href="/recommendations/{c3}"' not in client.get(f"/recommendations/{c2}").text
    bad = client.post(f"/recommendations/{c3}/cycle-links", data={"csrf_token": csrf, "earlier_id": "x"})
    assert bad.status_code == 400 and "earlier_id" in bad.text
    wrong = client.post(
        f"/recommendations/{c1}/cycle-links", data={"csrf_token": csrf, "earlier_id": str(c3)}
    )
    assert wrong.status_code == 400 and "not in a cycle before" in wrong.text
    linked = client.post(
        f"/recommendations/{c3}/cycle-links",
        data={"csrf_token": csrf, "earlier_id": str(c2)},
        follow_redirects=False,
    )
    assert linked.status_code == 303 and _links(store)[(c3, c2)] == "manual"
    french = client.get(f"/recommendations/{c3}", params={"lang": "fr"}).text
    assert "Pas une répétition" in french and "Lier une recommandation antérieure" in french


def test_links_of_follows_the_chain_both_ways(store: Database) -> None:
    c1, c2, c3 = _opcat(store)
    link_cycles(store)
    with store.read() as conn:
        newest, middle, oldest = links_of(conn, c3), links_of(conn, c2), links_of(conn, c1)
    assert [(i["id"], i["cycle"], i["via"]) for i in newest.earlier] == [(c2, 2, c3), (c1, 1, c2)]
    assert newest.later == [] and oldest.earlier == []
    assert [(i["id"], i["via"]) for i in oldest.later] == [(c2, c1), (c3, c2)]
    assert [i["id"] for i in middle.earlier] == [c1] and [i["id"] for i in middle.later] == [c3]
    item = middle.earlier[0]
    assert item["session"] == 1 and item["response"] == "supported" and item["text"] == f"{OPCAT}."
    assert item["method"] == "tfidf-cosine/0.4" and item["score"] is not None and item["score"] > 0.8


def _client(db: Database) -> TestClient:
    return TestClient(create_app(db, load_settings({"public_read": "true"}, environ={})))


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_page_and_the_api_show_the_links(store: Database) -> None:
    c1, c2, c3 = _opcat(store)
    link_cycles(store)
    add_manual_link(store, c3, c1, "ana")
    client = _client(store)
    html = client.get(f"/recommendations/{c2}").text
    section = html[html.index('<section class="cycle-links"') :]
    section = section[: section.index("</section>")]
    assert "In earlier and later cycles" in section
    earlier = section[section.index('data-cycle-links="earlier"') : section.index('data-cycle-links="later"')]
    assert f'href="/recommendations/{c1}"' in earlier and f'href="/recommendations/{c3}"' not in earlier
    assert re.search(r"matched by text similarity 0\.\d\d", _text(earlier))
    assert "Cycle 1, session 1" in _text(earlier) and "supported" in _text(earlier)
    later = section[section.index('data-cycle-links="later"') :]
    assert f'href="/recommendations/{c3}"' in later
    assert "linked by hand" in _text(client.get(f"/recommendations/{c1}").text)
    french = client.get(f"/recommendations/{c2}", params={"lang": "fr"}).text
    assert "Aux cycles précédents et suivants" in french and "rapprochée par similarité du texte" in french
    lonely = _id(store, "Build new schools for girls in rural areas.")
    assert "cycle-links" not in client.get(f"/recommendations/{lonely}").text

    body = client.get(f"/api/v1/recommendations/{c2}").json()
    assert body["id"] == c2 and body["text"] == f"{OPCAT} promptly."  # the record shape is unchanged
    links = body["cycle_links"]
    assert [i["id"] for i in links["earlier"]] == [c1] and [i["id"] for i in links["later"]] == [c3]
    assert links["earlier"][0]["method"] == "tfidf-cosine/0.4" and links["earlier"][0]["score"] > 0.8
    assert client.get(f"/api/v1/recommendations/{lonely}").json()["cycle_links"] == {
        "earlier": [],
        "later": [],
    }


def test_imports_link_their_new_recommendations(db: Database, tmp_path: Path) -> None:
    # The later cycle first: importing the earlier one afterwards links the later one back to it.
    import_file(db, _write(tmp_path, "c2.csv", SECOND), "upr-info")
    assert _links(db) == {}
    dry = import_file(db, _write(tmp_path, "c1.csv", FIRST), "upr-info", dry_run=True)
    assert dry.created == 2 and _links(db) == {}
    summary = import_file(db, tmp_path / "c1.csv", "upr-info")
    c1, c2 = _id(db, f"{OPCAT}."), _id(db, f"{OPCAT} promptly.")
    assert _links(db) == {(c2, c1): "tfidf-cosine/0.4"}
    assert any(note.startswith("linked to the previous cycle: 1 added") for note in summary.notes)
    again = import_file(db, tmp_path / "c1.csv", "upr-info")  # nothing new: nothing to link
    assert again.created == 0 and not any(n.startswith("linked") for n in again.notes)
    import_file(db, _write(tmp_path, "c3.csv", THIRD), "upr-info", link_cycles=False)
    assert len(_links(db)) == 1


def test_the_setting_turns_linking_on_import_off(tmp_path: Path) -> None:
    runner = CliRunner()

    def invoke(*args: str) -> str:
        result = runner.invoke(cli_app, ["--data-dir", str(tmp_path / "data"), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    invoke("init")
    invoke("--link-cycles-on-import", "false", "import", "upr-info", str(_write(tmp_path, "a.csv", FIRST)))
    invoke("--link-cycles-on-import", "false", "import", "upr-info", str(_write(tmp_path, "b.csv", SECOND)))
    db = Database(load_settings({"data_dir": str(tmp_path / "data")}, environ={}).resolved_database_url)
    assert _links(db) == {}
    assert "1 links added, 0 kept, 0 removed" in invoke("link-cycles", "--state", "bra")
    assert len(_links(db)) == 1
    figures = json.loads(invoke("link-cycles", "--format", "json"))
    assert (figures["added"], figures["kept"], figures["removed"]) == (0, 1, 0)
    assert "0 links added" in invoke("link-cycles", "--state", "CHL")
    result = runner.invoke(cli_app, ["--data-dir", str(tmp_path / "data"), "link-cycles", "--state", "XXX"])
    assert result.exit_code != 0 and "no state" in result.output
    db.close()
