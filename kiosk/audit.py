"""The audit log: who did what in the console, and when.

Sign-ins (and refusals), sign-outs, account changes, exports, imports, restores, screens given
a new pairing link, and patient sheets made or revoked each leave one row (models.AuditEvent).
The person is kept by their username as it was, the address they came from only as a keyed
hash (the same address gives the same hash, so an admin can tell "all from one place", never
where), and never a patient sheet's note or token. Rows older than KIOSK_AUDIT_DAYS are
deleted as new ones come in.
"""

import hashlib
import hmac
from datetime import timedelta

from flask import current_app, g, has_request_context, request
from sqlalchemy import delete, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kiosk.db import error_reason, write_refused
from kiosk.models import AuditEvent, utcnow

# What each action is called on the console's Audit log page.
ACTIONS = {
    "sign_in": "Signed in",
    "sign_in_refused": "Sign-in refused",
    "sign_out": "Signed out",
    "password_changed": "Changed their password",
    "account_added": "Added an account",
    "role_changed": "Changed a role",
    "clinic_changed": "Changed where an account works",
    "library_changed": "Changed who edits the library",
    "account_deactivated": "Deactivated an account",
    "account_reactivated": "Reactivated an account",
    "password_reset": "Gave a temporary password",
    "signed_out_everywhere": "Signed an account out everywhere",
    "export": "Downloaded everything",
    "import": "Replaced everything with a file",
    "restore": "Restored an earlier version",
    "screen_paired_again": "Gave a screen a new pairing link",
    "screen_joined": "Added a screen by its code",
    "patient_sheet_made": "Made a patient sheet",
    "patient_sheet_revoked": "Revoked a patient sheet",
    "notice_deleted": "Deleted a notice",
    "translations_checked": "Checked every draft translation",
    "language_approved": "Offered a language to patients",
    "language_withdrawn": "Stopped offering a language",
}


# Refused sign-ins naming no account, logged one by one each hour; the rest only counted.
STRANGERS_PER_HOUR = 100


def address_key(address: str | None = None) -> str:
    """The request's address as a short keyed hash: comparable, but not an address."""
    if address is None:
        address = request.remote_addr if has_request_context() else ""
    secret = str(current_app.secret_key).encode()
    digest = hmac.new(secret, f"audit-address:{address or ''}".encode(errors="surrogatepass"),
                      hashlib.sha256)
    return digest.hexdigest()[:16]


def record(session: Session, action: str, target: str = "", detail: str = "",
           actor: str | None = None) -> AuditEvent:
    """Add one event to `session` (the caller commits, with the change it describes)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if actor is None:
        staff = g.get("staff") if has_request_context() else None
        actor = staff.username if staff is not None else ""
    event = AuditEvent(at=utcnow(), actor=actor[:40], action=action, target=target[:200],
                       detail=detail[:500],
                       address_key=address_key() if has_request_context() else "")
    session.add(event)
    kept = timedelta(days=current_app.config["AUDIT_DAYS"])
    session.execute(delete(AuditEvent).where(AuditEvent.at < event.at - kept))
    return event


def strangers_logged_this_hour(session: Session) -> bool:
    """Whether this hour's refusals of names that are no account have reached the most kept.

    Anyone can send those, from as many addresses as they have: past the cap they are only
    counted by the sign-in throttle, so the log cannot be made to grow without end."""
    hour = utcnow().replace(minute=0, second=0, microsecond=0)
    logged = session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.at >= hour, AuditEvent.action == "sign_in_refused", AuditEvent.actor == ""))
    return logged >= STRANGERS_PER_HOUR


def record_sign_in(session: Session, action: str, *, also=None, **fields):
    """Record a sign-in, a refusal or a sign-out (after `also()`, the change that goes with
    it) and commit. A database that takes no writes (a disk gone read-only) must not keep
    staff from reading the console, so there the record is only logged as missing."""
    try:
        if also is not None:
            also()
        record(session, action, **fields)
        session.commit()
    except SQLAlchemyError as error:
        session.rollback()
        if not write_refused(error):
            raise
        current_app.logger.warning("%s not recorded: %s", action, error_reason(error))
