"""Console sessions: which account a browser is signed in as, and for how long.

The signed session cookie names the account by its session key (StaffAccount.session_key),
never by its row id, which an import can give to someone else. Giving an account a new key
ends every session of it at once, on every device: signing out, a new password, a new role,
deactivation and an import all do. A session also ends after KIOSK_SESSION_IDLE_MINUTES
without anything a person did (a page opened, a form sent: the console's own polls, such as
the screens' status every few seconds, do not count) and, however busy, KIOSK_SESSION_HOURS
after signing in.
"""

import time

from flask import current_app, request, session
from sqlalchemy import select

from kiosk.db import get_session
from kiosk.models import StaffAccount, new_key


def begin(account: StaffAccount):
    """Sign this browser in as `account`, with a fresh session (and a fresh CSRF token)."""
    session.clear()
    session.permanent = True
    session["account"] = account.session_key
    session["since"] = session["seen"] = int(time.time())


def current_account() -> StaffAccount | None:
    """The active account this browser is signed in as, or None."""
    key, since, seen = session.get("account"), session.get("since"), session.get("seen")
    if not all(isinstance(value, want) for value, want in ((key, str), (since, int), (seen, int))):
        return None
    now = time.time()
    if (now - since > current_app.config["SESSION_HOURS"] * 3600
            or now - seen > current_app.config["SESSION_IDLE_MINUTES"] * 60):
        session.clear()
        return None
    account = get_session().scalar(select(StaffAccount).filter_by(session_key=key))
    if account is None or not account.active:
        session.clear()
        return None
    return account


def person_was_here():
    """Note that a person did something: a page, a form, not an htmx poll or partial."""
    if request.method != "GET" or not request.headers.get("HX-Request"):
        session["seen"] = int(time.time())


def end_everywhere(account: StaffAccount):
    """End every session of `account` (the caller commits)."""
    account.session_key = new_key()


def end_here():
    session.clear()
