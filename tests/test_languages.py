"""Which language a page speaks (kiosk/languages.py): ?lang= (kept for that browser), else the
kept choice, else Accept-Language, else English; only languages with compiled words are ever
chosen; the console stays English; a screen speaks what its address asks, not its browser.

The catalogues here are written and compiled by pybabel in the test's own folder, so these
tests hold whatever the kiosk ships."""

import json
import re
import subprocess
import sys
from html import unescape as html_unescape
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.db import get_session
from kiosk.models import LanguageApproval
from tests.staff_helpers import signed_in

SHEET = "/s/back-pain-stretches"
# The neck stretch's hold on the seeded sheet, as the English page words it.
HOLD = "Hold for 10 seconds"
HEADER = '''
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: {forms}\\n"

'''
ENTRIES = '''
msgid "Hold for %(num)s second"
msgid_plural "Hold for %(num)s seconds"
{hold}

msgid "Breathe in"
msgstr "{breathe_in}"
'''
GREEK = ("nplurals=2; plural=(n != 1);", 'msgstr[0] "Κράτα %(num)s"\nmsgstr[1] "Κράτα %(num)s"',
         "Εισπνοή")
VIETNAMESE = ("nplurals=1; plural=0;", 'msgstr[0] "Giữ trong %(num)s giây"', "Hít vào")
ARABIC = ("nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
          ": n%100>=11 ? 4 : 5);",
          "\n".join(f'msgstr[{n}] "ثبّت {word} %(num)s"' for n, word in enumerate(
              ("صفر", "ثانية", "ثانيتين", "ثوان", "ثانية.", "ثانية،"))), "شهيق")


def compile_catalogue(folder: Path, code: str, entries: str,
                      forms: str = "nplurals=1; plural=0;") -> None:
    """Write `entries` (a .po file's messages) as the catalogue of `code` in `folder`, and
    compile it as `make` does."""
    messages = folder / code / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (messages / "messages.po").write_text(HEADER.format(forms=forms) + entries, encoding="utf-8")
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run([pybabel, "--quiet", "compile", "-d", folder, "-l", code], check=True)


def our_catalogue(folder: Path, code: str, language) -> None:
    forms, hold, breathe_in = language
    compile_catalogue(folder, code, ENTRIES.format(hold=hold, breathe_in=breathe_in), forms)


@pytest.fixture
def speaking(seeded_app, tmp_path):
    """The seeded app with Vietnamese and Arabic words for the hold, and nothing else."""
    folder = tmp_path / "translations"
    our_catalogue(folder, "vi", VIETNAMESE)
    our_catalogue(folder, "ar", ARABIC)
    our_catalogue(folder, "el", GREEK)  # words, but never approved by the clinic
    app = seeded_app(BABEL_TRANSLATION_DIRECTORIES=str(folder))
    approved(app, "vi", "ar")
    return app


def approved(app, *codes):
    """As if the clinic had checked these languages (tests/test_localised.py checks how)."""
    with app.app_context():
        session = get_session()
        session.add_all(LanguageApproval(language=code, approved_by="test") for code in codes)
        session.commit()


def html_tag(page: str) -> str:
    return re.search(r"<html[^>]*>", page).group(0)


def test_with_no_catalogue_every_page_is_english_whatever_is_asked(client):
    response = client.get(SHEET + "?lang=vi", headers={"Accept-Language": "vi-VN, ar;q=0.8"})
    assert 'lang="en" dir="ltr"' in html_tag(response.text)
    assert HOLD in response.text
    assert "kiosk_lang" not in response.headers.get("Set-Cookie", "")


def test_lang_in_the_address_picks_the_language_and_the_phone_keeps_it(speaking):
    phone = speaking.test_client()
    first = phone.get(SHEET + "?lang=vi")
    assert 'lang="vi" dir="ltr"' in html_tag(first.text)
    assert "Giữ trong 10 giây" in first.text and HOLD not in first.text
    cookie = first.headers["Set-Cookie"]
    assert "kiosk_lang=vi" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    again = phone.get(SHEET)  # opened again from the home screen, no ?lang=
    assert "Giữ trong 10 giây" in again.text
    english = phone.get(SHEET + "?lang=en")
    assert HOLD in english.text and "kiosk_lang=en" in english.headers["Set-Cookie"]


def test_the_pages_scripts_get_their_words_in_the_pages_language(speaking):
    """The follow-along timer's cues, among what the scripts say, come with the page; an
    English page sends none (the scripts' own English stands)."""
    phone = speaking.test_client()
    page = phone.get(SHEET + "?lang=vi").text
    words = json.loads(html_unescape(re.search(r"data-words='([^']*)'", page).group(1)))
    assert words["follow"]["in"] == "Hít vào"
    assert words["follow"]["hold"] == "Hold"  # not translated yet: the English
    assert "data-words" not in html_tag(phone.get(SHEET + "?lang=en").text)


def test_the_browsers_languages_pick_the_best_one_there_are_words_for(speaking):
    phone = speaking.test_client()
    for accepted, expected in (("vi-VN,vi;q=0.9,en;q=0.5", "vi"), ("fr, ar-SA;q=0.7", "ar"),
                               ("zh-TW, zh;q=0.9", "en"), ("", "en"), ("el;q=0.9", "en")):
        # el: Greek words are there, but the clinic has not approved Greek.
        page = phone.get(SHEET, headers={"Accept-Language": accepted}).text
        assert f'lang="{expected}"' in html_tag(page), accepted
    # An address's choice wins over the browser's; a language without words is no choice.
    page = phone.get(SHEET + "?lang=zh-Hans", headers={"Accept-Language": "vi"}).text
    assert 'lang="vi"' in html_tag(page)
    page = phone.get(SHEET + "?lang=el", headers={"Accept-Language": "ar"}).text
    assert 'lang="ar"' in html_tag(page)  # Greek has words, not the clinic's approval


def test_caches_are_told_a_sheet_depends_on_the_language_and_a_file_does_not(speaking):
    client = speaking.test_client()
    sheet = client.get(SHEET)
    assert {"Accept-Language", "Cookie"} <= set(sheet.vary)
    stylesheet = re.search(r'href="(/static/css/sheet\.css[^"]*)"', sheet.text).group(1)
    with client.get(stylesheet) as file:  # a file response: closed once read
        assert "Accept-Language" not in file.vary


def test_arabic_reads_right_to_left_with_its_own_plural(speaking):
    page = speaking.test_client().get(SHEET + "?lang=ar").text
    assert 'lang="ar" dir="rtl"' in html_tag(page)
    assert "ثبّت ثوان 10" in page  # 10: Arabic's "few" form (3 to 10), not "one" or "other"


def test_the_console_stays_english_and_a_screen_ignores_its_browser(speaking):
    console = signed_in(speaking, "admin")
    page = console.get("/staff/", headers={"Accept-Language": "vi"}).text
    assert 'lang="en"' in html_tag(page)
    screen = speaking.test_client()
    screen.set_cookie("kiosk_lang", "vi")
    page = screen.get("/display/waiting-room", headers={"Accept-Language": "vi"}).text
    assert 'lang="en"' in html_tag(page)
    page = screen.get("/display/waiting-room?lang=vi").text
    assert 'lang="vi"' in html_tag(page)
    # Its next slide, its browsing and its check ask in Vietnamese too.
    assert re.search(r'hx-get="/display/waiting-room/slides/[^"]+\?lang=vi"', page)
    assert 'hx-get="/display/waiting-room/browse?lang=vi"' in page
    # Not its service worker, whose scope is every screen's, in any language.
    assert 'data-worker-url="/display/sw.js"' in page and 'data-worker-scope="/display/"' in page


def test_words_handed_to_code_are_escaped_once(app, session):
    """A label made in the page's language and handed to the drawing, which escapes it."""
    from sqlalchemy import select

    from kiosk.models import Stretch

    neck = session.scalar(select(Stretch).filter_by(slug="neck-stretch"))
    neck.title = 'Neck & "shoulder" <stretch>'
    session.commit()
    page = app.test_client().get(SHEET).text
    assert 'aria-label="Neck &amp; &#34;shoulder&#34; &lt;stretch&gt; demonstration"' in page
    assert "&amp;amp;" not in page and "&amp;#34;" not in page


def test_the_sheet_shows_checked_translations_and_the_source_marked_where_there_is_none(
        speaking, session):
    """Warning sign 1 checked in Vietnamese; sign 2 only a draft; sign 3 checked, then its
    English edited: the page shows the first in Vietnamese, the others in English, each marked
    lang="en" so a screen reader reads it as English. The neck stretch's title, checked, shows
    with its hold, which a change shows at once in every language."""
    from kiosk.localised import fingerprint
    from kiosk.models import Stretch, Translation, WarningSign

    signs = session.scalars(select(WarningSign).order_by(WarningSign.position)).all()
    neck = session.scalar(select(Stretch).filter_by(slug="neck-stretch"))

    def translation(kind, ref, position, source, text, status="checked"):
        return Translation(language="vi", kind=kind, ref=ref, position=position, text=text,
                           status=status, source_sha256=fingerprint(source))

    session.add_all([
        translation("warning_sign", "", 1, signs[0].text, "Tê vùng mông"),
        translation("warning_sign", "", 2, signs[1].text, "Bản nháp", status="draft"),
        translation("warning_sign", "", 3, signs[2].text, "Đã cũ"),
        translation("stretch.title", "neck-stretch", 0, neck.title, "Giãn cổ"),
    ])
    signs[2].text += " (changed)"
    neck.hold_seconds = 25
    session.commit()
    page = speaking.test_client().get(SHEET + "?lang=vi").text
    shown = re.search(r'<section class="sheet-warning".*?</section>', page, re.S).group(0)
    items = re.findall(r"<li([^>]*)>([^<]*)</li>", shown)
    assert items[0] == ("", "Tê vùng mông")
    assert items[1] == (' lang="en"', signs[1].text)  # a draft is never shown
    assert items[2] == (' lang="en"', signs[2].text)  # out of date: the English again
    assert "Bản nháp" not in page and "Đã cũ" not in page
    card = re.search(r'<section class="stretch-card" id="neck-stretch".*?</section>', page,
                     re.S).group(0)
    assert "<span>Giãn cổ</span>" in card and "Giữ trong 25 giây" in card


def test_a_screen_in_vietnamese_shows_checked_words_and_its_qr_opens_the_sheet_in_it(
        speaking, session):
    """The warning-signs slide in Vietnamese where checked; the contact slide's QR code, read
    by zbar, is the sheet's address with ?lang=vi, which opens in Vietnamese on a phone whose
    browser asks for English."""
    from kiosk.localised import fingerprint
    from kiosk.models import Translation, WarningSign
    from tests.readers import qr_codes_in_svg

    first = session.scalar(select(WarningSign).order_by(WarningSign.position))
    session.add(Translation(language="vi", kind="warning_sign", ref="", position=1,
                            text="Tê vùng mông", status="checked",
                            source_sha256=fingerprint(first.text)))
    session.commit()
    screen = speaking.test_client()
    signs = screen.get("/display/waiting-room/warning-signs?lang=vi").text
    assert "<li>Tê vùng mông</li>" in signs and '<li lang="en">' in signs
    contact = screen.get("/display/waiting-room/contact?lang=vi").text
    qr = re.search(r'<div class="qr">(.*?)</div>', contact, re.S).group(1)
    [address] = qr_codes_in_svg(qr)
    assert address.endswith("/s/back-pain-stretches?lang=vi"), address
    phone = speaking.test_client()
    path = address.split("://", 1)[1].split("/", 1)[1]
    sheet = phone.get("/" + path, headers={"Accept-Language": "en-AU"}).text
    assert 'lang="vi"' in html_tag(sheet) and "Tê vùng mông" in sheet
