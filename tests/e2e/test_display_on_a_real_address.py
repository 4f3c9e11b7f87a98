"""The waiting-room screen on another device (a tablet, a TV stick), reaching the server by its
https name through Caddy rather than on the server itself: its service worker, its wake lock
and its loop through 30 s with no network."""

import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from kiosk.db import get_session
from kiosk.display import joining
from kiosk.models import Clinic, Routine, Screen
from tests.e2e.display_fixtures import (
    LANDSCAPE,
    SCREEN,
    contexts_tolerating_network_trouble,
    shot,
    slide_key,
    wait_for_next_slide,
)
from tests.e2e.test_display_resilience import assert_showing_a_slide

# Keeps every wake lock the page is given, to see that the screen asked for one and holds it.
WATCH_WAKE_LOCKS = """
window.wakeLocks = [];
if (navigator.wakeLock) {
  const ask = navigator.wakeLock.request.bind(navigator.wakeLock);
  navigator.wakeLock.request = (type) => ask(type).then(
    (lock) => { window.wakeLocks.push(lock); return lock; },
    (error) => { window.wakeLocks.push(String(error)); throw error; });
}
"""


@pytest.fixture
def screen_context(phone_browser):
    """A context of the browser that knows the clinic's name; failed requests are expected
    while the network is gone, script errors never."""
    yield from contexts_tolerating_network_trouble(phone_browser)


def test_a_screen_on_the_https_name_keeps_awake_and_loops_thirty_seconds_offline(
        clinic_site, screen_context):
    dwell = 2
    site = clinic_site("https", DWELL_SECONDS=dwell)
    with site.app.app_context():
        report_key = get_session().scalar(
            select(Screen.report_key).filter_by(slug="waiting-room"))
    context = screen_context(viewport=LANDSCAPE)
    context.add_init_script(WATCH_WAKE_LOCKS)
    page = context.new_page()
    page.goto(f"{site.url}{SCREEN}/pair/{report_key}")
    assert page.url.startswith(f"{site.url}{SCREEN}")
    assert page.evaluate("window.isSecureContext") is True
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function("() => window.wakeLocks.length > 0")
    assert page.evaluate("window.wakeLocks.map(l => typeof l === 'string' ? l : l.type)") \
        == ["screen"]
    assert page.evaluate("window.wakeLocks[0].released") is False
    key = slide_key(page)
    for _ in range(3):
        key = wait_for_next_slide(page, key)
    page.evaluate("window.kioskMarker = 'never reloaded'")

    context.set_offline(True)
    cut = time.monotonic()
    badge = page.locator(".offline-badge")
    expect(badge).to_be_visible(timeout=6000)
    shown = [slide_key(page)]
    while time.monotonic() - cut < 30:
        assert_showing_a_slide(page)
        if slide_key(page) != shown[-1]:
            shown.append(slide_key(page))
        page.wait_for_timeout(250)
    print(f"slides shown in 30 s offline on the https name: {len(shown)}")
    assert len(shown) >= 8, shown
    assert len(set(shown)) >= 3, shown
    assert page.evaluate("window.kioskMarker") == "never reloaded"
    shot(page, "https-name-offline-landscape")

    # Switched off and on again with no network: the worker brings the last loop back.
    page.reload()
    assert_showing_a_slide(page)
    key = wait_for_next_slide(page, slide_key(page))

    context.set_offline(False)
    page.wait_for_function("() => document.body.dataset.connection === 'online'",
                           timeout=dwell * 1000 * 3)
    expect(badge).to_be_hidden()


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_new_screen_joins_by_its_code_on_the_clinics_name(clinic_site, screen_context,
                                                            scheme):
    """On the clinic Wi-Fi (http) and on the public https name through Caddy, the code page's
    cookie holds: the screen shows one code until staff name it, then moves to its loop and its
    reports count (a Secure cookie on http, or none behind the proxy, would make it churn)."""
    site = clinic_site(scheme, DWELL_SECONDS=3)
    page = screen_context(viewport=LANDSCAPE).new_page()
    page.goto(f"{site.url}/display/pairing")
    code = page.locator(".joining-code").text_content()
    page.wait_for_timeout(3500)  # a poll goes by: the same code, nothing churns
    assert page.locator(".joining-code").text_content() == code
    with site.app.app_context():
        session = get_session()
        waiting = joining.waiting(session, code)
        screen = Screen(slug="front-desk", name="Front desk",
                        clinic=session.scalar(select(Clinic)),
                        routine=session.scalar(select(Routine)))
        session.add(screen)
        joining.name(waiting, screen)
        session.commit()
    page.wait_for_url(f"{site.url}/display/front-desk", timeout=15_000)
    with site.app.app_context():
        deadline = time.monotonic() + 15
        while get_session().scalar(select(Screen.last_report_at)
                                   .filter_by(slug="front-desk")) is None:
            assert time.monotonic() < deadline, "the joined screen's reports do not count"
            time.sleep(0.5)
            get_session().rollback()
