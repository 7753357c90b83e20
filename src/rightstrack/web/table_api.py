"""The table import API: a file with its column mapping (JSON, or a saved mapping's name), dry run
first if wanted; and the saved mappings themselves. Thin over ``ingest.table`` and
``store.table_mappings``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, File, Form, UploadFile

from rightstrack.auth.roles import Permission
from rightstrack.ingest.table import TableImporter
from rightstrack.ingest.table_mapping import TableMapping
from rightstrack.settings import Settings
from rightstrack.store.database import Database
from rightstrack.store.table_mappings import (
    SavedMapping,
    delete_mapping,
    list_mappings,
    mapping_for,
    mapping_name,
    save_mapping,
)
from rightstrack.web.security import Guard, actor_of
from rightstrack.web.uploads import UploadImports, keep_upload

MAPPING_HELP = (
    'JSON: {"columns": {"text": "<heading>", "state": "<heading>", "tag:upr_issue": "<heading>", …}, '
    '"state": "<the state of every row>", "sheet": "<XLSX sheet>"}'
)


SAVED_HELP = "The name of a saved mapping; the columns of `mapping` go over it"
SAVE_HELP = "Save the mapping under this name once the import works"


def table_api(db: Database, settings: Settings, guard: Guard) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["import"])
    uploads = settings.data_path / "uploads"
    imports = UploadImports(db, settings)
    may = guard.need(Permission.IMPORT)

    @router.post("/imports/table", summary="Import a table with its own column headings, through a mapping")
    async def api_import_table(
        file: UploadFile = File(...),
        mapping: str | None = Form(None, description=MAPPING_HELP),
        saved: str | None = Form(None, description=SAVED_HELP),
        dry_run: bool = Form(False),
        save_as: str | None = Form(None, description=SAVE_HELP),
        session: Any = Depends(may),
    ) -> dict[str, Any]:
        if save_as and save_as.strip():
            mapping_name(save_as)
        chosen = mapping_for(db, saved, TableMapping.from_json(mapping) if mapping else TableMapping())
        upload, path = await keep_upload(uploads, file)
        summary = await imports.run_in_thread(path, importer=TableImporter(chosen), dry_run=dry_run)
        if save_as and save_as.strip():
            save_mapping(db, save_as, chosen, actor=actor_of(session))
        return {"upload": upload, "mapping": chosen.as_dict(), "summary": summary.as_dict()}

    @router.get("/table-mappings", summary="The saved table mappings", dependencies=[Depends(may)])
    def api_mappings() -> list[dict[str, Any]]:
        return [_shown(m) for m in list_mappings(db)]

    @router.put("/table-mappings/{name}", summary="Save a table mapping under a name")
    def api_save_mapping(
        name: str, body: dict[str, Any] = Body(..., description=MAPPING_HELP), session: Any = Depends(may)
    ) -> dict[str, Any]:
        return _shown(save_mapping(db, name, TableMapping.from_dict(body), actor=actor_of(session)))

    @router.delete(
        "/table-mappings/{name}", summary="Delete a saved table mapping", dependencies=[Depends(may)]
    )
    def api_delete_mapping(name: str) -> dict[str, bool]:
        delete_mapping(db, name)
        return {"ok": True}

    return router


def _shown(saved: SavedMapping) -> dict[str, Any]:
    return {
        "name": saved.name,
        "mapping": saved.mapping.as_dict(),
        "created_by": saved.created_by,
        "updated_at": saved.updated_at.isoformat(),
    }
