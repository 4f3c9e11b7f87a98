"""Staff accounts in Chromium, by keyboard alone: an admin adds, changes, signs out, resets,
deactivates and brings back an account; its owner chooses a password; anyone changes their
own. And what signing out leaves behind: nothing Back can show, no other session alive."""

import os
import re
import shutil
import tempfile

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from kiosk.db import get_session
from kiosk.models import Routine
from kiosk.patient_sheets import Choice, make_patient_sheet
from tests.e2e.conftest import CHROMIUM, CHROMIUM_FLAGS, assert_accessible, screenshot
from tests.staff_helpers import PASSWORD, add_staff

# What a refused form or sign-in answers, in words on the page; Chromium logs its status.
EXPECTED_STATUS = ("status of 401", "status of 422")
MARIAS_PASSWORD = "reach-for-the-toes-7"


@pytest.fixture
def open_page(browser):
    """Pages in fresh browser contexts (one person each); an error in the browser's console
    fails the test, but for the status of a form refused in words."""
    contexts, errors = [], []

    def open_one():
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error"
                and not any(status in m.text for status in EXPECTED_STATUS) else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        return page

    yield open_one
    for context in contexts:
        context.close()
    assert errors == [], f"the browser logged errors: {errors}"


# ---- Keyboard helpers: every move is a key press, and every stop must show where focus is.

FOCUS = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    what: el.tagName + (el.id ? '#' + el.id : '') + ' ' + el.textContent.trim().slice(0, 40),
    visible: el.matches(':focus-visible'),
    // On a part of the control's own, e.g. a date field's calendar button: drawn around it all.
    inside: !el.matches(':focus') && el.matches(':focus-within'),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    ring: style.boxShadow !== 'none',
  };
}"""


def focus_shown(page) -> str:
    """What has the focus; fails unless it is drawn (an outline or a ring of 2 px or more)."""
    focus = page.evaluate(FOCUS)
    assert (focus["visible"] or focus["inside"]) and (focus["outline"] or focus["ring"]), \
        f"no visible focus on {focus['what']}"
    return focus["what"]


# Controls smaller than 48 x 48 CSS px, but for a link inside a sentence (WCAG 2.5.8's inline
# exception): a link in a paragraph that has words of its own around it; and the skip link,
# out of sight until a keyboard reaches it.
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea')]
  .filter(el => el.getClientRects().length && el.getBoundingClientRect().left >= 0)
  .filter(el => !el.matches('.skip-link:not(:focus)'))  // clipped out of sight until tabbed to
  .filter(el => !(el.tagName === 'A' && getComputedStyle(el).display === 'inline'
                  && el.parentElement.tagName === 'P'
                  && el.parentElement.textContent.trim() !== el.textContent.trim()))
  .map(el => [el, el.getBoundingClientRect()])
  .filter(([el, box]) => box.width < 48 || box.height < 48)
  .map(([el, box]) => `${el.tagName} "${el.textContent.trim()}" `
                      + `${Math.round(box.width)} x ${Math.round(box.height)}`)"""


def assert_easy_to_touch(page, name):
    assert page.evaluate(SMALL_TARGETS) == [], f"small targets on {name}"


def tab_to(page, target, backwards=False, most=60):
    """Press Tab (or Shift+Tab) until `target` has the focus, checking each stop on the way."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(most):
        page.keyboard.press(key)
        focus_shown(page)
        if target.evaluate("el => el === document.activeElement"):
            return
    pytest.fail(f"{target} cannot be reached with {key}")


def sign_in_by_keyboard(page, server, username, password):
    """Type the name (the field has the focus as the page opens), Tab, the password, Enter."""
    page.goto(server.url + "/staff/login")
    assert page.get_by_label("Username").evaluate("el => el === document.activeElement")
    page.keyboard.type(username)
    tab_to(page, page.get_by_label("Password"))
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def press_link(page, name, exact=True):
    tab_to(page, page.get_by_role("link", name=name, exact=exact))
    with page.expect_navigation():
        page.keyboard.press("Enter")


def press_button(page, name, key="Enter"):
    tab_to(page, page.get_by_role("button", name=name, exact=True))
    with page.expect_navigation():
        page.keyboard.press(key)


def flash(page):
    return page.locator(".flashes")


def choose_password(page, current, new):
    """On Your password, by keyboard: the current one, the new one twice, Enter."""
    tab_to(page, page.get_by_label("Current password"))
    page.keyboard.type(current)
    tab_to(page, page.get_by_label("New password", exact=True))
    page.keyboard.type(new)
    tab_to(page, page.get_by_label("New password again"))
    page.keyboard.type(new)
    press_button(page, "Change the password")


def row(page, username):
    return page.get_by_role("row").filter(has=page.get_by_role("link", name=username))


@pytest.fixture
def clinic(app):
    add_staff(app, "jade", "admin")
    return app


def test_an_admin_manages_an_account_and_its_owner_chooses_a_password(
        clinic, live_server, open_page):
    admin = open_page()
    sign_in_by_keyboard(admin, live_server, "jade", PASSWORD)
    expect(admin).to_have_url(live_server.url + "/staff/")
    press_link(admin, "Accounts")
    expect(admin.get_by_role("heading", name="Staff accounts")).to_be_visible()
    expect(row(admin, "jade")).to_contain_text("(you)")
    assert_accessible(admin, "the accounts list")
    assert_easy_to_touch(admin, "the accounts list")

    # Add maria.k, a staff account; the page shows her temporary password once.
    tab_to(admin, admin.get_by_label("Username"))
    admin.keyboard.type("maria.k")
    tab_to(admin, admin.get_by_role("combobox", name="Role"))
    expect(admin.get_by_role("combobox", name="Role")).to_have_value("staff")
    press_button(admin, "Add the account", key="Space")
    notice = admin.locator("#temporary-password")
    expect(notice).to_contain_text("Account maria.k is ready")
    expect(notice).to_contain_text("It is shown only now")
    temporary = notice.locator("code").inner_text()
    assert len(temporary) == 19 and temporary.count("-") == 3, temporary
    expect(row(admin, "maria.k")).to_contain_text("Staff")
    expect(row(admin, "maria.k")).to_contain_text("Active, temporary password")
    expect(admin.get_by_label("Username")).to_have_value("")  # ready for the next one
    assert_accessible(admin, "the accounts list with a new account's password")
    screenshot(admin, "accounts-added")

    # Maria signs in with it and must choose her own password before anything else.
    maria = open_page()
    sign_in_by_keyboard(maria, live_server, "maria.k", temporary)
    expect(maria).to_have_url(live_server.url + "/staff/account")
    expect(maria.get_by_text("You signed in with a temporary password")).to_be_visible()
    expect(maria.get_by_role("navigation", name="Console")).to_have_count(0)  # nowhere to go
    assert_accessible(maria, "your password, on a temporary one")
    maria.goto(live_server.url + "/staff/stretches")
    expect(maria).to_have_url(live_server.url + "/staff/account")
    choose_password(maria, temporary, MARIAS_PASSWORD)
    expect(maria).to_have_url(live_server.url + "/staff/")
    expect(flash(maria)).to_contain_text("Your password is changed")
    expect(maria.get_by_role("link", name="maria.k (staff)")).to_be_visible()
    expect(maria.get_by_role("link", name="Stretches")).to_be_visible()
    expect(maria.get_by_role("link", name="Accounts")).to_have_count(0)

    # The admin opens her account and makes her an admin: that signs her out everywhere.
    press_link(admin, "maria.k")
    expect(admin.get_by_role("heading", name="Account maria.k")).to_be_visible()
    expect(admin.locator("main")).to_contain_text("Staff · Active")
    assert_accessible(admin, "an account")
    assert_easy_to_touch(admin, "an account")
    tab_to(admin, admin.get_by_role("combobox", name="Role"))
    admin.keyboard.press("ArrowDown")
    expect(admin.get_by_role("combobox", name="Role")).to_have_value("admin")
    press_button(admin, "Change the role")
    expect(flash(admin)).to_contain_text("The role is now admin")
    expect(admin.locator("main")).to_contain_text("Admin · Active")
    maria.goto(live_server.url + "/staff/patient-sheets")
    expect(maria.get_by_role("heading", name="Sign in to the staff console")).to_be_visible()
    sign_in_by_keyboard(maria, live_server, "maria.k", MARIAS_PASSWORD)
    expect(maria.get_by_role("link", name="Accounts")).to_be_visible()  # an admin now

    # Sign her out everywhere: her next page is the login.
    press_button(admin, "Sign out everywhere", key="Space")
    expect(flash(admin)).to_contain_text("The account is signed out on every device.")
    maria.reload()
    expect(maria.get_by_role("heading", name="Sign in to the staff console")).to_be_visible()

    # She forgot her password: a temporary one, shown once.
    press_button(admin, "Give a temporary password")
    notice = admin.locator("#temporary-password")
    expect(notice).to_contain_text("Temporary password for maria.k")
    second = notice.locator("code").inner_text()
    assert second != temporary
    expect(admin.locator("main")).to_contain_text("must choose a new password at the next sign-in")
    assert_accessible(admin, "an account with its temporary password")
    screenshot(admin, "account-temporary-password")

    # She leaves: deactivated, she cannot sign in, even with the new temporary password.
    press_button(admin, "Deactivate")
    expect(flash(admin)).to_contain_text("The account is deactivated and signed out everywhere")
    expect(admin.locator("main")).to_contain_text("Admin · Deactivated")
    expect(admin.get_by_role("button", name="Deactivate")).to_have_count(0)
    sign_in_by_keyboard(maria, live_server, "maria.k", second)
    expect(maria.get_by_text("That username and password do not match an account.")).to_be_visible()

    # She comes back: reactivated, the temporary password works and she chooses her own.
    press_button(admin, "Reactivate")
    expect(flash(admin)).to_contain_text("The account is active again and can sign in.")
    sign_in_by_keyboard(maria, live_server, "maria.k", second)
    expect(maria).to_have_url(live_server.url + "/staff/account")
    choose_password(maria, second, "bend-the-knees-gently")
    expect(maria).to_have_url(live_server.url + "/staff/")
    expect(flash(maria)).to_contain_text("Your password is changed")

    # The list says where everyone stands; the account's page, what happened to it.
    press_link(admin, "← All accounts")
    expect(row(admin, "maria.k")).to_contain_text("Admin")
    expect(row(admin, "maria.k")).to_contain_text("Active")
    expect(row(admin, "maria.k")).not_to_contain_text("temporary password")
    press_link(admin, "maria.k")
    recent = admin.get_by_role("region", name="Recently").get_by_role("listitem")
    expect(recent).to_have_count(10)  # the last ten; the audit log has them all
    expect(recent).to_contain_text([
        "maria.k: Changed their password", "maria.k: Signed in",
        "jade: Reactivated an account (maria.k)", "maria.k: Sign-in refused",
        "jade: Deactivated an account (maria.k)", "jade: Gave a temporary password (maria.k)",
        "jade: Signed an account out everywhere (maria.k)", "maria.k: Signed in",
        "jade: Changed a role (maria.k)", "maria.k: Changed their password"])


def test_a_staff_member_changes_their_own_password_by_keyboard(clinic, live_server, open_page):
    add_staff(clinic, "sam", "staff")
    page = open_page()
    sign_in_by_keyboard(page, live_server, "sam", PASSWORD)
    expect(page.get_by_role("link", name="Accounts")).to_have_count(0)
    expect(page.get_by_role("link", name="Audit log")).to_have_count(0)
    press_link(page, "sam (staff)", exact=False)  # its name ends ": your password"
    expect(page.get_by_role("heading", name="Your password")).to_be_visible()
    assert_accessible(page, "your password")

    # Two new passwords that differ: said beside the field; back a field with Shift+Tab.
    tab_to(page, page.get_by_label("Current password"))
    page.keyboard.type(PASSWORD)
    tab_to(page, page.get_by_label("New password", exact=True))
    page.keyboard.type("touch-your-toes-2026")
    tab_to(page, page.get_by_label("New password again"))
    page.keyboard.type("touch-your-toes-2062")
    tab_to(page, page.get_by_label("New password", exact=True), backwards=True)
    tab_to(page, page.get_by_label("New password again"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("The two new passwords are not the same.")).to_be_visible()
    expect(page.get_by_label("New password again")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "your password, with errors")
    assert_easy_to_touch(page, "your password")
    screenshot(page, "own-password-errors")

    choose_password(page, PASSWORD, "short")
    expect(page.get_by_text("The password must be at least 10 characters long.")).to_be_visible()
    choose_password(page, "wrong-password-1", "touch-your-toes-2026")
    expect(page.get_by_text("That is not your current password.")).to_be_visible()
    choose_password(page, PASSWORD, "touch-your-toes-2026")
    expect(page).to_have_url(live_server.url + "/staff/")
    expect(flash(page)).to_contain_text("Your password is changed")

    press_button(page, "Sign out")
    expect(flash(page)).to_contain_text("You have signed out.")
    sign_in_by_keyboard(page, live_server, "sam", PASSWORD)
    expect(page.get_by_text("That username and password do not match an account.")).to_be_visible()
    sign_in_by_keyboard(page, live_server, "sam", "touch-your-toes-2026")
    expect(page).to_have_url(live_server.url + "/staff/")


def test_an_admin_reads_the_audit_log_by_keyboard(clinic, live_server, open_page):
    page = open_page()
    sign_in_by_keyboard(page, live_server, "jade", PASSWORD)
    press_link(page, "Audit log")
    expect(page.get_by_role("heading", name="Audit log")).to_be_visible()
    first = page.get_by_role("row").nth(1)
    expect(first).to_contain_text("jade")
    expect(first).to_contain_text("Signed in")
    assert_accessible(page, "the audit log")

    # A last day before the first: the page says to swap them.
    tab_to(page, page.get_by_label("From"))
    page.keyboard.type("03022026")
    tab_to(page, page.get_by_label("To"))
    page.keyboard.type("03012026")
    expect(page.get_by_label("To")).to_have_value("2026-03-01")
    press_button(page, "Show")
    expect(page.get_by_text("The last day is before the first: swap them.")).to_be_visible()
    expect(page.get_by_label("To")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "the audit log, with a date error")
    assert_easy_to_touch(page, "the audit log")
    screenshot(page, "audit-log-date-error")


# ---- What signing out leaves behind.

@pytest.fixture
def remembering_browser(browser):
    """Chromium with its back/forward cache on, as people have it (Playwright turns it off)."""
    home = tempfile.mkdtemp(prefix="kiosk-chromium-home-")
    chromium = browser.browser_type.launch(
        executable_path=CHROMIUM, args=CHROMIUM_FLAGS,
        ignore_default_args=["--disable-back-forward-cache"], env={**os.environ, "HOME": home})
    try:
        yield chromium
    finally:
        chromium.close()
        shutil.rmtree(home, ignore_errors=True)


def make_sheet(app) -> tuple[int, str]:
    with app.app_context():
        session = get_session()
        routine = session.scalar(select(Routine).filter_by(slug="back-pain-stretches"))
        sheet = make_patient_sheet(session, [Choice(item.stretch) for item in routine.items],
                                   "Twice a day, gently.")
        return sheet.id, sheet.token


def test_back_after_signing_out_shows_no_console_page(clinic, live_server, remembering_browser):
    sheet_id, token = make_sheet(clinic)
    context = remembering_browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        # The browser does keep pages for Back: a public page is shown again from memory.
        page.goto(live_server.url + "/")
        page.evaluate("window.keptInMemory = true")
        page.goto(live_server.url + "/staff/login")
        page.go_back(wait_until="commit")  # a page from memory fires no load
        assert page.evaluate("window.keptInMemory === true"), \
            "this Chromium keeps no page for Back, so the test below would prove nothing"

        sign_in_by_keyboard(page, live_server, "jade", PASSWORD)
        page.goto(f"{live_server.url}/staff/patient-sheets/{sheet_id}")
        expect(page.locator(".qr-large")).to_be_visible()
        expect(page.locator("main")).to_contain_text(token)
        press_button(page, "Sign out")
        expect(flash(page)).to_contain_text("You have signed out.")

        page.go_back(wait_until="commit")  # a page from memory fires no load
        expect(page.get_by_role("heading", name="Sign in to the staff console"),
               "Back showed the console page kept from before signing out").to_be_visible()
        expect(page).to_have_url(re.compile(r"/staff/login"))
        assert token not in page.content()
    finally:
        context.close()


def test_signing_out_ends_the_session_in_another_browser(clinic, live_server, open_page):
    laptop, desk = open_page(), open_page()
    for page in (laptop, desk):
        sign_in_by_keyboard(page, live_server, "jade", PASSWORD)
        expect(page.get_by_role("link", name="jade (admin)")).to_be_visible()
    press_button(laptop, "Sign out")
    expect(flash(laptop)).to_contain_text("You have signed out.")
    desk.goto(live_server.url + "/staff/stretches")
    expect(desk.get_by_role("heading", name="Sign in to the staff console")).to_be_visible()
    assert "/staff/login" in desk.url
