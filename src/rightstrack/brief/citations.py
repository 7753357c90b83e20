"""Citations: how a brief names the stored record each sentence rests on, and the check that every
citation still resolves to one.

Each kind of source is one small class (``CitationSource``) that builds its citations from what
the store holds (``cite``, used by the generators) and rebuilds them from their refs
(``rebuild``). A citation resolves when the store, asked again, gives back exactly the same
citation: the record exists, the figure (``value``) is still what the sentence states, and the
label names it as it is. Saving a brief runs this check on every point, so a forged or stale
citation is refused, not stored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

from sqlalchemy import Connection

from rightstrack.brief.model import Citation, Origin, Point
from rightstrack.brief.phrases import Phrases
from rightstrack.errors import Problem
from rightstrack.store.database import Database


@dataclass
class Context:
    """What rebuilding citations needs: the store (some sources run a report through ``db``), a
    read connection, the brief's language, and room for sources to keep what they computed."""

    db: Database
    conn: Connection
    say: Phrases
    memo: dict[Any, Any] = field(default_factory=dict)


class CitationSource(Protocol):
    kind: str

    def rebuild(self, ctx: Context, refs: Sequence[str]) -> dict[str, Citation]:
        """The citations these refs give today; a ref that resolves to nothing is left out."""
        ...


@cache
def sources() -> dict[str, CitationSource]:
    from rightstrack.brief import cite_corpus, cite_engagement, cite_tracking

    found: list[CitationSource] = [
        *cite_corpus.SOURCES,
        *cite_engagement.SOURCES,
        *cite_tracking.SOURCES,
    ]
    return {s.kind: s for s in found}


def check_points(db: Database, lang: str, points: Sequence[Point]) -> list[Problem]:
    """Every way these points break the rule that nothing in a brief is unsourced: a generated or
    edited point without a citation, or a citation that does not resolve."""
    problems = [
        Problem("a generated point must keep at least one citation", field=f"points.{i}.citations")
        for i, point in enumerate(points)
        if point.origin != Origin.HAND_WRITTEN and not point.citations
    ]
    cited = [(i, j, c) for i, p in enumerate(points) for j, c in enumerate(p.citations)]
    resolved = resolve(db, lang, [c for _, _, c in cited])
    for (i, j, citation), now in zip(cited, resolved, strict=True):
        if now != citation:
            problems.append(
                Problem(
                    _why(citation, now),
                    field=f"points.{i}.citations.{j}",
                    value=f"{citation.kind} {citation.ref}",
                )
            )
    return problems


def resolve(db: Database, lang: str, citations: Sequence[Citation]) -> list[Citation | None]:
    """Each citation as the store gives it today (None: it resolves to no stored record)."""
    refs: dict[str, list[str]] = defaultdict(list)
    for citation in citations:
        refs[citation.kind].append(citation.ref)
    with db.read() as conn:
        ctx = Context(db, conn, Phrases(lang))
        rebuilt = {
            kind: sources()[kind].rebuild(ctx, sorted(set(wanted)))
            for kind, wanted in refs.items()
            if kind in sources()
        }
    return [rebuilt.get(c.kind, {}).get(c.ref) for c in citations]


def _why(cited: Citation, now: Citation | None) -> str:
    if cited.kind not in sources():
        return f"unknown kind of citation {cited.kind!r}; known: {', '.join(sources())}"
    if now is None:
        return "the citation resolves to no stored record"
    if now.value != cited.value:
        return f"the record now says {now.value}, not {cited.value}: draft the brief again"
    return f"the citation does not match the stored record, which reads: {now.label}"
