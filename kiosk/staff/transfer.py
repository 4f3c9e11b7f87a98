"""Backup and moving (admins only): download everything as one file, or replace everything."""

from io import BytesIO

from flask import flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import gettext
from sqlalchemy import select

from kiosk import audit
from kiosk import transfer as everything
from kiosk.db import get_session
from kiosk.models import StaffAccount
from kiosk.staff import bp, require_may_edit, sessions


@bp.get("/transfer")
def transfer():
    require_may_edit("everything")
    return page()


@bp.get("/transfer/download")
def transfer_download():
    require_may_edit("everything")
    data = everything.export_all(get_session())
    audit.record(get_session(), "export", detail=f"{len(data) / 1e6:.1f} MB")
    get_session().commit()
    response = send_file(BytesIO(data),
                         mimetype="application/gzip", as_attachment=True,
                         download_name=everything.export_filename())
    # It holds the staff accounts' password hashes: no cache anywhere keeps a copy.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/transfer")
def transfer_upload():
    require_may_edit("everything")
    upload = request.files.get("file")
    if not request.form.get("confirm"):
        return page(gettext("Tick “I understand this replaces all content” to go ahead.")
                    + " " + everything.NOTHING_CHANGED), 422
    if upload is None or not upload.filename:
        return page(gettext("Choose an export file to import.") + " "
                    + everything.NOTHING_CHANGED), 422
    me = g.staff.username
    try:
        counts = everything.import_all(get_session(),
                                       upload.stream.read(everything.MAX_FILE_BYTES + 1))
    except everything.TransferError as refusal:
        return page(str(refusal)), 422
    audit.record(get_session(), "import", actor=me, detail=everything.summary(counts))
    get_session().commit()
    return after_import(counts, me)


def page(error: str | None = None):
    return render_template("staff/transfer.html", error=error,
                           max_mb=everything.MAX_FILE_BYTES // 10**6)


def after_import(counts: dict, me: str):
    """Say what came in. Every session has ended: the person who imported stays signed in
    only if the file has an active account of theirs (by name), with its role there."""
    imported = gettext("Imported everything from the file: %(summary)s.",
                       summary=everything.summary(counts))
    account = get_session().scalar(select(StaffAccount).filter_by(username=me))
    if account is None or not account.active:
        sessions.end_here()
        flash(imported)
        flash(gettext("Your account is not in the imported file, so you have been signed out. "
                      "Sign in with an account from the file."), "error")
        return redirect(url_for("staff.login"), code=303)
    sessions.begin(account)
    flash(imported)
    admins = get_session().scalars(select(StaffAccount.username).where(
        StaffAccount.role == "admin", StaffAccount.active).order_by(StaffAccount.username))
    flash(gettext("Staff accounts are now those of the file, and everyone else has been signed "
                  "out. Admins now: %(admins)s. Check Accounts for anyone who should not be "
                  "there.", admins=", ".join(admins)), "error")
    return redirect(url_for("staff.dashboard"), code=303)
