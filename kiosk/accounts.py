"""Staff accounts: passwords kept as slow salted hashes, roles, and the add-staff command."""

import functools
import re
import secrets
import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from kiosk import audit
from kiosk.db import get_session, needs_current_schema
from kiosk.models import (
    MEMBER_ROLES,
    ROLES,
    Clinic,
    ClinicMembership,
    StaffAccount,
    new_key,
    utcnow,
)

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
# No 0/O, 1/l/I: a temporary password is read out or copied by hand.
READABLE = "abcdefghijkmnpqrstuvwxyz23456789"
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,39}")
LAST_ADMIN = ("This is the only active admin account: make another account an admin first, "
              "so someone can still manage accounts and settings.")


class AccountError(ValueError):
    """A request for an account that cannot be met; the message says why."""


class NotTheFirst(AccountError):
    """The first account was asked for, but an account exists already."""


def username_problem(username: str) -> str | None:
    """Why `username` (already stripped and lowercased) will not do, or None when it will."""
    if not USERNAME.fullmatch(username):
        return "A username is 2 to 40 characters: lowercase letters, digits, '.', '_' or '-'."
    return None


def password_problem(username: str, password: str) -> str | None:
    """Why `password` is too weak, or None when it will do."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"The password must be at least {MIN_PASSWORD_LENGTH} characters long."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"The password must be at most {MAX_PASSWORD_LENGTH} characters long."
    if len(set(password)) < 5:
        return "The password must use at least 5 different characters."
    if username.lower() in password.lower():
        return "The password must not contain the username."
    return None


def create_staff(session: Session, username: str, password: str, role: str = "staff", *,
                 clinics: dict[int, str] | None = None, edits_library: bool | None = None,
                 temporary: bool = False, commit: bool = True):
    """Add an account, or raise AccountError saying what is wrong with the request.

    A "staff" account works at `clinics` ({clinic id: "staff" or "admin"}); not given, at the
    one clinic of a one-clinic install. It edits the library as asked; not asked, when the
    install has one clinic (as every account of a one-clinic install does)."""
    username = username.strip().lower()
    problem = username_problem(username)
    if problem:
        raise AccountError(problem)
    if role not in ROLES:
        raise AccountError(f"The role must be one of: {', '.join(ROLES)}.")
    if session.scalar(select(StaffAccount).filter_by(username=username)) is not None:
        raise AccountError(f"A staff account named {username!r} already exists.")
    problem = password_problem(username, password)
    if problem:
        raise AccountError(problem)
    all_clinics = session.scalars(select(Clinic.id).order_by(Clinic.id)).all()
    if role == "admin":
        clinics = {}
    elif clinics is None:
        if len(all_clinics) > 1:
            raise AccountError("Say which clinic the account works at.")
        clinics = dict.fromkeys(all_clinics, "staff")
    if any(c not in all_clinics or r not in MEMBER_ROLES for c, r in clinics.items()):
        raise AccountError("Pick the account's clinics, and staff or admin at each.")
    if edits_library is None:
        edits_library = len(all_clinics) <= 1
    account = StaffAccount(
        username=username, password_hash=generate_password_hash(password), role=role,
        must_change_password=temporary, edits_library=edits_library or role == "admin",
        memberships=[ClinicMembership(clinic_id=c, role=r) for c, r in clinics.items()])
    session.add(account)
    if commit:
        session.commit()
    return account


def any_account(session: Session) -> bool:
    return session.scalar(select(StaffAccount.id).limit(1)) is not None


def create_first_admin(session: Session, username: str, password: str) -> StaffAccount:
    """The install's first account, an admin (the caller commits); NotTheFirst if any account
    exists. The check and the insert are one transaction that holds new accounts back until
    it ends, so two set-up forms sent at once make one admin, never two (SQLite: the first
    write takes its one write lock; PostgreSQL: a lock that conflicts with itself and with
    writers)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE staff_account IN SHARE ROW EXCLUSIVE MODE"))
    else:
        session.execute(update(StaffAccount).where(StaffAccount.id < 0)
                        .values(role=StaffAccount.role))
    if any_account(session):
        raise NotTheFirst("The first account has been made already.")
    return create_staff(session, username, password, "admin", commit=False)


def verify_password(account: StaffAccount | None, password: str) -> bool:
    """Whether `password` is the account's; with no account, as slow as if there were one."""
    if account is None:
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(account.password_hash, password)


@functools.cache
def _dummy_hash() -> str:
    return generate_password_hash(secrets.token_hex(16))


def set_password(account: StaffAccount, password: str, *, temporary: bool = False):
    """Give `account` a new password (checked first) and end all its sessions."""
    problem = password_problem(account.username, password)
    if problem:
        raise AccountError(problem)
    account.password_hash = generate_password_hash(password)
    account.must_change_password = temporary
    account.password_changed_at = utcnow()
    account.session_key = new_key()


def end_all_sessions(session: Session):
    """End every session of every account (the caller commits): after an import."""
    for account_id in session.scalars(select(StaffAccount.id)).all():
        session.execute(update(StaffAccount).where(StaffAccount.id == account_id)
                        .values(session_key=new_key()))


def temporary_password(username: str) -> str:
    """A password an admin reads out once (four groups of four letters and digits, 80 random
    bits); its owner must choose their own at the next sign-in."""
    while True:
        letters = "".join(secrets.choice(READABLE) for _ in range(16))
        password = "-".join(letters[i:i + 4] for i in range(0, 16, 4))
        if password_problem(username, password) is None:
            return password


def active_admins(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(StaffAccount)
                          .where(StaffAccount.role == "admin", StaffAccount.active)) or 0


def _one_account_change_at_a_time(session: Session, account: StaffAccount):
    """Hold the accounts still until commit, so two admins demoting each other at the same
    moment cannot both see "another admin is left" (SQLite: the first write takes its one write
    lock; PostgreSQL: the admins' rows are locked, and read again when a change before commits).
    The account is read afresh under the lock."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(StaffAccount.id).where(StaffAccount.role == "admin")
                        .with_for_update())
    else:
        session.execute(update(StaffAccount).where(StaffAccount.id == account.id)
                        .values(role=StaffAccount.role))
    session.refresh(account)


def _keep_an_admin(session: Session):
    session.flush()
    if active_admins(session) < 1:
        raise AccountError(LAST_ADMIN)


def change_role(session: Session, account: StaffAccount, role: str):
    """A new role (its sessions end, so it takes effect at once), never the last admin's. An
    admin made staff on a one-clinic install works at its clinic, as staff always have."""
    if role not in ROLES:
        raise AccountError(f"The role must be one of: {', '.join(ROLES)}.")
    _change(session, account, "role", role)
    clinics = session.scalars(select(Clinic.id)).all()
    if role == "staff" and not account.memberships and len(clinics) == 1:
        account.memberships.append(ClinicMembership(clinic_id=clinics[0], role="staff"))


def set_membership(session: Session, account: StaffAccount, clinic_id: int, role: str | None):
    """The account works at the clinic as `role` ("staff" or "admin"), or no more (None); its
    sessions end, so it takes effect at once."""
    if role is not None and role not in MEMBER_ROLES:
        raise AccountError(f"The role at a clinic must be one of: {', '.join(MEMBER_ROLES)}.")
    _one_account_change_at_a_time(session, account)
    held = next((m for m in account.memberships if m.clinic_id == clinic_id), None)
    if role is None and held is not None:
        account.memberships.remove(held)
    elif held is not None:
        held.role = role
    elif role is not None:
        account.memberships.append(ClinicMembership(clinic_id=clinic_id, role=role))
    account.session_key = new_key()


def set_edits_library(session: Session, account: StaffAccount, edits: bool):
    _change(session, account, "edits_library", edits)


def set_active(session: Session, account: StaffAccount, active: bool):
    """Deactivate (signing it out everywhere) or reactivate an account, never the last admin."""
    _change(session, account, "active", active)


def _change(session: Session, account: StaffAccount, field: str, value):
    """Set what the account may do; its sessions end, and an active admin must remain."""
    _one_account_change_at_a_time(session, account)
    if getattr(account, field) == value:
        return
    setattr(account, field, value)
    account.session_key = new_key()
    _keep_an_admin(session)


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@click.command("add-staff")
@with_appcontext
@click.argument("username")
@click.option("--role", type=click.Choice(MEMBER_ROLES), default="staff", show_default=True,
              help="At the clinics named: staff, or the clinic's admin.")
@click.option("--clinic", "clinic_slugs", multiple=True,
              help="A clinic the account works at (repeat for several); on an install with "
                   "one clinic, that one.")
@click.option("--organisation", is_flag=True,
              help="The organisation's admin: the library, every clinic, accounts, export.")
@click.option("--library/--no-library", default=None,
              help="Edits the library's stretches and routines (default: on an install with "
                   "one clinic).")
@needs_current_schema
def add_staff_command(username, role, clinic_slugs, organisation, library):
    """Create a staff account; the password comes from standard input or a prompt.

    On an install with one clinic, --role admin makes the install's admin, as always."""
    session = get_session()
    try:
        role, clinics = _cli_role(session, role, clinic_slugs, organisation)
        account = create_staff(session, username, _read_password(), role, clinics=clinics,
                               edits_library=library, commit=False)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    described = describe(session, account)
    audit.record(session, "account_added", actor="(command line)", target=account.username,
                 detail=described)
    session.commit()
    click.echo(f"Created {account.role} account {account.username!r} ({described}).")


def _cli_role(session: Session, role: str, clinic_slugs, organisation: bool):
    """The account role and memberships add-staff's options ask for."""
    slugs = dict(session.execute(select(Clinic.slug, Clinic.id)).all())
    if organisation:
        if clinic_slugs:
            raise AccountError("The organisation's admin works at every clinic: leave out "
                               "--clinic.")
        return "admin", None
    unknown = [slug for slug in clinic_slugs if slug not in slugs]
    if unknown:
        raise AccountError(f"There is no clinic {unknown[0]!r}; `flask --app kiosk urls` "
                           "lists them.")
    if not clinic_slugs:
        if len(slugs) > 1:
            raise AccountError(f"Name the clinic: --clinic SLUG (one of {', '.join(sorted(slugs))}"
                               "), or --organisation for the organisation's admin.")
        if role == "admin":
            return "admin", None  # a one-clinic install's admin, as it has always been
        return "staff", None
    return "staff", {slugs[slug]: role for slug in clinic_slugs}


def describe(session: Session, account: StaffAccount) -> str:
    """What an account may do, in words: 'organisation admin', 'staff at North Lakes'."""
    session.flush()
    names = dict(session.execute(select(Clinic.id, Clinic.name)).all())
    if account.role == "admin":
        return "organisation admin" if len(names) > 1 else "admin"
    parts = [f"{m.role} at {names[m.clinic_id]}" for m in account.memberships]
    if account.edits_library:
        parts.append("edits the library")
    return ", ".join(parts) or "no clinic yet"


def init_app(app):
    app.cli.add_command(add_staff_command)
