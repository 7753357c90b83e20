"""Tables people keep themselves (an NHRI's or an NGO's recommendation matrix, CSV or XLSX), read
through a mapping from rightstrack fields to the file's own column headings.

The importer is built with its mapping (``TableImporter(mapping)``) instead of being registered for
sniffing: a table of arbitrary headings says nothing about which column is which, so ``import
auto`` cannot recognise it, and a guess would store rows under the wrong fields. Without a mapping
it reads the standard template (``write_template``) by its headings.

Every bad cell is reported with its line and the user's own heading, and one bad row refuses the
file: a half-imported matrix is worse than none.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar, TypeVar

from rightstrack.errors import CellError, ErrorList, ImportFailed, Problem
from rightstrack.ingest.base import ImportBatch, ProgressCallback, sha256_of
from rightstrack.ingest.table_cells import (
    CellValue,
    cell_text,
    parse_whole,
    parse_year,
    split_list,
    split_names,
)
from rightstrack.ingest.table_mapping import TAG_PREFIX, TEMPLATE_HEADINGS, TableMapping, template_mapping
from rightstrack.ingest.table_read import Row, Table, read_table, write_table
from rightstrack.model.records import DocumentInfo, DocumentKind, RecommendationDraft, Response
from rightstrack.model.reference import find_mechanism
from rightstrack.model.upr import cycle_of_session, year_of_session

_PROGRESS_EVERY = 2000
_T = TypeVar("_T")


class TableImporter:
    name: ClassVar[str] = "table"
    budgeted: ClassVar[bool] = False
    description: ClassVar[str] = "a table with your own column headings (CSV or XLSX), through a mapping"

    def __init__(self, mapping: TableMapping | None = None, encoding: str | None = None) -> None:
        self.mapping = mapping
        self.encoding = encoding

    def sniff(self, path: Path, head: bytes) -> bool:
        return False  # chosen by name with a mapping, never recognised (see the module's docstring)

    def read(self, path: Path, progress: ProgressCallback | None = None) -> ImportBatch:
        table = read_table(path, self.mapping.sheet if self.mapping else None, self.encoding)
        given = self.mapping or TableMapping()
        # No columns named: the file is the template, maybe with a state for the whole file.
        mapping = given if given.columns else _template_or_refuse(table).merged(given.state)
        columns = mapping.checked(table.filename, table.headings)
        rows = _Rows(table, mapping, columns)
        drafts: list[RecommendationDraft] = []
        for count, row in enumerate(table.rows, start=1):
            draft = rows.draft(row)
            if draft is not None:
                drafts.append(draft)
            if progress and count % _PROGRESS_EVERY == 0:
                progress(count, len(table.rows))
        rows.errors.raise_if_any(f"{len(rows.errors.problems)} problem(s); nothing was imported")
        if not table.rows:
            raise ImportFailed(f"{table.filename}: the file has a header but no rows")
        if progress:
            progress(len(table.rows), len(table.rows))
        return self._batch(path, table, mapping, drafts, rows.symbols)

    @staticmethod
    def _batch(
        path: Path, table: Table, mapping: TableMapping, drafts: list[RecommendationDraft], symbols: set[str]
    ) -> ImportBatch:
        document = DocumentInfo(
            path=table.filename,
            sha256=sha256_of(path),
            kind=DocumentKind.DATASET_EXPORT,
            title=f"Table {path.name}",
        )
        state_label = mapping.columns.get("state") or f"state for the whole file ({mapping.state})"
        return ImportBatch(
            document=document,
            drafts=drafts,
            notes=table.notes,
            rows_read=len(table.rows),
            field_labels={
                "state_under_review": state_label,
                "recommending_states": mapping.columns.get("recommending_states", "recommending_states"),
            },
            # One cited document for the whole file lets the store find a missing state by it.
            cited_symbol=next(iter(symbols)) if len(symbols) == 1 else None,
            tag_source=f"table {path.name}",
        )


def _template_or_refuse(table: Table) -> TableMapping:
    mapping = template_mapping(table.headings)
    if "text" not in mapping.columns:
        raise ImportFailed(
            f"{table.filename}: say which column is which (--map text=COLUMN --map state=COLUMN …, or a "
            f"saved mapping): these headings are not the template's; the file's columns are: "
            f"{', '.join(h for h in table.headings if h) or 'none'}",
            [
                Problem("the template's columns were expected", table.filename, field=h)
                for h in TEMPLATE_HEADINGS[:2]
            ],
        )
    return mapping


class _Rows:
    """Turns rows into drafts, collecting every bad cell (line, the user's heading, its value)."""

    def __init__(self, table: Table, mapping: TableMapping, columns: dict[str, int]) -> None:
        self.table, self.mapping, self.columns = table, mapping, columns
        self.name = Path(table.filename).name
        self.errors = ErrorList(table.filename)
        self.symbols: set[str] = set()
        self._row = Row(0, ())
        self._bad = False

    def cell(self, code: str) -> CellValue:
        index = self.columns.get(code)
        if index is None or index >= len(self._row.cells):
            return None
        return self._row.cells[index]

    def parsed(self, code: str, parse: Callable[[CellValue], _T], empty: _T) -> _T:
        value = self.cell(code)
        try:
            return parse(value)
        except CellError as exc:
            self.fail(code, exc.message, value)
            return empty

    def fail(self, code: str, message: str, value: CellValue = None) -> None:
        heading = self.mapping.columns.get(code, code)
        shown = cell_text(value)[:200] if value is not None else None
        self.errors.add(message, line=self._row.line, field=heading, value=shown)
        self._bad = True

    def draft(self, row: Row) -> RecommendationDraft | None:
        self._row, self._bad = row, False
        text = cell_text(self.cell("text"))
        if not text:
            self.fail("text", "the recommendation's text is empty")
        state = cell_text(self.cell("state")) or self.mapping.state or ""
        if not state:
            self.fail("state", "the state under review is empty")
        mechanism = self.parsed("mechanism", _mechanism, "UPR")
        session = self.parsed("session", lambda v: parse_whole(v, "session", 200), None)
        cycle = self.parsed("cycle", lambda v: parse_whole(v, "cycle", 20), None)
        year = self.parsed("date", parse_year, None)
        response = self.parsed("response", _response, None)
        tags = self._tags()
        if self._bad:
            return None
        return self._assemble(text, state, mechanism, session, cycle, year, response, tags)

    def _assemble(
        self,
        text: str,
        state: str,
        mechanism: str,
        session: int | None,
        cycle: int | None,
        year: int | None,
        response: Response | None,
        tags: dict[str, list[str]],
    ) -> RecommendationDraft:
        if mechanism == "UPR" and session is not None:
            # The UPR calendar knows each session's cycle and year; the file's own values win.
            cycle = cycle or cycle_of_session(session)
            year = year or year_of_session(session)
        symbol = cell_text(self.cell("symbol")) or None
        paragraph = cell_text(self.cell("paragraph")) or None
        if symbol:
            self.symbols.add(symbol)
        where = f" ({symbol}{f' para {paragraph}' if paragraph else ''})" if symbol else ""
        return RecommendationDraft(
            state_under_review=state,
            mechanism=mechanism,
            text=text,
            locator=f"{self.name} line {self._row.line}{where}",
            line=self._row.line,
            cycle=cycle,
            session=session,
            year=year,
            paragraph=paragraph,
            recommenders=split_names(self.cell("recommending_states")),
            response=response,
            response_source=f"table {self.name}" if response else None,
            tags=tags,
            symbol=symbol,
        )

    def _tags(self) -> dict[str, list[str]]:
        tags: dict[str, list[str]] = {}
        for code in self.columns:
            if code.startswith(TAG_PREFIX):
                names = split_list(self.cell(code))
                if names:
                    tags[code.removeprefix(TAG_PREFIX)] = names
        return tags


def _mechanism(value: CellValue) -> str:
    text = cell_text(value)
    if not text:
        return "UPR"
    found = find_mechanism(text)
    if found is None:
        raise CellError("unknown mechanism: write UPR or a treaty body's code or name (CCPR, CEDAW …)")
    return found.code


def _response(value: CellValue) -> Response | None:
    text = cell_text(value)
    if not text:
        return None
    found = Response.parse(text)
    if found is None:
        raise CellError("unknown response: write supported, supported in part, noted or no response")
    return found


def write_template(path: Path) -> None:
    """An empty table with the standard headings: filled in, it imports without a mapping."""
    if path.suffix.lower() not in {".csv", ".xlsx"}:
        raise ImportFailed(f"{path}: a template is a .csv or an .xlsx file")
    write_table(path, TEMPLATE_HEADINGS)
