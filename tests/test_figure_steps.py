"""Each key pose names the article's step it shows, and the loop says when each step begins:
the data behind the step marked beside a demonstration as it plays (static/js/steps.js)."""

import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest
from sqlalchemy import select

from kiosk import figures
from kiosk.content import load_article
from kiosk.figures import motion
from kiosk.models import Stretch

STRETCHES = load_article()["stretches"]
ARTICLE = [stretch["demonstration"] for stretch in STRETCHES]


def _demo(name):
    return figures._demonstrations()[name]


def _moves_with_steps(demo):
    """Each move of the loop with the step it shows (a move naming none goes on with the last)."""
    step = 0
    for move in demo.loop:
        step = move.step or step
        yield move, step


def _key_poses(markup: str) -> list[tuple[str | None, str]]:
    """Each key pose's data-step and caption text, in order."""
    root = ET.fromstring(markup)  # noqa: S314 - our own markup
    poses = root if root.get("class") == "demo-poses" else root.find("ol")
    return [
        (li.get("data-step"), " ".join("".join(li.find("span").itertext()).split()))
        for li in poses.findall("li")
    ]


@pytest.mark.parametrize("stretch", STRETCHES, ids=lambda s: s["slug"])
def test_each_article_drawing_numbers_as_many_steps_as_the_article_gives(stretch):
    assert _demo(stretch["demonstration"]).steps == len(stretch["steps"])


@pytest.mark.parametrize("name", ARTICLE)
def test_the_loop_shows_one_step_at_every_moment_beginning_with_step_1(name):
    demo = _demo(name)
    starts = motion.step_starts(demo)
    assert starts[0] == (0.0, 1)
    times = [t for t, _ in starts]
    assert times == sorted(set(times)) and times[-1] < motion.duration(demo)
    steps = [step for _, step in starts]
    assert all(1 <= step <= demo.steps for step in steps)
    assert all(a != b for a, b in zip(steps, steps[1:], strict=False))
    # A step begins as a move begins: on the keyframes' own clock, not one of its own.
    keyframes = [frame.seconds for frame in motion.frames(demo)]
    assert all(any(abs(t - k) < 1e-9 for k in keyframes) for t in times), (times, keyframes)


@pytest.mark.parametrize("name", ARTICLE)
def test_every_step_the_loop_shows_has_a_key_pose_to_show_when_it_is_tapped(name):
    demo = _demo(name)
    shown = {step for _, step in motion.step_starts(demo)}
    posed = {step for still in demo.stills for step in still.steps}
    assert shown <= posed, f"{name}: no key pose for steps {shown - posed}"
    assert all(still.steps for still in demo.stills)  # every key pose says which step it shows
    assert posed <= set(range(1, demo.steps + 1))


@pytest.mark.parametrize("name", ARTICLE)
def test_a_key_pose_names_a_step_the_loop_is_in_when_it_reaches_that_pose(name):
    """The stills and the loop agree: "Step 3: Turn left" is the pose the loop turns left in
    while it marks step 3."""
    demo = _demo(name)
    steps_at = {}
    for move, step in _moves_with_steps(demo):
        steps_at.setdefault(move.pose, set()).add(step)
    for still in demo.stills:
        if still.pose in steps_at:
            assert set(still.steps) & steps_at[still.pose], (still, steps_at[still.pose])


def test_the_neck_stretch_as_a_physiotherapist_would_number_it():
    demo = _demo("neck-stretch")
    assert [(still.caption, still.steps) for still in demo.stills] == [
        ("Start", (1, 5)), ("Chin to chest", (2,)), ("Turn left", (3,)), ("Turn right", (3,)),
        ("Ear to left shoulder", (4,)), ("Ear to right shoulder", (4,)),
    ]
    # Coming back up from the chin is still step 2; only the very last return is step 5.
    assert [step for _, step in motion.step_starts(demo)] == [1, 2, 3, 4, 5]
    assert dict((step, t) for t, step in motion.step_starts(demo))[5] == pytest.approx(13.3)


def _one_hold(demo):
    """The demonstration with each step's own hold (a move of no time) merged into the move
    before it, as it was drawn before it named steps."""
    loop = []
    for move in demo.loop:
        if loop and move.seconds == 0 and move.pose == loop[-1].pose:
            loop[-1] = replace(loop[-1], hold=loop[-1].hold + move.hold)
        else:
            loop.append(move)
    return replace(demo, loop=tuple(loop))


@pytest.mark.parametrize("name", ARTICLE)
def test_naming_steps_changes_no_keyframe(name):
    """A hold shown as a step of its own draws exactly as the one hold it is."""
    demo = _demo(name)
    assert motion.keyframes(_one_hold(demo)) == motion.keyframes(demo)


@pytest.mark.parametrize("name", ARTICLE)
def test_render_carries_the_step_timeline_and_captions_each_key_pose_with_its_step(name):
    demo = _demo(name)
    markup = figures.render(name, label="Demonstration")
    root = ET.fromstring(markup)  # noqa: S314 - our own markup
    assert root.get("data-step-count") == str(demo.steps)
    parts = root.get("data-step-timeline").split()
    timeline = [tuple(map(float, part.split(":"))) for part in parts]
    assert timeline == [(round(t, 3), step) for t, step in motion.step_starts(demo)]
    runs = root.get("data-still-timeline").split()
    stills = [tuple(map(float, run.split("-"))) for run in runs]
    assert stills == [(round(a, 3), round(b, 3)) for a, b in motion.still_runs(demo)]
    poses = _key_poses(markup)
    assert [data for data, _ in poses] == [" ".join(map(str, s.steps)) for s in demo.stills]
    for (_, caption), still in zip(poses, demo.stills, strict=True):
        assert caption == f"{figures._step_name(still.steps)} {still.caption}"
        assert re.fullmatch(r"Steps? \d+((, \d+)* and \d+)? .+", caption), caption
    # The picture's own name says the step too, for a screen reader.
    labels = re.findall(r'class="demo-still"[^>]*aria-label="([^"]+)"', markup)
    assert labels[0].startswith("Demonstration: Step") and len(labels) == len(demo.stills)


def test_a_drawing_given_other_steps_than_the_articles_drops_its_numbers():
    """Staff may rewrite a stretch's steps: then "Step 3" under a picture would lie."""
    markup = figures.render("neck-stretch", label="Neck", steps=6)
    assert "data-step" not in markup and "demo-pose-step" not in markup
    assert [caption for _, caption in _key_poses(markup)][:2] == ["1 Start", "2 Chin to chest"]
    assert "Step 2" in figures.render_poses("neck-stretch", label="Neck", steps=5)
    assert "Step 2" not in figures.render_poses("neck-stretch", label="Neck", steps=4)


def test_a_drawing_without_steps_is_numbered_by_its_key_poses_only():
    """The library's drawings (and the stand-in for an unknown name) are pictures only."""
    stepless = [name for name in figures.names() if not _demo(name).steps]
    for name in [*stepless, "a-stretch-staff-invented"]:
        markup = figures.render(name, label="Mine")
        assert "data-step" not in markup and "demo-pose-step" not in markup
        assert [caption.split()[0] for _, caption in _key_poses(markup)] == [
            str(n) for n in range(1, len(_key_poses(markup)) + 1)
        ]


def test_the_sheet_numbers_the_poses_only_while_the_steps_are_the_articles(app, client):
    page = client.get("/s/back-pain-stretches").get_data(as_text=True)
    card = page[page.index('id="neck-stretch"'):page.index('id="shoulder-rolls"')]
    assert "data-step-scope" in card and 'data-step-list="tap"' in card
    assert 'data-step-count="5"' in card and "Steps 1 and 5" in card
    assert page.count("js/steps.js") == 1  # once for every card

    with app.app_context():
        from kiosk.db import get_session

        session = get_session()
        neck = session.scalar(select(Stretch).filter_by(slug="neck-stretch"))
        neck.steps = [*neck.steps, "Breathe out slowly."]
        session.commit()
    page = client.get("/s/back-pain-stretches").get_data(as_text=True)
    card = page[page.index('id="neck-stretch"'):page.index('id="shoulder-rolls"')]
    assert "data-step-timeline" not in card and "demo-pose-step" not in card
    assert "1 Start" in card


def test_the_screen_marks_steps_on_slides_and_lets_a_stretch_opened_from_browse_tap_them(client):
    slide = client.get("/display/waiting-room").get_data(as_text=True)
    assert "js/steps.js" in slide
    assert re.search(r'class="stretch-slide" data-step-scope', slide)
    assert 'data-step-list="mark"' in slide and 'data-step-list="tap"' not in slide
    view = client.get("/display/waiting-room/stretches/neck-stretch",
                      headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "data-step-scope" in view and 'data-step-list="tap"' in view
    assert 'data-step-timeline="0:1 0.8:2 4:3 9.1:4 13.3:5"' in view


@pytest.mark.parametrize("name", sorted(figures._demonstrations()))
def test_the_loop_stands_still_only_where_no_keyframe_changes(name):
    """steps.js pauses a drawing across its still runs: there the browser must have nothing to
    draw, and every held pose (its stopwatch shown) must be among them, so that no hold costs
    the screen a restyle every frame."""
    demo = _demo(name)
    loop = motion.frames(demo)
    tracks = motion._tracks(demo, loop)
    runs = motion.still_runs(demo)
    assert runs and all(b - a >= motion.SHORTEST_STILL for a, b in runs)
    for start, end in runs:
        inside = [i for i, f in enumerate(loop) if start - 1e-9 <= f.seconds <= end + 1e-9]
        for values in tracks.values():
            assert len({values[i] for i in inside}) == 1, (name, start, end)
    # Never across the moment a step begins or a held pose's marks change: their timers.
    edges = [t for t, _ in motion.step_starts(demo)] + [t for t, _ in motion.mark_changes(demo)]
    assert not [(a, b, t) for a, b in runs for t in edges if a + 1e-9 < t < b - 1e-9]
    changes = motion.mark_changes(demo)
    for (t, shown), (until, _) in zip(changes, changes[1:], strict=False):
        if "hold" in shown and until - t >= motion.SHORTEST_STILL:
            assert any(a - 1e-9 <= t and until <= b + 1e-9 for a, b in runs), (name, t, until)
