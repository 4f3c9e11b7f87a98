"""The drawings explain themselves in words: under a drawing that uses the orange or the
stopwatch, a key says what each means (a blind check read the orange as a cushion, a roller,
a third leg); a drawing that uses neither says nothing."""

import pytest

from kiosk import figures
from kiosk.figures import demos

ORANGE = "Orange: where you feel the stretch (paler: the far side)"
STOPWATCH = "Stopwatch: hold still"


@pytest.mark.parametrize("name", figures.names())
def test_each_drawing_says_what_its_orange_and_stopwatch_mean(name):
    demo = demos.build()[name]
    markup = str(figures.render(name, label="x"))
    orange = any(pose.stretched or pose.glows for pose in demo.poses.values())
    held = any(pose.held for pose in demo.poses.values())
    assert (ORANGE in markup) == orange
    assert (STOPWATCH in markup) == held
    assert 'class="demo-key-watch"' in markup if held else "demo-key-watch" not in markup
    # On paper too: the PDF shows the key poses alone, with the same key.
    assert (ORANGE in str(figures.render_poses(name, label="x"))) == orange


def test_a_figure_at_ease_has_no_key():
    assert "demo-key" not in str(figures.render("no-such-drawing", label="x"))
