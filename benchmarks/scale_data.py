"""A database the size of the whole UN record (~330k recommendations) for the search benchmarks.

The 33k UPR Info rows are imported as they are; ~300k treaty-body and special-procedure rows are
synthesised at run time from sentences of that corpus (nothing generated is committed), with
UHRI-like text lengths (median ~350 characters, a tail to ~3,000), spread over every state and
several mechanisms, and tagged in the uhri_theme / affected_persons / sdg families.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, text

from rightstrack.demo import real_exports
from rightstrack.importing import import_file
from rightstrack.store.bulk import deferred_fulltext, insert_rows, next_id, sync_sequence, timestamp
from rightstrack.store.database import Database

MECHANISMS = ("CCPR", "CESCR", "CAT", "CEDAW", "CRC", "CERD", "CRPD", "CED", "CMW", "SP")
YEARS = tuple(range(2008, 2025))
THEMES = tuple(f"Theme {i:02d}" for i in range(40))
PERSONS = tuple(f"Persons {i:02d}" for i in range(16))
SDGS = tuple(f"Goal {i}" for i in range(1, 18))
_SENTENCE = re.compile(r"[^.;]+[.;]")


def build(url: str, data: Path, extra: int, seed: int = 17) -> Database:
    db = Database(url)
    db.init()
    for path in real_exports(data):
        import_file(db, path, "upr-info")
    synthesise(db, extra, seed)
    return db


def row_count(db: Database) -> int:
    with db.read() as conn:
        return int(conn.scalar(text("SELECT count(*) FROM recommendations")) or 0)


def _sentences(conn: Connection) -> list[str]:
    found: set[str] = set()
    for body in conn.scalars(text("SELECT text FROM recommendations")):
        found.update(s.strip() for s in _SENTENCE.findall(body) if len(s) > 30)
    return sorted(found)


def _length(rng: random.Random) -> int:
    # log-normal around 350 characters, cut at 3,000: most UHRI recommendations are a paragraph,
    # a few are a page.
    return min(3000, max(60, int(rng.lognormvariate(5.86, 0.7))))


def _text(rng: random.Random, sentences: list[str]) -> str:
    wanted, parts, size = _length(rng), [], 0
    while size < wanted:
        part = rng.choice(sentences)
        parts.append(part)
        size += len(part) + 1
    return " ".join(parts)


def _reviews(conn: Connection, rng: random.Random) -> list[int]:
    states = sorted(conn.scalars(text("SELECT alpha3 FROM states")))
    first = next_id(conn, "reviews")
    rows: list[tuple[object, ...]] = []
    for mechanism in MECHANISMS:
        for state in states:
            for year in rng.sample(YEARS, 3):
                key = f"bench:{mechanism}:{state}:{year}"
                rows.append((first + len(rows), key, mechanism, state, None, None, year))
    insert_rows(conn, "reviews", ("id", "key", "mechanism", "state", "cycle", "session", "year"), rows)
    sync_sequence(conn, "reviews")
    return [first + i for i in range(len(rows))]


def _tags(conn: Connection) -> dict[str, list[int]]:
    first = next_id(conn, "tags")
    wanted = [("uhri_theme", n) for n in THEMES] + [("affected_persons", n) for n in PERSONS]
    wanted += [("sdg", n) for n in SDGS]
    insert_rows(
        conn, "tags", ("id", "family", "name"), [(first + i, f, n) for i, (f, n) in enumerate(wanted)]
    )
    sync_sequence(conn, "tags")
    by_family: dict[str, list[int]] = {}
    for i, (family, _) in enumerate(wanted):
        by_family.setdefault(family, []).append(first + i)
    return by_family


def _skewed(rng: random.Random, values: list[int], count: int) -> list[int]:
    # Zipf-like: a few themes are common, most are rare, as in the real index.
    weights = [1 / (rank + 1) for rank in range(len(values))]
    return sorted(set(rng.choices(values, weights, k=count)))


def _chunks(total: int, size: int) -> Iterator[range]:
    for start in range(0, total, size):
        yield range(start, min(total, start + size))


def synthesise(db: Database, extra: int, seed: int) -> None:
    rng = random.Random(seed)
    with db.transaction() as conn:
        sentences = _sentences(conn)
        reviews = _reviews(conn, rng)
        tags = _tags(conn)
        first = next_id(conn, "recommendations")
        now = timestamp(conn, datetime.now(UTC))
        with deferred_fulltext(conn, first):
            for chunk in _chunks(extra, 20_000):
                _insert_chunk(conn, rng, chunk, first, sentences, reviews, tags, now)
        sync_sequence(conn, "recommendations")


def _insert_chunk(
    conn: Connection,
    rng: random.Random,
    chunk: range,
    first: int,
    sentences: list[str],
    reviews: list[int],
    tags: dict[str, list[int]],
    now: object,
) -> None:
    recs: list[tuple[object, ...]] = []
    links: list[tuple[object, ...]] = []
    for k in chunk:
        rec_id = first + k
        response = rng.choice((None, None, "supported", "noted"))
        recs.append(
            (
                rec_id,
                rng.choice(reviews),
                f"bench-{rec_id}",
                str(k % 150 + 1),
                _text(rng, sentences),
                response,
                now,
                now,
            )
        )
        chosen = _skewed(rng, tags["uhri_theme"], rng.randint(1, 3))
        chosen += _skewed(rng, tags["affected_persons"], rng.randint(0, 2))
        chosen += _skewed(rng, tags["sdg"], rng.randint(0, 2))
        links.extend((rec_id, t, "imported", "benchmark", now) for t in chosen)
    columns = ("id", "review_id", "fingerprint", "paragraph", "text", "response", "created_at", "updated_at")
    insert_rows(conn, "recommendations", columns, recs)
    insert_rows(
        conn,
        "recommendation_tags",
        ("recommendation_id", "tag_id", "provenance", "source", "updated_at"),
        links,
    )
