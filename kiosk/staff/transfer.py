"""Backup and moving (admins only): download everything as one file, or replace everything."""

from io import BytesIO

from flask import flash, g, redirect, render_template, request, send_file, session, url_for

from kiosk import transfer as everything
from kiosk.db import get_session
from kiosk.models import StaffAccount
from kiosk.staff import bp, require_admin

FORM_OVERHEAD = 64 * 1024  # the CSRF token, the checkbox and the multipart framing


@bp.url_value_preprocessor
def allow_whole_exports(endpoint, _values):
    """An export holds every uploaded video, so it may be bigger than any single upload.

    This runs before the CSRF check reads the body (a view would be too late to say so).
    """
    if endpoint == "staff.transfer_upload":
        request.max_content_length = everything.MAX_FILE_BYTES + FORM_OVERHEAD


@bp.get("/transfer")
def transfer():
    require_admin()
    return page()


@bp.get("/transfer/download")
def transfer_download():
    require_admin()
    response = send_file(BytesIO(everything.export_all(get_session())),
                         mimetype="application/gzip", as_attachment=True,
                         download_name=everything.export_filename())
    # It holds the staff accounts' password hashes: no cache anywhere keeps a copy.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/transfer")
def transfer_upload():
    require_admin()
    upload = request.files.get("file")
    if not request.form.get("confirm"):
        return page("Tick “I understand this replaces all content” to go ahead. "
                    + everything.NOTHING_CHANGED), 422
    if upload is None or not upload.filename:
        return page("Choose an export file to import. " + everything.NOTHING_CHANGED), 422
    me = (g.staff.id, g.staff.username)
    try:
        counts = everything.import_all(get_session(),
                                       upload.stream.read(everything.MAX_FILE_BYTES + 1))
    except everything.TransferError as refusal:
        return page(str(refusal)), 422
    return after_import(counts, me)


def page(error: str | None = None):
    return render_template("staff/transfer.html", error=error,
                           max_mb=everything.MAX_FILE_BYTES // 10**6)


def after_import(counts: dict, me: tuple[int, str]):
    """Say what came in; sign the person out if their account is not in the file."""
    imported = f"Imported everything from the file: {everything.summary(counts)}."
    account = get_session().get(StaffAccount, me[0])
    if account is None or account.username != me[1] or not account.active:
        session.clear()
        flash(imported)
        flash("Your account is not in the imported file, so you have been signed out. "
              "Sign in with an account from the file.", "error")
        return redirect(url_for("staff.login"), code=303)
    flash(imported)
    flash("Staff accounts are now those of the file: your password and role are the ones "
          "your account has there.", "error")
    return redirect(url_for("staff.dashboard"), code=303)
