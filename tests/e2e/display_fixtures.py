"""Fixtures for the waiting-room screen's browser tests: seeded apps with short dwell and idle
times, served on a port that can be stopped and started again (the server going away)."""

import os
import threading

from sqlalchemy import select
from werkzeug.serving import make_server

from kiosk.db import get_session
from kiosk.models import Screen
from tests.e2e.conftest import ARTIFACTS

SCREEN = "/display/waiting-room"
LANDSCAPE = {"width": 1920, "height": 1080}
PORTRAIT = {"width": 1080, "height": 1920}
ORIENTATIONS = {"landscape": LANDSCAPE, "portrait": PORTRAIT}
SHOTS = os.path.join(ARTIFACTS, "display")


class Server:
    """The app on 127.0.0.1, which a test may stop and start again on the same port."""

    def __init__(self, app):
        self.app = app
        self.port = 0
        self.server = None

    def start(self):
        # HTTPServer sets SO_REUSEADDR, so the port is free again at once after a stop.
        self.server = make_server("127.0.0.1", self.port, self.app, threaded=True)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.thread.join()
            self.server = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def screen(self) -> Screen:
        """The waiting room's row as it is now, e.g. to read its last report."""
        with self.app.app_context():
            return get_session().scalar(select(Screen).filter_by(slug="waiting-room"))

    def pairing_link(self) -> str:
        """The waiting room's pairing link: a browser that opens it is the screen, and reports."""
        return f"{self.url}{SCREEN}/pair/{self.screen().report_key}"


def serving(make_app, tmp_path, seeded_databases):
    """What the `serve` fixture (conftest.py) yields: serve(**settings) starts a seeded app built
    with those settings (e.g. DWELL_SECONDS=2, IDLE_SECONDS=2) and returns its Server.

    The browser tests run on SQLite only: what they prove happens in the browser, and twice
    over would double the suite's time; tests/test_display.py covers PostgreSQL.
    """
    servers = []
    database_url = f"sqlite:///{tmp_path / 'display.sqlite3'}"
    seeded_databases.fill(database_url)

    def start(**settings):
        servers.append(Server(make_app(DATABASE_URL=database_url, **settings)).start())
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


# What Chromium and htmx log when a request cannot reach the server: expected while offline.
NETWORK_TROUBLE = ("Failed to load resource", "net::ERR_", "htmx:sendError", "htmx:afterRequest",
                   "htmx:timeout", "htmx:responseError")


def contexts_tolerating_network_trouble(browser):
    """open_context(**options) opens a context of `browser` whose console may report failed
    requests (the network is cut on purpose), but never a script error: the test fails then."""
    contexts, problems = [], []

    def open_context(**options):
        context = browser.new_context(**options)
        contexts.append(context)
        context.on("weberror", lambda error: problems.append(str(error.error)))
        context.on(
            "console",
            lambda m: problems.append(m.text)
            if m.type == "error" and not any(t in m.text for t in NETWORK_TROUBLE) else None,
        )
        return context

    yield open_context
    for context in contexts:
        context.close()
    assert problems == [], problems


def shot(page, name):
    """Save what the screen shows (the viewport, as a patient sees it) for people to look at."""
    os.makedirs(SHOTS, exist_ok=True)
    path = os.path.join(SHOTS, f"{name}.png")
    # Not half-way through a slide's fade-in.
    page.wait_for_function(
        "() => !document.getAnimations().some(a => a.playState === 'running'"
        " && a.effect && a.effect.target && a.effect.target.classList.contains('slide'))"
    )
    page.screenshot(path=path)
    return path


def slide_key(page):
    return page.locator("#loop .slide").get_attribute("data-slide")


def wait_for_next_slide(page, after, timeout=8000):
    """Wait until the loop shows a slide other than `after`; return its key."""
    page.wait_for_function(
        "key => { const s = document.querySelector('#loop .slide');"
        " return s && s.dataset.slide !== key; }",
        arg=after,
        timeout=timeout,
    )
    return slide_key(page)
