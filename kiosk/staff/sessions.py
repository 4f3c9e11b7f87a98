"""Console sessions: which account a browser is signed in as, and for how long.

The signed session cookie names the account by its session key (StaffAccount.session_key),
never by its row id, which an import can give to someone else. Giving an account a new key
ends every session of it at once, on every device: signing out, a new password, a new role,
deactivation and an import all do. A session also ends after KIOSK_SESSION_IDLE_MINUTES
without a request (the cookie's signature is dated; Flask refuses an older one) and, however
busy, KIOSK_SESSION_HOURS after signing in.
"""

import time

from flask import current_app, session
from sqlalchemy import select

from kiosk.db import get_session
from kiosk.models import StaffAccount, new_key


def begin(account: StaffAccount):
    """Sign this browser in as `account`, with a fresh session (and a fresh CSRF token)."""
    session.clear()
    session.permanent = True
    session["account"] = account.session_key
    session["since"] = int(time.time())


def current_account() -> StaffAccount | None:
    """The active account this browser is signed in as, or None."""
    key, since = session.get("account"), session.get("since")
    if not isinstance(key, str) or not isinstance(since, int):
        return None
    if time.time() - since > current_app.config["SESSION_HOURS"] * 3600:
        session.clear()
        return None
    account = get_session().scalar(select(StaffAccount).filter_by(session_key=key))
    if account is None or not account.active:
        session.clear()
        return None
    return account


def end_everywhere(account: StaffAccount):
    """End every session of `account` (the caller commits)."""
    account.session_key = new_key()


def end_here():
    session.clear()
