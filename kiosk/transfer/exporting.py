"""Export: every row of every travelling table, as of one moment, into one file."""

import gzip
import json
from contextlib import contextmanager
from datetime import UTC, date, datetime

from alembic.migration import MigrationContext
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from kiosk.db import Base
from kiosk.transfer.codecs import codec, encode
from kiosk.transfer.fileformat import (
    FORMAT,
    FORMAT_VERSION,
    TransferError,
    checksum,
    travelling_tables,
)


def export_all(session: Session) -> bytes:
    """Every row of every table, with its header and checksum, as gzip-compressed JSON."""
    with _consistent_connection(session) as connection:
        check_database_matches_app(connection, "Nothing was exported.")
        revision = MigrationContext.configure(connection).get_current_revision()
        tables = {}
        for table in travelling_tables():
            columns = list(table.columns)
            encoders = [codec(column).encode for column in columns]
            result = connection.execute(select(table).order_by(*table.primary_key.columns))
            tables[table.name] = {
                "columns": [column.name for column in columns],
                "rows": [
                    [encode(column, encoder, value)
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


def export_filename(day: date | None = None) -> str:
    return f"kiosk-export-{(day or date.today()).isoformat()}.json.gz"


def check_database_matches_app(connection, consequence: str):
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
