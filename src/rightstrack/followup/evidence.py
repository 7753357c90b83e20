"""Evidence files: checked (size, and a type read from the bytes, not the name) and stored by sha256.

Files live under ``<data_dir>/evidence/ab/abcdef…`` named by their hash, so the same file attached
twice is stored once and a stored file can be checked against its recorded hash at any time.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path, PurePath

from rightstrack.errors import InvalidInput, NotFound, Problem
from rightstrack.messages import Text, msg

# Types identified from the first bytes; the name's suffix must agree, so a renamed executable
# is not served back as a "PDF".
_MAGIC: tuple[tuple[bytes, str, frozenset[str]], ...] = (
    (b"%PDF-", "application/pdf", frozenset({".pdf"})),
    (b"\x89PNG\r\n\x1a\n", "image/png", frozenset({".png"})),
    (b"\xff\xd8\xff", "image/jpeg", frozenset({".jpg", ".jpeg"})),
    (b"GIF8", "image/gif", frozenset({".gif"})),
)
_ZIP_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}
_TEXT_TYPES = {".txt": "text/plain", ".csv": "text/csv", ".md": "text/markdown"}
ACCEPTED = sorted({s for _, _, sfx in _MAGIC for s in sfx} | set(_ZIP_TYPES) | set(_TEXT_TYPES))


def sniff_type(filename: str, data: bytes) -> str:
    """The media type of ``data``, or InvalidInput naming the file when it is not one we accept."""
    suffix = PurePath(filename).suffix.lower()
    for magic, media_type, suffixes in _MAGIC:
        if data.startswith(magic):
            if suffix not in suffixes:
                raise _refused(
                    filename,
                    msg(
                        "%(file)s holds %(type)s but its name ends in “%(suffix)s”: rename it or choose"
                        " another file.",
                        file=filename,
                        type=media_type,
                        suffix=suffix,
                    ),
                )
            return media_type
    if data.startswith(b"PK\x03\x04") and suffix in _ZIP_TYPES:
        return _ZIP_TYPES[suffix]
    if suffix in _TEXT_TYPES:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise _refused(
                filename, msg("%(file)s is not UTF-8 text: save it as UTF-8.", file=filename)
            ) from None
        if b"\x00" in data:
            raise _refused(filename, msg("%(file)s is not plain text (it holds NUL bytes).", file=filename))
        return _TEXT_TYPES[suffix]
    raise _refused(
        filename,
        msg(
            "%(file)s is not a kind of file accepted as evidence (accepted: %(accepted)s).",
            file=filename,
            accepted=", ".join(ACCEPTED),
        ),
    )


def _refused(filename: str, why: Text) -> InvalidInput:
    return InvalidInput(why, [Problem(why, file=filename, field="file")])


@dataclass(frozen=True)
class StoredFile:
    filename: str
    content_type: str
    size: int
    sha256: str


class EvidenceStore:
    """A folder of evidence files named by content."""

    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes

    def check(self, filename: str, data: bytes) -> StoredFile:
        name = PurePath(filename.replace("\\", "/")).name.strip()
        if not name:
            raise InvalidInput(
                msg("An evidence file needs a name."),
                [Problem(msg("An evidence file needs a name."), field="filename")],
            )
        if not data:
            raise _refused(name, msg("%(file)s is empty.", file=name))
        if len(data) > self.max_bytes:
            raise _refused(
                name,
                msg(
                    "%(file)s is larger than the limit of %(n)s MiB.",
                    file=name,
                    n=self.max_bytes // (1024 * 1024),
                ),
            )
        return StoredFile(name, sniff_type(name, data), len(data), hashlib.sha256(data).hexdigest())

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes, stored: StoredFile) -> None:
        target = self.path(stored.sha256)
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(target)  # a reader never sees half a file

    def read(self, sha256: str) -> bytes:
        target = self.path(sha256)
        if not target.is_file():
            raise NotFound(f"the evidence file {sha256[:12]}… is missing from {self.root}")
        data = target.read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise InvalidInput(f"the evidence file {sha256[:12]}… no longer matches its recorded hash")
        return data
