"""Signing in and out of the console; refused attempts are throttled per address and account
(throttle.py)."""

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from kiosk.accounts import verify_password
from kiosk.db import get_session
from kiosk.models import StaffAccount
from kiosk.security import too_many_tries
from kiosk.staff import bp, throttle


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[InputRequired(), Length(max=40)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=200)])


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if request.method == "POST":
        wait = throttle.seconds_to_wait(request.form.get("username", ""))
        if wait:
            return too_many_tries(wait)
    if form.validate_on_submit():
        username = form.username.data.strip().lower()
        account = get_session().scalar(select(StaffAccount).filter_by(username=username))
        if account is not None and account.active and verify_password(account, form.password.data):
            session.clear()
            session.permanent = True
            session["staff_id"] = account.id
            return redirect(_safe_next(request.args.get("next")), code=303)
        form.password.errors.append("That username and password do not match an account.")
    if request.method == "POST":
        throttle.count_refusal(request.form.get("username", ""))
        return render_template("staff/login.html", form=form), 401
    return render_template("staff/login.html", form=form)


def _safe_next(target: str | None) -> str:
    """Go back where the person was going, but only within the console."""
    if target and not urlsplit(target).netloc and target.startswith("/staff"):
        return target
    return url_for("staff.dashboard")


@bp.post("/logout")
def logout():
    session.clear()
    flash("You have signed out.")
    return redirect(url_for("staff.login"), code=303)
