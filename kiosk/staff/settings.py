"""Clinic settings (admins only): contact details, the public address, warnings, safety notes."""

from urllib.parse import urlsplit

from flask import flash, g, redirect, render_template, request, url_for
from sqlalchemy import select

from kiosk.db import get_session
from kiosk.models import Clinic
from kiosk.public import points_at_this_machine_only, public_url_warning
from kiosk.revisions import CLINIC_LISTS, Conflict, apply_snapshot, save, snapshot
from kiosk.staff import bp, require_may_edit
from kiosk.staff.stretches import describe_conflict

TEXT_FIELDS = {  # name: (label, longest, required)
    "name": ("Clinic name", 120, True),
    "therapist": ("Therapist", 120, False),
    "phone": ("Phone", 40, False),
    "booking_url": ("Booking page (web address)", 500, False),
    "address": ("Address", 500, False),
    "hours": ("Opening hours", 500, False),
    "public_url": ("Public address of this app (for QR codes)", 500, False),
}
LIST_LABELS = {
    "warning_signs": "Warning signs (one per line)",
    "safety_notes": "Safety notes (one per line)",
    "tips": "Good stretching advice (one per line)",
}


def read_form() -> dict:
    values = {name: request.form.get(name, "").strip() for name in TEXT_FIELDS}
    for name in CLINIC_LISTS:
        lines = request.form.get(name, "").replace("\r", "").split("\n")
        values[name] = [line.strip() for line in lines if line.strip()]
    return values


def check(values: dict) -> dict:
    errors = {}
    for name, (label, longest, required) in TEXT_FIELDS.items():
        if required and not values[name]:
            errors[name] = f"{label} is needed."
        elif len(values[name]) > longest:
            errors[name] = f"Keep {label.lower()} under {longest} characters."
    if values["phone"] and sum(c.isdigit() for c in values["phone"]) < 6:
        errors["phone"] = "A phone number needs its digits, e.g. 0425 444 304."
    for name in ("booking_url", "public_url"):
        address = urlsplit(values[name])
        if values[name] and (address.scheme not in ("http", "https") or not address.netloc):
            errors[name] = "Write a full web address starting with http:// or https://."
    for name, label in LIST_LABELS.items():
        if name != "tips" and not values[name]:
            errors[name] = f"{label.split(' (')[0]} cannot be empty: patients rely on them."
        elif any(len(line) > 300 for line in values[name]):
            errors[name] = "Keep each line under 300 characters."
    return errors


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    require_may_edit("clinic")
    clinic = get_session().scalar(select(Clinic))
    values, errors, conflict = snapshot(clinic), {}, None
    version = clinic.version
    if request.method == "POST":
        values = read_form()
        version = request.form.get("version", type=int, default=-1)
        errors = check(values)
        if not errors:
            try:
                save(get_session(), clinic, version, g.staff,
                     lambda: apply_snapshot(clinic, values), "Saved clinic settings")
            except Conflict as clash:
                conflict = describe_conflict(clash)
                version = clinic.version
            else:
                flash("Saved the clinic settings. Screens and sheets show them from now on.")
                if values["public_url"] and points_at_this_machine_only(values["public_url"]):
                    flash(public_url_warning(), "error")
                return redirect(url_for("staff.settings"), code=303)
    status = 409 if conflict else (422 if errors else 200)
    return render_template(
        "staff/settings.html", values=values, errors=errors, conflict=conflict, version=version,
        text_fields=TEXT_FIELDS, list_labels=LIST_LABELS, public_url_warning=public_url_warning(),
    ), status

