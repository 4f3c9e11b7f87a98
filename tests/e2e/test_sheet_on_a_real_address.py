"""The take-home sheet as a phone reaches it: by the clinic's name, not 127.0.0.1.

Over https://clinic.test (Caddy from deploy/Caddyfile, its authority trusted by the browser) the
sheet is a secure page: it keeps a copy that opens with no signal, and can sit on the home
screen. Over http://clinic.test it cannot, and says so: it offers the PDF instead.
"""

import re
from pathlib import Path

from playwright.sync_api import expect

from kiosk.content import load_article
from tests.e2e.conftest import assert_accessible, screenshot
from tests.readers import pdf_text
from tests.sheet_helpers import make_sheet

ARTICLE = load_article()
SHEET = "/s/back-pain-stretches"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
CALL = "Call Jade Tran: 0425 444 304"
WIFI_NOTE = "This page only opens on the clinic's Wi-Fi"
# Words that promise what plain http cannot give.
PROMISES = re.compile(r"offline|without signal|no signal|home screen|install", re.IGNORECASE)


def installability_errors(page) -> list[str]:
    """What Chromium says stops this page being installed (its manifest, icons, worker). Test
    contexts are incognito profiles, which never install: Chromium says so ("in-incognito")
    and still checks all the rest (a manifest without icons adds two errors here)."""
    cdp = page.context.new_cdp_session(page)
    try:
        errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    finally:
        cdp.detach()
    return [error["errorId"] for error in errors if error["errorId"] != "in-incognito"]


def wait_until_kept(page):
    page.wait_for_function("() => document.documentElement.dataset.offlineReady === 'yes'")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def shows_the_whole_sheet(page):
    for stretch in ARTICLE["stretches"]:
        heading = page.get_by_role("heading", name=stretch["title"])
        heading.scroll_into_view_if_needed()
        expect(heading).to_be_visible()
    for line in ARTICLE["warning_signs"]:
        expect(page.get_by_text(line["text"], exact=True)).to_be_visible()
    call = page.get_by_role("link", name=CALL)
    expect(call).to_be_visible()
    assert call.get_attribute("href") == "tel:+61425444304"


def test_over_https_the_sheet_keeps_a_copy_that_opens_with_no_signal(clinic_site, phone_page):
    site = clinic_site("https")
    page = phone_page(**PHONE)
    response = page.goto(site.url + SHEET)
    assert response.url.startswith("https://clinic.test:")
    assert page.evaluate("window.isSecureContext") is True
    wait_until_kept(page)
    expect(page.get_by_role("status")).to_have_text(
        "Saved on this phone: it opens without signal, at home too.")
    assert page.get_by_role("link", name="Download PDF").get_attribute("href") == f"{SHEET}.pdf"
    assert installability_errors(page) == []
    screenshot(page, "sheet-https-phone")
    assert_accessible(page)

    page.context.set_offline(True)
    page.reload()
    assert page.evaluate("navigator.onLine") is False
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    shows_the_whole_sheet(page)
    page.context.set_offline(False)


def test_over_https_a_patients_own_sheet_opens_with_no_signal(clinic_site, phone_page):
    site = clinic_site("https")
    token = make_sheet(site.app, note="Twice a day, gently.")
    page = phone_page(**PHONE)
    page.goto(f"{site.url}/p/{token}")
    wait_until_kept(page)
    assert installability_errors(page) == []
    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_text("Twice a day, gently.")).to_be_visible()
    shows_the_whole_sheet(page)
    page.context.set_offline(False)


def counts_the_piriformis_hold(page):
    """Start the piriformis stretch's follow-along on a page whose clock is installed: it
    breathes in, then counts the article's 30 s hold down. Returns the timer."""
    card = page.locator("#piriformis-stretch")
    card.scroll_into_view_if_needed()
    page.clock.pause_at(page.evaluate("Date.now() / 1000") + 1)
    start = card.get_by_role("button", name="Start", exact=True)
    assert start.bounding_box()["height"] >= 48
    start.click()
    timer = card.locator("[data-follow-along]")
    expect(timer.locator("[data-follow-along-cue]")).to_have_text("Breathe in")
    expect(timer.locator("[data-follow-along-side]")).to_have_text("Left side")
    page.clock.fast_forward(8500)  # breathed in and out: into the article's 30 s hold
    expect(timer.locator("[data-follow-along-cue]")).to_have_text("Hold")
    expect(timer.locator("[data-follow-along-count]")).to_have_text("30")
    page.clock.fast_forward(10_000)
    expect(timer.locator("[data-follow-along-count]")).to_have_text("20")
    return timer


def test_over_https_the_follow_along_runs_with_no_signal(clinic_site, phone_page):
    site = clinic_site("https")
    page = phone_page(**PHONE)
    page.goto(site.url + SHEET)
    wait_until_kept(page)
    page.context.set_offline(True)
    page.reload()
    # The steps beside each drawing still follow it and can be tapped: steps.js came from the copy.
    piriformis = page.locator("#piriformis-stretch")
    piriformis.scroll_into_view_if_needed()  # steps.js follows the drawings in view
    expect(piriformis.locator(".stretch-steps .step-show").first).to_be_visible()
    expect(piriformis.locator(".stretch-steps li[aria-current=step]")).to_have_count(1)
    # Playwright's fake clock, installed before the first load, keeps the worker from answering
    # for the page's scripts offline (seen only with it): so the clock comes after the reload.
    page.clock.install()
    timer = counts_the_piriformis_hold(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "sheet-https-phone-follow-along-offline")
    timer.get_by_role("button", name="Stop").click()
    expect(piriformis.get_by_role("button", name="Start", exact=True)).to_be_visible()
    page.context.set_offline(False)


def test_over_plain_http_the_sheet_offers_the_pdf_and_promises_nothing_more(
        clinic_site, phone_page):
    site = clinic_site("http")
    page = phone_page(**PHONE)
    page.goto(site.url + SHEET)
    assert page.evaluate("window.isSecureContext") is False
    keep = page.get_by_role("region", name="Keep these stretches")
    expect(keep).to_contain_text(WIFI_NOTE)
    pdf = keep.get_by_role("link", name="Download PDF")
    assert pdf.bounding_box()["height"] >= 48
    with page.expect_download() as download:
        pdf.click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert "Neck Stretch" in pdf_text(Path(download.value.path()).read_bytes())
    text = page.locator("body").inner_text()
    assert PROMISES.findall(text) == []
    assert page.locator('link[rel="manifest"]').count() == 0
    # Every button still does what it says: the follow-along needs no secure page.
    card = page.locator("#piriformis-stretch")
    card.get_by_role("button", name="Start", exact=True).click()
    expect(card.locator("[data-follow-along-cue]")).to_have_text("Breathe in")
    card.get_by_role("button", name="Stop").click()
    shows_the_whole_sheet(page)
    screenshot(page, "sheet-http-phone")
    assert_accessible(page)
