"""Every shipped language, checked by the clinic, on every surface a patient reads (issue 16):
the screen's slides, browsing, each stretch, the phone sheet and its PDF show every warning sign,
safety note and step in that language (as the database holds them), and no word of the kiosk's
own is left in English: every string on the page is accounted for by the language's catalogue,
the clinic's checked content, or the clinic's data (names, phone numbers, addresses, numbers)."""

import html
import re
import subprocess
from functools import cache
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from kiosk.content import drafts
from kiosk.db import get_session
from kiosk.languages import LANGUAGES, SOURCE
from kiosk.models import Clinic, LanguageApproval, Screen, Stretch, Translation
from tests.readers import missing_from, pdf_pages, pdf_text
from tests.sheet_helpers import MOST_PAGES

SHIPPED = [code for code in LANGUAGES if code != SOURCE.code]
SCREEN = "/display/waiting-room"
SHEET = "/s/back-pain-stretches"
HX = {"HX-Request": "true"}
A4_WIDTH = 595.3  # points
SAFETY = ("warning_sign", "safety_note", "stretch.step")
# Text that is no language's: the clinic's own names and numbers are added per test.
NO_WORDS = re.compile(r"^[\W\d_]*$")
# The sheet's address, written out beside its QR code.
ADDRESS = re.compile(r"(https?://)?[\w.-]+\.test(:\d+)?[^\s]*|/s/[\w?=&.-]+")


@pytest.fixture
def checked(app):
    """Every shipped draft checked, and every language offered to patients."""
    with app.app_context():
        session = get_session()
        drafts.load(session)
        for translation in session.scalars(select(Translation)):
            translation.status, translation.checked_by = "checked", "test"
        session.add_all(LanguageApproval(language=code, approved_by="test") for code in SHIPPED)
        session.commit()
    return app


class Strings(HTMLParser):
    """The strings a person meets on a page: its text, and the words of its labels."""

    SKIPPED = {"script", "style"}
    SPOKEN = ("aria-label", "alt", "title", "placeholder", "aria-roledescription")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self.skipping += 1
        self.found += [value for name, value in attrs if name in self.SPOKEN and value]
        if tag == "meta" and ("name", "description") in attrs:
            self.found.append(dict(attrs)["content"])

    def handle_endtag(self, tag):
        if tag in self.SKIPPED:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.found.append(data)


def strings_of(page: str) -> list[str]:
    parser = Strings()
    parser.feed(page)
    return [" ".join(text.split()) for text in parser.found]


@cache
def catalogue_patterns(code: str) -> list[re.Pattern]:
    """Each translated message of the language as a pattern: placeholders match anything, and a
    message may be met whole or as the text either side of a link or a number it holds."""
    patterns = []
    for message in drafts.read(drafts.TRANSLATIONS / code / "LC_MESSAGES" / "messages.po"):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            plain = re.sub(r"<[^>]+>", "\x00", " ".join(string.split()))
            for part in re.split(r"%\(\w+\)s|\x00", plain):
                part = part.strip(" \u2066\u2067\u2068\u2069")
                if part and not NO_WORDS.match(part):
                    patterns.append(part)
    return sorted(set(patterns), key=len, reverse=True)


def unaccounted(strings: list[str], code: str, content: set[str], data: set[str]) -> list[str]:
    """The strings neither the catalogue nor the clinic's content and data account for."""
    known = sorted({*content, *data, *catalogue_patterns(code)}, key=len, reverse=True)
    left = []
    for text in strings:
        rest = ADDRESS.sub(" ", text)
        for piece in known:
            if piece in rest:
                rest = rest.replace(piece, " ")
        if not NO_WORDS.match(rest.replace("·", "")):
            left.append(f"{text!r} (left: {rest.strip()!r})")
    return left


def content_of(session, code: str) -> dict[str, set[str]]:
    """The language's checked pieces by kind; passages also by paragraph, as pages show them."""
    kinds: dict[str, set[str]] = {}
    for translation in session.scalars(select(Translation).filter_by(language=code)):
        texts = {translation.text, *(p.strip() for p in translation.text.split("\n") if p.strip())}
        kinds.setdefault(translation.kind, set()).update(" ".join(t.split()) for t in texts)
    return kinds


def clinic_data(session) -> set[str]:
    clinic = session.scalar(select(Clinic).order_by(Clinic.id))
    stretches = session.scalars(select(Stretch)).all()
    screens = session.scalars(select(Screen.name)).all()
    names = [language.name for language in LANGUAGES.values()]  # each in its own script
    return {value for value in (clinic.name, clinic.therapist, clinic.phone, "PDF", "QR",
                                "Wi-Fi", *screens, *names, *(s.slug for s in stretches)) if value}


def pages(client, code: str, stretches: list[str]) -> dict[str, str]:
    """Every page and panel a patient reads in `code`, by name."""
    lang = f"?lang={code}"
    found = {"screen": client.get(SCREEN + lang).text}
    slides = re.findall(r'data-url="([^"]+)"', found["screen"])
    seen = set()
    url = slides[0]
    while url not in seen:  # round the loop, as the screen does
        seen.add(url)
        slide = client.get(html.unescape(url), headers=HX).text
        found[f"slide {url}"] = slide
        url = html.unescape(re.search(r'hx-get="([^"]+)" hx-trigger="kiosk:next"', slide)
                            .group(1))
    for panel in ("browse", "warning-signs", "contact", "take-home"):
        found[panel] = client.get(f"{SCREEN}/{panel}{lang}", headers=HX).text
    for slug in stretches:
        found[f"stretch {slug}"] = client.get(f"{SCREEN}/stretches/{slug}{lang}",
                                              headers=HX).text
    found["sheet"] = client.get(SHEET + lang).text
    found["missing sheet"] = client.get("/s/no-such-sheet" + lang).text
    return found


@pytest.mark.parametrize("code", SHIPPED)
def test_every_surface_speaks_the_language_with_every_safety_piece(checked, code):
    with checked.app_context():
        session = get_session()
        content = content_of(session, code)
        data = clinic_data(session)
        stretches = list(session.scalars(select(Stretch.slug).where(Stretch.retired.is_(False))))
    # Each request in its own app context, as a server gives it (not the test's).
    client = checked.test_client()
    shown = pages(client, code, stretches)
    assert len([name for name in shown if name.startswith("slide ")]) >= 10

    language = LANGUAGES[code]
    for name, page in shown.items():
        if "<html" in page:
            assert f'lang="{language.tag}" dir="{language.direction}"' in page, name
    text = {name: " ".join(strings_of(page)) for name, page in shown.items()}

    # Every warning sign, safety note and step, in the language, where it belongs.
    signs, notes, steps = (content[kind] for kind in SAFETY)
    for sign in signs:
        for name in ("sheet", "warning-signs", "slide /display/waiting-room/slides/"
                     f"warning-signs?lang={code}"):
            assert sign in text[name], (name, sign)
    for note in notes:
        assert note in text["sheet"], note
    for step in steps:
        assert step in text["sheet"], step
        assert any(step in text[name] for name in text if name.startswith("stretch ")), step

    # No string on any page left unaccounted for: nothing of the kiosk's own in English.
    everything = set().union(*content.values())
    left = {name: unaccounted(strings_of(page), code, everything, data)
            for name, page in shown.items()}
    assert not any(left.values()), {name: found for name, found in left.items() if found}

    # The PDF: the same safety pieces, in the language's own characters.
    pdf = client.get(SHEET + f".pdf?lang={code}")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    printed = pdf_text(pdf.data)
    for piece in (*signs, *notes, *steps):
        assert not missing_from(printed, piece, code), piece


@pytest.mark.parametrize("code", ["vi", "el", "ar"])
def test_on_paper_every_word_of_a_longer_language_stays_on_the_page(checked, code):
    """Captions of the key poses run longer in Vietnamese, Greek or Arabic than in English:
    each wraps in its own share of the row, and no word runs into the margin or off the page."""
    pdf = checked.test_client().get(SHEET + f".pdf?lang={code}").data
    # Greek runs about a third longer than English: 8 pages where English takes 6.
    assert pdf_pages(pdf) <= MOST_PAGES + 2
    boxes = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True,
                           check=True).stdout.decode()
    margin = 14 / 25.4 * 72 - 2  # the sheet's 14 mm, less two points for a glyph's overhang
    outside = [word for x_min, x_max, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
        boxes) if float(x_min) < margin or float(x_max) > A4_WIDTH - margin]
    assert not outside, outside
