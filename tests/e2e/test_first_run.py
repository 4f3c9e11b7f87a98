"""The first run in Chromium, by keyboard: the sign-in page says there is no account and where
the set-up link is; the link printed in the server's terminal makes the first admin, who lands
in the console signed in."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, screenshot
from tests.e2e.test_accounts import (  # noqa: F401  (open_page: the fixture)
    assert_easy_to_touch,
    open_page,
    press_button,
    tab_to,
)
from tests.staff_helpers import PASSWORD

LINK = re.compile(r"https?://\S+(/staff/setup/[A-Za-z0-9_-]+)")


def test_the_set_up_link_makes_the_first_admin_who_lands_in_the_console(
        live_server, open_page, capsys):  # noqa: F811
    page = open_page()
    page.goto(live_server.url + "/staff/login")
    notice = page.get_by_role("heading", name="There is no staff account yet")
    expect(notice).to_be_visible()
    expect(page.get_by_text("set-up link printed in the terminal")).to_be_visible()
    assert_accessible(page, "the sign-in page with no account yet")
    screenshot(page, "first-run-sign-in")
    link = LINK.search(capsys.readouterr().err).group(1)  # as the server printed it
    assert link not in page.content()

    page.goto(live_server.url + link)
    expect(page.get_by_role("heading", name="Make the first admin")).to_be_visible()
    username = page.get_by_label("Username")
    assert username.evaluate("el => el === document.activeElement")
    page.keyboard.type("maria")
    tab_to(page, page.get_by_label("Password", exact=True))
    page.keyboard.type("short")
    tab_to(page, page.get_by_label("Password again"))
    page.keyboard.type("short")
    press_button(page, "Make the account and sign in")
    expect(page.get_by_text("The password must be at least 10 characters long.")).to_be_visible()
    assert_accessible(page, "the set-up form, refused")
    assert_easy_to_touch(page, "the set-up form")
    screenshot(page, "first-run-set-up-refused")

    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    tab_to(page, page.get_by_role("button", name="Make the account and sign in"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Screens status")).to_be_visible()
    expect(page.get_by_text("Welcome, maria: you are the console's first admin")).to_be_visible()
    expect(page.get_by_role("link", name="Accounts")).to_be_visible()
    assert page.url == live_server.url + "/staff/"
    assert_accessible(page, "the console after set-up")
    screenshot(page, "first-run-console")

