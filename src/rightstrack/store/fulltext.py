"""Full-text search on both engines: SQLite FTS5 and PostgreSQL tsvector, behind one query syntax.

The user's syntax: words (all must match), ``"a phrase"``, ``prefix*``, ``OR`` between terms,
``-word`` to exclude. It is parsed once and rendered for each engine, so no user text ever reaches
the engine's own query language unescaped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection

from rightstrack.errors import InvalidInput

IdArray = npt.NDArray[np.int64]
ScoreArray = npt.NDArray[np.float64]

_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    prefix: bool = False
    negated: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    """Groups joined by AND; the terms inside a group are alternatives (OR)."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...]

    @property
    def empty(self) -> bool:
        return not self.groups


def parse_query(text: str) -> ParsedQuery:
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    pending_or = False
    for match in _TOKEN.finditer(text):
        negated = False
        if match.group(2) is not None:
            negated = match.group(1) == "-"
            words = tuple(w.lower() for w in _WORD.findall(match.group(2)))
            prefix = False
        else:
            raw = match.group(3)
            if raw == "OR":
                pending_or = bool(groups)
                continue
            if raw.startswith("-") and len(raw) > 1:
                negated, raw = True, raw[1:]
            prefix = raw.endswith("*")
            words = tuple(w.lower() for w in _WORD.findall(raw))
            # "women's" or "non-discrimination" become a phrase of their parts, as the index has them.
            prefix = prefix and bool(words)
        if not words:
            continue
        term = Term(words, prefix, negated)
        if negated:
            excluded.append(term)
        elif pending_or:
            groups[-1].append(term)
        else:
            groups.append([term])
        pending_or = False
    if excluded and not groups:
        raise InvalidInput("a search cannot only exclude words: add at least one word to look for")
    return ParsedQuery(tuple(tuple(g) for g in groups), tuple(excluded))


def _fts5_term(term: Term) -> str:
    phrase = " ".join(term.words)
    return f'"{phrase}"*' if term.prefix else f'"{phrase}"'


def to_fts5(query: ParsedQuery) -> str:
    parts = []
    for group in query.groups:
        rendered = " OR ".join(_fts5_term(t) for t in group)
        parts.append(f"({rendered})" if len(group) > 1 else rendered)
    expression = " AND ".join(parts)
    for term in query.excluded:
        expression = f"({expression}) NOT {_fts5_term(term)}"
    return expression


def _tsquery_term(term: Term) -> str:
    words = [f"{w}:*" if term.prefix and i == len(term.words) - 1 else w for i, w in enumerate(term.words)]
    return "(" + " <-> ".join(words) + ")" if len(words) > 1 else words[0]


def to_tsquery(query: ParsedQuery) -> str:
    parts = []
    for group in query.groups:
        parts.append("(" + " | ".join(_tsquery_term(t) for t in group) + ")")
    parts.extend("!" + _tsquery_term(t) for t in query.excluded)
    return " & ".join(parts)


def match_ids(conn: Connection, query: ParsedQuery) -> IdArray:
    """The ids of every match, ascending, unranked: what facet counts and totals need."""
    if conn.dialect.name == "sqlite":
        sql = "SELECT group_concat(rowid) FROM recommendations_fts WHERE recommendations_fts MATCH ?"
        params = (to_fts5(query),)
    else:
        # search_vector is a generated column that only PostgreSQL has, so it is not in the metadata.
        sql = (
            "SELECT string_agg(id::text, ',') FROM recommendations "
            "WHERE search_vector @@ to_tsquery('english', %s)"
        )
        params = (to_tsquery(query),)
    return np.sort(_joined_ids(conn, sql, params))  # a bitmap scan gives page order, not id order


def _joined_ids(conn: Connection, sql: str, params: tuple[Any, ...]) -> IdArray:
    # A common word matches a hundred thousand rows: one comma-joined string parsed by numpy is
    # four times faster than the driver building a tuple per row.
    rows = _fetch(conn, sql, params)
    found: IdArray = _parse(rows[0][0] if rows else None, np.int64)
    return found


def _parse(joined: str | None, dtype: type[Any]) -> Any:
    text = joined or ""
    found = np.fromstring(text, dtype=dtype, sep=",")
    if len(found) != (text.count(",") + 1 if text else 0):
        raise RuntimeError("the engine's list of matches could not be read")
    return found


def scored_matches(conn: Connection, query: ParsedQuery) -> tuple[IdArray, ScoreArray]:
    """PostgreSQL: every match with its ts_rank, ids ascending, in one pass over the table.

    A common word's matches are spread over most of the heap, so a second pass to rank them costs
    as much as the first; numpy then orders any subset (``top_by_score``). ts_rank is a float4:
    through float8 its text is exact, so the order and its ties are PostgreSQL's own.
    """
    tsquery = "to_tsquery('english', %s)"
    sql = (
        f"SELECT string_agg(id::text, ','), string_agg(ts_rank(search_vector, {tsquery})::float8::text, ',') "
        f"FROM recommendations WHERE search_vector @@ {tsquery}"
    )
    rendered = to_tsquery(query)
    rows = _fetch(conn, sql, (rendered, rendered))
    ids = _parse(rows[0][0] if rows else None, np.int64)
    scores = _parse(rows[0][1] if rows else None, np.float64)
    order = np.argsort(ids, kind="stable")
    return ids[order], scores[order]


def top_by_score(ids: IdArray, scores: ScoreArray, limit: int) -> IdArray:
    """The ``limit`` best ids, best first, ties to the lower id: ORDER BY ts_rank DESC, id."""
    order = np.lexsort((ids, -scores))
    return ids[order[:limit]]


def ranked_ids(conn: Connection, query: ParsedQuery, limit: int, within: IdArray | None = None) -> IdArray:
    """The best ``limit`` matches, best first, among ``within`` when given (None: all matches).

    Ties go to the lower id. Only the rows in ``within`` are scored and the engine keeps only the
    top ``limit`` (a bounded sort), so a facet-narrowed search of a common word does not score and
    sort every row the word is in.
    """
    if conn.dialect.name == "sqlite":
        sql, params = _fts5_ranked(query, within)
    else:
        sql, params = _tsquery_ranked(query, within)
    return _ids(conn, sql, (*params, limit))


def _fts5_ranked(query: ParsedQuery, within: IdArray | None) -> tuple[str, tuple[Any, ...]]:
    # bm25() rather than "rank": FTS5 sorts by rank itself over every match before the rowid filter
    # applies. "+rowid" keeps the filter out of FTS5's query plan: as a constraint it would re-run the
    # MATCH once per id. bm25() is FTS5's default rank function, so the order is the same.
    fts = "recommendations_fts"
    sql = f"SELECT rowid FROM {fts} WHERE {fts} MATCH ?"
    params: tuple[Any, ...] = (to_fts5(query),)
    if within is not None:
        sql += " AND +rowid IN (SELECT value FROM json_each(?))"
        params += (json.dumps(within.tolist()),)
    return sql + f" ORDER BY bm25({fts}), rowid LIMIT ?", params


def _tsquery_ranked(query: ParsedQuery, within: IdArray | None) -> tuple[str, tuple[Any, ...]]:
    tsquery = to_tsquery(query)
    sql = "SELECT id FROM recommendations WHERE search_vector @@ to_tsquery('english', %s)"
    params: tuple[Any, ...] = (tsquery,)
    if within is not None:
        sql += " AND id = ANY(%s)"
        params += (within.tolist(),)
    sql += " ORDER BY ts_rank(search_vector, to_tsquery('english', %s)) DESC, id LIMIT %s"
    return sql, (*params, tsquery)


def _ids(conn: Connection, sql: str, params: tuple[Any, ...]) -> IdArray:
    rows = _fetch(conn, sql, params)
    return np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))


def _fetch(conn: Connection, sql: str, params: tuple[Any, ...]) -> list[Any]:
    # The driver's own cursor: SQLAlchemy's rows cost more than the query for long lists.
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql, params)
        return list(cursor.fetchall())
    finally:
        cursor.close()


_SQLITE_VIEW = """
CREATE VIEW recommendations_view AS
SELECT r.id, s.name AS state_under_review, v.state AS state_alpha3, v.mechanism, v.cycle,
       v.session, v.year, r.paragraph, r.text, r.response,
       (SELECT group_concat(name, '; ') FROM recommenders WHERE recommendation_id = r.id)
         AS recommending_states,
       (SELECT group_concat(t.family || ': ' || t.name, '; ') FROM recommendation_tags rt
          JOIN tags t ON t.id = rt.tag_id
         WHERE rt.recommendation_id = r.id AND rt.provenance != 'rejected') AS tags
FROM recommendations r JOIN reviews v ON v.id = r.review_id JOIN states s ON s.alpha3 = v.state
"""

_POSTGRES_VIEW = """
CREATE VIEW recommendations_view AS
SELECT r.id, s.name AS state_under_review, v.state AS state_alpha3, v.mechanism, v.cycle,
       v.session, v.year, r.paragraph, r.text, r.response,
       (SELECT string_agg(name, '; ' ORDER BY position) FROM recommenders
         WHERE recommendation_id = r.id) AS recommending_states,
       (SELECT string_agg(t.family || ': ' || t.name, '; ') FROM recommendation_tags rt
          JOIN tags t ON t.id = rt.tag_id
         WHERE rt.recommendation_id = r.id AND rt.provenance != 'rejected') AS tags
FROM recommendations r JOIN reviews v ON v.id = r.review_id JOIN states s ON s.alpha3 = v.state
"""


def ddl(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [
            "CREATE VIRTUAL TABLE recommendations_fts USING fts5(text, content='recommendations', "
            "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
            # Bulk imports set the 'fts_deferred' flag inside their own transaction and index the new
            # rows in one statement afterwards (store.bulk.deferred_fulltext): per-row trigger calls
            # were half the cost of an import. Every other insert is indexed by this trigger.
            "CREATE TRIGGER recommendations_fts_insert AFTER INSERT ON recommendations "
            "WHEN NOT EXISTS (SELECT 1 FROM store_meta WHERE key = 'fts_deferred') BEGIN "
            "INSERT INTO recommendations_fts(rowid, text) VALUES (new.id, new.text); END",
            "CREATE TRIGGER recommendations_fts_delete AFTER DELETE ON recommendations BEGIN "
            "INSERT INTO recommendations_fts(recommendations_fts, rowid, text) "
            "VALUES ('delete', old.id, old.text); END",
            "CREATE TRIGGER recommendations_fts_update AFTER UPDATE OF text ON recommendations BEGIN "
            "INSERT INTO recommendations_fts(recommendations_fts, rowid, text) "
            "VALUES ('delete', old.id, old.text); "
            "INSERT INTO recommendations_fts(rowid, text) VALUES (new.id, new.text); END",
            _SQLITE_VIEW,
        ]
    if dialect == "postgresql":
        return [
            "ALTER TABLE recommendations ADD COLUMN search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('english', text)) STORED",
            "CREATE INDEX ix_recommendations_search ON recommendations USING gin (search_vector)",
            _POSTGRES_VIEW,
        ]
    raise InvalidInput(f"unsupported database engine {dialect!r}: use SQLite or PostgreSQL")


def drop_ddl(dialect: str) -> list[str]:
    statements = ["DROP VIEW IF EXISTS recommendations_view"]
    if dialect == "sqlite":
        statements += [
            "DROP TRIGGER IF EXISTS recommendations_fts_insert",
            "DROP TRIGGER IF EXISTS recommendations_fts_delete",
            "DROP TRIGGER IF EXISTS recommendations_fts_update",
            "DROP TABLE IF EXISTS recommendations_fts",
        ]
    return statements
