"""Importers for UN documents: Working Group reports (with their addendum), addenda, concluding
observations (``document``) and OHCHR thematic lists (``thematic-list``).

They only read: each returns an :class:`ImportBatch` for the store to write.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import ClassVar

from rightstrack.errors import ImportFailed, Problem
from rightstrack.ingest.base import ImportBatch, ProgressCallback, register, sha256_of
from rightstrack.ingest.undocs.recognise import DocumentMeta, find_symbol, recognise, refuse_early
from rightstrack.ingest.undocs.responses import Position, parse_addendum, resolve_numbers
from rightstrack.ingest.undocs.text import DocumentText, extract_text, text_of
from rightstrack.ingest.undocs.thematic import ThematicHeading, read_thematic_docx, read_thematic_heading
from rightstrack.ingest.undocs.treaty import parse_concluding_observations
from rightstrack.ingest.undocs.upr import Paragraph, parse_report
from rightstrack.model.records import DocumentInfo, DocumentKind, RecommendationDraft, Response
from rightstrack.model.upr import cycle_of_session, year_of_session

_DOCUMENT_SUFFIXES = (".pdf", ".txt", ".htm", ".html", ".docx")


def _locator(symbol: str | None, source: str, paragraph: str, page: int | None) -> str:
    where = f"{symbol or Path(source).name} para {paragraph}"
    return f"{where}, page {page}" if page else where


def report_drafts(
    doc: DocumentText,
    meta: DocumentMeta,
    responses: dict[str, Position] | None = None,
    split_clauses: bool = False,
) -> list[RecommendationDraft]:
    """Drafts for a Working Group report: one per UN paragraph (or per clause with split_clauses).

    The response is the addendum's where it gives one, else what the report itself says of the
    paragraph's group (cycle 1: "enjoy the support of"), else None (still to be examined).
    """
    paragraphs = parse_report(doc)
    resolved = resolve_numbers(responses or {}, [p.number for p in paragraphs])
    drafts: list[RecommendationDraft] = []
    for paragraph in paragraphs:
        response, source = _response(paragraph, resolved, meta)
        units = (
            [(c.text, c.recommenders) for c in paragraph.clauses]
            if split_clauses
            else [(paragraph.text, paragraph.recommenders)]
        )
        for index, (text, recommenders) in enumerate(units):
            locator = _locator(meta.symbol, doc.source, paragraph.number, paragraph.page)
            if len(units) > 1:
                locator += f", recommendation {index + 1} of {len(units)}"
            drafts.append(
                RecommendationDraft(
                    state_under_review=meta.state or "",
                    mechanism="UPR",
                    text=text,
                    locator=locator,
                    cycle=meta.cycle,
                    session=meta.session,
                    year=meta.year,
                    paragraph=paragraph.number,
                    recommenders=list(recommenders),
                    response=response,
                    response_source=source,
                )
            )
    return drafts


def _response(
    paragraph: Paragraph, resolved: dict[str, Position], meta: DocumentMeta
) -> tuple[Response | None, str | None]:
    if paragraph.response is not None:
        where = f"{meta.symbol or 'report'} para {paragraph.group}"
        return paragraph.response, where
    if paragraph.number in resolved:
        position = resolved[paragraph.number]
        return position.response, position.source
    return None, None


def _recognised(meta: DocumentMeta) -> str:
    """What the document was taken for, said before anything is stored (and in the dry run)."""
    review = ", ".join(
        part
        for part in (
            meta.state,
            meta.mechanism if meta.mechanism != "UPR" else None,
            f"session {meta.session}" if meta.session else None,
            f"cycle {meta.cycle}" if meta.cycle else None,
            str(meta.year) if meta.year else None,
        )
        if part
    )
    return f"recognised: {meta.kind.value} {meta.symbol or '(no symbol found)'} ({review})"


def find_companion(path: Path, symbol: str) -> Path | None:
    """The report or addendum next to ``path`` whose page-1 symbol is ``symbol`` (OHCHR names files
    by job number). Other files may cite the symbol near their top (a thematic list gives the
    addendum as the source of its positions), so the candidate must also present itself as a UPR
    document, and as an addendum when an addendum is wanted."""
    for candidate in sorted(path.parent.iterdir()):
        if candidate == path or candidate.suffix.lower() not in _DOCUMENT_SUFFIXES:
            continue
        try:
            first = _first_page(candidate, symbol)
        except ImportFailed:
            continue
        if find_symbol(first) == symbol and _presents_as_upr(first, addendum="/Add." in symbol):
            return candidate
    return None


def _presents_as_upr(first_page: str, *, addendum: bool) -> bool:
    lead = " ".join(first_page.lower().split())[:3000]
    if "universal periodic review" not in lead:
        return False
    return not addendum or re.search(r"\baddendum\b", lead) is not None


_HEAD_BYTES = 16384


def _first_page(path: Path, symbol: str | None = None) -> str:
    """The first page's text, read cheaply: a folder may hold hundreds of other documents. With a
    ``symbol``, a text file whose first bytes do not hold it is passed over without decoding."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError as exc:
        raise ImportFailed(f"{path}: cannot read file: {exc.strerror}") from exc
    if head.startswith(b"%PDF"):
        import pypdfium2 as pdfium  # type: ignore[import-untyped]

        try:
            document = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as exc:
            raise ImportFailed(str(exc)) from exc
        try:
            return str(document[0].get_textpage().get_text_range()) if len(document) else ""
        finally:
            document.close()
    if head.startswith(b"PK"):
        return extract_text(path).flat[:6000]
    if symbol is not None and symbol.encode("ascii", "ignore") not in head:
        return ""
    if len(head) == _HEAD_BYTES:  # do not cut a character in two
        head = head[: max(head.rfind(b"\n"), head.rfind(b" "), 1)]
    return text_of(head, str(path)).flat[:6000]


class UNDocumentImporter:
    name: ClassVar[str] = "document"
    budgeted: ClassVar[bool] = True
    description: ClassVar[str] = (
        "UN document: UPR Working Group report (with its Add.1 responses when it lies next to it), "
        "response addendum, or treaty-body concluding observations (PDF, DOCX, HTML, TXT)"
    )

    def __init__(self, split_clauses: bool = False) -> None:
        self.split_clauses = split_clauses

    def sniff(self, path: Path, head: bytes) -> bool:
        if head.startswith(b"%PDF"):
            return True
        if path.suffix.lower() in (".txt", ".htm", ".html"):
            sample = head.decode("latin-1").lower()
            return "universal periodic review" in sample or "concluding observations" in sample
        return False

    def read(self, path: Path, progress: ProgressCallback | None = None) -> ImportBatch:
        if path.open("rb").read(4) == b"%PDF":
            refuse_early(_first_page(path), str(path))
        try:
            doc = extract_text(path)
            meta = recognise(doc)
        except ImportFailed as not_a_report:
            if path.suffix.lower() != ".docx":
                raise
            # A DOCX without a report's first page may be a thematic list or matrix (a table).
            try:
                return ThematicListImporter().read(path, progress)
            except ImportFailed:
                raise not_a_report from None
        notes: list[Problem] = []
        if meta.kind is DocumentKind.CONCLUDING_OBSERVATIONS:
            drafts = self._observations(doc, meta)
        elif meta.kind is DocumentKind.UPR_ADDENDUM:
            report_symbol = re.sub(r"/Add\.\d+$", "", meta.symbol or "")
            report = find_companion(path, report_symbol) if report_symbol else None
            if report is None:
                raise ImportFailed(
                    f"{path}: an addendum holds responses only; import the report "
                    f"{report_symbol or '(unknown)'} "
                    "with it (it was not found in the same folder)",
                    [Problem("report for this addendum not found", str(path), page=1, value=meta.symbol)],
                )
            report_doc = extract_text(report)
            report_meta = recognise(report_doc)
            drafts = report_drafts(
                report_doc, report_meta, parse_addendum(doc, meta.symbol), self.split_clauses
            )
            meta = DocumentMeta(
                meta.symbol,
                meta.kind,
                report_meta.state,
                "UPR",
                report_meta.session,
                report_meta.cycle,
                report_meta.year,
                meta.title,
            )
        else:
            responses: dict[str, Position] = {}
            if meta.symbol:
                addendum = find_companion(path, f"{meta.symbol}/Add.1")
                if addendum is not None:
                    responses = parse_addendum(extract_text(addendum), f"{meta.symbol}/Add.1")
                    notes.append(Problem(f"responses read from {addendum.name}", str(path)))
            drafts = report_drafts(doc, meta, responses, self.split_clauses)
        if not drafts:
            raise ImportFailed(
                f"{path}: no numbered recommendations found in {meta.symbol or 'the document'}",
                [Problem("no recommendations found", str(path), value=meta.symbol)],
            )
        notes.insert(0, Problem(_recognised(meta), str(path)))
        if progress:
            progress(len(drafts), len(drafts))
        info = DocumentInfo(str(path), sha256_of(path), meta.kind, meta.symbol, "en", meta.title)
        return ImportBatch(
            info,
            drafts,
            notes,
            rows_read=len(drafts),
            field_labels={"recommending_states": "bracketed states", "paragraph": "paragraph"},
            cited_symbol=re.sub(r"/Add\.\d+$", "", meta.symbol) if meta.symbol else None,
        )

    def _observations(self, doc: DocumentText, meta: DocumentMeta) -> list[RecommendationDraft]:
        return [
            RecommendationDraft(
                state_under_review=meta.state or "",
                mechanism=meta.mechanism,
                text=o.text,
                locator=_locator(meta.symbol, doc.source, o.number, o.page),
                year=meta.year,
                paragraph=o.number,
                topic=o.topic,
            )
            for o in parse_concluding_observations(doc)
        ]


class ThematicListImporter:
    name: ClassVar[str] = "thematic-list"
    budgeted: ClassVar[bool] = True
    description: ClassVar[str] = (
        "OHCHR thematic list of recommendations or matrix (DOCX table: recommendation, states, "
        "position, UHRI themes, affected persons, SDGs)"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        return head.startswith(b"PK") and path.suffix.lower() == ".docx"

    def read(self, path: Path, progress: ProgressCallback | None = None) -> ImportBatch:
        rows = read_thematic_docx(path)
        heading = read_thematic_heading(path)
        state, symbol = _thematic_state(path, heading, [r.response_source or "" for r in rows])
        session = heading.session
        drafts = [
            RecommendationDraft(
                state_under_review=state or "",
                mechanism="UPR",
                text=row.text,
                locator=f"{path.name} row {row.row}" + (f", para {row.paragraph}" if row.paragraph else ""),
                cycle=heading.cycle or (cycle_of_session(session) if session else None),
                session=session,
                year=year_of_session(session) if session else None,
                line=row.row,
                paragraph=row.paragraph,
                recommenders=row.recommenders,
                response=row.response,
                response_source=row.response_source,
                topic=row.topic,
                tags=row.tags,
            )
            for row in rows
        ]
        if progress:
            progress(len(drafts), len(drafts))
        info = DocumentInfo(
            str(path),
            sha256_of(path),
            DocumentKind.THEMATIC_LIST,
            symbol,
            "en",
            "Thematic list of recommendations" + (f": {state}" if state else ""),
        )
        review = ", ".join(
            p
            for p in (
                state or "state not named in the file",
                f"session {session}" if session else None,
                symbol and f"review {symbol}",
            )
            if p
        )
        tagged = sorted({family for row in rows for family in row.tags})
        found = f"recognised: thematic list ({review}); tags imported: {', '.join(tagged) or 'none'}"
        notes = [Problem(found, str(path))]
        if assessed := [row.row for row in rows if row.assessment]:
            notes.append(
                Problem(
                    f"{len(assessed)} rows carry an implementation assessment (first at row {assessed[0]}), "
                    "not stored with the recommendation: record it as an assessment in a tracking "
                    "workspace (rightstrack track assess, or the assessments CSV)",
                    str(path),
                    line=assessed[0],
                    field="assessment",
                )
            )
        return ImportBatch(
            info, drafts, notes, rows_read=len(rows), cited_symbol=symbol, tag_source=THEMATIC_TAG_SOURCE
        )


THEMATIC_TAG_SOURCE = "OHCHR thematic list"


def _thematic_state(
    path: Path, heading: ThematicHeading, sources: list[str]
) -> tuple[str | None, str | None]:
    """The state under review (None when the file does not say) and the report symbol the rows cite."""
    from rightstrack.ingest.undocs.names import state_label

    symbol = next((m.group(0) for s in sources if (m := _REPORT_SYMBOL.search(s))), None)
    if heading.state and (named := state_label(heading.state)):
        return named, symbol
    for token in re.split(r"[_\-\s.]+", path.stem):
        found = state_label(token) if len(token) > 3 else None
        if found:
            return found, symbol
    return None, symbol


_REPORT_SYMBOL = re.compile(r"A/HRC/\d{1,3}/\d{1,3}")


DOCUMENT_IMPORTER = register(UNDocumentImporter())
THEMATIC_IMPORTER = register(ThematicListImporter())
