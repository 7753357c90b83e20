"""Shared fixtures: databases on SQLite (always) and PostgreSQL (when a URL is given), CSV writers."""

from __future__ import annotations

import csv
import io
import os
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from rightstrack.store.database import Database

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
POSTGRES_URL = os.environ.get("RIGHTSTRACK_TEST_POSTGRES_URL", "")
HEADER = (
    "To",
    "To-Rgrp",
    "To-Org",
    "Text",
    "From",
    "From-Rgrp",
    "From-Org",
    "Response",
    "Action",
    "Issue",
    "Session",
)


def needs_shared_data() -> None:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is not present (it sits beside the project in CI)")


def _backends() -> list[str]:
    return ["sqlite", "postgres"] if POSTGRES_URL else ["sqlite"]


@pytest.fixture(params=_backends())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    from sqlalchemy import create_engine, text

    schema_name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema_name}"))
    separator = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema_name}"
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema_name} CASCADE"))
    admin.dispose()


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    database.init()
    yield database
    database.close()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'only-sqlite.db'}")
    database.init()
    yield database
    database.close()


Row = tuple[str, str, str, str, str, str, int]  # To, From, Text, Response, Action, Issue, Session

SAMPLE_ROWS: tuple[Row, ...] = (
    (
        "Brazil",
        "Canada",
        "Investigate all allegations of torture by police officers.",
        "Accepted",
        "5",
        "Torture and other CID treatment,Justice",
        1,
    ),
    (
        "Brazil",
        "France",
        "Consider ratifying the Convention on enforced disappearances.",
        "Noted",
        "3",
        "Enforced disappearances,International instruments",
        1,
    ),
    ("United States", "Iran", "Abolish the death penalty.", "Noted", "5", "Death penalty", 9),
    (
        "United States",
        "Russian Federation",
        "Ratify the Convention on the Rights of the Child.",
        "Noted",
        "5",
        "International instruments,Rights of the Child",
        9,
    ),
    (
        "United States",
        "Côte d'Ivoire",
        "Continue efforts to combat racial discrimination in policing.",
        "Accepted",
        "2",
        "Racial discrimination",
        9,
    ),
    (
        "Iran",
        "Holy See",
        "Guarantee freedom of religion for members of minority faiths.",
        "Noted",
        "4",
        "Freedom of religion and belief,Minorities",
        7,
    ),
    (
        "Iran",
        "Norway",
        "Protect women human rights defenders from arbitrary detention.",
        "Accepted",
        "4",
        "Human rights defenders,Women's rights,Detention",
        7,
    ),
    (
        "Norway",
        "Palestine",
        "Strengthen measures against trafficking in women and girls.",
        "Accepted",
        "4",
        "Trafficking,Women's rights",
        6,
    ),
    (
        "Norway",
        "&#40;Unknown&#41;",
        "Establish a national human rights institution.",
        "Accepted",
        "5",
        "NHRI",
        6,
    ),
)


def csv_bytes(
    rows: Sequence[Row], *, encoding: str = "mac_roman", newline: str = "\r", header: Sequence[str] = HEADER
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    writer.writerow(header)
    for to, frm, text, response, action, issue, session in rows:
        full = {
            "To": to,
            "To-Rgrp": "",
            "To-Org": "",
            "Text": text,
            "From": frm,
            "From-Rgrp": "",
            "From-Org": "",
            "Response": response,
            "Action": action,
            "Issue": issue,
            "Session": str(session),
        }
        writer.writerow([full.get(h, "") for h in header])
    return buffer.getvalue().encode(encoding)


@pytest.fixture
def sample_csv(tmp_path: Path) -> Path:
    path = tmp_path / "sample.csv"
    path.write_bytes(csv_bytes(SAMPLE_ROWS))
    return path
