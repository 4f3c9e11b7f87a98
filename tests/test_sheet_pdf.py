"""The sheet's PDF as a person holds it: a few A4 pages, each stretch whole on one page with its
drawing, and under each drawing a one-line key with its orange swatch and small stopwatch.
(Render slots and the PDF's cache: test_pdf_renders.py; its QR: e2e/test_sheets.py.)"""

import os
import subprocess

import pytest

from kiosk import create_app
from kiosk.content import load_article
from kiosk.content.seed import seed
from kiosk.db import engine, get_session, migrate
from tests.conftest import PUBLIC_URL
from tests.sheet_helpers import (
    MOST_PAGES,
    assert_each_stretch_whole_on_one_page,
    assert_keys_drawn,
    make_sheet,
    pdf_page_count,
)

ARTICLE = load_article()
SHEET = "/s/back-pain-stretches"
A4 = (595.3, 841.9)  # points


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """Each sheet's PDF (a file) and the HTML of its page: the routine's, and a patient's
    with a note. Made once: a PDF takes seconds, and these tests only read them."""
    folder = tmp_path_factory.mktemp("printed")
    with pytest.MonkeyPatch.context() as patch:
        for name in [name for name in os.environ if name.startswith("KIOSK_")]:
            patch.delenv(name)  # settings from the test only, as make_app's
        patch.setenv("KIOSK_INSTANCE_PATH", str(folder / "instance"))
        app = create_app({"TESTING": True, "SECRET_KEY": "test", "PUBLIC_URL": PUBLIC_URL,
                          "DATABASE_URL": f"sqlite:///{folder / 'kiosk.sqlite3'}"})
        with app.app_context():
            migrate()
            seed(get_session(), load_article())
        patient = f"/p/{make_sheet(app, note='Morning and night, gently.')}"
        client = app.test_client()
        sheets = {}
        for kind, path in (("routine", SHEET), ("patient", patient)):
            response = client.get(f"{path}.pdf")
            assert response.status_code == 200
            pdf = folder / f"{kind}.pdf"
            pdf.write_bytes(response.data)
            sheets[kind] = pdf, client.get(path).get_data(as_text=True)
        with app.app_context():
            engine().dispose()
    return sheets


@pytest.mark.parametrize("kind", ["routine", "patient"])
def test_the_pdf_is_a_few_a4_pages(printed, kind):
    pdf, _ = printed[kind]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size:")).split()
    assert (round(float(size[2]), 1), round(float(size[4]), 1)) == A4
    pages = pdf_page_count(pdf)
    assert pages <= MOST_PAGES, f"{pages} pages for {len(ARTICLE['stretches'])} stretches"


@pytest.mark.parametrize("kind", ["routine", "patient"])
def test_each_stretch_is_whole_on_the_page_of_its_title(printed, kind):
    """Its drawing's key and every step are on the page of its title (its drawing between)."""
    assert_each_stretch_whole_on_one_page(*printed[kind], ARTICLE["stretches"])


def test_under_each_drawing_the_key_is_a_line_with_its_swatch_and_small_stopwatch(printed,
                                                                                  tmp_path):
    assert_keys_drawn(*printed["routine"], tmp_path)
