"""Sheets for one patient: pick stretches, adjust holds, a short note; then a big QR to scan."""

from datetime import UTC, datetime, timedelta

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import func, select

from kiosk import audit, qr
from kiosk.db import get_or_404, get_session
from kiosk.models import PatientSheet, Routine, SheetOpen
from kiosk.patient_sheets import Choice, SheetError, find_live_sheet, make_patient_sheet
from kiosk.public import base_url
from kiosk.staff import bp
from kiosk.staff.access import clinics_for, their_routines, their_sheets
from kiosk.staff.editing import editor_page
from kiosk.staff.forms import PatientSheetForm, set_rows
from kiosk.staff.routines import apply_item_action, item_rows, offer_stretches, stretch_choices
from kiosk.staff.usage import completed_days, sheet_days, use_strip
from kiosk.web.inputs import form_id

USE_DAYS = 60  # the days of use a sheet's page shows: its first weeks, or the last two months


def get_sheet_or_404(sheet_id: int) -> PatientSheet:
    return get_or_404(PatientSheet, sheet_id, gettext("There is no such patient sheet."))


@bp.get("/patient-sheets")
def patient_sheets():
    session = get_session()
    sheets = session.scalars(
        their_sheets(select(PatientSheet).order_by(PatientSheet.id.desc()).limit(50))
    ).all()
    opens = dict(session.execute(
        select(SheetOpen.sheet_id, func.sum(SheetOpen.opens))
        .where(SheetOpen.kind == "patient").group_by(SheetOpen.sheet_id)
    ).all())
    return render_template("staff/patient_sheets.html", sheets=sheets, opens=opens,
                           completed=completed_days("patient"), today=datetime.now(UTC).date())


@bp.route("/patient-sheets/new", methods=["GET", "POST"])
def new_patient_sheet():
    stretches = stretch_choices()
    routines = get_session().scalars(their_routines(select(Routine).order_by(Routine.title)))
    days = current_app.config["SHEET_EXPIRY_DAYS"]
    form = PatientSheetForm() if request.method == "POST" else PatientSheetForm(expires=days)
    form.offer(days, routines.all())
    form.offer_clinics(clinics_for(g.staff), request.args.get("clinic"))
    offer_stretches(form, stretches)
    action = request.form.get("item_action", "")
    if action == "routine":
        # form_id: an id no row could have (past PostgreSQL's INTEGER) finds no routine.
        routine = {r.id: r for r in form.routines}.get(form_id("from_routine") or 0)
        # The routine's stretches with its holds, after any already picked.
        set_rows(form.items, form.items.data + (item_rows(routine) if routine else []))
    elif action:
        apply_item_action(form, action, stretches)
    elif form.validate_on_submit():
        choices = [Choice(stretches[row["stretch"]], row["hold"], row["repetitions"])
                   for row in form.items.data]
        try:
            sheet = make_patient_sheet(get_session(), choices, form.note.data or "",
                                       form.expires.data, created_by=g.staff,
                                       clinic=form.picked_clinic())
        except SheetError as error:
            form.form_errors.append(str(error))
        else:
            # Which sheet, never its note or its token: the log is no way into it.
            audit.record(get_session(), "patient_sheet_made", target=f"patient sheet {sheet.id}",
                         detail=f"{len(choices)} stretches")
            get_session().commit()
            return redirect(url_for("staff.patient_sheet", sheet_id=sheet.id), code=303)
    return editor_page("staff/patient_sheet_form.html", form,
                       partial="staff/partials/routine_items.html" if action else None,
                       stretches=stretches,
                       items_url=url_for("staff.new_patient_sheet"),
                       items_legend=gettext("Stretches on this sheet"))


@bp.get("/patient-sheets/<int:sheet_id>")
def patient_sheet(sheet_id):
    sheet = get_sheet_or_404(sheet_id)
    url = base_url(sheet.clinic) + url_for("sheets.patient_sheet", token=sheet.token)
    opens = get_session().scalar(
        select(func.coalesce(func.sum(SheetOpen.opens), 0))
        .where(SheetOpen.kind == "patient", SheetOpen.sheet_id == sheet.id)
    )
    today = datetime.now(UTC).date()
    made = sheet.created_at.date() if sheet.created_at else today
    first = max(made, today - timedelta(days=USE_DAYS - 1))
    days = [first + timedelta(days=n) for n in range((today - first).days + 1)]
    use = sheet_days("patient", sheet.id, first)
    opened_days = sum(1 for opened, _ in use.values() if opened)
    completed_on = sum(1 for _, completed in use.values() if completed)
    label = gettext("Opened on %(opened)s and completed on %(completed)s of the %(days)s days "
                    "since %(first)s", opened=opened_days, completed=completed_on, days=len(days),
                    first=f"{first:%d %b}")
    return render_template(
        "staff/patient_sheet.html", sheet=sheet, url=url, short_url=url.split("://", 1)[-1],
        qr_svg=qr.svg(url, gettext("QR code for the patient's sheet, %(url)s", url=url)),
        opens=opens, use_chart=use_strip(days, use, label), use_limit=USE_DAYS,
        opened_days=opened_days, completed_on=completed_on,
        live=find_live_sheet(get_session(), sheet.token) is not None,
    )


@bp.post("/patient-sheets/<int:sheet_id>/revoke")
def revoke_patient_sheet(sheet_id):
    sheet = get_sheet_or_404(sheet_id)
    if sheet.revoked_at is None:
        sheet.revoked_at = datetime.now(UTC)
        audit.record(get_session(), "patient_sheet_revoked", target=f"patient sheet {sheet.id}")
        get_session().commit()
    flash(gettext("The sheet is revoked: its link and QR code no longer open it."))
    return redirect(url_for("staff.patient_sheets"), code=303)
