"""Staff accounts: made from the command line, passwords kept as slow salted hashes."""

import re
import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from kiosk.db import get_session
from kiosk.models import ROLES, StaffAccount

MIN_PASSWORD_LENGTH = 10
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,39}")


class AccountError(ValueError):
    """A request for an account that cannot be met; the message says why."""


def password_problem(username: str, password: str) -> str | None:
    """Why `password` is too weak, or None when it will do."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"The password must be at least {MIN_PASSWORD_LENGTH} characters long."
    if len(set(password)) < 5:
        return "The password must use at least 5 different characters."
    if username.lower() in password.lower():
        return "The password must not contain the username."
    return None


def create_staff(session: Session, username: str, password: str, role: str = "staff"):
    """Add an account, or raise AccountError saying what is wrong with the request."""
    username = username.strip().lower()
    if not USERNAME.fullmatch(username):
        raise AccountError(
            "A username is 2 to 40 characters: lowercase letters, digits, '.', '_' or '-'."
        )
    if role not in ROLES:
        raise AccountError(f"The role must be one of: {', '.join(ROLES)}.")
    if session.scalar(select(StaffAccount).filter_by(username=username)) is not None:
        raise AccountError(f"A staff account named {username!r} already exists.")
    problem = password_problem(username, password)
    if problem:
        raise AccountError(problem)
    account = StaffAccount(
        username=username, password_hash=generate_password_hash(password), role=role
    )
    session.add(account)
    session.commit()
    return account


def verify_password(account: StaffAccount, password: str) -> bool:
    return check_password_hash(account.password_hash, password)


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@click.command("add-staff")
@with_appcontext
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), default="staff", show_default=True)
def add_staff_command(username, role):
    """Create a staff account; the password comes from standard input or a prompt."""
    try:
        account = create_staff(get_session(), username, _read_password(), role)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created {account.role} account {account.username!r}.")


def init_app(app):
    app.cli.add_command(add_staff_command)
