"""A real Chromium, driven by Playwright, against the app served on a random local port."""

import os
import shutil
import tempfile
import threading

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

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


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    home = tempfile.mkdtemp(prefix="kiosk-chromium-home-")
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=CHROMIUM_FLAGS,
                # Chromium writes its profile and caches under HOME: keep them out of ours.
                env={**os.environ, "HOME": home},
            )
            yield chromium
            chromium.close()
    finally:
        shutil.rmtree(home, ignore_errors=True)


class LiveServer:
    """The app on 127.0.0.1 with a random port, in a thread of this test process."""

    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
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


@pytest.fixture
def new_page(browser):
    """Open pages in fresh browser contexts; every console error fails the test."""
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
    """Save a screenshot under test-artifacts/ for people to look at."""
    os.makedirs(ARTIFACTS, exist_ok=True)
    path = os.path.join(ARTIFACTS, f"{name}.png")
    page.screenshot(path=path, full_page=True)
    return path


@pytest.fixture
def serve(make_app, tmp_path):
    """serve(**settings): a seeded app on a port it can stop and start again, for the screen's
    tests (display_fixtures.py, which imports this module: hence the import here)."""
    from tests.e2e.display_fixtures import serving

    yield from serving(make_app, tmp_path)


def sign_in(page, server, username="jade"):
    """Sign in to the console in the browser, as staff do, with the tests' password."""
    page.goto(server.url + "/staff/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/staff/")
