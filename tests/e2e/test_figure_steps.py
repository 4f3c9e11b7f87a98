"""Steps that move with the picture, in Chromium: on the screen (a stretch slide, a stretch
opened from browse) and on the phone sheet, the step marked aria-current="step" is the one the
demonstration's loop data says it is showing, moment by moment through a whole cycle; a tapped
step shows its key poses, still, until Play; under reduced motion the key poses carry their
step numbers and nothing runs."""

import os

from playwright.sync_api import expect
from sqlalchemy import select

from kiosk import figures
from kiosk.content import load_article
from kiosk.db import get_session
from kiosk.figures import motion
from kiosk.models import Stretch
from tests.conftest import SQLITE_ONLY
from tests.e2e.conftest import ARTIFACTS, assert_accessible
from tests.e2e.display_fixtures import LANDSCAPE, PORTRAIT, SCREEN, shot, wait_for_next_slide

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True,
         "device_scale_factor": 2}
SHEET = "/s/back-pain-stretches"
ARTICLE_STRETCHES = load_article()["stretches"]
SHOTS = os.path.join(ARTIFACTS, "figures", "steps")
# A mark moves when a timer set for the step's start fires: allow it this long to land.
SETTLE = 0.3

# Samples the demonstration in `scope` every `every` ms for `ms`: the loop's own clock (its
# animation's currentTime), which steps are marked, and which of the held poses' marks (the
# stopwatch "hold", the glows "hg-N") the drawing shows, read in the same turn of the page.
SAMPLE = """async ([scope, ms, every]) => {
    const root = typeof scope === 'string' ? document.querySelector(scope) : scope;
    const samples = [];
    const end = performance.now() + ms;
    while (performance.now() < end) {
        const [animation] = root.querySelector('.demo-animated').getAnimations({subtree: true});
        const loop = animation.effect.getComputedTiming().duration;
        const marked = [...root.querySelectorAll('[data-step-list] > li')]
            .map((li, i) => li.getAttribute('aria-current') === 'step' ? i + 1 : 0)
            .filter(Boolean);
        const marks = '.demo-animated .hold, .demo-animated [class^="hg-"]';
        const shown = [...root.querySelectorAll(marks)]
            .filter((mark) => getComputedStyle(mark).opacity === '1')
            .map((mark) => mark.getAttribute('class'));
        const states = root.querySelector('.demo-animated').getAnimations({subtree: true})
            .map((a) => a.playState);
        samples.push({at: (animation.currentTime % loop) / 1000, marked,
                      shown: [...new Set(shown)].sort(), wall: performance.now() / 1000,
                      states: [...new Set(states)].sort(),
                      still: root.querySelector('.demo').classList.contains('is-still')});
        await new Promise((done) => setTimeout(done, every));
    }
    return samples;
}"""


def _demo(name):
    return figures._demonstrations()[name]


def expected_step(name: str, at: float, settled=False) -> int | None:
    """The step the loop data says is shown `at` seconds in; None just after a step begins,
    unless `settled`: the loop stands paused there, and was marked as it paused."""
    # to the millisecond, as the page is told them
    starts = [(round(t, 3), step) for t, step in motion.step_starts(_demo(name))]
    loop = motion.duration(_demo(name))
    just_begun = any(0 <= at - t < SETTLE for t, _ in [*starts, (loop, 0)])
    if (just_begun and not settled) or at > loop - 0.02:
        return None
    return [step for t, step in starts if t <= at][-1]


def assert_marks_follow_the_loop(name: str, samples: list[dict], whole_cycle=True):
    checked = [(s["at"], s["marked"], expected_step(name, s["at"], s.get("still")))
               for s in samples]
    wrong = [(round(at, 2), marked, want) for at, marked, want in checked
             if want is not None and marked != [want]]
    assert wrong == [], f"{name}: (seconds into the loop, marked, the data's step): {wrong}"
    assert all(len(marked) <= 1 for _, marked, _ in checked)  # one step at a time, at most
    if whole_cycle:
        seen = {want for _, _, want in checked if want is not None}
        assert seen == {step for _, step in motion.step_starts(_demo(name))}, seen


def assert_held_marks_follow_the_loop(name: str, samples: list[dict], whole_cycle=True):
    """The stopwatch and glows show while the loop holds a held pose, and only then."""
    changes = [(round(t, 3), shown) for t, shown in motion.mark_changes(_demo(name))]
    loop = motion.duration(_demo(name))
    checked = []
    for s in samples:
        just_changed = any(0 <= s["at"] - t < SETTLE for t, _ in [*changes, (loop, ())])
        if just_changed and not s.get("still"):
            continue  # a change just happened: its timer may not have fired yet
        want = sorted([shown for t, shown in changes if t <= s["at"]][-1])
        checked.append((round(s["at"], 2), s["shown"], want))
    wrong = [check for check in checked if check[1] != check[2]]
    assert wrong == [], f"{name}: (seconds into the loop, shown, the data's marks): {wrong}"
    if whole_cycle:
        assert {tuple(want) for _, _, want in checked} == {
            tuple(sorted(shown)) for _, shown in changes}


# steps.js follows a drawing once it is near the view (an IntersectionObserver, whose news
# comes after the next frame is drawn): a drawing scrolled to a moment ago is followed from then.
AFTER_TWO_FRAMES = """() => new Promise((done) =>
    requestAnimationFrame(() => requestAnimationFrame(() => done())))"""


def sample(page, scope, seconds, every=250):
    page.evaluate(AFTER_TWO_FRAMES)
    return page.evaluate(SAMPLE, [scope, int(seconds * 1000), every])


def cycle(name: str) -> float:
    return motion.duration(_demo(name)) + 0.5


def running_in(page, selector: str) -> int:
    return page.evaluate(
        "(s) => document.querySelector(s).getAnimations({subtree: true})"
        ".filter((a) => a.playState === 'running').length", selector)


def playing(page, selector: str) -> bool:
    """The drawing plays: its animations run, or stand paused while the loop holds a pose
    still (steps.js marks the demonstration .is-still), to go on when the hold ends."""
    return page.evaluate(
        """(s) => {
            const states = document.querySelector(s).getAnimations({subtree: true})
                .map((a) => a.playState);
            const still = document.querySelector(s).classList.contains('is-still');
            return states.length > 0 && states.every((state) => state === 'running'
                || (still && state === 'paused'));
        }""", selector)


def assert_paused_only_while_still(name: str, samples: list[dict]):
    """The drawing's animations stand paused while the loop holds still, and run while it
    moves; the loop keeps its time, so a cycle takes as long as the loop says."""
    runs = motion.still_runs(_demo(name))
    paused = running = 0
    for s in samples:
        if s["states"] == ["paused"]:  # stood still where the loop holds still, only there
            assert s["still"] and any(a <= s["at"] <= b - 0.2 + 0.05 for a, b in runs), s
            paused += 1
        else:  # running, unless a pause is a timer's moment away
            assert s["states"] == ["running"] and not s["still"], s
            deep = [(a, b) for a, b in runs if a + SETTLE <= s["at"] <= b - 0.2 - SETTLE]
            assert not deep, (deep, s)
            running += 1
    assert paused >= 4 and running >= 4, (paused, running)
    # Over the samples, the loop's clock went on as the wall clock did (a pause that went
    # on too long, or ended early, would put the two apart).
    moving = [s for s in samples if s["states"] == ["running"]]  # a paused clock stands
    first, last = moving[0], moving[-1]
    loop = motion.duration(_demo(name))
    advanced = (last["at"] - first["at"]) % loop
    elapsed = last["wall"] - first["wall"]
    assert abs(elapsed % loop - advanced) < 0.25 or abs(elapsed % loop - advanced) > loop - 0.25, (
        elapsed, advanced)


def held_captions(scope):
    return [caption.strip() for caption in
            scope.locator(".demo-pose.is-held .demo-pose-caption").all_inner_texts()]


def assert_play_is_clear_of_the_poses(scope):
    """Play, shown while a step's poses stand still, covers none of their drawings (over one it
    hid the stopwatch, or the figure's head)."""
    play = scope.locator(".demo-play")
    expect(play).to_be_visible()
    button = play.bounding_box()
    for drawing in scope.locator(".demo-pose.is-held svg").all():
        box = drawing.bounding_box()
        apart = (button["x"] + button["width"] <= box["x"] or box["x"] + box["width"] <= button["x"]
                 or button["y"] + button["height"] <= box["y"]
                 or box["y"] + box["height"] <= button["y"])
        assert apart, (button, box)


def caption(still) -> str:
    """A key pose's caption as the page shows it: its step, then what it shows."""
    return f"{figures._step_name(still.steps)}\n{still.caption}"


def captions_for(name: str, step: int) -> list[str]:
    return [caption(still) for still in _demo(name).stills if step in still.steps]


def test_the_screen_marks_the_step_its_slide_shows_through_a_whole_cycle(serve, new_page):
    server = serve(DWELL_SECONDS=40)
    page = new_page(viewport=LANDSCAPE)
    page.goto(server.url + SCREEN)
    slide = "#loop .stretch-slide"
    expect(page.locator(slide)).to_be_visible()
    name = "neck-stretch"
    assert page.locator(f"{slide} .demo").get_attribute("class").split()[1] == f"demo-{name}"
    samples = sample(page, slide, cycle(name), every=100)
    assert_marks_follow_the_loop(name, samples)
    assert_held_marks_follow_the_loop(name, samples)
    assert_paused_only_while_still(name, samples)  # a held pose costs no frames
    # On the loop a tap anywhere opens browse, so a step there is marked, never a button.
    assert page.locator(f"{slide} .step-show").count() == 0
    shot(page, "steps-slide-landscape")
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, "screen-slide.png"))


def test_after_the_slide_changes_the_mark_follows_the_new_demonstration(serve, new_page):
    server = serve(DWELL_SECONDS=3)
    page = new_page(viewport=PORTRAIT)
    page.goto(server.url + SCREEN)
    wait_for_next_slide(page, "stretch/neck-stretch")  # swapped in by htmx
    slide = page.locator("#loop .slide").element_handle()
    name = page.locator("#loop .demo").get_attribute("class").split()[1].removeprefix("demo-")
    assert name == "shoulder-rolls"
    assert_marks_follow_the_loop(name, sample(page, slide, 2.5), whole_cycle=False)
    assert page.locator("#loop [aria-current=step]").count() == 1


def test_a_stretch_opened_on_the_screen_marks_its_steps_and_shows_a_tapped_steps_pose(
    serve, new_page
):
    server = serve()
    page = new_page(viewport=LANDSCAPE, has_touch=True)
    page.goto(server.url + SCREEN)
    page.locator("#loop .slide h1").click()
    page.get_by_role("button", name="Hip Twists").click()
    view = page.locator("#panel .stretch-view")
    expect(view.locator(".step-show").first).to_be_visible()
    name = "hip-twists"
    samples = sample(page, "#panel .stretch-view", cycle(name), every=100)
    assert_marks_follow_the_loop(name, samples)
    assert_held_marks_follow_the_loop(name, samples)  # its glows as well as the stopwatch
    assert_paused_only_while_still(name, samples)

    # Step 2 tapped: its key poses, still, in the animation's place; that step marked.
    steps = view.locator(".step-show")
    steps.nth(1).tap()
    expect(view.locator(".demo-animated")).to_be_hidden()
    assert held_captions(view) == captions_for(name, 2) == [
        "Step 2\nTwist to the left", "Step 2\nHold"]
    expect(view.locator(".demo-pose.is-held").first).to_be_visible()
    assert view.locator(".demo-pose:visible").count() == 2
    expect(steps.nth(1)).to_have_attribute("aria-pressed", "true")
    assert view.locator("[aria-current=step]").all_inner_texts() == [steps.nth(1).inner_text()]
    assert running_in(page, "#panel .demo") == 0  # held still: nothing is drawn meanwhile
    page.wait_for_timeout(1500)
    assert view.locator("li[aria-current=step]").count() == 1
    expect(steps.nth(1)).to_have_attribute("aria-pressed", "true")
    for target in [steps.nth(1), view.locator(".demo-play")]:
        box = target.bounding_box()
        assert box["width"] >= 48 and box["height"] >= 48, box
    assert_play_is_clear_of_the_poses(view)
    shot(page, "steps-held-landscape")
    page.screenshot(path=os.path.join(SHOTS, "screen-browse-held.png"))
    assert_accessible(page)

    # Another step from the keyboard; tapped again, it plays on from that step's beginning.
    steps.nth(3).focus()
    page.keyboard.press("Enter")
    assert held_captions(view) == captions_for(name, 4) == ["Step 4\nOther side"]
    steps.nth(3).tap()
    expect(view.locator(".demo-animated")).to_be_visible()
    expect(view.locator(".demo-play")).to_be_hidden()
    at = page.evaluate(
        "() => { const [a] = document.querySelector('#panel .demo-animated')"
        ".getAnimations({subtree: true}); return a.currentTime / 1000; }")
    step_4 = dict((step, t) for t, step in reversed(motion.step_starts(_demo(name))))[4]
    assert step_4 - 0.01 <= at < step_4 + 0.5, at
    assert playing(page, "#panel .demo")
    expect(steps.nth(3)).to_have_attribute("aria-pressed", "false")
    expect(view.locator(".steps > li").nth(3)).to_have_attribute("aria-current", "step")

    # Held with Space, and Play brings the animation back.
    steps.nth(0).focus()
    page.keyboard.press("Space")
    assert held_captions(view) == captions_for(name, 1)
    view.locator(".demo-play").tap()
    expect(view.locator(".demo-animated")).to_be_visible()
    assert playing(page, "#panel .demo")


@SQLITE_ONLY
def test_the_phone_sheet_marks_the_step_and_a_tap_shows_its_pose(live_server, new_page):
    page = new_page(**PHONE)
    page.goto(live_server.url + SHEET)
    card = page.locator("#hamstring-stretch-lying-down")
    card.scroll_into_view_if_needed()
    name = "hamstring-stretch-lying-down"
    assert_marks_follow_the_loop(name, sample(page, f"#{name}", cycle(name)))
    # Every card follows its own demonstration, once it is in view (steps.js follows only those).
    for stretch in ARTICLE_STRETCHES:
        other = page.locator(f"#{stretch['slug']}")
        other.scroll_into_view_if_needed()
        expect(other.locator("li[aria-current=step]")).to_have_count(1)
    card.scroll_into_view_if_needed()

    steps = card.locator(".step-show")
    assert steps.count() == 5
    steps.nth(2).tap()
    assert held_captions(card) == captions_for(name, 3) == [
        "Step 3\nStraighten the knee and hold"]
    expect(card.locator(".demo-animated")).to_be_hidden()
    expect(card.locator(".stretch-steps > li").nth(2)).to_have_attribute("aria-current", "step")
    for index in range(steps.count()):
        box = steps.nth(index).bounding_box()
        assert box["height"] >= 48, box
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_play_is_clear_of_the_poses(card)
    os.makedirs(SHOTS, exist_ok=True)
    card.screenshot(path=os.path.join(SHOTS, "phone-held.png"))
    assert_accessible(page)
    steps.nth(2).tap()
    expect(card.locator(".demo-animated")).to_be_visible()
    card.screenshot(path=os.path.join(SHOTS, "phone-playing.png"))


@SQLITE_ONLY
def test_reduced_motion_numbers_the_key_poses_and_nothing_runs_or_is_marked(
    serve, new_page, live_server
):
    server = serve()
    page = new_page(viewport=LANDSCAPE, reduced_motion="reduce")
    page.goto(server.url + SCREEN)
    page.locator("#loop .slide h1").click()
    page.get_by_role("button", name="Neck Stretch").click()
    view = page.locator("#panel .stretch-view")
    expect(view.locator(".demo-poses")).to_be_visible()
    captions = [c.strip() for c in view.locator(".demo-pose-caption").all_inner_texts()]
    assert captions == [caption(still) for still in _demo("neck-stretch").stills]
    assert captions[:3] == ["Steps 1 and 5\nStart", "Step 2\nChin to chest", "Step 3\nTurn left"]
    assert page.evaluate("document.getAnimations().filter(a => a.playState === 'running')"
                         ".length") == 0
    page.wait_for_timeout(1500)
    assert view.locator("[aria-current]").count() == 0
    assert view.locator(".step-show").count() == 0  # every pose is already there
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, "screen-reduced-motion.png"))
    assert_accessible(page)

    phone = new_page(**PHONE, reduced_motion="reduce")
    phone.goto(live_server.url + SHEET)
    card = phone.locator("#piriformis-stretch")
    card.scroll_into_view_if_needed()  # a card out of view is not laid out (content-visibility)
    expect(card.locator(".demo-pose").first).to_be_visible()
    # Read as the browser draws them, which under load can be a frame after the first pose:
    # a one-off read of the labels then found them laid out but empty.
    expect(card.locator(".demo-pose-step")).to_have_text(
        ["Step 1", "Step 1", "Step 2", "Step 3", "Step 2", "Step 3"])
    assert phone.evaluate("document.querySelectorAll('.demo-animated').length") == 7
    assert phone.evaluate("document.getAnimations().length") == 0
    assert phone.locator("[aria-current=step]").count() == 0  # (today is the calendar's date)
    card.screenshot(path=os.path.join(SHOTS, "phone-reduced-motion.png"))


def test_steps_rewritten_by_staff_lose_the_drawings_numbers_and_marks(serve, new_page):
    """The drawing numbers the article's steps: once a stretch has other steps, it must not."""
    server = serve(DWELL_SECONDS=40)
    with server.app.app_context():
        session = get_session()
        neck = session.scalar(select(Stretch).filter_by(slug="neck-stretch"))
        neck.steps = [*neck.steps, "Breathe out slowly."]
        session.commit()
    page = new_page(viewport=LANDSCAPE)
    page.goto(server.url + SCREEN)
    slide = page.locator("#loop .stretch-slide")
    expect(slide.locator(".demo-animated")).to_be_visible()
    assert playing(page, "#loop .demo")
    page.wait_for_timeout(1500)
    assert slide.locator("[aria-current]").count() == 0

    still = new_page(viewport=LANDSCAPE, reduced_motion="reduce")
    still.goto(server.url + SCREEN)
    poses = still.locator("#loop .demo-pose")
    expect(poses.first.locator(".demo-pose-caption")).to_have_text("Start", use_inner_text=True)
    assert poses.first.locator(".demo-pose-step").is_hidden()


@SQLITE_ONLY
def test_the_gallery_marks_the_article_steps_beside_each_of_its_drawings(live_server, new_page):
    page = new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + "/demonstrations")
    for stretch in ARTICLE_STRETCHES:
        item = page.locator(f"section:has(#demo-{stretch['demonstration']})")
        expect(item.locator("[data-step-list] > li")).to_have_count(len(stretch["steps"]))
    # Each drawing marks its steps once it is in view (steps.js follows only those).
    for stretch in ARTICLE_STRETCHES:
        item = page.locator(f"section:has(#demo-{stretch['demonstration']})")
        item.scroll_into_view_if_needed()
        expect(item.locator("[data-step-list] li[aria-current=step]")).to_have_count(1)
    name = "psoas-stretch"
    page.locator(f"section:has(#demo-{name})").scroll_into_view_if_needed()
    assert_marks_follow_the_loop(name, sample(page, f"section:has(#demo-{name})", 4),
                                 whole_cycle=False)
    # A drawing from the library has no steps of its own: nothing to mark beside it.
    stepless = [n for n in figures.names() if not _demo(n).steps]
    for other in stepless:
        assert page.locator(f"section:has(#demo-{other}) [data-step-list]").count() == 0
    # Its held pose still shows the stopwatch, on the loop's clock, and only while it holds.
    library_drawing = "bridge"
    assert library_drawing in stepless
    scope = f"section:has(#demo-{library_drawing})"
    page.locator(scope).scroll_into_view_if_needed()
    assert_held_marks_follow_the_loop(
        library_drawing, sample(page, scope, cycle(library_drawing)))
    item = page.locator(f"section:has(#demo-{name})")
    item.locator(".step-show").nth(1).click()
    assert held_captions(item) == captions_for(name, 2) == [
        "Step 2\nHips forward", "Step 2\nOther side: hips forward"]
    item.scroll_into_view_if_needed()
    assert_play_is_clear_of_the_poses(item)
    os.makedirs(SHOTS, exist_ok=True)
    item.screenshot(path=os.path.join(SHOTS, "gallery-held.png"))
    assert_accessible(page)
