"""Request bodies are limited route by route, and refused with 413 before anything reads them:
a few KB for anyone (the sign-in form), a console form's worth once signed in, a video's worth
only on the upload route. The largest forms a clinic really sends still save."""

from io import BytesIO
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select
from werkzeug import formparser

from kiosk.config import MB
from kiosk.models import Clinic, SignInFailure, StaffAccount, Stretch, WarningSign
from kiosk.web.limits import CONSOLE_FORM_BYTES, SIGN_IN_BYTES
from tests.staff_helpers import signed_in, stretch_form, token_from
from tests.test_media import a_file, mp4, neck, post_multipart, upload, upload_form

WORDS = "肩颈放松"  # 3 bytes a character in UTF-8, 9 once percent-encoded, as a browser sends it


def text(characters: int) -> str:
    return (WORDS * characters)[:characters]


@pytest.fixture
def forms_read(monkeypatch):
    """How many request bodies Werkzeug parsed as forms while the test ran."""
    parsed = []
    real_parse = formparser.FormDataParser.parse

    def parse(self, *args, **kwargs):
        parsed.append(1)
        return real_parse(self, *args, **kwargs)

    monkeypatch.setattr(formparser.FormDataParser, "parse", parse)
    return parsed


def sign_in_token(client) -> str:
    """The CSRF token of the sign-in form, as a browser that opened it would send it."""
    return token_from(client.get("/staff/login").get_data(as_text=True))


def refusals_counted(session) -> int:
    return session.scalar(select(func.count()).select_from(SignInFailure))


def test_a_one_megabyte_sign_in_from_anyone_is_refused_unread(client, session, forms_read):
    token = sign_in_token(client)
    forms_read.clear()
    body = urlencode({"csrf_token": token, "username": "admin", "password": "x" * MB})
    response = client.post("/staff/login", data=body,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "larger than this app accepts" in response.get_data(as_text=True)
    assert forms_read == []  # neither the CSRF check nor the view read it
    assert refusals_counted(session) == 0  # nor did it reach the sign-in throttle


def test_a_sign_in_of_ordinary_size_is_still_read(client, session):
    form = {"csrf_token": sign_in_token(client), "username": text(40), "password": "🧘" * 200}
    assert len(urlencode(form)) < SIGN_IN_BYTES
    response = client.post("/staff/login", data=form)
    assert response.status_code == 401  # read, checked and refused: no such account
    assert refusals_counted(session) > 0


class Counted:
    """A body stream, as a server hands it on, that counts what is read from it."""

    def __init__(self, data: bytes):
        self.stream, self.handed_out = BytesIO(data), 0

    def read(self, size=-1):
        data = self.stream.read(size)
        self.handed_out += len(data)
        return data


def post_chunked(client, path: str, form: dict):
    """A body without Content-Length, as gunicorn passes a chunked one on: a stream that
    ends by itself (wsgi.input_terminated)."""
    stream = Counted(urlencode(form).encode())
    response = client.post(path, content_type="application/x-www-form-urlencoded",
                           headers={"Transfer-Encoding": "chunked"},
                           environ_overrides={"wsgi.input": stream,
                                              "wsgi.input_terminated": True})
    return response, stream.handed_out


def test_a_chunked_body_over_the_limit_is_refused_whole_and_read_no_further(client, session):
    """Werkzeug alone would read such a form up to the limit and go on with what it got."""
    token = sign_in_token(client)
    response, read = post_chunked(client, "/staff/login", {
        "csrf_token": token, "username": "admin", "password": "x" * MB})
    assert response.status_code == 413
    assert "larger than this app accepts" in response.get_data(as_text=True)
    assert read <= SIGN_IN_BYTES + 1
    assert refusals_counted(session) == 0


def test_a_chunked_body_within_the_limit_is_read_whole(client, session):
    token = sign_in_token(client)
    response, _ = post_chunked(client, "/staff/login", {
        "csrf_token": token, "username": "admin", "password": "wrong"})
    assert response.status_code == 401
    assert refusals_counted(session) > 0


def test_a_signed_out_browser_sending_a_console_form_is_sent_to_sign_in_unread(client, session,
                                                                              forms_read):
    """As the console's access check would send it, but without reading the form first."""
    token = sign_in_token(client)
    forms_read.clear()
    form = {"csrf_token": token, "name": "Elsewhere", "warning_signs": text(5000)}
    response = client.post("/staff/settings", data=form)
    assert response.status_code == 302
    assert response.location.startswith("/staff/login?next=/staff/settings")
    htmx = client.post("/staff/settings", data=form, headers={"HX-Request": "true"})
    assert htmx.status_code == 204 and htmx.headers["HX-Redirect"].startswith("/staff/login")
    assert forms_read == []
    assert session.scalar(select(Clinic.name)) != "Elsewhere"


def test_a_copy_of_a_session_since_ended_buys_no_bigger_body(app, session, forms_read):
    """A cookie saved before signing out names nobody: its big form goes unread, too."""
    client = signed_in(app, role="admin")
    saved = client.get_cookie("session").value
    token = token_from(client.get("/staff/settings").get_data(as_text=True))
    client.post("/staff/logout", data={"csrf_token": token})
    thief = app.test_client()
    thief.set_cookie("session", saved)
    forms_read.clear()
    response = thief.post("/staff/settings", data={"csrf_token": token, "name": "Elsewhere",
                                                   "warning_signs": text(5000)})
    assert response.status_code == 302 and "/staff/login" in response.location
    assert forms_read == []
    assert session.scalar(select(Clinic.name)) != "Elsewhere"


def test_a_signed_out_upload_is_sent_to_sign_in_unread(client, session, forms_read):
    stretch_id = neck(session).id
    token = sign_in_token(client)
    forms_read.clear()
    response = post_multipart(client, f"/staff/stretches/{stretch_id}/media", {
        "csrf_token": token, "version": "1",
        "media": a_file(mp4(mdat_size=2 * MB), "stretch.mp4", "video/mp4")})
    assert response.status_code == 302 and "/staff/login" in response.location
    assert forms_read == []
    assert neck(session).media_id is None


def test_the_largest_stretch_a_clinic_writes_saves(app, session):
    client = signed_in(app)
    stretch_id = neck(session).id
    form = stretch_form(client, stretch_id)
    form.update({"title": text(120), "body_region": text(80), "cautions": text(1000)})
    form.update({f"steps-{n}": text(500) for n in range(20)})
    assert 100_000 < len(urlencode(form)) < CONSOLE_FORM_BYTES
    response = client.post(f"/staff/stretches/{stretch_id}", data=form)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    saved = session.get(Stretch, stretch_id)
    session.refresh(saved)
    assert len(saved.steps) == 20 and saved.steps[19] == text(500)


def test_the_longest_clinic_settings_save(app, session):
    client = signed_in(app, role="admin")
    lines = "\r\n".join(text(300) for _ in range(30))
    form = {"csrf_token": token_from(client.get("/staff/settings").text), "version": "1",
            "name": text(120), "therapist": text(120), "phone": "0425 444 304",
            "address": text(500), "hours": text(500), "booking_url": "https://clinic.example/",
            "public_url": "http://192.168.1.20:8000",
            "warning_signs": lines, "safety_notes": lines, "tips": lines}
    assert 250_000 < len(urlencode(form)) < CONSOLE_FORM_BYTES
    response = client.post("/staff/settings", data=form)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    assert session.scalar(select(func.count()).select_from(WarningSign)) >= 1


def test_a_console_form_over_its_limit_is_refused_and_changes_nothing(app, session,
                                                                     forms_read):
    client = signed_in(app, role="admin")
    token = token_from(client.get("/staff/settings").text)
    forms_read.clear()
    response = client.post("/staff/settings", data={
        "csrf_token": token, "version": "1", "name": "Elsewhere",
        "tips": "x" * (CONSOLE_FORM_BYTES + 1)})
    assert response.status_code == 413
    assert "larger than this app accepts" in response.get_data(as_text=True)
    assert forms_read == []
    assert session.scalar(select(Clinic.name)) != "Elsewhere"


def test_a_file_sent_to_an_ordinary_form_is_refused(app, session):
    client = signed_in(app)
    token = token_from(client.get("/staff/stretches/new").text)
    response = post_multipart(client, "/staff/stretches/new", {
        "csrf_token": token, "title": "Video", "hold_seconds": "30", "repetitions": "2",
        "neck_order": "1", "steps-0": "Stand.",
        "attachment": a_file(mp4(mdat_size=2 * MB), "stretch.mp4", "video/mp4")})
    assert response.status_code == 413
    assert session.scalar(select(Stretch).filter_by(title="Video")) is None


def test_a_large_video_still_uploads_on_the_upload_route(app, session):
    client = signed_in(app)
    response = upload(client, neck(session).id, mp4(mdat_size=5 * MB), "long.mp4", "video/mp4")
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    assert neck(session).media_id is not None


def on_a_temporary_password(session, username: str):
    """As an admin's "temporary password" leaves the account: a new one asked before anything."""
    session.expire_all()
    account = session.scalar(select(StaffAccount).filter_by(username=username))
    account.must_change_password = True
    session.commit()


def console_token(client) -> str:
    return token_from(client.get("/staff/stretches").get_data(as_text=True))


def import_of(client, token: str, size: int):
    """An export file of `size` bytes sent to the import form, as the page's form sends it."""
    return post_multipart(client, "/staff/transfer", {
        "csrf_token": token, "confirm": "y",
        "file": a_file(b"x" * size, "kiosk-export.json.gz", "application/gzip")})


@pytest.mark.parametrize("who", ["staff", "admin on a temporary password"])
def test_only_an_account_that_may_import_may_send_an_export_sized_body(app, session, forms_read,
                                                                      who):
    """Staff may not import, nor may anyone before choosing their own password: their 2 MB
    goes unread, refused as any console form over its limit is."""
    role = "staff" if who == "staff" else "admin"
    client = signed_in(app, role=role)
    token = console_token(client)
    if who != "staff":
        on_a_temporary_password(session, f"{role}-account")
    forms_read.clear()
    response = import_of(client, token, 2 * MB)
    assert response.status_code == 413
    assert forms_read == []


def test_an_admin_may_still_send_an_export_sized_body(app, session, forms_read):
    client = signed_in(app, role="admin")
    token = console_token(client)
    forms_read.clear()
    response = import_of(client, token, 2 * MB)
    assert response.status_code != 413  # read, and refused for what it holds
    assert forms_read != []


def test_no_upload_sized_body_before_choosing_ones_own_password(app, session, forms_read):
    client = signed_in(app)
    stretch_id = neck(session).id
    fields = upload_form(client, stretch_id)
    on_a_temporary_password(session, "staff-account")
    forms_read.clear()
    response = post_multipart(client, f"/staff/stretches/{stretch_id}/media", {
        **fields, "media": a_file(mp4(mdat_size=2 * MB), "stretch.mp4", "video/mp4")})
    assert response.status_code == 413
    assert forms_read == []
    assert neck(session).media_id is None
