"""Reading what the app makes as a person's device does: a phone's camera reads a QR code
(zbar), a PDF viewer shows pages and words (Poppler), and a refused page says why in words. For
tests that check what a person would notice, not only that a library was called or that a file
starts with the right bytes."""

import re
import subprocess
import tempfile
from pathlib import Path

import weasyprint

# A QR code printed as the sheets print it, a few centimetres across on white.
PRINTED_QR = "@page { size: 60mm 60mm; margin: 0 } svg { display: block; width: 60mm }"


def qr_codes_in_image(*paths) -> list[str]:
    """Every QR code zbar finds in the image files, in order."""
    found = subprocess.run(["zbarimg", "--nodbus", "-q", "--raw", *map(str, paths)],
                           capture_output=True, text=True, check=False)
    return found.stdout.split()


def qr_codes_in_pdf(pdf: bytes, resolution: int = 150) -> list[str]:
    """Every QR code on every page of the PDF, as printed and scanned at `resolution` dpi."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-png", "-r", str(resolution), "-", f"{folder}/page"],
                       input=pdf, check=True)
        return qr_codes_in_image(*sorted(Path(folder).glob("page*.png")))


def qr_codes_in_svg(svg: str) -> list[str]:
    """What a phone reads from the SVG once it is printed (WeasyPrint, as the sheets are)."""
    pdf = weasyprint.HTML(string=f"<style>{PRINTED_QR}</style>{svg}").write_pdf()
    return qr_codes_in_pdf(pdf)


def pdf_text(pdf: bytes) -> str:
    """The words a PDF viewer shows, in reading order, one space between each."""
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    return " ".join(text.split())


# What pdftotext gives back of Arabic differs from what was typed in ways a reader never sees:
# each lam-alef ligature (لا, لإ, لأ, لآ) comes back as its alef before its lam, short-vowel marks
# (harakat) come back apart or not at all, and a run of Latin letters or digits inside a line is
# put back in another place, as can the part of a wrapped line after a dash. So Arabic is
# compared word by word (`missing_from`), by its letters alone, lams and alefs aside.
NOT_ARABIC_LETTERS = re.compile(r"[^\u0621-\u064a]|[\u0644\u0627\u0623\u0625\u0622]")


def as_read(text: str, language: str = "") -> str:
    """`text` (typed, or as pdftotext gives it) in a form to compare the two: for Arabic, see
    NOT_ARABIC_LETTERS; for Chinese, without spaces (pdftotext breaks lines anywhere); else with one
    space between words."""
    if language == "ar":
        return NOT_ARABIC_LETTERS.sub("", text)
    if language.startswith("zh"):
        return re.sub(r"\s+", "", text)
    return " ".join(text.split())


def missing_from(printed: str, text: str, language: str = "") -> list[str]:
    """What of `text` a reader does not find in `printed` (pdftotext's): nothing, or the text
    itself; for Arabic, each of its words not there (see NOT_ARABIC_LETTERS)."""
    if language != "ar":
        return [] if as_read(text, language) in as_read(printed, language) else [text]
    found = as_read(printed, language)
    return [word for word in text.split() if as_read(word, language) not in found]


def pdf_pages(pdf: bytes) -> int:
    """How many pages a PDF viewer opens (pdfinfo fails on a file that is no PDF)."""
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    return int(next(line.split()[1] for line in info.splitlines()
                    if line.startswith("Pages:")))


REFUSAL = re.compile(
    r'<div class="page">\s*<h1>(?P<title>[^<]+)</h1>\s*<p>(?P<page>[^<]+)'
    r'|class="(?:form-error|field-error|flash flash-error)"[^>]*>(?P<field>[^<]+)'
    r'|role="alert">\s*<h2>(?P<alert>[^<]+)'
)


def refusal_message(page: str) -> str | None:
    """What a refused request's page says went wrong, in words; None if it says nothing."""
    for match in REFUSAL.finditer(page):
        words = " ".join(part for part in match.groups() if part)
        if len(words.split()) >= 3:
            return words
    return None
