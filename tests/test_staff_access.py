"""The console's doors: sign-in, one access check for every route, CSRF, throttled guessing."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from kiosk.db import get_session
from kiosk.models import SignInFailure
from kiosk.staff import OPEN_ENDPOINTS
from tests.readers import refusal_message
from tests.staff_helpers import PASSWORD, add_staff, login, signed_in, token_from

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


def staff_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/staff")]


def example_url(rule) -> str:
    """The rule's URL with a plausible value in every variable."""
    return re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: "1" if m.group(1) == "int" else "stretch",
                  rule.rule)


def test_every_console_route_refuses_anonymous_visitors(app):
    client = app.test_client()
    # A valid CSRF token, so it is the access check (not CSRF) that must turn strangers away.
    token = token_from(client.get("/staff/login").get_data(as_text=True))
    rules = staff_rules(app)
    assert len(rules) >= 8
    for rule in rules:
        if rule.endpoint in OPEN_ENDPOINTS:  # the sign-in, the set-up link (test_first_run.py)
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(example_url(rule), method=method, data={"csrf_token": token})
            assert response.status_code in (302, 303), f"{method} {rule.rule} let a stranger in"
            assert "/staff/login" in response.headers["Location"]


def test_htmx_requests_from_a_signed_out_console_redirect_the_whole_page(client):
    response = client.get("/staff/", headers={"HX-Request": "true"})
    assert "/staff/login" in response.headers["HX-Redirect"]


def test_every_state_changing_route_refuses_a_missing_or_wrong_csrf_token(app):
    client = signed_in(app, role="admin")
    for rule in staff_rules(app):
        for method in rule.methods & STATE_CHANGING:
            for token in (None, "not-a-real-token"):
                data = {"csrf_token": token} if token else {}
                response = client.open(example_url(rule), method=method, data=data)
                assert response.status_code == 400, f"{method} {rule.rule} took a forged request"
                assert "nothing was changed" in response.get_data(as_text=True)


def test_sign_in_and_out(app, client):
    add_staff(app)
    assert client.get("/staff/").status_code == 302
    response = login(client)
    assert response.status_code == 303
    assert "Screens status" in client.get("/staff/").get_data(as_text=True)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/staff/").get_data(as_text=True)
    client.post("/staff/logout", data={"csrf_token": token_from(page)})
    assert client.get("/staff/").status_code == 302


def test_session_cookie_is_secure_over_https(app):
    add_staff(app)
    client = app.test_client()
    page = client.get("/staff/login", base_url="https://clinic.test").get_data(as_text=True)
    response = client.post("/staff/login", base_url="https://clinic.test",
                           headers={"Referer": "https://clinic.test/staff/login"},
                           data={"csrf_token": token_from(page), "username": "jade",
                                 "password": PASSWORD})
    assert all("Secure" in cookie for cookie in response.headers.getlist("Set-Cookie"))


def test_wrong_password_is_refused_with_a_clear_message(app, client):
    add_staff(app)
    response = login(client, password="not the password")
    assert response.status_code == 401
    assert "do not match an account" in response.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302


def test_repeated_wrong_passwords_are_throttled_in_words_but_not_the_right_one_elsewhere(app):
    add_staff(app)
    guesser = app.test_client()
    statuses = [login(guesser, password=f"guess-{n}", address="203.0.113.9").status_code
                for n in range(8)]
    assert statuses[:5] == [401] * 5
    assert 429 in statuses[5:]
    # The clinic's own laptop, with the right password, still gets in.
    assert login(app.test_client(), address="192.0.2.20").status_code == 303
    # Guessing a name that has no account is held the same way, and the page says why.
    stranger = app.test_client()
    for n in range(7):
        refused = login(stranger, username="nobody", password=f"guess-{n}")
    assert refused.status_code == 429
    assert "Wait a minute and try again" in refusal_message(refused.get_data(as_text=True))


def test_guessing_one_account_from_many_addresses_is_throttled(app):
    add_staff(app)
    statuses = [login(app.test_client(), password=f"guess-{n}", address=f"198.51.100.{n}")
                .status_code for n in range(12)]
    assert statuses[-1] == 429


def test_the_throttle_holds_across_processes_and_says_when_to_try_again(app, make_app):
    """Two app processes on one database (two gunicorn workers, or two servers) count the
    same refusals: three wrong guesses on one and two on the other make five."""
    add_staff(app)
    other = make_app(DATABASE_URL=app.config["DATABASE_URL"])
    guesses = [login((app if n < 3 else other).test_client(), password=f"guess-{n}",
                     address="203.0.113.7") for n in range(5)]
    assert [response.status_code for response in guesses] == [401] * 5
    held = login(app.test_client(), address="203.0.113.7")  # even the right password waits
    assert held.status_code == 429
    assert 1 <= int(held.headers["Retry-After"]) <= 60
    assert "Wait a minute and try again" in held.get_data(as_text=True)
    assert login(other.test_client(), address="192.0.2.20").status_code == 303


def test_refusals_are_kept_as_keyed_hashes_and_only_for_an_hour(app):
    add_staff(app)
    login(app.test_client(), password="guess", address="203.0.113.8")
    with app.app_context():
        session = get_session()
        rows = session.scalars(select(SignInFailure)).all()
        assert len(rows) == 2  # the address and the account
        assert all(re.fullmatch(r"[0-9a-f]{64}", row.key) for row in rows)
        for row in rows:  # as if an hour and a minute ago
            row.at -= timedelta(minutes=61)
        session.commit()
    login(app.test_client(), password="guess again", address="203.0.113.8")
    with app.app_context():
        assert len(get_session().scalars(select(SignInFailure)).all()) == 2  # the old went


@pytest.mark.parametrize("path", ["/staff/login?next=https://evil.example/",
                                  "/staff/login?next=//evil.example/"])
def test_login_never_redirects_off_the_console(app, path):
    add_staff(app)
    client = app.test_client()
    page = client.get(path).get_data(as_text=True)
    response = client.post(path, data={"csrf_token": token_from(page), "username": "jade",
                                       "password": PASSWORD})
    assert response.headers["Location"].startswith("/staff")
