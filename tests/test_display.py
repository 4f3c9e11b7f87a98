"""The waiting-room screen's routes: the loop and its slides, browsing, proof of life."""

import gzip
import re
import time
from datetime import timedelta
from html.parser import HTMLParser
from io import BytesIO

import pytest
from itsdangerous import TimestampSigner
from PIL import Image
from sqlalchemy import insert, select

from kiosk import qr
from kiosk.content import load_article
from kiosk.content.seed import seed
from kiosk.db import engine, get_session, migrate
from kiosk.media import store_upload
from kiosk.models import (
    AuditEvent,
    Clinic,
    ContentState,
    Routine,
    RoutineItem,
    Screen,
    Stretch,
    utcnow,
)
from tests.conftest import PUBLIC_URL
from tests.readers import qr_codes_in_svg
from tests.staff_helpers import signed_in, token_from

HX = {"HX-Request": "true"}
SCREEN = "/display/waiting-room"
ARTICLE = load_article()
TITLES = [s["title"] for s in ARTICLE["stretches"]]
SLUGS = [s["slug"] for s in ARTICLE["stretches"]]
SHEET_URL = PUBLIC_URL + "/s/back-pain-stretches"
LOOP = [f"stretch/{slug}" for slug in SLUGS] + [
    "good-stretching",
    "give-it-time",
    "warning-signs",
    "contact",
]


class Markup(HTMLParser):
    """The tags of a page, for looking at attributes the way a browser would."""

    def __init__(self, html):
        super().__init__()
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def find(self, tag=None, **wanted):
        return [
            attrs for name, attrs in self.tags
            if (tag is None or name == tag)
            and all(attrs.get(key.replace("_", "-")) == value for key, value in wanted.items())
        ]


def slide_of(html):
    (article,) = Markup(html).find("article")
    return article


def walk_loop(client, screen=SCREEN, steps=12):
    """Follow each slide's link to the next, as the screen does; the keys in order."""
    slide = slide_of(client.get(screen).text)
    keys = [slide["data-slide"]]
    for _ in range(steps - 1):
        slide = slide_of(client.get(slide["hx-get"], headers=HX).text)
        keys.append(slide["data-slide"])
    return keys


def screen_row(session, slug="waiting-room"):
    session.expire_all()
    return session.scalar(select(Screen).filter_by(slug=slug))


def pairing_path(session, slug="waiting-room"):
    """The screen's pairing link, as the console gives it to staff (without the host)."""
    return f"/display/{slug}/pair/{screen_row(session, slug).report_key}"


@pytest.fixture
def paired(app, session):
    """The screen's own browser: it opened the pairing link once, as staff set it up."""
    screen = app.test_client()
    assert screen.get(pairing_path(session)).status_code == 303
    return screen


# ---- The loop


def test_display_opens_the_first_screen(client):
    response = client.get("/display")
    assert response.status_code == 302
    assert response.location.endswith(SCREEN)
    assert client.get("/display/").status_code in (302, 308)


def test_the_screen_starts_on_the_first_stretch_with_steps_hold_and_take_home_code(client):
    response = client.get(SCREEN)
    assert response.status_code == 200
    page = response.text
    assert page.startswith("<!doctype html>")
    slide = slide_of(page)
    assert slide["data-slide"] == "stretch/neck-stretch"
    assert "<h1>Neck Stretch</h1>" in page
    for step in ARTICLE["stretches"][0]["steps"]:
        assert step in page
    assert "<li>Hold for 10 seconds</li>" in page
    assert "<li>3 times</li>" in page
    assert "Left side, then right side" in page
    # The corner code is the routine's sheet on the clinic's public address.
    assert qr.svg(SHEET_URL, f"QR code: scan to take these stretches home, {SHEET_URL[7:]}") in page


def test_each_slide_links_to_the_next_in_the_order_of_the_screens_slide_kinds(client):
    assert walk_loop(client) == LOOP + [LOOP[0]]


def test_slide_kinds_choose_which_slides_and_in_what_order(client, session):
    screen_row(session).slide_kinds = ["contact", "warning_signs", "advice"]
    session.commit()
    assert walk_loop(client, steps=5) == [
        "contact", "warning-signs", "good-stretching", "give-it-time", "contact",
    ]


def test_a_screen_with_no_slide_kinds_still_shows_the_contact_slide(client, session):
    screen_row(session).slide_kinds = []
    session.commit()
    assert walk_loop(client, steps=2) == ["contact", "contact"]


def test_a_slide_asked_for_by_htmx_is_only_the_slide(client):
    response = client.get(f"{SCREEN}/slides/contact", headers=HX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith("<article class=\"slide slide--contact\"")
    assert "<html" not in response.text
    assert "HX-Request" in response.vary
    assert response.cache_control.no_cache
    slide = slide_of(response.text)
    assert slide["hx-get"] == f"{SCREEN}/slides/stretch/neck-stretch"
    assert slide["hx-trigger"] == "kiosk:next"
    assert slide["hx-swap"] == "outerHTML"


def test_a_slide_opened_directly_is_the_whole_screen_on_that_slide(client):
    page = client.get(f"{SCREEN}/slides/warning-signs").text
    assert page.startswith("<!doctype html>")
    assert slide_of(page)["data-slide"] == "warning-signs"
    for sign in ARTICLE["warning_signs"]:
        assert sign["text"] in page


def test_a_slide_that_has_gone_gives_the_first_one(client):
    response = client.get(f"{SCREEN}/slides/stretch/no-such-stretch", headers=HX)
    assert response.status_code == 200
    assert slide_of(response.text)["data-slide"] == "stretch/neck-stretch"


def test_every_kind_of_slide_shows_the_articles_words(client):
    def slide(key):
        return client.get(f"{SCREEN}/slides/{key}", headers=HX).text

    good = slide("good-stretching")
    for tip in ARTICLE["tips"]:
        assert tip["text"] in good
    for note in ARTICLE["safety_notes"]:
        assert note["text"] in good
    assert "in time you will see and feel a difference" in slide("give-it-time")
    contact = slide("contact")
    assert "Jade Tran" in contact and "0425 444 304" in contact
    assert SHEET_URL.removeprefix("http://") in contact


def test_the_dwell_is_the_screens_unless_kiosk_dwell_seconds_says_otherwise(
    client, session, seeded_app
):
    assert slide_of(client.get(SCREEN).text)["data-dwell-ms"] == "15000"
    screen_row(session).dwell_seconds = 25
    session.commit()
    assert slide_of(client.get(SCREEN).text)["data-dwell-ms"] == "25000"
    fast = seeded_app(DWELL_SECONDS=2, IDLE_SECONDS=3).test_client()
    page = fast.get(SCREEN).text
    assert slide_of(page)["data-dwell-ms"] == "2000"
    assert Markup(page).find("body")[0]["data-idle-ms"] == "3000"


def test_dwell_ms_is_a_test_only_setting_for_faster_than_a_second(seeded_app):
    client = seeded_app(DWELL_MS=150).test_client()
    assert slide_of(client.get(SCREEN).text)["data-dwell-ms"] == "150"


def test_the_routines_hold_and_repetitions_win_over_the_stretchs_own(client, session):
    routine = session.scalar(select(Routine).filter_by(slug="back-pain-stretches"))
    item = next(i for i in routine.items if i.stretch.slug == "piriformis-stretch")
    item.hold_seconds, item.repetitions = 20, 2
    session.commit()
    slide = client.get(f"{SCREEN}/slides/stretch/piriformis-stretch", headers=HX).text
    assert "<li>Hold for 20 seconds</li>" in slide
    assert "<li>2 times</li>" in slide
    panel = client.get(f"{SCREEN}/stretches/piriformis-stretch", headers=HX).text
    (timer,) = Markup(panel).find(data_follow_along="")
    assert (timer["data-hold-seconds"], timer["data-repetitions"]) == ("20", "2")


def test_a_photo_staff_uploaded_shows_instead_of_the_animation(app, client, session):
    picture = BytesIO()
    Image.new("RGB", (640, 480), "teal").save(picture, "PNG")
    picture.seek(0)
    with app.app_context():
        photo = store_upload(session, "hip-twists.png", picture)
    session.scalar(select(Stretch).filter_by(slug="hip-twists")).media_id = photo.id
    session.commit()
    slide = client.get(f"{SCREEN}/slides/stretch/hip-twists", headers=HX).text
    (image,) = Markup(slide).find("img")
    assert image["class"] == "demo-media"
    assert image["alt"] == "How to do the Hip Twists"
    assert "demo-animated" not in slide
    assert "demo-animated" in client.get(f"{SCREEN}/slides/stretch/psoas-stretch", headers=HX).text


def test_retired_stretches_leave_the_loop_and_the_tiles(client, session):
    session.scalar(select(Stretch).filter_by(slug="psoas-stretch")).retired = True
    session.commit()
    assert "stretch/psoas-stretch" not in walk_loop(client, steps=11)
    assert "Psoas Stretch" not in client.get(f"{SCREEN}/browse", headers=HX).text


def test_show_this_routine_now_changes_the_slides(client, session):
    neck_only = Routine(slug="neck-only", title="Neck only")
    neck_only.items = [
        RoutineItem(stretch=session.scalar(select(Stretch).filter_by(slug="neck-stretch")),
                    position=1, hold_seconds=15),
    ]
    session.add(neck_only)
    screen = screen_row(session)
    screen.override_routine = neck_only
    screen.override_until = utcnow() + timedelta(minutes=30)
    session.commit()
    keys = walk_loop(client, steps=5)
    assert keys == ["stretch/neck-stretch", "good-stretching", "give-it-time",
                    "warning-signs", "contact"]
    assert PUBLIC_URL[7:] + "/s/neck-only" in client.get(f"{SCREEN}/slides/contact").text


def test_a_screen_without_a_routine_shows_the_rest(client, session):
    screen_row(session).routine = None
    session.commit()
    assert walk_loop(client, steps=5) == ["good-stretching", "give-it-time", "warning-signs",
                                          "contact", "good-stretching"]
    browse = client.get(f"{SCREEN}/browse", headers=HX).text
    assert "Take this routine home" not in browse and "Warning signs" in browse


# ---- Proof of life and the version check


def test_each_slide_request_reports_what_the_screen_shows(paired, session):
    before = screen_row(session)
    updated_at, version = before.updated_at, before.version
    paired.get(f"{SCREEN}/slides/stretch/hip-twists", headers=HX)
    screen = screen_row(session)
    assert screen.last_slide == "Hip Twists"
    assert utcnow() - screen.last_report_at < timedelta(seconds=5)
    # A report is not an edit: no new version, nothing for the revision history.
    assert (screen.updated_at, screen.version) == (updated_at, version)


def test_an_unchanged_slide_is_a_304_and_still_counts_as_a_report(paired, session):
    first = paired.get(f"{SCREEN}/slides/contact", headers=HX)
    paired.get(f"{SCREEN}/slides/warning-signs", headers=HX)
    etag = {"If-None-Match": first.headers["ETag"]}
    again = paired.get(f"{SCREEN}/slides/contact", headers={**HX, **etag})
    assert again.status_code == 304
    assert screen_row(session).last_slide == "Contact"


def test_the_check_reports_and_answers_with_the_version(paired, session):
    client = paired
    response = client.get(f"{SCREEN}/check?showing=Browsing: Neck Stretch")
    assert response.status_code == 200
    assert response.cache_control.no_store
    status = response.get_json()
    assert re.fullmatch(r"\d+\.\d+", status["version"])
    assert status["idle_ms"] == 60000
    assert screen_row(session).last_slide == "Browsing: Neck Stretch"

    ContentState.bump(session)
    session.commit()
    bumped = client.get(f"{SCREEN}/check?showing=Contact").get_json()["version"]
    assert bumped != status["version"]
    screen_row(session).version += 1
    session.commit()
    assert client.get(f"{SCREEN}/check?showing=Contact").get_json()["version"] != bumped


def test_the_staff_consoles_preview_does_not_report_as_the_screen(paired, session):
    client = paired  # even in the screen's own browser
    page = client.get(f"{SCREEN}?preview=1").text
    body = Markup(page).find("body")[0]
    assert body["data-preview"] == "yes"
    assert body["data-check-url"] == f"{SCREEN}/check?preview=1"
    slide = slide_of(page)
    assert slide["hx-get"] == f"{SCREEN}/slides/stretch/shoulder-rolls?preview=1"
    client.get(slide["hx-get"], headers=HX)
    client.get(f"{SCREEN}/check?preview=1&showing=Contact")
    assert screen_row(session).last_report_at is None


def test_the_same_report_again_is_not_written_again_at_once(paired, session):
    client = paired
    client.get(f"{SCREEN}/check?showing=Paused: Contact")
    first = screen_row(session).last_report_at
    client.get(f"{SCREEN}/check?showing=Paused: Contact")
    assert screen_row(session).last_report_at == first
    client.get(f"{SCREEN}/check?showing={'x' * 500}")
    assert screen_row(session).last_slide == "x" * 200


# ---- Pairing: only the screen's own browser is proof of life


def console_status(staff) -> str:
    """What the console's Screens status says about the waiting room."""
    page = staff.get("/staff/").text
    return " ".join(re.search(r"<strong>Waiting room</strong>:(.*?)</li>", page, re.S)[1].split())


def test_anyone_may_open_a_screen_but_its_visits_are_not_reports(app, client, session):
    staff = signed_in(app)
    before = console_status(staff)
    assert client.get(SCREEN).status_code == 200
    assert client.get(f"{SCREEN}/check?showing=Anything").status_code == 200
    for _ in range(2):  # made, then kept (fragments.py): both ways of answering a slide
        visitor = client.get(f"{SCREEN}/slides/contact", headers=HX)
    assert visitor.status_code == 200 and "set-cookie" not in visitor.headers
    assert (screen_row(session).last_report_at, screen_row(session).last_slide) == (None, "")
    assert console_status(staff) == before
    assert "not paired yet" in before
    # The same slide as the screen itself gets; only the screen's fetch is a report.
    paired = app.test_client()
    paired.get(pairing_path(session))
    assert paired.get(f"{SCREEN}/slides/contact", headers=HX).data == visitor.data
    assert screen_row(session).last_slide == "Contact"
    assert console_status(staff).startswith("Contact, ")
    client.get(f"{SCREEN}/check?showing=Anything")
    client.get(f"{SCREEN}/slides/warning-signs", headers=HX)
    assert screen_row(session).last_slide == "Contact"


def test_the_pairing_link_marks_this_browser_and_lands_on_the_screens_own_address(app, session):
    key = screen_row(session).report_key
    screen = app.test_client()
    response = screen.get(pairing_path(session))
    assert response.status_code == 303
    assert response.location == SCREEN  # the key leaves the address bar
    assert response.cache_control.no_store and response.headers["Referrer-Policy"] == "no-referrer"
    (cookie,) = response.headers.getlist("Set-Cookie")
    name, *attributes = [part.strip() for part in cookie.split(";")]
    assert name.startswith("kiosk_screen=") and key not in name
    assert {"HttpOnly", "SameSite=Strict", f"Path={SCREEN}",
            f"Max-Age={400 * 24 * 3600}"} <= set(attributes)
    assert screen.get(response.location).status_code == 200
    screen.get(f"{SCREEN}/check?showing=Browsing: Neck Stretch")
    assert screen_row(session).last_slide == "Browsing: Neck Stretch"


def test_a_wrong_key_sets_nothing_and_says_to_ask_staff_for_a_new_link(client, session):
    other = Screen(slug="treatment-room", name="Treatment room", clinic=Clinic.first(session))
    session.add(other)
    session.commit()
    for key in ("0" * 64, other.report_key, "x"):
        response = client.get(f"{SCREEN}/pair/{key}")
        assert response.status_code == 404
        assert "set-cookie" not in response.headers
        assert "Ask staff for a new pairing link" in response.text
        assert f'href="{SCREEN}"' in response.text  # the screen, unpaired, a tap away
    client.get(f"{SCREEN}/check?showing=Anything")
    assert screen_row(session).last_report_at is None
    assert client.get("/display/foyer/pair/x").status_code == 404


def test_a_cookie_made_for_one_screen_does_not_count_for_another(paired, session):
    session.add(Screen(slug="treatment-room", name="Treatment room",
                       clinic=Clinic.first(session)))
    session.commit()
    cookie = paired.get_cookie("kiosk_screen", path=SCREEN)
    paired.set_cookie("kiosk_screen", cookie.value, path="/display/treatment-room")
    paired.get("/display/treatment-room/check?showing=Anything")
    assert screen_row(session, "treatment-room").last_report_at is None


def test_pairing_again_makes_the_old_pairing_stop_counting(app, client, paired, session):
    staff = signed_in(app)
    screen_id, old_link = screen_row(session).id, pairing_path(session)
    paired.get(f"{SCREEN}/check?showing=Contact")
    assert console_status(staff).startswith("Contact, ")

    page = staff.get(f"/staff/screens/{screen_id}").text
    response = staff.post(f"/staff/screens/{screen_id}/pair-again",
                          data={"csrf_token": token_from(page)})
    assert response.status_code == 303
    page = staff.get(response.location).text
    assert "has a new pairing link" in page and "Not paired yet" in page
    assert "not paired yet" in console_status(staff)
    row = screen_row(session)
    assert (row.last_report_at, row.last_slide) == (None, "")
    logged = session.scalars(select(AuditEvent.action).filter_by(actor="staff-account")).all()
    assert "screen_paired_again" in logged
    new_link = PUBLIC_URL + pairing_path(session)
    assert new_link in page and PUBLIC_URL + old_link not in page

    paired.get(f"{SCREEN}/check?showing=Warning signs")  # the browser paired with the old key
    paired.get(f"{SCREEN}/slides/warning-signs", headers=HX)
    assert screen_row(session).last_report_at is None
    assert client.get(old_link).status_code == 404
    assert client.get(new_link.removeprefix(PUBLIC_URL)).status_code == 303
    client.get(f"{SCREEN}/check?showing=Warning signs")
    assert console_status(staff).startswith("Warning signs, ")


def test_an_old_link_on_a_browser_paired_since_goes_to_the_screen(paired):
    """The launcher may still hold the old link after staff paired the screen by hand."""
    response = paired.get(f"{SCREEN}/pair/{'0' * 64}")
    assert response.status_code == 303 and response.location == SCREEN
    assert "set-cookie" not in response.headers


def test_a_paired_screen_gets_a_fresh_cookie_before_browsers_drop_it(app, session, monkeypatch):
    screen = app.test_client()
    two_days_ago = int(time.time()) - 2 * 24 * 3600
    with monkeypatch.context() as patched:
        patched.setattr(TimestampSigner, "get_timestamp", lambda signer: two_days_ago)
        screen.get(pairing_path(session))
    # Its polls renew a cookie older than a day, once; every page load renews it.
    assert "kiosk_screen=" in screen.get(f"{SCREEN}/check").headers.get("Set-Cookie", "")
    assert "set-cookie" not in screen.get(f"{SCREEN}/check").headers
    page = screen.get(SCREEN)
    assert "kiosk_screen=" in page.headers.get("Set-Cookie", "")
    assert "private" in page.headers["Cache-Control"]  # no shared cache passes it on
    assert "set-cookie" not in app.test_client().get(SCREEN).headers


def test_what_a_paired_screen_says_is_shortened_and_escaped_in_the_console(app, paired, session):
    staff = signed_in(app)
    paired.get(f"{SCREEN}/check", query_string={"showing": "<b>Hi</b>  \n there" + "x" * 300})
    status = console_status(staff)
    assert status.startswith("&lt;b&gt;Hi&lt;/b&gt; there") and "<b>" not in status
    assert len(screen_row(session).last_slide) == 200


def test_after_the_update_a_screen_is_not_paired_until_staff_pair_it(empty_app):
    """Reports from before pairing existed could have come from anyone: they are forgotten."""
    with empty_app.app_context():
        migrate("0006")
        with engine().begin() as connection:  # the waiting room as 0006 kept it, reporting
            connection.execute(insert(Screen.__table__).values(
                slug="waiting-room", name="Waiting room", last_report_at=utcnow(),
                last_slide="Contact"))
        migrate()
        seed(get_session(), load_article())
        screen = get_session().scalar(select(Screen))
        assert (screen.last_report_at, screen.last_slide) == (None, "")
    assert "not paired yet" in console_status(signed_in(empty_app))


def test_the_console_gives_each_screens_pairing_link(app, session):
    staff = signed_in(app)
    link = PUBLIC_URL + pairing_path(session)  # at the address screens reach the app
    screens = staff.get("/staff/screens").text
    assert f'value="{link}"' in screens
    assert "open the screen's pairing link once on the screen itself" in screens
    edit = staff.get(f"/staff/screens/{screen_row(session).id}").text
    assert f'value="{link}"' in edit and "Not paired yet" in edit
    assert "QR code of the pairing link for Waiting room" in edit


def test_staff_edits_show_from_the_next_slide(client, session):
    client.get(SCREEN)
    session.scalar(select(Stretch).filter_by(slug="shoulder-rolls")).title = "Shoulder Circles"
    ContentState.bump(session)
    session.commit()
    slide = client.get(f"{SCREEN}/slides/stretch/shoulder-rolls", headers=HX).text
    assert "<h1>Shoulder Circles</h1>" in slide


# ---- Browsing


def test_browse_has_a_tile_per_stretch_from_the_neck_down_and_three_more(client):
    response = client.get(f"{SCREEN}/browse", headers=HX)
    assert "<html" not in response.text
    assert "HX-Request" in response.vary
    tiles = Markup(response.text).find("button")
    urls = [tile.get("hx-get") for tile in tiles if tile.get("class") == "tile"]
    assert urls == [f"{SCREEN}/stretches/{slug}" for slug in SLUGS]
    titles = re.findall(r'<span class="tile__title">([^<]+)</span>', response.text)
    assert titles == TITLES + ["Warning signs", "Contact", "Take this routine home"]
    assert [t.get("data-action") for t in tiles if "back" in t.get("class", "")] == ["loop"]


def test_a_stretch_opens_to_its_steps_hold_cautions_and_follow_along(client, session):
    psoas = session.scalar(select(Stretch).filter_by(slug="psoas-stretch"))
    psoas.cautions = "Keep your back knee soft."
    session.commit()
    response = client.get(f"{SCREEN}/stretches/psoas-stretch", headers=HX)
    assert response.status_code == 200
    page = response.text
    assert "<h1>Psoas Stretch</h1>" in page
    for step in ARTICLE["stretches"][5]["steps"]:
        assert step in page
    assert "Keep your back knee soft." in page
    (timer,) = Markup(page).find(data_follow_along="")
    assert timer["data-hold-seconds"] == "10"
    assert timer["data-repetitions"] == "3"
    assert timer["data-sides"] == '["left", "right"]'
    (back,) = Markup(page).find("button", **{"class": "button back"})
    assert back["hx-get"] == f"{SCREEN}/browse"


def test_a_panel_opened_directly_is_the_whole_screen_on_it(client):
    page = client.get(f"{SCREEN}/stretches/neck-stretch").text
    assert page.startswith("<!doctype html>")
    body = Markup(page).find("body")[0]
    assert body["data-mode"] == "panel"
    assert 'class="slide ' in page  # the loop is under it, to go back to


@pytest.mark.parametrize(
    ("view", "words"),
    [
        ("warning-signs", ["Loss of control of bladder or bowels", "urgently consult"]),
        ("contact", ["Book a session", "0425 444 304"]),
        ("take-home", ["Take this routine home", "clinic.test:8000/s/back-pain-stretches"]),
    ],
)
def test_warning_signs_contact_and_take_home_panels(client, view, words):
    page = client.get(f"{SCREEN}/{view}", headers=HX).text
    for word in words:
        assert word in page


def test_the_take_home_panel_shows_a_big_code_for_the_sheet(client):
    page = client.get(f"{SCREEN}/take-home", headers=HX).text
    assert "<svg" in page and 'role="img"' in page
    code = re.search(r'<div class="qr">(.*?)</div>', page, re.S).group(1)
    assert qr_codes_in_svg(code) == [SHEET_URL]  # what a phone reads is the sheet's address
    assert SHEET_URL[7:] in page


def test_an_unknown_stretch_is_not_found(client):
    assert client.get(f"{SCREEN}/stretches/cartwheel", headers=HX).status_code == 404


# ---- Friendly errors


def test_an_unknown_screen_is_a_friendly_404_naming_the_screens_there_are(client):
    response = client.get("/display/foyer")
    assert response.status_code == 404
    assert "There is no screen called “foyer”" in response.text
    assert "/display/waiting-room" in response.text
    assert client.get("/display/foyer/slides/contact", headers=HX).status_code == 404
    assert client.get("/display/foyer/check").status_code == 404


def test_a_groups_unknown_screen_says_how_to_join_and_names_no_clinics_screens(north):
    """Anyone can ask for /display/<anything>: on a group's install the answer names no
    clinic's screens, and gives the way a new screen joins instead."""
    response = north.test_client().get("/display/foyer")
    assert response.status_code == 404
    assert "There is no screen called “foyer”" in response.text
    assert 'href="/display/pairing"' in response.text
    for screen in ("Waiting room", "/display/waiting-room", "Front desk", "/display/front-desk"):
        assert screen not in response.text


def test_no_screens_at_all_says_how_to_add_one(client, session):
    """With no screen yet, /display gives the screen a code to join by, and says where."""
    for screen in session.scalars(select(Screen)):
        session.delete(screen)
    session.commit()
    response = client.get("/display", follow_redirects=True)
    assert response.request.path == "/display/pairing"
    assert "type this code in the staff console" in response.text
    assert "Add a screen by its code" in response.text


# ---- Kiosk manners, lean pages, the service worker


DISPLAY_URLS = [
    SCREEN,
    f"{SCREEN}/browse",
    f"{SCREEN}/stretches/neck-stretch",
    f"{SCREEN}/warning-signs",
    f"{SCREEN}/contact",
    f"{SCREEN}/take-home",
] + [f"{SCREEN}/slides/{key}" for key in LOOP]


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_no_link_or_form_leaving_the_kiosk_and_only_its_own_deferred_scripts(client, htmx):
    """(Nothing inline either: tests/test_headers.py reads every page and fragment for that.)"""
    for url in DISPLAY_URLS:
        html = client.get(url, headers=HX if htmx else {}).text
        markup = Markup(html)
        for tag, attrs in markup.tags:
            if tag == "script":
                assert attrs.get("src", "").startswith("/static/"), url
                assert "defer" in attrs
            assert tag != "a", f"{url} has a link; a screen has no links to follow"
            assert tag != "form"
        for attrs in markup.find("link") + markup.find("script"):
            assert "?v=" in (attrs.get("href") or attrs.get("src")), "not fingerprinted"


def test_a_slide_swap_is_a_few_kilobytes(client):
    sizes, sent = {}, {}
    for key in LOOP:
        url = f"{SCREEN}/slides/{key}"
        plain = client.get(url, headers=HX)
        zipped = client.get(url, headers={**HX, "Accept-Encoding": "gzip, deflate, br"})
        assert zipped.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(zipped.data) == plain.data
        sizes[key], sent[key] = len(plain.data), len(zipped.data)
    print("slide fragment bytes, HTML:", sizes)
    print("slide fragment bytes, sent gzipped:", sent)
    # The drawings make a stretch slide's HTML tens of KB; what crosses the Wi-Fi is a few.
    assert max(sent.values()) < 6_000, sent
    assert max(sizes.values()) < 50_000, sizes


def test_the_first_load_is_small(client):
    page = client.get(SCREEN)
    markup = Markup(page.text)
    files = [a["href"] for a in markup.find("link") if a.get("rel") == "stylesheet"]
    files += [a["src"] for a in markup.find("script")]
    gzipped = {"Accept-Encoding": "gzip, deflate, br"}
    sizes = {"page": len(page.data)}
    sent = {"page": len(client.get(SCREEN, headers=gzipped).data)}
    for url in files:
        name = url.split("?")[0]
        with client.get(url) as response:
            assert response.status_code == 200, url
            assert response.cache_control.immutable, url
            sizes[name] = len(response.data)
        with client.get(url, headers=gzipped) as response:
            sent[name] = len(response.data)
    print("first-load bytes:", sum(sizes.values()), sizes)
    print("first-load bytes, sent gzipped:", sum(sent.values()), sent)
    # Once, then never again: every file is fingerprinted and kept for a year.
    assert sum(sent.values()) < 80_000, sent
    assert sent["page"] < 8_000


def test_the_service_worker_is_served_from_display_so_its_scope_is_display(client):
    with client.get("/display/sw.js") as response:
        assert response.status_code == 200
        assert response.mimetype in ("text/javascript", "application/javascript")
        assert response.headers["Cache-Control"] == "no-cache"
        assert "Service-Worker-Allowed" not in response.headers
    body = Markup(client.get(SCREEN).text).find("body")[0]
    assert body["data-worker-url"] == "/display/sw.js"
    assert body["data-worker-scope"] == "/display/"


def test_the_follow_along_timer_is_a_macro_the_phone_sheet_can_use(app):
    with app.test_request_context():
        template = app.jinja_env.get_template("shared/follow_along.html")
        html = str(template.module.follow_along("Hip Twists", 12, 2, ["left", "right"]))
    (timer,) = Markup(html).find(data_follow_along="")
    assert timer["data-hold-seconds"] == "12"
    assert timer["data-repetitions"] == "2"
    assert timer["data-sides"] == '["left", "right"]'
    assert "Follow along" in html and "Stop" in html
    assert "style=" not in html and "<script" not in html


def test_the_urls_command_prints_each_screens_pairing_link_for_the_installer(app, runner,
                                                                             session):
    output = runner.invoke(args=["urls"]).output
    link = f"{PUBLIC_URL}{pairing_path(session)}"
    assert f"pairing link: {link}" in output
    assert app.test_client().get(link.removeprefix(PUBLIC_URL)).status_code == 303


def test_every_file_the_screen_runs_on_is_in_its_release_fingerprint(client):
    """A screen reloads itself when a file it runs on changes: each script and stylesheet the
    page loads must be in that fingerprint, or a new release of it never reaches the screen."""
    from kiosk.display import SHELL

    page = client.get("/display/waiting-room").get_data(as_text=True)
    loaded = re.findall(r'(?:src|href)="/static/([^"?]+\.(?:js|css))\?v=', page)
    assert loaded and set(loaded) <= set(SHELL), set(loaded) - set(SHELL)
