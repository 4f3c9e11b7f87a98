"""Checking translations in the console, in Chromium, by keyboard as by mouse: the Languages
page, a language's drafts beside their English (the Arabic right to left), a piece saved and
checked in place (htmx swaps its row, the focus stays in it), a refusal said beside the piece,
and axe clean throughout. Screenshots in test-artifacts/ for people to look at."""

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, screenshot, sign_in
from tests.staff_helpers import add_staff
from tests.test_screen_languages import offer

CONSOLE = {"viewport": {"width": 1280, "height": 800}}


def test_a_reviewer_checks_a_warning_sign_by_keyboard(serve, new_page):
    server = serve()
    offer(server.app, "ar")  # the shipped drafts checked, and Arabic offered to patients
    add_staff(server.app, "jade", "admin")
    page = new_page(**CONSOLE)
    sign_in(page, server)
    page.get_by_role("link", name="Languages").click()
    expect(page.get_by_role("heading", name="Languages", exact=True)).to_be_visible()
    assert_accessible(page, "the Languages page")

    page.get_by_role("link", name="Arabic").click()
    page.get_by_role("link", name="Every piece").click()
    row = page.locator("#piece-warning-sign--1")
    text = row.get_by_role("textbox")
    expect(text).to_have_attribute("dir", "rtl")
    screenshot(page, "console-language-ar")
    assert_accessible(page, "a language's pieces")

    # A number the English does not have: refused beside the piece, nothing saved.
    text.focus()
    text.fill("وخز 5")
    page.keyboard.press("Tab")  # to "Save and mark checked"
    expect(row.get_by_role("button", name="Save and mark checked")).to_be_focused()
    page.keyboard.press("Enter")
    row = page.locator("#piece-warning-sign--1")
    expect(row.locator(".field-error")).to_contain_text("must have the same numbers")
    expect(row.get_by_role("textbox")).to_have_attribute("aria-invalid", "true")

    row.get_by_role("textbox").fill("وخز وتنميل في الأرداف أو الساقين")
    row.get_by_role("button", name="Save and mark checked").focus()
    page.keyboard.press("Enter")
    row = page.locator("#piece-warning-sign--1")
    expect(row).to_contain_text("Checked: patients reading Arabic see this.")
    expect(row).to_contain_text("by jade")
    screenshot(page, "console-language-ar-checked")

    patient = new_page(viewport={"width": 390, "height": 844})
    patient.goto(server.url + "/s/back-pain-stretches?lang=ar")
    expect(patient.get_by_text("وخز وتنميل في الأرداف أو الساقين", exact=True)).to_be_attached()
