"""Pairing: the console believes a screen's reports only when they come from the screen itself.

A screen's address is public: anyone in the waiting room or on the clinic Wi-Fi can open it,
so nothing in the page can tell the screen from a phone. Staff open the screen's pairing link
(/display/<slug>/pair/<report key>, shown in the console) once on the screen itself, or put it
in the kiosk launcher; the browser then holds a cookie, for that screen's address only, signed
with the screen's report key. Only requests carrying it count as proof of life. "Pair again"
gives the screen a new key, and every cookie signed with the old one stops counting.

The cookie is signed with the report key rather than the app's secret: whoever can read the key
can pair a browser anyway, and so a backup restored on a new machine keeps its screens paired.
"""

import hmac
from datetime import UTC, datetime, timedelta

from flask import request, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "kiosk_screen"
# Chromium keeps no cookie longer than 400 days; a paired screen gets a fresh one on every page
# load, and from its polls once a day, so a screen left running for years stays paired.
LIFETIME = timedelta(days=400)
RENEW_AFTER = timedelta(days=1)


def _signer(report_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(report_key, salt="kiosk-screen-pairing")


def key_matches(screen, key: str) -> bool:
    """Whether `key` (from a pairing link) is the screen's report key now."""
    return hmac.compare_digest(key.encode("utf-8", "replace"), screen.report_key.encode())


def paired_since(screen) -> datetime | None:
    """When this browser was last given its cookie for `screen`'s key now; None if it holds none.

    `screen` is a Screen, or a row with its id and report_key (fragments.SCREEN_STATE).
    """
    value = request.cookies.get(COOKIE)
    if not value:
        return None
    try:
        screen_id, issued = _signer(screen.report_key).loads(
            value, max_age=LIFETIME.total_seconds(), return_timestamp=True)
    except BadSignature:
        return None
    return issued if screen_id == screen.id else None


def is_paired(screen) -> bool:
    return paired_since(screen) is not None


def pair(response, screen):
    """Make (or make anew) this browser's cookie for `screen`, sent back on its address only."""
    response.set_cookie(
        COOKIE, _signer(screen.report_key).dumps(screen.id),
        max_age=int(LIFETIME.total_seconds()),
        path=url_for("display.screen", slug=screen.slug),
        secure=request.is_secure, httponly=True, samesite="Strict",
    )
    # Whatever shared cache may sit on the way must not hand this cookie to another browser.
    response.cache_control.private = True
    return response


def renew(response, screen, after: timedelta = RENEW_AFTER):
    """A paired browser's cookie, made anew when it is older than `after`, so it never lapses."""
    since = paired_since(screen)
    if since is not None and datetime.now(UTC) - since >= after:
        pair(response, screen)
    return response
