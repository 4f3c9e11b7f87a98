"""Arabic, Chinese and Vietnamese in Chromium, as the clinic ships them once checked (issue 16):
the phone sheet right to left where it should be, with no sideways scroll at 390 px, every
control 48 px or more and axe clean; the screen's loop, its browsing and follow-along in each,
its language button switching the whole screen and idle bringing back the screen's own; the PDF
in each language's own font (its glyphs drawn, not boxes: pdffonts, pdftotext and a page image);
over https by the clinic's name, the sheet chosen in Vietnamese opens in it with no signal.
Screenshots and the PDFs' first pages go to test-artifacts/ for people to look at."""

import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from kiosk.db import get_session
from kiosk.languages import LANGUAGES
from kiosk.models import Translation
from tests.e2e.conftest import ARTIFACTS, assert_accessible, screenshot
from tests.e2e.test_accounts import SMALL_TARGETS
from tests.e2e.test_sheet_on_a_real_address import wait_until_kept
from tests.readers import missing_from, pdf_text
from tests.test_screen_languages import offer

SHOWN = ("ar", "zh_Hans", "vi")
SCREEN = "/display/waiting-room"
SHEET = "/s/back-pain-stretches"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
LANDSCAPE = {"viewport": {"width": 1920, "height": 1080}}
# The font each language's PDF is set in (Debian's Noto packages, which make installs).
FONTS = {"ar": "Noto-Sans-Arabic", "zh_Hans": "Noto-Sans-CJK-SC", "vi": "DejaVu-Sans"}
# The summary of the screen's language button is a control too.
TARGETS = SMALL_TARGETS.replace("select, textarea'", "select, textarea, summary'")


@pytest.fixture
def speaking(serve):
    server = serve(IDLE_SECONDS=2)
    offer(server.app, *SHOWN)
    return server


def translated(app, code, kind, ref=None) -> list[str]:
    with app.app_context():
        found = select(Translation.text).filter_by(language=code, kind=kind)
        if ref is not None:
            found = found.filter_by(ref=ref)
        return list(get_session().scalars(found.order_by(Translation.position)))


def speaks(page, code):
    language = LANGUAGES[code]
    root = page.locator("html")
    expect(root).to_have_attribute("lang", language.tag)
    expect(root).to_have_attribute("dir", language.direction)


@pytest.mark.parametrize("code", SHOWN)
def test_the_phone_sheet_in_each_language(speaking, new_page, code):
    page = new_page(**PHONE)
    page.goto(f"{speaking.url}{SHEET}?lang={code}")
    speaks(page, code)
    for sign in translated(speaking.app, code, "warning_sign"):
        expect(page.get_by_text(sign, exact=True)).to_be_attached()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "sideways scroll"
    assert page.evaluate(TARGETS) == [], "controls under 48 px"
    # The phone number reads left to right, its groups in order, in Arabic too.
    call = page.locator(".sheet-call bdi")
    expect(call).to_have_attribute("dir", "ltr")
    assert call.evaluate("e => getComputedStyle(e).direction") == "ltr"
    screenshot(page, f"languages-sheet-{code}")
    assert_accessible(page, f"the sheet in {code}")


@pytest.mark.parametrize("code", SHOWN)
def test_the_screen_browsing_and_following_along_in_each_language(speaking, new_page, code):
    page = new_page(**LANDSCAPE)
    page.goto(f"{speaking.url}{SCREEN}?lang={code}")
    speaks(page, code)
    expect(page.locator("#loop .slide")).to_have_attribute("lang", LANGUAGES[code].tag)
    screenshot(page, f"languages-screen-{code}")
    assert_accessible(page, f"the screen in {code}")

    page.goto(f"{speaking.url}{SCREEN}/warning-signs?lang={code}")
    for sign in translated(speaking.app, code, "warning_sign"):
        expect(page.get_by_text(sign, exact=True)).to_be_visible()
    screenshot(page, f"languages-warning-signs-{code}")

    page.goto(f"{speaking.url}{SCREEN}/stretches/hip-twists?lang={code}")
    steps = translated(speaking.app, code, "stretch.step", "hip-twists")
    expect(page.locator(".stretch-view")).to_contain_text(steps[0][:20])
    # The layout follows the language; the drawing never mirrors.
    drawing = page.locator(".stretch-view__demo svg").first
    assert drawing.evaluate("e => getComputedStyle(e).transform") == "none"
    assert drawing.evaluate("e => getComputedStyle(e).direction") == LANGUAGES[code].direction
    page.locator(".language-menu__button").click()
    expect(page.locator(".language-menu__list")).to_be_visible()
    assert page.evaluate(TARGETS) == [], "controls under 48 px"
    screenshot(page, f"languages-stretch-{code}")
    assert_accessible(page, f"a stretch in {code}")


def test_the_language_button_switches_the_screen_and_idle_brings_its_own_back(speaking,
                                                                              new_page):
    page = new_page(**LANDSCAPE)
    page.clock.install()
    page.goto(speaking.url + SCREEN)
    speaks(page, "en")
    page.get_by_role("button", name="Touch to choose a stretch").click()
    page.locator(".language-menu__button").click()
    page.get_by_role("link", name="العربية").click()
    speaks(page, "ar")
    expect(page.locator("#panel .browse")).to_be_visible()
    tiles = page.locator(".tile__title")
    expect(tiles.first).to_have_text(
        translated(speaking.app, "ar", "stretch.title", "neck-stretch")[0])

    prompt = page.locator("#still-there")
    expect(prompt).to_be_visible(timeout=6000)
    page.clock.fast_forward(21_000)
    page.wait_for_url(speaking.url + SCREEN)
    speaks(page, "en")
    expect(page.locator("#loop .slide")).to_be_visible()


@pytest.mark.parametrize("code", SHOWN)
def test_the_pdf_in_each_language_is_set_in_its_own_font(speaking, new_page, code):
    page = new_page(**PHONE)
    response = page.request.get(f"{speaking.url}{SHEET}.pdf?lang={code}")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    folder = Path(ARTIFACTS)
    folder.mkdir(exist_ok=True)
    (folder / f"languages-sheet-{code}.pdf").write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True,
                           check=True).stdout.decode()
    assert FONTS[code] in fonts, fonts
    printed = pdf_text(pdf)
    for piece in translated(speaking.app, code, "warning_sign"):
        assert not missing_from(printed, piece, code), piece
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-",
                    str(folder / f"languages-pdf-{code}")], input=pdf, check=True)
    assert list(folder.glob(f"languages-pdf-{code}*.png"))


def test_over_https_the_sheet_chosen_in_vietnamese_opens_in_it_with_no_signal(
        clinic_site, phone_page):
    site = clinic_site("https")
    offer(site.app, "vi")
    page = phone_page(**PHONE)
    page.goto(f"{site.url}{SHEET}?lang=vi")  # as the screen's QR code opens it
    speaks(page, "vi")
    wait_until_kept(page)
    cookie = next(c for c in page.context.cookies() if c["name"] == "kiosk_lang")
    assert (cookie["value"], cookie["secure"], cookie["httpOnly"]) == ("vi", True, True)

    page.context.set_offline(True)
    page.goto(site.url + SHEET)  # the home screen's icon: the sheet's own address
    assert page.evaluate("navigator.onLine") is False
    speaks(page, "vi")
    for sign in translated(site.app, "vi", "warning_sign"):
        expect(page.get_by_text(sign, exact=True)).to_be_visible()
    page.context.set_offline(False)
