"""The import API: the importers there are, and importing an uploaded file (with a dry run first)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, Form, UploadFile
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from rightstrack.auth.roles import Permission
from rightstrack.importing import import_file
from rightstrack.ingest.base import importers
from rightstrack.ingest.budget import ReadBudget
from rightstrack.ingest.review_hint import ReviewHint
from rightstrack.settings import Settings
from rightstrack.store.database import Database
from rightstrack.web.security import Guard
from rightstrack.web.uploads import find_upload, keep_upload


class ConfirmIn(BaseModel):
    upload: str
    importer: str | None = None
    review: str | None = None


def import_router(db: Database, settings: Settings, guard: Guard) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["import"])
    uploads = settings.data_path / "uploads"
    may_import = [Depends(guard.need(Permission.IMPORT))]
    budget = ReadBudget.from_settings(settings)

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
        # In a thread: the read waits on its budgeted child process, the event loop must not.
        summary = await run_in_threadpool(
            import_file,
            db,
            path,
            importer or None,
            dry_run=dry_run,
            review=_hint(review),
            link_cycles=bool(settings.link_cycles_on_import),
            budget=budget,
        )
        return {"upload": upload, "summary": summary.as_dict()}

    @router.post(
        "/imports/confirm", summary="Import a file uploaded earlier with dry_run", dependencies=may_import
    )
    def api_confirm(body: ConfirmIn) -> dict[str, Any]:
        path = find_upload(uploads, body.upload)
        summary = import_file(
            db,
            path,
            body.importer or None,
            review=_hint(body.review),
            link_cycles=bool(settings.link_cycles_on_import),
            budget=budget,
        )
        return {"upload": body.upload, "summary": summary.as_dict()}

    return router


def _hint(text: str | None) -> ReviewHint | None:
    return ReviewHint.parse(text) if text and text.strip() else None
