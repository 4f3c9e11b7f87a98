"""The staff guide's pictures (docs/staff-guide.md), taken from the real app in Chromium by
doing what the guide tells staff to do; so the guide's steps are tested too.

`make test` saves them to test-artifacts/staff-guide/; `make docs` runs this file with
STAFF_GUIDE_IMAGES=docs/images to refresh the committed pictures.
"""

import os
import time
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select

from kiosk.content import load_article
from kiosk.content.seed import seed
from kiosk.db import get_session, migrate
from kiosk.models import Clinic, Routine, Screen
from tests.e2e.conftest import ARTIFACTS, LiveServer, sign_in
from tests.staff_helpers import add_staff

IMAGES = Path(os.environ.get("STAFF_GUIDE_IMAGES") or Path(ARTIFACTS) / "staff-guide")
PUBLIC_URL = "http://192.168.1.20:8000"
# The screen's 1920 x 1080 CSS pixels drawn into 1280 x 720: sharp, and a third of the bytes.
SCREEN = {"viewport": {"width": 1920, "height": 1080}, "device_scale_factor": 2 / 3}
CONSOLE = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 1,
         "is_mobile": True, "has_touch": True}
# What Chromium and htmx log while the screen's server is unreachable: expected offline.
NETWORK_TROUBLE = ("Failed to load resource", "net::ERR_", "htmx:sendError", "htmx:afterRequest")
SAVED: set[Path] = set()


def save(page, name: str, height: int | None = None) -> Path:
    """A picture of what the page shows (its top `height` pixels), as a small PNG in IMAGES."""
    IMAGES.mkdir(parents=True, exist_ok=True)
    if height is None:
        shot = page.screenshot()
    else:
        width = page.viewport_size["width"]
        shot = page.screenshot(full_page=True, clip={"x": 0, "y": 0, "width": width,
                                                     "height": height})
    picture = Image.open(BytesIO(shot)).convert("RGB")
    path = IMAGES / f"{name}.png"
    SAVED.add(path)
    # 256 colours: screenshots of flat colours and text lose nothing a reader would see.
    picture.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        path, optimize=True)
    return path


@pytest.fixture(scope="module")
def clinic(tmp_path_factory):
    """The seeded kiosk, an admin, and a second screen that went quiet 25 minutes ago."""
    from kiosk import create_app

    folder = tmp_path_factory.mktemp("guide")
    os.environ.pop("KIOSK_PUBLIC_URL", None)
    app = create_app({"TESTING": True, "SECRET_KEY": "guide", "PUBLIC_URL": PUBLIC_URL,
                      "DATABASE_URL": f"sqlite:///{folder / 'kiosk.sqlite3'}",
                      "DWELL_SECONDS": 6})
    with app.app_context():
        migrate()
        session = get_session()
        seed(session, load_article())
        routine = session.scalar(select(Routine).filter_by(slug="back-pain-stretches"))
        session.add(Screen(slug="treatment-room", name="Treatment room", routine=routine,
                           clinic=Clinic.first(session),
                           last_report_at=datetime.now(UTC) - timedelta(minutes=25),
                           last_slide="Warning signs"))
        session.commit()
    add_staff(app, "jade", "admin")
    with LiveServer(app) as server:
        yield app, server
    with app.app_context():
        from kiosk.db import engine

        engine().dispose()


@pytest.fixture
def open_page(browser):
    """Pages in fresh contexts; a script error fails the test (network trouble may be allowed)."""
    contexts, problems = [], []

    def open_with(options, allow_network_trouble=False):
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()

        def on_console(message):
            if message.type != "error":
                return
            if allow_network_trouble and any(t in message.text for t in NETWORK_TROUBLE):
                return
            problems.append(message.text)

        page.on("console", on_console)
        page.on("pageerror", lambda error: problems.append(str(error)))
        return page

    yield open_with
    for context in contexts:
        context.close()
    assert problems == []



def wait_for_a_report(app, slug, within=20):
    """Until the screen has told the server what it shows, in the last few seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        with app.app_context():
            reported = get_session().scalar(select(Screen.last_report_at).filter_by(slug=slug))
        if reported and datetime.now(UTC) - reported < timedelta(seconds=5):
            return
        time.sleep(0.25)
    pytest.fail(f"the {slug} screen did not report within {within} s")


FADING = ("document.getAnimations().some(a => a.playState === 'running'"
          " && a.effect && a.effect.target && a.effect.target.classList.contains('slide'))")


def settled(page, within=10):
    """No slide half-way through its fade-in in the picture.

    Polled from here: the page's Content-Security-Policy forbids the eval that
    wait_for_function would use inside it.
    """
    deadline = time.monotonic() + within
    while page.evaluate(FADING):
        if time.monotonic() > deadline:
            pytest.fail(f"a slide was still fading in after {within} s")
        page.wait_for_timeout(50)


def test_the_screen_browse_and_follow_along(clinic, open_page):
    _app, server = clinic
    page = open_page(SCREEN)
    page.clock.install()
    page.goto(server.url + "/display/waiting-room")
    settled(page)
    save(page, "screen-loop")

    page.locator("#loop .slide h1").click()  # a tap anywhere
    expect(page.get_by_role("heading", name="Choose a stretch")).to_be_visible()
    save(page, "screen-browse")

    page.get_by_role("button", name="Neck Stretch").click()
    expect(page.get_by_role("heading", name="Neck Stretch")).to_be_visible()
    page.clock.pause_at(page.evaluate("Date.now() / 1000") + 1)
    page.get_by_role("button", name="Follow along").click()
    page.clock.fast_forward(8600)  # breathed in and out: the hold begins
    expect(page.locator("#panel [data-follow-along-cue]")).to_have_text("Hold")
    # The ring and the figure move in real time: let the clock run, a few seconds into the hold.
    page.clock.resume()
    expect(page.locator("#panel [data-follow-along-count]")).to_have_text("7", timeout=8000)
    save(page, "screen-follow-along")


def test_the_screen_offline_badge(clinic, open_page):
    _app, server = clinic
    page = open_page({**SCREEN, "service_workers": "block"}, allow_network_trouble=True)
    page.goto(server.url + "/display/waiting-room")
    settled(page)
    page.context.route("**/*", lambda route: route.abort())
    badge = page.locator(".offline-badge")
    expect(badge).to_be_visible(timeout=15_000)
    assert "Offline since" in badge.inner_text()
    settled(page)
    save(page, "screen-offline")
    page.context.unroute("**/*")
    expect(badge).to_be_hidden(timeout=15_000)


def test_the_console_pages_the_guide_walks_through(clinic, open_page):
    app, server = clinic
    console = open_page(CONSOLE)
    sign_in(console, server)

    # Add a screen: its pairing link (under Screens), opened on the screen itself; the link
    # names the clinic's address, which the test's screen reaches at the server's.
    console.get_by_role("link", name="Screens", exact=True).click()
    console.locator("tr", has_text="Waiting room").get_by_text("Pairing link", exact=True).click()
    link = console.get_by_role("textbox", name="Pairing link for Waiting room").input_value()
    assert link.startswith(PUBLIC_URL + "/display/waiting-room/pair/")
    screen = open_page(SCREEN)  # the waiting room, live: it reports what it shows
    screen.goto(server.url + link.removeprefix(PUBLIC_URL))
    assert screen.url == server.url + "/display/waiting-room"
    wait_for_a_report(app, "waiting-room")
    console.get_by_role("link", name="Screens status").click()

    # Screens status: one live, one gone quiet.
    status = console.locator("#screen-status")
    expect(status.locator(".status-live")).to_contain_text("Waiting room")
    expect(status.locator(".status-silent")).to_contain_text("this screen has gone quiet")
    save(console, "console-screen-status", height=420)

    # Where each screen's browser points, and the two ways to add one.
    console.get_by_role("link", name="Screens", exact=True).click()
    expect(console.get_by_role("link", name="Add a screen by its code")).to_be_visible()
    expect(console.get_by_role("link", name="Add a screen by hand")).to_be_visible()
    expect(console.get_by_text("/display/treatment-room")).to_be_visible()
    save(console, "console-screens", height=420)

    # Change a stretch: the neck stretch's hold, from 10 to 15 seconds.
    console.get_by_role("link", name="Stretches", exact=True).click()
    console.get_by_role("link", name="Neck Stretch", exact=True).click()
    console.get_by_label("Hold (seconds)").fill("15")
    console.get_by_role("button", name="Save", exact=True).click()
    # The save runs a revision and re-renders; a loaded 2-core machine can take a few seconds.
    expect(console.get_by_text("Saved Neck Stretch")).to_be_visible(timeout=20_000)
    save(console, "console-stretch")

    # Its history, with the version before the edit to restore.
    console.get_by_role("link", name="History of this stretch").click()
    expect(console.get_by_role("button", name="Restore version 1")).to_be_visible()
    save(console, "console-history", height=600)
    console.get_by_role("button", name="Restore version 1").click()
    expect(console.get_by_text("Restored version 1. Screens show it")).to_be_visible()

    # A routine: its stretches in order, each hold and repetitions.
    console.get_by_role("link", name="Routines", exact=True).click()
    console.get_by_role("link", name="Back pain stretches").click()
    expect(console.get_by_role("heading", name="Back pain stretches", exact=True)).to_be_visible()
    expect(console.get_by_label("Hold for Piriformis Stretch, seconds")).to_be_visible()
    expect(console.locator(".field-error")).to_have_count(0)  # nothing amiss before an edit
    save(console, "console-routine")

    # A notice: its title, a few lines, its days (today for a week, unless changed); on one
    # clinic's install nothing asks which clinic.
    console.get_by_role("link", name="Notices", exact=True).click()
    console.get_by_role("link", name="New notice").click()
    expect(console.get_by_label("Shown by")).to_have_count(0)
    console.get_by_label("Title").fill("Closed Monday 26 January")
    console.get_by_label("A few lines (optional)").fill("Australia Day.\nBack on Tuesday.")
    console.get_by_role("button", name="Save", exact=True).click()
    expect(console.get_by_text("Saved Closed Monday 26 January.")).to_be_visible()
    console.get_by_role("link", name="All notices").click()
    expect(console.get_by_role("region", name="Showing today")).to_contain_text(
        "Closed Monday 26 January")

    # A sheet for one patient, its QR code for their phone.
    console.get_by_role("link", name="Patient sheets").click()
    console.get_by_role("link", name="Make a sheet for a patient").click()
    console.get_by_label("Start from a routine").select_option(label="Back pain stretches")
    console.get_by_role("button", name="Add its stretches").click()
    console.get_by_label("Hold for Neck Stretch, seconds").fill("20")
    console.get_by_label("Note for the patient (optional)").fill(
        "Twice a day, gently. Stop if it hurts.")
    save(console, "console-patient-sheet-form")
    console.get_by_role("button", name="Make the sheet").click()
    qr = console.locator(".qr-large")
    expect(qr).to_be_visible()
    save(console, "console-patient-sheet-qr", height=860)

    # What the patient's phone opens.
    sheet = console.get_by_role("link", name="Open the sheet").get_attribute("href")
    phone = open_page(PHONE)
    phone.goto(server.url + sheet)
    expect(phone.get_by_text("Twice a day, gently.")).to_be_visible()
    save(phone, "phone-patient-sheet")


def test_the_patients_progress_and_the_summary_for_the_therapist(clinic, open_page):
    """What a patient shows at the follow-up: kept on their phone, four weeks of it."""
    from tests.e2e.test_progress import FOUR_WEEKS_KEPT

    _app, server = clinic
    phone = open_page(PHONE)
    phone.goto(server.url + "/s/back-pain-stretches")
    phone.evaluate(FOUR_WEEKS_KEPT, "kiosk-progress:/s/back-pain-stretches")
    phone.reload()
    record = phone.locator("[data-progress-record]")
    expect(record.locator("td.is-done")).to_have_count(21)
    record.evaluate("(element) => element.scrollIntoView({block: 'start'})")
    save(phone, "phone-progress")
    phone.get_by_role("button", name="Show my therapist").click()
    summary = phone.locator("#therapist")
    expect(summary.locator("[data-therapist-weeks] tr")).to_have_count(4)
    summary.evaluate("(element) => element.scrollIntoView({block: 'start'})")
    save(phone, "phone-show-my-therapist")


def test_staff_accounts_as_the_guide_tells_them(clinic, open_page):
    _app, server = clinic
    admin = open_page(CONSOLE)
    sign_in(admin, server)

    # Add someone: their temporary password is shown once, to hand over in person.
    admin.get_by_role("link", name="Accounts", exact=True).click()
    admin.get_by_label("Username").fill("maria.k")
    admin.get_by_role("button", name="Add the account").click()
    notice = admin.locator("#temporary-password")
    expect(notice).to_contain_text("Account maria.k is ready")
    temporary = notice.locator("code").inner_text()
    save(admin, "console-accounts", height=560)

    # Their first sign-in: they choose their own password before anything else.
    maria = open_page(CONSOLE)
    maria.goto(server.url + "/staff/login")
    maria.get_by_label("Username").fill("maria.k")
    maria.get_by_label("Password").fill(temporary)
    maria.get_by_role("button", name="Sign in").click()
    expect(maria.get_by_text("You signed in with a temporary password")).to_be_visible()
    save(maria, "console-your-password", height=700)
    maria.get_by_label("Current password").fill(temporary)
    maria.get_by_label("New password", exact=True).fill("reach-for-the-toes-7")
    maria.get_by_label("New password again").fill("reach-for-the-toes-7")
    maria.get_by_role("button", name="Change the password").click()
    expect(maria.get_by_text("Your password is changed.")).to_be_visible()

    # Her account's page: role, temporary password, sign out everywhere, deactivate.
    admin.get_by_role("link", name="maria.k", exact=True).click()
    expect(admin.get_by_role("heading", name="Account maria.k")).to_be_visible()
    expect(admin.get_by_role("region", name="Recently")).to_contain_text(
        "maria.k: Changed their password")
    save(admin, "console-account", height=720)


def test_the_pictures_stay_small():
    """They are committed to the repository: under 100 kB each, half a megabyte in all."""
    if not SAVED:
        pytest.skip("no pictures were made in this run")
    sizes = {path.name: path.stat().st_size for path in SAVED}
    assert max(sizes.values()) < 100_000, sizes
    assert sum(sizes.values()) < 500_000, sizes
