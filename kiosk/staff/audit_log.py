"""The audit log in the console (admins only): newest first, a page at a time, by date."""

from datetime import date, datetime, time, timedelta

from flask import render_template, request
from flask_babel import gettext
from sqlalchemy import func, select

from kiosk.audit import ACTIONS
from kiosk.db import get_session
from kiosk.models import AuditEvent
from kiosk.schedule import clinic_timezone
from kiosk.staff import bp, require_may_edit

PER_PAGE = 50
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _day(name: str) -> tuple[date | None, str | None]:
    """A date from the query (YYYY-MM-DD, as a date input sends it), or why it is not one."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None, None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return None, gettext("Pick a date with the calendar, or type it as YYYY-MM-DD.")
    if not FIRST_YEAR <= day.year <= LAST_YEAR:  # far ends overflow a time zone's arithmetic
        return None, gettext("Pick a date between %(first)s and %(last)s.", first=FIRST_YEAR,
                             last=LAST_YEAR)
    return day, None


@bp.get("/audit")
def audit_log():
    require_may_edit("audit")
    zone = clinic_timezone()
    first, first_error = _day("from")
    last, last_error = _day("to")
    errors = {name: error for name, error in (("from", first_error), ("to", last_error))
              if error}
    if first and last and first > last:
        errors["to"] = gettext("The last day is before the first: swap them.")
    wanted = select(AuditEvent)
    if not errors:
        if first:
            wanted = wanted.where(AuditEvent.at >= datetime.combine(first, time(), zone))
        if last:
            wanted = wanted.where(
                AuditEvent.at < datetime.combine(last + timedelta(days=1), time(), zone))
    session = get_session()
    total = session.scalar(select(func.count()).select_from(wanted.subquery())) or 0
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    events = session.scalars(wanted.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                             .offset((page - 1) * PER_PAGE).limit(PER_PAGE)).all()
    filters = {key: request.args.get(key, "") for key in ("from", "to")}
    return render_template(
        "staff/audit.html", events=events, actions=ACTIONS, zone=zone, page=page, pages=pages,
        total=total, filters=filters, errors=errors,
    ), 422 if errors else 200
