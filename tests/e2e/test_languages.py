"""The pages' scripts speak the page's language in Chromium (kiosk/languages.py script_words): on
a sheet opened with ?lang=vi, the follow-along timer's cues, sides and repetitions, and the
steps' hint, in the Vietnamese of a catalogue compiled for the test; on the screen, Pause and
Play. Whatever the test's catalogue leaves out stays English, never blank."""

import pytest
from playwright.sync_api import expect

from tests.test_languages import approved, compile_catalogue

PHONE = {"viewport": {"width": 390, "height": 844}}
WORDS = {
    "Breathe in": "Hít vào",
    "Left side": "Bên trái",
    "Repetition %(rep)s of %(of)s": "Lần %(rep)s / %(of)s",
    "Tap a step to see its pose; tap it again to play.": "Chạm vào một bước để xem tư thế.",
    "Pause": "Tạm dừng",
    "Play": "Phát",
    "Start": "Bắt đầu",
}


@pytest.fixture
def vietnamese(serve, tmp_path):
    folder = tmp_path / "translations"
    entries = "\n".join(f'msgid "{english}"\nmsgstr "{own}"\n' for english, own in WORDS.items())
    compile_catalogue(folder, "vi", entries)
    server = serve(BABEL_TRANSLATION_DIRECTORIES=str(folder))
    approved(server.app, "vi")
    return server


def test_the_sheets_timer_and_steps_speak_vietnamese(vietnamese, new_page):
    page = new_page(**PHONE)
    page.goto(vietnamese.url + "/s/back-pain-stretches?lang=vi")
    card = page.locator("#piriformis-stretch")
    card.scroll_into_view_if_needed()
    expect(card.locator(".steps-hint")).to_have_text("Chạm vào một bước để xem tư thế.")
    page.clock.pause_at(page.evaluate("Date.now() / 1000") + 1)
    card.get_by_role("button", name="Bắt đầu", exact=True).click()
    timer = card.locator("[data-follow-along]")
    expect(timer.locator("[data-follow-along-cue]")).to_have_text("Hít vào")
    expect(timer.locator("[data-follow-along-side]")).to_have_text("Bên trái")
    expect(timer.locator("[data-follow-along-rep]")).to_have_text("Lần 1 / 3")
    page.clock.fast_forward(8500)  # into the hold: no Vietnamese for "Hold" here
    expect(timer.locator("[data-follow-along-cue]")).to_have_text("Hold")


def test_the_screens_pause_speaks_the_language_its_address_asks(vietnamese, new_page):
    page = new_page(viewport={"width": 1920, "height": 1080})
    page.goto(vietnamese.url + "/display/waiting-room?lang=vi")
    pause = page.locator("[data-action=pause]")
    expect(pause).to_contain_text("Tạm dừng")
    pause.click()
    expect(pause).to_contain_text("Phát")
