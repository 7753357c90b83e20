"""Uploaded files, kept under the data directory by content so a preview and its confirmation read
the very same bytes; used by the import page and the import API."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from fastapi import UploadFile
from starlette.concurrency import run_in_threadpool

from rightstrack.errors import ImportFailed, InvalidInput, Problem, RightstrackError
from rightstrack.importing import import_file
from rightstrack.ingest.base import Importer
from rightstrack.ingest.budget import ReadBudget
from rightstrack.ingest.review_hint import ReviewHint
from rightstrack.settings import Settings
from rightstrack.store.database import Database
from rightstrack.store.writer import ImportSummary

MAX_UPLOAD = 50 * 1024 * 1024
_T = TypeVar("_T")
SAFE_SUFFIXES = frozenset({".csv", ".pdf", ".docx", ".doc", ".txt", ".html", ".htm", ".xls", ".xlsx"})


async def keep_upload(uploads: Path, file: UploadFile, beside: UploadFile | None = None) -> tuple[str, Path]:
    """Store an upload (size and type checked); return its handle and path.

    ``beside``: a companion stored in the same folder, where the importer looks for it (a UPR
    report's response addendum)."""
    data = await _checked(file)
    suffix = Path(file.filename or "upload").suffix.lower()
    uploads.mkdir(parents=True, exist_ok=True)
    # Kept under the user's own file name inside, so that summaries and errors name their file.
    folder = uploads / hashlib.sha256(data).hexdigest()[:32]
    folder.mkdir(exist_ok=True)
    path = folder / Path(file.filename or f"upload{suffix}").name
    path.write_bytes(data)
    if beside is not None and beside.filename:
        companion = folder / Path(beside.filename).name
        if companion == path:
            raise InvalidInput(f"{beside.filename}: the addendum has the same file name as the report")
        companion.write_bytes(await _checked(beside))
    return f"{folder.name}/{path.name}", path


async def _checked(file: UploadFile) -> bytes:
    data = await file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise InvalidInput(f"{file.filename}: larger than {MAX_UPLOAD // (1024 * 1024)} MiB")
    if not data:
        raise ImportFailed(f"{file.filename}: the file is empty")
    suffix = Path(file.filename or "upload").suffix.lower()
    if suffix not in SAFE_SUFFIXES:
        raise ImportFailed(
            f"{file.filename}: not a file type rightstrack imports ({', '.join(sorted(SAFE_SUFFIXES))})"
        )
    return data


def find_upload(uploads: Path, handle: str) -> Path:
    """The stored upload a handle names; refuses anything outside the uploads folder."""
    path = (uploads / handle).resolve()
    if uploads.resolve() not in path.parents or not path.is_file():
        raise InvalidInput("that upload is not known here: upload the file again")
    return path


@dataclasses.dataclass(frozen=True)
class UploadImports:
    """Imports of uploaded files as the import page and the API run them: under the settings' time
    budget, in a worker thread (the event loop never waits on a read), and without the server's
    upload folder in what they say back (errors, notes and summaries name the file as uploaded)."""

    db: Database
    settings: Settings

    def run(
        self,
        path: Path,
        importer: Importer | str | None = None,
        *,
        dry_run: bool = False,
        review: ReviewHint | None = None,
    ) -> ImportSummary:
        try:
            summary = import_file(
                self.db,
                path,
                importer,
                dry_run=dry_run,
                review=review,
                link_cycles=bool(self.settings.link_cycles_on_import),
                budget=ReadBudget.from_settings(self.settings),
            )
        except RightstrackError as exc:
            raise _without_folder(exc, path.parent) from None
        folder = f"{path.parent}/"
        summary.file = path.name
        summary.notes = [note.replace(folder, "") for note in summary.notes]
        summary.skipped = [_problem_without(p, folder) for p in summary.skipped]
        return summary

    def look(self, path: Path, read: Callable[[Path], _T]) -> _T:
        """A library read of an upload other than an import (a table's headings), its errors
        without the server's folder like an import's."""
        try:
            return read(path)
        except RightstrackError as exc:
            raise _without_folder(exc, path.parent) from None

    async def run_in_thread(self, path: Path, **options: Any) -> ImportSummary:
        summary: ImportSummary = await run_in_threadpool(self.run, path, **options)
        return summary


def _without_folder(exc: RightstrackError, folder: Path) -> RightstrackError:
    prefix = f"{folder}/"
    exc.message = exc.message.replace(prefix, "")
    exc.args = (exc.message,)
    exc.problems = [_problem_without(p, prefix) for p in exc.problems]
    return exc


def _problem_without(problem: Problem, prefix: str) -> Problem:
    return dataclasses.replace(
        problem,
        message=problem.message.replace(prefix, ""),
        file=problem.file.replace(prefix, "") if problem.file else problem.file,
        value=problem.value.replace(prefix, "") if problem.value else problem.value,
    )
