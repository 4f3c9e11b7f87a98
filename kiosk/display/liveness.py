"""Proof of life: what each screen says it is showing, and the version that tells it to refresh."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import InternalError, OperationalError
from sqlalchemy.orm import Session

from kiosk.db import error_reason
from kiosk.models import ContentState, Screen, utcnow

# A screen that keeps showing the same thing still reports this often, so the console can
# tell a paused screen from a dead one; more often would only wear the disk.
REPORT_EVERY = timedelta(seconds=10)
LABEL_LENGTH = Screen.last_slide.type.length


def due(screen: Screen, showing: str) -> bool:
    """Whether `showing` is news: something else, or the same again after REPORT_EVERY."""
    last = screen.last_report_at
    return not (_label(showing) == screen.last_slide and last is not None
                and utcnow() - last < REPORT_EVERY)


def _label(showing: str) -> str:
    return " ".join(showing.split())[:LABEL_LENGTH]


def report(session: Session, screen: Screen, showing: str):
    """Keep what `screen` shows now and when it said so (for the console's screen list)."""
    if not due(screen, showing):
        return
    showing, now = _label(showing), utcnow()
    # A report is not an edit: leave updated_at (and so revision history) alone.
    try:
        session.execute(
            update(Screen)
            .where(Screen.id == screen.id)
            .values(last_report_at=now, last_slide=showing, updated_at=Screen.updated_at)
        )
        session.commit()
    except (OperationalError, InternalError) as error:
        # A database that takes no writes (a read-only disk, a busy writer) must not blank
        # the screen: it shows its slide unreported, and /healthz tells staff why.
        session.rollback()
        current_app.logger.warning("screen report not saved: %s", error_reason(error))


def version(session: Session, screen: Screen) -> str:
    """Changes whenever staff change content or this screen's settings."""
    content = session.scalar(select(ContentState.version)) or 0
    return f"{content}.{screen.version}"
