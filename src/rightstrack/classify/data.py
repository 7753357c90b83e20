"""What a labelled recommendation is for the classifiers, the temporal split, and a direct CSV reader.

The product and the benchmarks read recommendations from the store (``classify.corpus``, filled by
the real importer). :func:`load_uprinfo_rows` stays as a dependency-free reader of UPR Info's
exports for quick experiments; it yields the same texts and labels (action as "1"-"5").

UPR Info's exports (sessions 1-17) are Mac Roman encoded (byte 0x8e is "é") with CR line endings.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

UPRINFO_FILES = ("1-5.csv", "6-9.csv", "10-13.csv", "14-17.csv")


@dataclass(frozen=True, slots=True)
class Recommendation:
    """One labelled recommendation, as the classifiers see it."""

    text: str
    issues: tuple[str, ...]
    action: str | None
    session: int
    state_under_review: str = ""
    recommending_state: str = ""
    recommending_region: str = ""
    response: str = ""
    record_id: int | None = None  # the store's id, when read from the database
    cycle: int | None = None


def parse_issues(raw: str) -> tuple[str, ...]:
    """Split UPR Info's comma separated issue list (no issue name contains a comma)."""
    return tuple(sorted({part.strip() for part in raw.split(",") if part.strip()}))


def decode_export(raw: bytes) -> str:
    """Decode one export: Mac Roman, as the bytes show, whatever the source claims."""
    return raw.decode("mac_roman")


def read_uprinfo_csv(text: str) -> list[Recommendation]:
    """Parse the decoded text of one UPR Info CSV export."""
    rows: list[Recommendation] = []
    for record in csv.DictReader(io.StringIO(text, newline="")):
        body = (record.get("Text") or "").strip()
        session = (record.get("Session") or "").strip()
        if not body or not session.isdigit():
            continue
        action = (record.get("Action") or "").strip()
        rows.append(
            Recommendation(
                text=body,
                issues=parse_issues(record.get("Issue") or ""),
                action=action if action in {"1", "2", "3", "4", "5"} else None,
                session=int(session),
                state_under_review=(record.get("To") or "").strip(),
                recommending_state=(record.get("From") or "").strip(),
                recommending_region=(record.get("From-Rgrp") or "").strip(),
                response=(record.get("Response") or "").strip(),
            )
        )
    return rows


def load_uprinfo_rows(folder: Path, files: Iterable[str] = UPRINFO_FILES) -> list[Recommendation]:
    """Load every recommendation of the UPR Info exports found in ``folder``."""
    rows: list[Recommendation] = []
    for name in files:
        path = folder / name
        if path.is_file():
            rows.extend(read_uprinfo_csv(decode_export(path.read_bytes())))
    return rows


@dataclass(frozen=True, slots=True)
class TemporalSplit:
    train: list[Recommendation]
    validation: list[Recommendation]
    test: list[Recommendation]


def temporal_split(
    rows: Sequence[Recommendation],
    *,
    train_until: int = 12,
    validation_until: int = 14,
) -> TemporalSplit:
    """Split by session: train <= ``train_until`` < validation <= ``validation_until`` < test.

    Never random: the same recommendation text recurs across cycles, so a random split lets the
    model see tomorrow's reviews.
    """
    return TemporalSplit(
        train=[r for r in rows if r.session <= train_until],
        validation=[r for r in rows if train_until < r.session <= validation_until],
        test=[r for r in rows if r.session > validation_until],
    )
