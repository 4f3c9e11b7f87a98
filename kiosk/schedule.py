"""Which routine a screen shows right now ("show now" first, then the schedule, then its
own), and what each screen last reported showing."""

import contextlib
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app
from sqlalchemy import select

from kiosk.db import get_session
from kiosk.models import Clinic, Routine, Screen

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def known_time_zone(name: str) -> bool:
    """Whether `name` is a time zone this machine knows (Australia/Brisbane, UTC, ...)."""
    try:
        ZoneInfo(name)
    except (ValueError, ZoneInfoNotFoundError):
        return False
    return True


def clinic_timezone(clinic: Clinic | None = None) -> tzinfo:
    """The clock `clinic` runs on (by default the install's first clinic): its own time zone,
    else KIOSK_TIMEZONE (e.g. Australia/Brisbane), else the machine's."""
    if clinic is None:
        clinic = Clinic.first(get_session())
    for name in (clinic.timezone if clinic else "", current_app.config.get("TIMEZONE")):
        if name:
            with contextlib.suppress(ValueError, ZoneInfoNotFoundError):
                return ZoneInfo(name)
    return datetime.now().astimezone().tzinfo


def routine_for(screen: Screen, now: datetime | None = None) -> Routine | None:
    """The routine `screen` should show at `now` (an aware datetime; default: this moment)."""
    now = now or datetime.now(UTC)
    if screen.override_routine and screen.override_until and screen.override_until > now:
        return screen.override_routine
    local = now.astimezone(clinic_timezone(screen.clinic))
    clock = local.strftime("%H:%M")
    for window in screen.schedule:
        if local.weekday() in window.weekdays and window.starts <= clock < window.ends:
            return window.routine
    return screen.routine


def screen_reports(shown=lambda query: query) -> list[dict]:
    """Each screen's last report: what it showed, how long ago, and whether it has gone quiet.

    Only the browser paired with a screen reports (kiosk/display/pairing.py): a screen with no
    report has not been paired yet, or not since staff paired it again. `shown` narrows the
    query to the screens asked about (the console: those of the clinics an account sees).
    """
    now = datetime.now(UTC)
    silent_after = current_app.config["SCREEN_SILENT_SECONDS"]
    reports = []
    for screen in get_session().scalars(shown(select(Screen).order_by(Screen.name))):
        age = (now - screen.last_report_at).total_seconds() if screen.last_report_at else None
        reports.append({
            "screen": screen,
            "showing": screen.last_slide if age is not None else "",
            "ago": ago(age) if age is not None else "not paired yet",
            "paired": age is not None,
            "silent": age is None or age > silent_after,
        })
    return reports


def ago(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds} s ago"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} days ago"
