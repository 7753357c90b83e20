"""The import page's "table with my own columns" path: upload → pick the columns (a saved mapping,
the template's headings or a guess first) → preview of the rows as they would be stored → import
(and save the mapping under a name). Thin over ``ingest.table`` and ``store.table_mappings``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from rightstrack.auth.accounts import Session
from rightstrack.auth.roles import Permission
from rightstrack.errors import RightstrackError
from rightstrack.ingest.table import TableImporter
from rightstrack.ingest.table_mapping import FIELDS, TableMapping, suggest_mapping
from rightstrack.ingest.table_read import read_table
from rightstrack.messages import msg
from rightstrack.settings import Settings
from rightstrack.store.database import Database
from rightstrack.store.table_mappings import list_mappings, load_mapping, mapping_name, save_mapping
from rightstrack.web.forms import Field, read_form
from rightstrack.web.forms import Form as FormSpec
from rightstrack.web.render import Render, renderer
from rightstrack.web.security import Guard, actor_of, check_form_csrf
from rightstrack.web.uploads import UploadImports, find_upload, keep_upload


def _control(code: str) -> str:
    return "col_" + code.replace(":", "_")


TABLE_UPLOAD = FormSpec(
    "table-upload",
    (
        Field("file", msg("Table (CSV or XLSX)"), "file", required=True),
        Field("saved", msg("Saved mapping"), "select", "mappings", blank=msg("(pick the columns myself)")),
        Field("sheet", msg("Sheet"), hint=msg("XLSX only; the first sheet when left empty.")),
    ),
    msg("Choose the columns"),
)
PICKER = FormSpec(
    "table",
    (
        *(
            Field(
                _control(f.code),
                f.label,
                "select",
                "columns",
                blank=msg("(not in this file)"),
                aliases=(f.code,),
            )
            for f in FIELDS
        ),
        Field("state_name", msg("State under review of every row"), hint=msg("For a table of one state.")),
        Field(
            "save_as", msg("Save this mapping as"), hint=msg("Optional: a name, to use it again next time.")
        ),
    ),
    msg("Preview"),
    hidden=("upload", "sheet"),
)


def table_upload_context(db: Database) -> dict[str, Any]:
    """What the import page needs to draw the table upload form (its saved mappings)."""
    names = [(m.name, m.name) for m in list_mappings(db)]
    return {"table_upload": TABLE_UPLOAD, "table_choices": {"mappings": names}}


def mapping_from_form(form: FormData) -> TableMapping:
    columns = {f.code: str(form.get(_control(f.code), "")) for f in FIELDS}
    return TableMapping(columns, str(form.get("state_name", "")), str(form.get("sheet", "")))


def picker_values(mapping: TableMapping, **extra: str) -> dict[str, str]:
    values = {_control(code): heading for code, heading in mapping.columns.items()}
    return values | {"state_name": mapping.state or "", "sheet": mapping.sheet or ""} | extra


def table_pages(db: Database, settings: Settings, templates: Jinja2Templates, guard: Guard) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    uploads = settings.data_path / "uploads"
    picker = _Picker(db, UploadImports(db, settings), renderer(templates, guard))
    may = guard.need(Permission.IMPORT, form_csrf=True)

    @router.post("/import/table", response_class=HTMLResponse)
    async def table_upload(
        request: Request,
        file: UploadFile = File(...),
        saved: str = Form(""),
        sheet: str = Form(""),
        csrf_token: str = Form(""),
        session: Session | None = Depends(may),
    ) -> Any:
        check_form_csrf(session, csrf_token)
        try:
            upload, path = await keep_upload(uploads, file)
            first = await run_in_threadpool(picker.first_mapping, path, saved, sheet)
        except RightstrackError as exc:
            return picker.refused_upload(request, session, exc, {"saved": saved, "sheet": sheet})
        return await picker.show(request, session, upload, path, first)

    @router.post("/import/table/preview", response_class=HTMLResponse)
    async def table_preview(request: Request, session: Session | None = Depends(may)) -> Any:
        form = await read_form(request, session)
        upload = str(form.get("upload", ""))
        path = find_upload(uploads, upload)
        return await picker.show(
            request, session, upload, path, mapping_from_form(form), str(form.get("save_as", ""))
        )

    @router.post("/import/table/confirm", response_class=HTMLResponse)
    async def table_confirm(request: Request, session: Session | None = Depends(may)) -> Any:
        form = await read_form(request, session)
        path = find_upload(uploads, str(form.get("upload", "")))
        mapping = TableMapping.from_json(str(form.get("mapping", "{}")))
        save_as = str(form.get("save_as", "")).strip()
        if save_as:
            mapping_name(save_as)
        summary = await picker.imports.run_in_thread(path, importer=TableImporter(mapping))
        if save_as:
            save_mapping(db, save_as, mapping, actor=actor_of(session))
            summary.notes.append(msg("mapping saved as “%(name)s”", name=save_as))
        return picker.render(request, "import.html", session, summary=summary, upload=None, done=True)

    return router


class _Picker:
    """The column picker page: the file's columns, the mapping in the selects, and the preview
    (a dry run) of the rows as they would be stored, or the problems that stop them."""

    def __init__(self, db: Database, imports: UploadImports, render: Render) -> None:
        self.db, self.imports, self.render = db, imports, render

    def first_mapping(self, path: Path, saved: str, sheet: str) -> TableMapping:
        chosen = load_mapping(self.db, saved).mapping if saved.strip() else None
        headings = self.imports.look(path, lambda p: read_table(p, sheet.strip() or None).headings)
        return suggest_mapping(headings, chosen).merged(sheet=sheet)

    async def show(
        self,
        request: Request,
        session: Session | None,
        upload: str,
        path: Path,
        mapping: TableMapping,
        save_as: str = "",
    ) -> Any:
        headings = self.imports.look(path, lambda p: read_table(p, mapping.sheet).headings)
        error: RightstrackError | None = None
        summary = None
        try:
            if save_as.strip():
                mapping_name(save_as)  # refused here, not after the rows are stored
            summary = await self.imports.run_in_thread(path, importer=TableImporter(mapping), dry_run=True)
        except RightstrackError as exc:
            error = exc
        page = self.render(
            request,
            "import_table.html",
            session,
            spec=PICKER,
            file=path.name,
            choices={"columns": [(h, h) for h in headings if h]},
            values=picker_values(mapping, upload=upload, save_as=save_as),
            error=error,
            summary=summary,
            upload=upload,
            mapping=mapping.to_json(),
            save_as=save_as,
        )
        page.status_code = error.status if error else 200
        return page

    def refused_upload(
        self, request: Request, session: Session | None, exc: RightstrackError, values: dict[str, str]
    ) -> Any:
        context = table_upload_context(self.db) | {
            "errors": {"table-upload": exc},
            "forms": {"table-upload": values},
        }
        page = self.render(request, "import.html", session, summary=None, upload=None, done=False, **context)
        page.status_code = exc.status
        return page
