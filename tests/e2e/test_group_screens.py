"""A group's screens in Chromium: a new screen at /display shows a code; staff, by keyboard alone,
type it into the console with North Lakes, a name and a routine; the screen starts North Lakes'
loop by itself, gives North Lakes' phone, and its contact slide's QR code (read off a
screenshot by a real decoder) opens a sheet with that phone. The fleet view shows both clinics'
screens and turns the new one red when it goes quiet. axe finds nothing serious on the way."""

import re
from datetime import UTC, datetime

from playwright.sync_api import expect
from sqlalchemy import select

from kiosk.db import get_session
from kiosk.models import (
    Clinic,
    ContentState,
    Routine,
    RoutineItem,
    Screen,
    ScreenSchedule,
    Stretch,
)
from tests.e2e.conftest import assert_accessible, screenshot
from tests.e2e.display_fixtures import LANDSCAPE
from tests.readers import qr_codes_in_image
from tests.staff_helpers import NORTH, PASSWORD, add_staff

CONSOLE = {"viewport": {"width": 1280, "height": 900}}
NORTH_PHONE = "07 3000 9999"


def tab_to(page, name: str, limit: int = 80):
    """Press Tab until the control named `name` has the focus, as a keyboard user does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => {
            const el = document.activeElement;
            const label = el.labels && el.labels[0] ? el.labels[0].textContent : '';
            return (el.getAttribute('aria-label') || label || el.textContent || '').trim();
        }""")
        if focused.startswith(name):
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_a_screen_joins_north_lakes_by_its_code_and_the_fleet_view_sees_it_go_quiet(
        serve, new_page, tmp_path):
    server = serve(SCREEN_SILENT_SECONDS=8, DWELL_SECONDS=3)
    result = server.app.test_cli_runner().invoke(args=NORTH)
    assert result.exit_code == 0, result.output
    with server.app.app_context():
        for clinic in get_session().scalars(select(Clinic)):
            clinic.public_url = server.url  # phones reach the app where the test serves it
        get_session().commit()
    add_staff(server.app, "olive", "admin")

    screen = new_page(viewport=LANDSCAPE)
    screen.goto(server.url + "/display")
    code = screen.locator(".joining-code")
    expect(code).to_have_text(re.compile(r"^[A-Z0-9]{3} [A-Z0-9]{3}$"))
    assert_accessible(screen, "a new screen's code")
    screenshot(screen, "display-joining-code")

    console = new_page(**CONSOLE)
    console.goto(server.url + "/staff/login")
    tab_to(console, "Username")
    console.keyboard.type("olive")
    console.keyboard.press("Tab")
    console.keyboard.type(PASSWORD)
    console.keyboard.press("Enter")
    console.wait_for_url("**/staff/")
    console.goto(server.url + "/staff/screens")
    tab_to(console, "Add a screen by its code")
    console.keyboard.press("Enter")
    expect(console.get_by_role("heading", name="Add a screen by its code")).to_be_visible()
    assert_accessible(console, "add a screen by its code")
    tab_to(console, "Code on the screen")
    console.keyboard.type(code.text_content().lower())
    tab_to(console, "Clinic")
    console.keyboard.type("Back in Balance North")  # a closed select picks by typing
    tab_to(console, "Name")
    console.keyboard.type("Front desk")
    tab_to(console, "Add the screen")
    console.keyboard.press("Enter")
    expect(console.get_by_role("heading", name="Front desk")).to_be_visible()

    # The screen notices within a few seconds, and shows North Lakes' loop, paired.
    screen.wait_for_url(re.compile(r"/display/front-desk$"), timeout=15_000)
    screen.goto(server.url + "/display/front-desk/contact")
    expect(screen.locator("body")).to_contain_text(NORTH_PHONE)
    qr = screen.locator(".big-qr .qr").first
    qr.screenshot(path=tmp_path / "contact-qr.png")
    [address] = qr_codes_in_image(tmp_path / "contact-qr.png")
    assert address.startswith(server.url + "/c/north-lakes/s/"), address
    phone = new_page(viewport={"width": 390, "height": 844})
    phone.goto(address)
    expect(phone.locator("body")).to_contain_text(NORTH_PHONE)
    expect(phone.locator("body")).not_to_contain_text("0425 444 304")
    screen.goto(server.url + "/display/front-desk")

    # The fleet view: both clinics, the new screen reporting; then quiet, and red.
    console.goto(server.url + "/staff/screens")
    north = console.locator("section.fleet-clinic", has_text="Back in Balance North Lakes")
    expect(north.locator("tr", has_text="Front desk")).to_have_class("screen-live",
                                                                     timeout=15_000)
    expect(console.locator("section.fleet-clinic", has_text="Waiting room")).to_be_visible()
    assert_accessible(console, "the fleet view")
    screenshot(console, "console-fleet-view")
    screen.close()
    expect(north.locator("tr", has_text="Front desk")).to_have_class("screen-silent",
                                                                     timeout=30_000)
    expect(north.get_by_role("heading")).to_contain_text("1 quiet")
    screenshot(console, "console-fleet-view-quiet")


def test_each_clinics_screen_switches_its_schedule_on_its_own_clock(serve, new_page):
    """Two screens with the same schedule (a neck routine from 11:00 to 14:00, every day), in
    clinics half a day apart: on the screen whose clinic is at midday, the neck routine; on the
    other, at midnight, its usual one. The zones are picked from the time now, so it holds at
    any hour the test runs."""
    server = serve()
    assert server.app.test_cli_runner().invoke(args=NORTH).exit_code == 0
    offset = 12 - datetime.now(UTC).hour  # hours east of UTC where it is midday now
    other = offset + 12 if offset <= 2 else offset - 12  # where it is midnight
    with server.app.app_context():
        db = get_session()
        first, north = db.scalars(select(Clinic).order_by(Clinic.id)).all()
        first.timezone, north.timezone = etc_zone(offset), etc_zone(other)
        neck = db.scalar(select(Stretch).filter_by(slug="neck-stretch"))
        routine = Routine(slug="neck-only", title="Neck only",
                          items=[RoutineItem(stretch_id=neck.id, position=1)])
        waiting_room = db.scalar(select(Screen).filter_by(slug="waiting-room"))
        front_desk = Screen(slug="front-desk", name="Front desk", clinic=north,
                            routine=waiting_room.routine)
        db.add_all([routine, front_desk])
        for screen in (waiting_room, front_desk):
            screen.schedule = [ScreenSchedule(position=1, routine=routine,
                                              weekdays=list(range(7)), starts="11:00",
                                              ends="14:00")]
        ContentState.bump(db)
        db.commit()

    def stretches_on(slug):
        page = new_page(viewport=LANDSCAPE)
        page.goto(f"{server.url}/display/{slug}/browse")
        expect(page.locator(".tile").first).to_be_visible()
        return page.locator("button.tile .tile__title").all_text_contents()[:-3]

    assert stretches_on("waiting-room") == ["Neck Stretch"]
    assert len(stretches_on("front-desk")) == 7


def etc_zone(hours_east: int) -> str:
    """The IANA name of a fixed offset: Etc/GMT-10 is ten hours east of UTC (POSIX's sign)."""
    return "Etc/GMT" if hours_east == 0 else f"Etc/GMT{-hours_east:+d}"
