"""The console's front page says where patients' phones open the sheets, and its link leads to
the guide's section that moves a clinic to phones anywhere, read in the console itself."""

import os

from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, LiveServer, assert_accessible, screenshot, sign_in
from tests.staff_helpers import add_staff


def test_front_page_says_clinic_wifi_only_and_links_to_the_guides_section(
        make_app, tmp_path, seeded_databases, page):
    database_url = f"sqlite:///{tmp_path / 'kiosk.sqlite3'}"
    seeded_databases.fill(database_url)
    app = make_app(DATABASE_URL=database_url, PUBLIC_URL="http://192.168.1.20:8000")
    add_staff(app, "jade", "admin")
    with LiveServer(app) as server:
        sign_in(page, server)
        panel = page.get_by_role("region", name="Where patients' phones open the sheets")
        expect(panel).to_contain_text("Phones on the clinic Wi-Fi only, no offline copy")
        screenshot(page, "console-phones-reach")
        assert_accessible(page)

        panel.get_by_role("link", name="How to reach phones at home, with an offline copy").click()
        page.wait_for_url("**/staff/guide/deployment.md#phones-at-home-a-public-https-address")
        heading = page.get_by_role("heading", name="Phones at home: a public HTTPS address")
        expect(heading).to_be_in_viewport()
        # What a person lands on (the window), then the whole guide.
        page.screenshot(path=os.path.join(ARTIFACTS, "console-guide-landed-on-phones-at-home.png"))
        screenshot(page, "console-guide-phones-at-home")
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
