"""What a drafted brief says, checked against the world it was drafted from: counts against searches,
repeated asks and their answers, treaty comparison, events, implementation, defenders, the asks put
forward, languages and the narrowing options."""

from __future__ import annotations

import re

import pytest

from rightstrack.brief.draft import draft_brief
from rightstrack.brief.model import Brief, BriefRequest, Point, Section
from rightstrack.errors import InvalidInput, NotFound
from rightstrack.store.search import SearchRequest, search
from tests.brief.world import (
    ABORTION_1,
    ABORTION_2,
    ABORTION_3,
    DEATH_PENALTY,
    EQUAL_PAY,
    KILLINGS_IN_CHILE,
    OPTIONAL_PROTOCOL,
    VIOLENCE_1,
    VIOLENCE_2,
    WOMEN,
    World,
)


def by(brief: Brief, generator: str) -> list[Point]:
    return [p for p in brief.points if p.generator == generator]


def cited(point: Point, kind: str) -> list[str]:
    return [c.ref for c in point.citations if c.kind == kind]


def _total(world: World, **filters: str) -> int:
    wanted = {"state": ["CHL"], "upr_issue": [WOMEN], **{k: [v] for k, v in filters.items()}}
    return search(world.db, SearchRequest(filters=wanted, page_size=1))["total"]


def test_the_issue_counts_what_searches_find(world: World) -> None:
    brief = draft_brief(world.db, BriefRequest(state="CHL", themes=[WOMEN]))
    (summary,) = by(brief, "ask_summary")
    assert summary.text == (
        f"Chile received {_total(world)} recommendations on “Women's rights” between 2009 and 2019, "
        "from 9 states, in 3 UPR cycles."
    )
    (responses,) = by(brief, "responses")
    supported, noted = _total(world, response="supported"), _total(world, response="noted")
    assert f"{supported} supported and {noted} noted" in responses.text
    cycles = by(brief, "cycles")
    assert [re.match(r"UPR cycle (\d)", p.text).group(1) for p in cycles] == ["1", "2", "3"]  # type: ignore[union-attr]
    assert f"{_total(world, cycle='3')} recommendations" in cycles[2].text
    (groups,) = by(brief, "recommenders")
    assert f"WEOG ({_total(world, recommending_group='WEOG')})" in groups.text
    assert "most often" not in groups.text  # nobody asked twice


def test_repeated_asks_are_called_out_with_their_answers(world: World) -> None:
    brief = draft_brief(world.db, BriefRequest(state="CHL", themes=[WOMEN]))
    summary, every_cycle, twice = by(brief, "repeated_asks")
    assert summary.text == "2 of these asks were made again in a later cycle."
    assert every_cycle.text == (
        "Recommended in every cycle since 2009 (3 times, by Norway, Sweden, and Iceland): noted each time."
    )
    assert every_cycle.quote == ABORTION_3
    assert cited(every_cycle, "recommendation") == [
        str(world.rec(t)) for t in (ABORTION_1, ABORTION_2, ABORTION_3)
    ]
    assert twice.text == (
        "Recommended in 2009 and 2014 (2 times, by Canada and Spain): supported in 2009 and noted in 2014."
    )
    assert cited(twice, "recommendation") == [str(world.rec(VIOLENCE_1)), str(world.rec(VIOLENCE_2))]


def test_treaty_ratification_against_named_peers(world: World) -> None:
    brief = draft_brief(world.db, BriefRequest(state="USA", compare=["CHN", "RUS", "CHL"]))
    (comparison,) = by(brief, "treaty_comparison")
    assert comparison.text.startswith(
        "The United States is party to 1 of the 18 core human rights instruments. "
        "That is fewer than Russia (2) or Chile (2). That is as many as China (1)."
    )
    counts = {c.ref: c.value for c in comparison.citations if c.kind == "treaty_count"}
    assert counts == {"USA": 1, "CHN": 1, "RUS": 2, "CHL": 2}
    assert {c.label for c in comparison.citations if c.kind == "document"} == {
        "ICCPR status table (hr_status_iccpr.csv)",
        "CRC status table (hr_status_crc.csv)",
    }
    gaps = by(brief, "treaty_gaps")
    assert gaps[0].text == "The United States has signed but not ratified CRC."
    assert gaps[1].text == "China, Russia, and Chile are parties to the CRC; the United States is not."
    assert cited(gaps[1], "treaty_status") == ["USA/CRC", "CHN/CRC", "RUS/CRC", "CHL/CRC"]


def test_events_implementation_and_defenders_are_talking_points(world: World) -> None:
    usa = draft_brief(world.db, BriefRequest(state="USA"))
    (event,) = by(usa, "events")
    assert event.text == "The United States withdrew from the Human Rights Council (June 19, 2018)."
    chile = draft_brief(world.db, BriefRequest(state="CHL"))
    (tracked,) = by(chile, "implementation")
    assert tracked.text == (
        "Chile Watch publishes the implementation of 2 of these recommendations: one fully implemented "
        "and one not implemented. The government's claims: 2 fully implemented; independent assessments: "
        "one not implemented. On one of them, an independent assessment disputes the government's claim."
    )
    assert all(c.ref.startswith("chile-watch") for c in tracked.citations)
    (defenders,) = by(chile, "defenders")
    assert defenders.text == (
        f"The public record of attacks on human rights defenders counts, for Chile: Deliberate killing "
        f"({KILLINGS_IN_CHILE}). Smaller counts are withheld, as in the public report."
    )
    assert "Threats" not in defenders.text  # two cases: under the public report's minimum


def test_the_strongest_asks_are_put_forward_quoted(world: World) -> None:
    brief = draft_brief(world.db, BriefRequest(state="CHL", themes=[WOMEN], asks=3))
    asks = brief.section(Section.RECOMMENDATIONS)
    # Specific, made three times and noted every time; then specific, noted and reported not
    # implemented; the ask reported fully implemented is not put forward at all.
    assert [p.quote for p in asks] == [ABORTION_3, OPTIONAL_PROTOCOL, VIOLENCE_2]
    assert asks[0].text.startswith(
        "Recommended by Iceland (UPR cycle 3, 2019); noted. Also asked in 2009 and 2014."
    )
    assert "Chile Watch reports it not implemented." in asks[1].text
    assert all(p.quote != EQUAL_PAY for p in draft_brief(world.db, BriefRequest(state="CHL", asks=20)).points)


def test_private_records_never_reach_a_brief(world: World) -> None:
    brief = draft_brief(world.db, BriefRequest(state="CHL", themes=[WOMEN]))
    commitments = [c.ref for p in brief.points for c in p.citations if c.kind == "commitment"]
    with world.db.read() as conn:
        from rightstrack.followup.commitments import list_commitments

        private = [
            c["id"] for c in list_commitments(conn, world.access("owner")) if c["visibility"] == "private"
        ]
    assert private and not any(ref.endswith(f"/{i}") for ref in commitments for i in private)


def test_languages_themes_periods_and_refusals(world: World) -> None:
    french = draft_brief(world.db, BriefRequest(state="CHL", themes=[WOMEN], lang="fr"))
    assert french.title == "Chili : « Women's rights »"
    assert by(french, "repeated_asks")[1].text == (
        "Recommandée à chaque cycle depuis 2009 (3 fois ; États auteurs : Norvège, Suède et Islande) : "
        "notée à chaque fois."
    )
    spanish = draft_brief(world.db, BriefRequest(state="USA", compare=["CHN"], lang="es"))
    assert by(spanish, "treaty_comparison")[0].text.startswith("Estados Unidos: parte en 1 de los 18")
    # Stored text (an event's target, a quote) stays as recorded; what the brief writes is translated.
    written = [p.text for b in (french, spanish) for p in b.points if p.generator != "events"]
    assert written and not [t for t in written if "Recommended" in t or " the " in t]
    since = draft_brief(world.db, BriefRequest(state="CHL", themes=[WOMEN], since=2015))
    assert by(since, "ask_summary")[0].text.startswith(
        "Chile received 4 recommendations on “Women's rights” in 2019"
    )
    nothing = draft_brief(world.db, BriefRequest(state="USA", query="abolish", since=2011))
    assert [p.generator for p in nothing.section(Section.ISSUE)] == ["ask_summary"]
    searched = draft_brief(world.db, BriefRequest(state="USA", query="death"))
    assert [p.quote for p in searched.section(Section.RECOMMENDATIONS)] == [DEATH_PENALTY]
    with pytest.raises(InvalidInput) as unknown:
        draft_brief(world.db, BriefRequest(state="CHL", themes=["Womens rights"]))
    assert "did you mean" in unknown.value.problems[0].message
    with pytest.raises(NotFound):
        draft_brief(world.db, BriefRequest(state="Atlantis"))
