"""Who may change things: signed session cookies, CSRF tokens on every change, and the page
for sign-ins held back by the throttle (kiosk/staff/throttle.py)."""

from datetime import timedelta

from flask import render_template, request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError, CSRFProtect

csrf = CSRFProtect()


class SessionInterface(SecureCookieSessionInterface):
    """Signed cookie sessions, marked Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app):
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def from_this_site(when_unknown: bool) -> bool:
    """Whether a post without a session (a patient's sheet has none, so no CSRF token) came
    from a page of this app, as the browser says: Sec-Fetch-Site, which current browsers send,
    must be same-origin; else Origin must be this app's. An older browser may send neither, or
    Origin "null" (it does for any form on a no-referrer page, as a patient's sheet is): then
    `when_unknown` decides."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        return origin.lower() == request.host_url.rstrip("/").lower()
    return when_unknown


def csrf_refused(error: CSRFError):
    message = (
        "This form had expired or came from somewhere else, so nothing was changed. "
        "Reload the page and try again."
    )
    page = render_template("errors/error.html", code=400, title="Please try again", message=message)
    return page, 400


def too_many_tries(seconds: int):
    """The answer to a sign-in tried while the throttle holds: 429, and when to try again."""
    message = (
        "There were too many tries to sign in from here in a short time, so this one was not "
        "checked. Wait a minute and try again, or ask an admin to check your account."
    )
    page = render_template("errors/error.html", code=429, title="Too many tries",
                           message=message)
    return page, 429, {"Retry-After": str(seconds)}


def init_app(app):
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # A console left alone signs itself out (kiosk/staff/sessions.py has the absolute limit).
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=app.config["SESSION_IDLE_MINUTES"]),
        # A staff member may keep a form open all morning: the token lives as long as the session.
        WTF_CSRF_TIME_LIMIT=None,
    )
    app.session_interface = SessionInterface()
    csrf.init_app(app)
    app.register_error_handler(CSRFError, csrf_refused)
