"""Settings as one declarative table: name, default, help.

Each setting can be given by a CLI flag (``--data-dir``), by an environment variable
(``RIGHTSTRACK_DATA_DIR``) or by the caller; flags beat the environment, which beats the default.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rightstrack.errors import ConfigurationError

ENV_PREFIX = "RIGHTSTRACK_"


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str

    @property
    def env_var(self) -> str:
        return ENV_PREFIX + self.name.upper()

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


SETTINGS: tuple[Setting, ...] = (
    Setting("data_dir", "./data", "Folder for the SQLite database, model files and stored documents."),
    Setting(
        "database_url",
        "",
        "SQLAlchemy database URL; empty means a SQLite file rightstrack.db in the data directory. "
        "PostgreSQL: postgresql+psycopg://user@host/dbname",
    ),
    Setting("shared_data_dir", "", "Folder of real public data used by `demo` (default: ../shared/data)."),
    Setting("host", "127.0.0.1", "Address the web app listens on."),
    Setting("port", 8000, "Port the web app listens on."),
    Setting("workers", 1, "Web server processes (one per CPU core serves the most requests)."),
    Setting(
        "threads",
        6,
        "Threads per server process running requests; more than a few only fight over Python's lock.",
    ),
    Setting(
        "search_cache_size", 512, "Search results kept in memory per process until the next write (0: off)."
    ),
    Setting("page_size", 20, "Default number of results per page in search."),
    Setting("max_page_size", 500, "Largest page of results one request may ask for."),
    Setting("facet_size", 30, "Number of values shown per facet."),
    Setting("echo_sql", False, "Log every SQL statement (debugging)."),
    Setting(
        "public_read", True, "Let visitors who are not logged in search and read (public read-only mode)."
    ),
    Setting("session_hours", 12, "How long a login lasts."),
    Setting("secure_cookies", False, "Send the session cookie over HTTPS only (turn on behind TLS)."),
    Setting("retention_days", 30, "Days a deleted tracking record can still be restored before `purge`."),
    Setting(
        "workspace_creation",
        "admins",
        "Who may create a tracking workspace: admins, editors (and admins), or self_service (anyone with "
        "an account; the workspace waits for an administrator's approval). An administrator can change "
        "it on /admin, which then wins.",
    ),
    Setting(
        "invitation_days", 14, "Days an invitation link (to a workspace, or to make an account) stays open."
    ),
    Setting("evidence_max_mb", 20, "Largest evidence file accepted with a progress report, in MiB."),
    Setting("smtp_host", "", "Mail server for reminder e-mails (empty: reminders are only listed)."),
    Setting("smtp_port", 25, "Port of the mail server."),
    Setting("smtp_user", "", "User name on the mail server, if it needs a login."),
    Setting("smtp_password", "", "Password on the mail server (prefer RIGHTSTRACK_SMTP_PASSWORD)."),
    Setting("smtp_starttls", False, "Upgrade the mail connection with STARTTLS."),
    Setting("mail_from", "rightstrack@localhost", "Sender address of reminder e-mails."),
    Setting("reminder_days_ahead", 7, "Remind people of measures and reports due within this many days."),
    Setting(
        "base_url", "", "Public address of this instance, for links in e-mails (e.g. https://hr.example.org)."
    ),
    Setting(
        "import_seconds_per_page",
        2.0,
        "Time budget of a document import, per page (a UN page is about 3,000 characters); past it the "
        "import stops, names the page it had reached and stores nothing. 0 reads in-process, unbounded.",
    ),
    Setting("import_base_seconds", 5.0, "Time every document import may take on top of its pages."),
    Setting(
        "import_memory_mb",
        2048,
        "Memory a document's reader may use, in MiB (0: no limit beyond the machine's).",
    ),
    Setting(
        "audit_head_file",
        "",
        "File the audit log's head (event count and last MAC) is written to after every change; keep it "
        "where whoever can change the database cannot (another disk or host). Empty: beside the SQLite "
        "file (rightstrack.db.audit-head), or audit-head-<id>.json in the data folder for PostgreSQL.",
    ),
    Setting(
        "grant_approval",
        False,
        "An administrator who gives themselves access to a defenders case needs a second "
        "administrator's approval (the case owner is told either way).",
    ),
    Setting(
        "link_cycles_on_import",
        True,
        "After an import, link new recommendations to the same ask in their state's previous cycle.",
    ),
)

DEFAULTS: dict[str, Any] = {s.name: s.default for s in SETTINGS}
_BY_NAME = {s.name: s for s in SETTINGS}


def _coerce(setting: Setting, raw: Any, origin: str) -> Any:
    if raw is None or (isinstance(raw, type(setting.default)) and not isinstance(raw, str)):
        return raw
    text = str(raw).strip()
    if isinstance(setting.default, bool):
        if text.lower() in {"1", "true", "yes", "on"}:
            return True
        if text.lower() in {"0", "false", "no", "off", ""}:
            return False
        raise ConfigurationError(f"{origin}: {setting.name} must be true or false, not {text!r}")
    if isinstance(setting.default, int):
        try:
            return int(text)
        except ValueError:
            raise ConfigurationError(
                f"{origin}: {setting.name} must be a whole number, not {text!r}"
            ) from None
    if isinstance(setting.default, float):
        try:
            value = float(text)
        except ValueError:
            value = -1.0
        if not value >= 0:  # also refuses NaN
            raise ConfigurationError(f"{origin}: {setting.name} must be a number of 0 or more, not {text!r}")
        return value
    return text


@dataclass(frozen=True)
class Settings:
    values: Mapping[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def data_path(self) -> Path:
        return Path(str(self.values["data_dir"])).expanduser()

    @property
    def resolved_database_url(self) -> str:
        url = str(self.values["database_url"])
        if url:
            return url
        return f"sqlite:///{(self.data_path / 'rightstrack.db').resolve()}"

    @property
    def resolved_audit_head_file(self) -> Path | None:
        given = str(self.values["audit_head_file"])
        if given:
            return Path(given).expanduser()
        url = str(self.values["database_url"])
        if not url or url.startswith("sqlite"):
            return None  # the Database puts it beside its file (none for an in-memory database)
        # One file per database URL (schema options included), never one shared by two databases.
        digest = hashlib.sha256(url.encode()).hexdigest()[:12]
        return self.data_path / f"audit-head-{digest}.json"

    @property
    def resolved_shared_data_dir(self) -> Path:
        given = str(self.values["shared_data_dir"])
        return Path(given).expanduser() if given else Path("..") / "shared" / "data"


def load_settings(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Defaults, then ``RIGHTSTRACK_*`` variables, then explicit overrides (None means not given)."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = dict(DEFAULTS)
    for setting in SETTINGS:
        if setting.env_var in env:
            values[setting.name] = _coerce(setting, env[setting.env_var], setting.env_var)
    for name, raw in (overrides or {}).items():
        if name not in _BY_NAME:
            raise ConfigurationError(f"unknown setting {name!r}; known: {', '.join(DEFAULTS)}")
        if raw is not None:
            values[name] = _coerce(_BY_NAME[name], raw, _BY_NAME[name].flag)
    return Settings(values)
