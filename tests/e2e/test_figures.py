"""The demonstrations in Chromium: they move, they hold still for reduced motion, and every key
pose is saved to test-artifacts/figures/ for people to look at."""

import os
import re

import pytest

from kiosk import figures
from tests.conftest import SQLITE_ONLY
from tests.e2e.conftest import ARTIFACTS, PLAYING, assert_accessible, screenshot
from tests.e2e.key_poses import SIZES, save_key_poses

pytestmark = SQLITE_ONLY

RUNNING = PLAYING  # running, or standing still with its loop's held pose


def _running(page, selector: str) -> int:
    return page.evaluate(
        f"(selector) => ({RUNNING})(document.querySelector(selector)).length", selector
    )


def test_gallery_animates_every_demonstration(live_server, page):
    page.goto(live_server.url + "/demonstrations")
    assert page.evaluate("document.getAnimations().length") > 0
    assert page.evaluate(f"document.getAnimations().length === ({PLAYING})(document).length")
    for name in figures.names():
        assert _running(page, f".demo-animated.d-{name}") > 0, name
    screenshot(page, "figures/gallery")
    assert_accessible(page)


@pytest.mark.parametrize("name", figures.names())
def test_the_figure_really_moves_through_the_loop(live_server, page, name):
    """Seek the loop to its start and a third of the way on: the limbs are somewhere else."""
    page.goto(live_server.url + "/demonstrations")
    boxes = page.evaluate(
        """(name) => {
            const svg = document.querySelector('.demo-animated.d-' + name);
            const animations = svg.getAnimations({subtree: true});
            const box = (t) => {
                for (const a of animations) { a.pause(); a.currentTime = t; }
                return [...svg.querySelectorAll('.fig > g:first-child g[class^="j-"]')].map((g) => {
                    const r = g.getBoundingClientRect();
                    return [r.x, r.y, r.width, r.height].map(Math.round).join(',');
                }).join(' ');
            };
            const loop = animations[0].effect.getComputedTiming().duration;
            return [box(0), box(loop / 3), box(loop / 3 * 2), box(loop)];
        }""",
        name,
    )
    start, third, two_thirds, end = boxes
    assert third != start or two_thirds != start, boxes
    assert end == start  # the loop ends where it began, so it never jumps


def test_a_demonstration_elsewhere_animates_and_hides_its_still_poses(live_server, page):
    page.goto(live_server.url + "/demonstrations")
    css = live_server.url + page.evaluate("document.querySelector('link[href^=\"/figures\"]')"
                                          ".getAttribute('href')")
    markup = figures.render("psoas-stretch", label="Psoas Stretch demonstration")
    page.set_content(f'<link rel="stylesheet" href="{css}"><main>{markup}</main>')
    assert page.get_by_role("img", name="Psoas Stretch demonstration").is_visible()
    assert page.locator(".demo-poses").is_hidden()
    assert _running(page, ".demo-animated") > 0


def test_reduced_motion_stops_everything_and_shows_every_key_pose(live_server, new_page):
    page = new_page(
        reduced_motion="reduce", viewport={"width": 1280, "height": 900}, device_scale_factor=2
    )
    page.goto(live_server.url + "/demonstrations")
    assert page.evaluate("document.getAnimations().filter(a => a.playState === 'running')"
                         ".length") == 0
    folder = os.path.join(ARTIFACTS, "figures")
    os.makedirs(folder, exist_ok=True)
    for name in figures.names():
        demo = page.locator(f".demo-{name}")
        assert demo.locator(".demo-animated").is_hidden()
        poses = demo.locator(".demo-poses .demo-pose")
        assert poses.count() >= 4
        for index in range(poses.count()):
            pose = poses.nth(index)
            assert pose.is_visible()
            caption = pose.locator(".demo-pose-caption").inner_text()
            number = str(index + 1)
            if figures._demonstrations()[name].steps:
                # The article's step it shows, above what it shows: "Step 2\nChin to chest".
                step, words = caption.split("\n", 1)
                assert re.fullmatch(r"Steps? \d+((, \d+)* and \d+)?", step), caption
            else:  # a drawing without steps: numbered in order, "2 Knee drawn in"
                shown, words = caption.split(" ", 1)
                assert shown == number
            slug = re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-")
            pose.screenshot(path=os.path.join(folder, f"{name}-{number}-{slug}.png"))
    assert_accessible(page)


@pytest.mark.parametrize("size", SIZES)
def test_every_key_pose_of_the_articles_seven_at_screen_and_phone_sizes(live_server, new_page,
                                                                        size):
    """Saved to test-artifacts/figures/screen/ and phone/, to be looked at after each redraw."""
    page = new_page(reduced_motion="reduce", **SIZES[size])
    page.goto(live_server.url + "/demonstrations")
    article = list(figures._demonstrations().values())[:7]
    save_key_poses(page, article, os.path.join(ARTIFACTS, "figures", size))
