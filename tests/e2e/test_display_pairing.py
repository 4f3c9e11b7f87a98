"""Pairing in Chromium: the console's pairing link makes a browser the screen; anyone else who
opens the screen's address sees the same screen, but the console hears only from the paired one."""

import time

from playwright.sync_api import expect
from sqlalchemy import select

from kiosk.db import get_session
from kiosk.models import Clinic
from tests.e2e.conftest import sign_in
from tests.e2e.display_fixtures import LANDSCAPE, SCREEN
from tests.readers import qr_codes_in_image
from tests.staff_helpers import add_staff

CONSOLE = {"viewport": {"width": 1280, "height": 800}}


def wait_for_status(console, server, words, within=10):
    """Reload the console's Screens status until the waiting room's line starts with `words`."""
    deadline = time.monotonic() + within
    while True:
        console.goto(server.url + "/staff/")
        line = " ".join(console.locator("#screen-status li", has_text="Waiting room")
                        .text_content().split())
        if line.startswith(words) or time.monotonic() > deadline:
            assert line.startswith(words), line
            return
        console.wait_for_timeout(500)


def test_the_pairing_link_lands_on_the_screen_and_the_console_hears_only_from_it(
    serve, new_page, tmp_path
):
    server = serve(DWELL_SECONDS=120)  # the screen stays on its first slide
    with server.app.app_context():  # links are made for where screens reach the app
        get_session().scalar(select(Clinic)).public_url = server.url
        get_session().commit()
    add_staff(server.app, "jade")
    console = new_page(**CONSOLE, permissions=["clipboard-read", "clipboard-write"])
    sign_in(console, server)
    expect(console.locator("#screen-status")).to_contain_text("Waiting room: not paired yet")

    # Staff open the screen in the console and take its pairing link, as text or as a QR code
    # (for a tablet's camera): the same link either way.
    console.get_by_role("link", name="pairing link").click()
    field = console.get_by_role("textbox", name="Pairing link for Waiting room")
    console.get_by_role("button", name="Copy the link").click()
    expect(console.locator("#pairing [role=status]")).to_have_text("Copied.")
    link = console.evaluate("navigator.clipboard.readText()")
    assert link == field.input_value()
    console.get_by_text("Show the link as a QR code").click()
    console.locator("#pairing .qr-large svg").screenshot(path=tmp_path / "qr.png")
    assert qr_codes_in_image(tmp_path / "qr.png") == [link]

    # Opened on the screen: it lands on the screen's own address, the key gone from it.
    screen = new_page(viewport=LANDSCAPE)
    screen.goto(link)
    assert screen.url == server.url + SCREEN
    screen.go_back()  # the page before is the blank one it started on, not the pairing link
    assert screen.url == "about:blank"
    screen.go_forward()
    assert screen.url == server.url + SCREEN
    showing = screen.locator("#loop .slide").get_attribute("data-label")
    (cookie,) = screen.context.cookies()
    assert (cookie["path"], cookie["httpOnly"], cookie["sameSite"]) == (SCREEN, True, "Strict")
    wait_for_status(console, server, f"Waiting room: {showing}, ")

    # Someone in the waiting room opens the screen's address on their phone or laptop: the same
    # screen, which they may browse; the console does not hear from it.
    screen.context.close()
    reported = server.screen()
    visitor = new_page(viewport=LANDSCAPE)
    checks = []
    visitor.on("response", lambda response: checks.append(response)
               if "/check?showing=Browsing" in response.url else None)
    visitor.goto(server.url + SCREEN)
    expect(visitor.locator("#loop .slide")).to_have_attribute("data-label", showing)
    visitor.get_by_role("button", name="Touch to choose a stretch").click()
    expect(visitor.get_by_role("heading", name="Choose a stretch")).to_be_visible()
    visitor.wait_for_timeout(7000)  # two of its checks, at least (one every 3 s)
    assert len(checks) >= 2 and all(response.status == 200 for response in checks)
    assert visitor.context.cookies() == []
    now = server.screen()
    assert (now.last_report_at, now.last_slide) == (reported.last_report_at, showing)
    wait_for_status(console, server, f"Waiting room: {showing}, ", within=0)
