"""In Chromium: staff upload a video in the console, and the waiting-room screen's browse tile
shows a still from the middle of it (where the stretch is held), also once the server has
gone away."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, screenshot, sign_in
from tests.e2e.display_fixtures import LANDSCAPE, SCREEN, contexts_tolerating_network_trouble
from tests.e2e.test_media_upload import open_neck_editor
from tests.staff_helpers import add_staff
from tests.test_video_stills import BLUE, GREEN, clip, close


@pytest.fixture
def offline_context(browser):
    """A context whose console may report failed requests, but never a script error."""
    yield from contexts_tolerating_network_trouble(browser)


def tile_picture(page):
    return page.locator("#panel .tile", has_text="Neck Stretch").locator(".tile__picture img")


def assert_shows_the_held_frame(picture):
    """The tile's picture, as Chromium drew it: green on the left, blue on the right (the
    middle of the clip), not the black first second, not the red before the middle."""
    expect(picture).to_be_visible()
    picture.page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                                   arg=picture.element_handle())
    assert picture.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [720, 405]
    drawn = Image.open(io.BytesIO(picture.screenshot())).convert("RGB")
    width, height = drawn.size
    assert close(drawn.getpixel((width // 8, height // 2)), GREEN), drawn.getpixel((5, 5))
    assert close(drawn.getpixel((width * 7 // 8, height // 2)), BLUE)


def test_a_video_uploaded_in_the_console_is_its_stretchs_tile_even_offline(serve,
                                                                           offline_context):
    server = serve(DWELL_SECONDS=600)
    add_staff(server.app, "jade")
    staff = offline_context(viewport={"width": 1280, "height": 800}).new_page()
    sign_in(staff, server)
    open_neck_editor(staff, server, server.app)
    staff.get_by_label("Photo or video", exact=True).set_input_files(files=[{
        "name": "neck.mp4", "mimeType": "video/mp4", "buffer": clip(size=(1280, 720))}])
    staff.get_by_role("button", name="Upload and use it").click()
    staff.wait_for_url("**/staff/stretches/*#stretch-media")
    expect(staff.get_by_text("now shows your upload")).to_be_visible()
    # The console's own view of the video shows the still until it plays.
    poster = staff.locator("#stretch-media video.demo-media").get_attribute("poster")
    assert poster and poster.startswith("/media/") and "/still?v=" in poster

    context = offline_context(viewport=LANDSCAPE)
    page = context.new_page()
    page.goto(server.url + SCREEN)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=10_000)
    page.reload()  # now the tile's picture goes through the service worker
    page.locator("#loop .slide h1").click()
    expect(page.get_by_role("heading", name="Choose a stretch")).to_be_visible()
    picture = tile_picture(page)
    assert picture.get_attribute("alt") == ""  # decorative: the tile names the stretch
    assert_shows_the_held_frame(picture)
    assert_accessible(page, "browse with a video's still")
    screenshot(page, "display/browse-video-still-landscape")
    # The service worker keeps the still as it keeps an uploaded photo.
    page.wait_for_function(
        """src => caches.open('kiosk-display-files-v1').then(cache => cache.keys())
             .then(keys => keys.some(key => key.url.endsWith(src)))""",
        arg=picture.get_attribute("src"), timeout=10_000)

    server.stop()
    context.new_cdp_session(page).send("Network.clearBrowserCache")
    page.reload()
    expect(page.locator(".offline-badge")).to_be_visible(timeout=10_000)
    page.locator("#loop .slide h1").click()
    expect(page.get_by_role("heading", name="Choose a stretch")).to_be_visible()
    assert_shows_the_held_frame(tile_picture(page))
    screenshot(page, "display/browse-video-still-offline")
    server.start()
