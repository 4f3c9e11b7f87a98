"""Which routine a screen shows right now: "show now" first, then the schedule, then its own."""

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

from flask import current_app

from kiosk.models import Routine, Screen

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def clinic_timezone() -> tzinfo:
    """KIOSK_TIMEZONE (e.g. Australia/Brisbane), or else the machine's own time zone."""
    name = current_app.config.get("TIMEZONE")
    return ZoneInfo(name) if name else datetime.now().astimezone().tzinfo


def routine_for(screen: Screen, now: datetime | None = None) -> Routine | None:
    """The routine `screen` should show at `now` (an aware datetime; default: this moment)."""
    now = now or datetime.now(UTC)
    if screen.override_routine and screen.override_until and screen.override_until > now:
        return screen.override_routine
    local = now.astimezone(clinic_timezone())
    clock = local.strftime("%H:%M")
    for window in screen.schedule:
        if local.weekday() in window.weekdays and window.starts <= clock < window.ends:
            return window.routine
    return screen.routine
