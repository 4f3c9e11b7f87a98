"""A real Chromium, driven by Playwright, against the app served on a random local port."""

import os
import shutil
import tempfile
import threading
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from tests.https_proxy import NAME, RESOLVER_RULES, Caddy, free_port, trust_in_browser_home
from tests.staff_helpers import PASSWORD

CHROMIUM = os.environ.get("KIOSK_TEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = os.path.join(os.path.dirname(__file__), "..", "..", "test-artifacts")
# (root) => the animations under `root` that play: running, or paused by static/js/steps.js
# while their drawing's loop holds a pose still (its .demo is then .is-still), due to go on.
PLAYING = """(root) => root.getAnimations({subtree: true}).filter((a) => a.playState === 'running'
    || (a.playState === 'paused' && a.effect && a.effect.target
        && a.effect.target.closest('.demo.is-still') !== null))"""


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)


def launch_chromium(playwright, home, *flags):
    return playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_FLAGS, *flags],
        # Chromium writes its profile and caches under HOME: keep them out of ours.
        env={**os.environ, "HOME": str(home)},
    )


@pytest.fixture(scope="session")
def playwright():
    """One Playwright for the run: its sync API allows no second one at the same time."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright):
    home = tempfile.mkdtemp(prefix="kiosk-chromium-home-")
    try:
        chromium = launch_chromium(playwright, home)
        yield chromium
        chromium.close()
    finally:
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def caddy_data(tmp_path_factory):
    """Caddy's storage for the whole run: one authority, made by the first Caddy to start."""
    data = tmp_path_factory.mktemp("caddy")
    with Caddy(data, upstream=f"127.0.0.1:{free_port()}"):
        pass
    return data


@pytest.fixture(scope="session")
def phone_browser(playwright, caddy_data):
    """A Chromium that reaches the clinic by name, as a phone does: `clinic.test` is this
    machine, and Caddy's root is an authority it trusts (in the NSS database of its HOME)."""
    home = Path(tempfile.mkdtemp(prefix="kiosk-chromium-phone-home-"))
    try:
        trust_in_browser_home(home, Caddy(caddy_data, upstream="").root_certificate)
        chromium = launch_chromium(playwright, home, RESOLVER_RULES)
        yield chromium
        chromium.close()
    finally:
        shutil.rmtree(home, ignore_errors=True)


class LiveServer:
    """The app on 127.0.0.1 with a random port, in a thread of this test process."""

    def __init__(self, app, port=0):
        self.app = app
        self.server = make_server("127.0.0.1", port, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def live_server(app):
    with LiveServer(app) as server:
        yield server


def pages_of(browser):
    """open_page(**context_options) opens a page in a fresh context of `browser`; once the test
    is done, every console error it saw fails the test."""
    contexts, errors = [], []

    def open_page(**context_options):
        context = browser.new_context(**context_options)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert errors == [], f"the browser logged errors: {errors}"


@pytest.fixture
def new_page(browser):
    """Open pages in fresh browser contexts; every console error fails the test."""
    yield from pages_of(browser)


@pytest.fixture
def phone_page(phone_browser):
    """new_page, in the browser that reaches the clinic by name (clinic_site's addresses)."""
    yield from pages_of(phone_browser)


class ClinicSite:
    """A seeded app reached as `http://clinic.test:<port>`, or as `https://clinic.test:<port>`
    through Caddy, as in the public deployment (KIOSK_PROXY_HOPS=1, the https name as
    KIOSK_PUBLIC_URL). Only `phone_browser` knows the name."""

    def __init__(self, app, server, proxy=None):
        self.app, self.server, self.proxy = app, server, proxy
        self.url = proxy.url if proxy else f"http://{NAME}:{server.server.server_port}"

    def stop(self):
        if self.proxy:
            self.proxy.stop()
        self.server.__exit__()


@pytest.fixture
def clinic_site(make_app, tmp_path, caddy_data, seeded_databases):
    """clinic_site(scheme="https", **settings) starts one. On SQLite only: what these tests
    prove happens in the browser and on the wire (the database is covered elsewhere)."""
    sites = []

    def start(scheme="https", **settings):
        port = free_port()
        public_url = f"{scheme}://{NAME}:{port}"
        database_url = f"sqlite:///{tmp_path / f'site-{len(sites)}.sqlite3'}"
        seeded_databases.fill(database_url)
        app = make_app(DATABASE_URL=database_url, PUBLIC_URL=public_url,
                       PROXY_HOPS=1 if scheme == "https" else 0, **settings)
        if scheme == "http":
            sites.append(ClinicSite(app, LiveServer(app, port).__enter__()))
            return sites[-1]
        server = LiveServer(app).__enter__()
        sites.append(ClinicSite(app, server))
        upstream = f"127.0.0.1:{server.server.server_port}"
        sites[-1].proxy = Caddy(caddy_data, upstream, port).start()
        sites[-1].url = public_url
        return sites[-1]

    yield start
    for site in sites:
        site.stop()


@pytest.fixture
def page(new_page):
    return new_page(viewport={"width": 1280, "height": 800})


def assert_accessible(page, name=None):
    """Run axe-core on the page; fail on any serious or critical violation."""
    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(node["target"][0] for node in v["nodes"][:5])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], f"axe found on {name or page.url}:\n" + "\n".join(serious)


def screenshot(page, name):
    """Save a screenshot under test-artifacts/ for people to look at: the whole page, the
    parts a browser skips out of view (content-visibility: auto, the sheet's cards) drawn too."""
    os.makedirs(ARTIFACTS, exist_ok=True)
    path = os.path.join(ARTIFACTS, f"{name}.png")
    page.evaluate(SHOW_ALL)
    # caret="initial": hiding the caret, Playwright leaves an empty style attribute on inputs,
    # which htmx copies when it swaps a region in, and a strict CSP refuses (a console error).
    page.screenshot(path=path, full_page=True, caret="initial")
    return path


# Through the CSSOM, which a strict Content-Security-Policy allows (a <style> it would block).
SHOW_ALL = """() => document.querySelectorAll('body *').forEach((element) => {
    if (getComputedStyle(element).contentVisibility === 'auto') {
        element.style.contentVisibility = 'visible';
    }
})"""


@pytest.fixture
def serve(make_app, tmp_path, seeded_databases):
    """serve(**settings): a seeded app on a port it can stop and start again, for the screen's
    tests (display_fixtures.py, which imports this module: hence the import here)."""
    from tests.e2e.display_fixtures import serving

    yield from serving(make_app, tmp_path, seeded_databases)


def sign_in(page, server, username="jade"):
    """Sign in to the console in the browser, as staff do, with the tests' password."""
    page.goto(server.url + "/staff/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/staff/")
