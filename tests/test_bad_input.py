"""Bad input at every route, from Hypothesis: generated strings (any code point, NUL and lone
surrogates included, right-to-left, emoji, up to 10,000 characters, empty), numbers (negative,
huge, fractions, NaN) and missing fields, in every URL variable, query parameter and form field.

Every route in the URL map must be described in ROUTES below, so a new route is fuzzed too.
Requests come from an admin with a valid CSRF token, so they reach the views. For each one:
never a 500 or a logged error; a refusal (4xx) says why in words on the page and leaves every
row of every table as it was; a change that was accepted shows again on the console, the
screen and the sheets.
"""

import gzip
import io
import json
import logging
import os
import re
import time
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import quote, quote_plus

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from PIL import Image
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from kiosk import figures, transfer
from kiosk.db import get_session
from kiosk.display.content import ScreenContent
from kiosk.localised import fingerprint as source_fingerprint
from kiosk.media import store_upload
from kiosk.models import (
    SLIDE_KINDS,
    Clinic,
    Media,
    Notice,
    PatientSheet,
    Routine,
    Screen,
    StaffAccount,
    Stretch,
    WarningSign,
)
from kiosk.patient_sheets import find_live_sheet
from kiosk.revisions import save
from tests.readers import pdf_pages, refusal_message
from tests.sheet_helpers import make_sheet
from tests.staff_helpers import PASSWORD, add_staff, fingerprint, token_from

# Per route: the whole file runs in about a minute on SQLite. Set KIOSK_FUZZ_EXAMPLES higher
# to search longer (say 500 while changing a form).
EXAMPLES = int(os.environ.get("KIOSK_FUZZ_EXAMPLES", "20"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])

# ---- What to throw

MISSING = object()  # the field is not sent at all

SPECIAL = [
    "", " ", "\x00", "a\x00b", "\ud800", "x\udfffy", "\u202eevil\u202c", "مرحبا بالعالم",
    "שלום\u200f", "🧘\u200d♀️🔥", "e\u0301\u0301\u0301", "\ufeff", "\r\n", "\t", "0", "-1", "-0",
    "1e309", "NaN", "nan", "inf", "-Infinity", "1.5", "１２", "٣", "99999999999999999999",
    "-99999999999999999999", str(2**31), str(2**63), "0x10", "<script>alert(1)</script>",
    "../../etc/passwd", "%00", "%ff", "null", "None", "true", "[]", "{}", "²", "1" * 5000,
    "'; DROP TABLE stretch;--",
]

weird = st.one_of(
    st.text(st.characters(exclude_categories=()), max_size=40),  # surrogates and NUL too
    st.sampled_from(SPECIAL),
    st.integers().map(str),
    st.floats().map(str),
    st.text(max_size=3).map(lambda s: ((s or "x") * 10_000)[:10_000]),
)
weird_or_missing = weird | st.just(MISSING)


def text(max_size: int, min_size: int = 1):
    """Well-formed text a person could type: any script, no NUL, not blank, within bounds."""
    characters = st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from(" \t\n-'\"&<")
    return st.text(characters, min_size=min_size, max_size=max_size).filter(
        lambda s: len(s.strip()) >= min_size)


def lines(max_lines: int = 4):
    return st.lists(text(60), min_size=1, max_size=max_lines).map("\n".join)


def numbers(low: int, high: int):
    return st.integers(low, high).map(str)


def dates():
    """A day as a date field sends it (2027-01-26), from well before to well after today."""
    return st.dates(date(2000, 1, 1), date(2100, 12, 31)).map(date.isoformat)


def png(red: int = 0) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (red, 107, 99)).save(out, "PNG")
    return out.getvalue()


json_values = st.one_of(
    weird.map(lambda s: s.encode("utf-8", "replace").decode("utf-8")), st.none(),
    st.booleans(), st.integers() | st.sampled_from([2**63, -(2**63) - 1, 2**100]),
    st.floats(allow_nan=False, allow_infinity=False), st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@dataclass(frozen=True)
class EditedExport:
    """A real export with one value of one row changed, and its checksum made to match, so
    the import reads the changed value instead of refusing the file at its checksum."""

    table: int
    row: int
    column: int
    value: object

    def apply(self, export: bytes) -> bytes:
        document = json.loads(gzip.decompress(export))
        tables = [name for name, table in sorted(document["tables"].items()) if table["rows"]]
        rows = document["tables"][tables[self.table % len(tables)]]["rows"]
        row = rows[self.row % len(rows)]
        row[self.column % len(row)] = self.value
        document["checksum"] = transfer.checksum(document["tables"])
        return gzip.compress(json.dumps(document).encode())


@dataclass(frozen=True)
class Live:
    """A value read from the database when the request is made: a real slug, id or version."""

    name: str


def pick(*values):
    return st.sampled_from(values)


def actions(*verbs, indexed=("remove", "up", "down")):
    """A form button's value: a verb, or a verb and an index that may be anything."""
    index = numbers(0, 3) | weird
    pressed = pick(*verbs) | st.builds("{}:{}".format, st.sampled_from(indexed), index)
    return st.one_of(st.just(MISSING), st.just(MISSING), pressed)  # mostly Save (no name)


# ---- The routes

@dataclass
class Route:
    """How to exercise one route and method: its URL variables, query and form fields.

    Each field maps to the strategy of a well-formed value; a request breaks some fields
    (or all) with `weird` values or leaves them out. `shows` names form fields whose saved
    value must appear on the page an accepted save leads to.
    """

    path: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    form: dict = field(default_factory=dict)
    files: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)
    shows: tuple = ()
    signs_out: bool = False


PREVIEW = {"preview": pick("1", "0")}
SCREEN = {"slug": pick(Live("screen_slug"))}
ROUTINE = {"slug": pick(Live("routine_slug"))}
TOKEN = {"token": pick(Live("token"))}
STRETCH_FIELDS = {
    "title": text(120),
    "body_region": text(80, 0),
    "neck_order": numbers(1, 999),
    "hold_seconds": numbers(1, 600),
    "repetitions": numbers(1, 50),
    "sides": pick("none", "left-right", "forwards-backwards"),
    "position": pick("standing", "seated", "floor"),
    "cautions": text(1000, 0),
    "demonstration": st.sampled_from(figures.names()),
    "steps-0": text(500),
    "steps-1": text(500, 0),
    "step_action": actions("add"),
}
ITEMS = {
    **{f"items-{n}-stretch": pick(Live("stretch_id"), Live("other_stretch_id"))
       for n in range(3)},
    **{f"items-{n}-hold": pick("", "10", "30") | numbers(1, 600) for n in range(3)},
    **{f"items-{n}-repetitions": pick("") | numbers(1, 50) for n in range(3)},
    "add_stretch": pick(Live("stretch_id")),
}
ROUTINE_FIELDS = {
    "title": text(120),
    "description": text(2000, 0),
    **ITEMS,
    "item_action": actions("add", "sort"),
}
SCREEN_FIELDS = {
    "name": text(120),
    "routine": pick(Live("routine_id")),
    "dwell": numbers(3, 300),
    "idle": numbers(20, 3600),
    "kinds": st.lists(st.sampled_from(SLIDE_KINDS), min_size=1, unique=True),
    "orientation": pick("landscape", "portrait"),
    "languages": st.lists(st.sampled_from(["en", "vi", "ar"]), min_size=1, unique=True),
    "first_language": pick("en", "vi"),
    "windows": pick("0", "1"),
    "window-0-routine": pick(Live("routine_id")),
    "window-0-days": st.lists(numbers(0, 6), min_size=1, max_size=7),
    "window-0-starts": pick("07:00", "00:00"),
    "window-0-ends": pick("10:00", "23:59"),
    "window_action": actions("add", indexed=("remove",)),
}
SETTINGS_FIELDS = {
    "name": text(120),
    "therapist": text(120, 0),
    "phone": pick("0425 444 304", "+61 7 3000 0000"),
    "booking_url": pick("", "https://clinic.example/book"),
    "address": text(500, 0),
    "hours": text(500, 0),
    "public_url": pick("", "http://192.168.1.20:8000"),
    "warning_signs": lines(),
    "safety_notes": lines(),
    "tips": lines(),
    "version": pick(Live("clinic_version")),
}
NOTICE_FIELDS = {
    "title": text(120),
    "body": text(400, 0),
    "shows_from": pick("2026-01-01", "2099-01-01") | dates(),
    "shows_until": pick("2099-01-01", "2099-02-01") | dates(),
    "photo_text": text(200, 0),
    "remove_photo": pick("y"),
}
PHOTO = {"photo": st.one_of(st.integers(0, 255).map(png), st.binary(max_size=200))}
SET_UP = {"token": pick("Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6J7k8L9z0X1c")}
ACCOUNT = {"account_id": pick(Live("other_account_id"), Live("account_id"))}
UPLOAD = {"media": st.one_of(st.integers(0, 255).map(png), st.binary(max_size=200))}

REMINDER = {"time": pick("18:00", "07:30"), "weeks": numbers(1, 12), "start": dates()}

ROUTES = {
    ("home.index", "GET"): Route(),
    ("figures.gallery", "GET"): Route(),
    ("figures.stylesheet_css", "GET"): Route(query={"v": pick(Live("figures_v"))}),
    ("health.healthz", "GET"): Route(),
    ("static", "GET"): Route(
        path={"filename": pick("css/site.css", "js/display.js", "icons/icon.svg")},
        query={"v": pick("0123456789ab")}),
    ("media.media_file", "GET"): Route(
        path={"media_id": pick(Live("media_id"))}, query={"v": pick(Live("media_v"))},
        headers={"Range": pick("bytes=0-10", "bytes=-5", "bytes=5-"),
                 "If-None-Match": pick(Live("media_etag"))}),
    ("media.video_still_file", "GET"): Route(
        path={"media_id": pick(Live("media_id"))}, query={"v": pick(Live("media_v"))},
        headers={"If-None-Match": pick(Live("media_etag"))}),
    ("display.default_screen", "GET"): Route(),
    ("display.service_worker", "GET"): Route(),
    ("display.join", "GET"): Route(),
    ("display.join_wait", "GET"): Route(),
    ("display.screen", "GET"): Route(path=SCREEN, query=PREVIEW),
    ("display.browse", "GET"): Route(path=SCREEN, query=PREVIEW),
    ("display.contact", "GET"): Route(path=SCREEN, query=PREVIEW),
    ("display.take_home", "GET"): Route(path=SCREEN, query=PREVIEW),
    ("display.warning_signs", "GET"): Route(path=SCREEN, query=PREVIEW),
    ("display.slide", "GET"): Route(
        path={**SCREEN, "key": pick(Live("slide_key"), "contact", "warning-signs")},
        query=PREVIEW),
    ("display.stretch", "GET"): Route(
        path={**SCREEN, "stretch_slug": pick(Live("stretch_slug"))}, query=PREVIEW),
    ("display.check", "GET"): Route(
        path=SCREEN, query={**PREVIEW, "showing": text(200)}),
    ("display.pair", "GET"): Route(path={**SCREEN, "key": pick(Live("report_key"), "0" * 64)}),
    ("sheets.routine_sheet", "GET"): Route(path=ROUTINE, query=PREVIEW),
    ("sheets.routine_pdf", "GET"): Route(path=ROUTINE),
    ("sheets.routine_qr", "GET"): Route(path=ROUTINE, query={"v": pick("0123456789ab")}),
    ("sheets.routine_manifest", "GET"): Route(path=ROUTINE),
    ("sheets.patient_sheet", "GET"): Route(path=TOKEN, query=PREVIEW),
    ("sheets.patient_pdf", "GET"): Route(path=TOKEN),
    ("sheets.patient_qr", "GET"): Route(path=TOKEN, query={"v": pick("0123456789ab")}),
    ("sheets.patient_manifest", "GET"): Route(path=TOKEN),
    ("sheets.service_worker", "GET"): Route(),
    # "Remind me every day": the calendar file for a time and a number of weeks.
    ("sheets.routine_reminder", "POST"): Route(
        path=ROUTINE, form=REMINDER, headers={"Sec-Fetch-Site": pick("same-origin", "cross-site")}),
    ("sheets.patient_reminder", "POST"): Route(
        path=TOKEN, form=REMINDER, headers={"Sec-Fetch-Site": pick("same-origin", "cross-site")}),
    # A completed session, as a phone's sheet posts it (with no body, from its own page).
    ("sheets.routine_done", "POST"): Route(
        path=ROUTINE, headers={"Sec-Fetch-Site": pick("same-origin", "cross-site")}),
    ("sheets.patient_done", "POST"): Route(
        path=TOKEN, headers={"Sec-Fetch-Site": pick("same-origin", "cross-site")}),
    # The console: every page, signed in as an admin.
    ("staff.login", "GET"): Route(query={"next": pick("/staff/stretches")}),
    ("staff.login", "POST"): Route(
        query={"next": pick("/staff/stretches")},
        form={"username": pick("admin-account"), "password": text(200)}),
    ("staff.logout", "POST"): Route(signs_out=True),
    # With accounts there, a set-up link is refused whatever its token (tests/test_first_run.py).
    ("staff.set_up", "GET"): Route(path=SET_UP),
    ("staff.set_up", "POST"): Route(path=SET_UP, form={
        "username": text(40) | pick("maria"), "password": text(200) | pick("a-new-secret-2027"),
        "again": text(200) | pick("a-new-secret-2027")}),
    ("staff.dashboard", "GET"): Route(),
    ("staff.history", "GET"): Route(),
    ("staff.history_of", "GET"): Route(
        path={"entity": pick("stretch", "routine", "screen", "clinic", "passage"),
              "entity_id": pick(Live("stretch_id"), "1")}),
    ("staff.restore_version", "POST"): Route(
        path={"entity": pick("stretch"), "entity_id": pick(Live("stretch_id"))},
        form={"version": pick("1", "2"), "current": pick(Live("stretch_version"))}),
    ("staff.stretches", "GET"): Route(),
    ("staff.new_stretch", "GET"): Route(),
    ("staff.new_stretch", "POST"): Route(form=STRETCH_FIELDS, shows=("title",)),
    ("staff.edit_stretch", "GET"): Route(path={"stretch_id": pick(Live("stretch_id"))}),
    ("staff.edit_stretch", "POST"): Route(
        path={"stretch_id": pick(Live("stretch_id"))},
        form={**STRETCH_FIELDS, "version": pick(Live("stretch_version"))}, shows=("title",)),
    ("staff.preview_stretch", "POST"): Route(form=STRETCH_FIELDS),
    ("staff.demonstration_preview", "GET"): Route(
        query={"demonstration": STRETCH_FIELDS["demonstration"]}),
    ("staff.retire_stretch", "POST"): Route(
        path={"stretch_id": pick(Live("stretch_id"))},
        form={"version": pick(Live("stretch_version"))}),
    ("staff.use_stretch_animation", "POST"): Route(
        path={"stretch_id": pick(Live("stretch_id"))},
        form={"version": pick(Live("stretch_version"))}),
    ("staff.upload_stretch_media", "POST"): Route(
        path={"stretch_id": pick(Live("stretch_id"))},
        form={"version": pick(Live("stretch_version"))}, files=UPLOAD),
    ("staff.routines", "GET"): Route(),
    ("staff.new_routine", "GET"): Route(),
    ("staff.new_routine", "POST"): Route(form=ROUTINE_FIELDS, shows=("title",)),
    ("staff.edit_routine", "GET"): Route(path={"routine_id": pick(Live("routine_id"))}),
    ("staff.edit_routine", "POST"): Route(
        path={"routine_id": pick(Live("routine_id"))},
        form={**ROUTINE_FIELDS, "version": pick(Live("routine_version"))}, shows=("title",)),
    ("staff.screens", "GET"): Route(),
    ("staff.new_screen", "GET"): Route(),
    ("staff.new_screen", "POST"): Route(form=SCREEN_FIELDS, shows=("name",)),
    ("staff.edit_screen", "GET"): Route(path={"screen_id": pick(Live("screen_id"))}),
    ("staff.edit_screen", "POST"): Route(
        path={"screen_id": pick(Live("screen_id"))},
        form={**SCREEN_FIELDS, "version": pick(Live("screen_version"))}, shows=("name",)),
    ("staff.pair_again", "POST"): Route(path={"screen_id": pick(Live("screen_id"))}),
    ("staff.join_screen", "GET"): Route(query={"clinic": pick(Live("clinic_slug")) | text(80)}),
    ("staff.join_screen", "POST"): Route(form={
        "code": text(20) | pick("KMT 4XR", "kmt-4xr"), "name": text(120),
        "routine": pick(Live("routine_id")), "clinic": pick(Live("clinic_slug")) | text(80)}),
    ("staff.show_now_on", "POST"): Route(form={
        "on": pick("all", Live("screen_on"), Live("clinic_on"),
                   "screen:99999999999", "screen:²") | text(40),
        "routine": pick(Live("routine_id")), "minutes": numbers(1, 720), "stop": pick("1")}),
    ("staff.show_now", "POST"): Route(
        path={"screen_id": pick(Live("screen_id"))},
        form={"routine": pick(Live("routine_id")), "minutes": numbers(1, 720),
              "stop": pick("1")}),
    ("staff.notices", "GET"): Route(),
    ("staff.new_notice", "GET"): Route(),
    ("staff.new_notice", "POST"): Route(form=NOTICE_FIELDS, files=PHOTO, shows=("title",)),
    ("staff.edit_notice", "GET"): Route(path={"notice_id": pick(Live("notice_id"))}),
    ("staff.edit_notice", "POST"): Route(
        path={"notice_id": pick(Live("notice_id"))},
        form={**NOTICE_FIELDS, "version": pick(Live("notice_version"))}, files=PHOTO,
        shows=("title",)),
    ("staff.notice_preview", "GET"): Route(path={"notice_id": pick(Live("notice_id"))}),
    ("staff.delete_notice", "POST"): Route(path={"notice_id": pick(Live("notice_id"))}),
    ("staff.languages_page", "GET"): Route(),
    ("staff.language_page", "GET"): Route(path={"code": pick("vi", "ar", "en")},
                                          query={"show": pick("all", "safety", "to-check")}),
    ("staff.save_translation", "POST"): Route(
        path={"code": pick("vi", "ar")}, query={"show": pick("all")},
        form={"kind": pick("warning_sign"), "ref": pick(""), "position": pick("1"),
              "text": text(300), "action": pick("check", "draft"),
              "seen": pick(Live("sign_seen"))}),
    ("staff.check_every_draft", "POST"): Route(path={"code": pick("vi", "el")},
                                               form={"read": pick("yes")}),
    ("staff.approve_language", "POST"): Route(path={"code": pick("vi", "zh_Hans")},
                                              form={"action": pick("approve", "withdraw")}),
    ("staff.patient_sheets", "GET"): Route(),
    ("staff.new_patient_sheet", "GET"): Route(),
    ("staff.new_patient_sheet", "POST"): Route(form={
        **ITEMS, "note": text(500, 0), "expires": pick("30", "90", "180", "365", "0"),
        "item_action": actions("routine", "add", "sort"),
        "from_routine": pick(Live("routine_id"))}),
    ("staff.patient_sheet", "GET"): Route(path={"sheet_id": pick(Live("sheet_id"))}),
    ("staff.revoke_patient_sheet", "POST"): Route(path={"sheet_id": pick(Live("sheet_id"))}),
    ("staff.settings", "GET"): Route(),
    ("staff.settings", "POST"): Route(form=SETTINGS_FIELDS, shows=("name",)),
    ("staff.usage", "GET"): Route(query={"days": pick("7", "30", "365")}),
    ("staff.account_list", "GET"): Route(),
    ("staff.add_account", "POST"): Route(form={
        "username": text(40) | pick("maria.k", "admin-account"), "role": pick("staff", "admin")}),
    ("staff.account", "GET"): Route(path=ACCOUNT),
    ("staff.change_role", "POST"): Route(path=ACCOUNT, form={"role": pick("staff", "admin")},
                                         signs_out=True),
    ("staff.change_membership", "POST"): Route(path=ACCOUNT, form={
        "clinic": pick(Live("clinic_slug")) | text(80), "role": pick("staff", "admin", "")},
        signs_out=True),
    ("staff.change_library", "POST"): Route(path=ACCOUNT, form={"edits_library": pick("1", "0")},
                                            signs_out=True),
    ("staff.deactivate_account", "POST"): Route(path=ACCOUNT, signs_out=True),
    ("staff.reactivate_account", "POST"): Route(path=ACCOUNT, signs_out=True),
    ("staff.sign_out_account", "POST"): Route(path=ACCOUNT, signs_out=True),
    ("staff.reset_password", "POST"): Route(path=ACCOUNT, signs_out=True),
    ("staff.own_account", "GET"): Route(),
    ("staff.own_account", "POST"): Route(form={
        "current": pick(PASSWORD), "new": text(200) | pick("a-new-secret-2027"),
        "again": text(200) | pick("a-new-secret-2027")}, signs_out=True),
    ("staff.audit_log", "GET"): Route(query={
        "from": pick("2026-01-01", "", "0001-01-01"), "to": pick("2027-12-31", "", "9999-12-31"),
        "page": numbers(1, 5)}),
    ("staff.guide", "GET"): Route(
        path={"name": pick("deployment.md", "staff-guide.md", "security.md", "README.md")}),
    ("staff.guide_image", "GET"): Route(
        path={"name": pick("console-screen-status.png", "icon.svg", "console-stretch.png")}),
    ("staff.guide_demonstration_image", "GET"): Route(
        path={"name": pick("bridge.png", "bridge-1.png", "..", "console-stretch.png")}),
    ("staff.transfer", "GET"): Route(),
    ("staff.transfer_download", "GET"): Route(),
    ("staff.transfer_upload", "POST"): Route(
        form={"confirm": pick("1")},
        files={"file": st.one_of(pick(Live("export")), st.binary(max_size=200),
                                 st.binary(max_size=200).map(gzip.compress),
                                 pick(b"[" * 100_000, b"9" * 10_000),
                                 st.builds(EditedExport, st.integers(0, 99), st.integers(0, 99),
                                           st.integers(0, 99), json_values))}),
}


# Saves that change what the printed sheets show: their PDFs are made once more at the end.
PRINTED = {"staff.edit_stretch", "staff.edit_routine", "staff.settings", "staff.new_patient_sheet"}


def every_route(app) -> set[tuple[str, str]]:
    return {(rule.endpoint, method) for rule in app.url_map.iter_rules()
            for method in rule.methods - {"HEAD", "OPTIONS"}}


def test_every_route_is_fuzzed(make_app, database_url):
    app = make_app(DATABASE_URL=database_url)
    unknown = every_route(app) - set(ROUTES)
    assert not unknown, (
        f"describe these routes in ROUTES in {__file__}, so bad input is thrown at them too: "
        f"{sorted(unknown)}")
    assert not set(ROUTES) - every_route(app), "ROUTES names routes that no longer exist"


# ---- The app under fire


@pytest.fixture
def fuzz_app(seeded_app):
    """The seeded app with an admin, a patient sheet and an uploaded photo.

    Login limits stay on: each request comes from its own address, and a 429 is a refusal in
    words like any other.
    """
    app = seeded_app()
    with app.app_context():
        session = get_session()
        stretch = session.scalar(select(Stretch).order_by(Stretch.neck_order))
        media = store_upload(session, "photo.png", io.BytesIO(png()))
        save(session, stretch, stretch.version, None,
             lambda: setattr(stretch, "media_id", media.id), "A photo for the fuzz")
        notice = Notice(clinic_id=session.scalar(select(Clinic.id)), body="Back on Tuesday.",
                        shows_from=date(2026, 1, 1), shows_until=date(2099, 1, 1))
        save(session, notice, 0, None, lambda: setattr(notice, "title", "Closed Monday"),
             "A notice for the fuzz")
    add_staff(app, "admin-account", "admin")
    add_staff(app, "other-account", "staff")
    make_sheet(app, note="Twice a day")
    return app


class Console:
    """A test client signed in as the admin, with the CSRF token of its session."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        self.sign_in()

    def sign_in(self):
        """Sign in (again: an import may have replaced the accounts, or signed us out)."""
        with self.app.app_context():
            session = get_session()
            account = session.scalar(select(StaffAccount).filter_by(username="admin-account"))
            if account is None:
                add_staff(self.app, "admin-account", "admin")
                account = session.scalar(
                    select(StaffAccount).filter_by(username="admin-account"))
            account.active, account.role = True, "admin"
            account.must_change_password = False
            session.commit()
            session_key = account.session_key
        with self.client.session_transaction() as cookie:
            cookie["account"] = session_key
            cookie["since"] = cookie["seen"] = int(time.time())
        page = self.client.get("/staff/").get_data(as_text=True)
        self.csrf_token = token_from(page)


class LiveValues(dict):
    """Real slugs, ids, tokens and versions as they are now; the export file only if asked."""

    def __init__(self, app):
        super().__init__()
        self.app = app
        with app.test_request_context():
            session = get_session()
            screen = session.scalar(select(Screen).order_by(Screen.id))
            routine = session.scalar(select(Routine).order_by(Routine.id))
            stretches = session.scalars(select(Stretch).order_by(Stretch.id)).all()
            shown = routine.items[0].stretch if routine.items else stretches[0]
            sheet = session.scalar(select(PatientSheet).order_by(PatientSheet.id))
            media = session.get(Media, stretches[0].media_id or 0)
            notice = session.scalar(select(Notice).order_by(Notice.id))
            self.update({
                "screen_slug": screen.slug, "screen_id": screen.id,
                "screen_version": screen.version, "report_key": screen.report_key,
                "routine_slug": routine.slug, "routine_id": routine.id,
                "routine_version": routine.version,
                "stretch_slug": shown.slug, "stretch_id": shown.id,
                "stretch_version": shown.version, "other_stretch_id": stretches[-1].id,
                "slide_key": f"stretch/{shown.slug}",
                # Once the fuzz has deleted it, an id that names nothing: a 404 in words.
                "notice_id": notice.id if notice else 99999,
                "notice_version": notice.version if notice else 1,
                "token": sheet.token, "sheet_id": sheet.id,
                "clinic_version": session.scalar(select(Clinic.version)),
                "clinic_slug": session.scalar(select(Clinic.slug)),
                "screen_on": f"screen:{screen.id}",
                "clinic_on": f"clinic:{session.scalar(select(Clinic.slug))}",
                "media_id": media.id if media else 1,
                "media_v": media.sha256[:12] if media else "",
                "media_etag": f'"{media.sha256}"' if media else "",
                "figures_v": figures.fingerprint(),
                "sign_seen": source_fingerprint(session.scalar(
                    select(WarningSign.text).order_by(WarningSign.position))),
                **{live: session.scalar(select(StaffAccount.id).filter_by(username=name))
                   for live, name in (("account_id", "admin-account"),
                                      ("other_account_id", "other-account"))},
            })

    def __missing__(self, name):
        assert name == "export", name
        with self.app.app_context():
            self[name] = transfer.export_all(get_session())
        return self[name]


def resolve(value, live):
    if isinstance(value, Live):
        value = live[value.name]
    if isinstance(value, EditedExport):
        value = value.apply(live["export"])
    if isinstance(value, list):
        return [resolve(item, live) for item in value]
    return value if isinstance(value, bytes) else str(value)


@st.composite
def attempts(draw, route: Route):
    """A request for `route`: well-formed values with some (or all) broken or left out."""
    def fill(fields: dict, may_miss: bool, seldom: bool = False) -> dict:
        if not fields:
            return {}
        names = sorted(fields)
        broken = draw(st.one_of(st.just(set()), st.sets(st.sampled_from(names), max_size=2),
                                st.just(set(names))))
        if seldom and draw(st.integers(0, 3)):  # 3 times in 4, the page itself is found
            broken = set()
        values = {}
        for name in names:
            if name not in broken:
                value = draw(fields[name])
                if value is not MISSING:
                    values[name] = value
                continue
            value = draw(weird_or_missing if may_miss else weird)
            if value is MISSING:
                continue
            if isinstance(draw(fields[name]), list):  # a repeated field: several bad values
                value = [value, *draw(st.lists(weird, max_size=2))]
            values[name] = value
        return values

    return {
        "path": fill(route.path, may_miss=False, seldom=True),
        "query": fill(route.query, may_miss=True),
        "form": fill(route.form, may_miss=True),
        "files": fill(route.files, may_miss=True),
        "headers": {name: value for name, value in fill(route.headers, may_miss=True).items()
                    if isinstance(value, str)},
        "htmx": draw(st.booleans()),
        "address": f"198.51.100.{draw(st.integers(1, 254))}",
    }


def utf8(value: str) -> bytes:
    """As a browser would send it; a lone surrogate goes as its (invalid) UTF-8 bytes."""
    return value.encode("utf-8", "surrogatepass")


def as_received(value: str) -> str:
    """What Werkzeug decodes from those bytes: a form's invalid UTF-8 (a lone surrogate's
    bytes) comes through as its %XX escapes, by the error handler werkzeug.urls registers."""
    return utf8(value).decode("utf-8", "werkzeug.url_quote")


def latin1_header(value: str) -> str:
    return "".join(c for c in value if " " <= c <= "\xff" and c != "\x7f")


def urlencoded(pairs: list[tuple[str, str]]) -> str:
    return "&".join(f"{quote_plus(utf8(k))}={quote_plus(utf8(v))}" for k, v in pairs)


def pairs_of(values: dict) -> list[tuple[str, str]]:
    return [(name, item) for name, value in values.items()
            for item in (value if isinstance(value, list) else [value])]


def url_for_attempt(rule, path: dict, query: dict) -> str:
    def variable(match):
        safe = "/" if match.group(1) == "path" else ""
        return quote(utf8(path[match.group(2)]), safe=safe)

    url = re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", variable, rule.rule)
    return url + ("?" + urlencoded(pairs_of(query)) if query else "")


def send(console: Console, rule, method: str, attempt: dict, live: dict):
    path = {k: resolve(v, live) for k, v in attempt["path"].items()}
    query = {k: resolve(v, live) for k, v in attempt["query"].items()}
    form = {k: resolve(v, live) for k, v in attempt["form"].items()}
    headers = {k: latin1_header(resolve(v, live)) for k, v in attempt["headers"].items()}
    if attempt["htmx"]:
        headers["HX-Request"] = "true"
    url = url_for_attempt(rule, path, query)
    environ = {"REMOTE_ADDR": attempt["address"]}
    if method == "GET":
        return console.client.get(url, headers=headers, environ_base=environ), form
    form["csrf_token"] = console.csrf_token
    if not attempt["files"] and rule.endpoint not in ("staff.upload_stretch_media",
                                                      "staff.transfer_upload"):
        body = urlencoded(pairs_of(form))
        return console.client.post(url, data=body, headers=headers, environ_base=environ,
                                   content_type="application/x-www-form-urlencoded"), form
    # multipart/form-data: Werkzeug's encoder needs valid UTF-8, so lone surrogates go as the
    # urlencoded form's would arrive
    data = MultiDict([(as_received(k), as_received(v)) for k, v in pairs_of(form)])
    for name, content in attempt["files"].items():
        content = resolve(content, live)
        content = content if isinstance(content, bytes) else utf8(content)
        data.add(name, (io.BytesIO(content), "upload.bin"))
    return console.client.post(url, data=data, headers=headers, environ_base=environ,
                               content_type="multipart/form-data"), form


# ---- What must hold


def surfaces(app) -> list[str]:
    """The console's lists, the first screen (each slide and panel) and the first sheets."""
    with app.test_request_context():
        session = get_session()
        urls = ["/", "/staff/", "/staff/stretches", "/staff/routines", "/staff/screens",
                "/staff/history", "/staff/patient-sheets", "/staff/usage", "/staff/settings"]
        for screen in session.scalars(select(Screen).order_by(Screen.id).limit(1)):
            content = ScreenContent(session, screen)
            base = f"/display/{screen.slug}"
            urls += [base, f"{base}/browse", f"{base}/warning-signs", f"{base}/contact",
                     f"{base}/take-home"]
            urls += [f"{base}/slides/{quote(slide.key, safe='/')}" for slide in content.slides]
            urls += [f"{base}/stretches/{quote(s.slug)}" for s in content.stretches]
        for routine in session.scalars(select(Routine).order_by(Routine.id).limit(2)):
            urls.append(f"/s/{quote(routine.slug)}")
        for sheet in session.scalars(select(PatientSheet).order_by(PatientSheet.id.desc())
                                     .limit(1)):
            if find_live_sheet(session, sheet.token):
                urls.append(f"/p/{sheet.token}")
        return urls


def checked_page(response) -> str:
    """The page, once it is clear it is no crash, and says why if it refuses."""
    status = response.status_code
    page = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
    response.close()  # a static file's handle, when its body is not read
    assert status < 500, page
    assert "Traceback" not in page
    if status >= 400:
        assert refusal_message(page), f"a {status} that does not say why:\n{page}"
    return page


class LoggedProblems(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(self.format(record))


@pytest.fixture
def logged_problems(fuzz_app):
    handler = LoggedProblems()
    fuzz_app.logger.addHandler(handler)
    yield handler.records
    fuzz_app.logger.removeHandler(handler)


@pytest.mark.parametrize(("endpoint", "method"), sorted(ROUTES))
def test_bad_input_is_refused_in_words_and_changes_nothing(fuzz_app, logged_problems,
                                                           endpoint, method):
    route = ROUTES[endpoint, method]
    rule = next(fuzz_app.url_map.iter_rules(endpoint))
    console = Console(fuzz_app)
    changed = []

    @FUZZ
    @given(attempt=attempts(route))
    def throw(attempt):
        live = LiveValues(fuzz_app)
        before = fingerprint(fuzz_app)
        response, form = send(console, rule, method, attempt, live)
        page = checked_page(response)
        assert logged_problems == []
        after = fingerprint(fuzz_app)
        if response.status_code >= 400:
            assert after == before, f"a refused request ({response.status_code}) changed rows"
        if response.status_code in (301, 302, 303, 307, 308):
            # Where it leads, with its message (the flash is shown, and so used up).
            landing = console.client.get(response.location)
            page = checked_page(landing)
            assert landing.status_code == 200 or method == "GET", page
        if after != before and method == "POST":
            changed.append(attempt)
            for name in route.shows:
                if name in form and response.status_code < 400:
                    assert escape(as_received(form[name]).strip()) in page, name
            console.sign_in()
            for url in surfaces(fuzz_app):
                shown = console.client.get(url)
                assert shown.status_code == 200, (url, checked_page(shown))
        if route.signs_out:
            console.sign_in()

    throw()
    if changed and endpoint in PRINTED:
        # The sheets with everything that was saved still print.
        with fuzz_app.test_request_context():
            session = get_session()
            routine = session.scalar(select(Routine).order_by(Routine.id))
            newest = session.scalar(select(PatientSheet).order_by(PatientSheet.id.desc()))
            urls = [f"/s/{quote(routine.slug)}.pdf", f"/p/{newest.token}.pdf"]
        for url in urls:
            response = console.client.get(url)
            assert response.status_code == 200 and pdf_pages(response.data) >= 1, url


# ---- Unknown addresses, and what the fuzz found


UNKNOWN = [
    "/no-such-page", "/staff/no-such-page", "/static/css/no-such.css", "/display/no-such-screen",
    "/display/no-such-screen/slides/contact", "/display/no-such-screen/browse",
    "/display/no-such-screen/check", "/display/waiting-room/stretches/no-such-stretch",
    "/s/no-such-sheet", "/s/no-such-sheet.pdf", "/s/no-such-sheet/qr.svg",
    "/s/no-such-sheet/manifest.webmanifest", "/p/no-such-token", "/p/no-such-token.pdf",
    "/p/no-such-token/qr.svg", "/p/no-such-token/manifest.webmanifest", "/media/999999",
    f"/media/{2**40}", "/staff/stretches/999999", f"/staff/stretches/{2**40}",
    "/staff/routines/999999", "/staff/screens/999999", "/staff/patient-sheets/999999",
    "/staff/history/no-such-thing/1", "/staff/history/stretch/999999", "/s/%00", "/p/a%00b",
]


@pytest.mark.parametrize("path", UNKNOWN)
def test_unknown_slugs_tokens_and_screens_get_the_friendly_404(fuzz_app, path):
    console = Console(fuzz_app)
    response = console.client.get(path)
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert refusal_message(page), page
    # Somewhere to go from here: the start page, or the screens that do exist.
    assert 'href="/"' in page or 'href="/display/waiting-room"' in page
    if not path.startswith("/display/no-such-screen"):
        assert "0425 444 304" in page  # and whom to call


HUGE = str(2**40)
FOUND = [  # each was a 500 (or a wrong save) before it was fixed
    ("/staff/screens/new", {"name": "Gym", "window_action": "remove::"}, 200),
    ("/staff/screens/new", {"name": "Gym", "window_action": "remove:²"}, 200),
    ("/staff/screens/new", {"name": "Gym", "routine": "1", "dwell": "²", "idle": "60",
                            "kinds": "contact"}, 422),
    ("/staff/stretches/new", {"title": "Calf", "step_action": "up:²"}, 200),
    ("/staff/routines/new", {"title": "Evening", "item_action": "remove:" + "1" * 5000}, 200),
    ("/staff/stretches/preview", {"title": "Calf"}, 200),
    ("/staff/stretches/new", {"title": "Calf", "neck_order": "5", "hold_seconds": "10",
                              "repetitions": "3", "sides": "none", "position": "standing",
                              "demonstration": "neck-stretch"}, 422),
    ("/staff/screens/1/show-now", {"routine": HUGE, "minutes": "30"}, 303),
    ("/staff/patient-sheets/new", {"item_action": "routine", "from_routine": HUGE}, 200),
    ("/staff/patient-sheets/new", {"items-0-stretch": "1", "expires": HUGE}, 422),
    ("/staff/patient-sheets/new", {"items-0-stretch": "1", "expires": "-5"}, 422),
    ("/staff/stretches/1", {"title": "Neck\x00Stretch"}, 400),
    ("/staff/stretches/2", {"title": "Shoulders", "neck_order": "2", "hold_seconds": "10",
                            "repetitions": "3", "sides": "none", "position": "standing",
                            "demonstration": "neck-stretch", "steps-0": "Roll",
                            "version": "99"}, 409),  # a clash with no revision to show
    (f"/staff/stretches/{HUGE}/retire", {"version": "1"}, 404),
]


@pytest.mark.parametrize(("path", "form", "status"), FOUND)
def test_what_the_fuzz_found_stays_fixed(fuzz_app, path, form, status):
    console = Console(fuzz_app)
    before = fingerprint(fuzz_app)
    response = console.client.post(path, data={"csrf_token": console.csrf_token, **form})
    assert response.status_code == status, response.get_data(as_text=True)
    if status >= 400:
        assert refusal_message(response.get_data(as_text=True))
    assert fingerprint(fuzz_app) == before


def test_a_nul_in_a_query_is_refused_and_not_reported_as_a_slide(fuzz_app):
    response = fuzz_app.test_client().get("/display/waiting-room/check?showing=a%00b")
    assert response.status_code == 400
    assert "NUL" in refusal_message(response.get_data(as_text=True))


def test_a_patient_sheet_with_no_end_never_expires(fuzz_app):
    console = Console(fuzz_app)
    response = console.client.post("/staff/patient-sheets/new", data={
        "csrf_token": console.csrf_token, "items-0-stretch": "1", "items-0-hold": "",
        "items-0-repetitions": "", "expires": "0"})
    assert response.status_code == 303
    with fuzz_app.app_context():
        newest = get_session().scalar(select(PatientSheet).order_by(PatientSheet.id.desc()))
        assert newest.expires_on is None
