"""Uploads in Chromium: a photo through the real file input, shown in the editor; a renamed
text file explained; and a real video, recorded by Chromium itself, playing muted and looping
(and standing still for someone who asked for reduced motion)."""

import base64

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from kiosk.db import get_session
from kiosk.models import Media, Stretch
from tests.e2e.conftest import assert_accessible, screenshot, sign_in
from tests.staff_helpers import add_staff
from tests.test_media import NOT_MEDIA, TEXT, phone_jpeg

# Draws a changing picture on a canvas and records it with MediaRecorder: a genuine WebM,
# since nothing on this machine can encode video otherwise.
RECORD_WEBM = """async () => {
  const canvas = document.createElement("canvas");
  canvas.width = 320;
  canvas.height = 240;
  const context = canvas.getContext("2d");
  const recorder = new MediaRecorder(canvas.captureStream(25), {mimeType: "video/webm"});
  const chunks = [];
  recorder.ondataavailable = (event) => chunks.push(event.data);
  let frame = 0;
  const draw = setInterval(() => {
    context.fillStyle = frame % 2 ? "#1d4e89" : "#f2a541";
    context.fillRect(0, 0, 320, 240);
    frame += 1;
  }, 40);
  const stopped = new Promise((resolve) => { recorder.onstop = resolve; });
  recorder.start(200);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  recorder.stop();
  await stopped;
  clearInterval(draw);
  const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text);
}"""



def open_neck_editor(page, server, app):
    with app.app_context():
        neck_id = get_session().scalar(select(Stretch.id).filter_by(slug="neck-stretch"))
    page.goto(f"{server.url}/staff/stretches/{neck_id}")


def media_rows(app) -> int:
    with app.app_context():
        return len(get_session().scalars(select(Media.id)).all())


def test_a_photo_uploaded_through_the_file_input_shows_in_the_editor(
    app, live_server, page, tmp_path
):
    add_staff(app, "jade")
    photo = tmp_path / "neck-stretch.jpg"
    photo.write_bytes(phone_jpeg(size=(1800, 1200), orientation=1))
    sign_in(page, live_server)
    open_neck_editor(page, live_server, app)

    page.get_by_label("Photo or video", exact=True).set_input_files(photo)
    page.get_by_role("button", name="Upload and use it").click()
    page.wait_for_url("**/staff/stretches/*#stretch-media")
    expect(page.get_by_text("now shows your upload")).to_be_visible()
    shown = page.get_by_role("img", name="Neck Stretch: uploaded demonstration")
    expect(shown).to_be_visible()
    # The browser really decoded the re-encoded photo the server sent.
    assert shown.evaluate("img => img.complete && img.naturalWidth") == 1800
    expect(page.get_by_role("button", name="Go back to the animation")).to_be_visible()
    assert_accessible(page, "stretch editor with an uploaded photo")
    screenshot(page, "media-upload-editor")

    # The waiting-room screen shows the photo instead of the animation (reduced motion, so
    # that the screenshot is not taken halfway through the slide fading in).
    page.emulate_media(reduced_motion="reduce")
    page.goto(f"{live_server.url}/display/waiting-room/slides/stretch/neck-stretch")
    on_screen = page.get_by_role("img", name="How to do the Neck Stretch")
    expect(on_screen).to_be_visible()
    assert on_screen.evaluate("img => img.complete && img.naturalWidth") == 1800
    screenshot(page, "media-upload-screen")


@pytest.fixture
def refusal_page(browser):
    """A page whose console errors fail the test, but for the refused upload's own 422."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page, errors = context.new_page(), []
    page.on("console", lambda m: errors.append(m.text)
            if m.type == "error" and "status of 422" not in m.text else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert errors == [], f"the browser logged errors: {errors}"


def test_a_renamed_text_file_is_explained_and_nothing_is_stored(app, live_server, refusal_page):
    page = refusal_page
    add_staff(app, "jade")
    sign_in(page, live_server)
    open_neck_editor(page, live_server, app)
    page.get_by_label("Photo or video", exact=True).set_input_files(
        files=[{"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": TEXT}]
    )
    page.get_by_role("button", name="Upload and use it").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(NOT_MEDIA)
    expect(alert).to_contain_text("Nothing was saved.")
    expect(page.get_by_label("Photo or video", exact=True)).to_have_attribute(
        "aria-invalid", "true")
    expect(page.locator("#stretch-media .demo-media")).to_have_count(0)
    assert media_rows(app) == 0
    assert_accessible(page, "stretch editor after a refused upload")
    screenshot(page, "media-upload-refused")


def test_a_recorded_video_plays_muted_and_looping_but_not_under_reduced_motion(
    app, live_server, new_page
):
    add_staff(app, "jade")
    page = new_page(viewport={"width": 1280, "height": 800})
    sign_in(page, live_server)
    open_neck_editor(page, live_server, app)
    recording = base64.b64decode(page.evaluate(RECORD_WEBM))
    assert recording[:4] == b"\x1a\x45\xdf\xa3"

    page.get_by_label("Photo or video", exact=True).set_input_files(
        files=[{"name": "neck.webm", "mimeType": "video/webm", "buffer": recording}]
    )
    page.get_by_role("button", name="Upload and use it").click()
    page.wait_for_url("**/staff/stretches/*#stretch-media")
    video = page.locator("#stretch-media video.demo-media")
    expect(video).to_have_attribute("aria-label", "Neck Stretch: uploaded demonstration")
    page.wait_for_function(
        "v => v.readyState >= 2 && !v.paused && v.currentTime > 0", arg=video.element_handle()
    )
    assert video.evaluate("v => [v.muted, v.loop, v.videoWidth]") == [True, True, 320]
    assert_accessible(page, "stretch editor with an uploaded video")
    screenshot(page, "media-upload-video")

    still = new_page(viewport={"width": 1280, "height": 800}, reduced_motion="reduce")
    sign_in(still, live_server)
    open_neck_editor(still, live_server, app)
    resting = still.locator("#stretch-media video.demo-media")
    still.wait_for_function("v => v.readyState >= 1", arg=resting.element_handle())
    still.wait_for_timeout(800)
    assert resting.evaluate("v => [v.paused, v.currentTime]") == [True, 0]
