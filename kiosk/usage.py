"""Sheet opens, counted per sheet per day: no address, device or person is ever stored."""

from datetime import UTC, datetime

from flask import current_app, request
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import InternalError, OperationalError

from kiosk.db import error_reason, get_session
from kiosk.models import SheetOpen

PREFETCH_HEADERS = ("Purpose", "Sec-Purpose", "X-Purpose", "X-Moz")


def is_a_person_opening() -> bool:
    """False for HEAD requests, prefetches (browsers, link previews, our service worker) and
    the console's previews."""
    if request.method != "GET" or "preview" in request.args:
        return False
    return not any(
        "prefetch" in request.headers.get(header, "").lower() for header in PREFETCH_HEADERS
    )


def count_open(kind: str, sheet_id: int, clinic_id: int):
    """Add one to today's count of opens for the sheet at the clinic that gave it."""
    _add_one("opens", kind, sheet_id, clinic_id)


def count_completed(kind: str, sheet_id: int, clinic_id: int):
    """Add one to today's count of sessions completed with the sheet: the phone says so once a
    day at most (static/js/progress.js), and says nothing else."""
    _add_one("completed", kind, sheet_id, clinic_id)


def _add_one(column: str, kind: str, sheet_id: int, clinic_id: int):
    """One more in today's row for the sheet, in one statement that two requests can share."""
    session = get_session()
    insert = postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert
    today = datetime.now(UTC).date()
    counts = {"opens": 0, "completed": 0} | {column: 1}
    statement = insert(SheetOpen).values(kind=kind, sheet_id=sheet_id, clinic_id=clinic_id,
                                         day=today, **counts)
    statement = statement.on_conflict_do_update(
        index_elements=["kind", "sheet_id", "clinic_id", "day"],
        set_={column: getattr(SheetOpen, column) + 1},
    )
    try:
        session.execute(statement)
        session.commit()
    except (OperationalError, InternalError) as error:
        # The patient keeps their sheet all the same when the database takes no writes.
        session.rollback()
        current_app.logger.warning("sheet %s not counted: %s", column, error_reason(error))

