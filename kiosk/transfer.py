"""Export everything to one file and import it again: backups, and moving to a new machine.

The file is gzip-compressed JSON (plain JSON is read too, for someone who unpacked it):

    {"format": "clinic-kiosk-export", "format_version": 1, "schema_revision": "0003",
     "created_at": "2026-11-24T09:30:00+00:00", "checksum": "sha256:<hex>",
     "tables": {"stretch": {"columns": ["id", "slug", ...], "rows": [[1, "neck-stretch", ...]]}}}

Every table on `Base.metadata` travels, whoever added it, unless it is marked
`info={"travels": False}` (the audit log, which stays with the install): content, settings,
screens and their schedules, patient sheets with their tokens, open counts, staff accounts
(password hashes), revisions, uploaded media (bytes as base64). Primary keys are kept, so
URLs, printed QR codes and references stay the same. The checksum covers `tables` (canonical
JSON), so a cut-off or edited file is refused; and as anyone can work a checksum out again,
every row is also held to the console's own rules (kiosk/import_rules.py): one row the console
would not have saved, and the whole file is refused, saying which and why. An import checks
the whole file first, then replaces every row of every table in one transaction: it either all
happens or nothing changes; every staff session ends with it. A file made by an older version
of the kiosk is first brought up to date by the kiosk's own migrations, in a scratch database,
so a backup stays good after an update.
"""

import base64
import gzip
import hashlib
import json
import os
import re
import sys
import tempfile
import types
import typing
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import click
from alembic import command
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from flask.cli import with_appcontext
from sqlalchemy import (
    JSON,
    BigInteger,
    MetaData,
    TypeDecorator,
    create_engine,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kiosk import (
    import_rules,
    models,  # noqa: F401  (puts every table on Base.metadata)
)
from kiosk.accounts import end_all_sessions
from kiosk.db import Base, alembic_config, error_reason, get_session, needs_current_schema
from kiosk.models import ContentState

FORMAT = "clinic-kiosk-export"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 200 * 1024 * 1024
# Media hardly compress, so the unpacked file is not much bigger; a "zip bomb" would be.
MAX_UNPACKED_BYTES = 4 * MAX_FILE_BYTES
NOTHING_CHANGED = "Nothing was changed."
GZIP_MAGIC = b"\x1f\x8b"
OUR_HEADER = re.compile(r'\s*\{\s*"format"\s*:\s*"' + FORMAT + '"')


class TransferError(ValueError):
    """A file that cannot be exported or imported; the message says why in plain words."""


def refused(reason: str) -> TransferError:
    return TransferError(f"{reason} {NOTHING_CHANGED}")


@dataclass
class Export:
    """A checked export file: its header, and each table's rows ready to insert."""

    schema_revision: str
    created_at: datetime
    rows: dict[str, list[dict]]

    @property
    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.rows.items()}


# ---- Values by column type: what JSON cannot hold as it is travels as text.

@dataclass
class Codec:
    encode: object
    decode: object


def _base_type(column):
    kind = column.type
    return kind.impl if isinstance(kind, TypeDecorator) else kind


def _python_type(kind):
    try:
        return kind.python_type
    except NotImplementedError:
        return None


def _checked(expected):
    def decode(value):
        # bool is an int to Python, never to a database column.
        if not isinstance(value, expected) or (expected is not bool and isinstance(value, bool)):
            raise ValueError(f"expected {expected.__name__}, found {type(value).__name__}")
        return value
    return decode


def _decode_datetime(aware: bool):
    def decode(value):
        moment = datetime.fromisoformat(_checked(str)(value))
        if aware and moment.tzinfo is None:
            raise ValueError("a moment in time without its time zone")
        return moment
    return decode


def _decode_int(kind):
    """A whole number the column can hold (SQL's INTEGER is 32 bits, BIGINT 64)."""
    largest = 2**63 - 1 if isinstance(kind, BigInteger) else 2**31 - 1

    def decode(value):
        if not -largest - 1 <= _checked(int)(value) <= largest:
            raise ValueError(f"{value} is out of range")
        return value
    return decode


def _decode_float(value):
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected a number, found {type(value).__name__}")
    return float(value)


def _json_shape(column):
    """What a JSON column holds, from its model's annotation: list[str], dict | None, ..."""
    for mapper in Base.registry.mappers:
        if mapper.local_table is column.table:
            return typing.get_args(typing.get_type_hints(mapper.class_)[column.key])[0]
    return typing.Any


def _fits(value, shape) -> bool:
    """Whether a JSON value has the shape of a type annotation (list[str], dict | None, ...)."""
    origin, args = typing.get_origin(shape), typing.get_args(shape)
    if origin in (types.UnionType, typing.Union):
        return any(_fits(value, arg) for arg in args)
    if origin is list:
        return isinstance(value, list) and all(_fits(item, args[0]) for item in value)
    if shape is type(None):
        return value is None
    if isinstance(origin or shape, type):  # and a bool is no int to the app
        return isinstance(value, origin or shape) and (shape is bool or type(value) is not bool)
    return True  # typing.Any


def _decode_json(column):
    """JSON as the app reads it back: a stretch's steps are a list of text, not a number."""
    shape = _json_shape(column)

    def decode(value):
        if not _fits(value, shape):
            raise ValueError(f"expected {shape.__name__ if isinstance(shape, type) else shape}")
        return value
    return decode


def codec(column) -> Codec:
    """How one column's values are written to the file and read back."""
    kind = _base_type(column)
    if isinstance(kind, JSON):
        return Codec(lambda value: value, _decode_json(column))
    python_type = _python_type(kind)
    if python_type is bytes:
        return Codec(lambda value: base64.b64encode(value).decode("ascii"),
                     lambda value: base64.b64decode(_checked(str)(value), validate=True))
    if python_type is datetime:
        return Codec(lambda value: value.isoformat(),
                     _decode_datetime(getattr(kind, "timezone", False)))
    if python_type in (date, time):
        return Codec(lambda value: value.isoformat(),
                     lambda value: python_type.fromisoformat(_checked(str)(value)))
    if python_type is timedelta:
        return Codec(lambda value: value.total_seconds(),
                     lambda value: timedelta(seconds=_decode_float(value)))
    if python_type in (Decimal, UUID):
        return Codec(str, lambda value: python_type(_checked(str)(value)))
    if python_type is float:
        return Codec(lambda value: value, _decode_float)
    if python_type is int:
        return Codec(lambda value: value, _decode_int(kind))
    if python_type in (bool, str):
        return Codec(lambda value: value, _checked(python_type))
    # An unusual type (an Enum of a Python class, say): its value must already be plain JSON.
    return Codec(lambda value: value, lambda value: value)


def _encode(column, encoder, value):
    if value is None:
        return None
    try:
        encoded = encoder(value)
        json.dumps(encoded, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise TransferError(
            f"Column {column.table.name}.{column.name} holds a value the export cannot "
            f"write ({error}). Nothing was exported."
        ) from None
    return encoded


def travelling_tables():
    """The tables an export carries and an import replaces: all but those that stay with the
    install (the audit log: importing a file must not wipe the record of who did what)."""
    return [table for table in Base.metadata.sorted_tables if table.info.get("travels", True)]


def _staying_tables() -> set[str]:
    return {table.name for table in Base.metadata.sorted_tables
            if not table.info.get("travels", True)}


# ---- Export.

def export_all(session: Session) -> bytes:
    """Every row of every table, with its header and checksum, as gzip-compressed JSON."""
    with _consistent_connection(session) as connection:
        _check_database_matches_app(connection, "Nothing was exported.")
        revision = MigrationContext.configure(connection).get_current_revision()
        tables = {}
        for table in travelling_tables():
            columns = list(table.columns)
            encoders = [codec(column).encode for column in columns]
            result = connection.execute(select(table).order_by(*table.primary_key.columns))
            tables[table.name] = {
                "columns": [column.name for column in columns],
                "rows": [
                    [_encode(column, encoder, value)
                     for column, encoder, value in zip(columns, encoders, row, strict=True)]
                    for row in result
                ],
            }
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_revision": revision,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "checksum": checksum(tables),
        "tables": tables,
    }
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return gzip.compress(body.encode("utf-8"), compresslevel=6)


@contextmanager
def _consistent_connection(session: Session):
    """A connection that sees the whole database as of one moment, so references agree."""
    with session.get_bind().connect() as connection:
        if connection.dialect.name == "sqlite":
            # pysqlite opens transactions only for writes; without one, every SELECT would
            # see a different moment (and a stretch added meanwhile could miss its routine).
            connection.exec_driver_sql("BEGIN")
        else:
            connection = connection.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        try:
            yield connection
        finally:
            connection.rollback()


def checksum(tables: dict) -> str:
    """SHA-256 of the table data in one canonical spelling, so any change to it shows."""
    canonical = json.dumps(tables, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                           allow_nan=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def export_filename(day: date | None = None) -> str:
    return f"kiosk-export-{(day or date.today()).isoformat()}.json.gz"


def _check_database_matches_app(connection, consequence: str):
    """Refuse to work on a database whose tables are not the ones this app knows."""
    present = set(inspect(connection).get_table_names()) - {"alembic_version"}
    known = set(Base.metadata.tables)
    if present != known:
        missing, unknown = sorted(known - present), sorted(present - known)
        detail = "; ".join(
            part for part in (
                f"missing tables: {', '.join(missing)}" if missing else "",
                f"tables this app does not know: {', '.join(unknown)}" if unknown else "",
            ) if part
        )
        raise TransferError(
            f"This database does not match this version of the kiosk ({detail}). Run "
            f"`flask --app kiosk migrate`, then try again. {consequence}"
        )


# ---- Reading and checking a file, before anything is touched.

def read_export(data: bytes) -> Export:
    """Check the whole file (format, version, checksum, tables, values) and decode its rows."""
    if len(data) > MAX_FILE_BYTES:
        raise refused(
            f"The file is {len(data) / 1e6:.0f} MB; the largest file this kiosk imports is "
            f"{MAX_FILE_BYTES / 1e6:.0f} MB."
        )
    document = _parse(_unpack(data))
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise refused("This file is not a kiosk export: it is JSON, but not a file this kiosk "
                      "made. Choose a file made by Download everything or `flask export`.")
    version = document.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise refused("This file is not a kiosk export: its format version is missing.")
    if version > FORMAT_VERSION:
        raise refused(
            f"This file was made by a newer version of the kiosk (export format {version}; "
            f"this kiosk reads format {FORMAT_VERSION}). Update this kiosk's software, run "
            f"`flask --app kiosk migrate`, and import again."
        )
    tables = document.get("tables")
    if not isinstance(tables, dict) or not isinstance(document.get("checksum"), str):
        raise refused("The file is incomplete or damaged: its tables or checksum are missing.")
    if checksum(tables) != document["checksum"]:
        raise refused(
            "The file has been changed or damaged since it was exported (its checksum does "
            "not match its content). Export it again from the original kiosk."
        )
    revision = document.get("schema_revision")
    if not isinstance(revision, str) or not revision:
        raise refused("The file does not say which database schema it was made at.")
    try:
        created_at = datetime.fromisoformat(document.get("created_at"))
    except (TypeError, ValueError):
        raise refused("The file does not say when it was made.") from None
    if _is_older(revision):
        tables = _brought_up_to_date(tables, revision)
        revision = _scripts().get_current_head()
    return Export(revision, created_at, _decode_tables(tables))


def _unpack(data: bytes) -> bytes:
    if not data.startswith(GZIP_MAGIC):
        return data
    unpacker = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    unpacked, rest = bytearray(), data
    try:
        while rest and not unpacker.eof:
            unpacked += unpacker.decompress(rest, MAX_UNPACKED_BYTES + 1 - len(unpacked))
            if len(unpacked) > MAX_UNPACKED_BYTES:
                raise refused(
                    f"The file unpacks to more than {MAX_UNPACKED_BYTES / 1e6:.0f} MB, more than "
                    f"any kiosk export this kiosk imports."
                )
            rest = unpacker.unconsumed_tail
    except zlib.error:
        raise refused("The file is damaged: it cannot be unpacked. Export it again.") from None
    if not unpacker.eof:
        raise refused(
            "The file is incomplete (it may have been cut off while copying). Copy it again "
            "from the original, or export again."
        )
    return bytes(unpacked)


def _parse(unpacked: bytes):
    try:
        body = unpacked.decode("utf-8")
    except UnicodeDecodeError:
        raise refused("This file is not a kiosk export.") from None
    try:
        return json.loads(body)
    except json.JSONDecodeError as error:
        if not OUR_HEADER.match(body):
            raise refused("This file is not a kiosk export.") from None
        if error.pos >= len(body.rstrip()) or error.msg.startswith("Unterminated string"):
            raise refused(
                "The file is incomplete (it may have been cut off while copying). Copy it "
                "again from the original, or export again."
            ) from None
        raise refused("The file is damaged: it is a kiosk export, but no longer valid "
                      "JSON. Export it again.") from None
    except (ValueError, RecursionError):  # a number thousands of digits long, or deep nesting
        raise refused("This file is not a kiosk export.") from None


def _decode_tables(tables: dict) -> dict[str, list[dict]]:
    known = {table.name: table for table in travelling_tables()}
    if set(tables) != set(known):
        missing, unknown = sorted(set(known) - set(tables)), sorted(set(tables) - set(known))
        detail = "; ".join(part for part in (
            f"it lacks {', '.join(missing)}" if missing else "",
            f"it has tables this kiosk does not know: {', '.join(unknown)}" if unknown else "",
        ) if part)
        raise refused(
            f"The file's tables do not match this kiosk ({detail}). It was probably made by "
            f"another version of the kiosk: import it into the version that made it."
        )
    decoded = {}
    for table in travelling_tables():
        decoded[table.name] = _decode_rows(table, tables[table.name])
    return decoded


def _decode_rows(table, content, typed=None) -> list[dict]:
    """`table`'s rows from the file, decoded by column type: `typed`'s columns where it has
    them (the app's own types, for a table read back from an older schema), else `table`'s."""
    if not isinstance(content, dict) or not isinstance(content.get("rows"), list):
        raise refused(f"The file's table {table.name} is damaged.")
    names = content.get("columns")
    by_name = {column.name: column for column in table.columns}
    if not isinstance(names, list) or sorted(map(str, names)) != sorted(by_name):
        raise refused(
            f"The file's table {table.name} has other columns than this kiosk's "
            f"({', '.join(map(str, names or []))}). It was made by another version of the "
            f"kiosk: import it into the version that made it."
        )
    columns = [by_name[name] for name in names]
    own = typed.columns if typed is not None else {}
    decoders = [codec(own.get(column.name, column)).decode for column in columns]
    rows = []
    for number, row in enumerate(content["rows"], start=1):
        if not isinstance(row, list) or len(row) != len(columns):
            raise refused(f"The file's table {table.name} is damaged at row {number}.")
        values = {}
        for column, decoder, value in zip(columns, decoders, row, strict=True):
            if value is None:
                if not column.nullable:
                    raise refused(f"The file's table {table.name}, row {number}, has no "
                                  f"{column.name}, which every row needs.")
                values[column.key] = None
                continue
            try:
                values[column.key] = decoder(value)
            except (TypeError, ValueError) as error:
                raise refused(f"The file's table {table.name}, row {number}, column "
                              f"{column.name} holds a value this kiosk cannot read "
                              f"({error}).") from None
        rows.append(values)
    return rows


# ---- A file from an older version of the kiosk, brought up to date.

def _is_older(revision: str) -> bool:
    """Whether `revision` is one of this kiosk's own migrations, older than its newest."""
    order = [script.revision for script in _scripts().walk_revisions()]  # newest first
    return revision in order[1:]


def _brought_up_to_date(tables: dict, revision: str) -> dict:
    """An older file's tables as this kiosk keeps them: loaded into a scratch SQLite database
    at the file's schema revision, carried forward by the kiosk's own migrations (as its
    database would have been), and read back out. The file's own database is not touched."""
    with tempfile.TemporaryDirectory(prefix="kiosk-import-") as folder:
        # Foreign keys unenforced here, as SQLite has them by default: a migration that
        # rebuilds a table others point at would fail with rows in. The real import, into the
        # kiosk's own database, checks every reference.
        scratch = create_engine(f"sqlite:///{Path(folder) / 'older-export.sqlite3'}")
        try:
            with scratch.begin() as connection:
                command.upgrade(alembic_config(connection), revision)
                _load_older(connection, tables, revision)
                command.upgrade(alembic_config(connection), "head")
            with Session(scratch) as session:
                return _parse(_unpack(export_all(session)))["tables"]
        except SQLAlchemyError as error:
            raise refused(
                f"The file was made by an older version of the kiosk (database schema "
                f"{revision}) and could not be brought up to date: {error_reason(error)}."
            ) from None
        finally:
            scratch.dispose()


def _load_older(connection, tables: dict, revision: str):
    older = MetaData()
    older.reflect(connection)
    present = [table for table in older.sorted_tables
               if table.name != "alembic_version" and table.name not in _staying_tables()]
    if set(tables) != {table.name for table in present}:
        raise refused(
            f"The file says it was made at database schema {revision}, but its tables are "
            f"not that schema's. It may have been edited or damaged: export it again."
        )
    for table in reversed(present):  # what the migrations themselves put in (content_state)
        connection.execute(table.delete())
    for table in present:
        rows = _decode_rows(table, tables[table.name], Base.metadata.tables.get(table.name))
        for row in rows:  # as UtcDateTime keeps them in SQLite: UTC, without the zone
            for key, value in row.items():
                if isinstance(value, datetime) and value.tzinfo is not None:
                    row[key] = value.astimezone(UTC).replace(tzinfo=None)
        if rows:
            connection.execute(insert(table), rows)


def check_schema(session: Session, export: Export):
    """Refuse a file made at another schema revision than this database's, saying what to do.
    (A file from an older kiosk has been brought up to date by read_export by now.)"""
    here = MigrationContext.configure(session.connection()).get_current_revision()
    if here is None:
        raise refused("This database has no tables yet: run `flask --app kiosk migrate` "
                      "first, then import again.")
    there = export.schema_revision
    if there == here:
        _check_database_matches_app(session.connection(), NOTHING_CHANGED)
        return
    order = [script.revision for script in _scripts().walk_revisions()]  # newest first
    if here not in order:
        raise refused(
            f"This database is at schema {here}, which this version of the kiosk does not "
            f"know: it was upgraded by a newer version. Update this kiosk's software first."
        )
    if there not in order:
        raise refused(
            f"The file was made by a newer version of the kiosk (database schema {there}, "
            f"unknown here; this kiosk is at {here}). Update this kiosk's software, run "
            f"`flask --app kiosk migrate`, and import again."
        )
    # An older file was brought up to date as it was read: this one is newer than the database.
    raise refused(
        f"The file was made at database schema {there}, newer than this database "
        f"({here}). Run `flask --app kiosk migrate` here, then import again."
    )


def _scripts() -> ScriptDirectory:
    try:
        return ScriptDirectory.from_config(alembic_config(None))
    except CommandError as error:  # the migrations ship with the package; just in case
        raise refused(f"This kiosk's migrations cannot be read ({error}).") from None


# ---- Import.

def import_all(session: Session, data: bytes) -> dict[str, int]:
    """Replace everything in the database with the file's content; return rows per table.

    Raises TransferError, with nothing changed, for any file that is not a complete export
    made at this database's schema revision. Objects loaded from `session` before the call
    are detached afterwards: they describe what was there before.
    """
    export = read_export(data)
    try:
        check_schema(session, export)
    finally:
        session.rollback()
    check_content(export)
    return replace_everything(session, export)


def check_content(export: Export):
    """Refuse a file holding anything the console itself would not have saved, saying what."""
    problem = import_rules.first_problem(export.rows, export.created_at)
    if problem:
        raise refused(problem)


def replace_everything(session: Session, export: Export) -> dict[str, int]:
    """In one transaction: empty every table, then insert the export's rows as they were.

    Every session of every account ends: the file's accounts are not the ones signed in."""
    tables = travelling_tables()
    postgresql = session.get_bind().dialect.name == "postgresql"
    try:
        if postgresql:
            # Nobody else writes meanwhile (a sheet opened mid-import would count against a
            # sheet the file may not have); pages keep reading the old content until commit.
            preparer = session.get_bind().dialect.identifier_preparer
            names = ", ".join(preparer.format_table(table) for table in tables)
            session.execute(text(f"LOCK TABLE {names} IN EXCLUSIVE MODE"))
        content_version = session.scalar(select(ContentState.version))
        for table in reversed(tables):
            session.execute(table.delete())
        for table in tables:
            if export.rows[table.name]:
                session.execute(table.insert(), export.rows[table.name])
        if postgresql:
            _reset_sequences(session, tables)
        _make_screens_reload(session, content_version)
        end_all_sessions(session)
        session.commit()
    except SQLAlchemyError as error:
        session.rollback()
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise refused(f"The database refused the file's content ({reason}).") from None
    except BaseException:
        session.rollback()
        raise
    session.expunge_all()
    return export.counts


def _reset_sequences(session: Session, tables):
    """Make PostgreSQL hand out ids after the imported ones, not ids the file already used."""
    preparer = session.get_bind().dialect.identifier_preparer
    for table in tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or _python_type(keys[0].type) is not int:
            continue
        highest = session.scalar(select(func.max(keys[0])))
        session.execute(
            text("SELECT setval(pg_get_serial_sequence(:table, :column), :value, :called)"),
            {"table": preparer.format_table(table), "column": keys[0].name,
             "value": highest or 1, "called": highest is not None},
        )


def _make_screens_reload(session: Session, version_before: int | None):
    """Screens reload when the content version changes: make sure an import changes it.

    The file's own version is kept when it is already newer, so the imported kiosk renders
    exactly what the exported one did.
    """
    imported = session.scalar(select(ContentState.version))
    if version_before is not None and imported is not None and imported <= version_before:
        session.execute(update(ContentState).values(version=version_before + 1))


# ---- What a file holds, for people.

def describe(counts: dict[str, int]) -> list[str]:
    """One line per kind of thing, e.g. "stretch: 7"."""
    return [f"{name.replace('_', ' ')}: {count}" for name, count in sorted(counts.items())]


def summary(counts: dict[str, int]) -> str:
    shown = ("stretch", "routine", "screen", "patient_sheet", "staff_account")
    parts = [f"{counts[name]} {_plural(name, counts[name])}" for name in shown if name in counts]
    rest = sum(count for name, count in counts.items() if name not in shown)
    return ", ".join(parts) + f" and {rest} other records"


def _plural(name: str, count: int) -> str:
    words = name.replace("_", " ")
    if count == 1:
        return words
    return words + ("es" if words.endswith(("ch", "sh", "s", "x")) else "s")


# ---- Commands.

@click.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
@needs_current_schema
def export_command(file: Path):
    """Write all content, settings, media and accounts to FILE (gzip-compressed JSON)."""
    try:
        data = export_all(get_session())
    except TransferError as error:
        raise click.ClickException(str(error)) from None
    # Written aside and moved into place: a backup is never left half written.
    partial = file.with_name(f".{file.name}.partial")
    with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
        out.write(data)
    partial.replace(file)
    export = read_export(data)
    click.echo(f"Wrote {file} ({len(data) / 1024:.0f} kB, database schema "
               f"{export.schema_revision}). It holds:")
    for line in describe(export.counts):
        click.echo(f"  {line}")
    click.echo("Keep it private: it holds the staff accounts' password hashes.")


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace everything without asking first.")
@with_appcontext
@needs_current_schema
def import_command(file: Path, yes: bool):
    """Replace ALL content, settings, media and accounts with those in FILE."""
    session = get_session()
    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            raise refused(f"The file is {file.stat().st_size / 1e6:.0f} MB; the largest file "
                          f"this kiosk imports is {MAX_FILE_BYTES / 1e6:.0f} MB.")
        export = read_export(file.read_bytes())
        try:
            check_schema(session, export)
        finally:
            session.rollback()
        check_content(export)
        click.echo(f"{file} was made {export.created_at:%Y-%m-%d %H:%M} UTC and holds:")
        for line in describe(export.counts):
            click.echo(f"  {line}")
        if not yes:
            if not sys.stdin.isatty():
                raise click.ClickException(
                    "This replaces everything in the database. Run it again with --yes to go "
                    f"ahead. {NOTHING_CHANGED}")
            click.confirm("Replace EVERYTHING in this database (content, screens, sheets, "
                          "staff accounts) with the file's?", abort=True)
        counts = replace_everything(session, export)
    except TransferError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Imported {summary(counts)}. Staff accounts are now those of the file.")


def init_app(app):
    app.cli.add_command(export_command)
    app.cli.add_command(import_command)
