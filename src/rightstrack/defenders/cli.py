"""``rightstrack defenders …``, ``rightstrack keys …``, ``rightstrack backup …`` and
``rightstrack audit-verify``: thin commands over the defenders library.

Read commands act as ``--user NAME`` (that user's role, groups and grants) or, without it, as an
anonymous visitor who sees public views only; commands that change anything need ``--user``.
Secrets come from the environment (see :mod:`rightstrack.defenders.config`), never from flags.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy import select

from rightstrack.auth.roles import Permission, Role
from rightstrack.defenders import access, cases, casework, config, crypto, exports, importers, patterns
from rightstrack.defenders.backup import create_backup, restore_backup
from rightstrack.errors import InvalidInput, NotFound, PermissionDenied
from rightstrack.store import schema
from rightstrack.store.database import Database

defenders_app = typer.Typer(
    help="Cases of attacks on human rights defenders, kept safely.", no_args_is_help=True
)
keys_app = typer.Typer(help="The master key: create, rotate, check.", no_args_is_help=True)
backup_app = typer.Typer(help="Encrypted backups of the whole database.", no_args_is_help=True)
UserOption = Annotated[str | None, typer.Option("--user", help="Act as this user (default: anonymous).")]
OutOption = Annotated[Path | None, typer.Option("--out", help="Write to this file instead of stdout.")]


def register_cli(app: typer.Typer) -> None:
    app.add_typer(defenders_app, name="defenders")
    app.add_typer(keys_app, name="keys")
    app.add_typer(backup_app, name="backup")
    app.command("audit-verify")(audit_verify)


def _run(work: Callable[[Database], None], *, create: bool = False) -> None:
    from rightstrack.cli_support import errors_to_exit, open_database

    with errors_to_exit():
        work(open_database(create=create))


def _viewer(db: Database, username: str | None, *, need: Permission | None = None) -> access.Viewer:
    if username is None:
        if need is not None:
            raise PermissionDenied(
                f"this command changes data: say who you are with --user (needs {need.value})"
            )
        return access.ANONYMOUS
    u = schema.users
    with db.read() as conn:
        row = conn.execute(select(u.c.role).where(u.c.username == username, u.c.active.is_(True))).first()
        if row is None:
            raise NotFound(f"no active user called {username!r}")
        who = access.viewer(conn, username, Role(row.role))
    if need is not None and not who.may(need):
        raise PermissionDenied(f"{username} ({who.role}) may not {need.value}")
    return who


def _emit(data: Any, out: Path | None = None) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    if out is None:
        print(text)
        return
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text + "\n")


# -- defenders -----------------------------------------------------------------------------------


@defenders_app.command("import")
def defenders_import(
    files: Annotated[list[Path], typer.Argument(help="Global Witness or CPJ CSV exports.")],
    user: Annotated[str, typer.Option("--user", help="Act as this user (needs import).")],
) -> None:
    """Import public datasets as public-source cases (idempotent)."""

    def work(db: Database) -> None:
        who = _viewer(db, user, need=Permission.IMPORT)
        vault = config.vault_from(db)
        _emit([importers.import_dataset(db, vault, who, path).as_dict() for path in files])

    _run(work)


@defenders_app.command("list")
def defenders_list(
    user: UserOption = None,
    q: Annotated[
        str | None, typer.Option(help="Search text (sealed fields only where you may read).")
    ] = None,
    limit: int = 50,
) -> None:
    """Cases you may see."""
    _run(lambda db: _emit(cases.list_cases(db, config.vault_from(db), _viewer(db, user), q=q, limit=limit)))


@defenders_app.command("show")
def defenders_show(case_id: str, user: UserOption = None) -> None:
    """One case, as far as you may see it."""
    _run(lambda db: _emit(casework.dossier(db, config.vault_from(db), _viewer(db, user), case_id)))


@defenders_app.command("report")
def defenders_report(
    by: Annotated[
        str, typer.Option(help="One to three of: " + ", ".join(patterns.DIMENSIONS))
    ] = "country,year",
    audience: Annotated[
        str, typer.Option(help="public (suppressed) or staff (exact, needs --user)")
    ] = "public",
    user: UserOption = None,
    out: OutOption = None,
) -> None:
    """Patterns: counts of acts."""
    _run(
        lambda db: _emit(
            patterns.report(db, _viewer(db, user), by, audience=audience, vault=config.vault_from(db)), out
        )
    )


@defenders_app.command("monitoring")
def defenders_monitoring(user: UserOption = None) -> None:
    """Open cases, interventions awaiting a reply, overdue follow-ups."""
    _run(lambda db: _emit(casework.monitoring(db, config.vault_from(db), _viewer(db, user))))


@defenders_app.command("pack")
def defenders_pack(case_ids: list[str], user: UserOption = None, out: OutOption = None) -> None:
    """Submission pack for the UN Special Rapporteur on defenders (consent honoured)."""
    _run(
        lambda db: _emit(exports.submission_pack(db, config.vault_from(db), _viewer(db, user), case_ids), out)
    )


@defenders_app.command("export")
def defenders_export(user: UserOption = None, out: OutOption = None) -> None:
    """Public export: whitelisted fields of public cases and the suppressed patterns."""
    _run(lambda db: _emit(exports.public_export(db, _viewer(db, user)), out))


@defenders_app.command("delete")
def defenders_delete(case_id: str, user: Annotated[str, typer.Option("--user")]) -> None:
    """Delete a case, destroy its key and compact the database file."""

    def work(db: Database) -> None:
        cases.delete_case(db, config.vault_from(db), _viewer(db, user, need=Permission.EDIT), case_id)
        cases.compact(db)
        _emit({"deleted": case_id})

    _run(work)


@defenders_app.command("grant")
def defenders_grant(
    case_id: str,
    subject: str,
    user: Annotated[str, typer.Option("--user")],
    group: Annotated[bool, typer.Option("--group", help="SUBJECT is a group.")] = False,
    level: str = "read",
) -> None:
    """Share a case with a user or a group (owner or admin)."""

    def work(db: Database) -> None:
        who = _viewer(db, user, need=Permission.EDIT)  # as the web route: sharing is a change
        casework.grant(db, who, case_id, subject, kind="group" if group else "user", level=level)
        _emit({"granted": subject, "level": level})

    _run(work)


@defenders_app.command("revoke")
def defenders_revoke(
    case_id: str,
    subject: str,
    user: Annotated[str, typer.Option("--user")],
    group: Annotated[bool, typer.Option("--group", help="SUBJECT is a group.")] = False,
) -> None:
    """Stop sharing a case with a user or a group (owner or admin)."""

    def work(db: Database) -> None:
        who = _viewer(db, user, need=Permission.EDIT)
        casework.revoke(db, who, case_id, subject, kind="group" if group else "user")
        _emit({"revoked": subject})

    _run(work)


@defenders_app.command("status")
def defenders_status(case_id: str, status: str, user: Annotated[str, typer.Option("--user")]) -> None:
    """Set a case's monitoring status: active, pending or not_active."""

    def work(db: Database) -> None:
        cases.set_monitoring(db, _viewer(db, user, need=Permission.EDIT), case_id, status)
        _emit({"monitoring_status": status})

    _run(work)


@defenders_app.command("group-add")
def defenders_group_add(group: str, username: str, user: Annotated[str, typer.Option("--user")]) -> None:
    """Put a user in a group (admin)."""
    _run(lambda db: casework.add_member(db, _viewer(db, user, need=Permission.MANAGE_USERS), group, username))


# -- keys, backups, audit ------------------------------------------------------------------------

KdfMemory = Annotated[int, typer.Option("--memory-kib", help="Argon2id memory (KiB).")]
KdfTime = Annotated[int, typer.Option("--time-cost", help="Argon2id passes.")]


@keys_app.command("init")
def keys_init(
    key_file: Annotated[
        Path | None, typer.Option("--key-file", help="Create this key file and use it.")
    ] = None,
    memory_kib: KdfMemory = crypto.KdfParams().memory_kib,
    time_cost: KdfTime = crypto.KdfParams().time_cost,
) -> None:
    """Create the master key (from a new key file, or from RIGHTSTRACK_PASSPHRASE)."""

    def work(db: Database) -> None:
        secrets = [crypto.write_key_file(key_file)] if key_file else config.secrets_from(os.environ)
        crypto.Vault(db, secrets, crypto.KdfParams(time_cost, memory_kib)).initialise()
        print(
            "master key created"
            + (f"; key file {key_file} (keep it apart from the database)" if key_file else "")
        )

    _run(work, create=True)


@keys_app.command("rotate")
def keys_rotate(
    new_key_file: Annotated[
        Path | None, typer.Option("--new-key-file", help="Create and use this key file.")
    ] = None,
    memory_kib: KdfMemory = crypto.KdfParams().memory_kib,
    time_cost: KdfTime = crypto.KdfParams().time_cost,
    batch: int = 100,
) -> None:
    """Rewrap every data key under a new master key; safe to interrupt and run again."""

    def work(db: Database) -> None:
        if new_key_file:
            new = (
                crypto.write_key_file(new_key_file)
                if not new_key_file.exists()
                else crypto.Secret.key_file(new_key_file)
            )
        else:
            found = config.secrets_from(os.environ, new=True)
            if not found:
                raise InvalidInput("give --new-key-file or set RIGHTSTRACK_NEW_PASSPHRASE")
            new = found[0]
        vault = config.vault_from(db)
        vault.secrets.append(new)  # lets an interrupted rotation resume
        done = crypto.rotate(db, vault, new, crypto.KdfParams(time_cost, memory_kib), batch=batch)
        print(f"rotated: {done} data keys rewrapped; configure the new secret now")

    _run(work)


@keys_app.command("check")
def keys_check() -> None:
    """Check the key opens the database and list what production mode would refuse."""
    from rightstrack.cli_support import State

    def work(db: Database) -> None:
        vault = config.vault_from(db)
        with db.read() as conn:
            vault.unlock(conn)
        problems = config.production_problems(db, State.settings, os.environ)
        _emit({"key_opens_database": True, "production_problems": problems})

    _run(work)


@backup_app.command("create")
def backup_create(path: Path) -> None:
    """Write an encrypted backup (key: the configured master secret)."""
    _run(lambda db: _emit(create_backup(db, _backup_secret(), path)))


@backup_app.command("restore")
def backup_restore(path: Path) -> None:
    """Restore an encrypted backup into a new, empty database."""
    _run(lambda db: _emit(restore_backup(db, _backup_secret(), path)), create=True)


def _backup_secret() -> crypto.Secret:
    found = config.secrets_from(os.environ)
    if not found:
        raise crypto.VaultLocked("set RIGHTSTRACK_KEY_FILE or RIGHTSTRACK_PASSPHRASE to encrypt backups")
    return found[0]


def audit_verify() -> None:
    """Verify the audit log's hash chain; exits 1 when it is broken."""
    from rightstrack.auth.audit import verify

    def work(db: Database) -> None:
        with db.read() as conn:
            report = verify(conn)
        _emit(report.__dict__)
        if not report.ok:
            raise typer.Exit(1)

    _run(work)
