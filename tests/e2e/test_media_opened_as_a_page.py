"""Media opened on its own in Chromium: HTML stored as media (as an import from before imports
were checked could have left it) never runs on the app's origin; an uploaded photo opened on
its own still shows."""

import hashlib
import io

import pytest
from PIL import Image

from kiosk.db import get_session
from kiosk.media import store_upload
from kiosk.models import Media

# Were it ever to run, it would ask the app for an address the test watches for.
SCRIPT = b"document.title = 'script ran'; fetch('/healthz?script-ran');"


def page_loading(script_id: int) -> bytes:
    """HTML whose script is another media row: the same origin, so the app's own policy
    (script-src 'self') would let it run."""
    html = f'<!doctype html><title>a page</title><script src="/media/{script_id}"></script>'
    return html.encode()


@pytest.fixture
def page(browser):
    """A page whose console this module reads itself. Chromium styles its own page for an image
    inline, which the media policy blocks (nothing inline runs there, by design): it says so
    in the console. Any other error fails the test."""
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert [e for e in errors if not e.startswith("Applying inline style violates")] == []


def stored(app, mime_type: str, data: bytes) -> int:
    with app.app_context():
        session = get_session()
        media = Media(kind="image", mime_type=mime_type, data=data, byte_size=len(data),
                      width=1, height=1, sha256=hashlib.sha256(data).hexdigest())
        session.add(media)
        session.commit()
        return media.id


def test_html_stored_as_media_never_runs_when_opened(app, live_server, page):
    script = stored(app, "text/javascript", SCRIPT)
    as_html = stored(app, "text/html", page_loading(script))
    as_picture = stored(app, "image/png", page_loading(script))
    asked = []
    page.on("request", lambda request: asked.append(request.url))

    page.goto(f"{live_server.url}/media/{as_picture}")
    assert page.title() != "script ran"

    page.goto(f"{live_server.url}/")
    with page.expect_download(timeout=10_000) as download:
        page.evaluate("url => { location.href = url; }", f"/media/{as_html}")
    assert download.value.suggested_filename == f"media-{as_html}.bin"
    page.wait_for_timeout(300)  # time enough for a fetch to go out, were anything running
    assert page.title() != "script ran"
    assert not [url for url in asked if "script-ran" in url]


def test_an_uploaded_photo_opened_on_its_own_shows(app, live_server, page):
    picture = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(picture, "PNG")
    picture.seek(0)
    with app.app_context():
        session = get_session()
        media_id = store_upload(session, "photo.png", picture).id
        session.commit()
    page.goto(f"{live_server.url}/media/{media_id}")
    assert page.locator("img").evaluate("img => img.complete && img.naturalWidth") == 64
