"""Everything a brief is drafted from, read once: the recommendations it is about (a search of the
record, so every count can be rerun from its link), the asks among them made again cycle after
cycle, treaty status beside the peers, engagement events, what tracking workspaces publish about
implementation, and the public aggregates of attacks on defenders.

Only public data is read: the corpus, treaty facts and events are public, workspaces are read as an
anonymous visitor reads them, and defenders' figures come from the public report. A draft can
therefore be shown to anyone who may read the instance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select

from rightstrack.brief.cite_engagement import StatusSource, status_sources
from rightstrack.brief.cite_tracking import public_defenders_report
from rightstrack.brief.model import BriefRequest
from rightstrack.brief.repeats import RepeatGroup, repeated_asks
from rightstrack.engagement.compare import compare_states, find_state
from rightstrack.engagement.events import list_events
from rightstrack.errors import InvalidInput, Problem
from rightstrack.followup.access import WorkspaceAccess
from rightstrack.followup.state_view import published_standings
from rightstrack.model.reference import ISSUE_FAMILY
from rightstrack.model.states import StateInfo
from rightstrack.store import schema
from rightstrack.store.database import Database
from rightstrack.store.records import RecordOut, fetch_records
from rightstrack.store.search import SearchRequest, matching_ids

# Tag families a theme may come from, the first one winning when a name is in several.
THEME_FAMILIES = (ISSUE_FAMILY, "uhri_theme", "affected_persons", "sdg")
DEFENDER_DIMENSIONS = ("country", "act_type")


@dataclass(frozen=True)
class SourceDocument:
    sha256: str
    symbol: str | None
    title: str | None
    filename: str


@dataclass
class BriefFacts:
    request: BriefRequest
    state: StateInfo
    peers: list[StateInfo]
    today: date
    query: str
    filters: dict[str, list[str]]
    """The search that selects the brief's recommendations (facet → values)."""
    records: list[RecordOut]
    """The selected recommendations, newest first."""
    documents: list[SourceDocument]
    cycle_years: dict[int, list[int]]
    """The state's UPR cycles in the store, with the years of its reviews in each."""
    repeats: list[RepeatGroup]
    compared: dict[str, Any] | None
    """``compare_states`` of the state and its peers; None when no treaty status is stored for it."""
    treaty_sources: dict[tuple[str, str], StatusSource]
    events: list[dict[str, Any]]
    published: list[tuple[WorkspaceAccess, list[dict[str, Any]]]]
    defenders: list[dict[str, Any]]
    """The state's rows of the public report on attacks against defenders."""

    @property
    def record_ids(self) -> set[int]:
        return {r["id"] for r in self.records}

    def search_filters(self, **more: str) -> dict[str, list[str]]:
        """The selection's filters narrowed by one value of other facets."""
        return {**self.filters, **{name: [value] for name, value in more.items()}}


def gather(db: Database, request: BriefRequest, today: date | None = None) -> BriefFacts:
    state = find_state(request.state)
    peers = list({p.alpha3: p for p in map(find_state, request.compare) if p.alpha3 != state.alpha3}.values())
    with db.read() as conn:
        filters = {"state": [state.alpha3], **resolve_themes(conn, request.themes)}
        if request.since is not None:
            filters["year"] = _years_since(conn, state.alpha3, request.since)
        ids = None if request.query else selected_ids(conn, filters)
    if ids is None:  # words to match: the search's full text
        ids = matching_ids(db, SearchRequest(q=request.query, filters=filters, sort="newest"))
    with db.read() as conn:
        records = fetch_records(conn, ids)
        repeats = repeated_asks(conn, ids, {r["id"]: r for r in records})
        concerned = set(ids) | {m["id"] for group in repeats for m in group.members}
        everyone = [state.alpha3, *(p.alpha3 for p in peers)]
        sources = status_sources(conn, everyone)
        facts = BriefFacts(
            request=request,
            state=state,
            peers=peers,
            today=today or date.today(),
            query=request.query,
            filters=filters,
            records=records,
            documents=_documents(conn, ids),
            cycle_years=_cycle_years(conn, state.alpha3),
            repeats=repeats,
            compared=compare_states(conn, everyone) if any(s == state.alpha3 for s, _ in sources) else None,
            treaty_sources=sources,
            events=[e for e in list_events(conn, state.alpha3) if _since(e["date"], request.since)],
            published=published_standings(conn, concerned),
            defenders=[],
        )
    report = public_defenders_report(db, DEFENDER_DIMENSIONS)
    facts.defenders = [row for row in report["rows"] if row["country"] == state.alpha3]
    return facts


def selected_ids(conn: Connection, filters: dict[str, list[str]]) -> list[int]:
    """The ids the search with these filters (state, tag families, years) finds, newest first, read
    with one indexed query. A brief needs one state's recommendations only, not the facet index
    of the whole corpus that a process builds on its first search (about a second at 33,000
    rows), so a brief drafted from the command line stays quick. Equal to the search by
    construction, and checked against it: every count a brief cites is rerun as a search."""
    r, v, rt, t = schema.recommendations, schema.reviews, schema.recommendation_tags, schema.tags
    query = select(r.c.id).join(v, v.c.id == r.c.review_id).where(v.c.state.in_(filters["state"]))
    for family, names in filters.items():
        if family in ("state", "year"):
            continue
        tagged = (
            select(rt.c.recommendation_id)
            .join(t, t.c.id == rt.c.tag_id)
            .where(t.c.family == family, t.c.name.in_(names), rt.c.provenance != "rejected")
        )
        query = query.where(r.c.id.in_(tagged))
    if "year" in filters:
        query = query.where(v.c.year.in_([int(y) for y in filters["year"]]))
    newest = (func.coalesce(v.c.year, 0).desc(), func.coalesce(v.c.session, 0).desc(), r.c.id)
    return [int(i) for i in conn.scalars(query.order_by(*newest))]


def resolve_themes(conn: Connection, themes: Sequence[str]) -> dict[str, list[str]]:
    """Theme names → search filters (family → tag names). A name is looked up in THEME_FAMILIES,
    case aside; ``family:name`` picks the family. Unknown names are refused, with suggestions."""
    t = schema.tags
    chosen: dict[str, list[str]] = {}
    problems = []
    for theme in themes:
        family, _, name = (
            theme.partition(":") if theme.partition(":")[0] in THEME_FAMILIES else ("", "", theme)
        )
        families = [family] if family else list(THEME_FAMILIES)
        rows = conn.execute(
            select(t.c.family, t.c.name).where(
                func.lower(t.c.name) == name.strip().lower(), t.c.family.in_(families)
            )
        ).all()
        if not rows:
            problems.append(Problem(_suggest(conn, name, families), field="themes", value=theme))
            continue
        row = min(rows, key=lambda r: THEME_FAMILIES.index(r.family))
        chosen.setdefault(row.family, []).append(row.name)
    if problems:
        raise InvalidInput("unknown theme", problems)
    return chosen


def _suggest(conn: Connection, name: str, families: list[str]) -> str:
    t = schema.tags
    # The start of the first word, letters only: "Womens rights" finds "Women's rights".
    word = "".join(c for c in (name.split() or [""])[0] if c.isalpha())[:4].lower()
    close = conn.scalars(
        select(t.c.name)
        .where(t.c.family.in_(families), func.lower(t.c.name).contains(word))
        .order_by(t.c.name)
        .limit(5)
    ).all()
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    return f"no theme of that name among {', '.join(families)}{hint}"


def _years_since(conn: Connection, alpha3: str, since: int) -> list[str]:
    v = schema.reviews
    years = conn.scalars(
        select(v.c.year).where(v.c.state == alpha3, v.c.year >= since).distinct().order_by(v.c.year)
    ).all()
    # No review since then: the year asked for itself, which matches nothing (an empty list would
    # mean "any year").
    return [str(y) for y in years] or [str(since)]


def _since(iso: str, since: int | None) -> bool:
    return since is None or int(iso[:4]) >= since


def _cycle_years(conn: Connection, alpha3: str) -> dict[int, list[int]]:
    v = schema.reviews
    rows = conn.execute(
        select(v.c.cycle, v.c.year)
        .where(v.c.state == alpha3, v.c.mechanism == "UPR", v.c.cycle.is_not(None))
        .distinct()
    )
    found: dict[int, set[int]] = {}
    for cycle, year in rows:
        found.setdefault(int(cycle), set()).update([int(year)] if year else [])
    return {c: sorted(years) for c, years in sorted(found.items())}


def _documents(conn: Connection, ids: list[int]) -> list[SourceDocument]:
    """The documents the selected recommendations were read from."""
    s, d = schema.recommendation_sources, schema.documents
    found: dict[str, SourceDocument] = {}
    for start in range(0, len(ids), 400):
        rows = conn.execute(
            select(d.c.sha256, d.c.symbol, d.c.title, d.c.filename)
            .join(s, s.c.document_id == d.c.id)
            .where(s.c.recommendation_id.in_(ids[start : start + 400]))
            .distinct()
        )
        found.update({r.sha256: SourceDocument(*r) for r in rows})
    return sorted(found.values(), key=lambda doc: doc.symbol or doc.title or doc.filename)
