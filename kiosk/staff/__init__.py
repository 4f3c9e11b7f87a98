"""The staff console at /staff: one access check guards every page but the login."""

from flask import Blueprint, abort, current_app, g, request, session, url_for

from kiosk.db import get_session
from kiosk.htmx import redirect_for_htmx
from kiosk.models import StaffAccount

bp = Blueprint("staff", __name__, url_prefix="/staff")
OPEN_ENDPOINTS = {"staff.login"}


@bp.before_request
def require_staff():
    """Every console route but the login needs a signed-in, active account."""
    g.staff = None
    staff_id = session.get("staff_id")
    if staff_id is not None:
        account = get_session().get(StaffAccount, staff_id)
        if account is not None and account.active:
            g.staff = account
    if g.staff is None and request.endpoint not in OPEN_ENDPOINTS:
        return redirect_for_htmx(url_for("staff.login", next=request.full_path.rstrip("?")))
    return None


@bp.context_processor
def console_navigation():
    return {"console_endpoints": set(current_app.view_functions)}


def require_admin():
    """Refuse the request unless the signed-in account is an admin."""
    if g.staff is None or g.staff.role != "admin":
        abort(403, description="Only an admin can change this.")


from kiosk.staff import (  # noqa: E402, F401  (registers the views)
    auth,
    dashboard,
    history,
    media,
    patient_sheets,
    routines,
    screens,
    settings,
    stretches,
    transfer,
    usage,
)
