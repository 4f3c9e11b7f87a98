"""'Remind me every day': a calendar file (RFC 5545) for a sheet, which every phone's calendar
imports: a daily event at the time the patient chose, for the weeks chosen, with an alarm and
the sheet's address. No app, no account, and nothing kept on the server.

The time is the patient's, so it travels in the body of a POST and comes straight back in the
file: never in an address, where an access log, a proxy's log or the browser's history would
keep it (gunicorn's log has no bodies: kiosk/web/accesslog.py), and never as a link a phone's
calendar could subscribe to and fetch again every day, as iOS offers for an .ics link. Nothing
is written to the database.
"""

import re
import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from urllib.parse import urlsplit

from flask import abort, make_response, request, url_for
from flask_babel import gettext
from icalendar import Alarm, Calendar, Event

from kiosk.languages import N_
from kiosk.plurals import plural
from kiosk.sheets import (
    bp,
    get_patient_sheet_or_404,
    get_routine_or_404,
    patient_context,
    routine_context,
)
from kiosk.web.security import csrf, from_this_site

WEEKS = range(1, 13)
DEFAULT_WEEKS = 6
DEFAULT_TIME = "18:00"
# How long the event fills in the calendar: about a routine's length.
MINUTES = 15
PRODID = "-//Clinic Kiosk//Stretch reminders//EN"

# What <input type="time"> sends (seconds when its step asks for them), in ASCII digits only
# ("１８:００" is not a time here, whatever int() thinks of it).
TIME = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])(:[0-5][0-9](\.[0-9]{1,3})?)?")
NUMBER = re.compile(r"[0-9]{1,2}")
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

BAD_TIME = N_("That time could not be read. Choose a time of day, such as 18:00, and download "
              "the calendar file again.")
BAD_WEEKS = N_("Choose from 1 to 12 weeks, and download the calendar file again.")
FROM_ELSEWHERE = N_("This form was sent from another website, so no calendar file was made. "
                    "Open your stretch sheet and download the calendar file there.")


class ReminderForm(NamedTuple):
    """What the sheet's form needs: where it sends, and its choices."""

    action: str
    time: str
    weeks: list[tuple[int, str]]  # (number, "6 weeks")
    chosen_weeks: int


# The sheet pages that offer reminders, and where each one's form sends.
REMINDER_OF = {
    "sheets.routine_sheet": "sheets.routine_reminder",
    "sheets.patient_sheet": "sheets.patient_reminder",
}


@bp.app_template_global()
def reminder_form() -> ReminderForm | None:
    """The form for the sheet this request shows (its own address, as the page was reached,
    so the form never posts to another origin); None on any other page."""
    endpoint = REMINDER_OF.get(request.endpoint)
    if endpoint is None:
        return None
    weeks = [(number, plural("%(num)s week", "%(num)s weeks", number)) for number in WEEKS]
    return ReminderForm(url_for(endpoint, **request.view_args), DEFAULT_TIME, weeks,
                        DEFAULT_WEEKS)


@bp.post("/s/<slug>/reminder.ics", defaults={"clinic": None})
@bp.post("/c/<clinic>/s/<slug>/reminder.ics")
@csrf.exempt
def routine_reminder(slug, clinic):
    refuse_other_sites()
    return calendar_response(routine_context(*get_routine_or_404(slug, clinic)), slug)


@bp.post("/p/<token>/reminder.ics")
@csrf.exempt
def patient_reminder(token):
    refuse_other_sites()
    # The sheets blueprint marks the answer no-store and no-referrer: it names the token.
    return calendar_response(patient_context(get_patient_sheet_or_404(token)), "my-stretches")


def refuse_other_sites():
    """This route is exempt from CSRFProtect, whose token lives in a session a patient never
    has. The download changes nothing, and the file goes to the browser that asked, so another
    site gains nothing by posting here; still, only this app's own pages may. An older browser
    that cannot say where the form came from is let through: the patient's own sheet is the
    likeliest sender (its no-referrer policy makes Origin "null")."""
    if not from_this_site(when_unknown=True):
        abort(400, description=FROM_ELSEWHERE)


def calendar_response(context: dict, name: str):
    """The calendar file for the sheet `context` describes, from the form's time and weeks."""
    at = parse_time(request.form.get("time", ""))
    weeks = parse_weeks(request.form.get("weeks", ""))
    first = first_day(request.form.get("start", ""))
    address = context["sheet_url"]
    ical = reminder_calendar(context["title"], address, at, weeks, first)
    response = make_response(ical)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}-reminder.ics"'
    # The patient's own time: no cache along the way keeps a copy.
    response.headers["Cache-Control"] = "private, no-store"
    return response


def parse_time(value: str) -> time:
    found = TIME.fullmatch(value.strip())
    if found is None:
        abort(400, description=BAD_TIME)
    return time(int(found[1]), int(found[2]))


def parse_weeks(value: str) -> int:
    value = value.strip()
    if NUMBER.fullmatch(value) is None or int(value) not in WEEKS:
        abort(400, description=BAD_WEEKS)
    return int(value)


def first_day(value: str) -> date:
    """The day the reminders start. The phone's script sends its own date (tomorrow once
    today's time has passed), as the server knows neither the phone's clock nor its time zone.
    Without it, or with a date no time zone has today or tomorrow (a phone's clock far out),
    the server's own date."""
    today = date.today()
    if DAY.fullmatch(value.strip()):
        try:
            sent = date.fromisoformat(value.strip())
        except ValueError:
            return today
        utc_today = datetime.now(UTC).date()
        # From UTC-12 to UTC+14, and a day on for a time already past.
        if utc_today - timedelta(days=1) <= sent <= utc_today + timedelta(days=2):
            return sent
    return today


def reminder_calendar(title: str, address: str, at: time, weeks: int, first: date) -> bytes:
    """An RFC 5545 calendar of one event, every day at `at` for `weeks` weeks from `first`,
    with an alarm as it starts. Its times are floating (no time zone, no Z): the phone's
    calendar puts them at that time of day wherever the phone is."""
    starts = datetime.combine(first, at)
    event = Event()
    event.add("uid", f"{uuid.uuid4()}@{urlsplit(address).hostname or 'clinic-kiosk'}")
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", starts)
    event.add("dtend", starts + timedelta(minutes=MINUTES))
    event.add("rrule", {"freq": "daily", "count": 7 * weeks})
    event.add("summary", title)
    event.add("description", gettext("Open your stretch sheet: %(address)s", address=address))
    event.add("url", address)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", title)
    alarm.add("trigger", timedelta(0))
    event.add_component(alarm)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    return calendar.to_ical()
