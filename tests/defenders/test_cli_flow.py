"""The operator's path through the CLI: keys, import, share, revoke, back up, restore, rotate,
verify. Secrets come from the environment, as in production."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rightstrack.auth.accounts import create_user
from rightstrack.auth.roles import Role
from rightstrack.cli import app as cli_app
from tests.defenders.test_import import _invented, _write_gw

FAST = ["--memory-kib", "256", "--time-cost", "1"]


def test_keys_import_share_backup_restore_rotate_and_verify(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("RIGHTSTRACK_KEY_FILE", "RIGHTSTRACK_PASSPHRASE", "RIGHTSTRACK_PRODUCTION"):
        monkeypatch.delenv(name, raising=False)
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()

    def run(*args: str, database: str = url, ok: bool = True) -> Any:
        result = runner.invoke(cli_app, ["--database-url", database, *args])
        assert (result.exit_code == 0) is ok, result.output
        return result

    key = tmp_path / "master.key"
    run("keys", "init", "--key-file", str(key), *FAST)
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    run("keys", "init", "--key-file", str(key), ok=False)  # never overwritten, never re-initialised
    monkeypatch.setenv("RIGHTSTRACK_KEY_FILE", str(key))
    from rightstrack.defenders.config import vault_from
    from rightstrack.store.database import Database

    db = Database(url)
    vault_from(db)  # the audit log is keyed since `keys init`: writing to it needs the key
    for name, role in (("lead", Role.EDITOR), ("reader", Role.VIEWER), ("boss", Role.ADMIN)):
        create_user(db, name, "a long enough password", role)
    gw = _write_gw(tmp_path / "gw.csv", _invented(8))
    imported = json.loads(run("defenders", "import", str(gw), "--user", "lead").output)
    assert imported[0]["created"] == 8
    listed = json.loads(run("defenders", "list", "--user", "reader", "--q", "Test Person 3").output)
    case_id = listed["items"][0]["id"]
    assert listed["total"] == 1 and listed["items"][0]["title"] == "Test Person 3"
    anonymous = run("defenders", "show", case_id).output
    assert "Test Person" not in anonymous and '"view": "public"' in anonymous
    run("defenders", "status", case_id, "not_active", "--user", "lead")
    run("defenders", "status", case_id, "active", "--user", "reader", ok=False)
    run("defenders", "group-add", "team", "reader", "--user", "boss")
    run("defenders", "grant", case_id, "team", "--group", "--user", "boss")
    run("defenders", "revoke", case_id, "team", "--group", "--user", "boss")
    report = json.loads(
        run("defenders", "report", "--by", "country", "--audience", "staff", "--user", "lead").output
    )
    assert {r["country"]: r["count"] for r in report["rows"]} == {"BRA": 4, "HND": 4}
    monitoring = json.loads(run("defenders", "monitoring", "--user", "lead").output)
    assert monitoring["open_cases"] == 7

    backup = tmp_path / "rt.backup"
    run("backup", "create", str(backup))
    assert b"Test Person" not in backup.read_bytes()
    restored_url = f"sqlite:///{tmp_path / 'restored.db'}"
    run("backup", "restore", str(backup), database=restored_url)
    again = json.loads(run("defenders", "show", case_id, "--user", "reader", database=restored_url).output)
    assert again["acts"][0]["victim_name"] == "Test Person 3"

    run("keys", "rotate", "--new-key-file", str(tmp_path / "new.key"), *FAST)
    run("defenders", "show", case_id, "--user", "reader", ok=False)  # the old key no longer opens it
    monkeypatch.setenv("RIGHTSTRACK_KEY_FILE", str(tmp_path / "new.key"))
    assert "Test Person 3" in run("defenders", "show", case_id, "--user", "reader").output
    checked = json.loads(run("keys", "check").output)
    assert checked["key_opens_database"] is True and checked["production_problems"]  # e.g. insecure cookies
    verified = json.loads(run("audit-verify").output)
    assert verified["ok"] is True and verified["checked"] > 10
    run("defenders", "delete", case_id, "--user", "lead")
    run("defenders", "show", case_id, "--user", "lead", ok=False)
    db.close()


def test_serve_refuses_to_start_in_production_with_a_default_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'prod.db'}"
    runner = CliRunner()
    assert runner.invoke(cli_app, ["--database-url", url, "init"]).exit_code == 0
    monkeypatch.delenv("RIGHTSTRACK_KEY_FILE", raising=False)
    monkeypatch.setenv("RIGHTSTRACK_PASSPHRASE", "changeme")
    monkeypatch.setenv("RIGHTSTRACK_PRODUCTION", "1")
    result = runner.invoke(
        cli_app, ["--database-url", url, "--secure-cookies", "true", "serve", "--port", "9"]
    )
    assert result.exit_code == 1 and "refusing to start in production mode" in result.output
    assert "changeme" not in result.output  # the secret itself is never echoed
