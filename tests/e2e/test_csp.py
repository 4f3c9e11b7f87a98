"""Under the Content-Security-Policy, in Chromium: the screen's loop runs and its service worker
registers, the phone sheet follows along and gets ready for offline, and the console's previews
of a screen and a sheet render inside their frames. A blocked script, style or picture shows up
as a console error, and the `new_page` fixture fails the test on any."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from kiosk.db import get_session
from kiosk.models import Routine, Screen
from tests.e2e.conftest import LiveServer, assert_accessible, screenshot, sign_in
from tests.e2e.display_fixtures import LANDSCAPE, SCREEN, slide_key, wait_for_next_slide
from tests.staff_helpers import add_staff

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
SHEET = "/s/back-pain-stretches"


@pytest.fixture
def server(make_app, tmp_path, seeded_databases):
    """The seeded app with two-second slides and an admin, on SQLite."""
    database_url = f"sqlite:///{tmp_path / 'csp.sqlite3'}"
    seeded_databases.fill(database_url)
    app = make_app(DATABASE_URL=database_url, DWELL_SECONDS=2)
    add_staff(app, "jade", "admin")
    with LiveServer(app) as live:
        yield live


def test_the_policy_is_enforced_so_a_violation_would_be_seen(server, browser):
    """The control: an injected inline style, inline script, eval and foreign picture are all
    refused and reported, so the clean runs below mean something."""
    context = browser.new_context()
    page = context.new_page()
    reported = []
    page.on("console", lambda m: reported.append(m.text) if m.type == "error" else None)
    page.goto(server.url + "/")
    page.evaluate("""() => {
        document.body.insertAdjacentHTML('beforeend',
            '<p id="styled" style="color: rgb(255, 0, 0)">x</p>');
        const script = document.createElement('script');
        script.textContent = 'window.inlineRan = true';
        document.body.append(script);
        document.body.insertAdjacentHTML('beforeend', '<img src="https://example.invalid/x.png">');
    }""")
    # Playwright's own evaluate may eval: a page's script may not, once it runs on its own.
    page.evaluate("""async () => {
        await new Promise(done => setTimeout(done, 0));
        try { window.evalRan = eval('true'); } catch (error) { window.evalRan = false; }
    }""")
    page.wait_for_timeout(300)
    assert page.evaluate("getComputedStyle(document.getElementById('styled')).color") \
        != "rgb(255, 0, 0)"
    assert page.evaluate("window.inlineRan") is None
    assert page.evaluate("window.evalRan") is False
    blocked = " ".join(reported)  # eval only throws; the others are reported
    for what in ("inline style", "inline script", "example.invalid"):
        assert what in blocked, (what, reported)
    context.close()


def test_the_screen_loops_and_its_service_worker_registers(server, new_page):
    page = new_page(viewport=LANDSCAPE)
    page.goto(server.url + SCREEN)
    first = slide_key(page)
    wait_for_next_slide(page, first, timeout=8000)
    scope = page.evaluate("""async () => {
        const registration = await navigator.serviceWorker.ready;
        return registration.scope;
    }""")
    assert scope == server.url + "/display/"
    assert page.evaluate("'wakeLock' in navigator")
    page.get_by_role("button", name="Pause").click()
    settle(page)
    assert_accessible(page, "the screen under the CSP")
    page.get_by_role("button", name="Touch to choose a stretch").click()
    expect(page.locator("#panel")).to_be_visible()
    assert_accessible(page, "browsing the screen under the CSP")


def settle(page):
    """Not half-way through a slide's fade-in (axe would measure its contrast mid-fade)."""
    page.wait_for_function(
        "() => !document.getAnimations().some(a => a.playState === 'running'"
        " && a.effect && a.effect.target && a.effect.target.classList.contains('slide'))")


def test_the_phone_sheet_follows_along_and_gets_ready_for_offline(server, new_page):
    page = new_page(**PHONE)
    page.goto(server.url + SHEET)
    # An arrow function: Playwright evals a bare expression on every poll, which the
    # policy refuses (its own first, synchronous evaluation is allowed).
    page.wait_for_function("() => document.documentElement.dataset.offlineReady === 'yes'")
    card = page.locator("#neck-stretch")
    card.get_by_role("button", name="Start", exact=True).click()
    timer = card.locator("[data-follow-along]")
    expect(timer.locator("[data-follow-along-cue]")).to_have_text("Breathe in")
    expect(timer.locator("[data-follow-along-cue]")).to_have_text("Hold", timeout=10_000)
    # The countdown ring turns: its arc is moved through the CSSOM, which the policy allows.
    assert timer.locator("svg").count() >= 1
    timer.get_by_role("button", name="Stop").click()
    assert_accessible(page, "the phone sheet under the CSP")



def test_the_console_previews_render_inside_their_frames(server, new_page):
    with server.app.app_context():
        session = get_session()
        screen_id = session.scalar(select(Screen.id).filter_by(slug="waiting-room"))
        routine_id = session.scalar(select(Routine.id).filter_by(slug="back-pain-stretches"))
    page = new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, server)

    page.goto(f"{server.url}/staff/screens/{screen_id}")
    screen = page.frame_locator('iframe[title^="Preview of"]')
    expect(screen.locator("#loop .slide h1")).not_to_have_text("", timeout=10_000)
    expect(screen.locator("body.display[data-preview='yes']")).to_have_count(1)
    frame = page.frame(url=lambda url: "/display/waiting-room" in url)
    assert frame.evaluate("getComputedStyle(document.body).margin") == "0px"  # site.css loaded
    assert_accessible(page, "the screen editor with its preview")
    screenshot(page, "csp-console-screen-preview")

    page.goto(f"{server.url}/staff/routines/{routine_id}")
    sheet = page.frame_locator("iframe.preview-sheet")
    expect(sheet.locator("h1")).to_be_visible(timeout=10_000)
    expect(sheet.locator("#neck-stretch")).to_be_visible()
    frame = page.frame(url=lambda url: SHEET in url)
    assert frame.evaluate("document.styleSheets.length") >= 2  # its stylesheets loaded
    assert frame.evaluate(
        "document.querySelector('.demo svg') !== null")  # the demonstrations drew
    assert_accessible(page, "the routine editor with its preview")


def test_only_the_screen_and_the_sheets_may_be_framed_and_only_here(server, browser):
    """frame-ancestors: the console's previews may frame the screen and the sheets, and
    nothing may frame the console (so no other page can trick a click out of it)."""
    context = browser.new_context()
    page = context.new_page()
    reported = []
    page.on("console", lambda m: reported.append(m.text) if m.type == "error" else None)
    page.goto(server.url + "/")
    shown = page.evaluate("""async (paths) => {
        const shown = {};
        for (const path of paths) {
            const frame = document.createElement('iframe');
            frame.src = path;
            const loaded = new Promise(done => frame.addEventListener('load', done));
            document.body.append(frame);
            await loaded;
            let text = '';
            try { text = frame.contentDocument.body.innerText.trim().slice(0, 40); } catch {}
            shown[path] = text;
        }
        return shown;
    }""", ["/staff/login", SHEET, SCREEN + "?preview=1"])
    assert shown[SHEET] and shown[SCREEN + "?preview=1"], shown
    assert shown["/staff/login"] == "", shown
    assert any("frame-ancestors" in text for text in reported), reported
    context.close()


def test_a_pdf_opens_in_the_viewer_and_the_policy_header_is_understood(server, browser):
    """object-src 'none' on the PDF itself leaves Chromium's viewer alone; and Chromium
    recognises every feature the Permissions-Policy names (it warns about unknown ones)."""
    context = browser.new_context()
    page = context.new_page()
    said = []
    page.on("console", lambda m: said.append(f"{m.type}: {m.text}"))
    sent = page.request.get(server.url + SHEET + ".pdf").headers
    assert "object-src 'none'" in sent["content-security-policy"]
    response = page.goto(server.url + SHEET + ".pdf")
    assert response.headers["content-type"] == "application/pdf"
    page.wait_for_timeout(1000)  # the viewer's frames attach after the load
    assert any(frame.url.startswith("chrome-extension://") for frame in page.frames), \
        [frame.url for frame in page.frames]
    page.goto(server.url + SCREEN + "?preview=1")
    page.goto(server.url + SHEET)
    trouble = [text for text in said
               if "Content Security Policy" in text or "Permissions-Policy" in text]
    assert trouble == []
    context.close()
