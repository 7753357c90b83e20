"""Which source a record's wording and response come from when several sources hold it.

The same recommendation is met in a UN report, its addendum, a thematic list and a dataset export;
each import meets the record again. ``TEXT_AUTHORITY`` ranks the sources; ``update_changed`` writes
what a source may change, so repeated imports in any order leave the record as the highest source
put it, with the lower ones filling only what it left empty.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from rightstrack.model.records import DocumentKind, RecommendationDraft
from rightstrack.store import schema
from rightstrack.store.resolve import normal_text

_CHUNK = 500


# Which source's wording and response a record keeps when the same recommendation is met in several:
# the UN's own document over the copies made of it (a thematic list retypes the report and restates the
# addendum; a dataset export abridges). A lower source still fills what the higher ones left empty.
TEXT_AUTHORITY: dict[DocumentKind, int] = {
    DocumentKind.UPR_REPORT: 3,
    DocumentKind.CONCLUDING_OBSERVATIONS: 3,
    DocumentKind.UPR_ADDENDUM: 2,
    DocumentKind.THEMATIC_LIST: 1,
    DocumentKind.MATRIX: 1,
    DocumentKind.DATASET_EXPORT: 0,
    DocumentKind.OTHER: 0,
}


def text_authority(conn: Connection, rec_ids: list[int]) -> dict[int, int]:
    """The highest text authority among the documents each record was already met in."""
    s, d = schema.recommendation_sources, schema.documents
    found: dict[int, int] = {}
    for start in range(0, len(rec_ids), _CHUNK):
        chunk = rec_ids[start : start + _CHUNK]
        rows = conn.execute(
            select(s.c.recommendation_id, d.c.kind)
            .join(d, d.c.id == s.c.document_id)
            .where(s.c.recommendation_id.in_(chunk))
            .distinct()
        )
        for rec_id, kind in rows:
            rank = TEXT_AUTHORITY.get(DocumentKind(kind), 0) if kind in _KIND_VALUES else 0
            found[rec_id] = max(found.get(rec_id, -1), rank)
    return found


_KIND_VALUES = {k.value for k in DocumentKind}


def update_changed(
    conn: Connection, old: Any, draft: RecommendationDraft, now: datetime, *, outranked: bool = False
) -> bool:
    keep_response = outranked and old.response is not None
    new = {
        # The same words respaced or recased are not a change (two exports of one record).
        "text": old.text if outranked or normal_text(old.text) == normal_text(draft.text) else draft.text,
        "response": old.response if keep_response or not draft.response else draft.response.value,
        "response_source": old.response_source
        if keep_response
        else draft.response_source or old.response_source,
        # A lower source fills what the record lacks but does not renumber or retitle it.
        "paragraph": (old.paragraph if outranked else None) or draft.paragraph or old.paragraph,
        "topic": (old.topic if outranked else None) or draft.topic or old.topic,
    }
    changed = {k: v for k, v in new.items() if getattr(old, k) != v}
    if changed:
        r = schema.recommendations
        conn.execute(r.update().where(r.c.id == old.id).values(**changed, updated_at=now))
    return bool(changed)
