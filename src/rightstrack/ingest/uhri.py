"""UHRI exports: every UN recommendation (UPR, treaty bodies, special procedures), tagged by OHCHR.

The Universal Human Rights Index's "Export to Excel" gives one row per recommendation; columns are
found by their heading (in any order, with OHCHR's spellings: "Reccomending Body", "UPR Reccomending
States"), and columns this importer does not read (annotation type, regions) are left alone. The
same columns are read from CSV and JSON. Cells are parsed in ``uhri_cells``.

The importer streams: ``read_chunks`` hands the store chunks of drafts while it reads, and the store
writes them all in one transaction (``store.stream``), so a 270,000-row export is imported in bounded
memory and still all or nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

from rightstrack.errors import CellError, ErrorList, ImportFailed, Problem
from rightstrack.ingest import uhri_cells as cells
from rightstrack.ingest.base import ImportBatch, ProgressCallback, StreamedBatch, register, sha256_of
from rightstrack.ingest.uhri_rows import Row, table_rows, xlsx_head
from rightstrack.model.records import DocumentInfo, DocumentKind, RecommendationDraft, Response
from rightstrack.model.reference import Mechanism
from rightstrack.model.upr import cycle_of_session, year_of_session

TEXT, COUNTRIES, BODY, SYMBOL, DATE = (
    "Text",
    "Countries Concerned",
    "Reccomending Body",
    "Document Symbol",
    "Document Publication Date",
)
THEMES, PERSONS, SDGS, ANNOTATION = "Themes", "Affected Persons", "Sdgs", "OHCHR Annotation Id"
SESSION, RECOMMENDERS, POSITION = "UPR Session", "UPR Reccomending States", "UPR Position"
REQUIRED = (TEXT, COUNTRIES, BODY, SYMBOL, DATE, THEMES, PERSONS, SDGS, ANNOTATION)
OPTIONAL = (SESSION, RECOMMENDERS, POSITION)
# The correct spellings are accepted too, in case OHCHR ever fixes them.
_ALIASES = {"recommending body": BODY, "upr recommending states": RECOMMENDERS}
_TAG_COLUMNS = {THEMES: "uhri_theme", PERSONS: "affected_persons", SDGS: "sdg"}
TAG_SOURCE = "UHRI"
EXTERNAL_SCHEME = "uhri"
CHUNK_SIZE = 5_000
_PROGRESS_EVERY = 5_000


@dataclass(frozen=True)
class _Columns:
    """Where each column this importer reads stands in a row. Rows are padded to ``width`` + 1
    cells, and an absent column points at the last, always empty, one: reading a cell is then one
    index, which matters at 300,000 rows × 12 columns."""

    at: dict[str, int]
    width: int

    def pad(self, row: list[object]) -> list[object]:
        row.extend([None] * (self.width + 1 - len(row)))
        return row


class UhriImporter:
    name: ClassVar[str] = "uhri"
    budgeted: ClassVar[bool] = False
    description: ClassVar[str] = (
        "UHRI export (Universal Human Rights Index, XLSX/CSV/JSON: Text, Countries Concerned, "
        "Reccomending Body, Document Symbol, Themes …)"
    )
    field_labels: ClassVar[dict[str, str]] = {
        "state_under_review": COUNTRIES,
        "recommending_states": RECOMMENDERS,
    }

    def sniff(self, path: Path, head: bytes) -> bool:
        if path.suffix.lower() not in (".xlsx", ".csv", ".json"):
            return False
        if head.startswith(b"PK"):
            head = xlsx_head(path)
        return all(any(m in head for m in marks) for marks in _SNIFF_MARKS)

    def read(self, path: Path, progress: ProgressCallback | None = None) -> ImportBatch:
        """The whole file as one batch (small files, the dry run, the web preview)."""
        streamed = self.read_chunks(path, progress)
        drafts = [d for chunk in streamed.chunks for d in chunk]
        return ImportBatch(
            document=streamed.document,
            drafts=drafts,
            notes=streamed.notes,
            rows_read=streamed.rows_read,
            field_labels=streamed.field_labels,
            tag_source=streamed.tag_source,
        )

    def read_chunks(
        self, path: Path, progress: ProgressCallback | None = None, chunk_size: int = CHUNK_SIZE
    ) -> StreamedBatch:
        """Check the header now; read the rows as the store asks for chunks of drafts."""
        filename = str(path)
        if not path.is_file():
            raise ImportFailed(f"{filename}: no such file")
        header, rows, total = table_rows(path)
        columns = _columns(header, filename)
        document = DocumentInfo(
            path=filename,
            sha256=sha256_of(path),
            kind=DocumentKind.DATASET_EXPORT,
            title=f"UHRI export {path.name}",
        )
        streamed = StreamedBatch(
            document=document,
            chunks=iter(()),
            field_labels=dict(self.field_labels),
            tag_source=TAG_SOURCE,
        )
        streamed.chunks = _chunks(rows, columns, streamed, ErrorList(filename), chunk_size, progress, total)
        return streamed


_SNIFF_MARKS = ((b"Reccomending Body", b"Recommending Body"), (b"OHCHR Annotation Id",))


def _canonical(heading: str) -> str:
    flat = " ".join(str(heading).split())
    return _ALIASES.get(flat.casefold(), flat)


def _columns(header: list[str], filename: str) -> _Columns:
    position: dict[str, int] = {}
    for at, heading in enumerate(header):
        position.setdefault(_canonical(heading), at)
    missing = [name for name in REQUIRED if name not in position]
    if missing:
        raise ImportFailed(
            f"{filename}: not a UHRI export: missing column(s) {', '.join(missing)}; "
            f"found {', '.join(header) or 'none'}",
            [Problem("required column missing", filename, line=1, field=name) for name in missing],
        )
    width = len(header)
    return _Columns({name: position.get(name, width) for name in (*REQUIRED, *OPTIONAL)}, width)


def _chunks(
    rows: Iterator[Row],
    columns: _Columns,
    streamed: StreamedBatch,
    errors: ErrorList,
    chunk_size: int,
    progress: ProgressCallback | None,
    total: int | None,
) -> Iterator[list[RecommendationDraft]]:
    name = Path(errors.file).name
    chunk: list[RecommendationDraft] = []
    for line, cells_ in rows:
        if not any(cells_):
            continue
        streamed.rows_read += 1
        drafts = _drafts(columns.pad(cells_), line, columns.at, name, errors)
        # After the first problem, keep reading only to report every problem at once.
        if not errors.problems:
            chunk.extend(drafts)
        if len(chunk) >= chunk_size:
            yield chunk
            chunk = []
        if progress and streamed.rows_read % _PROGRESS_EVERY == 0:
            progress(streamed.rows_read, total)
    errors.raise_if_any(f"{len(errors.problems)} problem(s); nothing was imported")
    if not streamed.rows_read:
        raise ImportFailed(f"{errors.file}: the file has a header but no rows")
    if progress:
        progress(streamed.rows_read, streamed.rows_read)
    if chunk:
        yield chunk


@dataclass(frozen=True)
class _Facts:
    """What a row's body, date, session and position cells say (cached: they repeat endlessly)."""

    mechanism: Mechanism
    session: int | None
    cycle: int | None
    year: int | None
    response: Response | None


class _FactError(CellError):
    def __init__(self, message: str, column: str) -> None:
        super().__init__(message)
        self.column = column


# Each cell kind is parsed once per distinct value: bodies, dates, sessions and positions repeat
# endlessly in an export (a cache of the four together would miss on almost every row).
_body = lru_cache(maxsize=4096)(cells.body)
_date = lru_cache(maxsize=1 << 15)(cells.publication_date)
_session = lru_cache(maxsize=1024)(cells.session)
_position = lru_cache(maxsize=256)(cells.position)
_upr_calendar = lru_cache(maxsize=256)(lambda session: (cycle_of_session(session), year_of_session(session)))


def _facts(body: object, published: object, session_cell: object, position: object) -> _Facts:
    column = BODY
    try:
        mechanism = _body(body)
        column = DATE
        day = _date(published)
        column = SESSION
        session = _session(session_cell) if mechanism.code == "UPR" else None
        column = POSITION
        response = _position(position)
    except CellError as exc:
        raise _FactError(str(exc), column) from None
    cycle, year = _upr_calendar(session) if session else (None, None)
    return _Facts(mechanism, session, cycle, year or (day.year if day else None), response)


def _drafts(
    row: list[object], line: int, at: dict[str, int], name: str, errors: ErrorList
) -> list[RecommendationDraft]:
    """The recommendation of one row: one draft per country concerned (almost always one)."""
    column = TEXT
    try:
        paragraph, text = cells.split_paragraph(str(row[at[TEXT]] or ""))
        if not text:
            raise CellError("recommendation text is empty")
        facts = _facts(*(_scalar(row[at[c]]) for c in (BODY, DATE, SESSION, POSITION)))
        column = COUNTRIES
        countries = _multi(row[at[COUNTRIES]])
        if not countries:
            raise CellError("no country concerned")
    except _FactError as exc:
        errors.add(str(exc), line=line, field=exc.column, value=_shown(row[at[exc.column]]))
        return []
    except CellError as exc:
        errors.add(str(exc), line=line, field=column, value=_shown(row[at[column]]))
        return []
    symbol = cells.single(row[at[SYMBOL]]) or None
    annotation = cells.single(row[at[ANNOTATION]])
    tags = {family: vs for col, family in _TAG_COLUMNS.items() if (vs := _multi(row[at[col]]))}
    cited = f"{symbol} para {paragraph}" if symbol and paragraph else symbol
    where = f"{name} row {line}" + (f" ({cited})" if cited else "")
    mechanism = facts.mechanism
    return [
        RecommendationDraft(
            state_under_review=country,
            mechanism=mechanism.code,
            mechanism_name=mechanism.name if mechanism.kind == "special procedures" else None,
            text=text,
            locator=where,
            line=line,
            cycle=facts.cycle,
            session=facts.session,
            year=facts.year,
            paragraph=paragraph,
            recommenders=_multi(row[at[RECOMMENDERS]]),
            response=facts.response,
            response_source="UHRI" if facts.response else None,
            tags=tags,
            symbol=symbol,
            external_id=_external_id(annotation, n),
        )
        for n, country in enumerate(countries)
    ]


def _multi(cell: object) -> list[str]:
    if not cell:
        return []
    return list(cells.cached_values(cell)) if type(cell) is str else cells.values(cell)


_SCALARS = (type(None), str, int, float, date, datetime)


def _scalar(cell: object) -> object:
    # A JSON export may hold a list or an object where a value belongs; it is read as its text
    # (and refused by the cell's parser) rather than breaking the cache.
    return cell if type(cell) in _SCALARS else str(cell)


def _external_id(annotation: str, position: int) -> tuple[str, str] | None:
    # A row about several countries makes several records: the second and later ones are told
    # apart by their position among the row's countries.
    if not annotation:
        return None
    return (EXTERNAL_SCHEME, f"{annotation}/{position + 1}" if position else annotation)


def _shown(cell: object) -> str | None:
    return None if cell is None else str(cell)[:200]


register(UhriImporter())
