"""bench/render_cost.py compares the screen with a page whose one animation the compositor runs
on its own: if that page made the main thread work each frame, the ratios would flatter."""

import time

from bench.render_cost import REFERENCE, metrics

# The same element, its animation now of width: Blink must restyle and lay it out every frame.
ON_THE_MAIN_THREAD = """@keyframes grow { to { width: 600px; } }
.turning { animation: grow 1s linear infinite alternate; }"""


def restyles_a_second(page, cdp) -> float:
    assert page.evaluate("document.getAnimations().map(a => a.playState)") == ["running"]
    time.sleep(0.2)
    start, started = metrics(cdp), time.monotonic()
    time.sleep(1)
    end = metrics(cdp)
    return (end["RecalcStyleCount"] - start["RecalcStyleCount"]) / (time.monotonic() - started)


def test_the_reference_animation_leaves_the_main_thread_alone(browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    try:
        page = context.new_page()
        page.set_content(REFERENCE)
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        assert restyles_a_second(page, cdp) < 2
        # The counter does see an animation the main thread runs: the first figure means something.
        page.add_style_tag(content=ON_THE_MAIN_THREAD)
        assert restyles_a_second(page, cdp) > 20
    finally:
        context.close()
