"""The first admin, made in the browser from the one-time set-up link the server printed in
its terminal (kiosk/setup_link.py: how the link is made, shared by every worker and spent), and
the sign-in page's word that there is no account yet.

A wrong token is a page that does not exist (404). Once any account exists the link is spent:
its token gets "this link has been used" (410), whoever sends it, however many browsers race.
No throttle: a token of 256 random bits cannot be guessed, and a weak password refused here
is no failed sign-in to count.
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, ValidationError

from kiosk import accounts, audit, setup_link
from kiosk.db import get_session
from kiosk.staff import bp, sessions, throttle
from kiosk.staff.forms import InWords, _l


class FirstAdminForm(InWords, FlaskForm):
    username = StringField(_l("Username"), validators=[InputRequired(_l("Choose a username.")),
                                                       Length(max=40)])
    password = PasswordField(_l("Password"),
                             validators=[InputRequired(_l("Choose a password."))])
    again = PasswordField(_l("Password again"), validators=[
        InputRequired(_l("Type the password again.")),
        EqualTo("password", _l("The two passwords are not the same."))])

    def validate_username(self, field):
        problem = accounts.username_problem(self.chosen_username)
        if problem:
            raise ValidationError(problem)

    def validate_password(self, field):
        problem = accounts.password_problem(self.chosen_username, field.data)
        if problem:
            raise ValidationError(problem)

    @property
    def chosen_username(self) -> str:
        return (self.username.data or "").strip().lower()


@bp.route("/setup/<token>", methods=["GET", "POST"])
def set_up(token):
    """The form for the first admin; once it is sent, that admin is signed in."""
    if not setup_link.opens(token):
        abort(404)
    session = get_session()
    if accounts.any_account(session):
        return link_used()
    form = FirstAdminForm()
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template("staff/set_up.html", form=form,
                               min_length=accounts.MIN_PASSWORD_LENGTH), status
    try:
        account = accounts.create_first_admin(session, form.chosen_username,
                                              form.password.data)
    except accounts.NotTheFirst:  # another browser sent the form first
        session.rollback()
        return link_used()
    audit.record(session, "account_added", actor="(set-up link)", target=account.username,
                 detail=account.role)
    session.commit()
    sessions.begin(account)
    flash(gettext("Welcome, %(name)s: you are the console's first admin. Add an account for "
                  "each of the others under Accounts.", name=account.username))
    return throttle.remember_device(redirect(url_for("staff.dashboard"), code=303), account)


def link_used():
    return render_template("staff/set_up.html", used=True), 410


@bp.context_processor
def no_account_yet():
    """On the sign-in page, before the first account: say how to make one."""
    if request.endpoint != "staff.login":
        return {}
    setup_link.offer_on_first_ask()
    return {"no_account_yet": not accounts.any_account(get_session())}
