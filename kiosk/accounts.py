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
from kiosk.models import ROLES, StaffAccount, new_key, utcnow

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
                 temporary: bool = False, commit: bool = True):
    """Add an account, or raise AccountError saying what is wrong with the request."""
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
    account = StaffAccount(username=username, password_hash=generate_password_hash(password),
                           role=role, must_change_password=temporary)
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
    """A new role (its sessions end, so it takes effect at once), never the last admin's."""
    if role not in ROLES:
        raise AccountError(f"The role must be one of: {', '.join(ROLES)}.")
    _change(session, account, "role", role)


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
@click.option("--role", type=click.Choice(ROLES), default="staff", show_default=True)
@needs_current_schema
def add_staff_command(username, role):
    """Create a staff account; the password comes from standard input or a prompt."""
    session = get_session()
    try:
        account = create_staff(session, username, _read_password(), role, commit=False)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    audit.record(session, "account_added", actor="(command line)", target=account.username,
                 detail=account.role)
    session.commit()
    click.echo(f"Created {account.role} account {account.username!r}.")


def init_app(app):
    app.cli.add_command(add_staff_command)
