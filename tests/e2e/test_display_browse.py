"""Touching the waiting-room screen in Chromium: browse, a stretch, follow along, the idle prompt,
touch targets in both orientations, accessibility, and screenshots of each view."""

import io

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect
from sqlalchemy import select

from kiosk.content import load_article
from kiosk.db import get_session
from kiosk.media import store_upload
from kiosk.models import Stretch
from tests.e2e.conftest import assert_accessible
from tests.e2e.display_fixtures import (
    LANDSCAPE,
    ORIENTATIONS,
    SCREEN,
    shot,
    slide_key,
)

TITLES = [s["title"] for s in load_article()["stretches"]]
# What a finger can press; the loop itself (tap anywhere) is the whole screen.
INTERACTIVE = (
    "button, a[href], input, select, textarea, summary, [role=button],"
    " [tabindex]:not([tabindex='-1'])"
)


def follow_along(page):
    return page.locator("#panel [data-follow-along]")


def read(page, part):
    return follow_along(page).locator(f"[data-follow-along-{part}]").inner_text().strip()


def test_tap_browse_a_stretch_and_follow_along(serve, new_page):
    server = serve()
    page = new_page(viewport=LANDSCAPE)
    page.clock.install()
    page.goto(server.url + SCREEN)
    page.evaluate("window.kioskMarker = 'not reloaded'")

    # A tap anywhere on the loop: the slide's own text, not a button.
    page.locator("#loop .slide h1").click()
    expect(page.get_by_role("heading", name="Choose a stretch")).to_be_visible()
    expect(page.locator("#loop")).to_be_hidden()
    tiles = page.locator("#panel .tile__title").all_inner_texts()
    assert tiles[: len(TITLES)] == TITLES
    assert tiles[len(TITLES):] == ["Warning signs", "Contact", "Take this routine home"]
    assert page.locator("#panel .tile__picture svg").count() >= len(TITLES)

    page.get_by_role("button", name="Hamstring Stretch (Lying Down)").click()
    expect(page.get_by_role("heading", name="Hamstring Stretch (Lying Down)")).to_be_visible()
    expect(page.locator("#panel .steps li")).to_have_count(5)
    expect(page.locator("#panel .demo svg.demo-animated")).to_be_visible()

    # From here time moves only when the test says so.
    page.clock.pause_at(page.evaluate("Date.now() / 1000") + 1)  # seconds since 1970
    page.get_by_role("button", name="Follow along").click()
    expect(follow_along(page).locator("[data-follow-along-cue]")).to_have_text("Breathe in")
    assert read(page, "count") == "4"
    assert read(page, "side") == "Left side"
    assert read(page, "rep") == "Repetition 1 of 3"
    expect(page.locator("#panel .steps")).to_be_hidden()  # the timer takes their place

    page.clock.fast_forward(2000)
    expect(follow_along(page).locator("[data-follow-along-count]")).to_have_text("2")
    page.clock.fast_forward(6500)  # breathed out; 0.5 s into the 10 s hold
    expect(follow_along(page).locator("[data-follow-along-cue]")).to_have_text("Hold")
    expect(follow_along(page).locator("[data-follow-along-count]")).to_have_text("10")
    page.clock.fast_forward(3000)
    expect(follow_along(page).locator("[data-follow-along-count]")).to_have_text("7")

    page.clock.fast_forward(7000 + 5000)  # the hold ends, a rest, then breathe in again
    expect(follow_along(page).locator("[data-follow-along-rep]")).to_have_text(
        "Repetition 2 of 3"
    )
    assert read(page, "side") == "Left side"

    page.clock.fast_forward(18_000 + 5000 + 18_000 + 1000)  # repetitions 2 and 3 on the left
    expect(follow_along(page).locator("[data-follow-along-side]")).to_have_text("Right side")
    assert "change sides" in read(page, "cue")
    page.clock.fast_forward(5000)
    expect(follow_along(page).locator("[data-follow-along-rep]")).to_have_text(
        "Repetition 1 of 3"
    )

    page.get_by_role("button", name="Stop").click()
    expect(page.get_by_role("button", name="Follow along")).to_be_visible()
    expect(page.locator("#panel .steps")).to_be_visible()

    # Back, one tap at a time: to the tiles, then to the loop.
    page.get_by_role("button", name="Back", exact=True).click()
    expect(page.get_by_role("heading", name="Choose a stretch")).to_be_visible()
    page.get_by_role("button", name="Back", exact=True).click()
    expect(page.locator("#loop .slide")).to_be_visible()
    expect(page.locator("#panel")).to_be_hidden()
    assert page.evaluate("window.kioskMarker") == "not reloaded"


def test_still_there_asks_then_returns_to_the_loop_and_forgets(serve, new_page):
    server = serve(IDLE_SECONDS=2)
    page = new_page(viewport=LANDSCAPE)
    page.clock.install()
    page.goto(server.url + SCREEN)
    page.locator("#loop").click()
    page.get_by_role("button", name="Psoas Stretch").click()
    prompt = page.get_by_role("dialog", name="Still there?")
    expect(prompt).to_be_visible(timeout=6000)
    assert int(prompt.locator("[data-countdown]").inner_text()) >= 20

    page.get_by_role("button", name="Keep going").click()
    expect(prompt).to_be_hidden()
    expect(page.get_by_role("heading", name="Psoas Stretch")).to_be_visible()

    expect(prompt).to_be_visible(timeout=6000)
    page.clock.fast_forward(10_000)
    expect(prompt).to_be_visible()  # still counting down at 10 s
    assert int(prompt.locator("[data-countdown]").inner_text()) <= 10
    page.clock.fast_forward(10_500)
    expect(prompt).to_be_hidden()
    expect(page.locator("#loop .slide")).to_be_visible()
    expect(page.locator("#panel")).to_be_hidden()
    assert page.locator("#panel").inner_html().strip() == ""
    expect(page.get_by_role("button", name="Pause")).to_be_visible()


def test_following_along_is_not_idling(serve, new_page):
    server = serve(IDLE_SECONDS=2)
    page = new_page(viewport=LANDSCAPE)
    page.clock.install()
    page.goto(f"{server.url}{SCREEN}/stretches/piriformis-stretch")
    page.get_by_role("button", name="Follow along").click()
    page.clock.fast_forward(30_000)
    page.clock.fast_forward(30_000)
    expect(follow_along(page).locator("[data-follow-along-cue]")).not_to_have_text("")
    assert page.get_by_role("dialog", name="Still there?").is_hidden()


def touch_targets(page):
    """Every control a person can touch, with its box, as the browser lays it out."""
    return page.evaluate(
        """selector => [...document.querySelectorAll(selector)]
            .filter(e => e.checkVisibility())
            .map(e => { const r = e.getBoundingClientRect();
                        return {name: (e.innerText || e.getAttribute('aria-label') || e.className)
                                       .trim().slice(0, 40),
                                x: r.x, y: r.y, width: r.width, height: r.height}; })""",
        INTERACTIVE,
    )


def assert_big_enough_and_apart(page, view):
    targets = touch_targets(page)
    assert targets, f"nothing to touch on {view}"
    for target in targets:
        assert target["width"] >= 48 and target["height"] >= 48, (view, target)
    for index, one in enumerate(targets):
        for other in targets[index + 1:]:
            apart = (
                one["x"] + one["width"] + 8 <= other["x"]
                or other["x"] + other["width"] + 8 <= one["x"]
                or one["y"] + one["height"] + 8 <= other["y"]
                or other["y"] + other["height"] + 8 <= one["y"]
            )
            assert apart, f"{view}: {one['name']!r} and {other['name']!r} are too close"
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{view} scrolls sideways"


def a_photo() -> io.BytesIO:
    """A 4:3 picture with something in it: a sky, a floor, a mat and a ball."""
    picture = Image.new("RGB", (1200, 900), "#cfe3ee")
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 560, 1200, 900), fill="#b08a5a")
    draw.rectangle((200, 620, 1000, 700), fill="#2f7f6f")
    draw.ellipse((820, 380, 1000, 560), fill="#d9534f")
    photo = io.BytesIO()
    picture.save(photo, "JPEG", quality=90)
    photo.seek(0)
    return photo


def test_a_stretch_with_an_uploaded_photo_shows_it_on_its_tile(serve, new_page):
    server = serve()
    with server.app.app_context():
        session = get_session()
        neck = session.scalar(select(Stretch).filter_by(slug="neck-stretch"))
        neck.media_id = store_upload(session, "mat.jpg", a_photo()).id
        session.commit()
    page = new_page(viewport=LANDSCAPE)
    page.goto(server.url + SCREEN)
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Touch to choose a stretch").click()

    tile = page.get_by_role("button", name="Neck Stretch")
    photo = tile.locator("img.demo-media")
    expect(photo).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                           arg=photo.element_handle())
    # The whole photo, as large as its place allows, its shape kept (4:3).
    box, picture = photo.bounding_box(), tile.locator(".tile__picture").bounding_box()
    assert box["width"] <= picture["width"] + 1 and box["height"] <= picture["height"] + 1
    assert max(box["width"] / picture["width"], box["height"] / picture["height"]) > 0.98
    assert box["width"] / box["height"] == pytest.approx(4 / 3, rel=0.02)
    # The other stretches keep their drawings.
    assert page.locator("#panel .tile__picture .demo-thumbnail").count() == len(TITLES) - 1
    shot(page, "browse-with-photo-landscape")
    assert_accessible(page, "browse with a photo")


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_every_view_fits_big_targets_and_is_screenshotted(serve, new_page, orientation):
    server = serve()
    page = new_page(viewport=ORIENTATIONS[orientation])
    page.clock.install()
    page.goto(server.url + SCREEN)
    page.get_by_role("button", name="Pause").click()

    def check(view):
        assert_big_enough_and_apart(page, view)
        shot(page, f"{view}-{orientation}")
        if orientation == "landscape":
            assert_accessible(page, f"{view} ({orientation})")

    check("loop")
    overflow = page.evaluate("[document.documentElement.scrollHeight, window.innerHeight]")
    assert overflow[0] <= overflow[1], "the loop scrolls"

    page.get_by_role("button", name="Touch to choose a stretch").click()
    expect(page.get_by_role("heading", name="Choose a stretch")).to_be_visible()
    check("browse")

    page.get_by_role("button", name="Neck Stretch").click()
    expect(page.get_by_role("heading", name="Neck Stretch")).to_be_visible()
    check("stretch")

    page.get_by_role("button", name="Follow along").click()
    page.clock.fast_forward(11_000)  # into the hold, its ring part way round
    expect(follow_along(page).locator("[data-follow-along-cue]")).to_have_text("Hold")
    check("follow-along")
    page.get_by_role("button", name="Stop").click()

    for tile, view in [("Warning signs", "warning-signs"), ("Contact", "contact"),
                       ("Take this routine home", "take-home")]:
        page.get_by_role("button", name="Back", exact=True).click()
        page.get_by_role("button", name=tile).click()
        expect(page.locator(f"#panel [data-label='{tile}']")).to_be_visible()
        assert_big_enough_and_apart(page, view)
        shot(page, f"{view}-{orientation}")
    code = page.locator("#panel .big-qr svg").bounding_box()
    assert code["width"] >= 200 and code["height"] >= 200


def test_the_screen_keeps_its_kiosk_manners(serve, new_page):
    server = serve()
    page = new_page(viewport=LANDSCAPE)
    page.goto(server.url + SCREEN)
    html = page.locator("html")
    assert html.evaluate("e => getComputedStyle(e).userSelect") == "none"
    assert html.evaluate("e => getComputedStyle(e).overscrollBehaviorY") == "none"
    assert "pinch-zoom" not in html.evaluate("e => getComputedStyle(e).touchAction")
    assert html.evaluate("e => getComputedStyle(e).touchAction") != "auto"
    refused = page.evaluate(
        """() => { const e = new MouseEvent('contextmenu', {bubbles: true, cancelable: true});
                   return !document.querySelector('#loop .slide h1').dispatchEvent(e); }"""
    )
    assert refused, "a long press would open the context menu"
    assert page.locator("a[href]").count() == 0
    key = slide_key(page)
    assert key == "stretch/neck-stretch"
