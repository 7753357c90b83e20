"""CSV import and export of commitments, measures and assessments, with documented templates.

An import is one transaction per file: every row is checked first (the create schemas of
``model``, the actors named, the commitments referred to) and a single error lists every problem
by file, line and field; nothing is written unless every row is good. Importing the same file
again creates nothing new: a row whose record exists already (commitments by recommendation id,
or by title for a local pledge; measures by commitment and title; assessments by commitment,
assessor type, assessor and date) is counted as existing and left as it is (not updated).

Files may be UTF-8 (with or without BOM), Windows-1252, Mac Roman or latin-1
(``ingest.encoding.decode_text``). Rows whose first cell starts with ``#`` are comments.

Exports refer to commitments portably (``recommendation_id``, or ``commitment_title`` for a local
pledge) and leave ``commitment_id`` empty, so a file exported from one workspace imports into
another. Cells that a spreadsheet would run as a formula are written with a leading ``'``,
which the import takes off again.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection

from rightstrack.errors import ImportFailed, InvalidInput, Problem
from rightstrack.followup.access import WorkspaceAccess, WorkspacePermission
from rightstrack.followup.bulk_rows import (
    COLUMNS,
    KINDS,
    REQUIRED,
    Checked,
    Row,
    check_rows,
    write_rows,
)
from rightstrack.followup.bulk_rows import export_rows as _export_rows
from rightstrack.ingest.encoding import decode_text
from rightstrack.store.database import Database

__all__ = ["COLUMNS", "KINDS", "BulkSummary", "export_csv", "import_csv", "read_rows", "template"]

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class BulkSummary:
    kind: str
    filename: str
    encoding: str
    rows: int  # data rows read (comments and blank lines not counted)
    created: tuple[int, ...]  # ids of the records created
    existing: tuple[int, ...]  # ids of records the file names that were there already

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "filename": self.filename,
            "encoding": self.encoding,
            "rows": self.rows,
            "created": list(self.created),
            "existing": list(self.existing),
        }


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise InvalidInput(
            f"unknown kind {kind!r} (one of {', '.join(KINDS)})",
            [Problem("unknown kind", field="kind", value=kind)],
        )
    return kind


def template(kind: str) -> str:
    """The header, a comment row documenting each column, and a commented example row."""
    columns = COLUMNS[_kind(kind)]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.name for c in columns])
    for column in columns:
        needed = " (required)" if column.name in REQUIRED[kind] else ""
        # Written as they are (not quoted), so they read as comments in a text editor too;
        # the help texts hold no double quote, so a comment never opens a quoted field.
        out.write(f"# {column.name}{needed}: {column.help}\r\n")
    writer.writerow([f"# {columns[0].example}", *[c.example for c in columns[1:]]])
    return out.getvalue()


def export_csv(conn: Connection, access: WorkspaceAccess, kind: str) -> str:
    """Every record of ``kind`` the reader may see, in the template's columns."""
    columns = [c.name for c in COLUMNS[_kind(kind)]]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in _export_rows(conn, access, kind):
        writer.writerow([_guard(row.get(name) or "") for name in columns])
    return out.getvalue()


def _guard(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA) else value


def _unguard(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(_FORMULA) else value


def import_csv(
    db: Database,
    access: WorkspaceAccess,
    kind: str,
    source: Path | bytes | str,
    *,
    filename: str | None = None,
) -> BulkSummary:
    """Import a file (a ``Path``, its bytes, or its already decoded text) in one transaction."""
    _kind(kind)
    access.require(WorkspacePermission.REPORT if kind == "assessments" else WorkspacePermission.EDIT)
    name = filename or (source.name if isinstance(source, Path) else "upload.csv")
    if isinstance(source, str):
        text, encoding = source, "text"
    else:
        text, encoding = decode_text(source.read_bytes() if isinstance(source, Path) else source, name)
    rows = read_rows(text.removeprefix("\ufeff"), name, kind)
    with db.transaction() as conn:
        checked: list[Checked] = check_rows(conn, access, kind, rows, name)
        created, existing = write_rows(conn, access, kind, checked)
    return BulkSummary(kind, name, encoding, len(rows), tuple(created), tuple(existing))


def read_rows(text: str, filename: str, kind: str) -> list[Row]:
    """The data rows with their line numbers, after checking the header."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ImportFailed(f"{filename}: the file is empty", [Problem("empty file", filename)]) from None
    except csv.Error as exc:
        raise ImportFailed(f"{filename}: not a CSV file", [Problem(str(exc), filename, line=1)]) from None
    _check_header(header, filename, kind)
    rows: list[Row] = []
    last = reader.line_num
    try:
        for cells in reader:
            line, last = last + 1, reader.line_num
            if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
                continue
            if len(cells) > len(header):
                extra = Problem("more cells than columns", filename, line=line, value=",".join(cells))
                raise ImportFailed(f"{filename}: a row has more cells than the header names", [extra])
            values = {h: _unguard(c.strip()) or None for h, c in zip(header, cells, strict=False)}
            rows.append(Row(line, {h: v for h, v in values.items() if h}))
    except csv.Error as exc:
        raise ImportFailed(
            f"{filename}: cannot read line {last + 1}", [Problem(str(exc), filename, line=last + 1)]
        ) from None
    return rows


def _check_header(header: list[str], filename: str, kind: str) -> None:
    known = [c.name for c in COLUMNS[kind]]
    problems = [
        Problem(f"unknown column (the columns are: {', '.join(known)})", filename, line=1, field=h, value=h)
        for h in header
        if h and h not in known
    ]
    problems += [
        Problem("column named twice", filename, line=1, field=h)
        for h in sorted(set(header))
        if header.count(h) > 1
    ]
    problems += [
        Problem("required column missing", filename, line=1, field=c)
        for c in sorted(REQUIRED[kind])
        if c not in header
    ]
    if kind != "commitments" and not {"commitment_id", "recommendation_id", "commitment_title"} & set(header):
        problems.append(
            Problem(
                "a column naming the commitment is needed:"
                " commitment_id, recommendation_id or commitment_title",
                filename,
                line=1,
            )
        )
    if kind == "commitments" and not {"recommendation_id", "title"} & set(header):
        problems.append(Problem("a recommendation_id or a title column is needed", filename, line=1))
    if problems:
        raise ImportFailed(f"{filename}: the header does not fit a {kind} file", problems)
