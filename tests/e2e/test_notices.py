"""Notices in Chromium (issue 15, item 6): the organisation's admin writes one for North Lakes by
keyboard, with a photo; North Lakes' screen shows it in its loop, the first clinic's screen
does not; a notice for every clinic shows on both; one whose first day is still to come on
North Lakes' clock shows on neither. The console's pages and the screen are axe clean."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from kiosk.db import get_session
from kiosk.models import Clinic, Notice
from tests.e2e.conftest import assert_accessible, screenshot, sign_in
from tests.e2e.display_fixtures import (
    LANDSCAPE,
    contexts_tolerating_network_trouble,
    slide_key,
    wait_for_next_slide,
)
from tests.e2e.test_group_screens import tab_to
from tests.staff_helpers import NORTH, add_staff
from tests.test_media import image_bytes


@pytest.fixture
def offline_context(browser):
    """A context whose console may report failed requests, but never a script error."""
    yield from contexts_tolerating_network_trouble(browser)


CONSOLE = {"viewport": {"width": 1280, "height": 900}}
TITLE = "Closed <Monday> & Tuesday"


def loop_keys(page, count: int) -> list[str]:
    """The screen's slides as it shows them, `count` of them from the one up now."""
    keys = [slide_key(page)]
    while len(keys) < count:
        keys.append(wait_for_next_slide(page, keys[-1], timeout=8000))
    return keys


def test_a_notice_for_north_lakes_shows_on_its_screen_and_not_the_other_clinics(
        serve, new_page, tmp_path):
    server = serve(DWELL_SECONDS=2)
    assert server.app.test_cli_runner().invoke(args=NORTH).exit_code == 0
    assert server.app.test_cli_runner().invoke(
        args=["add-screen", "--clinic", "north-lakes", "Front desk"]).exit_code == 0
    add_staff(server.app, "olive", "admin")
    lakes_today = datetime.now(ZoneInfo("Australia/Brisbane")).date()
    with server.app.app_context():
        db = get_session()
        first, north = db.scalars(select(Clinic).order_by(Clinic.id)).all()
        first.timezone = "Australia/Brisbane"
        # For every clinic, since yesterday; North Lakes' own, from the day after tomorrow.
        db.add_all([
            Notice(title="New prices from February", body="Ask at the front desk.",
                   shows_from=lakes_today - timedelta(days=1),
                   shows_until=lakes_today + timedelta(days=30)),
            Notice(clinic=north, title="Parking works next week", shows_from=lakes_today
                   + timedelta(days=2), shows_until=lakes_today + timedelta(days=9)),
        ])
        db.commit()

    photo = tmp_path / "sam.jpg"
    photo.write_bytes(image_bytes("JPEG", size=(1200, 900)))
    console = new_page(**CONSOLE)
    sign_in(console, server, "olive")
    console.goto(server.url + "/staff/notices")
    expect(console.get_by_role("heading", name="Still to come")).to_be_visible()
    assert_accessible(console, "the notices")
    tab_to(console, "New notice")
    console.keyboard.press("Enter")
    expect(console.get_by_role("heading", name="New notice")).to_be_visible()
    tab_to(console, "Shown by")
    console.keyboard.type("Back in Balance North")
    tab_to(console, "Title")
    console.keyboard.type(TITLE)
    tab_to(console, "A few lines")
    console.keyboard.type("Australia Day.")
    console.keyboard.press("Enter")
    console.keyboard.type("Back on Wednesday.")
    # The dates start at today, for a week, on the clinic's clock: left as they are.
    console.set_input_files("#photo", photo)
    tab_to(console, "What the photo shows")
    console.keyboard.type("Sam, our new physio")
    assert_accessible(console, "a new notice")
    tab_to(console, "Save")
    console.keyboard.press("Enter")
    expect(console.locator(".flash, [role=status]").first).to_contain_text("Saved")
    expect(console.get_by_role("heading", name=TITLE)).to_be_visible()
    frame = console.frame_locator("iframe[title^='Preview of the notice']")
    expect(frame.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(frame.get_by_role("img", name="Sam, our new physio")).to_be_visible()
    frame.locator("img").evaluate("img => img.decode()")  # drawn, not only loaded
    screenshot(console, "console-notice-saved")

    with server.app.app_context():
        notices = {n.title: n.id for n in get_session().scalars(select(Notice))}
    everyone, lakes, coming = (f"notice/{notices[title]}" for title in (
        "New prices from February", TITLE, "Parking works next week"))

    front_desk = new_page(viewport=LANDSCAPE)
    front_desk.goto(server.url + "/display/front-desk")
    keys = loop_keys(front_desk, 3)
    assert keys[:2] == [everyone, lakes] and keys[2].startswith("stretch/"), keys
    front_desk.goto(server.url + "/display/front-desk")
    wait_for_next_slide(front_desk, everyone, timeout=8000)
    slide = front_desk.locator("#loop .slide--notice")
    expect(slide.get_by_role("heading")).to_have_text(TITLE)
    expect(slide).to_contain_text("Back in Balance North Lakes")
    expect(slide.locator("img")).to_have_attribute("alt", "Sam, our new physio")
    assert slide.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    front_desk.locator("[data-action=pause]").click()  # held still for the picture and axe
    assert_accessible(front_desk, "North Lakes' notice on its screen")
    screenshot(front_desk, "display-notice")

    waiting_room = new_page(viewport=LANDSCAPE)
    waiting_room.goto(server.url + "/display/waiting-room")
    keys = loop_keys(waiting_room, 2)
    assert keys[0] == everyone and keys[1].startswith("stretch/"), keys
    assert coming not in keys


def test_offline_a_screen_drops_a_notice_at_its_clinics_midnight(serve, offline_context):
    """The network goes; the screen cycles what it has seen, the notice among them, until the
    clinic's midnight after its last day, when the browser's clock passes it: from then on the
    loop goes round without it, as the server would have it."""
    server = serve(DWELL_SECONDS=1)
    today = datetime.now(ZoneInfo("UTC")).date()
    with server.app.app_context():
        db = get_session()
        db.scalar(select(Clinic)).timezone = "UTC"
        db.add(Notice(clinic=db.scalar(select(Clinic)), title="Closed tomorrow",
                      shows_from=today, shows_until=today))
        db.commit()
    context = offline_context(viewport=LANDSCAPE, service_workers="block")
    page = context.new_page()
    page.goto(server.pairing_link())
    notice = slide_key(page)
    assert notice.startswith("notice/")
    loop = [notice, wait_for_next_slide(page, notice)]
    while loop[-1] != notice:  # once round, so the screen has seen every slide
        loop.append(wait_for_next_slide(page, loop[-1]))
    assert len(loop) == 13, loop  # the notice, 7 stretches, 2 advice, warning signs, contact

    context.route("**/*", lambda route: route.abort())
    expect(page.locator(".offline-badge")).to_be_visible(timeout=6000)
    shown = [slide_key(page)]
    while shown.count(notice) < 2:  # offline, and before midnight: still there
        shown.append(wait_for_next_slide(page, shown[-1]))
    midnight = datetime.combine(today + timedelta(days=1), datetime.min.time(), UTC)
    page.clock.set_fixed_time(midnight + timedelta(seconds=1))
    after = [wait_for_next_slide(page, shown[-1])]
    while len(after) < 14:
        after.append(wait_for_next_slide(page, after[-1]))
    assert notice not in after, after
    assert set(after) == set(loop) - {notice}, after
