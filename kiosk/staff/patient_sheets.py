"""Sheets for one patient: pick stretches, adjust holds, a short note; then a big QR to scan."""

from datetime import UTC, datetime

from flask import current_app, flash, g, redirect, render_template, request, url_for
from sqlalchemy import func, select

from kiosk import audit, qr
from kiosk.db import get_or_404, get_session
from kiosk.inputs import form_id
from kiosk.models import PatientSheet, Routine, SheetOpen
from kiosk.patients import NOTE_LIMIT, Choice, SheetError, find_live_sheet, make_patient_sheet
from kiosk.public import base_url
from kiosk.staff import bp
from kiosk.staff.routines import (
    apply_item_action,
    check_rows,
    rows_from_form,
    rows_from_routine,
    stretch_choices,
)

EXPIRY_CHOICES = (30, 90, 180, 365)


def get_sheet_or_404(sheet_id: int) -> PatientSheet:
    return get_or_404(PatientSheet, sheet_id, "There is no such patient sheet.")


@bp.get("/patient-sheets")
def patient_sheets():
    session = get_session()
    sheets = session.scalars(
        select(PatientSheet).order_by(PatientSheet.id.desc()).limit(50)
    ).all()
    opens = dict(session.execute(
        select(SheetOpen.sheet_id, func.sum(SheetOpen.opens))
        .where(SheetOpen.kind == "patient").group_by(SheetOpen.sheet_id)
    ).all())
    return render_template("staff/patient_sheets.html", sheets=sheets, opens=opens,
                           today=datetime.now(UTC).date())


@bp.route("/patient-sheets/new", methods=["GET", "POST"])
def new_patient_sheet():
    stretches = stretch_choices()
    routines = get_session().scalars(select(Routine).order_by(Routine.title)).all()
    rows, note, errors = [], "", {}
    expires = current_app.config["SHEET_EXPIRY_DAYS"]
    if request.method == "POST":
        rows = rows_from_form(stretches)
        note = request.form.get("note", "")
        expires = request.form.get("expires", type=int, default=expires)
        action = request.form.get("item_action", "")
        if action == "routine":
            rows = routine_rows(form_id("from_routine"), rows)
        elif action:
            apply_item_action(rows, action, stretches)
        elif expires not in (*EXPIRY_CHOICES, 0, current_app.config["SHEET_EXPIRY_DAYS"]):
            errors["form"] = "Nothing was saved: pick how long the sheet keeps opening."
        else:
            overrides = check_rows(rows)
            if not any(row.error for row in rows):
                choices = [Choice(stretches[row.stretch_id], hold, reps)
                           for row, (hold, reps) in zip(rows, overrides, strict=True)]
                try:
                    sheet = make_patient_sheet(get_session(), choices, note, expires,
                                               created_by=g.staff)
                except SheetError as error:
                    errors["form"] = str(error)
                else:
                    # Which sheet, never its note or its token: the log is no way into it.
                    audit.record(get_session(), "patient_sheet_made",
                                 target=f"patient sheet {sheet.id}",
                                 detail=f"{len(choices)} stretches")
                    get_session().commit()
                    return redirect(url_for("staff.patient_sheet", sheet_id=sheet.id), code=303)
            else:
                errors["form"] = "Nothing was saved: please fix what is marked below."
    status = 422 if errors else 200
    return render_template(
        "staff/patient_sheet_form.html", rows=rows, stretches=stretches, routines=routines,
        note=note, note_limit=NOTE_LIMIT, expires=expires, expiry_choices=EXPIRY_CHOICES,
        errors=errors,
    ), status


def routine_rows(routine_id, rows):
    """The routine's stretches with its holds, added after any already picked."""
    routine = get_session().get(Routine, routine_id or 0)
    return rows + (rows_from_routine(routine) if routine else [])


@bp.get("/patient-sheets/<int:sheet_id>")
def patient_sheet(sheet_id):
    sheet = get_sheet_or_404(sheet_id)
    url = base_url() + url_for("sheets.patient_sheet", token=sheet.token)
    opens = get_session().scalar(
        select(func.coalesce(func.sum(SheetOpen.opens), 0))
        .where(SheetOpen.kind == "patient", SheetOpen.sheet_id == sheet.id)
    )
    return render_template(
        "staff/patient_sheet.html", sheet=sheet, url=url, short_url=url.split("://", 1)[-1],
        qr_svg=qr.svg(url, f"QR code for the patient's sheet, {url}"), opens=opens,
        live=find_live_sheet(get_session(), sheet.token) is not None,
    )


@bp.post("/patient-sheets/<int:sheet_id>/revoke")
def revoke_patient_sheet(sheet_id):
    sheet = get_sheet_or_404(sheet_id)
    if sheet.revoked_at is None:
        sheet.revoked_at = datetime.now(UTC)
        audit.record(get_session(), "patient_sheet_revoked", target=f"patient sheet {sheet.id}")
        get_session().commit()
    flash("The sheet is revoked: its link and QR code no longer open it.")
    return redirect(url_for("staff.patient_sheets"), code=303)
