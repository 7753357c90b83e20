"""Citations of the public corpus: a recommendation (its document and paragraph), a search of the
record (the figure it counts), a source document."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import select

from rightstrack.brief.citations import Context
from rightstrack.brief.model import Citation
from rightstrack.brief.phrases import Phrases
from rightstrack.brief.repeats import repeated_asks
from rightstrack.errors import InvalidInput
from rightstrack.store import schema
from rightstrack.store.records import RecordOut, fetch_records
from rightstrack.store.search import SearchRequest, matching_ids, search
from rightstrack.translation import N_


class RecommendationSource:
    kind = "recommendation"

    def cite(self, record: RecordOut, say: Phrases) -> Citation:
        return Citation(
            kind=self.kind,
            ref=str(record["id"]),
            label=f"{_where(record, say)}; {review_of(record, say)}",
            url=f"/recommendations/{record['id']}",
        )

    def rebuild(self, ctx: Context, refs: Sequence[str]) -> dict[str, Citation]:
        ids = [int(r) for r in refs if r.isdigit()]
        return {str(r["id"]): self.cite(r, ctx.say) for r in fetch_records(ctx.conn, ids)}


def _where(record: RecordOut, say: Phrases) -> str:
    """The document and paragraph: the UN document's symbol where a source has one, else the
    export file and line the record was read from."""
    for source in record["sources"]:
        if source["symbol"]:
            paragraph = source["paragraph"] or record["paragraph"]
            if paragraph:
                return say.say(N_("%(symbol)s, para. %(paragraph)s"), **source, paragraph=paragraph)
            return str(source["symbol"])
    if record["sources"]:
        return record["sources"][0]["locator"]
    return say.say(N_("recommendation %(id)s"), id=record["id"])


def review_of(record: RecordOut, say: Phrases) -> str:
    values = {"mechanism": record["mechanism"], "cycle": record["cycle"], "year": record["year"] or "?"}
    if record["cycle"] is not None:
        return say.say(N_("%(mechanism)s cycle %(cycle)s, %(year)s"), **values)
    return say.say(N_("%(mechanism)s, %(year)s"), **values)


def search_ref(query: str, filters: Mapping[str, Sequence[str]]) -> str:
    """A search as the query string of its page (``/?state=USA&upr_issue=…``)."""
    pairs = [("q", query)] if query else []
    pairs += sorted((name, str(v)) for name, values in filters.items() for v in values)
    return urlencode(pairs)


def parse_search_ref(ref: str) -> tuple[str, dict[str, list[str]]]:
    query, filters = "", dict[str, list[str]]()
    for name, value in parse_qsl(ref, keep_blank_values=True):
        if name == "q":
            query = value
        else:
            filters.setdefault(name, []).append(value)
    return query, filters


class _SearchCount:
    """A figure counted over a search of the record; rebuilding reruns the search and counts again."""

    kind = ""
    message = ""

    def count(self, ctx: Context, query: str, filters: dict[str, list[str]]) -> int:
        raise NotImplementedError

    def cite(self, query: str, filters: Mapping[str, Sequence[str]], value: int, say: Phrases) -> Citation:
        ref = search_ref(query, filters)
        return Citation(
            kind=self.kind,
            ref=ref,
            label=say.say(
                self.message,
                criteria=_criteria(query, filters, say),
                count=say.number(value),
                recommendations=say.recommendations(value),
            ),
            url=f"/?{ref}",
            value=value,
        )

    def rebuild(self, ctx: Context, refs: Sequence[str]) -> dict[str, Citation]:
        out = {}
        for ref in refs:
            query, filters = parse_search_ref(ref)
            try:
                value = self.count(ctx, query, filters)
            except InvalidInput:  # an unknown facet: nothing to resolve to
                continue
            citation = self.cite(query, filters, value, ctx.say)
            out[citation.ref] = citation
        return out


class SearchSource(_SearchCount):
    """How many recommendations a search of the record finds (the citation's link reruns it)."""

    kind = "search"
    message = N_("Search of the record (%(criteria)s): %(recommendations)s")

    def count(self, ctx: Context, query: str, filters: dict[str, list[str]]) -> int:
        return search(ctx.db, SearchRequest(q=query, filters=filters, page_size=1, facets=[]))["total"]


class RepeatsSource(_SearchCount):
    """How many asks of a search were made again in a later cycle (the stored cycle links)."""

    kind = "repeats"
    message = N_("Asks of the search (%(criteria)s) made again in a later cycle: %(count)s")

    def count(self, ctx: Context, query: str, filters: dict[str, list[str]]) -> int:
        ids = matching_ids(ctx.db, SearchRequest(q=query, filters=filters))
        return len(repeated_asks(ctx.conn, ids, {}))


def _criteria(query: str, filters: Mapping[str, Sequence[str]], say: Phrases) -> str:
    parts = [say.say(N_("words: %(query)s"), query=query)] if query else []
    for name, values in sorted(filters.items()):
        shown = sorted(values, key=_year_first)
        if name in ("state", "recommending_state"):
            shown = [say.state(v) for v in shown]
        elif name == "response":
            shown = [say.response(v) for v in shown]
        parts.append(f"{say.label('facet', name)}: {', '.join(shown)}")
    return "; ".join(parts)


def _year_first(value: str) -> tuple[int, str]:
    return (int(value), "") if value.isdigit() else (0, value)


class DocumentSource:
    """A source document: a UN document by its symbol, an export by its title."""

    kind = "document"

    def cite(self, sha256: str, symbol: str | None, title: str | None, filename: str) -> Citation:
        return Citation(kind=self.kind, ref=sha256, label=symbol or title or filename)

    def rebuild(self, ctx: Context, refs: Sequence[str]) -> dict[str, Citation]:
        d = schema.documents
        rows = ctx.conn.execute(
            select(d.c.sha256, d.c.symbol, d.c.title, d.c.filename).where(d.c.sha256.in_(list(refs)))
        )
        return {row.sha256: self.cite(row.sha256, row.symbol, row.title, row.filename) for row in rows}


RECOMMENDATION = RecommendationSource()
SEARCH = SearchSource()
REPEATS = RepeatsSource()
DOCUMENT = DocumentSource()
SOURCES = (RECOMMENDATION, SEARCH, REPEATS, DOCUMENT)
