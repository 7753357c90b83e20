"""schemathesis against the OpenAPI spec: whatever it sends, the server never answers with a 5xx,
and every error comes in the one error shape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings

from rightstrack.auth.accounts import create_user
from rightstrack.importing import import_file
from rightstrack.store.database import Database
from rightstrack.web.app import create_app


def test_no_server_errors(sqlite_db: Database, sample_csv: Path) -> None:
    import_file(sqlite_db, sample_csv, "upr-info")
    create_user(sqlite_db, "fuzz", "a long enough password", "admin")
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(sqlite_db))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 14
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case: Any) -> None:
            response = case.call()
            assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code}"
            if response.status_code >= 400:
                assert response.json()["ok"] is False

        check()
