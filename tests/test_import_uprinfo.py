"""The UPR Info importer and the write path, on every configured database engine."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from rightstrack.errors import ImportFailed, UnknownState
from rightstrack.importing import import_file
from rightstrack.store import schema
from rightstrack.store.database import Database
from rightstrack.store.records import fetch_records, iter_all_ids
from tests.conftest import HEADER, SAMPLE_ROWS, csv_bytes


def _counts(db: Database) -> dict[str, int]:
    with db.read() as conn:
        return {
            t.name: int(conn.scalar(select(func.count()).select_from(t)) or 0)
            for t in (
                schema.recommendations,
                schema.recommenders,
                schema.recommendation_tags,
                schema.recommendation_sources,
                schema.reviews,
                schema.documents,
                schema.tags,
            )
        }


def test_import_creates_every_row(db: Database, sample_csv: Path) -> None:
    summary = import_file(db, sample_csv, "upr-info")
    assert (summary.rows_read, summary.created, summary.updated, summary.unchanged) == (9, 9, 0, 0)
    assert summary.accounted == summary.rows_read
    assert summary.non_state_recommenders == {"(unknown)": 1}
    counts = _counts(db)
    assert counts["recommendations"] == 9
    assert counts["reviews"] == 4  # Brazil 1, USA 9, Iran 7, Norway 6


def test_records_resolve_names_and_keep_tags(db: Database, sample_csv: Path) -> None:
    import_file(db, sample_csv, "upr-info")
    with db.read() as conn:
        records = {r["text"]: r for r in fetch_records(conn, list(iter_all_ids(conn)))}
    usa = records["Ratify the Convention on the Rights of the Child."]
    assert usa["state_under_review"] == "USA"
    assert usa["recommending_states"] == ["RUS"]
    assert usa["response"] == "noted"
    assert usa["cycle"] == 1 and usa["session"] == 9 and usa["year"] == 2010
    assert {t["name"] for t in usa["tags"]["upr_issue"]} == {
        "International instruments",
        "Rights of the Child",
    }
    assert usa["tags"]["upr_action"] == [
        {"name": "5 - Specific action", "provenance": "imported", "confidence": None, "source": "UPR Info"}
    ]
    assert usa["sources"][0]["locator"] == "sample.csv line 5"
    assert records["Continue efforts to combat racial discrimination in policing."][
        "recommending_states"
    ] == ["CIV"]
    assert records["Guarantee freedom of religion for members of minority faiths."][
        "recommending_states"
    ] == ["VAT"]
    assert records["Establish a national human rights institution."]["recommending_states"] == ["(unknown)"]


def test_reimport_is_idempotent(db: Database, sample_csv: Path) -> None:
    import_file(db, sample_csv, "upr-info")
    before = _counts(db)
    again = import_file(db, sample_csv, "upr-info")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 9)
    after = _counts(db)
    assert {k: v for k, v in after.items()} == before


def test_reimport_of_a_corrected_export_updates_only_what_changed(db: Database, tmp_path: Path) -> None:
    first = tmp_path / "a.csv"
    first.write_bytes(csv_bytes(SAMPLE_ROWS))
    import_file(db, first, "upr-info")
    corrected = [(*SAMPLE_ROWS[0][:3], "Noted", *SAMPLE_ROWS[0][4:]), *SAMPLE_ROWS[1:]]
    second = tmp_path / "b.csv"
    second.write_bytes(csv_bytes(corrected))
    summary = import_file(db, second, "upr-info")
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 8)
    assert _counts(db)["recommendations"] == 9
    assert _counts(db)["documents"] == 2
    assert _counts(db)["recommendation_sources"] == 18  # every record traced to both exports


def test_identical_rows_are_kept_apart(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_bytes(csv_bytes([SAMPLE_ROWS[0], SAMPLE_ROWS[0]]))
    assert import_file(db, path, "upr-info").created == 2
    assert import_file(db, path, "upr-info").unchanged == 2


def test_dry_run_stores_nothing(db: Database, sample_csv: Path) -> None:
    before = _counts(db)
    summary = import_file(db, sample_csv, "upr-info", dry_run=True)
    assert summary.created == 9 and summary.dry_run
    assert _counts(db) == before


def test_encodings_and_line_endings(db: Database, tmp_path: Path) -> None:
    row = ("Chad", "Ireland", "Bring Mr. Hissène Habré to justice.", "Accepted", "5", "Impunity", 3)
    for number, (encoding, newline) in enumerate(
        [("mac_roman", "\r"), ("cp1252", "\r\n"), ("utf-8", "\n"), ("utf-8-sig", "\n")]
    ):
        path = tmp_path / f"enc{number}.csv"
        path.write_bytes(
            csv_bytes([(*row[:2], row[2] + f" {number}", *row[3:])], encoding=encoding, newline=newline)
        )
        import_file(db, path, "upr-info")
    with db.read() as conn:
        texts = sorted(conn.scalars(select(schema.recommendations.c.text)))
    assert texts == [f"Bring Mr. Hissène Habré to justice. {n}" for n in range(4)]


# --- bad input: a clear message naming file, line and field, and the database exactly as it was ---


def _assert_unchanged(db: Database, before: dict[str, int]) -> None:
    assert _counts(db) == before


@pytest.fixture
def loaded(db: Database, sample_csv: Path) -> tuple[Database, dict[str, int]]:
    import_file(db, sample_csv, "upr-info")
    return db, _counts(db)


def test_unknown_states_are_all_listed(loaded: tuple[Database, dict[str, int]], tmp_path: Path) -> None:
    db, before = loaded
    path = tmp_path / "unknown.csv"
    path.write_bytes(
        csv_bytes(
            [
                SAMPLE_ROWS[0],
                ("Atlantis", "France", "Do something.", "Accepted", "4", "General", 2),
                ("Brazil", "Freedonia", "Do something else.", "Accepted", "4", "General", 2),
            ]
        )
    )
    with pytest.raises(UnknownState) as caught:
        import_file(db, path, "upr-info")
    message = str(caught.value)
    assert "unknown.csv" in message
    problems = {(p.line, p.field, p.value) for p in caught.value.problems}
    assert problems == {(3, "To", "Atlantis"), (4, "From", "Freedonia")}
    _assert_unchanged(db, before)


def test_truncated_file(loaded: tuple[Database, dict[str, int]], tmp_path: Path) -> None:
    db, before = loaded
    raw = csv_bytes(
        [*SAMPLE_ROWS[:3], ("Peru", "Chile", 'Adopt a "quoted, long', "Accepted", "4", "General", 2)]
    )
    path = tmp_path / "truncated.csv"
    path.write_bytes(raw[: raw.rindex(b"long") + 4])
    with pytest.raises(ImportFailed) as caught:
        import_file(db, path, "upr-info")
    assert "truncated.csv" in str(caught.value)
    assert caught.value.problems and caught.value.problems[0].line == 5
    _assert_unchanged(db, before)


def test_row_with_missing_fields(loaded: tuple[Database, dict[str, int]], tmp_path: Path) -> None:
    db, before = loaded
    raw = csv_bytes(SAMPLE_ROWS[:2]) + b"Peru,Andean,,Adopt a plan,Chile\r"
    path = tmp_path / "short.csv"
    path.write_bytes(raw)
    with pytest.raises(ImportFailed) as caught:
        import_file(db, path, "upr-info")
    assert caught.value.problems[0].line == 4
    assert "5 fields but the header has 11" in str(caught.value)
    _assert_unchanged(db, before)


def test_wrong_encoding(loaded: tuple[Database, dict[str, int]], tmp_path: Path) -> None:
    db, before = loaded
    path = tmp_path / "binary.csv"
    path.write_bytes(b"To,Text\x00\x01\x02" + bytes(range(256)))
    with pytest.raises(ImportFailed, match="not a text file") as caught:
        import_file(db, path, "upr-info")
    assert "binary.csv" in str(caught.value)
    _assert_unchanged(db, before)


def test_utf16_without_bom_is_refused(loaded: tuple[Database, dict[str, int]], tmp_path: Path) -> None:
    db, before = loaded
    path = tmp_path / "utf16.csv"
    path.write_bytes(csv_bytes(SAMPLE_ROWS[:2], encoding="utf-16-le"))
    with pytest.raises(ImportFailed, match=r"binary data"):
        import_file(db, path, "upr-info")
    _assert_unchanged(db, before)


def test_missing_column(loaded: tuple[Database, dict[str, int]], tmp_path: Path) -> None:
    db, before = loaded
    path = tmp_path / "nocol.csv"
    path.write_bytes(csv_bytes(SAMPLE_ROWS[:2], header=[h for h in HEADER if h != "Response"]))
    with pytest.raises(ImportFailed) as caught:
        import_file(db, path, "upr-info")
    assert "missing column(s) Response" in str(caught.value)
    assert [(p.line, p.field) for p in caught.value.problems] == [(1, "Response")]
    _assert_unchanged(db, before)


@pytest.mark.parametrize("content", [b"", b"   \r\n", b"To,Text,From,Response,Action,Issue,Session\r"])
def test_empty_files(loaded: tuple[Database, dict[str, int]], tmp_path: Path, content: bytes) -> None:
    db, before = loaded
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFailed, match=r"empty\.csv"):
        import_file(db, path, "upr-info")
    _assert_unchanged(db, before)


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("Session", "seven", "session must be a whole number"),
        ("Action", "9", "action category must be 1 to 5"),
        ("Response", "Maybe", "unknown response"),
        ("Text", " ", "recommendation text is empty"),
    ],
)
def test_bad_values_name_line_and_field(
    loaded: tuple[Database, dict[str, int]], tmp_path: Path, column: str, value: str, message: str
) -> None:
    db, before = loaded
    good = list(SAMPLE_ROWS[1])
    order = {"To": 0, "From": 1, "Text": 2, "Response": 3, "Action": 4, "Issue": 5, "Session": 6}
    good[order[column]] = value
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes([SAMPLE_ROWS[0], tuple(good)]))  # type: ignore[list-item]
    with pytest.raises(ImportFailed) as caught:
        import_file(db, path, "upr-info")
    problem = caught.value.problems[0]
    assert (problem.line, problem.field) == (3, column)
    assert message in str(caught.value)
    _assert_unchanged(db, before)


def test_voluntary_pledges_are_skipped_with_a_reason(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "pledges.csv"
    path.write_bytes(
        csv_bytes(
            [
                SAMPLE_ROWS[0],
                ("Albania", "Albania", "We pledge to act.", "Voluntary Pledge", "5", "General", 19),
            ]
        )
    )
    summary = import_file(db, path, "upr-info")
    assert summary.created == 1
    assert [(p.line, p.field) for p in summary.skipped] == [(3, "Response")]
    assert summary.accounted == summary.rows_read == 2


def test_missing_file_is_a_clear_error(db: Database, tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="no such file"):
        import_file(db, tmp_path / "nope.csv", "upr-info")
