"""Import: a checked file replaces every row of every travelling table, in one transaction.

It either all happens or nothing changes; every staff session ends with it, and screens reload.
"""

from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kiosk.accounts import end_all_sessions
from kiosk.db import error_reason
from kiosk.models import ContentState
from kiosk.transfer import rules
from kiosk.transfer.codecs import python_type_of
from kiosk.transfer.fileformat import Export, refused, travelling_tables
from kiosk.transfer.older import check_schema
from kiosk.transfer.reading import read_export


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
    problem = rules.first_problem(export.rows, export.created_at)
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
        ContentState.make_screens_reload(session, content_version)
        end_all_sessions(session)
        session.commit()
    except SQLAlchemyError as error:
        session.rollback()
        raise refused(f"The database refused the file's content ({error_reason(error)}).") from None
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
        if len(keys) != 1 or python_type_of(keys[0].type) is not int:
            continue
        highest = session.scalar(select(func.max(keys[0])))
        session.execute(
            text("SELECT setval(pg_get_serial_sequence(:table, :column), :value, :called)"),
            {"table": preparer.format_table(table), "column": keys[0].name,
             "value": highest or 1, "called": highest is not None},
        )
