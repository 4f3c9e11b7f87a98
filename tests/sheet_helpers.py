"""Making patient sheets in tests, through the same function the console uses."""

from sqlalchemy import select

from kiosk.models import Routine
from kiosk.patients import Choice, make_patient_sheet


def make_sheet(app, note="", expires_in_days=None, holds=None):
    """A patient sheet of the default routine's stretches; returns its token."""
    from kiosk.db import get_session

    holds = holds or {}
    with app.app_context():
        session = get_session()
        routine = session.scalar(select(Routine).filter_by(slug="back-pain-stretches"))
        choices = [Choice(i.stretch, holds.get(i.stretch.slug)) for i in routine.items]
        return make_patient_sheet(session, choices, note, expires_in_days).token
