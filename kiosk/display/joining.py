"""A new screen joins by a code, as commercial signage players do: opened at /display/pairing
(or at /display, on a group's install or one with no screen yet) it shows a short code in
large type; staff type the code into the console with the clinic, a name and a routine, and
the screen starts its loop, paired (pairing.py), without anyone typing an address on a
touchscreen.

The browser showing the code holds a random key in a cookie for the screens' addresses; the
row keeps only the key's hash, so reading the table pairs no browser. Rows live in the
database, so every app server sees the same codes. A code lasts an hour, and a named screen
has another hour to notice; older rows are deleted when a new code is made.
"""

import hashlib
import secrets
from datetime import timedelta

from flask import request, url_for
from sqlalchemy import delete, func, select

from kiosk.audit import address_key
from kiosk.models import PairingCode, Screen, utcnow

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B, G/6: read across a waiting room, typed without a doubt.
ALPHABET = "ACDEFHJKMNPRTUVWXY3479"
LENGTH = 6  # 22**6: 113 million codes, for the few screens waiting in any hour
LASTS = timedelta(hours=1)
MOST_WAITING = 500  # codes at once: a script opening the page in a loop fills no disk
# Codes waiting at once from one address (a clinic's screens behind its one router): a script
# at one address cannot take the 500 and keep every other clinic's new screens out for an hour.
MOST_FROM_ONE_ADDRESS = 12
COOKIE = "kiosk_joining"


class TooManyWaiting(Exception):
    """More new screens are waiting than any install has: someone is making codes in a loop."""


def as_shown(code: str) -> str:
    """The code as the screen shows it: two groups of three, e.g. 'KMT 4XR'."""
    return f"{code[:3]} {code[3:]}"


def as_typed(text: str) -> str:
    """What staff typed, as the code is kept: upper case, without spaces or dashes."""
    return "".join(text.split()).replace("-", "").upper()


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


def _fresh():
    return PairingCode.created_at >= utcnow() - LASTS


def this_browsers(session) -> PairingCode | None:
    """The code this browser shows, while it lasts (named or not); None if it has none."""
    key = request.cookies.get(COOKIE)
    if not key:
        return None
    return session.scalar(select(PairingCode).where(
        PairingCode.browser_key == _digest(key), _fresh()))


def new_code(session) -> tuple[PairingCode, str]:
    """A new code for this browser, and the key its cookie holds (the caller sets it)."""
    session.execute(delete(PairingCode).where(~_fresh()))
    here = address_key()
    waiting = select(func.count()).select_from(PairingCode)
    if (session.scalar(waiting) >= MOST_WAITING or session.scalar(
            waiting.where(PairingCode.address_key == here,
                          PairingCode.screen_id.is_(None))) >= MOST_FROM_ONE_ADDRESS):
        session.commit()
        raise TooManyWaiting
    key = secrets.token_urlsafe(32)
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        if session.scalar(select(PairingCode.id).filter_by(code=code)) is None:
            break
    row = PairingCode(code=code, browser_key=_digest(key), address_key=here)
    session.add(row)
    session.commit()
    return row, key


def remember(response, key: str):
    response.set_cookie(COOKIE, key, max_age=int(LASTS.total_seconds()) * 2,
                        path=url_for("display.default_screen"), secure=request.is_secure,
                        httponly=True, samesite="Strict")
    return response


def waiting(session, typed: str) -> PairingCode | None:
    """The unnamed, fresh code staff typed, or None."""
    code = as_typed(typed)
    return session.scalar(select(PairingCode).where(
        PairingCode.code == code, PairingCode.screen_id.is_(None), _fresh()))


def name(row: PairingCode, screen: Screen):
    """Give the waiting browser its screen (the caller commits); it has an hour to notice."""
    row.screen = screen
    row.created_at = utcnow()
