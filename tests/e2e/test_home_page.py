from kiosk.content import load_article
from tests.e2e.conftest import assert_accessible, screenshot


def test_home_page_shows_all_seven_stretches_in_chromium(live_server, page):
    page.goto(live_server.url + "/")
    titles = page.locator(".stretch h3").all_inner_texts()
    assert titles == [s["title"] for s in load_article()["stretches"]]
    assert page.locator(".stretch").first.locator("ol li").count() == 5
    # htmx is served from the app itself and loads.
    assert page.evaluate("typeof htmx !== 'undefined' && htmx.version.startsWith('2.0.')")
    screenshot(page, "home")
    assert_accessible(page)


def test_links_to_each_surface_are_big_enough_to_tap(live_server, page):
    page.goto(live_server.url + "/")
    links = page.get_by_role("navigation", name="Surfaces").get_by_role("link")
    assert links.count() == 3
    for index in range(links.count()):
        box = links.nth(index).bounding_box()
        assert box["height"] >= 48 and box["width"] >= 48
