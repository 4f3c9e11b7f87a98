import re

from kiosk.content import load_article


def test_home_lists_every_stretch_with_its_steps_and_links_to_each_surface(client):
    page = client.get("/").get_data(as_text=True)
    for stretch in load_article()["stretches"]:
        assert stretch["title"] in page
        for step in stretch["steps"]:
            assert step in page
    assert 'href="/display/waiting-room"' in page
    assert 'href="/s/back-pain-stretches"' in page
    assert 'href="/staff/"' in page


def test_static_assets_are_fingerprinted_and_cached_for_good(client):
    page = client.get("/").get_data(as_text=True)
    assert "/static/vendor/htmx.min.js?v=" in page
    href = re.search(r'<link rel="stylesheet" href="([^"]+)"', page).group(1)
    assert href.startswith("/static/css/site.css?v=")
    with client.get(href) as response:
        assert response.status_code == 200
        assert "immutable" in response.headers["Cache-Control"]
        assert response.cache_control.max_age == 365 * 24 * 3600
