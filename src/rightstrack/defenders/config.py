"""Where the master key comes from, and the checks production mode makes before starting.

Secrets are read from the environment (or a key file it names), never from settings files or
command-line flags, which end up in shell histories and process lists:

* ``RIGHTSTRACK_KEY_FILE``: path of a key file made by ``rightstrack keys init --key-file``;
* ``RIGHTSTRACK_PASSPHRASE``: a passphrase (Argon2id derives the master key);
* ``RIGHTSTRACK_NEW_KEY_FILE`` / ``RIGHTSTRACK_NEW_PASSPHRASE``: the new secret for a rotation;
* ``RIGHTSTRACK_PRODUCTION``: "1" makes the server refuse to start on any problem listed by
  :func:`production_problems`.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy import select

from rightstrack.defenders.crypto import MINIMUM_KDF, KdfParams, Secret, Vault
from rightstrack.defenders.schema import hrd_master_keys
from rightstrack.errors import ConfigurationError
from rightstrack.settings import Settings
from rightstrack.store.database import Database

KEY_FILE, PASSPHRASE = "RIGHTSTRACK_KEY_FILE", "RIGHTSTRACK_PASSPHRASE"
NEW_KEY_FILE, NEW_PASSPHRASE = "RIGHTSTRACK_NEW_KEY_FILE", "RIGHTSTRACK_NEW_PASSPHRASE"
PRODUCTION = "RIGHTSTRACK_PRODUCTION"
# Passphrases that appear in documentation, demos or habit; production refuses them.
DEFAULT_PASSPHRASES = frozenset(
    {
        "rightstrack",
        "changeme",
        "change me",
        "password",
        "secret",
        "demo",
        "test",
        "rightstrack-demo",
        "passphrase",
    }
)
MIN_PASSPHRASE = 16


def secrets_from(environ: Mapping[str, str], *, new: bool = False) -> list[Secret]:
    key_var, pass_var = (NEW_KEY_FILE, NEW_PASSPHRASE) if new else (KEY_FILE, PASSPHRASE)
    found = []
    if environ.get(key_var):
        found.append(Secret.key_file(Path(environ[key_var]).expanduser()))
    if environ.get(pass_var):
        found.append(Secret.passphrase(environ[pass_var]))
    return found


def vault_from(db: Database, environ: Mapping[str, str] | None = None, kdf: KdfParams | None = None) -> Vault:
    return Vault(db, secrets_from(os.environ if environ is None else environ), kdf)


def is_production(environ: Mapping[str, str]) -> bool:
    return environ.get(PRODUCTION, "").strip().lower() in {"1", "true", "yes", "on"}


def production_problems(db: Database, settings: Settings, environ: Mapping[str, str]) -> list[str]:
    problems = []
    if not environ.get(KEY_FILE) and not environ.get(PASSPHRASE):
        problems.append(f"no master key: set {KEY_FILE} or {PASSPHRASE}")
    passphrase = environ.get(PASSPHRASE, "")
    if passphrase and (passphrase.strip().lower() in DEFAULT_PASSPHRASES or len(passphrase) < MIN_PASSPHRASE):
        problems.append(f"{PASSPHRASE} is a default or shorter than {MIN_PASSPHRASE} characters")
    if environ.get(KEY_FILE):
        path = Path(environ[KEY_FILE]).expanduser()
        if path.exists() and path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            problems.append(f"the key file {path} is readable by others (chmod 600)")
    if not settings.secure_cookies:
        problems.append("secure_cookies is off: session cookies would travel without TLS")
    if db.is_initialised():
        with db.read() as conn:
            for row in conn.execute(select(hrd_master_keys).where(hrd_master_keys.c.kind == "passphrase")):
                if not KdfParams(row.time_cost, row.memory_kib, row.parallelism).meets(MINIMUM_KDF):
                    problems.append("the master key was derived with Argon2id parameters below the minimum")
    return problems


def check_production(db: Database, settings: Settings, environ: Mapping[str, str] | None = None) -> None:
    env = os.environ if environ is None else environ
    if is_production(env):
        problems = production_problems(db, settings, env)
        if problems:
            raise ConfigurationError("refusing to start in production mode: " + "; ".join(problems))
