"""Which routine a screen shows right now ("show now" first, then the schedule, then its
own), and what each screen last reported showing."""

import contextlib
from dataclasses import dataclass
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
    shows = ScreenClock.of(screen).shows(now or datetime.now(UTC))
    if shows == SHOW_NOW:
        return screen.override_routine
    return screen.schedule[shows].routine if shows is not None else screen.routine


SHOW_NOW = "show now"


@dataclass(frozen=True)
class ScreenClock:
    """What of a screen changes what it shows with time alone, and nothing else: its "show
    now" (until when), its schedule's windows and its clinic's clock. Kept beside a kept slide
    (kiosk/display/fragments.py), so the slide is used again only at the same `moment`."""

    zone: tzinfo
    # Each window's weekdays (0 is Monday), starts and ends ("HH:MM"), in the schedule's order.
    windows: tuple[tuple[frozenset[int], str, str], ...]
    show_now_until: datetime | None

    @classmethod
    def of(cls, screen: Screen) -> "ScreenClock":
        # By id, not by the relationship: a "show now" whose routine has been deleted (SET
        # NULL) shows the schedule, without loading the routine to find that out.
        show_now = screen.override_until if screen.override_routine_id is not None else None
        return cls(clinic_timezone(screen.clinic),
                   tuple((frozenset(w.weekdays), w.starts, w.ends) for w in screen.schedule),
                   show_now)

    def shows(self, now: datetime) -> str | int | None:
        """At `now`: SHOW_NOW, else the position of the schedule's window in force, else None
        (the screen's own routine)."""
        if self.show_now_until is not None and self.show_now_until > now:
            return SHOW_NOW
        local = now.astimezone(self.zone)
        clock = local.strftime("%H:%M")
        for position, (weekdays, starts, ends) in enumerate(self.windows):
            if local.weekday() in weekdays and starts <= clock < ends:
                return position
        return None

    def moment(self, now: datetime) -> tuple:
        """Equal at two moments when the screen shows the same then: the same routine for the
        same reason, on the same date of the clinic's clock (notices run from date to date)."""
        return self.shows(now), now.astimezone(self.zone).date()


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
