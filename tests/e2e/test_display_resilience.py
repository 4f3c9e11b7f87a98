"""The waiting-room screen never goes blank: the network goes, the server stops, it runs on."""

import base64
import io
import re
import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from kiosk.db import get_session
from kiosk.media import store_upload
from kiosk.models import Stretch
from tests.e2e.display_fixtures import (
    LANDSCAPE,
    SCREEN,
    contexts_tolerating_network_trouble,
    shot,
    slide_key,
    wait_for_next_slide,
)
from tests.e2e.test_media_upload import RECORD_WEBM  # a real WebM, recorded by Chromium


@pytest.fixture
def offline_context(browser):
    """A context whose console may report failed requests, but never a script error."""
    yield from contexts_tolerating_network_trouble(browser)


def assert_showing_a_slide(page):
    """The screen shows a slide with its words: not an empty area, not an error page."""
    assert page.title().endswith("stretches for back pain")
    text = page.locator("#loop .slide").inner_text(timeout=2000).strip()
    assert len(text) > 20, text


def test_thirty_seconds_without_a_network_the_loop_goes_on_and_recovers(serve, offline_context):
    dwell = 2
    server = serve(DWELL_SECONDS=dwell)
    # Like a screen on the clinic's LAN over plain http, where browsers allow no service worker.
    context = offline_context(viewport=LANDSCAPE, service_workers="block")
    page = context.new_page()
    page.goto(server.pairing_link())  # the screen itself, whose reports the server keeps
    key = slide_key(page)
    for _ in range(4):
        key = wait_for_next_slide(page, key)
    page.evaluate("window.kioskMarker = 'never reloaded'")

    context.route("**/*", lambda route: route.abort())
    cut = time.monotonic()
    badge = page.locator(".offline-badge")
    expect(badge).to_be_visible(timeout=6000)
    # When, as an Australian clinic's clock says it: "Offline since 2:05 pm".
    assert re.fullmatch(r"Offline since \d{1,2}:\d{2} [ap]m", " ".join(badge.inner_text().split()))
    shown = [slide_key(page)]
    while time.monotonic() - cut < 30:
        assert_showing_a_slide(page)
        assert badge.is_visible()
        if slide_key(page) != shown[-1]:
            shown.append(slide_key(page))
        page.wait_for_timeout(250)
    shot(page, "offline-landscape")
    print(f"slides shown in 30 s offline: {len(shown)}")
    assert len(shown) >= 8, shown  # kept changing, about one every two seconds
    assert len(set(shown)) >= 3, shown

    reports_before = server.screen().last_report_at
    context.unroute("**/*")
    back = time.monotonic()
    page.wait_for_function(
        "key => document.body.dataset.connection === 'online'"
        " && document.querySelector('#loop .slide').dataset.slide !== key",
        arg=slide_key(page), timeout=dwell * 1000 * 2,
    )
    live = time.monotonic() - back
    print(f"live again {live:.1f} s after the network came back (dwell {dwell} s)")
    assert badge.is_hidden()
    assert live <= dwell + 0.5  # one dwell, and a little for the requests
    assert server.screen().last_report_at > reports_before  # the server hears from it again
    assert page.evaluate("window.kioskMarker") == "never reloaded"


def test_a_fresh_load_while_the_server_is_down_shows_the_last_loop(serve, offline_context):
    server = serve(DWELL_SECONDS=1)
    context = offline_context(viewport=LANDSCAPE)
    page = context.new_page()
    page.goto(server.url + SCREEN)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=10_000)
    # Its own scope, so the take-home sheets' worker keeps /s/ and /p/.
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == server.url + "/display/"
    page.goto(server.pairing_link())  # through the worker now, which must not keep it
    key = slide_key(page)
    for _ in range(5):  # slides fetched through the service worker, and so kept by it
        key = wait_for_next_slide(page, key)
    page.wait_for_function(
        """async () => {
             const pages = await (await caches.open('kiosk-display-pages-v1')).keys();
             const files = await (await caches.open('kiosk-display-files-v1')).keys();
             return pages.some(r => r.url.endsWith('/display/waiting-room')) && files.length >= 5;
           }""",
        timeout=10_000,
    )
    # Neither the pairing link (it holds the screen's key) nor the check (proof of life) is kept.
    kept = page.evaluate("""caches.open('kiosk-display-pages-v1').then(cache => cache.keys())
                              .then(keys => keys.map(key => new URL(key.url).pathname))""")
    assert not [path for path in kept if "/pair/" in path or path.endswith("/check")], kept
    page.close()

    server.stop()
    page = context.new_page()
    page.goto(server.url + SCREEN)
    assert_showing_a_slide(page)
    expect(page.locator(".offline-badge")).to_be_visible(timeout=5000)
    shown = {slide_key(page)}
    deadline = time.monotonic() + 10
    while len(shown) < 3 and time.monotonic() < deadline:
        shown.add(wait_for_next_slide(page, slide_key(page), timeout=5000))
        assert_showing_a_slide(page)
    assert len(shown) >= 3, shown
    # Its files came from the cache too: every stylesheet applies.
    assert page.evaluate("[...document.styleSheets].every(sheet => sheet.cssRules.length > 0)")
    assert page.evaluate("getComputedStyle(document.body).overflow") == "hidden"
    shot(page, "offline-fresh-load-landscape")

    server.start()
    expect(page.locator(".offline-badge")).to_be_hidden(timeout=5000)


def test_three_hundred_slides_later_nothing_has_grown(serve, new_page):
    server = serve(DWELL_MS=100)
    page = new_page(viewport=LANDSCAPE)
    page.goto(server.url + SCREEN)
    page.evaluate(
        """window.kioskSwaps = 0;
           document.body.addEventListener('htmx:afterSwap', event => {
             if (event.target.classList.contains('slide')) window.kioskSwaps += 1;
           });"""
    )
    cdp = page.context.new_cdp_session(page)
    cdp.send("HeapProfiler.enable")

    def measure_after(swaps):
        # Measure on the same slide each time, so the page holds the same things. At a 0.1 s
        # dwell the next slide may be on its way as Pause is pressed: then try the next lap.
        while True:
            page.wait_for_function(
                "n => window.kioskSwaps >= n"
                " && document.querySelector('#loop .slide').dataset.slide === 'contact'",
                arg=swaps, timeout=180_000,
            )
            page.get_by_role("button", name="Pause").click()
            page.wait_for_timeout(500)  # a slide asked for just before the pause lands now
            if slide_key(page) == "contact":
                break
            page.get_by_role("button", name="Play").click()
        # Detached nodes go at a full collection, which may take more than one.
        counters = []
        for _ in range(3):
            cdp.send("HeapProfiler.collectGarbage")
            counters.append(cdp.send("Memory.getDOMCounters"))
        sample = {
            "swaps": page.evaluate("window.kioskSwaps"),
            "heap": cdp.send("Runtime.getHeapUsage")["usedSize"],
            "nodes": min(c["nodes"] for c in counters),
            "listeners": min(c["jsEventListeners"] for c in counters),
            "elements": page.evaluate("document.getElementsByTagName('*').length"),
            "animations": page.evaluate("document.getAnimations().length"),
            "performance.memory": page.evaluate(
                "performance.memory ? performance.memory.usedJSHeapSize : null"
            ),
        }
        page.get_by_role("button", name="Play").click()
        return sample

    early = measure_after(20)
    late = measure_after(300)
    print(f"\nafter {early['swaps']} swaps: {early}\nafter {late['swaps']} swaps: {late}")
    for measure in ("heap", "nodes", "elements"):
        assert late[measure] <= early[measure] * 1.1, (measure, early, late)
    assert late["listeners"] <= early["listeners"] + 5, (early, late)
    assert late["animations"] <= early["animations"] + 2, (early, late)


PLAYING = "video => video.readyState >= 2 && !video.paused && video.currentTime > 0.2"


def test_an_uploaded_video_plays_on_while_the_server_is_down(serve, offline_context, browser):
    recorder = browser.new_page()
    webm = base64.b64decode(recorder.evaluate(RECORD_WEBM))
    recorder.close()
    server = serve(DWELL_SECONDS=600)  # the first slide, the neck stretch, stays up
    with server.app.app_context():
        session = get_session()
        neck = session.scalar(select(Stretch).filter_by(slug="neck-stretch"))
        neck.media_id = store_upload(session, "neck.webm", io.BytesIO(webm)).id
        session.commit()
        media_id = neck.media_id

    context = offline_context(viewport=LANDSCAPE)
    page = context.new_page()
    page.goto(server.url + SCREEN)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=10_000)
    page.reload()  # now the video's own requests go through the service worker
    video = page.locator("#loop .slide video.demo-media")
    page.wait_for_function(PLAYING, arg=video.element_handle(), timeout=10_000)
    # Its ranges were answered from the network, and the whole file kept beside them.
    page.wait_for_function(
        """id => caches.open('kiosk-display-files-v1').then(cache => cache.keys())
             .then(keys => keys.some(key => new URL(key.url).pathname === '/media/' + id))""",
        arg=media_id, timeout=10_000,
    )

    server.stop()
    # Without the browser's own HTTP cache, which may evict a large file any time (or hold
    # only the ranges played so far): the service worker must have it.
    context.new_cdp_session(page).send("Network.clearBrowserCache")
    page.reload()
    expect(page.locator(".offline-badge")).to_be_visible(timeout=10_000)
    video = page.locator("#loop .slide video.demo-media")
    page.wait_for_function(PLAYING, arg=video.element_handle(), timeout=10_000)
    # Any range a video may ask for comes from the kept file, byte for byte.
    src = video.get_attribute("src")
    for asked, first, last in [("bytes=0-", 0, len(webm) - 1), ("bytes=100-499", 100, 499),
                               ("bytes=-64", len(webm) - 64, len(webm) - 1)]:
        status, headers, body = page.evaluate(
            """async ([src, range]) => {
                 const response = await fetch(src, {headers: {Range: range}});
                 const bytes = new Uint8Array(await response.arrayBuffer());
                 return [response.status, Object.fromEntries(response.headers),
                         Array.from(bytes)];
               }""",
            [src, asked],
        )
        assert status == 206, asked
        assert headers["content-range"] == f"bytes {first}-{last}/{len(webm)}"
        assert bytes(body) == webm[first:last + 1]
    shot(page, "offline-video-landscape")
    server.start()
