"""The vector demonstrations: every stretch draws as valid SVG, with key poses, no inline CSS."""

import math
import re
import xml.etree.ElementTree as ET

import pytest

from kiosk import figures
from kiosk.content import load_article
from kiosk.figures import motion
from kiosk.figures.model import place
from kiosk.figures.scene import Floor

SVG = "{http://www.w3.org/2000/svg}"
STRETCHES = load_article()["stretches"]


def _svgs(markup: str) -> list[ET.Element]:
    """Every <svg> element in a fragment of HTML, parsed as XML (so it must be well formed)."""
    root = ET.fromstring(f"<div>{markup}</div>")  # noqa: S314 - our own markup
    return [element for element in root.iter() if element.tag == f"{SVG}svg"]


def _block(css: str, opening: str) -> str:
    """The body of the CSS block that begins with `opening`, braces balanced."""
    start = css.index(opening) + len(opening)
    start = css.index("{", start) + 1
    depth, end = 1, start
    while depth:
        depth += {"{": 1, "}": -1}.get(css[end], 0)
        end += 1
    return css[start : end - 1]


def test_names_begin_with_the_seven_stretches_of_the_article_neck_down():
    assert figures.names()[:7] == [stretch["slug"] for stretch in STRETCHES]


@pytest.mark.parametrize("stretch", STRETCHES, ids=lambda s: s["slug"])
def test_every_stretch_in_the_article_has_its_demonstration(stretch):
    assert stretch["demonstration"] in figures.names()


@pytest.mark.parametrize("name", figures.names())
def test_render_gives_an_animated_picture_and_the_key_poses(name):
    markup = figures.render(name, label="Neck Stretch demonstration")
    root = ET.fromstring(markup)  # noqa: S314 - our own markup
    assert root.tag == "div" and root.get("class").split()[0] == "demo"
    animated, *stills = _svgs(markup)
    assert "demo-animated" in animated.get("class")
    assert animated.get("role") == "img"
    assert animated.get("aria-label") == "Neck Stretch demonstration"
    # The animated picture carries classes the stylesheet animates.
    assert any(g.get("class", "").startswith("j-") for g in animated.iter(f"{SVG}g"))
    poses = root.find("ol")
    assert poses.get("class") == "demo-poses"
    assert len(stills) == len(poses.findall("li")) >= 4


@pytest.mark.parametrize("stretch", STRETCHES, ids=lambda s: s["slug"])
def test_key_poses_are_captioned_with_their_steps_and_include_the_other_side(stretch):
    markup = figures.render_poses(stretch["demonstration"], label=stretch["title"])
    captions = [
        re.sub(r"<[^>]+>", "", caption)
        for caption in re.findall(r'<span class="demo-pose-caption">(.+?)</span></li>', markup)
    ]
    assert len(captions) >= 4
    # Each names the article's step it shows (tests/test_figure_steps.py checks which).
    assert all(re.match(r"Steps? \d", caption) for caption in captions), captions
    assert re.fullmatch(r"Steps? 1\b.* (Start|Sit tall)", captions[0]), captions[0]
    if stretch["sides"]:
        # Both sides are shown: "Other leg", "Turn right", "Roll backwards"...
        words = " ".join(captions).lower()
        assert re.search(r"other|right|backwards", words), captions
    for still in _svgs(markup):
        assert still.get("role") == "img"
        assert still.get("aria-label").startswith(stretch["title"] + ": ")
        # Stills hold their pose in attributes: nothing for a stylesheet to animate.
        assert not any(g.get("class") for g in still.iter(f"{SVG}g"))


@pytest.mark.parametrize("name", figures.names())
def test_the_first_three_key_poses_put_the_body_in_different_places(name):
    """A patient tells start, stretch and hold apart by the body itself, not by arrows."""
    demo = figures._demonstrations()[name]

    def joints(still):
        return [spot.joint for spot in place(demo.skeleton, demo.poses[still.pose]).values()]

    first, second, third = (joints(still) for still in demo.stills[:3])
    for a, b in ((first, second), (second, third), (first, third)):
        assert max(math.dist(p, q) for p, q in zip(a, b, strict=True)) >= 4, name


@pytest.mark.parametrize("name", figures.names())
def test_thumbnail_is_one_still_picture_of_the_hold(name):
    markup = figures.render_thumbnail(name, label="Hold the stretch")
    (thumbnail,) = _svgs(markup)
    assert thumbnail.get("class") == "demo-thumbnail"
    assert thumbnail.get("aria-label") == "Hold the stretch"


def test_a_thumbnail_without_a_label_is_decoration_not_an_unnamed_image():
    (thumbnail,) = _svgs(figures.render_thumbnail("neck-stretch", label=""))
    assert thumbnail.get("aria-hidden") == "true"
    assert thumbnail.get("role") is None


def test_labels_are_escaped():
    markup = figures.render("neck-stretch", label='Neck <b>"stretch"</b>')
    assert "<b>" not in markup
    assert _svgs(markup)[0].get("aria-label") == 'Neck <b>"stretch"</b>'


def every_drawing():
    """Each demonstration (and an unknown name) as the screen, the sheet and browsing draw it."""
    for name in [*figures.names(), "no-such-demonstration"]:
        yield figures.render(name, label="x")
        yield figures.render_poses(name, label="x")
        yield figures.render_thumbnail(name, label="x")


def test_drawings_use_plain_colours_that_weasyprint_and_print_understand():
    """(Nothing inline either: tests/test_headers.py reads every drawing for that.)"""
    for markup in every_drawing():
        assert "var(--" not in markup


def test_an_unknown_name_draws_a_standing_figure_with_its_label():
    markup = figures.render("a-stretch-staff-invented", label="Wall Stretch demonstration")
    animated, *stills = _svgs(markup)
    assert animated.get("aria-label") == "Wall Stretch demonstration"
    assert len(animated.findall(f".//{SVG}line")) >= 8  # arms and legs, drawn
    assert len(stills) == 1
    assert "Stand" in figures.render_poses("a-stretch-staff-invented", label="Wall Stretch")


def test_stylesheet_animates_every_demonstration_and_switches_to_stills_for_reduced_motion():
    css = figures.stylesheet()
    assert css.count("{") == css.count("}")
    for name in figures.names():
        assert f"@keyframes {name}-j-" in css
        assert re.search(rf"\.demo-animated\.d-{name} \.j-\S+\{{animation:{name}-", css)
    reduced = _block(css, "@media (prefers-reduced-motion: reduce)")
    assert re.search(r"\.demo-animated \{ display: none; \}", reduced)
    assert re.search(r"\.demo-poses \{ display: grid; \}", reduced)
    # The rule that turns each joint about the joint itself.
    assert "transform-origin: 0 0" in css


@pytest.mark.parametrize("name", figures.names())
def test_each_loop_lasts_eight_to_sixteen_seconds_and_ends_where_it_began(name):
    demo = figures._demonstrations()[name]
    assert 8 <= motion.duration(demo) <= 16
    assert demo.loop[0].pose == demo.loop[-1].pose or place(
        demo.skeleton, demo.poses[demo.loop[0].pose]
    ) == place(demo.skeleton, demo.poses[demo.loop[-1].pose])


ON_THE_FLOOR = [
    demo for demo in figures._demonstrations().values()
    if any(isinstance(prop, Floor) for prop in demo.props)
]


def test_every_side_view_stands_on_a_floor_line():
    assert len(ON_THE_FLOOR) >= 4  # shoulders, both hamstrings, psoas


@pytest.mark.parametrize("demo", ON_THE_FLOOR, ids=lambda demo: demo.name)
def test_feet_and_hands_never_go_through_the_floor(demo):
    """Sampled through the loop as the browser tweens it, nothing sinks below the floor."""
    floor = next(prop.y for prop in demo.props if isinstance(prop, Floor))
    for point in motion.sample_points(demo, steps=12):
        assert point[1] <= floor + 1.5, (demo.name, point)


@pytest.mark.parametrize("name", figures.names())
def test_a_change_of_drawing_order_is_instant_never_a_ghostly_cross_fade(name):
    demo = figures._demonstrations()[name]
    loop = motion.frames(demo)
    for before, after in zip(loop, loop[1:], strict=False):
        if before.order != after.order:
            assert after.seconds - before.seconds <= motion.STEP + 1e-9, (name, before, after)


def test_stylesheet_is_served_with_an_etag_and_cached_for_good_when_fingerprinted(app, client):
    with app.test_request_context():
        url = figures.figures_css_url()
    assert re.fullmatch(r"/figures\.css\?v=[0-9a-f]{12}", url)
    with client.get(url) as response:
        assert response.status_code == 200
        assert response.mimetype == "text/css"
        assert response.get_data(as_text=True) == figures.stylesheet()
        assert response.headers["ETag"]
        assert "immutable" in response.headers["Cache-Control"]
        assert response.cache_control.max_age == 365 * 24 * 3600
        etag = response.headers["ETag"]
    with client.get(url, headers={"If-None-Match": etag}) as response:
        assert response.status_code == 304
    with client.get("/figures.css?v=old") as response:
        assert response.status_code == 200
        assert "immutable" not in response.headers.get("Cache-Control", "")


def test_gallery_shows_every_demonstration_with_its_stylesheet(client):
    page = client.get("/demonstrations").get_data(as_text=True)
    assert re.search(r'<link rel="stylesheet" href="/figures\.css\?v=[0-9a-f]{12}">', page)
    for name in figures.names():
        assert f'class="demo demo-{name}"' in page
        assert f"<code>{name}</code>" in page
    assert "Hamstring Stretch (Lying Down)" in page
    assert "style=" not in page
