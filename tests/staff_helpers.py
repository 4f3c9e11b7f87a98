"""Signing in to the console in tests, through the real login form and its CSRF token, and the
console's forms as a browser sends them back."""

import re

from sqlalchemy import select

from kiosk.accounts import create_staff
from kiosk.db import Base, get_session
from kiosk.models import Stretch

PASSWORD = "stretch-slowly-2026"
# A second clinic, in Brisbane, as an installer adds it (flask add-clinic).
NORTH = ["add-clinic", "north-lakes", "--name", "Back in Balance North Lakes",
         "--phone", "07 3000 9999", "--timezone", "Australia/Brisbane"]


def add_staff(app, username="jade", role="staff", password=PASSWORD, **account):
    """An account; `account`: create_staff's clinics and edits_library."""
    with app.app_context():
        create_staff(get_session(), username, password, role, **account)


def token_from(page: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    return match.group(1)


def login(client, username="jade", password=PASSWORD, address="127.0.0.1"):
    page = client.get("/staff/login").get_data(as_text=True)
    return client.post(
        "/staff/login",
        data={"csrf_token": token_from(page), "username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def signed_in(app, role="staff", username=None, **account):
    """A test client signed in as a new account with `role` (and create_staff's `account`)."""
    username = username or role + "-account"
    add_staff(app, username, role, **account)
    client = app.test_client()
    response = login(client, username)
    assert response.status_code == 303, response.get_data(as_text=True)
    return client


def item_fields(rows) -> dict:
    """A routine's or a patient sheet's stretches as their form posts them: each row is
    (stretch id, hold, repetitions), the last two "" for the stretch's own."""
    fields = {}
    for n, (stretch_id, hold, repetitions) in enumerate(rows):
        fields |= {f"items-{n}-stretch": stretch_id, f"items-{n}-hold": hold,
                   f"items-{n}-repetitions": repetitions}
    return fields


def stretch(session, slug="neck-stretch") -> Stretch:
    session.expire_all()
    return session.scalar(select(Stretch).filter_by(slug=slug))


def stretch_form(client, stretch_id) -> dict:
    """The editor's fields as the browser would send them back."""
    from bench.serving import form_fields  # here: bench.serving imports this module

    return form_fields(client.get(f"/staff/stretches/{stretch_id}").get_data(as_text=True))


def routine_form(client, routine, rows=None):
    page = client.get(f"/staff/routines/{routine.id}").get_data(as_text=True)
    if rows is None:
        rows = [(item.stretch_id, "", "") for item in routine.items]
    return {
        "csrf_token": token_from(page), "title": routine.title, "version": routine.version,
        "description": routine.description, **item_fields(rows),
    }


def screen_form(client, screen, **changes):
    page = client.get(f"/staff/screens/{screen.id}").get_data(as_text=True)
    form = {"csrf_token": token_from(page), "version": screen.version, "name": screen.name,
            "routine": screen.routine_id, "dwell": "15", "idle": "60",
            "kinds": ["notices", "stretch", "warning_signs", "contact", "advice"],
            "orientation": "landscape", "languages": ["en"], "first_language": "en",
            "windows": "0"}
    form.update(changes)
    return form


def settings_form(client, **changes):
    """The clinic settings as the page fills them in, with `changes`."""
    from bench.serving import form_fields  # here: bench.serving imports this module

    return {**form_fields(client.get("/staff/settings").get_data(as_text=True)), **changes}


# A refused sign-in is counted, as it must be (tests/test_staff_access.py): that row is the
# refusal itself, not something half-saved.
# The audit log records refused sign-ins too, by design.
REFUSALS_COUNTED = {"sign_in_failure", "audit_event"}


def fingerprint(app) -> list:
    """Every row of every table but the count of refused sign-ins."""
    db_engine = app.extensions["kiosk.db"]
    with db_engine.connect() as connection:
        return [
            (table.name, [tuple(row) for row in connection.execute(
                select(table).order_by(*table.primary_key.columns))])
            for table in Base.metadata.sorted_tables if table.name not in REFUSALS_COUNTED
        ]
