"""The waiting-room loop in Chromium: slides swap in place, pause, live edits, demonstrations,
and a contact code a phone can read."""

import time

from playwright.sync_api import expect
from sqlalchemy import select

from kiosk.content import load_article
from kiosk.db import get_session
from kiosk.models import ContentState, Stretch
from tests.conftest import PUBLIC_URL
from tests.e2e.conftest import PLAYING
from tests.e2e.display_fixtures import (
    LANDSCAPE,
    SCREEN,
    shot,
    slide_key,
    wait_for_next_slide,
)
from tests.readers import qr_codes_in_image

ARTICLE = load_article()


def test_slides_change_in_place_and_every_kind_appears(serve, new_page):
    server = serve(DWELL_SECONDS=2)
    page = new_page(viewport=LANDSCAPE)
    page.goto(server.url + "/display")
    assert page.url.endswith(SCREEN)
    page.evaluate("window.kioskMarker = 'the page loaded once'")
    keys = [slide_key(page)]
    started = time.monotonic()
    for _ in range(10):
        keys.append(wait_for_next_slide(page, keys[-1], timeout=6000))
        # Never an empty screen between two slides.
        assert page.locator("#loop .slide h1").inner_text().strip()
    elapsed = time.monotonic() - started
    assert page.evaluate("window.kioskMarker") == "the page loaded once"
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    assert any(key.startswith("stretch/") for key in keys)
    assert "warning-signs" in keys and "contact" in keys
    assert len(set(keys)) == 11, keys
    # Ten slides at two seconds each, give or take the requests.
    assert 18 <= elapsed < 30, elapsed


def test_pause_stops_the_loop_and_play_resumes_it(serve, new_page):
    server = serve(DWELL_SECONDS=2)
    page = new_page(viewport=LANDSCAPE)
    page.goto(server.url + SCREEN)
    pause = page.get_by_role("button", name="Pause")
    expect(pause).to_be_visible()
    pause.click()
    paused_on = slide_key(page)
    play = page.get_by_role("button", name="Play")
    expect(play).to_be_visible()
    # Two and a half slides' time: nothing moves.
    page.wait_for_timeout(5000)
    assert slide_key(page) == paused_on
    assert page.locator("#loop").is_visible()
    play.click()
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    wait_for_next_slide(page, paused_on, timeout=4000)


def test_a_staff_edit_reaches_the_screen_within_five_seconds_without_reloading(serve, new_page):
    server = serve(DWELL_SECONDS=120)
    page = new_page(viewport=LANDSCAPE)
    page.goto(server.pairing_link())  # the screen itself: what it shows reaches the console
    page.evaluate("window.kioskMarker = 'not reloaded'")
    expect(page.locator("#loop .slide h1")).to_have_text("Neck Stretch")
    with server.app.app_context():
        session = get_session()
        session.scalar(select(Stretch).filter_by(slug="shoulder-rolls")).title = "Shoulder Circles"
        ContentState.bump(session)
        session.commit()
    edited = time.monotonic()
    expect(page.locator("#loop .slide h1")).to_have_text("Shoulder Circles", timeout=5000)
    print(f"staff edit on screen after {time.monotonic() - edited:.1f} s")
    assert page.evaluate("window.kioskMarker") == "not reloaded"
    screen = server.screen()
    assert screen.last_slide == "Shoulder Circles"


def test_every_stretch_slide_has_a_moving_demonstration(serve, new_page):
    server = serve()
    page = new_page(viewport=LANDSCAPE)
    for stretch in ARTICLE["stretches"]:
        page.goto(f"{server.url}{SCREEN}/slides/stretch/{stretch['slug']}")
        demo = page.locator("#loop .slide .demo")
        expect(demo.locator("svg.demo-animated")).to_be_visible()
        running = demo.evaluate(f"(d) => ({PLAYING})(d).length")
        assert running > 0, f"{stretch['title']} does not move"
        assert demo.locator(".demo-poses").is_hidden()


def test_under_reduced_motion_nothing_moves_and_the_key_poses_show(serve, new_page):
    server = serve(DWELL_SECONDS=2)
    page = new_page(viewport=LANDSCAPE, reduced_motion="reduce")
    for stretch in ARTICLE["stretches"]:
        page.goto(f"{server.url}{SCREEN}/slides/stretch/{stretch['slug']}")
        demo = page.locator("#loop .slide .demo")
        expect(demo.locator(".demo-poses")).to_be_visible()
        assert demo.locator("svg.demo-animated").is_hidden()
        assert demo.locator(".demo-poses .demo-pose").count() >= 2
        running = page.evaluate(
            "document.getAnimations().filter(a => a.playState === 'running').length"
        )
        assert running == 0, f"{stretch['title']}: something moves under reduced motion"
    shot(page, "stretch-slide-reduced-motion-landscape")
    # The loop still turns, and its progress bar steps instead of gliding.
    key = slide_key(page)
    wait_for_next_slide(page, key, timeout=5000)
    assert page.evaluate("document.getAnimations().length") == 0


def test_the_contact_slides_code_reads_as_the_routines_sheet(serve, new_page):
    server = serve()
    page = new_page(viewport=LANDSCAPE)
    page.goto(f"{server.url}{SCREEN}/slides/contact")
    page.get_by_role("button", name="Pause").click()
    code = page.locator("#loop .big-qr svg")
    expect(code).to_be_visible()
    box = code.bounding_box()
    assert box["width"] >= 200 and box["height"] >= 200
    path = shot(page, "contact-slide-landscape")
    assert qr_codes_in_image(path) == [PUBLIC_URL + "/s/back-pain-stretches"]
