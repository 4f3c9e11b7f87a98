"""Security headers on every kind of response, HSTS only over HTTPS, X-Forwarded-* believed
only when configured, and no inline script or style anywhere a strict policy would block."""

import io
import re
from html.parser import HTMLParser

import pytest
from PIL import Image
from sqlalchemy import select

from kiosk.db import get_session
from kiosk.display.content import ScreenContent
from kiosk.media import store_upload
from kiosk.models import Routine, Screen, Stretch
from kiosk.sheets import qr_fingerprint
from tests.conftest import PUBLIC_URL
from tests.sheet_helpers import make_sheet
from tests.staff_helpers import PASSWORD, add_staff, signed_in, token_from
from tests.test_figures import every_drawing

SAME_ORIGIN = ["'self'"]
POLICY = {
    "default-src": SAME_ORIGIN,
    "script-src": SAME_ORIGIN,
    "style-src": SAME_ORIGIN,
    "img-src": SAME_ORIGIN,
    "media-src": SAME_ORIGIN,
    "font-src": SAME_ORIGIN,
    "connect-src": SAME_ORIGIN,
    "worker-src": SAME_ORIGIN,
    "manifest-src": SAME_ORIGIN,
    "frame-src": SAME_ORIGIN,
    "object-src": ["'none'"],
    "base-uri": SAME_ORIGIN,
    "form-action": SAME_ORIGIN,
}
# The console previews the screen and the sheets in frames; nothing else is ever framed.
FRAMED = {**POLICY, "frame-ancestors": SAME_ORIGIN}
NEVER_FRAMED = {**POLICY, "frame-ancestors": ["'none'"]}
# Uploaded media, should one be opened as a page: nothing runs or loads (tests/test_media.py).
MEDIA = {"default-src": ["'none'"], "frame-ancestors": ["'none'"], "sandbox": []}
HX = {"HX-Request": "true"}


def policy(response) -> dict[str, list[str]]:
    directives = [d.split() for d in response.headers["Content-Security-Policy"].split(";")]
    return {name: values for name, *values in directives}


def permissions(response) -> dict[str, str]:
    pairs = [p.strip().split("=", 1) for p in response.headers["Permissions-Policy"].split(",")]
    return dict(pairs)


@pytest.fixture
def kiosk(app):
    """The seeded app with a patient sheet and a photo, and the addresses of both."""
    token = make_sheet(app, note="Twice a day")
    with app.app_context():
        session = get_session()
        picture = io.BytesIO()
        Image.new("RGB", (8, 6), "teal").save(picture, "PNG")
        picture.seek(0)
        media = store_upload(session, "photo.png", picture)
        session.commit()
        return {"token": token, "media": f"/media/{media.id}"}


def pages(kiosk) -> dict[str, tuple[str, dict, str]]:
    """Every kind of response: (path, headers, the policy it should carry)."""
    token = kiosk["token"]
    return {
        "home": ("/", {}, NEVER_FRAMED),
        "display page": ("/display/waiting-room", {}, FRAMED),
        "display preview": ("/display/waiting-room?preview=1", {}, FRAMED),
        "slide fragment": ("/display/waiting-room/slides/contact", HX, FRAMED),
        "browse fragment": ("/display/waiting-room/browse", HX, FRAMED),
        "screen check": ("/display/waiting-room/check", {}, FRAMED),
        "screen service worker": ("/display/sw.js", {}, FRAMED),
        "missing screen": ("/display/no-such-screen", {}, FRAMED),
        "routine sheet": ("/s/back-pain-stretches", {}, FRAMED),
        "sheet preview": ("/s/back-pain-stretches?preview=1", {}, FRAMED),
        "patient sheet": (f"/p/{token}", {}, FRAMED),
        "routine pdf": ("/s/back-pain-stretches.pdf", {}, FRAMED),
        "patient pdf": (f"/p/{token}.pdf", {}, FRAMED),
        "qr svg": ("/s/back-pain-stretches/qr.svg", {}, FRAMED),
        "manifest": ("/s/back-pain-stretches/manifest.webmanifest", {}, FRAMED),
        "sheet service worker": ("/sheet-sw.js", {}, FRAMED),
        "static file": ("/static/css/site.css", {}, NEVER_FRAMED),
        "static script": ("/static/js/display.js", {}, NEVER_FRAMED),
        "figures css": ("/figures.css", {}, NEVER_FRAMED),
        "demonstrations": ("/demonstrations", {}, NEVER_FRAMED),
        "media file": (kiosk["media"], {}, MEDIA),
        "healthz": ("/healthz", {}, NEVER_FRAMED),
        "staff login": ("/staff/login", {}, NEVER_FRAMED),
        "console page": ("/staff/stretches", {}, NEVER_FRAMED),
        "console fragment": ("/staff/", HX, NEVER_FRAMED),
        "404 page": ("/no-such-page", {}, NEVER_FRAMED),
        "404 sheet": ("/s/no-such-sheet", {}, FRAMED),
    }


def assert_secure_headers(response, expected_policy, referrer="same-origin"):
    assert policy(response) == expected_policy
    for directive in ("script-src", "style-src", "default-src"):
        assert "'unsafe-inline'" not in policy(response).get(directive, [])
        assert "'unsafe-eval'" not in policy(response).get(directive, [])
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == referrer
    allowed = permissions(response)
    assert allowed["screen-wake-lock"] == "(self)"
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "serial",
                    "display-capture"):
        assert allowed[feature] == "()", feature
    assert "Strict-Transport-Security" not in response.headers  # plain http


def test_every_kind_of_page_carries_the_security_headers(app, kiosk):
    client = signed_in(app, "admin")
    for kind, (path, headers, expected_policy) in pages(kiosk).items():
        response = client.get(path, headers=headers)
        assert response.status_code in (200, 404), (kind, response.status_code)
        # Nothing at a patient sheet's address (page, PDF, QR) tells another site its token.
        referrer = "no-referrer" if path.startswith("/p/") else "same-origin"
        try:
            assert_secure_headers(response, expected_policy, referrer)
        except AssertionError as error:
            raise AssertionError(f"{kind} ({path}): {error}") from error
        response.close()


def test_a_patient_sheet_never_sends_its_token_as_a_referrer(client, app):
    token = make_sheet(app)
    assert client.get(f"/p/{token}").headers["Referrer-Policy"] == "no-referrer"
    # Console pages must still send same-origin referrers: Flask-WTF checks them over HTTPS.
    assert client.get("/staff/login").headers["Referrer-Policy"] == "same-origin"


def test_hsts_only_over_https(client):
    plain = client.get("/")
    assert "Strict-Transport-Security" not in plain.headers
    secure = client.get("/", base_url="https://clinic.test")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert policy(secure) == NEVER_FRAMED


def test_forwarded_headers_are_ignored_unless_the_proxy_is_configured(seeded_app):
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7",
                 "X-Forwarded-Host": "evil.example"}
    direct = seeded_app(PUBLIC_URL="")
    response = direct.test_client().get("/", headers=forwarded)
    assert "Strict-Transport-Security" not in response.headers

    proxied = seeded_app(PROXY_HOPS=1, PUBLIC_URL="", TRUSTED_HOST_NAMES=["kiosk.clinic.example"])
    response = proxied.test_client().get("/staff/login", headers=forwarded)
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    # The proxy's Host is the one checked: a name the kiosk does not answer to is refused...
    assert response.status_code == 400
    sheet = proxied.test_client().get("/s/back-pain-stretches", headers=forwarded)
    assert sheet.status_code == 400 and "evil.example/s/" not in sheet.get_data(as_text=True)
    # ...and one it does answer to is where phones are sent when no public address is set.
    trusted = {**forwarded, "X-Forwarded-Host": "kiosk.clinic.example"}
    sheet = proxied.test_client().get("/s/back-pain-stretches", headers=trusted)
    assert "https://kiosk.clinic.example/s/back-pain-stretches" in sheet.get_data(as_text=True)
    unproxied = direct.test_client().get("/s/back-pain-stretches", headers=forwarded)
    assert unproxied.status_code == 200
    assert "evil.example" not in unproxied.get_data(as_text=True)


def test_behind_the_proxy_a_forged_prefix_or_port_changes_no_link(seeded_app):
    """Caddy replaces a client's X-Forwarded-For/-Proto/-Host but passes -Prefix and -Port on:
    believed, one request would put /evil into the slides every screen is then sent."""
    app = seeded_app(PROXY_HOPS=1)
    client = app.test_client()
    forged = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "clinic.test",
              "X-Forwarded-Prefix": "/evil", "X-Forwarded-Port": "6666"}
    screen = client.get("/display/waiting-room", headers=forged).get_data(as_text=True)
    slide = re.search(r'hx-get="(/display/waiting-room/slides/[^"]+)"', screen).group(1)
    client.get(slide, headers={**forged, "HX-Request": "true"})
    for page in (client.get(slide, headers={"HX-Request": "true"}).get_data(as_text=True),
                 client.get("/s/back-pain-stretches", headers=forged).get_data(as_text=True)):
        assert "/evil" not in page and "6666" not in page


def test_proxy_hops_comes_from_the_environment(tmp_path):
    from kiosk.config import from_environ

    assert from_environ(str(tmp_path), {})["PROXY_HOPS"] == 0
    assert from_environ(str(tmp_path), {"KIOSK_PROXY_HOPS": "2"})["PROXY_HOPS"] == 2
    with pytest.raises(ValueError, match="KIOSK_PROXY_HOPS"):
        from_environ(str(tmp_path), {"KIOSK_PROXY_HOPS": "-1"})


# ---- Nothing inline: what a strict policy would block, the app must never emit


class Inline(HTMLParser):
    """Inline styles and scripts in a page: what `style-src 'self'` and `script-src 'self'`
    would block."""

    def __init__(self, page):
        super().__init__()
        self.found = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "style":
            self.found.append("<style>")
        if tag == "script" and not attrs.get("src"):
            self.found.append("<script> without src")
        for name, value in attrs.items():
            if name == "style" or name.startswith("on") or name.startswith("hx-on"):
                self.found.append(f'<{tag} {name}="{value}">')
            if name in ("href", "src", "action") and (value or "").startswith("javascript:"):
                self.found.append(f'<{tag} {name}="{value}">')


def html_pages(app, client, kiosk) -> list[str]:
    """Every page and fragment a person or a screen can be shown."""
    with app.test_request_context():
        session = get_session()
        screen = session.scalar(select(Screen))
        content = ScreenContent(session, screen)
        display = [f"/display/{screen.slug}/slides/{slide.key}" for slide in content.slides]
        display += [f"/display/{screen.slug}/stretches/{s.slug}" for s in content.stretches]
        stretch_id = session.scalar(select(Stretch.id))
        routine_id = session.scalar(select(Routine.id))
    display += [f"/display/{screen.slug}/{panel}"
                for panel in ("browse", "warning-signs", "contact", "take-home")]
    console = [rule.rule for rule in app.url_map.iter_rules()
               if rule.endpoint.startswith("staff.") and "GET" in rule.methods
               and not rule.arguments and rule.endpoint != "staff.transfer_download"]
    return [
        "/", "/demonstrations", "/display/waiting-room", "/display/no-such-screen",
        "/s/back-pain-stretches", f"/p/{kiosk['token']}", "/no-such-page", "/s/no-such-sheet",
        *display, *console,
        f"/staff/stretches/{stretch_id}", f"/staff/routines/{routine_id}",
        f"/staff/screens/{screen.id}", f"/staff/history/stretch/{stretch_id}",
        "/staff/patient-sheets/1",
    ]


def test_no_page_has_an_inline_script_or_style(app, kiosk):
    client = signed_in(app, "admin")
    pages_seen = 0
    for path in html_pages(app, client, kiosk):
        for headers in ({}, HX):
            response = client.get(path, headers=headers)
            assert response.mimetype == "text/html", path
            assert Inline(response.get_data(as_text=True)).found == [], path
            pages_seen += 1
    # Forms that come back with errors, and the PDF's HTML.
    token = token_from(client.get("/staff/stretches/new").get_data(as_text=True))
    refused = client.post("/staff/stretches/new", data={"csrf_token": token, "title": ""})
    assert refused.status_code == 422
    assert Inline(refused.get_data(as_text=True)).found == []
    assert pages_seen > 50
    # Every drawing, also those no seeded stretch uses yet: staff may pick any of them.
    for drawing in every_drawing():
        assert Inline(drawing).found == []


def test_behind_a_configured_proxy_the_session_cookie_is_secure(seeded_app):
    """The proxy says the browser came over HTTPS: the cookie is Secure, and Flask-WTF's
    HTTPS referrer check passes with the same-origin referrer the browser sends."""
    app = seeded_app(PROXY_HOPS=1, TRUSTED_HOST_NAMES=["kiosk.clinic.example"])
    add_staff(app, "jade", "admin")
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "kiosk.clinic.example"}
    client = app.test_client()
    page = client.get("/staff/login", headers=forwarded).get_data(as_text=True)
    form = {"csrf_token": token_from(page), "username": "jade", "password": PASSWORD}
    refused = client.post("/staff/login", headers=forwarded, data=form)
    assert refused.status_code == 400  # no referrer at all: refused over HTTPS
    response = client.post("/staff/login", data=form, headers={
        **forwarded, "Referer": "https://kiosk.clinic.example/staff/login"})
    assert response.status_code == 303
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_every_fingerprinted_url_is_kept_for_a_year_by_one_rule(client):
    """The files a screen and a phone sheet load, the drawings' stylesheet and a routine's QR
    code: each is fetched once and never asked for again (static files also said no-cache,
    so browsers asked again every time), the same way however it is served (uploaded photos
    and videos: tests/test_video_stills.py)."""
    pages = ["/display/waiting-room", "/s/back-pain-stretches"]
    urls = {url.replace("&amp;", "&") for page in pages
            for url in re.findall(r'(?:href|src)="(/[^"]+\?v=[^"]+)"', client.get(page).text)}
    sheet = f"{PUBLIC_URL}/s/back-pain-stretches"
    urls.add(f"/s/back-pain-stretches/qr.svg?v={qr_fingerprint(sheet)}")
    assert any(url.startswith("/static/") for url in urls), urls
    assert any(url.startswith("/figures.css") for url in urls), urls
    for url in sorted(urls):
        with client.get(url) as response:
            assert response.status_code == 200, url
            directives = sorted(response.headers["Cache-Control"].split(", "))
            assert directives == ["immutable", "max-age=31536000", "public"], url
