"""Evidence files: the original kept encrypted with its sha256; a shared copy without metadata.

The shared copy is rebuilt from pixels only, so EXIF (GPS, device serial), XMP, IPTC and ICC
data cannot come along. Files that are not images get no shared copy: we cannot promise to
have cleaned them.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from datetime import UTC, datetime
from typing import Any

from PIL import Image, UnidentifiedImageError
from sqlalchemy import select

from rightstrack.auth import audit
from rightstrack.defenders.access import Access, Viewer
from rightstrack.defenders.cases import ENTITY, require
from rightstrack.defenders.crypto import Vault, seal, unseal
from rightstrack.defenders.schema import hrd_attachments
from rightstrack.errors import InvalidInput, NotFound, RightstrackError
from rightstrack.store.database import Database

MAX_BYTES = 25 * 1024 * 1024
_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}


def strip_metadata(data: bytes) -> tuple[bytes, str] | None:
    """A metadata-free copy of an image and its media type; None when ``data`` is not an image."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            fmt = image.format or "PNG"
            clean = Image.frombytes(image.mode, image.size, image.tobytes())
            if image.mode == "P" and image.getpalette():
                clean.putpalette(image.getpalette() or [])
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    fmt = fmt if fmt in _FORMATS else "PNG"
    if fmt == "JPEG" and clean.mode not in ("RGB", "L", "CMYK"):
        clean = clean.convert("RGB")
    out = io.BytesIO()
    clean.save(out, format=fmt)
    return out.getvalue(), _FORMATS[fmt]


def add_attachment(
    db: Database, vault: Vault, who: Viewer, case_id: str, data: bytes, media_type: str
) -> dict[str, Any]:
    if not data or len(data) > MAX_BYTES:
        raise InvalidInput(f"an attachment needs 1 byte to {MAX_BYTES // 1024 // 1024} MB")
    digest = hashlib.sha256(data).hexdigest()
    stripped = strip_metadata(data)
    attachment_id = str(uuid.uuid4())
    with db.transaction() as conn:
        require(conn, who, case_id, Access.WRITE)
        key = vault.data_key(conn, case_id)
        conn.execute(
            hrd_attachments.insert(),
            {
                "id": attachment_id,
                "case_id": case_id,
                "sha256": digest,
                "media_type": media_type[:80] or "application/octet-stream",
                "size": len(data),
                "original": seal(key, data, f"attachment:{attachment_id}:original"),
                "shared": seal(key, stripped[0] if stripped else b"", f"attachment:{attachment_id}:shared"),
                "created_at": datetime.now(UTC),
                "created_by": who.label,
            },
        )
        audit.record(conn, actor=who.label, action="add attachment", entity=ENTITY, entity_id=case_id)
    return {"id": attachment_id, "sha256": digest, "shared_copy": stripped is not None}


def get_attachment(
    db: Database, vault: Vault, who: Viewer, attachment_id: str, *, copy: str = "shared"
) -> tuple[bytes, str]:
    """The shared copy for readers; the original (with its metadata) only for those who may edit."""
    if copy not in ("shared", "original"):
        raise InvalidInput("copy is shared or original")
    with db.transaction(bump=False) as conn:  # only an audit event
        row = conn.execute(select(hrd_attachments).where(hrd_attachments.c.id == attachment_id)).first()
        if row is None:
            raise NotFound(f"no attachment {attachment_id}")
        require(conn, who, row.case_id, Access.WRITE if copy == "original" else Access.READ)
        key = vault.data_key(conn, row.case_id)
        data = unseal(
            key, row.original if copy == "original" else row.shared, f"attachment:{attachment_id}:{copy}"
        )
        if copy == "original" and hashlib.sha256(data).hexdigest() != row.sha256:
            raise RightstrackError("the original no longer matches the sha256 recorded at ingest")
        if not data:
            raise NotFound("this file has no shareable copy (only images can be cleaned of metadata)")
        audit.record(
            conn, actor=who.label, action=f"read attachment ({copy})", entity=ENTITY, entity_id=row.case_id
        )
    media = row.media_type if copy == "original" else (strip_metadata(data) or (b"", row.media_type))[1]
    return data, media


def list_attachments(db: Database, who: Viewer, case_id: str) -> list[dict[str, Any]]:
    with db.read() as conn:
        require(conn, who, case_id, Access.READ)
        a = hrd_attachments
        rows = conn.execute(
            select(a.c.id, a.c.sha256, a.c.media_type, a.c.size, a.c.created_at).where(a.c.case_id == case_id)
        )
        return [dict(r._mapping) for r in rows]
