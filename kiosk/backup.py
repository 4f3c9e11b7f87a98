"""Backups of the database, made while the kiosk keeps running, and restoring one.

`flask backup` (nightly, from a systemd timer) copies SQLite with its online backup API into a
file of its own, checks the copy with `PRAGMA integrity_check`, and only then gives it its
name; PostgreSQL is dumped with `pg_dump` in its custom format and checked by `pg_restore
--list`. The newest N backups are kept. `flask restore FILE` puts one back, into an empty data
directory (a new machine) or, when told to, over the database there (which is backed up first).

A backup is the database exactly as it was; an export (kiosk/transfer/) is the content as a
portable file that moves between SQLite and PostgreSQL. Both hold the staff accounts' password
hashes and the patient-sheet notes: files are written readable by their owner only.
"""

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import click
from alembic.script import ScriptDirectory
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import inspect, select
from sqlalchemy.exc import SQLAlchemyError

from kiosk.cli import ask_before_replacing
from kiosk.db import alembic_config, engine, error_reason, get_session
from kiosk.models import ContentState

KEEP = 14
SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
SUFFIXES = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}
# kiosk-2026-11-24T033000Z.sqlite3, or kiosk-2026-11-24T033000Z-2.sqlite3 for a second one
# made in the same second.
NAME = re.compile(r"^kiosk-(\d{4}-\d{2}-\d{2}T\d{6}Z)(?:-(\d+))?\.(sqlite3|pgdump)$")


class BackupError(RuntimeError):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


def default_folder() -> Path:
    return Path(current_app.instance_path) / "backups"


def backup(folder: Path, keep: int = KEEP) -> tuple[Path, list[Path]]:
    """Back up the app's database into `folder`; return the new file and the ones pruned."""
    url = engine().url
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = _new_name(folder, url.get_backend_name())
    if url.get_backend_name() == "sqlite":
        backup_sqlite(Path(url.database), target)
    elif url.get_backend_name() == "postgresql":
        backup_postgresql(url, target)
    else:
        raise BackupError(f"Backups of {url.get_backend_name()} databases are not supported; "
                          "use `flask --app kiosk export FILE` instead.")
    return target, prune(folder, keep, newest=target)


def _new_name(folder: Path, backend: str) -> Path:
    """A name that sorts after every backup made in the same second."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%SZ")
    same_second = [key[1] for key, _path in _named_backups(folder) if key[0] == stamp]
    n = max(same_second, default=0) + 1
    return folder / f"kiosk-{stamp}{f'-{n}' if n > 1 else ''}{SUFFIXES.get(backend, '')}"


def _named_backups(folder: Path) -> list[tuple[tuple[str, int], Path]]:
    found = []
    for path in folder.iterdir() if folder.is_dir() else []:
        match = NAME.match(path.name)
        if match:
            found.append(((match.group(1), int(match.group(2) or 1)), path))
    return sorted(found)


def backups_in(folder: Path) -> list[Path]:
    """The kiosk's backups in `folder`, oldest first (by the time in their names)."""
    return [path for _key, path in _named_backups(folder)]


def prune(folder: Path, keep: int, newest: Path | None = None) -> list[Path]:
    """Delete all but the newest `keep` backups; files not named like a backup stay.

    `newest`, the backup just made, always stays, even if its name sorts first: a Raspberry Pi
    has no clock of its own, and may start the day believing it is yesterday.
    """
    others = [path for path in backups_in(folder) if path != newest]
    old = others[: max(0, len(others) - (keep - 1 if newest else keep))]
    for path in old:
        path.unlink()
    return old


# ---- SQLite.

def backup_sqlite(source: Path, target: Path):
    """Copy a live SQLite database page by page (writers carry on), then check the copy."""
    if not source.exists():
        raise BackupError(f"There is no database at {source} to back up.")
    partial = _private_partial(target)
    try:
        with closing(sqlite3.connect(source, timeout=30)) as database, \
                closing(sqlite3.connect(partial)) as copy:
            database.backup(copy)
            # One self-contained file, with no -wal beside it.
            copy.execute("PRAGMA journal_mode = DELETE")
        check_sqlite(partial)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def check_sqlite(path: Path):
    """Refuse anything but a whole, readable SQLite database of this kiosk."""
    with path.open("rb") as file:
        if file.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise BackupError(f"{path} is not an SQLite database.")
    try:
        with closing(sqlite3.connect(path.resolve().as_uri() + "?mode=ro&immutable=1",
                                      uri=True)) as database:
            problems = [row[0] for row in database.execute("PRAGMA integrity_check")]
            tables = {row[0] for row in database.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} cannot be read as a database ({error}).") from None
    if problems != ["ok"]:
        raise BackupError(f"{path} is damaged: {'; '.join(problems[:3])}.")
    if not {"alembic_version", "content_state"} <= tables:
        raise BackupError(f"{path} is an SQLite database, but not one of this kiosk's.")


def restore_sqlite(backup_file: Path, database: Path):
    """Write the backup into the database file, through SQLite, never by copying files."""
    database.parent.mkdir(parents=True, exist_ok=True)
    if not database.exists():  # a new one is private, like the backup it comes from
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT, 0o600))
    with closing(sqlite3.connect(backup_file.resolve().as_uri() + "?mode=ro&immutable=1",
                                  uri=True)) as source, \
            closing(sqlite3.connect(database, timeout=30)) as target:
        source.backup(target)


# ---- PostgreSQL.

def _libpq(url) -> tuple[str, dict]:
    """A connection string for pg_dump and pg_restore; the password goes in the environment."""
    environ = dict(os.environ)
    if url.password:
        environ["PGPASSWORD"] = url.password
    dsn = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return dsn, environ


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed, and PostgreSQL databases are backed up and restored "
            f"with it: install the PostgreSQL client programs (sudo apt-get install "
            f"postgresql-client), of the server's version or newer."
        )
    return found


def _run(command: list[str], environ: dict, what: str):
    result = subprocess.run(command, env=environ, capture_output=True, text=True)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(f"{what} failed: {detail[-1] if detail else result.returncode}")


def backup_postgresql(url, target: Path):
    pg_dump = _program("pg_dump")
    dsn, environ = _libpq(url)
    partial = _private_partial(target)
    try:
        _run([pg_dump, "--format=custom", f"--file={partial}", dsn], environ, "pg_dump")
        if shutil.which("pg_restore"):  # the dump reads back: its table of contents is whole
            _run([shutil.which("pg_restore"), "--list", str(partial)], environ,
                 "Checking the dump with pg_restore --list")
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def restore_postgresql(backup_file: Path, url):
    pg_restore = _program("pg_restore")
    dsn, environ = _libpq(url)
    _run([pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--single-transaction", "--exit-on-error", f"--dbname={dsn}", str(backup_file)],
         environ, "pg_restore")


# ---- Restoring, whichever the database.

def kind_of(backup_file: Path) -> str:
    with backup_file.open("rb") as file:
        start = file.read(len(SQLITE_MAGIC))
    if start.startswith(SQLITE_MAGIC):
        return "sqlite"
    if start.startswith(PGDUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{backup_file} is not a backup made by `flask --app kiosk backup`.")


def database_in_use() -> bool:
    """Whether the app's database already has the kiosk's tables (a restore would replace it)."""
    with engine().connect() as connection:
        return "content_state" in inspect(connection).get_table_names()


def content_version() -> int | None:
    if not database_in_use():
        return None
    session = get_session()
    try:
        return session.scalar(select(ContentState.version))
    finally:
        session.rollback()


def check_backup(backup_file: Path) -> str:
    """Refuse a file this kiosk cannot restore, before anything is touched; return its kind."""
    backend = engine().url.get_backend_name()
    kind = kind_of(backup_file)
    if kind != backend:
        raise BackupError(
            f"{backup_file} is a backup of a {kind} database, and this kiosk uses {backend}. "
            f"To move between the two, export on one (`flask --app kiosk export FILE`) and "
            f"import on the other.")
    if kind == "sqlite":
        check_sqlite(backup_file)
    return kind


def restore(backup_file: Path):
    """Put the backup in place of the app's database; return its schema revision."""
    url = engine().url
    kind = check_backup(backup_file)
    version_before = content_version()
    get_session().close()
    engine().dispose()
    if kind == "sqlite":
        restore_sqlite(backup_file, Path(url.database))
    else:
        restore_postgresql(backup_file, url)
    session = get_session()
    ContentState.make_screens_reload(session, version_before)
    session.commit()
    return _revision(session)


def _revision(session) -> tuple[str | None, str | None]:
    here = session.connection().exec_driver_sql(
        "SELECT version_num FROM alembic_version").scalar()
    head = ScriptDirectory.from_config(alembic_config(None)).get_current_head()
    return here, head


# ---- Files.

def _private_partial(target: Path) -> Path:
    """A file beside `target` that only its owner can read, to write the backup into."""
    partial = target.with_name(f".{target.name}.partial")
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    return partial


def _size(path: Path) -> str:
    size = path.stat().st_size
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} kB"


# ---- Commands.

@click.command("backup")
@click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path),
              help="Where backups go (default: backups/ in the data directory).")
@click.option("--keep", type=click.IntRange(1), default=KEEP, show_default=True,
              help="How many backups to keep; older ones are deleted.")
@with_appcontext
def backup_command(folder: Path | None, keep: int):
    """Back up the database into a new timestamped file; keep the newest N."""
    try:
        target, pruned = backup(folder or default_folder(), keep)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backed up to {target} ({_size(target)}), and checked it.")
    if pruned:
        click.echo(f"Kept the newest {keep}; deleted {', '.join(p.name for p in pruned)}.")
    click.echo("Keep a copy off this machine too: it holds the staff accounts' password hashes "
               "and patient-sheet notes, so somewhere private.")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True,
              help="Replace a database that already has content, without asking.")
@with_appcontext
def restore_command(file: Path, yes: bool):
    """Restore the database from FILE, made by `flask backup`."""
    try:
        check_backup(file)
        if database_in_use():
            ask_before_replacing(
                yes, "This database already has content. Replace ALL of it with the backup's?",
                "This database already has content, and a restore replaces all of it. Stop the "
                "kiosk (sudo systemctl stop clinic-kiosk), then run this again with --yes. "
                "Nothing was changed.")
            kept, _ = backup(default_folder(), keep=sys.maxsize)
            click.echo(f"The database as it was is kept in {kept}.")
        here, head = restore(file)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    except SQLAlchemyError as error:
        raise click.ClickException(f"The database cannot be reached ({error_reason(error)}). Check "
                                   f"KIOSK_DATABASE_URL, then try again.") from None
    click.echo(f"Restored {file} ({_size(file)}); its database schema is {here}.")
    if here != head:
        click.echo(f"This version of the kiosk is at schema {head}: run "
                   f"`flask --app kiosk migrate` (the service does it when it starts).")


def init_app(app):
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
