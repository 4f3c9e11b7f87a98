"""Proof of life: what each screen says it is showing, and the version that tells it to refresh."""

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kiosk.models import ContentState, Screen, utcnow

# A screen that keeps showing the same thing still reports this often, so the console can
# tell a paused screen from a dead one; more often would only wear the disk.
REPORT_EVERY = timedelta(seconds=10)
LABEL_LENGTH = Screen.last_slide.type.length


def report(session: Session, screen: Screen, showing: str):
    """Keep what `screen` shows now and when it said so (for the console's screen list)."""
    showing = " ".join(showing.split())[:LABEL_LENGTH]
    now = utcnow()
    last = screen.last_report_at
    if showing == screen.last_slide and last is not None and now - last < REPORT_EVERY:
        return
    # A report is not an edit: leave updated_at (and so revision history) alone.
    session.execute(
        update(Screen)
        .where(Screen.id == screen.id)
        .values(last_report_at=now, last_slide=showing, updated_at=Screen.updated_at)
    )
    session.commit()


def version(session: Session, screen: Screen) -> str:
    """Changes whenever staff change content or this screen's settings."""
    content = session.scalar(select(ContentState.version)) or 0
    return f"{content}.{screen.version}"
