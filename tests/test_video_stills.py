"""A still from an uploaded video: the browse tile and the video's poster show the middle of
the clip (where the stretch is held), made from real videos encoded here by PyAV; a video
from before stills gets its still on the first screen that needs it; a video with no frame
that decodes keeps the drawing, never a 500."""

import gzip
import re
import struct
from io import BytesIO

import av
import pytest
from PIL import Image, ImageDraw
from sqlalchemy import delete, select
from sqlalchemy.exc import OperationalError

from kiosk import figures, transfer
from kiosk.media import stills
from kiosk.models import Media, Stretch, VideoStill
from tests.staff_helpers import signed_in
from tests.test_media import mp4, neck, stored, upload

GREEN, BLUE, RED = (0, 200, 0), (0, 0, 255), (255, 0, 0)
BROWSE = "/display/waiting-room/browse"
HTMX = {"HX-Request": "true"}


def clip(size=(320, 180), seconds=2, fps=10, container="mp4", codec="libx264") -> bytes:
    """A real video: a black first second (as a camera starting up), red, then from the
    middle on a green left half and a blue right half: the picture a still must show."""
    out = BytesIO()
    with av.open(out, mode="w", format=container) as video:
        stream = video.add_stream(codec, rate=fps)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        frames = seconds * fps
        for number in range(frames):
            picture = Image.new("RGB", size, (0, 0, 0) if number < fps // 2 else RED)
            if number >= frames // 2:
                picture = Image.new("RGB", size, BLUE)
                ImageDraw.Draw(picture).rectangle((0, 0, size[0] // 2, size[1]), fill=GREEN)
            for packet in stream.encode(av.VideoFrame.from_image(picture)):
                video.mux(packet)
        for packet in stream.encode():
            video.mux(packet)
    return out.getvalue()


def turned_upright(data: bytes) -> bytes:
    """The MP4 marked as a phone held upright marks it: frames stored sideways, to be turned
    a quarter clockwise (the track header's matrix)."""
    at = data.index(b"tkhd") - 4
    matrix_at = at + 8 + 4 + 20 + 8 + 8  # version 0: times, track, duration, layer, volume
    quarter = struct.pack(">9i", 0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000)
    return data[:matrix_at] + quarter + data[matrix_at + 36:]


def coded_frames_as_noise(data: bytes) -> bytes:
    """The MP4 with every byte of its coded frames (the mdat box) overwritten: the container
    is whole, so the upload is taken, but no frame decodes."""
    at = data.index(b"mdat") - 4
    end = at + struct.unpack_from(">I", data, at)[0]
    noise = (bytes(range(256)) * (end - at))[:end - at - 8]
    return data[:at + 8] + noise + data[end:]


def close(colour, expected, slack=40) -> bool:
    return all(abs(a - b) <= slack for a, b in zip(colour, expected, strict=False))


def tile_of(browse: str, title: str) -> str:
    tiles = re.findall(r'<span class="tile__picture">(.*?)</span>\s*'
                       r'<span class="tile__title">(.*?)</span>', browse, re.S)
    return next(picture for picture, name in tiles if name == title)


def still_src(html: str) -> str:
    return re.search(r'src="(/media/\d+/still\?v=[0-9a-f]{12})"', html).group(1)


def shows_the_held_frame(jpeg: bytes, long_side: int) -> bool:
    picture = Image.open(BytesIO(jpeg))
    assert picture.format == "JPEG"
    width, height = picture.size
    return (max(picture.size) == long_side and close(picture.getpixel((width // 8, height // 2)),
                                                     GREEN)
            and close(picture.getpixel((width * 7 // 8, height // 2)), BLUE))


# ---- Made at upload


def test_an_uploaded_video_shows_its_middle_frame_as_its_tile_and_poster(app, session,
                                                                         client):
    staff = signed_in(app)
    response = upload(staff, neck(session).id, clip(size=(1280, 720)), "neck.mp4",
                      "video/mp4")
    assert response.status_code == 303, response.get_data(as_text=True)
    video = stored(session, neck(session))
    still = session.get(VideoStill, video.sha256)
    assert still is not None and still.byte_size == len(still.data)
    assert (still.width, still.height) == (720, 405)  # scaled to tile size

    browse = client.get(BROWSE, headers=HTMX).get_data(as_text=True)
    tile = tile_of(browse, "Neck Stretch")
    url = f"/media/{video.id}/still?v={still.sha256[:12]}"
    assert f'<img class="demo-media" src="{url}" alt="" width="720" height="405"' in tile
    assert "<video" not in browse and browse.count("demo-thumbnail") == 6

    served = client.get(url)
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert shows_the_held_frame(served.data, 720)  # not the black start, not the red
    assert client.get(url, headers={"If-None-Match": served.headers["ETag"]}).status_code == 304

    slide = client.get("/display/waiting-room/slides/stretch/neck-stretch",
                       headers=HTMX).get_data(as_text=True)
    player = re.search(r"<video [^>]*>", slide).group(0)
    assert f'poster="{url}"' in player


def test_a_webm_video_gets_its_still_too(app, session, client):
    staff = signed_in(app)
    response = upload(staff, neck(session).id, clip(container="webm", codec="libvpx-vp9"),
                      "neck.webm", "video/webm")
    assert response.status_code == 303, response.get_data(as_text=True)
    browse = client.get(BROWSE, headers=HTMX).get_data(as_text=True)
    assert shows_the_held_frame(client.get(still_src(tile_of(browse, "Neck Stretch"))).data,
                                320)


def test_a_video_filmed_upright_on_a_phone_gives_an_upright_still(app, session, client):
    staff = signed_in(app)
    upright = turned_upright(clip(size=(320, 180)))
    assert upload(staff, neck(session).id, upright, "phone.mp4", "video/mp4").status_code == 303
    browse = client.get(BROWSE, headers=HTMX).get_data(as_text=True)
    picture = Image.open(BytesIO(client.get(still_src(browse)).data))
    assert picture.size == (180, 320)  # portrait, as the phone showed it
    # Turned a quarter clockwise, the green left half is on top.
    assert close(picture.getpixel((90, 40)), GREEN) and close(picture.getpixel((90, 280)), BLUE)


# ---- Made on first need


def test_a_video_from_before_stills_gets_its_still_on_first_need_and_keeps_it(
        app, session, client, monkeypatch):
    staff = signed_in(app)
    assert upload(staff, neck(session).id, clip(), "neck.mp4", "video/mp4").status_code == 303
    video = stored(session, neck(session))
    session.execute(delete(VideoStill))  # as it was before this kiosk made stills
    session.commit()
    decoded = []
    real = stills.video_frame
    monkeypatch.setattr(stills, "video_frame",
                        lambda data: decoded.append(len(data)) or real(data))

    first = client.get(BROWSE, headers=HTMX)
    assert first.status_code == 200
    url = still_src(tile_of(first.get_data(as_text=True), "Neck Stretch"))
    assert shows_the_held_frame(client.get(url).data, 320)
    session.expire_all()
    assert session.get(VideoStill, video.sha256).data is not None
    client.get(BROWSE, headers=HTMX)
    client.get("/display/waiting-room/slides/stretch/neck-stretch", headers=HTMX)
    assert decoded == [video.byte_size]  # decoded once, then kept for every screen


def test_an_export_carries_no_still_and_a_missing_one_is_made_again(app, session, client):
    staff = signed_in(app)
    assert upload(staff, neck(session).id, clip(), "neck.mp4", "video/mp4").status_code == 303
    with app.app_context():
        exported = transfer.export_all(session)
    assert b"video_still" not in gzip.decompress(exported)
    session.execute(delete(VideoStill))
    session.commit()
    browse = client.get(BROWSE, headers=HTMX).get_data(as_text=True)
    assert shows_the_held_frame(client.get(still_src(browse)).data, 320)


# ---- Videos with no frame to show


@pytest.mark.parametrize("name, video", [
    ("no frames at all", mp4()),
    ("frames cut short", None),
], ids=["no-frames", "damaged-frames"])
def test_a_video_whose_frames_do_not_decode_keeps_the_drawing_and_never_fails(
        app, session, client, name, video):
    if video is None:
        video = coded_frames_as_noise(clip())
    staff = signed_in(app)
    response = upload(staff, neck(session).id, video, "neck.mp4", "video/mp4")
    assert response.status_code == 303, response.get_data(as_text=True)
    uploaded = stored(session, neck(session))
    assert session.get(VideoStill, uploaded.sha256).data is None  # tried once, remembered

    browse = client.get(BROWSE, headers=HTMX)
    assert browse.status_code == 200
    assert 'class="demo-thumbnail"' in tile_of(browse.get_data(as_text=True), "Neck Stretch")
    slide = client.get("/display/waiting-room/slides/stretch/neck-stretch", headers=HTMX)
    assert slide.status_code == 200 and "poster=" not in slide.get_data(as_text=True)
    missing = client.get(f"/media/{uploaded.id}/still")
    assert missing.status_code == 404
    assert "There is no still picture of that video." in missing.get_data(as_text=True)


def test_a_photo_or_a_missing_row_has_no_still(app, session, client):
    assert client.get("/media/999/still").status_code == 404
    media = Media(kind="image", mime_type="image/png", data=b"x", byte_size=1, width=1,
                  height=1, sha256="0" * 64)
    session.add(media)
    session.commit()
    assert client.get(f"/media/{media.id}/still").status_code == 404


def test_a_still_that_cannot_be_kept_leaves_the_drawing(app, session, client, monkeypatch):
    """A database that takes no writes now (a full disk, a read-only standby)."""
    staff = signed_in(app)
    assert upload(staff, neck(session).id, clip(), "neck.mp4", "video/mp4").status_code == 303
    session.execute(delete(VideoStill))
    session.commit()

    def refuse(*_args, **_kwargs):
        raise OperationalError("INSERT", {}, Exception("attempt to write a readonly database"))

    monkeypatch.setattr(stills, "keep_still", refuse)
    browse = client.get(BROWSE, headers=HTMX)
    assert browse.status_code == 200
    assert 'class="demo-thumbnail"' in tile_of(browse.get_data(as_text=True), "Neck Stretch")
    assert session.scalar(select(Stretch.media_id).filter_by(slug="neck-stretch"))


# ---- Drawings


def test_a_stretch_with_a_library_drawing_shows_that_drawing_held_in_browse(app, session,
                                                                             client):
    hips = session.scalar(select(Stretch).filter_by(slug="hip-twists"))
    hips.demonstration = "bridge"
    session.commit()
    with app.app_context():
        held = figures.render_thumbnail("bridge", label="")
        own = figures.render_thumbnail("hip-twists", label="")
    assert held != own
    browse = client.get(BROWSE, headers=HTMX).get_data(as_text=True)
    assert tile_of(browse, "Hip Twists") == str(held)
    assert 'aria-hidden="true"' in held  # decorative: the tile names the stretch
