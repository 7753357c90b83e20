"""Finding the stored record a row of an export is about, when its own fingerprint is new.

An export that numbers its rows (UHRI's annotation ids, kept in ``external_ids``) and cites a UN
document per row meets records already imported from those documents. A draft carrying an
external id or a document symbol is matched, in this order, by:

1. its external id: a re-import, from this file or another export holding the same rows;
2. its own fingerprint (same review, session and paragraph as a UN report gave it);
3. its document symbol and paragraph, among the sources of stored records;
4. its normalised text, within the same mechanism, state under review and session.

Steps 3 and 4 skip records that already carry an id of the same scheme: two rows of one export are
two recommendations and never merge with each other. A matched draft takes the record's
fingerprint, so the writer enriches that record (sources, tags, a missing response) instead of
adding a second one; which wording wins is the writer's TEXT_AUTHORITY.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, and_, select

from rightstrack.store import bulk, schema
from rightstrack.store.resolve import Resolved, normal_text

_CHUNK = 500


def _text_key(mechanism: str, state: str, session: int | None, text: str) -> bytes:
    return hashlib.sha1(f"{mechanism}|{state}|{session or ''}|{normal_text(text)}".encode()).digest()


@dataclass
class Matcher:
    """One import's matcher; the index of stored texts is built once, when first needed."""

    scheme: str = ""
    """The external ids' scheme, taken from the first draft that has one."""
    _texts: dict[bytes, str] | None = None

    def rebind(self, conn: Connection, resolved: list[Resolved]) -> None:
        pending = [r for r in resolved if r.draft.external_id or r.draft.symbol]
        if not pending:
            return
        if not self.scheme:
            self.scheme = next((r.draft.external_id[0] for r in pending if r.draft.external_id), "")
        pending = self._by_external_id(conn, pending)
        known = _stored(conn, [r.fingerprint for r in pending])
        pending = [r for r in pending if r.fingerprint not in known]
        pending = self._by_symbol_paragraph(conn, pending)
        if pending:
            texts = self._text_index(conn)
            for item in pending:
                d = item.draft
                found = texts.get(_text_key(d.mechanism, item.state, d.session, d.text))
                if found is not None:
                    item.fingerprint = found

    def remember(self, conn: Connection, resolved: Iterable[Resolved], ids: dict[str, int]) -> None:
        """Store the external ids met for the first time (the first row wins a repeated id)."""
        wanted: dict[str, int] = {}
        for item in resolved:
            ext = item.draft.external_id
            if ext is not None and ext[0] == self.scheme:
                wanted.setdefault(ext[1], ids[item.fingerprint])
        have = _external(conn, self.scheme, list(wanted))
        bulk.insert_rows(
            conn,
            "external_ids",
            ("scheme", "value", "recommendation_id"),
            [(self.scheme, value, rec) for value, rec in wanted.items() if value not in have],
        )

    def _by_external_id(self, conn: Connection, pending: list[Resolved]) -> list[Resolved]:
        values = [r.draft.external_id[1] for r in pending if r.draft.external_id]
        found = _external(conn, self.scheme, values)
        rest: list[Resolved] = []
        for item in pending:
            ext = item.draft.external_id
            if ext is not None and ext[1] in found:
                item.fingerprint = found[ext[1]]
            else:
                rest.append(item)
        return rest

    def _by_symbol_paragraph(self, conn: Connection, pending: list[Resolved]) -> list[Resolved]:
        wanted = {r.draft.symbol for r in pending if r.draft.symbol and r.draft.paragraph}
        if not wanted:
            return pending
        r, s, d, e = (
            schema.recommendations,
            schema.recommendation_sources,
            schema.documents,
            schema.external_ids,
        )
        found: dict[tuple[str, str], str] = {}
        symbols = sorted(wanted)
        for start in range(0, len(symbols), _CHUNK):
            rows = conn.execute(
                select(d.c.symbol, s.c.paragraph, r.c.paragraph, r.c.fingerprint)
                .select_from(
                    d.join(s, s.c.document_id == d.c.id)
                    .join(r, r.c.id == s.c.recommendation_id)
                    .outerjoin(e, and_(e.c.recommendation_id == r.c.id, e.c.scheme == self.scheme))
                )
                .where(d.c.symbol.in_(symbols[start : start + _CHUNK]), e.c.value.is_(None))
                .order_by(r.c.id)
            )
            for symbol, source_paragraph, paragraph, fingerprint in rows:
                found.setdefault((symbol, source_paragraph or paragraph or ""), fingerprint)
        rest: list[Resolved] = []
        for item in pending:
            hit = found.get((item.draft.symbol or "", item.draft.paragraph or ""))
            if hit is not None and item.draft.paragraph:
                item.fingerprint = hit
            else:
                rest.append(item)
        return rest

    def _text_index(self, conn: Connection) -> dict[bytes, str]:
        if self._texts is None:
            r, v, e = schema.recommendations, schema.reviews, schema.external_ids
            rows = conn.execute(
                select(v.c.mechanism, v.c.state, v.c.session, r.c.text, r.c.fingerprint)
                .select_from(
                    r.join(v, v.c.id == r.c.review_id).outerjoin(
                        e, and_(e.c.recommendation_id == r.c.id, e.c.scheme == self.scheme)
                    )
                )
                .where(e.c.value.is_(None))
                .order_by(r.c.id)
            )
            texts: dict[bytes, str] = {}
            for mechanism, state, session, text, fingerprint in rows:
                texts.setdefault(_text_key(mechanism, state, session, text), fingerprint)
            self._texts = texts
        return self._texts


def _external(conn: Connection, scheme: str, values: list[str]) -> dict[str, str]:
    """External id value → fingerprint of its record."""
    e, r = schema.external_ids, schema.recommendations
    found: dict[str, str] = {}
    unique = sorted(set(values))
    for start in range(0, len(unique), _CHUNK):
        rows = conn.execute(
            select(e.c.value, r.c.fingerprint)
            .join(r, r.c.id == e.c.recommendation_id)
            .where(e.c.scheme == scheme, e.c.value.in_(unique[start : start + _CHUNK]))
        )
        found.update({value: fingerprint for value, fingerprint in rows})
    return found


def _stored(conn: Connection, fingerprints: list[str]) -> set[str]:
    r = schema.recommendations
    found: set[str] = set()
    for start in range(0, len(fingerprints), _CHUNK):
        chunk = fingerprints[start : start + _CHUNK]
        found.update(conn.scalars(select(r.c.fingerprint).where(r.c.fingerprint.in_(chunk))))
    return found
