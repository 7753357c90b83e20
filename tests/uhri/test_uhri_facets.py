"""The mechanism facet (the kind of body) and the body facet (committee or mandate) after a UHRI
import; old ``mechanism=UPR`` links; the state page's counts per kind; exports carry both."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rightstrack.importing import import_file
from rightstrack.report.export import write_export
from rightstrack.settings import load_settings
from rightstrack.store.database import Database
from rightstrack.store.search import SearchRequest, search
from rightstrack.web.app import create_app
from tests.uhri.fixtures import CHILD_ROW, TREATY_ROW, UPR_ROW, write_xlsx

SR = "SR-SITUATION-HUMAN-RIGHTS-DEFENDERS"


@pytest.fixture
def loaded(db: Database, tmp_path: Path, sample_csv: Path) -> Database:
    import_file(db, sample_csv, "upr-info")  # 9 UPR recommendations (UPR Info)
    import_file(db, write_xlsx(tmp_path / "uhri.xlsx"))
    return db


def _counts(db: Database, facet: str, **filters: list[str]) -> dict[str, int]:
    result = search(db, SearchRequest(filters=dict(filters), facets=[facet], facet_size=50))
    return {v["value"]: v["count"] for v in result["facets"][facet]}


def test_mechanism_is_the_kind_and_body_the_committee_or_mandate(loaded: Database) -> None:
    assert _counts(loaded, "mechanism") == {"upr": 11, "treaty body": 2, "special procedures": 1}
    assert _counts(loaded, "body") == {"UPR": 11, "CCPR": 1, "CRC-OP-AC": 1, SR: 1}
    assert _counts(loaded, "body", mechanism=["treaty body"]) == {"CCPR": 1, "CRC-OP-AC": 1}
    labels = {
        v["value"]: v["label"] for v in search(loaded, SearchRequest(facets=["body"]))["facets"]["body"]
    }
    assert labels[SR] == "SR on the situation of human rights defenders" and labels["CCPR"] == "CCPR"
    both = search(loaded, SearchRequest(filters={"mechanism": ["special procedures"], "state": ["KEN"]}))
    assert both["total"] == 1 and both["results"][0]["body"] == labels[SR]


def test_an_old_mechanism_link_filters_by_body(loaded: Database) -> None:
    old = search(loaded, SearchRequest(filters={"mechanism": ["UPR"]}))
    assert old["total"] == 11 and old["filters"] == {"body": ["UPR"]}
    mixed = search(loaded, SearchRequest(filters={"mechanism": ["treaty body", "CCPR"]}))
    assert mixed["total"] == 1 and mixed["filters"] == {"mechanism": ["treaty body"], "body": ["CCPR"]}
    client = TestClient(create_app(loaded, load_settings({"public_read": "true"}, environ={})))
    assert client.get("/api/v1/search", params={"mechanism": "CCPR"}).json()["total"] == 1


def test_state_page_counts_every_kind_of_mechanism(db: Database, tmp_path: Path) -> None:
    rows = [
        {**UPR_ROW, "Countries Concerned": "- France"},
        TREATY_ROW,
        {**CHILD_ROW, "Countries Concerned": "- France"},
    ]
    import_file(db, write_xlsx(tmp_path / "fra.xlsx", rows))
    client = TestClient(create_app(db, load_settings({"public_read": "true"}, environ={})))
    html = client.get("/states/FRA").text
    found = re.search(r'<ul class="inline" id="by-mechanism">(.*?)</ul>', html, re.S)
    assert found
    shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip()
    assert shown == "UPR: 1 Treaty bodies: 2 Special procedures: 0"
    french = client.get("/states/FRA", params={"lang": "fr"}).text
    assert "Organes conventionnels" in french and "Comité ou mandat" in french


def test_exports_carry_mechanism_kind_and_body(loaded: Database) -> None:
    buffer = io.StringIO()
    write_export(loaded, "json", buffer, SearchRequest(filters={"state": ["FRA"], "body": ["CCPR"]}))
    (record,) = json.loads(buffer.getvalue())
    assert (record["mechanism"], record["mechanism_kind"], record["body"]) == (
        "CCPR",
        "treaty body",
        "Human Rights Committee",
    )
