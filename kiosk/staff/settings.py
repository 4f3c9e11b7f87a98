"""Clinic settings (a clinic's admins; the organisation's for the shared lists): contact
details, the public address, the time zone; and the warnings, safety notes and advice every
clinic shows. With several clinics, each has its settings at /staff/settings/<clinic>."""

from flask import abort, flash, g, request
from flask_babel import gettext

from kiosk.public import points_at_this_machine_only, public_url_warning
from kiosk.revisions import apply_snapshot, snapshot
from kiosk.staff import bp, require_may_edit
from kiosk.staff.access import clinics_for, is_organisation_admin
from kiosk.staff.editing import editor_page, save_edit, saved
from kiosk.staff.forms import SettingsForm


@bp.route("/settings", methods=["GET", "POST"], defaults={"clinic": None})
@bp.route("/settings/<clinic>", methods=["GET", "POST"])
def settings(clinic):
    require_may_edit("clinic")
    theirs = clinics_for(g.staff, admin=True)
    record = next((c for c in theirs if c.slug == clinic), None) if clinic else (
        theirs[0] if theirs else None)
    if record is None:
        abort(404, description=gettext("There is no such clinic."))
    if request.method == "POST":
        form = SettingsForm()
    else:
        form = SettingsForm(data={**snapshot(record), "version": record.version})
    if not is_organisation_admin(g.staff):
        # The lists are the library's, shown by every clinic: the organisation's to change.
        for name in form.LISTS:
            del form[name]
    conflict = None
    if form.validate_on_submit():
        values = form.values()
        conflict = save_edit(form, record, lambda: apply_snapshot(record, values),
                             f"Saved clinic settings of {record.name}")
        if not conflict:
            if values["public_url"] and points_at_this_machine_only(values["public_url"]):
                flash(public_url_warning(), "error")
            return saved(gettext("Saved the clinic settings. Screens and sheets show them from "
                                 "now on."), "staff.settings", clinic=clinic)
    return editor_page("staff/settings.html", form, conflict, clinic=record, clinics=theirs,
                       public_url_warning=public_url_warning())
