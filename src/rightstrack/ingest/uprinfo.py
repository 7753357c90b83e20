"""UPR Info database exports (CSV): one row per recommendation and recommending state.

Columns: To, To-Rgrp, To-Org, Text, From, From-Rgrp, From-Org, Response, Action, Issue, Session.
Regional groups and organisations are not read: rightstrack's own state table is the source for
them, so one state never ends up in two groups.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from rightstrack.errors import ErrorList, ImportFailed, Problem
from rightstrack.ingest.base import ImportBatch, ProgressCallback, register, sha256_of
from rightstrack.ingest.encoding import decode_text
from rightstrack.model.records import DocumentInfo, DocumentKind, RecommendationDraft, Response
from rightstrack.model.reference import ACTION_CATEGORIES, ACTION_FAMILY, ISSUE_FAMILY
from rightstrack.model.upr import cycle_of_session, year_of_session

REQUIRED = ("To", "Text", "From", "Response", "Action", "Issue", "Session")
OPTIONAL = ("To-Rgrp", "To-Org", "From-Rgrp", "From-Org")
_PLEDGE = "voluntary pledge"
_PROGRESS_EVERY = 2000


class UprInfoCsvImporter:
    name: ClassVar[str] = "upr-info"
    budgeted: ClassVar[bool] = False
    description: ClassVar[str] = (
        "UPR Info database export (CSV: To, Text, From, Response, Action, Issue, Session)"
    )
    field_labels: ClassVar[dict[str, str]] = {"state_under_review": "To", "recommending_states": "From"}

    def __init__(self, encoding: str | None = None) -> None:
        self.encoding = encoding

    def sniff(self, path: Path, head: bytes) -> bool:
        first_line = head.replace(b"\r", b"\n").split(b"\n", 1)[0].decode("latin-1")
        columns = {c.strip().strip('"') for c in first_line.split(",")}
        return set(REQUIRED) <= columns

    def read(self, path: Path, progress: ProgressCallback | None = None) -> ImportBatch:
        filename = str(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise ImportFailed(f"{filename}: cannot read file: {exc.strerror}") from exc
        if not raw.strip():
            raise ImportFailed(
                f"{filename}: the file is empty (expected a header row: {', '.join(REQUIRED)})"
            )
        text, encoding = decode_text(raw, filename, self.encoding)
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        header = self._header(reader, filename)
        total = text.count("\r") or text.count("\n")
        errors = ErrorList(filename)
        drafts: list[RecommendationDraft] = []
        notes: list[Problem] = [Problem(f"decoded as {encoding}", filename)]
        rows_read = 0
        try:
            for row in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                rows_read += 1
                if len(row) != len(header):
                    errors.add(
                        f"row has {len(row)} fields but the header has {len(header)} "
                        "(truncated file or an unquoted comma)",
                        line=line,
                    )
                    continue
                draft = self._draft(dict(zip(header, row, strict=True)), filename, line, errors, notes)
                if draft is not None:
                    drafts.append(draft)
                if progress and rows_read % _PROGRESS_EVERY == 0:
                    progress(rows_read, total)
        except csv.Error as exc:
            errors.add(
                f"malformed CSV: {exc} (the file may be truncated inside a quoted field)",
                line=reader.line_num,
            )
        errors.raise_if_any(f"{len(errors.problems)} problem(s); nothing was imported")
        if not rows_read:
            raise ImportFailed(f"{filename}: the file has a header but no rows")
        if progress:
            progress(rows_read, rows_read)
        document = DocumentInfo(
            path=filename,
            sha256=sha256_of(path),
            kind=DocumentKind.DATASET_EXPORT,
            title=f"UPR Info database export {path.name}",
        )
        return ImportBatch(
            document=document,
            drafts=drafts,
            notes=notes,
            rows_read=rows_read,
            field_labels=self.field_labels,
            tag_source="UPR Info",
        )

    @staticmethod
    def _header(reader: Iterator[list[str]], filename: str) -> list[str]:
        try:
            header = [c.strip() for c in next(reader)]
        except StopIteration:
            raise ImportFailed(f"{filename}: the file is empty") from None
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            problems = [Problem("required column missing", filename, line=1, field=c) for c in missing]
            raise ImportFailed(
                f"{filename}: not a UPR Info export: missing column(s) {', '.join(missing)}; "
                f"found {', '.join(header) or 'none'}",
                problems,
            )
        return header

    @staticmethod
    def _draft(
        row: dict[str, str], filename: str, line: int, errors: ErrorList, notes: list[Problem]
    ) -> RecommendationDraft | None:
        name = filename.rsplit("/", 1)[-1]
        text = " ".join(row["Text"].split())
        response_raw = row["Response"].strip()
        if response_raw.lower() == _PLEDGE:
            notes.append(
                Problem(
                    "skipped: a voluntary pledge, not a recommendation",
                    filename,
                    line=line,
                    field="Response",
                    value=response_raw,
                )
            )
            return None
        session_raw = row["Session"].strip()
        if not session_raw.isdigit():
            errors.add("session must be a whole number", line=line, field="Session", value=session_raw)
            return None
        if not text:
            errors.add("recommendation text is empty", line=line, field="Text")
            return None
        response = Response.parse(response_raw) if response_raw else None
        if response_raw and response is None:
            errors.add("unknown response", line=line, field="Response", value=response_raw)
            return None
        tags: dict[str, list[str]] = {}
        issues = [i.strip() for i in row["Issue"].split(",") if i.strip()]
        if issues:
            tags[ISSUE_FAMILY] = issues
        action = row["Action"].strip()
        if action:
            if action not in ACTION_CATEGORIES:
                errors.add("action category must be 1 to 5", line=line, field="Action", value=action)
                return None
            tags[ACTION_FAMILY] = [ACTION_CATEGORIES[action]]
        session = int(session_raw)
        recommender = html.unescape(row["From"]).strip()
        return RecommendationDraft(
            state_under_review=html.unescape(row["To"]).strip(),
            mechanism="UPR",
            text=text,
            locator=f"{name} line {line}",
            line=line,
            cycle=cycle_of_session(session),
            session=session,
            year=year_of_session(session),
            recommenders=[recommender] if recommender else [],
            response=response,
            response_source="UPR Info database" if response else None,
            tags=tags,
        )


register(UprInfoCsvImporter())
