"""Settings: one declarative table, flags over environment over defaults; docs follow the table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rightstrack.errors import ConfigurationError
from rightstrack.settings import SETTINGS, load_settings

README = Path(__file__).resolve().parents[1] / "README.md"


def test_defaults_environment_and_overrides() -> None:
    settings = load_settings({}, environ={})
    assert settings.port == 8000 and settings.resolved_database_url.endswith("data/rightstrack.db")
    env = {
        "RIGHTSTRACK_PORT": "9000",
        "RIGHTSTRACK_DATABASE_URL": "postgresql+psycopg://x/y",
        "RIGHTSTRACK_ECHO_SQL": "yes",
    }
    settings = load_settings({}, environ=env)
    assert settings.port == 9000 and settings.echo_sql is True
    assert settings.resolved_database_url == "postgresql+psycopg://x/y"
    assert load_settings({"port": "7000"}, environ=env).port == 7000
    assert load_settings({"port": None}, environ=env).port == 9000


@pytest.mark.parametrize(("name", "value"), [("port", "eighty"), ("echo_sql", "perhaps")])
def test_bad_values_name_the_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigurationError, match=f"RIGHTSTRACK_{name.upper()}"):
        load_settings({}, environ={f"RIGHTSTRACK_{name.upper()}": value})


def test_unknown_setting() -> None:
    with pytest.raises(ConfigurationError, match="unknown setting"):
        load_settings({"colour": "red"}, environ={})


def test_every_setting_is_documented_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"`{setting.env_var}`" in text, f"{setting.env_var} is not documented in README.md"


def _command_paths(group: Any, prefix: str) -> list[str]:
    paths = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        if getattr(command, "commands", None):
            paths.extend(_command_paths(command, path))
        else:
            paths.append(path)
    return paths


def test_every_cli_command_is_documented_in_the_readme() -> None:
    """Every leaf command, sub-applications included, appears in README.md as `rightstrack a b`."""
    import typer.main

    from rightstrack.cli import app

    text = README.read_text(encoding="utf-8")
    paths = _command_paths(typer.main.get_command(app), "rightstrack")
    assert len(paths) > 10
    missing = [path for path in paths if path not in text]
    assert not missing, f"commands not documented in README.md: {missing}"
