"""The take-home sheet in Chromium: on a 390 px phone, withdrawn, printed, and its QR decoded.
Offline, the home screen and the follow-along: test_sheet_on_a_real_address.py, on https."""

import os
import shutil
import subprocess

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from kiosk.content import load_article
from kiosk.db import get_session
from kiosk.models import PatientSheet
from tests.conftest import PUBLIC_URL
from tests.e2e.conftest import ARTIFACTS, assert_accessible, screenshot, sign_in
from tests.sheet_helpers import (
    MOST_PAGES,
    assert_each_stretch_whole_on_one_page,
    assert_keys_drawn,
    make_sheet,
    pdf_page_count,
)
from tests.staff_helpers import add_staff

ARTICLE = load_article()
SHEET = "/s/back-pain-stretches"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def decode_qr(path) -> list[str]:
    """Every QR code zbar finds in an image file."""
    result = subprocess.run(
        ["zbarimg", "--nodbus", "-q", "--raw", str(path)], capture_output=True, text=True
    )
    return result.stdout.split()


def test_sheet_on_a_phone_shows_everything_without_sideways_scrolling(live_server, new_page):
    page = new_page(**PHONE)
    page.goto(live_server.url + SHEET)
    for stretch in ARTICLE["stretches"]:
        page.get_by_role("heading", name=stretch["title"]).scroll_into_view_if_needed()
        assert page.get_by_role("heading", name=stretch["title"]).is_visible()
    for group in ("warning_signs", "safety_notes"):
        for line in ARTICLE[group]:
            assert page.get_by_text(line["text"], exact=True).is_visible()
    call = page.get_by_role("link", name="Call Jade Tran: 0425 444 304")
    assert call.get_attribute("href") == "tel:+61425444304"
    box = call.bounding_box()
    assert box["height"] >= 48
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "sheet-phone")
    assert_accessible(page)


def test_sheet_qr_decodes_to_the_sheet_url(live_server, new_page, tmp_path):
    page = new_page(**PHONE)
    page.goto(live_server.url + SHEET)
    qr = page.locator(".sheet-qr .qr")
    qr.scroll_into_view_if_needed()
    box = qr.bounding_box()
    assert box["width"] >= 200 or box["width"] >= 0.5 * 390
    qr.screenshot(path=tmp_path / "qr.png")
    assert decode_qr(tmp_path / "qr.png") == [PUBLIC_URL + SHEET]


WITHDRAWN = "This sheet has been withdrawn"
CALL = "Call Jade Tran: 0425 444 304"


def cached_copies(page, token) -> list[tuple[str, int]]:
    """What the sheets' service worker holds of this sheet: address and status of each copy."""
    return [tuple(copy) for copy in page.evaluate("""async (token) => {
        const cache = await caches.open("kiosk-sheets-v1");
        const copies = [];
        for (const request of await cache.keys()) {
          if (!request.url.includes(token)) continue;
          copies.push([new URL(request.url).pathname, (await cache.match(request)).status]);
        }
        return copies.sort();
    }""", token)]


def shows_withdrawn_and_nothing_of_the_sheet(page):
    assert page.get_by_role("heading", name=WITHDRAWN).is_visible()
    assert page.get_by_text("Please call the clinic").is_visible()
    call = page.get_by_role("link", name=CALL)
    assert call.get_attribute("href") == "tel:+61425444304"
    assert call.bounding_box()["height"] >= 48
    text = page.locator("body").inner_text()
    assert "Twice a day, gently." not in text
    for stretch in ARTICLE["stretches"]:
        assert stretch["title"] not in text
    assert page.locator(".stretch-card").count() == 0


def test_a_revoked_sheet_on_a_phone_that_kept_it_says_withdrawn_online_and_offline(
        app, live_server, new_page, browser):
    add_staff(app, "jade", "admin")
    token = make_sheet(app, note="Twice a day, gently.")
    with app.app_context():
        sheet_id = get_session().scalar(select(PatientSheet.id).filter_by(token=token))
    # Chromium logs the page's own 410 as an error: that one is the point here, so this phone
    # is not the fixture's page (which fails on any error); every other error still fails.
    context = browser.new_context(**PHONE)
    errors = []
    phone = context.new_page()
    phone.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    phone.on("pageerror", lambda e: errors.append(str(e)))
    try:
        phone_sees_the_sheet_withdrawn(live_server, new_page, phone, token, sheet_id)
    finally:
        context.close()
    gone = "Failed to load resource: the server responded with a status of 410 (GONE)"
    assert errors == [gone, gone]  # the reload online, then the one with no signal


def phone_sees_the_sheet_withdrawn(live_server, new_page, phone, token, sheet_id):
    phone.goto(f"{live_server.url}/p/{token}")
    phone.wait_for_function("() => document.documentElement.dataset.offlineReady === 'yes'")
    assert phone.get_by_text("Twice a day, gently.").is_visible()
    assert (f"/p/{token}/manifest.webmanifest", 200) in cached_copies(phone, token)

    console = new_page(viewport={"width": 1280, "height": 900})
    sign_in(console, live_server)
    console.goto(f"{live_server.url}/staff/patient-sheets/{sheet_id}")
    console.get_by_role("button", name="Revoke this sheet").click()
    expect(console.get_by_text("The sheet is revoked")).to_be_visible()

    assert phone.reload().status == 410
    shows_withdrawn_and_nothing_of_the_sheet(phone)
    # The old sheet and its manifest are gone; the withdrawn page took the sheet's place.
    assert cached_copies(phone, token) == [(f"/p/{token}", 410)]
    screenshot(phone, "sheet-phone-withdrawn")
    assert_accessible(phone)

    phone.context.set_offline(True)
    phone.reload()
    shows_withdrawn_and_nothing_of_the_sheet(phone)
    phone.context.set_offline(False)


def test_sheet_prints_every_stretch_on_a4(live_server, new_page, tmp_path):
    page = new_page(viewport={"width": 794, "height": 1123})
    page.goto(live_server.url + SHEET)
    page.emulate_media(media="print")
    for stretch in ARTICLE["stretches"]:
        assert page.get_by_role("heading", name=stretch["title"]).is_visible()
    assert page.locator(".sheet-qr .qr-url").is_visible()
    assert not page.get_by_role("link", name="Download PDF").is_visible()
    pdf = tmp_path / "printed.pdf"
    page.pdf(path=pdf, format="A4")
    # As the sheet's own PDF (test_sheet_pdf.py): a few pages, each stretch whole on one, and
    # the key under each drawing with its orange swatch, which browsers print as a background.
    pages = pdf_page_count(pdf)
    print(f"Chromium prints the sheet on {pages} A4 pages")
    assert pages <= MOST_PAGES
    assert_each_stretch_whole_on_one_page(pdf, page.content(), ARTICLE["stretches"])
    assert_keys_drawn(pdf, page.content(), tmp_path)
    screenshot(page, "sheet-print")


@pytest.mark.parametrize("kind", ["routine", "patient"])
def test_pdf_holds_every_stretch_and_a_qr_that_decodes(app, live_server, page, tmp_path, kind):
    path = SHEET if kind == "routine" else f"/p/{make_sheet(app, note='Morning and night')}"
    pdf = page.request.get(f"{live_server.url}{path}.pdf").body()
    assert pdf[:4] == b"%PDF"
    file = tmp_path / "sheet.pdf"
    file.write_bytes(pdf)
    pages = pdf_page_count(file)
    print(f"The {kind} sheet's PDF has {pages} A4 pages")
    text = subprocess.run(["pdftotext", "-layout", str(file), "-"], capture_output=True,
                          text=True, check=True).stdout
    for stretch in ARTICLE["stretches"]:
        assert stretch["title"] in text
    assert "0425 444 304" in text
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(file), str(tmp_path / "page")],
                   check=True)
    found = [url for png in sorted(tmp_path.glob("page*.png")) for url in decode_qr(png)]
    assert found == [PUBLIC_URL + path]
    os.makedirs(ARTIFACTS, exist_ok=True)
    for n, png in enumerate(sorted(tmp_path.glob("page*.png")), start=1):
        shutil.copy(png, os.path.join(ARTIFACTS, f"sheet-pdf-{kind}-page{n}.png"))
