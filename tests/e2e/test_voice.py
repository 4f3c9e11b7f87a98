"""A voice that counts (issue 17, item 4), in Chromium: the follow-along speaks its cues with
the browser's speech synthesis, in the page's language and in the timer's order, for a stretch
done on each side; with no voice for the language it plays a soft tone instead; it buzzes at
each change; Mute silences every timer on the sheet and is remembered; the waiting-room screen
stays silent unless staff turn its sound on in the console.

The page's speech, audio and vibration are observed, not faked away: an init script records
each utterance the page hands to speechSynthesis.speak (its text, lang and voice), each
oscillator it starts, each vibration, on the page's own clock (Playwright's, so a 31 s stretch
runs in a moment and every cue lands on its tick). Chromium here has no voices of its own, so
the script offers the ones a test names."""

import json
import os
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from kiosk.db import get_session
from kiosk.models import RoutineItem, Screen, Stretch
from tests.e2e.conftest import ARTIFACTS, assert_accessible, sign_in
from tests.e2e.display_fixtures import LANDSCAPE, SCREEN
from tests.staff_helpers import add_staff
from tests.test_screen_languages import offer

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}
SHEET = "/s/back-pain-stretches"
STRETCH = "neck-stretch"
HOLD = 5
# The follow-along's own times (templates/shared/follow_along.html): breathe in, out, and the
# rest before changing sides; its clock ticks every 200 ms.
BREATHE_IN, BREATHE_OUT, REST, TICK = 4000, 4000, 5000, 200
ENGLISH_VOICE = {"name": "Test English", "lang": "en-AU"}
VIETNAMESE_VOICE = {"name": "Test Vietnamese", "lang": "vi-VN"}
FRENCH_VOICE = {"name": "Test French", "lang": "fr-FR"}
# The pitches follow-along.js gives a change of phase, the hold and a second of the countdown.
CHANGE, HELD, COUNT = 523.25, 392, 659.25

OBSERVE = """voices => {
  const heard = { spoken: [], tones: [], buzzes: [], cancels: 0 };
  window.__heard = heard;
  let cancelled = false;
  // Chromium accepts only its own voices on a real utterance: this one takes the test's.
  window.SpeechSynthesisUtterance = class {
    constructor(text) { this.text = text; this.lang = ''; this.voice = null; }
  };
  const synth = window.speechSynthesis;
  synth.getVoices = () => voices.map(v => ({ ...v, voiceURI: v.name, localService: true,
                                             default: false }));
  synth.cancel = () => { heard.cancels += 1; cancelled = true; };
  synth.speak = u => {
    heard.spoken.push({ text: u.text, lang: u.lang, voice: u.voice && u.voice.name,
                        at: performance.now(), cancelledFirst: cancelled });
    cancelled = false;
  };
  const make = AudioContext.prototype.createOscillator;
  AudioContext.prototype.createOscillator = function () {
    const oscillator = make.call(this);
    const start = oscillator.start;
    oscillator.start = function (...when) {
      heard.tones.push({ hertz: oscillator.frequency.value, at: performance.now() });
      return start.apply(this, when);
    };
    return oscillator;
  };
  navigator.vibrate = pattern => { heard.buzzes.push({ pattern, at: performance.now() });
                                   return true; };
}"""


@pytest.fixture
def server(serve):
    """The clinic's app with the neck stretch short: held 5 s, once on each side."""
    server = serve(IDLE_SECONDS=600)
    with server.app.app_context():
        session = get_session()
        neck = session.scalar(select(Stretch).filter_by(slug=STRETCH))
        neck.hold_seconds, neck.repetitions, neck.sides = HOLD, 1, ["left", "right"]
        for item in session.scalars(select(RoutineItem).filter_by(stretch_id=neck.id)):
            item.hold_seconds = item.repetitions = None
        session.commit()
    return server


def listening(new_page, url, voices=(ENGLISH_VOICE,), **context):
    """A page at `url` whose speech, tones and vibration are recorded, its clock stopped."""
    page = new_page(**context)
    page.add_init_script(f"({OBSERVE})({json.dumps(list(voices))})")
    page.clock.install()
    page.goto(url)
    stop_the_clock(page)
    return page


def stop_the_clock(page):
    """Stop the page's clock a second on from now (Playwright takes seconds, the page ms)."""
    page.clock.pause_at(page.evaluate("Date.now()") / 1000 + 1)


def heard(page) -> dict:
    return page.evaluate("window.__heard")


def follow_the_whole_stretch(page, timer):
    """Press Start and let the fake clock run the two sides through (31 s), and a tick more."""
    timer.locator("[data-follow-along-start]").click()
    page.clock.run_for(2 * (BREATHE_IN + BREATHE_OUT + HOLD * 1000) + REST + 2 * TICK)
    expect(timer.locator("[data-follow-along-done]")).to_be_visible()


def expected_cues(words: dict, done: str) -> list[tuple[str, int]]:
    """What a two-sided stretch, held 5 s once a side, says and when (ms after Start)."""
    cues, at = [], 0
    for side in ("left", "right"):
        cues += [(words["in"], at), (words["out"], at + BREATHE_IN)]
        hold = at + BREATHE_IN + BREATHE_OUT
        cues += [(words["hold"], hold), ("3", hold + 2000), ("2", hold + 3000),
                 ("1", hold + 4000)]
        at = hold + HOLD * 1000
        if side == "left":
            cues.append((words["next"]["right"], at))
            at += REST
    return [*cues, (done, at)]


def assert_said_in_order_and_on_time(spoken: list[dict], cues: list[tuple[str, int]]):
    assert [s["text"] for s in spoken] == [text for text, _ in cues]
    start = spoken[0]["at"]
    for said, (text, at) in zip(spoken, cues, strict=True):
        assert 0 <= said["at"] - start - at < TICK + 50, f"{text!r} at {said['at'] - start} ms"
    # Each cue cuts off the one before: speech never queues up behind the timer.
    assert all(s["cancelledFirst"] for s in spoken)


def words_of(page) -> dict:
    """The follow-along's words as the page gives them (English unless the page says)."""
    given = page.locator("html").get_attribute("data-words")
    if given is None:
        return {"in": "Breathe in", "out": "Breathe out and stretch", "hold": "Hold",
                "next": {"right": "Release, then change sides: right side next"}}
    return json.loads(given)["follow"]


def test_the_sheet_speaks_each_cue_in_order_in_english(server, new_page):
    page = listening(new_page, server.url + SHEET, voices=(FRENCH_VOICE, ENGLISH_VOICE), **PHONE)
    timer = page.locator(f"#{STRETCH} [data-follow-along]")
    follow_the_whole_stretch(page, timer)
    done = timer.locator("[data-follow-along-done]").inner_text()
    cues = expected_cues(words_of(page), done)
    got = heard(page)
    assert_said_in_order_and_on_time(got["spoken"], cues)
    assert {(s["lang"], s["voice"]) for s in got["spoken"]} == {("en", "Test English")}
    assert got["tones"] == []
    # A buzz with each of the seven changes and at the end, none with the countdown;
    # changing sides buzzes twice.
    changes = [said["at"] for said in got["spoken"] if not said["text"].isdigit()]
    assert [buzz["at"] for buzz in got["buzzes"]] == changes and len(changes) == 8
    assert [buzz["pattern"] for buzz in got["buzzes"]][:4] == [150, 150, 150, [150, 100, 150]]


def test_the_sheet_speaks_in_its_own_language(server, new_page):
    offer(server.app, "vi")
    page = listening(new_page, f"{server.url}{SHEET}?lang=vi",
                     voices=(ENGLISH_VOICE, VIETNAMESE_VOICE), **PHONE)
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    words = words_of(page)
    assert words["in"] != "Breathe in", "the Vietnamese words are missing"
    timer = page.locator(f"#{STRETCH} [data-follow-along]")
    follow_the_whole_stretch(page, timer)
    done = timer.locator("[data-follow-along-done]").inner_text()
    spoken = heard(page)["spoken"]
    assert_said_in_order_and_on_time(spoken, expected_cues(words, done))
    assert {(s["lang"], s["voice"]) for s in spoken} == {("vi", "Test Vietnamese")}


def test_mute_silences_every_timer_and_is_remembered(server, new_page):
    page = listening(new_page, server.url + SHEET, **PHONE)
    timer = page.locator(f"#{STRETCH} [data-follow-along]")
    mute = timer.get_by_role("button", name="Mute")
    expect(mute).to_have_attribute("aria-pressed", "false")
    box = mute.bounding_box()
    assert box["width"] >= 48 and box["height"] >= 48
    os.makedirs(ARTIFACTS, exist_ok=True)
    timer.screenshot(path=os.path.join(ARTIFACTS, "voice-follow-along-390.png"))
    mute.click()
    every_mute = page.locator("[data-follow-along-mute]")
    assert every_mute.count() > 1
    for button in every_mute.all():
        expect(button).to_have_attribute("aria-pressed", "true")

    page.reload()
    stop_the_clock(page)
    expect(mute).to_have_attribute("aria-pressed", "true")
    timer.locator("[data-follow-along-start]").click()
    page.clock.run_for(BREATHE_IN + BREATHE_OUT + 1000)
    # Muted, the captions go on and so does the buzz; the voice and the tones do not.
    expect(timer.locator("[data-follow-along-cue]")).to_have_text("Hold")
    got = heard(page)
    assert got["spoken"] == [] and got["tones"] == []
    assert len(got["buzzes"]) == 3
    timer.screenshot(path=os.path.join(ARTIFACTS, "voice-follow-along-muted-390.png"))

    # Sound back on mid-hold: the countdown is heard from the next second.
    mute.click()
    expect(mute).to_have_attribute("aria-pressed", "false")
    page.clock.run_for(1000 + TICK)
    assert [said["text"] for said in heard(page)["spoken"]] == ["3"]
    assert page.evaluate("localStorage.getItem('kiosk-sound')") == "on"
    page.clock.resume()  # axe-core waits on timers of its own
    assert_accessible(page, "the sheet while following along")


@pytest.mark.parametrize("voices", [(), (FRENCH_VOICE,)], ids=["no voice", "no English voice"])
def test_a_soft_tone_where_no_voice_speaks_the_language(server, new_page, voices):
    page = listening(new_page, server.url + SHEET, voices=voices, **PHONE)
    timer = page.locator(f"#{STRETCH} [data-follow-along]")
    follow_the_whole_stretch(page, timer)
    got = heard(page)
    assert got["spoken"] == []
    # One pitch for a change, a lower one for the hold, short high ones counting down; on
    # the timer's beat, as the voice would be.
    side = [CHANGE, CHANGE, HELD, COUNT, COUNT, COUNT]
    assert [tone["hertz"] for tone in got["tones"]] == [*side, CHANGE, *side, CHANGE]
    start = got["tones"][0]["at"]
    for tone, (text, at) in zip(got["tones"], expected_cues(words_of(page), ""), strict=True):
        assert 0 <= tone["at"] - start - at < TICK + 50, f"{text!r} at {tone['at'] - start} ms"


def test_the_screen_is_silent_unless_its_sound_is_turned_on(server, new_page):
    stretch = f"{server.url}{SCREEN}/stretches/{STRETCH}"
    page = listening(new_page, stretch, **{"viewport": LANDSCAPE})
    timer = page.locator(".stretch-view [data-follow-along]")
    expect(timer.locator("[data-follow-along-mute]")).to_have_count(0)
    timer.get_by_role("button", name="Follow along").click()
    expect(timer.locator("[data-follow-along-cue]")).to_have_text("Breathe in")
    page.clock.run_for(2 * (BREATHE_IN + BREATHE_OUT + HOLD * 1000) + REST + 2 * TICK)
    expect(timer.locator("[data-follow-along-done]")).to_be_visible()
    got = heard(page)
    assert got["spoken"] == [] and got["tones"] == []

    # Staff turn it on in the console, where the hint says what it does.
    add_staff(server.app)
    console = new_page(viewport={"width": 1280, "height": 900})
    sign_in(console, server)
    with server.app.app_context():
        screen_id = get_session().scalar(select(Screen.id).filter_by(slug="waiting-room"))
    console.goto(f"{server.url}/staff/screens/{screen_id}")
    sound = console.get_by_role("checkbox", name="Sound")
    expect(sound).not_to_be_checked()
    expect(sound).to_have_accessible_description(
        "Speaks the follow-along's cues aloud. Off: captions only.")
    sound.check()
    with console.expect_navigation():
        console.get_by_role("button", name="Save", exact=True).click()
    expect(console.get_by_text(re.compile(r"^Saved "))).to_be_visible()
    expect(console.get_by_role("checkbox", name="Sound")).to_be_checked()
    assert_accessible(console, "the screen's settings")
    assert server.screen().sound is True

    page = listening(new_page, stretch, **{"viewport": LANDSCAPE})
    timer = page.locator(".stretch-view [data-follow-along]")
    follow_the_whole_stretch(page, timer)
    done = timer.locator("[data-follow-along-done]").inner_text()
    spoken = heard(page)["spoken"]
    assert_said_in_order_and_on_time(spoken, expected_cues(words_of(page), done))
    assert {s["lang"] for s in spoken} == {"en"}

    # A patient's Mute on the screen is theirs alone: not kept for the next patient.
    mute = timer.get_by_role("button", name="Mute")
    mute.click()
    expect(mute).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("localStorage.getItem('kiosk-sound')") is None
    page.reload()
    expect(page.locator(".stretch-view [data-follow-along-mute]")).to_have_attribute(
        "aria-pressed", "false")
