"""Sign-in throttling: too many refused sign-ins from one address, or naming one account, and
the next tries are held back unchecked for a while.

Each try first takes its place in the count (`admit`), in one transaction that no other try
can interleave with, and only then is its password checked: a burst of tries at once cannot
slip past the limit. A right password takes its place back (`forgive`); a wrong one leaves it
counted. The counts live in the database (models.SignInFailure), so every worker process and
every app server sees the same ones, and they hold only keyed hashes: how often, never who or
from where.

A browser that has signed in to an account before carries a device cookie for it (OWASP's
"device cookie"): its tries are counted against that browser, and against all the account's
known browsers together (a higher limit), never against the account's own limit, so strangers
failing an account's password from elsewhere cannot lock its owner out; strangers still meet
the per-address and per-account limits. A device cookie is bound to the account's password as
it was: a new password (or a temporary one from an admin) makes every older one a stranger's.
"""

import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app, request, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import SQLAlchemyError

from kiosk.db import error_reason, get_session
from kiosk.models import SignInFailure, StaffAccount, utcnow

# What is counted: (refusals allowed, within how many seconds), for each kind of key.
LIMITS = {
    "address": ((5, 60), (30, 60 * 60)),
    "account": ((10, 15 * 60),),
    "device": ((10, 15 * 60),),
    "devices": ((20, 15 * 60),),  # all of one account's known browsers together
}
KEPT = timedelta(seconds=max(seconds for limits in LIMITS.values() for _, seconds in limits))

DEVICE_COOKIE = "kiosk_device"
DEVICE_DAYS = 365
DEVICE_ACCOUNTS = 8  # accounts one shared reception laptop may remember


@dataclass
class Try:
    """A sign-in's place in the count: how long to wait (0: go ahead) and its rows."""

    wait: int
    rows: list[int] = field(default_factory=list)


def _hash(kind: str, value: str) -> str:
    secret = str(current_app.secret_key).encode()
    return hmac.new(secret, f"{kind}:{value}".encode(errors="surrogatepass"),
                    hashlib.sha256).hexdigest()


def _keys(username: str) -> dict[str, str]:
    """The keys this try counts against: its device, else its address and its account."""
    username = username.strip().lower()[:40]
    device = known_devices().get(username, "")
    device_id, _, password_tag = device.partition(":")
    if device_id and password_tag:
        account = get_session().scalar(select(StaffAccount).filter_by(username=username))
        if account is not None and hmac.compare_digest(password_tag, _password_tag(account)):
            return {"device": _hash("device", device_id),
                    "devices": _hash("devices", username)}
    return {"address": _hash("address", request.remote_addr or ""),
            "account": _hash("account", username)}


def _password_tag(account: StaffAccount) -> str:
    """A short keyed mark of the account's password as it is now (never the hash itself)."""
    return _hash("device-password", account.password_hash)[:16]


def _seconds_to_wait(session, keys: dict[str, str], now) -> int:
    wait = 0
    for kind, key in keys.items():
        for allowed, seconds in LIMITS[kind]:
            since = now - timedelta(seconds=seconds)
            counted = (SignInFailure.key == key) & (SignInFailure.at > since)
            if session.scalar(select(func.count()).where(counted)) >= allowed:
                # Free again once the oldest of the last `allowed` leaves the window.
                oldest = session.scalars(select(SignInFailure.at).where(counted)
                                         .order_by(SignInFailure.at.desc())
                                         .offset(allowed - 1).limit(1)).one()
                wait = max(wait, math.ceil((oldest - since).total_seconds()), 1)
    return wait


def admit(username: str) -> Try:
    """Count this try before its password is checked, unless the limits hold it back."""
    session, now = get_session(), utcnow()
    keys = _keys(username)
    try:
        _serialise(session)
        session.execute(delete(SignInFailure).where(SignInFailure.at < now - KEPT))
        wait = _seconds_to_wait(session, keys, now)
        rows = [] if wait else [SignInFailure(key=key, at=now) for key in keys.values()]
        session.add_all(rows)
        session.flush()
        counted = Try(wait, [row.id for row in rows])
        session.commit()
        return counted
    except SQLAlchemyError as error:
        # A read-only database: nothing can be counted, but the limits reached still hold.
        session.rollback()
        current_app.logger.warning("refused sign-in not counted (nor this try): %s",
                                   error_reason(error))
        return Try(_seconds_to_wait(session, keys, now))


def _serialise(session):
    """Let one try at a time count and check (SQLite's first write takes its one write lock;
    PostgreSQL is asked for a lock that conflicts only with itself and with writers)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE sign_in_failure IN SHARE ROW EXCLUSIVE MODE"))


def forgive(counted: Try):
    """The password was right: this try was no refusal (the caller commits)."""
    if counted.rows:
        get_session().execute(delete(SignInFailure).where(SignInFailure.id.in_(counted.rows)))


# ---- The device cookie: which accounts this browser has signed in to before.

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="kiosk-device")


def known_devices() -> dict[str, str]:
    """{username: this browser's device id for it}, from a valid device cookie."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return {}
    try:
        entries = _serializer().loads(raw, max_age=DEVICE_DAYS * 24 * 3600)
    except BadSignature:
        return {}
    if not isinstance(entries, dict):
        return {}
    return {name: device for name, device in entries.items()
            if isinstance(name, str) and isinstance(device, str)}


def remember_device(response, account: StaffAccount):
    """After a right password: this browser is known for `account` from now on."""
    username = account.username
    entries = known_devices()
    entries.pop(username, None)
    entries[username] = f"{secrets.token_hex(16)}:{_password_tag(account)}"
    entries = dict(list(entries.items())[-DEVICE_ACCOUNTS:])
    response.set_cookie(DEVICE_COOKIE, _serializer().dumps(entries),
                        max_age=DEVICE_DAYS * 24 * 3600, path=url_for("staff.login"), httponly=True,
                        samesite="Strict", secure=request.is_secure)
    return response
