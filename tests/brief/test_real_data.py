"""Briefs from the shared data: the United States on treaty ratification beside China, Russia, Saudi
Arabia and Iran (numbers and sources checked against the status files themselves), and Saudi
Arabia on women's rights over two cycles (repeated asks and their answers checked against search
results and the stored cycle links)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from rightstrack.brief.draft import draft_brief
from rightstrack.brief.model import BriefRequest, Point
from rightstrack.demo import real_exports
from rightstrack.engagement.treaty_store import import_treaty_file
from rightstrack.importing import import_file
from rightstrack.store.database import Database
from rightstrack.store.records import RecordOut
from rightstrack.store.search import SearchRequest, search
from tests.brief.independent import linked_groups
from tests.brief.test_citations import unresolved
from tests.conftest import SHARED_DATA, needs_shared_data
from tests.engagement.independent import FIVE, TREATIES, independent_five

pytestmark = pytest.mark.slow
NAMES = {"CHN": "China", "RUS": "Russia", "SAU": "Saudi Arabia", "IRN": "Iran"}


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    needs_shared_data()
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('briefs') / 'real.db'}")
    db.init()
    # The United States was reviewed in session 9, Saudi Arabia in sessions 4 and 17.
    for path in real_exports(SHARED_DATA):
        if path.name != "10-13.csv":
            import_file(db, path, "upr-info")  # and links each cycle to the one before
    for path in [*sorted(TREATIES.glob("hr_status_*.csv")), TREATIES / "ohchr-export-icescr.xls"]:
        import_treaty_file(db, path)
    yield db
    db.close()


def test_the_united_states_beside_four_states_on_treaty_ratification(real: Database) -> None:
    request = BriefRequest(state="USA", themes=["International instruments"], compare=FIVE[1:])
    brief = draft_brief(real, request)
    (comparison,) = [p for p in brief.points if p.generator == "treaty_comparison"]
    expected = independent_five()
    first, fewer = comparison.text.split(". ")[:2]
    assert first == f"The United States is party to {expected['USA']} of the 18 core human rights instruments"
    shown = {name: int(n) for name, n in re.findall(r"([A-Z][a-z]+(?: [A-Z][a-z]+)?) \((\d+)\)", fewer)}
    assert fewer.startswith("That is fewer than") and shown == {NAMES[s]: expected[s] for s in FIVE[1:]}
    counts = {c.ref: c.value for c in comparison.citations if c.kind == "treaty_count"}
    assert counts == expected
    files = {c.label for c in comparison.citations if c.kind == "document"}
    on_disk = {p.name for p in TREATIES.iterdir()}
    assert len(files) == 18 and all(re.search(r"\(([^)]+)\)$", f).group(1) in on_disk for f in files)  # type: ignore[union-attr]
    assert "ohchr-export-icescr.xls" in " ".join(files)  # ICESCR from the newer OHCHR export
    assert unresolved(real, brief) == []


def _records(db: Database, **filters: str) -> dict[int, RecordOut]:
    wanted = {name: [value] for name, value in filters.items()}
    found = search(db, SearchRequest(filters=wanted, page_size=500))
    assert found["total"] <= 500
    return {r["id"]: r for r in found["results"]}


def _answers(members: list[RecordOut]) -> str:
    """How the brief must say the state answered: one word if always the same, else by year."""
    responses = {m["response"] for m in members}
    if len(responses) == 1:
        return f"{responses.pop()} each time"
    by_year: dict[int, set[str]] = {}
    for m in members:
        by_year.setdefault(m["year"], set()).add(m["response"])
    return " and ".join(f"{' and '.join(sorted(r))} in {y}" for y, r in sorted(by_year.items()))


def test_saudi_arabia_on_womens_rights_repeated_asks_and_answers(real: Database) -> None:
    selected = _records(real, state="SAU", upr_issue="Women's rights")
    everything = _records(real, state="SAU")
    expected = [g for g in linked_groups(real, selected) if len({everything[i]["cycle"] for i in g}) > 1]
    assert {r["cycle"] for r in selected.values()} == {1, 2} and expected

    brief = draft_brief(real, BriefRequest(state="SAU", themes=["Women's rights"], asks=20))
    summary, *asks = [p for p in brief.points if p.generator == "repeated_asks"]
    assert summary.text == f"{len(expected)} of these asks were made again in a later cycle."
    assert {frozenset(_cited(p)) for p in asks} == {frozenset(g) for g in expected}
    for point in asks:
        members = sorted((everything[i] for i in _cited(point)), key=lambda m: (m["year"], m["id"]))
        assert point.text.startswith(f"Recommended in every cycle since {members[0]['year']} ")
        assert point.text.endswith(f": {_answers(members)}.")
        assert point.quote == members[-1]["text"]
    (summary_point,) = [p for p in brief.points if p.generator == "ask_summary"]
    assert summary_point.text.startswith(f"Saudi Arabia received {len(selected)} recommendations")
    assert unresolved(real, brief) == []


def _cited(point: Point) -> list[int]:
    return [int(c.ref) for c in point.citations if c.kind == "recommendation"]
