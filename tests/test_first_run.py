"""The first run: with no staff account, the server prints a one-time set-up link in its
terminal (here, standard error) and the sign-in page says to look there; the link makes the
first admin and signs them in, once."""

import http.cookiejar
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from unittest.mock import ANY

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import delete, select

from kiosk import accounts, setup_link
from kiosk.audit import AuditEvent
from kiosk.models import StaffAccount
from kiosk.web.accesslog import redact, redact_text
from tests.staff_helpers import PASSWORD, add_staff, token_from
from tests.test_bad_input import FUZZ, urlencoded, weird
from tests.test_gunicorn_config import gunicorn

LINK = re.compile(r"(https?://\S+)(/staff/setup/[A-Za-z0-9_-]+)")


def printed_link(capsys) -> str | None:
    """The path of the set-up link the server printed in its terminal, if it printed one."""
    match = LINK.search(capsys.readouterr().err)
    return match.group(2) if match else None


def open_sign_in(client, capsys) -> tuple[str, str | None]:
    page = " ".join(client.get("/staff/login").get_data(as_text=True).split())
    return page, printed_link(capsys)


def csrf_token(client) -> str:
    """This browser's CSRF token, as every console page gives it to htmx."""
    page = client.get("/staff/login").get_data(as_text=True)
    return re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)


def make_admin(client, link, username="maria", password=PASSWORD, again=None):
    client.get(link)
    return client.post(link, data={"csrf_token": csrf_token(client), "username": username,
                                   "password": password,
                                   "again": password if again is None else again})


def everyone(session) -> list[tuple[str, str]]:
    session.expire_all()
    return [(a.username, a.role) for a in session.scalars(select(StaffAccount))]


def test_with_no_account_the_sign_in_page_says_to_use_the_link_in_the_terminal(client,
                                                                               capsys):
    page, link = open_sign_in(client, capsys)
    assert "There is no staff account yet" in page
    assert "set-up link printed in the terminal" in page
    assert "add-staff NAME --role admin" in page
    # Anyone on the clinic's Wi-Fi can open this page: the link is in the terminal only.
    assert link and link not in page and link.rsplit("/", 1)[1] not in page
    assert "Ask one of the clinic's admins" not in page  # there are none
    # One link per server: opening the page again prints nothing more.
    again, _ = open_sign_in(client, capsys)
    assert printed_link(capsys) is None and link not in again


def test_the_link_makes_the_first_admin_and_signs_them_in(client, session, capsys):
    _, link = open_sign_in(client, capsys)
    form = client.get(link)
    assert form.status_code == 200
    assert "Make the first admin" in form.get_data(as_text=True)

    made = make_admin(client, link, username=" Maria ")
    assert made.status_code == 303 and made.headers["Location"] == "/staff/"
    dashboard = client.get("/staff/")
    assert dashboard.status_code == 200
    assert "maria (admin)" in dashboard.get_data(as_text=True)
    assert everyone(session) == [("maria", "admin")]
    maria = session.scalar(select(StaffAccount))
    assert accounts.verify_password(maria, PASSWORD) and not maria.must_change_password
    event = session.scalar(select(AuditEvent).filter_by(action="account_added"))
    assert (event.actor, event.target, event.detail) == ("(set-up link)", "maria", "admin")


def test_the_link_works_once(app, client, session, capsys):
    _, link = open_sign_in(client, capsys)
    assert make_admin(client, link).status_code == 303
    stranger = app.test_client()
    for response in (stranger.get(link), make_admin(stranger, link, username="mallory"),
                     client.get(link)):
        assert response.status_code == 410
        assert "This set-up link has been used" in response.get_data(as_text=True)
    assert everyone(session) == [("maria", "admin")]
    page, _ = open_sign_in(stranger, capsys)
    assert "no staff account yet" not in page and 'name="password"' in page


def test_two_browsers_on_the_link_make_one_admin(app, client, session, capsys):
    """Both opened the form; the one who sends it second is told the link is used."""
    _, link = open_sign_in(client, capsys)
    other = app.test_client()
    first, second = (c.get(link).get_data(as_text=True) for c in (client, other))
    fields = {"password": PASSWORD, "again": PASSWORD}
    assert client.post(link, data={"csrf_token": token_from(first), "username": "maria",
                                   **fields}).status_code == 303
    late = other.post(link, data={"csrf_token": token_from(second), "username": "sam", **fields})
    assert late.status_code == 410
    assert everyone(session) == [("maria", "admin")]


def test_two_first_admins_at_the_same_moment_make_one(app, session):
    """The check that there is no account and the insert are one transaction: a second one
    waits for the first to end, then finds the account it made."""
    first = app.extensions["kiosk.sessions"]()
    accounts.create_first_admin(first, "maria", PASSWORD)  # holds new accounts back
    outcome = []

    def second():
        other = app.extensions["kiosk.sessions"]()
        try:
            accounts.create_first_admin(other, "sam", PASSWORD)
            other.commit()
            outcome.append("made")
        except accounts.NotTheFirst:
            outcome.append("refused")
        finally:
            other.close()

    racer = threading.Thread(target=second)
    racer.start()
    time.sleep(0.5)  # long enough for the second to reach its check before the first commits
    first.commit()
    first.close()
    racer.join(timeout=30)
    assert outcome == ["refused"]
    assert everyone(session) == [("maria", "admin")]


def test_a_restarted_server_refuses_the_old_link_and_prints_a_new_one(make_app, app, capsys):
    _, old = open_sign_in(app.test_client(), capsys)
    restarted = make_app(DATABASE_URL=app.config["DATABASE_URL"])  # same database, new server
    client = restarted.test_client()
    assert client.get(old).status_code == 404
    _, new = open_sign_in(client, capsys)
    assert new and new != old
    assert make_admin(client, old).status_code == 404
    assert make_admin(client, new).status_code == 303


def test_with_an_account_there_is_no_link_and_the_route_refuses(app, client, capsys):
    add_staff(app, "jade", "admin")
    page, link = open_sign_in(client, capsys)
    assert link is None  # nothing printed
    assert "no staff account yet" not in page and 'name="password"' in page
    assert client.get("/staff/setup/" + "A" * 43).status_code == 404


def test_an_account_made_after_the_link_was_printed_spends_it(app, client, session, capsys):
    _, link = open_sign_in(client, capsys)
    add_staff(app, "jade", "admin")  # on the command line: flask add-staff
    assert client.get(link).status_code == 410
    assert make_admin(client, link).status_code == 410
    assert everyone(session) == [("jade", "admin")]


@pytest.mark.parametrize("wrong", ["x", "A" * 43, "%00", "staff"])
def test_a_wrong_token_is_no_page(client, capsys, wrong):
    _, link = open_sign_in(client, capsys)
    assert client.get("/staff/setup/" + wrong).status_code == 404
    assert client.get(link[:-1] + ("B" if link[-1] != "B" else "C")).status_code == 404


@pytest.mark.parametrize(("username", "password", "again", "reason"), [
    ("maria", "short", None, "The password must be at least 10 characters long."),
    ("maria", "aaaaaaaaaaaa", None, "The password must use at least 5 different characters."),
    ("maria", "maria-stretches-1", None, "The password must not contain the username."),
    ("maria", PASSWORD, "stretch-slowly-2027", "The two passwords are not the same."),
    ("a b", PASSWORD, None, "A username is 2 to 40 characters"),
    ("", PASSWORD, None, "Choose a username."),
])
def test_a_refused_form_says_why_and_saves_nothing(client, session, capsys, username, password,
                                                   again, reason):
    _, link = open_sign_in(client, capsys)
    refused = make_admin(client, link, username, password, again)
    assert refused.status_code == 422
    assert reason in refused.get_data(as_text=True)
    assert everyone(session) == []
    assert client.get("/staff/").status_code == 302  # not signed in
    assert make_admin(client, link).status_code == 303  # the link still works


def test_the_post_needs_the_forms_csrf_token(client, session, capsys):
    _, link = open_sign_in(client, capsys)
    client.get(link)
    forged = client.post(link, data={"username": "maria", "password": PASSWORD,
                                     "again": PASSWORD})
    assert forged.status_code == 400
    assert everyone(session) == []


def test_the_links_token_is_never_logged():
    token = "Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6J7k8L9z0X1c"
    assert redact(f"/staff/setup/{token}") == "/staff/setup/<redacted>"
    assert redact(f"//staff//setup/./{token}") == "/staff/setup/<redacted>"
    line = redact_text(f"Exception on /staff/setup/{token} [POST]")
    assert line == "Exception on /staff/setup/<redacted> [POST]"



@FUZZ
@given(fields=st.fixed_dictionaries({}, optional={
    "username": weird | st.sampled_from(["maria", "Maria.K"]),
    "password": weird | st.just(PASSWORD), "again": weird | st.just(PASSWORD)}))
def test_bad_input_on_the_set_up_form_is_refused_in_words(app, session, capsys, fields):
    """The bad-input fuzz (tests/test_bad_input.py) signs in first, so the link is refused
    before its form is read: here the form itself gets the same weird values."""
    client = app.test_client()
    _, link = open_sign_in(client, capsys)
    link = link or f"/staff/setup/{app.extensions['kiosk.setup_link'].token}"  # printed once
    body = urlencoded(list(fields.items()) + [("csrf_token", csrf_token(client))])
    answer = client.post(link, data=body, content_type="application/x-www-form-urlencoded")
    page = answer.get_data(as_text=True)
    said = {400: "holds a NUL character", 413: "larger than this app accepts",
            422: "Nothing was saved"}
    assert answer.status_code in (303, *said), page
    if answer.status_code != 303:
        assert said[answer.status_code] in " ".join(page.split())
    assert everyone(session) == ([] if answer.status_code != 303 else [(ANY, "admin")])
    # The app lives through every example: unmake the admin, so the next gets the form too.
    session.execute(delete(StaffAccount))
    session.commit()


def test_flask_urls_says_the_server_will_print_a_set_up_link(app, runner):
    assert "one-time set-up link" in runner.invoke(args=["urls"]).output
    add_staff(app, "jade", "admin")
    assert "set-up link" not in runner.invoke(args=["urls"]).output


# ---- The real server: gunicorn with the repository's config, two workers.

class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies kept, redirects not followed: what a browser sends, step by step."""

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirects())

    def open(self, url, form: dict | None = None) -> tuple[int, str, dict]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(url, data=data, timeout=10) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)


def test_gunicorn_prints_one_link_that_every_worker_takes_once(app, session, tmp_path):
    with gunicorn(app, tmp_path) as (base, log):
        printed = log.read_text()
        assert printed.count("/staff/setup/") == 1  # by the master, not once per worker
        link = LINK.search(printed).group(2)
        # Each visit on a connection of its own, so both workers answer some of them.
        visits = [Browser().open(base + link) for _ in range(8)]
        assert [status for status, _, _ in visits] == [200] * 8
        person = Browser()
        status, page, _ = person.open(base + link)
        made = person.open(base + link, {"csrf_token": token_from(page), "username": "maria",
                                         "password": PASSWORD, "again": PASSWORD})
        assert made[0] == 303 and made[2]["Location"] == "/staff/"
        status, dashboard, _ = person.open(base + "/staff/")
        assert status == 200 and "maria (admin)" in dashboard
        later = [Browser().open(base + link) for _ in range(8)]
        assert [status for status, _, _ in later] == [410] * 8
        assert all("This set-up link has been used" in page for _, page, _ in later)
    logged = log.read_text()
    assert everyone(session) == [("maria", "admin")]
    assert logged.count(link.rsplit("/", 1)[1]) == 1  # printed; the access log hides it
    assert '"POST /staff/setup/<redacted> HTTP/1.1" 303' in logged

    (tmp_path / "again").mkdir()
    with gunicorn(app, tmp_path / "again") as (base, log):  # restarted, with an account now
        assert Browser().open(base + link)[0] == 404
    assert "/staff/setup/<redacted>" in log.read_text()
    assert "one-time set-up link" not in log.read_text()


def test_a_server_started_before_migrate_starts_without_a_link(empty_app, capsys):
    """gunicorn's master asks before any worker starts: a database without tables yet must
    not stop the server (its pages say what to run), only the link."""
    setup_link.offer_at_start(empty_app, 8000)
    printed = capsys.readouterr().err
    assert "No set-up link: the staff accounts cannot be read" in printed
    assert "/staff/setup/" not in printed
