"""Making patient sheets in tests, through the same function the console uses; a sheet on
paper (its PDF, or Chromium's print) looked at as a person would: how many pages, each stretch
whole on one, the key under each drawing drawn."""

import html
import re
import subprocess
from pathlib import Path

from PIL import Image
from sqlalchemy import select

from kiosk.models import Routine
from kiosk.patient_sheets import Choice, make_patient_sheet


def make_sheet(app, note="", expires_in_days=None, holds=None):
    """A patient sheet of the default routine's stretches; returns its token."""
    from kiosk.db import get_session

    holds = holds or {}
    with app.app_context():
        session = get_session()
        routine = session.scalar(select(Routine).filter_by(slug="back-pain-stretches"))
        choices = [Choice(i.stretch, holds.get(i.stretch.slug)) for i in routine.items]
        return make_patient_sheet(session, choices, note, expires_in_days).token


def pdf_pages(path) -> list[str]:
    """Each page's text, its whitespace (line ends, layout) folded to single spaces."""
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [" ".join(page.split()) for page in text.split("\f")[:-1]]


def pdf_words(path) -> list[tuple[int, str, float, float, float, float]]:
    """Every word with its page (from 1) and box in points: (page, word, x0, y0, x1, y1)."""
    xml = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    words, page = [], 0
    for line in xml.splitlines():
        if "<page " in line:
            page += 1
        found = WORD.search(line)
        if found:
            x0, y0, x1, y1 = map(float, found.groups()[:4])
            words.append((page, html.unescape(found.group(5)), x0, y0, x1, y1))
    return words


WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                  r"(.*)</word>")


# What the seeded routine needs on A4: a page of advice, its seven stretches two to a page,
# then the warning signs, contact and QR.
MOST_PAGES = 1 + 4 + 1


def pdf_page_count(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


def stretch_cards(page_html: str) -> list[str]:
    """Each stretch card of a sheet's page, as HTML."""
    return page_html.split('class="stretch-card"')[1:]


def assert_each_stretch_whole_on_one_page(pdf, page_html: str, stretches: list[dict]):
    """Its title, its drawing's key (where the card has one) and every step on one page."""
    pages = pdf_pages(pdf)
    cards = stretch_cards(page_html)
    assert len(cards) == len(stretches)
    for stretch, card in zip(stretches, cards, strict=True):
        assert stretch["title"] in card
        on = [text for text in pages if f"{stretch['title']} " in text]
        assert len(on) == 1, f"{stretch['title']} is on {len(on)} pages"
        for step in stretch["steps"]:
            assert " ".join(step.split()) in on[0], (stretch["title"], step)
        for key in KEY_COLOURS:
            assert key not in card or key in on[0], (stretch["title"], key)


# The words of the key under a drawing, and the colour drawn just before each (figures.palette).
KEY_COLOURS = {"Orange:": (0xE8, 0x59, 0x0C), "Stopwatch:": (0x0B, 0x6B, 0x63)}


def assert_keys_drawn(pdf, page_html: str, folder: Path):
    """Under each drawing, its key: the orange swatch and the stopwatch drawn just before
    their words, no taller than the line, the line right under the poses' captions."""
    words = pdf_words(pdf)
    keys = [w for w in words if w[1] in KEY_COLOURS]
    for word in KEY_COLOURS:
        shown = sum(card.count(f"{word} ") > 0 for card in stretch_cards(page_html))
        assert len([w for w in keys if w[1] == word]) == shown > 0, word
    dpi = 150
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(folder / "key")],
                   check=True)
    images = sorted(folder.glob("key*.png"))
    for page, word, x0, y0, _, y1 in keys:
        line = y1 - y0
        with Image.open(images[page - 1]) as image:
            beside = (x0 - 2.2 * line, y0, x0, y1)
            assert _colour_near(image, beside, KEY_COLOURS[word], dpi / 72) >= 10, (page, word)
        above = [w[5] for w in words if w[0] == page and w[5] <= y0 + 1]
        assert above and y0 - max(above) <= 1.5 * line, (page, word, y0)


def _colour_near(image: Image.Image, box: tuple[float, ...], colour: tuple[int, int, int],
                 scale: float) -> int:
    """How many pixels in `box` (points) are within a little of `colour`."""
    region = image.crop(tuple(round(v * scale) for v in box)).convert("RGB")
    return sum(1 for pixel in region.get_flattened_data()
               if all(abs(a - b) <= 24 for a, b in zip(pixel, colour, strict=True)))
