"""The library's drawings in Chromium: staff pick one in the stretch editor (the picker shows it
moving, by keyboard, axe clean), and the new stretch shows it on the screen, the phone sheet and
the PDF. Every key pose is saved at screen and phone sizes to test-artifacts/figures/library/."""

import os
import shutil
import subprocess

import pytest

from kiosk.figures.demos import library
from tests.conftest import SQLITE_ONLY
from tests.e2e.conftest import (
    ARTIFACTS,
    PLAYING,
    LiveServer,
    assert_accessible,
    screenshot,
    sign_in,
)
from tests.e2e.key_poses import SIZES, save_key_poses
from tests.staff_helpers import add_staff

pytestmark = SQLITE_ONLY

DRAWINGS = library.build()
FOLDER = os.path.join(ARTIFACTS, "figures", "library")
RUNNING = ("(selector) => { const root = document.querySelector(selector);"
           f" return root ? ({PLAYING})(root).length : -1; }}")


@pytest.fixture
def server(app):
    """The seeded app (tests/conftest.py) with an admin."""
    add_staff(app, "jade", "admin")
    with LiveServer(app) as live:
        yield live


def _running(page, selector: str) -> int:
    return page.evaluate(RUNNING, selector)


def test_the_picker_shows_the_chosen_drawing_moving_and_works_by_keyboard(server, new_page):
    page = new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, server)
    page.goto(server.url + "/staff/stretches/new")
    picker = page.get_by_label("Demonstration", exact=True)
    assert picker.bounding_box()["height"] >= 48
    groups = picker.locator("optgroup")
    assert groups.nth(0).get_attribute("label") == "The article's stretches"
    assert groups.nth(1).get_attribute("label") == "Library, for the clinic's own stretches"
    assert groups.nth(1).locator("option").count() == len(DRAWINGS)
    # By keyboard: the last drawing of the library, and the preview follows the choice.
    picker.focus()
    page.keyboard.press("End")
    last = DRAWINGS[-1]
    assert picker.input_value() == last.name
    preview = page.locator("#demonstration-preview")
    preview.locator(f".demo-{last.name}").wait_for()
    assert f"Showing: {last.title}" in preview.inner_text()
    assert _running(page, f"#demonstration-preview .d-{last.name}") > 0
    picker.select_option("cat-cow")
    preview.locator(".demo-cat-cow").wait_for()
    assert _running(page, "#demonstration-preview .d-cat-cow") > 0
    assert preview.get_by_role("img", name="Cat and cow demonstration").first.is_visible()
    screenshot(page, "figures/library/editor-picker")
    assert_accessible(page, "the stretch editor's picker")


def test_the_picker_preview_holds_still_for_reduced_motion(server, new_page):
    page = new_page(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    sign_in(page, server)
    page.goto(server.url + "/staff/stretches/new")
    page.get_by_label("Demonstration", exact=True).select_option("bridge")
    preview = page.locator("#demonstration-preview")
    preview.locator(".demo-bridge").wait_for()
    assert preview.locator(".demo-animated").is_hidden()
    assert preview.locator(".demo-pose").count() == 4
    assert preview.locator(".demo-pose").first.is_visible()
    assert _running(page, "#demonstration-preview") == 0
    assert_accessible(page, "the stretch editor's picker, reduced motion")


def test_a_new_stretch_with_a_library_drawing_shows_it_on_screen_sheet_and_pdf(
        server, new_page, tmp_path):
    console = new_page(viewport={"width": 1280, "height": 900})
    sign_in(console, server)
    console.goto(server.url + "/staff/stretches/new")
    console.get_by_label("Title", exact=True).fill("Knee hugs")
    console.get_by_label("Position", exact=True).select_option("floor")
    console.get_by_label("Sides", exact=True).select_option("left-right")
    console.get_by_label("Demonstration", exact=True).select_option("knee-to-chest")
    console.locator("#demonstration-preview .demo-knee-to-chest").wait_for()
    console.locator("textarea[name='steps-0']").fill("Lie on your back and hug one knee in.")
    console.get_by_role("button", name="Save", exact=True).click()
    console.get_by_text("Saved Knee hugs").wait_for()
    # Into the waiting room's routine, as staff do.
    console.goto(server.url + "/staff/routines/1")
    console.get_by_label("Add a stretch").select_option(label="Knee hugs")
    console.get_by_role("button", name="Add", exact=True).click()
    console.get_by_role("cell", name="Knee hugs", exact=True).wait_for()
    console.get_by_role("button", name="Save", exact=True).click()
    console.get_by_text("Saved").first.wait_for()

    screen = new_page(**SIZES["screen"])
    screen.goto(server.url + "/display/waiting-room/stretches/knee-hugs")
    drawing = screen.locator(".demo-knee-to-chest .demo-animated").first
    drawing.wait_for()
    assert drawing.is_visible()
    assert _running(screen, ".demo-knee-to-chest") > 0
    screenshot(screen, "figures/library/new-stretch-on-the-screen")

    phone = new_page(**SIZES["phone"])
    phone.goto(server.url + "/s/back-pain-stretches")
    card = phone.locator("#knee-hugs")
    card.scroll_into_view_if_needed()
    assert card.locator(".demo-knee-to-chest .demo-animated").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    card.screenshot(path=os.path.join(FOLDER, "new-stretch-on-the-phone-sheet.png"))

    pdf = console.request.get(server.url + "/s/back-pain-stretches.pdf").body()
    (tmp_path / "sheet.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "sheet.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Knee hugs" in text
    knee = next(d for d in DRAWINGS if d.name == "knee-to-chest")
    page_text = text[text.index("Knee hugs"):]
    for still in knee.stills:  # the key poses, captioned, under the new stretch
        assert still.caption in page_text, still.caption
    subprocess.run(["pdftoppm", "-r", "110", "-png", str(tmp_path / "sheet.pdf"),
                    str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    shown = next(n for n, chunk in enumerate(text.split("\f")) if "Knee hugs" in chunk)
    shutil.copy(pages[shown], os.path.join(FOLDER, "new-stretch-in-the-pdf.png"))


@pytest.mark.parametrize("size", SIZES)
def test_every_library_key_pose_at_screen_and_phone_sizes(live_server, new_page, size):
    page = new_page(reduced_motion="reduce", **SIZES[size])
    page.goto(live_server.url + "/demonstrations")
    save_key_poses(page, DRAWINGS, os.path.join(FOLDER, size))
    screenshot(page, f"figures/library/gallery-{size}")
