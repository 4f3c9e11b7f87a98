"""Clinic settings (admins only): contact details, the public address, warnings, safety notes."""

from flask import flash, request

from kiosk.db import get_session
from kiosk.models import Clinic
from kiosk.public import points_at_this_machine_only, public_url_warning
from kiosk.revisions import apply_snapshot, snapshot
from kiosk.staff import bp, require_may_edit
from kiosk.staff.editing import editor_page, save_edit, saved
from kiosk.staff.forms import SettingsForm


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    require_may_edit("clinic")
    clinic = Clinic.first(get_session())
    if request.method == "POST":
        form = SettingsForm()
    else:
        form = SettingsForm(data={**snapshot(clinic), "version": clinic.version})
    conflict = None
    if form.validate_on_submit():
        values = form.values()
        conflict = save_edit(form, clinic, lambda: apply_snapshot(clinic, values),
                             "Saved clinic settings")
        if not conflict:
            if values["public_url"] and points_at_this_machine_only(values["public_url"]):
                flash(public_url_warning(), "error")
            return saved("Saved the clinic settings. Screens and sheets show them from now on.",
                         "staff.settings")
    return editor_page("staff/settings.html", form, conflict, clinic=clinic,
                       public_url_warning=public_url_warning())
