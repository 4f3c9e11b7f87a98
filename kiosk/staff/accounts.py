"""Staff accounts in the console: admins add, change, deactivate and reset accounts; everyone
changes their own password. Every change is in the audit log, and every change that alters
what an account may do ends its sessions at once."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import EqualTo, InputRequired, Length

from kiosk import accounts, audit
from kiosk.db import get_or_404, get_session
from kiosk.models import StaffAccount
from kiosk.schedule import clinic_timezone
from kiosk.staff import bp, require_admin, sessions, throttle
from kiosk.web.security import too_many_tries

ROLE_LABELS = [
    SelectChoice("staff", "Staff: stretches, routines, screens, patient sheets"),
    SelectChoice("admin", "Admin: also clinic settings, accounts, backups, the audit log"),
]


class NewAccountForm(FlaskForm):
    username = StringField("Username", validators=[InputRequired("Give the account a name."),
                                                   Length(max=40)])
    role = SelectField("Role", choices=ROLE_LABELS)


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_LABELS)


class OwnPasswordForm(FlaskForm):
    current = PasswordField("Current password",
                            validators=[InputRequired("Type your current password.")])
    new = PasswordField("New password", validators=[InputRequired("Choose a new password.")])
    again = PasswordField("New password again", validators=[
        InputRequired("Type the new password again."),
        EqualTo("new", "The two new passwords are not the same.")])


def get_account_or_404(account_id: int) -> StaffAccount:
    return get_or_404(StaffAccount, account_id, "There is no such staff account.")


@bp.get("/accounts")
def account_list():
    require_admin()
    return accounts_page(NewAccountForm())


def accounts_page(form: NewAccountForm, status: int = 200, temporary: tuple | None = None):
    everyone = get_session().scalars(
        select(StaffAccount).order_by(StaffAccount.active.desc(), StaffAccount.username)).all()
    return render_template("staff/accounts.html", accounts=everyone, form=form,
                           temporary=temporary), status


@bp.post("/accounts")
def add_account():
    """A new account with a temporary password, shown once here for the admin to hand over."""
    require_admin()
    form = NewAccountForm()
    if not form.validate_on_submit():
        return accounts_page(form, 422)
    session = get_session()
    username = form.username.data.strip().lower()
    password = accounts.temporary_password(username)
    try:
        account = accounts.create_staff(session, username, password, form.role.data,
                                        temporary=True, commit=False)
    except accounts.AccountError as error:
        session.rollback()
        form.username.errors.append(str(error))
        return accounts_page(form, 422)
    audit.record(session, "account_added", target=account.username, detail=account.role)
    session.commit()
    return accounts_page(NewAccountForm(formdata=None), 201, (account.username, password))


@bp.get("/accounts/<int:account_id>")
def account(account_id):
    require_admin()
    record = get_account_or_404(account_id)
    return account_page(record)


def account_page(record: StaffAccount, error: str | None = None, temporary: str | None = None):
    events = get_session().scalars(
        select(audit.AuditEvent)
        .where((audit.AuditEvent.actor == record.username)
               | (audit.AuditEvent.target == record.username))
        .order_by(audit.AuditEvent.id.desc()).limit(10)).all()
    form = RoleForm(formdata=None, role=record.role)
    return render_template("staff/account.html", record=record, form=form, error=error,
                           temporary=temporary, events=events, actions=audit.ACTIONS,
                           zone=clinic_timezone()), 422 if error else 200


def account_change(account_id: int, change, action: str, detail: str, done: str):
    """Apply `change(session, account)`, log it, and say so; or say why it cannot be done."""
    require_admin()
    session = get_session()
    record = get_account_or_404(account_id)
    mine, key_before = record.id == g.staff.id, record.session_key
    try:
        change(session, record)
    except accounts.AccountError as error:
        session.rollback()
        return account_page(get_account_or_404(account_id), str(error))
    audit.record(session, action, target=record.username, detail=detail)
    session.commit()
    if mine and record.session_key != key_before:  # the admin changed their own account
        sessions.end_here()
        flash(done)
        return redirect(url_for("staff.login"), code=303)
    flash(done)
    return redirect(url_for("staff.account", account_id=record.id), code=303)


@bp.post("/accounts/<int:account_id>/role")
def change_role(account_id):
    form = RoleForm()
    role = form.role.data if form.validate_on_submit() else request.form.get("role", "")
    return account_change(
        account_id, lambda session, record: accounts.change_role(session, record, role),
        "role_changed", role,
        f"The role is now {role}. The account was signed out everywhere, so it takes effect "
        f"at once.")


@bp.post("/accounts/<int:account_id>/deactivate")
def deactivate_account(account_id):
    return account_change(
        account_id, lambda session, record: accounts.set_active(session, record, False),
        "account_deactivated", "",
        "The account is deactivated and signed out everywhere: it cannot sign in any more.")


@bp.post("/accounts/<int:account_id>/reactivate")
def reactivate_account(account_id):
    return account_change(
        account_id, lambda session, record: accounts.set_active(session, record, True),
        "account_reactivated", "", "The account is active again and can sign in.")


@bp.post("/accounts/<int:account_id>/sign-out")
def sign_out_account(account_id):
    return account_change(
        account_id, lambda _session, record: sessions.end_everywhere(record),
        "signed_out_everywhere", "", "The account is signed out on every device.")


@bp.post("/accounts/<int:account_id>/password")
def reset_password(account_id):
    """A temporary password, shown once; every session of the account ends."""
    require_admin()
    session = get_session()
    record = get_account_or_404(account_id)
    if record.id == g.staff.id:
        # A borrowed session must not get a password without knowing the current one.
        return account_page(record, "To change your own password, use Your password: it asks "
                                    "for the one you have now.")
    password = accounts.temporary_password(record.username)
    accounts.set_password(record, password, temporary=True)
    audit.record(session, "password_reset", target=record.username)
    session.commit()
    return account_page(record, temporary=password)


@bp.route("/account", methods=["GET", "POST"])
def own_account():
    """Everyone: change your own password (the current one first)."""
    form = OwnPasswordForm()
    me = g.staff
    if form.validate_on_submit():
        # Guessing the current password with a borrowed session meets the sign-in's limits.
        counted = throttle.admit(me.username)
        if counted.wait:
            return too_many_tries(counted.wait)
        if not accounts.verify_password(me, form.current.data):
            form.current.errors.append("That is not your current password.")
        else:
            throttle.forgive(counted)
            if form.new.data == form.current.data:
                form.new.errors.append("Choose a password other than the one you have now.")
            else:
                try:
                    accounts.set_password(me, form.new.data)
                except accounts.AccountError as error:
                    form.new.errors.append(str(error))
                else:
                    audit.record(get_session(), "password_changed", target=me.username)
                    get_session().commit()
                    sessions.begin(me)
                    flash("Your password is changed. Any other device signed in as you has "
                          "been signed out.")
                    return redirect(url_for("staff.dashboard"), code=303)
            get_session().commit()  # the right current password was no wrong guess
    status = 422 if form.errors else 200
    return render_template("staff/own_account.html", form=form, me=me,
                           min_length=accounts.MIN_PASSWORD_LENGTH), status
