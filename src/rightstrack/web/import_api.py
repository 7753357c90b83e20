"""The import API: the importers there are, and importing an uploaded file (with a dry run first)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, Form, UploadFile
from pydantic import BaseModel

from rightstrack.auth.roles import Permission
from rightstrack.ingest.base import importers
from rightstrack.ingest.review_hint import ReviewHint
from rightstrack.settings import Settings
from rightstrack.store.database import Database
from rightstrack.web.security import Guard
from rightstrack.web.uploads import UploadImports, find_upload, keep_upload


class ConfirmIn(BaseModel):
    upload: str
    importer: str | None = None
    review: str | None = None


def import_router(db: Database, settings: Settings, guard: Guard) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["import"])
    uploads = settings.data_path / "uploads"
    imports = UploadImports(db, settings)
    may_import = [Depends(guard.need(Permission.IMPORT))]

    @router.get("/importers", summary="The file formats rightstrack imports", dependencies=may_import)
    def api_importers() -> list[dict[str, str]]:
        return [{"name": name, "description": i.description} for name, i in sorted(importers().items())]

    @router.post(
        "/imports",
        summary="Upload and import a file; with dry_run, say what would be stored and keep the upload",
        dependencies=may_import,
    )
    async def api_import(
        file: UploadFile = File(...),
        addendum: UploadFile | None = File(
            None, description="A UPR report's response addendum (…/Add.1), read with the report"
        ),
        dry_run: bool = Form(False),
        importer: str | None = Form(None),
        review: str | None = Form(None, description="STATE[:SESSION] the file belongs to, such as SVN:20"),
    ) -> dict[str, Any]:
        upload, path = await keep_upload(uploads, file, beside=addendum)
        summary = await imports.run_in_thread(
            path, importer=importer or None, dry_run=dry_run, review=_hint(review)
        )
        return {"upload": upload, "summary": summary.as_dict()}

    @router.post(
        "/imports/confirm", summary="Import a file uploaded earlier with dry_run", dependencies=may_import
    )
    def api_confirm(body: ConfirmIn) -> dict[str, Any]:
        path = find_upload(uploads, body.upload)
        summary = imports.run(path, body.importer or None, review=_hint(body.review))
        return {"upload": body.upload, "summary": summary.as_dict()}

    return router


def _hint(text: str | None) -> ReviewHint | None:
    return ReviewHint.parse(text) if text and text.strip() else None
