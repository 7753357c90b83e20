"""Public figures (the public patterns report, the public export, `defenders export`) count public
cases only, and leave small groups out of every figure alike, so no differencing recovers them.

Before issue 18 a restricted case showed up to anonymous readers as a "suppressed" row, and
``total_acts`` minus the rows shown gave back exactly the count the row hid.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rightstrack.cli import app as cli_app
from rightstrack.defenders import cases, patterns
from rightstrack.defenders.access import MIN_PUBLIC_COUNT, PUBLIC_DIMENSIONS
from rightstrack.defenders.crypto import Vault
from rightstrack.settings import load_settings
from rightstrack.store.database import Database
from rightstrack.web.app import create_app
from tests.defenders.conftest import Scenario, as_viewer

KILLING, THREATS, DETENTION = "010101000000", "020103020000", "040101000000"
# (country, date, act type, acts): public cases made below. Large groups: COL 2024 killings (7),
# COL 2023 killings (5), BRA 2023 threats (6, in two cases). Small: COL 2024 threats (2),
# MEX 2024 killing (1), plus the scenario's public MEX 2023 threat (1).
PUBLIC_CASES = [
    ("COL", "2024-02", KILLING, 7),
    ("COL", "2024-05", THREATS, 2),
    ("COL", "2023-08", KILLING, 5),
    ("MEX", "2024-01", KILLING, 1),
    ("BRA", "2023-03", THREATS, 4),
    ("BRA", "2023-09", THREATS, 2),
]
LARGE = {(KILLING, "COL", "2024"): 7, (KILLING, "COL", "2023"): 5, (THREATS, "BRA", "2023"): 6}


def _case(country: str, date: str, act_type: str, acts: int) -> dict[str, Any]:
    return {
        "title": "A public case for the figures",
        "start_date": date,
        "country": country,
        "acts": [{"act_type": act_type, "defender_status": ["journalist_or_media_worker"]}] * acts,
    }


@pytest.fixture
def published(db: Database, vault: Vault, scenario: Scenario) -> Database:
    owner = as_viewer(db, "owner")
    for country, date, act_type, acts in PUBLIC_CASES:
        cases.create_case(db, vault, owner, _case(country, date, act_type, acts), sensitivity="public")
    return db


@pytest.fixture
def channels(published: Database, keyed_env: Path) -> Iterator[dict[str, Any]]:
    """The three ways out for an anonymous reader: the report API, the export API, the CLI export."""
    client = TestClient(create_app(published, load_settings({}, environ={})))
    runner = CliRunner()
    url = published.url.render_as_string(hide_password=False)

    def api(by: str, **where: str) -> dict[str, Any]:
        answer = client.get("/api/v1/defenders/report", params={"by": by, **where})
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    def export_api() -> dict[str, Any]:
        return dict(client.get("/api/v1/defenders/export.json").json()["patterns"])

    def export_cli() -> dict[str, Any]:
        result = runner.invoke(cli_app, ["--database-url", url, "defenders", "export"])
        assert result.exit_code == 0, result.output
        return dict(json.loads(result.output)["patterns"])

    yield {"api": api, "export_api": export_api, "export_cli": export_cli}


def _every_figure(db: Database) -> list[dict[str, Any]]:
    """Every grouping of the public dimensions, unfiltered and filtered by every value seen."""
    anonymous = as_viewer(db, None)
    values = {"country": ["COL", "MEX", "BRA"], "year": ["2023", "2024"], "act_type": [KILLING, THREATS]}
    figures = []
    for size in (1, 2, 3):
        for by in itertools.permutations(PUBLIC_DIMENSIONS, size):
            figures.append(patterns.report(db, anonymous, by))
            for dim, options in values.items():
                figures += [patterns.report(db, anonymous, by, where={dim: v}) for v in options]
    return figures


def test_a_restricted_case_does_not_exist_for_public_figures(
    published: Database, vault: Vault, scenario: Scenario, channels: dict[str, Any]
) -> None:
    # The scenario's restricted cases are COL 2024 detention and threats, and a reprisal.
    for report in (
        channels["api"]("act_type,country,year"),
        channels["export_api"](),
        channels["export_cli"](),
    ):
        cells = {(r["act_type"], r["country"], r["year"]): r["count"] for r in report["rows"]}
        assert cells == LARGE and report["total_acts"] == sum(LARGE.values())
        assert DETENTION not in json.dumps(report) and "suppressed" not in json.dumps(report)
    before = _every_figure(published)
    cases.create_case(
        published,
        vault,
        as_viewer(published, "owner"),
        _case("COL", "2024-02", KILLING, 9),
        sensitivity="restricted",
    )
    cases.create_case(
        published,
        vault,
        as_viewer(published, "owner"),
        _case("BRA", "2023-01", THREATS, 3),
        sensitivity="internal",
    )
    assert _every_figure(published) == before  # other labels move no public number


def test_no_total_or_margin_gives_back_a_small_group(published: Database, channels: dict[str, Any]) -> None:
    # The attacks: a total minus the rows it shows, and one filter minus another.
    by_country = channels["api"]("country")
    col = {r["country"]: r["count"] for r in by_country["rows"]}["COL"]
    assert by_country["total_acts"] - sum(r["count"] for r in by_country["rows"]) == 0
    col_by_year = channels["api"]("year", country="COL")
    assert col - sum(r["count"] for r in col_by_year["rows"]) == 0 == col - col_by_year["total_acts"]
    col_2024 = channels["api"]("act_type", country="COL", year="2024")
    in_2024 = {r["year"]: r["count"] for r in col_by_year["rows"]}["2024"]
    assert in_2024 - col_2024["total_acts"] == 0 and [r["act_type"] for r in col_2024["rows"]] == [KILLING]
    assert channels["api"]("country", country="MEX")["rows"] == []
    for figure in _every_figure(published):
        assert all(row["count"] >= MIN_PUBLIC_COUNT for row in figure["rows"]), figure
        if figure["by"] and len(figure["rows"]) > 0:  # single-valued dimensions: rows add up to the total
            assert sum(r["count"] for r in figure["rows"]) == figure["total_acts"], figure


@pytest.mark.parametrize("change", ["grow", "add", "remove"])
def test_small_groups_move_no_public_figure(published: Database, vault: Vault, change: str) -> None:
    """However a group under the threshold changes (one act more, a new group, a group gone), every
    public figure stays the same — so no comparison of figures can tell anything about it."""
    before = _every_figure(published)
    owner = as_viewer(published, "owner")
    if change == "grow":  # COL 2024 threats: 2 → 4
        cases.create_case(published, vault, owner, _case("COL", "2024-06", THREATS, 2), sensitivity="public")
    elif change == "add":
        cases.create_case(
            published, vault, owner, _case("BRA", "2024-06", DETENTION, 4), sensitivity="public"
        )
    else:
        mexico = cases.list_cases(published, vault, owner, country="MEX", limit=500)["items"]
        for item in mexico:
            cases.delete_case(published, vault, owner, item["id"])
    assert _every_figure(published) == before
    grown = _case("COL", "2024-07", THREATS, MIN_PUBLIC_COUNT)  # once large enough, it counts
    cases.create_case(published, vault, owner, grown, sensitivity="public")
    cells = Counter(
        {
            (r["act_type"], r["country"]): r["count"]
            for r in patterns.report(published, as_viewer(published, None), "act_type,country")["rows"]
        }
    )
    assert cells[(THREATS, "COL")] >= MIN_PUBLIC_COUNT + 2


def test_staff_figures_stay_exact(published: Database, vault: Vault) -> None:
    staff = patterns.report(
        published, as_viewer(published, "owner"), "act_type,country,year", audience="staff", vault=vault
    )
    cells = {(r["act_type"], r["country"], r["year"]): r["count"] for r in staff["rows"]}
    assert cells[(THREATS, "COL", "2024")] == 2 + 1  # the public pair and the restricted scenario's act
    assert cells[(KILLING, "MEX", "2024")] == 1


def test_public_figures_refuse_finer_dimensions(published: Database) -> None:
    from rightstrack.errors import InvalidInput

    with pytest.raises(InvalidInput, match="act_type, country, year"):
        patterns.report(published, as_viewer(published, None), "sector")
