"""Choosing a language on the screen and the sheet (issue 16, item 4): a screen's setting lists
the languages its loop shows in turn, the first the one it starts in and goes back to; its
language button and the sheet's switcher list every language the clinic offers, each in its own
script; the home-screen icon and a screen started with no server speak the chosen language."""

import html
import json
import re

import pytest
from sqlalchemy import select

from kiosk.content import drafts
from kiosk.db import get_session
from kiosk.models import LanguageApproval, Screen, Translation
from tests.readers import missing_from, pdf_text
from tests.staff_helpers import screen_form, signed_in

SCREEN = "/display/waiting-room"
SHEET = "/s/back-pain-stretches"
HX = {"HX-Request": "true"}


def offer(app, *codes):
    """The shipped drafts checked, and `codes` offered to patients."""
    with app.app_context():
        session = get_session()
        drafts.load(session)
        for translation in session.scalars(select(Translation)):
            translation.status = "checked"
        session.add_all(LanguageApproval(language=code, approved_by="test") for code in codes)
        session.commit()


@pytest.fixture
def offered(app):
    offer(app, "vi", "ar", "zh_Hans")
    return app


def set_languages(app, session, languages, first):
    staff = signed_in(app, "admin", username=f"admin-{len(languages)}-{first}")
    screen = session.scalar(select(Screen))
    return staff.post(f"/staff/screens/{screen.id}", data=screen_form(
        staff, screen, languages=languages, first_language=first))


def round_the_loop(client, url, slides):
    """The language of each slide the screen shows, following its next-slide addresses."""
    shown = []
    for _ in range(slides):
        slide = client.get(html.unescape(url), headers=HX).text
        shown.append(re.search(r'<article class="slide[^"]*"[^>]* lang="([^"]+)"', slide)
                     .group(1))
        url = re.search(r'hx-get="([^"]+)" hx-trigger="kiosk:next"', slide).group(1)
    return shown


def test_a_screen_starts_in_its_first_language_and_shows_each_loop_in_the_next(offered,
                                                                              session):
    response = set_languages(offered, session, ["en", "vi"], "vi")
    assert response.status_code == 303
    session.expire_all()
    assert session.scalar(select(Screen)).languages == ["vi", "en"]

    client = offered.test_client()
    page = client.get(SCREEN).text
    assert '<html lang="vi" dir="ltr"' in page
    slides = re.findall(r'data-url="([^"]+)"', page)
    assert "lang=vi" in slides[0]
    # Round the loop twice from its first slide: one whole loop in each language, in turn.
    languages = round_the_loop(client, slides[0], 30)
    changes = [n for n in range(1, len(languages)) if languages[n] != languages[n - 1]]
    assert languages[0] == "vi" and set(languages) == {"vi", "en"}
    assert len(changes) >= 2 and changes[1] - changes[0] == changes[0]  # a whole loop each


def test_a_language_the_clinic_does_not_offer_is_left_out_of_the_loop(offered, session):
    set_languages(offered, session, ["en", "el"], "el")  # Greek: words, but not approved
    client = offered.test_client()
    page = client.get(SCREEN).text
    assert '<html lang="en" dir="ltr"' in page
    first = re.search(r'data-url="([^"]+)"', page).group(1)
    assert set(round_the_loop(client, first, 14)) == {"en"}


def test_the_form_wants_its_first_language_among_those_ticked(offered, session):
    response = set_languages(offered, session, ["en", "vi"], "ar")
    assert response.status_code == 422
    assert "The language it starts in must be one of those ticked." in response.text
    response = set_languages(offered, session, [], "en")
    assert "Tick at least one language." in response.text
    session.expire_all()
    assert session.scalar(select(Screen)).languages == ["en"]


def test_the_screens_language_button_lists_each_offered_language_in_its_own_script(offered):
    client = offered.test_client()
    browse = client.get(SCREEN + "/browse?lang=vi", headers=HX).text
    menu = re.search(r'<details class="language-menu">.*?</details>', browse, re.S).group(0)
    links = re.findall(r'href="([^"]+)"\s+lang="([^"]+)" dir="([^"]+)"[^>]*>([^<]+)</a>', menu)
    assert [(lang, direction, name) for _, lang, direction, name in links] == [
        ("en", "ltr", "English"), ("zh-Hans", "ltr", "简体中文"), ("ar", "rtl", "العربية"),
        ("vi", "ltr", "Tiếng Việt")]
    assert links[2][0] == f"{SCREEN}/browse?lang=ar"
    assert 'aria-current="true">Tiếng Việt' in menu
    stretch = client.get(SCREEN + "/stretches/hip-twists?lang=ar", headers=HX).text
    assert f'href="{SCREEN}/stretches/hip-twists?lang=vi"' in stretch
    # The whole screen in Arabic: right to left, its way back home in English.
    page = client.get(SCREEN + "/browse?lang=ar").text
    assert '<html lang="ar" dir="rtl"' in page
    assert 'data-home-url="/display/waiting-room"' in page and 'data-away="yes"' in page
    assert 'data-away' not in client.get(SCREEN).text


def test_with_one_language_offered_there_is_no_language_button(app):
    client = app.test_client()
    assert "language-menu" not in client.get(SCREEN + "/browse", headers=HX).text
    assert "sheet-languages" not in client.get(SHEET).text


def test_the_sheets_switcher_keeps_the_choice_and_the_home_screen_icon_speaks_it(offered):
    client = offered.test_client()
    page = client.get(SHEET).text
    switcher = re.search(r'<nav class="sheet-languages".*?</nav>', page, re.S).group(0)
    assert f'href="{SHEET}?lang=ar"' in switcher and 'lang="ar"' in switcher
    assert 'aria-current="true">English' in switcher
    arabic = client.get(SHEET + "?lang=ar")
    assert '<html lang="ar" dir="rtl"' in arabic.text
    assert "kiosk_lang=ar" in arabic.headers["Set-Cookie"]
    # The same phone, the sheet's own address again: Arabic, and so is its home-screen icon.
    assert '<html lang="ar" dir="rtl"' in client.get(SHEET).text
    manifest = json.loads(client.get(SHEET + "/manifest.webmanifest").text)
    assert (manifest["lang"], manifest["dir"]) == ("ar", "rtl")
    with offered.app_context():
        title = get_session().scalar(select(Translation.text).filter_by(
            language="ar", kind="routine.title"))
    assert manifest["name"].startswith(title) and manifest["short_name"] != "Stretches"
    printed = pdf_text(client.get(SHEET + ".pdf?lang=ar").data)
    assert not missing_from(printed, title, "ar")
    assert "Tiếng Việt" not in printed  # on paper, no switcher


def test_a_screen_switched_on_with_no_server_says_so_in_its_language(offered):
    worker = offered.test_client().get("/display/sw.js").text
    waiting = json.loads(re.search(r"var ROUTES = (\{.*?\});", worker).group(1))["waiting"]
    assert set(waiting) == {"", "en", "zh_Hans", "ar", "vi"}
    assert waiting["ar"]["dir"] == "rtl" and waiting["vi"]["lang"] == "vi"
    assert waiting["vi"]["heading"] != waiting["en"]["heading"]
    assert waiting[""] == waiting["en"]
