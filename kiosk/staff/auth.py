"""Signing in and out of the console; tries are throttled per address, account and browser
(throttle.py), and every sign-in, refusal and sign-out is in the audit log."""

from urllib.parse import urlsplit

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from kiosk import audit
from kiosk.accounts import verify_password
from kiosk.db import get_session
from kiosk.languages import N_
from kiosk.models import StaffAccount
from kiosk.staff import bp, sessions, throttle
from kiosk.staff.forms import _l
from kiosk.web.security import too_many_tries

MISMATCH = N_("That username and password do not match an account.")


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[InputRequired(), Length(max=40)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=200)])


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if not form.validate_on_submit():
        status = 401 if request.method == "POST" else 200
        return render_template("staff/login.html", form=form), status
    username = form.username.data.strip().lower()
    counted = throttle.admit(username)
    if counted.wait:
        return too_many_tries(counted.wait)
    account = get_session().scalar(select(StaffAccount).filter_by(username=username))
    # The hash is checked whether or not the account exists, so the time taken tells nothing.
    if verify_password(account, form.password.data) and account.active:
        return signed_in(account, counted)
    reason = "wrong password" if account and account.active else "no such active account"
    if account is not None or not audit.strangers_logged_this_hour(get_session()):
        audit.record_sign_in(get_session(), "sign_in_refused",
                             actor=account.username if account else "", detail=reason)
    form.password.errors.append(gettext(MISMATCH))
    return render_template("staff/login.html", form=form), 401


def signed_in(account: StaffAccount, counted: throttle.Try):
    audit.record_sign_in(get_session(), "sign_in", also=lambda: throttle.forgive(counted),
                         actor=account.username)
    sessions.begin(account)
    target = safe_next(request.args.get("next"))
    if account.must_change_password:
        target = url_for("staff.own_account")
    return throttle.remember_device(redirect(target, code=303), account)


def safe_next(target: str | None) -> str:
    """Go back where the person was going, but only to a plain address within the console."""
    console = url_for("staff.dashboard").rstrip("/")
    if (target and target.isascii() and target.isprintable() and "\\" not in target
            and not urlsplit(target).netloc and not target.startswith("//")
            and (target == console or target.startswith((console + "/", console + "?")))):
        return target
    return url_for("staff.dashboard")


@bp.post("/logout")
def logout():
    """Sign out: every session of this account ends, on every device."""
    account = g.staff
    audit.record_sign_in(get_session(), "sign_out",
                         also=lambda: sessions.end_everywhere(account))
    sessions.end_here()
    flash(gettext("You have signed out."))
    return redirect(url_for("staff.login"), code=303)
