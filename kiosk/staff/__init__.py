"""The staff console at /staff: one access check guards every page but the sign-in and the
first run's set-up link (a signed-in account, and none of another clinic's records: access.py),
and one rule says who may change what (`may_edit`), for a record's own page and its History
alike."""

from flask import Blueprint, abort, current_app, g, request, url_for
from flask_babel import gettext

from kiosk.staff import sessions
from kiosk.staff.access import ANY_CLINIC, may_edit, refuse_others, role_label
from kiosk.web.htmx import redirect_for_htmx

bp = Blueprint("staff", __name__, url_prefix="/staff")
OPEN_ENDPOINTS = {"staff.login", "staff.set_up"}
# Where an account with a temporary password may go before choosing its own.
BEFORE_NEW_PASSWORD = {"staff.own_account", "staff.logout"}


def require_may_edit(entity: str, clinic_id=ANY_CLINIC):
    """Refuse the request unless the signed-in account may change `entity` records (of
    `clinic_id`, None being the library)."""
    if not may_edit(g.staff, entity, clinic_id):
        abort(403, description=gettext("Your account cannot change this."))


def require_admin():
    """Refuse the request unless the signed-in account is an admin (of a clinic, or of the
    organisation)."""
    require_may_edit("account")


@bp.before_request
def require_staff():
    """Every console route but the sign-in and the set-up link needs a signed-in, active
    account."""
    g.staff = sessions.current_account()
    if g.staff is not None:
        sessions.person_was_here()
    if g.staff is None and request.endpoint not in OPEN_ENDPOINTS:
        return send_to_sign_in()
    if (g.staff is not None and g.staff.must_change_password
            and request.endpoint not in BEFORE_NEW_PASSWORD | OPEN_ENDPOINTS):
        return redirect_for_htmx(url_for("staff.own_account"))
    if g.staff is not None:
        refuse_others(g.staff)
    return None


def send_to_sign_in():
    """To the sign-in page, and back after it: to this address as url_for writes it (under the
    app's own prefix, where it has one), which is what the sign-in checks `next` against."""
    here = request.script_root + request.full_path.rstrip("?")
    return redirect_for_htmx(url_for("staff.login", next=here))


@bp.after_request
def never_stored(response):
    """No console page is kept by the browser: Back after signing out shows nothing of it."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.context_processor
def console_navigation():
    return {"console_endpoints": set(current_app.view_functions), "may_edit": may_edit,
            "role_label": role_label}


from kiosk.staff import (  # noqa: E402, F401  (registers the views)
    accounts,
    audit_log,
    auth,
    dashboard,
    first_run,
    guide,
    history,
    media,
    notices,
    patient_sheets,
    routines,
    screens,
    settings,
    stretches,
    transfer,
    translations,
    usage,
)
