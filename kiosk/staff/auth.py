"""Signing in and out of the console; failed attempts are throttled per address and account."""

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from kiosk.accounts import verify_password
from kiosk.db import get_session
from kiosk.models import StaffAccount
from kiosk.security import limiter
from kiosk.staff import bp


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[InputRequired(), Length(max=40)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=200)])


def _failed(response) -> bool:
    """Only refused sign-ins count towards the limits: a right password is never throttled."""
    return request.method == "POST" and response.status_code != 303


def _account_key() -> str:
    return "account:" + request.form.get("username", "").strip().lower()[:40]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("5 per minute;30 per hour", methods=["POST"], deduct_when=_failed)
@limiter.limit("10 per 15 minutes", methods=["POST"], key_func=_account_key, deduct_when=_failed)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        username = form.username.data.strip().lower()
        account = get_session().scalar(select(StaffAccount).filter_by(username=username))
        if account is not None and account.active and verify_password(account, form.password.data):
            session.clear()
            session.permanent = True
            session["staff_id"] = account.id
            return redirect(_safe_next(request.args.get("next")), code=303)
        form.password.errors.append("That username and password do not match an account.")
    status = 401 if request.method == "POST" else 200
    return render_template("staff/login.html", form=form), status


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
