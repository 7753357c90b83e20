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
adding a second one; which wording wins is ``authority.TEXT_AUTHORITY``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, and_, select

from rightstrack.store import bulk, schema
from rightstrack.store.resolve import Resolved, normal_text


def _text_key(mechanism: str, state: str, session: int | None, text: str) -> bytes:
    return hashlib.sha1(f"{mechanism}|{state}|{session or ''}|{normal_text(text)}".encode()).digest()


@dataclass
class Matcher:
    """One import's matcher. What it looks up is read once per import, when first needed, and
    kept: per-chunk queries would cost more than the chunk's inserts."""

    scheme: str = ""
    """The external ids' scheme, taken from the first draft that has one."""
    _external: dict[str, str] | None = None
    _paragraphs: dict[tuple[str, str], str] | None = None
    _texts: dict[bytes, str] | None = None
    _text_groups: set[tuple[str, str, int | None]] = field(default_factory=set)
    """(mechanism, state, session) of the indexed texts: a row outside them needs no text key."""
    _claimed: set[str] = field(default_factory=set)
    """Records a row of this import has already taken by document or text (the indexes are read
    once, before those rows got their ids)."""

    def by_external_id(self, conn: Connection, resolved: list[Resolved]) -> None:
        """Step 1: a row met before (this file or another export) takes its record's fingerprint."""
        if not self.scheme:
            self.scheme = next((r.draft.external_id[0] for r in resolved if r.draft.external_id), "")
        if not self.scheme:
            return
        known = self._external_ids(conn)
        for item in resolved:
            ext = item.draft.external_id
            if ext is not None and (found := known.get(ext[1])) is not None:
                item.fingerprint = found

    def by_document(self, conn: Connection, unmatched: list[Resolved]) -> list[Resolved]:
        """Steps 3 and 4 for drafts whose fingerprint is new; returns those now matched."""
        pending = [r for r in unmatched if r.draft.symbol]
        matched: list[Resolved] = []
        if not pending:
            return matched
        paragraphs = self._paragraph_index(conn)
        for item in pending:
            d = item.draft
            found = paragraphs.get((d.symbol or "", d.paragraph)) if d.paragraph else None
            if (found is None or found in self._claimed) and self._has_texts(
                conn, d.mechanism, item.state, d.session
            ):
                found = self._text_index(conn).get(_text_key(d.mechanism, item.state, d.session, d.text))
            if found is not None and found not in self._claimed:
                item.fingerprint = found
                matched.append(item)
                if d.external_id is not None:
                    self._claimed.add(found)
        return matched

    def remember(self, conn: Connection, resolved: list[Resolved], ids: dict[str, int]) -> None:
        """Store the external ids met for the first time (the first row wins a repeated id)."""
        if not self.scheme:
            return
        known = self._external_ids(conn)
        rows: dict[str, int] = {}
        for item in resolved:
            ext = item.draft.external_id
            if ext is not None and ext[0] == self.scheme and ext[1] not in known:
                rows.setdefault(ext[1], ids[item.fingerprint])
                known[ext[1]] = item.fingerprint
        bulk.insert_rows(
            conn,
            "external_ids",
            ("scheme", "value", "recommendation_id"),
            [(self.scheme, value, rec) for value, rec in rows.items()],
        )

    def _external_ids(self, conn: Connection) -> dict[str, str]:
        if self._external is None:
            e, r = schema.external_ids, schema.recommendations
            rows = conn.execute(
                select(e.c.value, r.c.fingerprint)
                .join(r, r.c.id == e.c.recommendation_id)
                .where(e.c.scheme == self.scheme)
            )
            self._external = {value: fingerprint for value, fingerprint in rows}
        return self._external

    def _unclaimed(self) -> Any:
        """Records that no row of this scheme holds yet (so two rows of one export never merge)."""
        r, e = schema.recommendations, schema.external_ids
        return r.outerjoin(e, and_(e.c.recommendation_id == r.c.id, e.c.scheme == self.scheme))

    def _paragraph_index(self, conn: Connection) -> dict[tuple[str, str], str]:
        if self._paragraphs is None:
            r, s, d, e = (
                schema.recommendations,
                schema.recommendation_sources,
                schema.documents,
                schema.external_ids,
            )
            rows = conn.execute(
                select(d.c.symbol, s.c.paragraph, r.c.paragraph, r.c.fingerprint)
                .select_from(
                    self._unclaimed()
                    .join(s, s.c.recommendation_id == r.c.id)
                    .join(d, d.c.id == s.c.document_id)
                )
                .where(d.c.symbol.is_not(None), e.c.value.is_(None))
                .order_by(r.c.id)
            )
            found: dict[tuple[str, str], str] = {}
            for symbol, source_paragraph, paragraph, fingerprint in rows:
                if source_paragraph or paragraph:
                    found.setdefault((symbol, source_paragraph or paragraph), fingerprint)
            self._paragraphs = found
        return self._paragraphs

    def _has_texts(self, conn: Connection, mechanism: str, state: str, session: int | None) -> bool:
        self._text_index(conn)
        return (mechanism, state, session) in self._text_groups

    def _text_index(self, conn: Connection) -> dict[bytes, str]:
        if self._texts is None:
            r, v, e = schema.recommendations, schema.reviews, schema.external_ids
            rows = conn.execute(
                select(v.c.mechanism, v.c.state, v.c.session, r.c.text, r.c.fingerprint)
                .select_from(self._unclaimed().join(v, v.c.id == r.c.review_id))
                .where(e.c.value.is_(None))
                .order_by(r.c.id)
            )
            texts: dict[bytes, str] = {}
            for mechanism, state, session, text, fingerprint in rows:
                texts.setdefault(_text_key(mechanism, state, session, text), fingerprint)
                self._text_groups.add((mechanism, state, session))
            self._texts = texts
        return self._texts
