"""A file from an older version of the kiosk, brought up to date; and which schema a file and
a database are at.

An older file is loaded into a scratch SQLite database at its own schema revision and carried
forward by the kiosk's own migrations, as the kiosk's database would have been, so a backup
stays good after an update. A file newer than the database, or a database newer than this
kiosk, is refused with what to do.
"""

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import MetaData, create_engine, insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kiosk.db import Base, alembic_config, error_reason
from kiosk.transfer.codecs import decode_rows
from kiosk.transfer.exporting import check_database_matches_app, export_all
from kiosk.transfer.fileformat import (
    NOTHING_CHANGED,
    Export,
    parse,
    refused,
    staying_tables,
    unpack,
)


def is_older(revision: str) -> bool:
    """Whether `revision` is one of this kiosk's own migrations, older than its newest."""
    order = [script.revision for script in scripts().walk_revisions()]  # newest first
    return revision in order[1:]


def brought_up_to_date(tables: dict, revision: str) -> dict:
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
                return parse(unpack(export_all(session)))["tables"]
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
               if table.name != "alembic_version" and table.name not in staying_tables()]
    if set(tables) != {table.name for table in present}:
        raise refused(
            f"The file says it was made at database schema {revision}, but its tables are "
            f"not that schema's. It may have been edited or damaged: export it again."
        )
    for table in reversed(present):  # what the migrations themselves put in (content_state)
        connection.execute(table.delete())
    for table in present:
        rows = decode_rows(table, tables[table.name], Base.metadata.tables.get(table.name))
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
        check_database_matches_app(session.connection(), NOTHING_CHANGED)
        return
    order = [script.revision for script in scripts().walk_revisions()]  # newest first
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


def scripts() -> ScriptDirectory:
    try:
        return ScriptDirectory.from_config(alembic_config(None))
    except CommandError as error:  # the migrations ship with the package; just in case
        raise refused(f"This kiosk's migrations cannot be read ({error}).") from None
