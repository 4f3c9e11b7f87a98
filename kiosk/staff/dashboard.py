"""The console's front page: is every screen alive, is the public address right, and where
can phones open the sheets."""

from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import select

from kiosk.db import get_session
from kiosk.htmx import render
from kiosk.models import Screen
from kiosk.public import current_reach, public_url_warning
from kiosk.staff import bp


def screen_reports() -> list[dict]:
    """Each screen's last report: what it showed, how long ago, and whether it has gone quiet.

    Only the browser paired with a screen reports (kiosk/display/pairing.py): a screen with no
    report has not been paired yet, or not since staff paired it again.
    """
    now = datetime.now(UTC)
    silent_after = current_app.config["SCREEN_SILENT_SECONDS"]
    reports = []
    for screen in get_session().scalars(select(Screen).order_by(Screen.name)):
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


@bp.get("/")
def dashboard():
    return render(
        "staff/dashboard.html",
        "staff/partials/screen_status.html",
        reports=screen_reports(),
        public_url_warning=public_url_warning(),
        phones=current_reach(),
    )
