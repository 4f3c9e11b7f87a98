"""Every address in a template or a script comes from url_for, so moving a route (or mounting
the app under a prefix) cannot leave a link, a worker or a hint to staff pointing at nothing."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import url_for

from kiosk.staff.throttle import DEVICE_COOKIE
from tests.sheet_helpers import make_sheet
from tests.staff_helpers import PASSWORD, add_staff, token_from

ROOT = Path(__file__).resolve().parent.parent
SCANNED = sorted([*(ROOT / "templates").rglob("*.*"), *(ROOT / "static" / "js").rglob("*.js")])
# A url_for call writes its address at render time; what is inside it is an endpoint's name.
URL_FOR = re.compile(r"url_for\([^)]*\)")
# Paths that must stay literal, each with its reason: (file relative to the root, the text).
# None today; a page or script that needs an address gets it from url_for or from its page.
ALLOWED: set[tuple[str, str]] = set()


@pytest.fixture
def first_segments(make_app, tmp_path):
    """The first segment of every route ("staff", "display", "s", "figures.css", ...), read from
    the app itself, so a new blueprint is covered without touching this test."""
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'kiosk.sqlite3'}")
    segments = {rule.rule.split("/")[1].split("<")[0] for rule in app.url_map.iter_rules()}
    segments.discard("")  # the home page, "/": too short to tell from text
    assert {"staff", "display", "s", "p", "static", "figures.css", "sheet-sw.js"} <= segments
    return segments


def app_path(segments):
    """An absolute path whose first segment is a route's: "/staff", "/s/<slug>", "/figures.css";
    not "</p>", "https://host/staff" or a path inside a file name."""
    names = "|".join(re.escape(segment) for segment in sorted(segments, key=len, reverse=True))
    return re.compile(rf"(?<![\w<.:/\\-])/(?:{names})(?![\w.-])")


def hard_coded_paths(text: str, pattern: re.Pattern) -> list[str]:
    text = URL_FOR.sub("url_for()", text)
    return [line.strip() for line in text.splitlines() if pattern.search(line)]


def test_no_template_or_script_holds_an_app_path(first_segments):
    pattern = app_path(first_segments)
    found = {}
    for file in SCANNED:
        name = str(file.relative_to(ROOT))
        lines = [line for line in hard_coded_paths(file.read_text(), pattern)
                 if not any(name == where and text in line for where, text in ALLOWED)]
        if lines:
            found[name] = lines
    assert not found, "Use url_for (or give a script its URL from the page):\n" + "\n".join(
        f"{name}: {line}" for name, lines in found.items() for line in lines)


def test_the_scan_sees_a_path_and_passes_what_is_not_one(first_segments):
    pattern = app_path(first_segments)
    for written in ['<a href="/staff">', '<code>/display/{{ screen.slug }}</code>',
                    'register("/sheet-sw.js")', "'/s/' + slug",
                    'url.pathname === "/figures.css"']:
        assert hard_coded_paths(written, pattern), written
    for written in ["<p>Hello</p>", '<a href="{{ url_for(\'staff.dashboard\') }}">',
                    'href="https://clinic.test/staff"', "kiosk/staff/forms.py",
                    'location.origin + "/"', '<path d="M7 4.5v15l12-7.5z"/>',
                    "{{ url_for('display.screen', slug=screen.slug) }}/"]:
        assert not hard_coded_paths(written, pattern), written


# What the server writes into a service worker in place of the paths it held (kiosk/web/assets.py).
ROUTES_IN_WORKER = re.compile(r"var ROUTES = (\{.*?\});")
# The app as served at the root, and mounted under a prefix (a reverse proxy's /kiosk/).
PREFIXES = ["", "/kiosk"]


class Tags(HTMLParser):
    """The start tags of a page, each as its name and attributes, the way a browser reads them."""

    def __init__(self, html: str):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, {name: value or "" for name, value in attrs}))

    def one(self, tag: str, having: str, value: str | None = None) -> dict[str, str]:
        """The attributes of the one `tag` with the attribute `having` (of `value`, if given)."""
        (attrs,) = [attrs for name, attrs in self.found if name == tag and having in attrs
                    and value in (None, attrs[having])]
        return attrs


def routes_of(client, worker_url: str, prefix: str) -> dict[str, str]:
    script = client.get(worker_url.removeprefix(prefix), base_url=f"http://localhost{prefix}/")
    assert script.status_code == 200
    return json.loads(ROUTES_IN_WORKER.search(script.text).group(1))


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_screen_gives_its_worker_scope_and_the_worker_knows_the_check_and_pairing(
        app, client, prefix):
    screen = f"{prefix}/display/waiting-room"
    page = client.get("/display/waiting-room", base_url=f"http://localhost{prefix}/").text
    body = Tags(page).one("body", "data-worker-url")
    assert (body["data-worker-url"], body["data-worker-scope"]) == (
        f"{prefix}/display/sw.js", f"{prefix}/display/")
    routes = routes_of(client, body["data-worker-url"], prefix)
    # The worker never keeps the check (the screen's proof of life) nor a pairing link (its key).
    assert body["data-check-url"] == screen + routes["check"]
    with app.test_request_context(base_url=f"http://localhost{prefix}/"):
        pairing_link = url_for("display.pair", slug="waiting-room", key="the-key")
    assert pairing_link == screen + routes["pairing"] + "the-key"


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_sheet_gives_its_worker_its_own_kind_as_scope_and_the_worker_knows_pdf_and_manifest(
        app, client, prefix):
    token = make_sheet(app)
    for sheet, scope in [(f"{prefix}/s/back-pain-stretches", f"{prefix}/s/"),
                         (f"{prefix}/p/{token}", f"{prefix}/p/")]:
        page = client.get(sheet.removeprefix(prefix), base_url=f"http://localhost{prefix}/").text
        tags = Tags(page)
        script = tags.one("script", "data-worker-url")
        assert (script["data-worker-url"], script["data-worker-scope"]) == (
            f"{prefix}/sheet-sw.js", scope)
        # A sheet the server calls gone takes its PDF and its manifest out of the phone's copy.
        routes = routes_of(client, script["data-worker-url"], prefix)
        assert tags.one("a", "download")["href"] == sheet + routes["pdf"]
        assert tags.one("link", "rel", "manifest")["href"] == sheet + routes["manifest"]


def test_under_a_prefix_signing_in_leads_back_to_the_page_asked_for(app):
    add_staff(app, "jade")
    client = app.test_client()
    base = "http://localhost/kiosk/"
    asked = client.get("/staff/screens", base_url=base)
    sign_in = urlsplit(asked.headers["Location"])
    assert sign_in.path == "/kiosk/staff/login"
    assert parse_qs(sign_in.query)["next"] == ["/kiosk/staff/screens"]
    page = client.get(f"/staff/login?{sign_in.query}", base_url=base).text
    signed_in = client.post(f"/staff/login?{sign_in.query}", base_url=base, data={
        "csrf_token": token_from(page), "username": "jade", "password": PASSWORD})
    assert signed_in.headers["Location"] == "/kiosk/staff/screens"
    # This browser is remembered where the sign-in page is, not at an address it never opens.
    device = [cookie for cookie in signed_in.headers.getlist("Set-Cookie")
              if cookie.startswith(f"{DEVICE_COOKIE}=")]
    assert len(device) == 1 and "Path=/kiosk/staff/login" in device[0]
