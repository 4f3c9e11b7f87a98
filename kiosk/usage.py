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
    """Add one to today's count for the sheet at the clinic that gave it, in one statement
    that two requests can share."""
    session = get_session()
    insert = postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert
    today = datetime.now(UTC).date()
    statement = insert(SheetOpen).values(kind=kind, sheet_id=sheet_id, clinic_id=clinic_id,
                                         day=today, opens=1)
    statement = statement.on_conflict_do_update(
        index_elements=["kind", "sheet_id", "clinic_id", "day"],
        set_={"opens": SheetOpen.opens + 1},
    )
    try:
        session.execute(statement)
        session.commit()
    except (OperationalError, InternalError) as error:
        # The patient gets the sheet all the same when the database takes no writes.
        session.rollback()
        current_app.logger.warning("sheet open not counted: %s", error_reason(error))
