"""The console's front page: is every screen alive, is the public address right, and where
can phones open the sheets."""

from kiosk.public import current_reach, public_url_warning
from kiosk.schedule import screen_reports
from kiosk.staff import bp
from kiosk.staff.access import their_screens
from kiosk.web.htmx import render


@bp.get("/")
def dashboard():
    return render(
        "staff/dashboard.html",
        "staff/partials/screen_status.html",
        reports=screen_reports(their_screens),
        public_url_warning=public_url_warning(),
        phones=current_reach(),
    )
