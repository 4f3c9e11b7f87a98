"""Pages, fragments and files cross the clinic's Wi-Fi gzipped to browsers that accept it, and
what is sent compressed is always what the page says now, never an older copy."""

import gzip

from sqlalchemy import select

from kiosk.models import Stretch
from tests.staff_helpers import signed_in, stretch_form

GZIP = {"Accept-Encoding": "gzip, deflate, br"}
SLIDE = "/display/waiting-room/slides/stretch/neck-stretch"


def test_pages_and_assets_are_gzipped_for_browsers_that_accept_it(client):
    plain = client.get("/s/back-pain-stretches").get_data()
    packed = client.get("/s/back-pain-stretches", headers={"Accept-Encoding": "gzip, br"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.get_data()) == plain
    assert len(packed.get_data()) * 5 < len(plain)
    with client.get("/static/vendor/htmx.min.js", headers={"Accept-Encoding": "gzip"}) as asset:
        assert asset.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(asset.get_data()).startswith(b"var htmx")


def test_a_changed_slide_is_sent_changed_not_from_the_compressed_copy(app, session, client):
    """Compressed bodies are kept by ETag: the slide a screen fetches after an edit is the edit."""
    slide = {**GZIP, "HX-Request": "true"}
    first = client.get(SLIDE, headers=slide)
    assert first.headers["Content-Encoding"] == "gzip"
    assert "<h1>Neck Stretch</h1>" in gzip.decompress(first.data).decode()
    neck = session.scalar(select(Stretch).filter_by(slug="neck-stretch"))
    staff = signed_in(app)
    form = {**stretch_form(staff, neck.id), "title": "Gentle Neck Stretch"}
    assert staff.post(f"/staff/stretches/{neck.id}", data=form).status_code == 303
    again = client.get(SLIDE, headers=slide)
    assert again.headers["Content-Encoding"] == "gzip"
    assert "<h1>Gentle Neck Stretch</h1>" in gzip.decompress(again.data).decode()


def test_a_browser_that_does_not_accept_gzip_gets_the_page_as_it_is(client):
    response = client.get("/s/back-pain-stretches", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in response.headers
    assert "Back pain stretches" in response.get_data(as_text=True)
