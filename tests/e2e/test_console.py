"""The staff console in Chromium: sign in, edit, see it on the screen and the sheet, undo it,
clash with a colleague, and never run a script smuggled into a title."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from kiosk.db import get_session
from kiosk.models import Stretch
from tests.conftest import PUBLIC_URL
from tests.e2e.conftest import LiveServer, assert_accessible, screenshot
from tests.readers import pdf_text, qr_codes_in_image
from tests.staff_helpers import PASSWORD, add_staff

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def quick_app(seeded_app):
    """The seeded app with one-second slides, so a screen turns over quickly."""
    app = seeded_app(DWELL_SECONDS=1)
    add_staff(app, "jade", "admin")
    add_staff(app, "sam", "staff")
    return app


@pytest.fixture
def server(quick_app):
    with LiveServer(quick_app) as live:
        yield live


def sign_in(page, server, username="jade"):
    page.goto(server.url + "/staff/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")  # the keyboard way
    page.wait_for_url("**/staff/")


def neck_id(app) -> int:
    with app.app_context():
        return get_session().scalar(select(Stretch.id).filter_by(slug="neck-stretch"))


def edit_neck(page, server, app, title=None, hold=None):
    page.goto(f"{server.url}/staff/stretches/{neck_id(app)}")
    if title is not None:
        page.get_by_label("Title").fill(title)
    if hold is not None:
        page.get_by_label("Hold (seconds)").fill(str(hold))
    page.get_by_role("button", name="Save", exact=True).click()


# After a click, expect() waits for the response to land; is_visible() would look at once.
def test_an_edit_reaches_the_screen_and_the_sheet_and_restoring_reverts_both(
        quick_app, server, new_page):
    screen = new_page(viewport={"width": 1920, "height": 1080})
    screen.goto(server.url + "/display/waiting-room")
    console = new_page(viewport={"width": 1280, "height": 900})
    sign_in(console, server)
    edit_neck(console, server, quick_app, title="Gentle Neck Stretch", hold=25)
    expect(console.get_by_text("Saved Gentle Neck Stretch")).to_be_visible()
    screen.wait_for_function("() => document.body.innerText.includes('Gentle Neck Stretch')",
                             timeout=30_000)
    sheet = new_page(viewport={"width": 390, "height": 844})
    sheet.goto(server.url + "/s/back-pain-stretches")
    card = sheet.locator("#neck-stretch")
    assert "Gentle Neck Stretch" in card.inner_text() and "Hold for 25 seconds" in card.inner_text()

    console.get_by_role("link", name="History of this stretch").click()
    console.get_by_role("button", name="Restore version 1").click()
    expect(console.get_by_text("Restored version 1. Screens show it")).to_be_visible()
    screen.wait_for_function("() => !document.body.innerText.includes('Gentle Neck Stretch')"
                             " && document.body.innerText.includes('Neck Stretch')",
                             timeout=30_000)
    sheet.reload()
    card = sheet.locator("#neck-stretch")
    assert "Gentle" not in card.inner_text() and "Hold for 10 seconds" in card.inner_text()


def test_two_people_editing_one_stretch_cannot_overwrite_each_other(
        quick_app, server, browser):
    jade_context, sam_context = browser.new_context(), browser.new_context()
    try:
        jade, sam = jade_context.new_page(), sam_context.new_page()
        sign_in(jade, server, "jade")
        sign_in(sam, server, "sam")
        url = f"{server.url}/staff/stretches/{neck_id(quick_app)}"
        jade.goto(url)
        sam.goto(url)
        jade.get_by_label("Title").fill("Neck Stretch, slowly")
        jade.get_by_role("button", name="Save", exact=True).click()
        expect(jade.get_by_text("Saved Neck Stretch, slowly")).to_be_visible()
        sam.get_by_label("Title").fill("Neck Stretch, gently")
        sam.get_by_role("button", name="Save", exact=True).click()
        alert = sam.get_by_role("alert").filter(has_text="while you were editing")
        expect(alert).to_be_visible()
        assert "jade" in alert.inner_text() and "Neck Stretch, slowly" in alert.inner_text()
        assert sam.get_by_label("Title").input_value() == "Neck Stretch, gently"
        screenshot(sam, "console-conflict")
        with quick_app.app_context():
            assert get_session().get(Stretch, neck_id(quick_app)).title == "Neck Stretch, slowly"
    finally:
        jade_context.close()
        sam_context.close()


def test_a_title_with_markup_stays_text_everywhere(quick_app, server, new_page, tmp_path):
    console = new_page(viewport={"width": 1280, "height": 900})
    dialogs = []
    console.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(console, server)
    edit_neck(console, server, quick_app, title=XSS)
    expect(console.get_by_role("heading", name=XSS, exact=True)).to_be_visible()
    console.goto(server.url + "/staff/stretches")
    expect(console.get_by_role("link", name=XSS)).to_be_visible()

    sheet = new_page(viewport={"width": 390, "height": 844})
    sheet.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sheet.goto(server.url + "/s/back-pain-stretches")
    assert XSS in sheet.locator("#neck-stretch").inner_text()

    screen = new_page(viewport={"width": 1920, "height": 1080})
    screen.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    screen.goto(server.url + "/display/waiting-room")
    screen.wait_for_function(f"() => document.body.innerText.includes({XSS!r})", timeout=30_000)
    assert screen.locator("img[src=x]").count() == 0
    assert sheet.locator("img[src=x]").count() == 0

    pdf = console.request.get(server.url + "/s/back-pain-stretches.pdf").body()
    assert XSS in pdf_text(pdf)
    assert dialogs == []


def test_patient_sheet_qr_in_the_console_opens_the_sheet_until_revoked(
        quick_app, server, new_page, browser, tmp_path):
    console = new_page(viewport={"width": 1280, "height": 900})
    sign_in(console, server)
    console.goto(server.url + "/staff/patient-sheets/new")
    console.get_by_label("Start from a routine").select_option(label="Back pain stretches")
    console.get_by_role("button", name="Add its stretches").click()
    console.get_by_label("Hold for Neck Stretch, seconds").fill("20")
    console.get_by_label("Note for the patient (optional)").fill("Twice a day, gently.")
    console.get_by_role("button", name="Make the sheet").click()
    qr = console.locator(".qr-large")
    qr.screenshot(path=tmp_path / "qr.png")
    screenshot(console, "console-patient-sheet")
    found = qr_codes_in_image(tmp_path / "qr.png")
    assert len(found) == 1 and re.fullmatch(re.escape(PUBLIC_URL) + r"/p/[\w-]{16,}", found[0])
    path = found[0].removeprefix(PUBLIC_URL)
    phone = new_page(viewport={"width": 390, "height": 844})
    phone.goto(server.url + path)
    assert phone.get_by_text("Twice a day, gently.").is_visible()
    assert "Hold for 20 seconds" in phone.locator("#neck-stretch").inner_text()

    console.get_by_role("button", name="Revoke this sheet").click()
    expect(console.get_by_text("The sheet is revoked")).to_be_visible()
    # A fresh phone: its 410 is the point here, so it is not the fixture's error-checked page.
    later = browser.new_context()
    try:
        assert later.new_page().goto(server.url + path).status == 410
    finally:
        later.close()


def test_console_pages_pass_axe_and_work_by_keyboard(quick_app, server, new_page):
    page = new_page(viewport={"width": 1280, "height": 900})
    page.goto(server.url + "/staff/login")
    assert_accessible(page, "login")
    sign_in(page, server)
    with quick_app.app_context():
        ids = {"stretch": neck_id(quick_app)}
    for path in ["/staff/", "/staff/stretches", f"/staff/stretches/{ids['stretch']}",
                 "/staff/stretches/new", "/staff/routines", "/staff/routines/1",
                 "/staff/screens", "/staff/screens/1", "/staff/patient-sheets",
                 "/staff/patient-sheets/new", "/staff/usage", "/staff/history",
                 "/staff/settings"]:
        page.goto(server.url + path)
        assert_accessible(page, path)
        screenshot(page, "console" + path.replace("/", "-").rstrip("-"))

    # Move a step with the keyboard alone: focus its button, press Enter.
    page.goto(f"{server.url}/staff/stretches/{ids['stretch']}")
    first_step = page.get_by_role("textbox", name="Step 1", exact=True).input_value()
    page.get_by_role("button", name="Move step 1 down").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"() => document.querySelector('#steps textarea').value !== {first_step!r}")
    assert page.get_by_role("textbox", name="Step 2", exact=True).input_value() == first_step
    # Every control in the editor is reachable with Tab.
    page.keyboard.press("Home")
    reached = set()
    for _ in range(80):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.id || document.activeElement.name"
                                  " || document.activeElement.textContent.trim()"))
    for control in ("title", "hold_seconds", "sides", "demonstration", "step-add"):
        assert control in reached, f"{control} cannot be reached with Tab"
