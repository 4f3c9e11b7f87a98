"""History: every save, who made it and when; any earlier version back in one click."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import select

from kiosk import audit
from kiosk.db import get_session
from kiosk.models import Clinic, Revision, StaffAccount
from kiosk.revisions import (
    CLINIC_LISTS,
    ENTITY_NAMES,
    Conflict,
    differences,
    restore,
    versions,
)
from kiosk.staff import bp
from kiosk.staff.access import is_organisation_admin, their_revisions

MODELS = {name: model for model, name in ENTITY_NAMES.items()}
EDIT_PAGES = {"stretch": "staff.edit_stretch", "routine": "staff.edit_routine",
              "screen": "staff.edit_screen", "notice": "staff.edit_notice"}


def get_entity_or_404(entity: str, entity_id: int):
    model = MODELS.get(entity)
    record = get_session().get(model, entity_id) if model else None
    if record is None:
        abort(404, description=gettext("There is no such record."))
    return record


def restorable(record, data: dict) -> dict:
    """What of an earlier version this account may put back: a clinic's admin restores its
    details, not the lists every clinic shows, which are the organisation's."""
    if isinstance(record, Clinic) and not is_organisation_admin(g.staff):
        return {name: value for name, value in data.items() if name not in CLINIC_LISTS}
    return data


def staff_names() -> dict[int, str]:
    return dict(get_session().execute(select(StaffAccount.id, StaffAccount.username)).all())


@bp.get("/history")
def history():
    recent = get_session().scalars(
        their_revisions(select(Revision).order_by(Revision.id.desc()).limit(100))).all()
    return render_template("staff/history.html", revisions=recent, names=staff_names(),
                           differences=differences)


@bp.get("/history/<entity>/<int:entity_id>")
def history_of(entity, entity_id):
    record = get_entity_or_404(entity, entity_id)
    return render_template(
        "staff/history_of.html", entity=entity, record=record,
        versions=versions(get_session(), record), names=staff_names(), differences=differences,
        edit_page=EDIT_PAGES.get(entity),
    )


@bp.post("/history/<entity>/<int:entity_id>/restore")
def restore_version(entity, entity_id):
    """Restoring is saving an earlier version: whoever may not edit a record may not restore it."""
    record = get_entity_or_404(entity, entity_id)
    wanted = request.form.get("version", type=int)
    chosen = next((v for v in versions(get_session(), record) if v["version"] == wanted), None)
    if chosen is None:
        abort(404, description=gettext("There is no such version to restore."))
    if request.form.get("current", type=int) != record.version:
        flash(gettext("Someone saved a newer version meanwhile; look at it before restoring."),
              "error")
    else:
        audit.record(get_session(), "restore", target=f"{entity} {entity_id}",
                     detail=f"version {wanted}")
        try:
            # The audit event is committed with the restore, or dropped with it.
            restore(get_session(), record, restorable(record, chosen["data"]), g.staff,
                    f"version {wanted}")
        except Conflict:
            flash(gettext("Someone saved a newer version meanwhile; nothing was restored."),
                  "error")
        else:
            flash(gettext("Restored version %(version)s. Screens show it from their next slide.",
                          version=wanted))
    return redirect(url_for("staff.history_of", entity=entity, entity_id=entity_id), code=303)
