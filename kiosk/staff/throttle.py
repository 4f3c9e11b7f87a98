"""Sign-in throttling: too many refused sign-ins from one address, or naming one account, and
the next tries are refused unchecked for a while.

Only refusals count, so a right password is never held back by its own earlier typos beyond
the limits. The counts live in the database (models.SignInFailure), so every worker process
and every app server sees the same ones. The address and the account name are kept only as
keyed hashes: the table says how often, never who or from where.
"""

import hashlib
import hmac
import math
from datetime import timedelta

from flask import current_app, request
from sqlalchemy import delete, func, select
from sqlalchemy.exc import SQLAlchemyError

from kiosk.db import error_reason, get_session
from kiosk.models import SignInFailure, utcnow

# (what is counted, refusals allowed, within how many seconds)
LIMITS = (
    ("address", 5, 60),
    ("address", 30, 60 * 60),
    ("account", 10, 15 * 60),
)
KEPT = timedelta(seconds=max(seconds for _, _, seconds in LIMITS))


def _keys(username: str) -> dict[str, str]:
    """The address and the account, each as a hash keyed with the app's secret."""
    secret = str(current_app.secret_key).encode()
    named = {"address": request.remote_addr or "", "account": username.strip().lower()[:40]}
    return {kind: hmac.new(secret, f"{kind}:{value}".encode(errors="surrogatepass"),
                           hashlib.sha256).hexdigest()
            for kind, value in named.items()}


def seconds_to_wait(username: str) -> int:
    """0 when a sign-in may be tried now; else how long until one may."""
    keys, now, wait = _keys(username), utcnow(), 0
    session = get_session()
    for kind, allowed, seconds in LIMITS:
        since = now - timedelta(seconds=seconds)
        refusals = (SignInFailure.key == keys[kind]) & (SignInFailure.at > since)
        if session.scalar(select(func.count()).where(refusals)) >= allowed:
            # Free again once the oldest of the last `allowed` refusals leaves the window.
            oldest = session.scalars(select(SignInFailure.at).where(refusals)
                                     .order_by(SignInFailure.at.desc())
                                     .offset(allowed - 1).limit(1)).one()
            wait = max(wait, math.ceil((oldest - since).total_seconds()))
    return wait


def count_refusal(username: str):
    """Count a refused sign-in against its address and its account; forget the old ones."""
    session, now = get_session(), utcnow()
    try:
        session.add_all(SignInFailure(key=key, at=now) for key in _keys(username).values())
        session.execute(delete(SignInFailure).where(SignInFailure.at < now - KEPT))
        session.commit()
    except SQLAlchemyError as error:  # a read-only database: the sign-in is refused anyway
        session.rollback()
        current_app.logger.warning("refused sign-in not counted: %s", error_reason(error))
