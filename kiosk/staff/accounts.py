"""Staff accounts in the console: admins add, change, deactivate and reset accounts; everyone
changes their own password. Every change is in the audit log, and every change that alters
what an account may do ends its sessions at once."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import EqualTo, InputRequired, Length

from kiosk import accounts, audit
from kiosk.db import get_or_404, get_session
from kiosk.models import Clinic, StaffAccount
from kiosk.schedule import clinic_timezone
from kiosk.staff import bp, require_admin, sessions, throttle
from kiosk.staff.access import clinics_for, is_organisation_admin, membership_query
from kiosk.staff.forms import ClinicPicking, InWords, _l
from kiosk.web.security import too_many_tries

ROLE_LABELS = [
    SelectChoice("staff", _l("Staff: stretches, routines, screens, patient sheets")),
    SelectChoice("admin", _l("Admin: also clinic settings, accounts, backups, the audit log")),
]
# With several clinics: what the account does at the clinic picked, or for the organisation.
GROUP_ROLE_LABELS = [
    SelectChoice("staff", _l("Staff: the clinic's screens and patient sheets")),
    SelectChoice("clinic-admin", _l("Clinic admin: also the clinic's settings and staff "
                                    "accounts")),
    SelectChoice("admin", _l("Organisation admin: the library, every clinic, accounts, export")),
]
AT_CLINIC = [SelectChoice("staff", _l("Staff")), SelectChoice("admin", _l("Clinic admin")),
             SelectChoice("", _l("Not at this clinic"))]


class NewAccountForm(ClinicPicking):
    username = StringField(_l("Username"), validators=[
        InputRequired(_l("Give the account a name.")), Length(max=40)])
    role = SelectField(_l("Role"), choices=ROLE_LABELS)
    library = BooleanField(_l("Also edits the library: stretches and the routines every clinic "
                              "shows"))

    def offer(self, account) -> None:
        """The roles and clinics the signed-in admin may give: on a one-clinic install, as it
        has always been; with several clinics, a clinic's role at one of theirs, or (for the
        organisation's admin) the organisation's, and the library's right."""
        organisation = is_organisation_admin(account)
        self.group = Clinic.several(get_session())
        self.offer_clinics(clinics_for(account, admin=True))
        if self.group:
            self.role.choices = GROUP_ROLE_LABELS[:None if organisation else 2]
        else:
            self.role.choices = ROLE_LABELS[:None if organisation else 1]
        if not (self.group and organisation):
            del self.library

    def account(self) -> dict:
        """The new account's role, clinics and library right, as create_staff takes them."""
        if not self.group or self.role.data == "admin":
            return {"role": self.role.data}
        role = "admin" if self.role.data == "clinic-admin" else "staff"
        return {"role": "staff", "clinics": {self.picked_clinic().id: role},
                "edits_library": "library" in self and self.library.data}


class RoleForm(InWords, FlaskForm):
    role = SelectField(_l("Role"), choices=ROLE_LABELS)


class MembershipForm(InWords, FlaskForm):
    clinic = SelectField(_l("Clinic"))
    role = SelectField(_l("Works there as"), choices=AT_CLINIC)


class OwnPasswordForm(InWords, FlaskForm):
    current = PasswordField(_l("Current password"),
                            validators=[InputRequired(_l("Type your current password."))])
    new = PasswordField(_l("New password"),
                        validators=[InputRequired(_l("Choose a new password."))])
    again = PasswordField(_l("New password again"), validators=[
        InputRequired(_l("Type the new password again.")),
        EqualTo("new", _l("The two new passwords are not the same."))])


def get_account_or_404(account_id: int) -> StaffAccount:
    return get_or_404(StaffAccount, account_id, gettext("There is no such staff account."))


@bp.get("/accounts")
def account_list():
    require_admin()
    form = NewAccountForm()
    form.offer(g.staff)
    return accounts_page(form)


def accounts_page(form: NewAccountForm, status: int = 200, temporary: tuple | None = None):
    """Every account (the organisation's admin), or those of the clinics a clinic's admin
    runs; each with where it works."""
    query = select(StaffAccount).order_by(StaffAccount.active.desc(), StaffAccount.username)
    if not is_organisation_admin(g.staff):
        theirs = [clinic.id for clinic in clinics_for(g.staff, admin=True)]
        query = query.where(StaffAccount.id.in_(membership_query(theirs)))
    names = dict(get_session().execute(select(Clinic.id, Clinic.name)).all())
    return render_template("staff/accounts.html", accounts=get_session().scalars(query).all(),
                           form=form, temporary=temporary, clinic_names=names), status


@bp.post("/accounts")
def add_account():
    """A new account with a temporary password, shown once here for the admin to hand over."""
    require_admin()
    form = NewAccountForm()
    form.offer(g.staff)
    if not form.validate_on_submit():
        return accounts_page(form, 422)
    session = get_session()
    username = form.username.data.strip().lower()
    password = accounts.temporary_password(username)
    try:
        account = accounts.create_staff(session, username, password, **form.account(),
                                        temporary=True, commit=False)
    except accounts.AccountError as error:
        session.rollback()
        form.username.errors.append(str(error))
        return accounts_page(form, 422)
    audit.record(session, "account_added", target=account.username,
                 detail=accounts.describe(session, account))
    session.commit()
    fresh = NewAccountForm(formdata=None)
    fresh.offer(g.staff)
    return accounts_page(fresh, 201, (account.username, password))


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
    group = Clinic.several(get_session())
    if group:
        form.role.choices = [GROUP_ROLE_LABELS[2],
                             SelectChoice("staff", gettext("Works at the clinics below"))]
    theirs = clinics_for(g.staff, admin=True)
    membership = MembershipForm(formdata=None)
    membership.clinic.choices = [SelectChoice(c.slug, c.name) for c in theirs]
    return render_template(
        "staff/account.html", record=record, form=form, error=error, temporary=temporary,
        events=events, actions=audit.ACTIONS, zone=clinic_timezone(), group=group,
        membership=membership, organisation=is_organisation_admin(g.staff),
        clinic_names={c.id: c.name for c in get_session().scalars(select(Clinic))},
    ), 422 if error else 200


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
    """The organisation's admin, or not: only the organisation's admin decides."""
    if not is_organisation_admin(g.staff):
        abort(403, description=gettext("Only the organisation's admin changes this."))
    form = RoleForm()
    role = form.role.data if form.validate_on_submit() else request.form.get("role", "")
    return account_change(
        account_id, lambda session, record: accounts.change_role(session, record, role),
        "role_changed", role,
        gettext("The role is now %(role)s. The account was signed out everywhere, so it takes "
                "effect at once.", role=role))


@bp.post("/accounts/<int:account_id>/clinics")
def change_membership(account_id):
    """Where the account works, and as what: at one of the clinics this admin runs."""
    theirs = {c.slug: c for c in clinics_for(g.staff, admin=True)}
    clinic, role = theirs.get(request.form.get("clinic", "")), request.form.get("role", "")

    def change(session, record):
        if clinic is None or role not in {"", "staff", "admin"}:
            raise accounts.AccountError(gettext("Pick one of the clinics shown, and a role "
                                                "there."))
        accounts.set_membership(session, record, clinic.id, role or None)

    # The audit log's detail stays as written; the flash says the same in the console's words.
    said = {"staff": "works at {} as staff", "admin": "is an admin of {}",
            "": "no longer works at {}"}.get(role, "{}")
    name = clinic.name if clinic else ""
    done = {
        "staff": gettext("The account works at %(clinic)s as staff. It was signed out "
                         "everywhere, so this takes effect at once.", clinic=name),
        "admin": gettext("The account is an admin of %(clinic)s. It was signed out everywhere, "
                         "so this takes effect at once.", clinic=name),
        "": gettext("The account no longer works at %(clinic)s. It was signed out everywhere, "
                    "so this takes effect at once.", clinic=name),
    }.get(role, "")
    return account_change(account_id, change, "clinic_changed", said.format(name), done)


@bp.post("/accounts/<int:account_id>/library")
def change_library(account_id):
    """Whether the account edits the library: the organisation's admin decides."""
    if not is_organisation_admin(g.staff):
        abort(403, description=gettext("Only the organisation's admin changes this."))
    edits = request.form.get("edits_library") == "1"
    return account_change(
        account_id, lambda session, record: accounts.set_edits_library(session, record, edits),
        "library_changed", "edits the library" if edits else "does not edit the library",
        gettext("The account now edits the library.") if edits else
        gettext("The account no longer edits the library."))


@bp.post("/accounts/<int:account_id>/deactivate")
def deactivate_account(account_id):
    return account_change(
        account_id, lambda session, record: accounts.set_active(session, record, False),
        "account_deactivated", "",
        gettext("The account is deactivated and signed out everywhere: it cannot sign in any "
                "more."))


@bp.post("/accounts/<int:account_id>/reactivate")
def reactivate_account(account_id):
    return account_change(
        account_id, lambda session, record: accounts.set_active(session, record, True),
        "account_reactivated", "", gettext("The account is active again and can sign in."))


@bp.post("/accounts/<int:account_id>/sign-out")
def sign_out_account(account_id):
    return account_change(
        account_id, lambda _session, record: sessions.end_everywhere(record),
        "signed_out_everywhere", "", gettext("The account is signed out on every device."))


@bp.post("/accounts/<int:account_id>/password")
def reset_password(account_id):
    """A temporary password, shown once; every session of the account ends."""
    require_admin()
    session = get_session()
    record = get_account_or_404(account_id)
    if record.id == g.staff.id:
        # A borrowed session must not get a password without knowing the current one.
        return account_page(record, gettext("To change your own password, use Your password: "
                                            "it asks for the one you have now."))
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
            form.current.errors.append(gettext("That is not your current password."))
        else:
            throttle.forgive(counted)
            if form.new.data == form.current.data:
                form.new.errors.append(gettext("Choose a password other than the one you have "
                                               "now."))
            else:
                try:
                    accounts.set_password(me, form.new.data)
                except accounts.AccountError as error:
                    form.new.errors.append(str(error))
                else:
                    audit.record(get_session(), "password_changed", target=me.username)
                    get_session().commit()
                    sessions.begin(me)
                    flash(gettext("Your password is changed. Any other device signed in as "
                                  "you has been signed out."))
                    return redirect(url_for("staff.dashboard"), code=303)
            get_session().commit()  # the right current password was no wrong guess
    status = 422 if form.errors else 200
    return render_template("staff/own_account.html", form=form, me=me,
                           min_length=accounts.MIN_PASSWORD_LENGTH), status
