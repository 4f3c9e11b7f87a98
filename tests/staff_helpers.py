"""Signing in to the console in tests, through the real login form and its CSRF token."""

import re

from kiosk.accounts import create_staff
from kiosk.db import get_session

PASSWORD = "stretch-slowly-2026"


def add_staff(app, username="jade", role="staff", password=PASSWORD):
    with app.app_context():
        create_staff(get_session(), username, password, role)


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


def signed_in(app, role="staff", username=None):
    """A test client signed in as a new account with `role`."""
    username = username or role + "-account"
    add_staff(app, username, role)
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
