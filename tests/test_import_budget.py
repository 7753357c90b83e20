"""A document import runs under a time budget, in a process that is stopped when it runs past it.

The importers here misbehave on purpose (they are module-level classes, so the reading process can
find them): one sleeps page after page, one spins in a backtracking pattern inside the C engine
(which no signal interrupts), one crashes, one asks for more memory than it may have.
"""

from __future__ import annotations

import itertools
import re
import time
from pathlib import Path
from typing import ClassVar

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from rightstrack.auth.accounts import create_user
from rightstrack.auth.roles import Role
from rightstrack.errors import ImportFailed
from rightstrack.importing import import_file
from rightstrack.ingest.base import ImportBatch, ProgressCallback
from rightstrack.ingest.budget import ImportTimedOut, ReadBudget, reached, report_pages
from rightstrack.settings import load_settings
from rightstrack.store import schema
from rightstrack.store.database import Database
from rightstrack.web.app import create_app
from tests.undocs.fixtures import report_pdf

TIGHT = ReadBudget(seconds_per_page=0.2, base_seconds=0.5)


class _Misbehaving:
    name: ClassVar[str] = "misbehaving"
    description: ClassVar[str] = "an importer that does not finish"
    budgeted: ClassVar[bool] = True

    def sniff(self, path: Path, head: bytes) -> bool:
        return False


class SleepingImporter(_Misbehaving):
    def read(self, path: Path, progress: ProgressCallback | None = None) -> ImportBatch:
        report_pages(3)
        for page in itertools.count(1):
            reached(f"page {min(page, 3)} of 3")
            time.sleep(0.02)
        raise AssertionError("unreachable")


class BacktrackingImporter(_Misbehaving):
    def read(self, path: Path, progress: ProgressCallback | None = None) -> ImportBatch:
        reached("page 1")
        re.match(r"(?:\d{1,3}(?:\.\d{1,3})?\.?,?\s*)+\s+(?=[A-Z])", "140.1, " * 60 + "x")
        raise AssertionError("unreachable")


class CrashingImporter(_Misbehaving):
    def read(self, path: Path, progress: ProgressCallback | None = None) -> ImportBatch:
        reached("page 2")
        return {}["nothing"]  # type: ignore[no-any-return]


class HungryImporter(_Misbehaving):
    def read(self, path: Path, progress: ProgressCallback | None = None) -> ImportBatch:
        reached("page 1")
        hoard = [bytearray(64 * 1024 * 1024) for _ in range(64)]
        raise AssertionError(f"unreachable {len(hoard)}")


def _count(db: Database) -> int:
    with db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(schema.recommendations)).scalar_one())


def test_an_import_past_its_budget_stops_naming_the_file_and_page(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "slow.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(ImportTimedOut) as stopped:
        import_file(db, path, SleepingImporter(), budget=TIGHT)
    message = str(stopped.value)
    assert "slow.pdf: stopped after" in message and "a 3-page document" in message
    assert "it had reached page 3 of 3" in message and "Nothing was stored" in message
    assert stopped.value.problems[0].page == 3
    assert stopped.value.as_dict()["error"] == "import_timed_out" and stopped.value.status == 422
    assert _count(db) == 0


def test_a_backtracking_pattern_is_stopped_too(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "addendum.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(ImportTimedOut, match=r"addendum\.pdf.*it had reached page 1"):
        import_file(db, path, BacktrackingImporter(), budget=ReadBudget(0.0, 1.0))
    assert _count(db) == 0


def test_a_crashing_reader_is_a_clear_error(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "odd.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(ImportFailed, match=r"odd.pdf: the reader failed at page 2 \(KeyError"):
        import_file(db, path, CrashingImporter(), budget=TIGHT)


def test_a_reader_over_its_memory_is_stopped(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    path.write_bytes(b"PK")
    with pytest.raises(ImportFailed, match=r"bomb.docx: reading it needed more than 1024 MiB"):
        import_file(db, path, HungryImporter(), budget=ReadBudget(1.0, 10.0, memory_mb=1024))


def test_a_real_document_within_its_budget_and_without_one(db: Database, tmp_path: Path) -> None:
    report = report_pdf(tmp_path / "report.pdf")
    assert import_file(db, report, budget=ReadBudget()).created == 3
    assert import_file(db, report, budget=None, dry_run=True).unchanged == 3


def test_settings_set_the_budget() -> None:
    settings = load_settings({"import_seconds_per_page": "1.5", "import_base_seconds": "3"}, environ={})
    assert ReadBudget.from_settings(settings) == ReadBudget(1.5, 3.0, 2048)
    assert ReadBudget.from_settings(load_settings({"import_seconds_per_page": "0"}, environ={})) is None


def test_on_the_web_an_upload_past_its_budget_is_refused_and_the_worker_is_free(
    db: Database, tmp_path: Path
) -> None:
    create_user(db, "importer", "a long enough password", Role.EDITOR)
    settings = load_settings(
        {"data_dir": str(tmp_path / "data"), "import_seconds_per_page": "0.0001", "import_base_seconds": "0"},
        environ={},
    )
    client = TestClient(create_app(db, settings))
    login = client.post("/api/v1/login", json={"username": "importer", "password": "a long enough password"})
    client.headers["X-CSRF-Token"] = login.json()["csrf_token"]
    pdf = report_pdf(tmp_path / "A_HRC_99_7.pdf").read_bytes()
    answer = client.post("/api/v1/imports", files={"file": ("A_HRC_99_7.pdf", pdf, "application/pdf")})
    assert answer.status_code == 422
    body = answer.json()
    assert body["error"] == "import_timed_out" and body["message"].startswith("A_HRC_99_7.pdf: stopped after")
    assert str(tmp_path) not in answer.text  # the server's upload folder is not said
    assert client.get("/api/v1/search", params={"q": "torture"}).status_code == 200
    assert _count(db) == 0
