"""One exception hierarchy for the whole library.

Each class carries the HTTP status the web layer answers with, so the edges (CLI, web) translate
errors in one place and the library never imports anything web-specific.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Problem:
    """Where a piece of input went wrong: file, line or page, field, and what was found."""

    message: str
    file: str | None = None
    line: int | None = None
    page: int | None = None
    field: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.page is not None:
            where.append(f"page {self.page}")
        if self.field:
            where.append(f"field {self.field!r}")
        prefix = ", ".join(where)
        suffix = f" (found {self.value!r})" if self.value is not None else ""
        return f"{prefix}: {self.message}{suffix}" if prefix else f"{self.message}{suffix}"

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


class RightstrackError(Exception):
    """Base of every error the library raises on purpose."""

    status = 500
    code = "internal_error"

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems: list[Problem] = problems or []
        self.headers: dict[str, str] = {}
        """HTTP headers the web layer adds to the error answer (e.g. Retry-After)."""

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        shown = "\n".join(f"  - {p}" for p in self.problems[:50])
        more = len(self.problems) - 50
        tail = f"\n  … and {more} more" if more > 0 else ""
        return f"{self.message}\n{shown}{tail}"

    def as_dict(self) -> dict[str, Any]:
        """The one JSON error shape used everywhere (API, CLI --format json)."""
        return {
            "ok": False,
            "status": self.status,
            "error": self.code,
            "message": self.message,
            "problems": [p.as_dict() for p in self.problems],
        }


class InvalidInput(RightstrackError):
    """The caller asked for something malformed (a bad filter, an unknown format)."""

    status = 400
    code = "invalid_input"


class NotFound(RightstrackError):
    status = 404
    code = "not_found"


class LoginRequired(RightstrackError):
    status = 401
    code = "login_required"


class PermissionDenied(RightstrackError):
    status = 403
    code = "permission_denied"


class Conflict(RightstrackError):
    status = 409
    code = "conflict"


class ImportFailed(RightstrackError):
    """A file could not be imported; nothing from it was stored."""

    status = 422
    code = "import_failed"


class CellError(ImportFailed):
    """One cell of a table could not be read; the importer adds the file, row and column."""


class UnknownState(ImportFailed):
    """A state name that resolves to no known state."""

    code = "unknown_state"


class ConfigurationError(RightstrackError):
    status = 500
    code = "configuration_error"


@dataclass
class ErrorList:
    """Collects problems while reading a file so that one error can report all of them."""

    file: str
    problems: list[Problem] = field(default_factory=list)

    def add(
        self,
        message: str,
        *,
        line: int | None = None,
        page: int | None = None,
        field: str | None = None,
        value: str | None = None,
    ) -> None:
        self.problems.append(Problem(message, self.file, line, page, field, value))

    def raise_if_any(self, summary: str, error: type[ImportFailed] = ImportFailed) -> None:
        if self.problems:
            raise error(f"{self.file}: {summary}", self.problems)
