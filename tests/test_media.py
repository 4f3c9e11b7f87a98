"""Uploaded photos and videos through the console's front door: real files made here by
Pillow (and by hand for video containers), checked by what they are, cleaned, stored in the
database, served with caching, recorded as revisions; bad ones refused with nothing saved."""

import hashlib
import math
import re
import struct
import warnings
import zlib
from io import BytesIO

import pytest
from PIL import Image, ImageCms, ImageDraw, PngImagePlugin
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from kiosk.config import MB, from_environ
from kiosk.db import get_session
from kiosk.media import MediaError, demonstration_media, images, store_upload
from kiosk.models import Media, Revision, Stretch
from tests.staff_helpers import signed_in, token_from

COMMENT = b"Taken at 12 Example St, patient J. Smith"
GPS_LATITUDE = (37.0, 46.0, 29.97)  # a place a photo must not give away


# ---- Files, made here


def photo(size=(3000, 2000), mode="RGB") -> Image.Image:
    """A picture with something in it, so that orientation and scaling can be checked."""
    image = Image.new(mode, size, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, size[0] // 3, size[1] // 3), fill="red")  # top-left marker
    draw.ellipse((size[0] // 3, size[1] // 4, 2 * size[0] // 3, 3 * size[1] // 4), fill="navy")
    return image


def phone_exif() -> Image.Exif:
    """EXIF naming the camera's maker and where the picture was taken."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif.get_ifd(0x8825).update({1: "N", 2: GPS_LATITUDE, 3: "W", 4: (122.0, 25.0, 9.55)})
    return exif


def phone_jpeg(size=(3000, 2000), orientation=6, profile=True) -> bytes:
    """A JPEG as a phone makes it: EXIF with camera, GPS and orientation, a comment, and
    (with `profile`) an sRGB colour profile."""
    exif = phone_exif()
    exif[0x0112] = orientation  # 6: the camera was turned; show rotated 90 degrees clockwise
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = BytesIO()
    photo(size).save(out, "JPEG", quality=90, exif=exif, comment=COMMENT,
                     icc_profile=srgb if profile else None)
    return out.getvalue()


def image_bytes(kind: str, size=(640, 480), **options) -> bytes:
    out = BytesIO()
    photo(size, "RGBA" if kind == "PNG" else "RGB").save(out, kind, **options)
    return out.getvalue()


def noise_jpeg(megabytes: float) -> bytes:
    """A real JPEG of random pixels, which hardly compress, of about `megabytes`."""
    side = int((megabytes * MB / 1.2) ** 0.5)  # about 1.2 bytes a pixel at quality 95
    pixels = hashlib.shake_256(b"noise").digest(3 * side * side)
    noise = Image.frombytes("RGB", (side, side), pixels)
    out = BytesIO()
    noise.save(out, "JPEG", quality=95)
    return out.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int, idat: bytes) -> bytes:
    """A greyscale PNG whose header says width x height, with `idat` as its compressed pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", idat)
            + png_chunk(b"IEND", b""))


def deflate_bomb_png(side=10_000) -> bytes:
    """A real decompression bomb: a ~100 KB PNG of side x side black pixels (100 megapixels)."""
    packer = zlib.compressobj(9)
    row = bytes(side + 1)  # filter byte, then the pixels
    compressed = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    return png_claiming(side, side, compressed)


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


LOCATION = b"+37.7749-122.4194/"


def mp4(brand=b"isom", mdat_size=64) -> bytes:
    """The smallest well-formed MP4 container: file type, a movie header, location metadata
    (as Android phones record it, in udta/\xa9xyz) and the media data. It holds no frames."""
    ftyp = box(b"ftyp", brand + b"\x00\x00\x02\x00" + b"isomiso2avc1mp41")
    mvhd = box(b"mvhd", bytes(100))
    udta = box(b"udta", box(b"\xa9xyz", struct.pack(">HH", len(LOCATION), 0x15C7) + LOCATION))
    return ftyp + box(b"moov", mvhd + udta) + box(b"mdat", bytes(mdat_size))


def ebml(element: bytes, payload: bytes) -> bytes:
    return element + b"\x01" + len(payload).to_bytes(7, "big") + payload


def webm(doc_type=b"webm") -> bytes:
    """An EBML header of doc type `doc_type` and a live-recorded segment of unknown size."""
    header = ebml(b"\x1a\x45\xdf\xa3", ebml(b"\x42\x86", b"\x01") + ebml(b"\x42\x82", doc_type)
                  + ebml(b"\x42\x87", b"\x04") + ebml(b"\x42\x85", b"\x02"))
    segment = b"\x18\x53\x80\x67" + b"\x01\xff\xff\xff\xff\xff\xff\xff"
    return header + segment + ebml(b"\x15\x49\xa9\x66", ebml(b"\x2a\xd7\xb1", b"\x0f\x42\x40"))


# ---- Helpers


def neck(session) -> Stretch:
    session.expire_all()
    return session.scalar(select(Stretch).filter_by(slug="neck-stretch"))


def media_count(session) -> int:
    return session.scalar(select(func.count()).select_from(Media))


def upload_form(client, stretch_id) -> dict:
    """The upload form's hidden fields, read from the editor as a browser would."""
    page = client.get(f"/staff/stretches/{stretch_id}").get_data(as_text=True)
    section = page[page.index('id="stretch-media"'):]
    version = re.search(r'name="version" value="(\d+)"', section).group(1)
    return {"csrf_token": token_from(section), "version": version}


def post_multipart(client, url, fields: dict):
    """POST a form with a file as a browser does. The body is built in memory: Werkzeug's
    test client would spool a big one to a temporary file that nothing closes."""
    boundary, body = encode_multipart(fields)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def a_file(content: bytes, filename="photo.jpg", declared="image/jpeg") -> FileStorage:
    return FileStorage(BytesIO(content), filename=filename, content_type=declared)


def upload(client, stretch_id, content: bytes, filename="photo.jpg", declared="image/jpeg"):
    fields = {**upload_form(client, stretch_id), "media": a_file(content, filename, declared)}
    return post_multipart(client, f"/staff/stretches/{stretch_id}/media", fields)


def stored(session, stretch) -> Media:
    return session.get(Media, stretch.media_id)


# ---- Accepted


@pytest.mark.parametrize("profile", [True, False], ids=["with-profile", "no-profile"])
def test_a_phone_jpeg_is_accepted_upright_smaller_and_without_its_metadata(app, session,
                                                                          profile):
    client = signed_in(app)
    original = phone_jpeg(profile=profile)
    assert b"Exif" in original and COMMENT in original  # the test file really carries them
    response = upload(client, neck(session).id, original)
    assert response.status_code == 303, response.get_data(as_text=True)

    media = stored(session, neck(session))
    assert (media.kind, media.mime_type) == ("image", "image/jpeg")
    assert media.byte_size == len(media.data)
    assert media.sha256 == hashlib.sha256(media.data).hexdigest()
    clean = Image.open(BytesIO(media.data))
    assert clean.format == "JPEG"
    # Orientation 6 turned the 3000 x 2000 photo upright; the long side came down to 2400.
    assert clean.size == (media.width, media.height) == (1600, 2400)
    assert clean.getpixel((1550, 50))[0] > 200  # the red corner is now top-right
    assert len(clean.getexif()) == 0
    assert {"exif", "comment", "icc_profile", "xmp"}.isdisjoint(clean.info)
    assert b"Exif" not in media.data and COMMENT not in media.data
    assert b"PhoneMaker" not in media.data

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "now shows your upload" in page
    shown = re.search(r'<img class="demo-media" src="([^"]+)" alt="([^"]*)"', page)
    assert shown and shown.group(1) == f"/media/{media.id}?v={media.sha256[:12]}"
    assert shown.group(2) == "Neck Stretch: uploaded demonstration"
    assert "Go back to the animation" in page


def test_an_uploaded_photo_is_on_the_waiting_room_screen(app, session, client):
    staff = signed_in(app)
    assert upload(staff, neck(session).id, phone_jpeg()).status_code == 303
    media = stored(session, neck(session))
    slide = client.get("/display/waiting-room/slides/stretch/neck-stretch",
                       headers={"HX-Request": "true"}).get_data(as_text=True)
    url = f"/media/{media.id}?v={media.sha256[:12]}"
    assert f'<img class="demo-media" src="{url}"' in slide
    assert client.get(url).status_code == 200


def test_an_uploaded_photo_is_the_stretchs_browse_tile_and_a_video_keeps_the_drawing(
        app, session, client):
    staff = signed_in(app)
    assert upload(staff, neck(session).id, phone_jpeg()).status_code == 303
    media = stored(session, neck(session))
    browse = client.get("/display/waiting-room/browse",
                        headers={"HX-Request": "true"}).get_data(as_text=True)
    tiles = re.findall(r'<span class="tile__picture">(.*?)</span>', browse, re.S)
    photo_tile = f'<img class="demo-media" src="/media/{media.id}?v={media.sha256[:12]}" alt=""'
    assert sum(photo_tile in tile for tile in tiles) == 1  # the neck stretch's tile only
    assert sum("demo-thumbnail" in tile for tile in tiles) == 6  # the others keep the drawing

    hips = session.scalar(select(Stretch).filter_by(slug="hip-twists"))
    assert upload(staff, hips.id, mp4(), "hips.mp4", "video/mp4").status_code == 303
    browse = client.get("/display/waiting-room/browse",
                        headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<video" not in browse
    assert browse.count("demo-thumbnail") == 6


@pytest.mark.parametrize("kind, mime", [("PNG", "image/png"), ("WEBP", "image/webp")])
def test_png_and_webp_stay_in_their_format_and_lose_their_metadata(app, session, kind, mime):
    client = signed_in(app)
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", COMMENT.decode())
    options = {"pnginfo": text} if kind == "PNG" else {"exif": phone_exif()}
    original = image_bytes(kind, **options)
    assert (COMMENT if kind == "PNG" else b"PhoneMaker") in original
    response = upload(client, neck(session).id, original, filename="stretch.bin",
                      declared="application/octet-stream")
    assert response.status_code == 303
    media = stored(session, neck(session))
    clean = Image.open(BytesIO(media.data))
    assert (clean.format, media.mime_type, clean.size) == (kind, mime, (640, 480))
    assert COMMENT not in media.data and b"Exif" not in media.data
    assert b"PhoneMaker" not in media.data and len(clean.getexif()) == 0


def test_uploaded_media_is_served_with_its_type_etag_and_lasting_cache(app, session, client):
    staff = signed_in(app)
    upload(staff, neck(session).id, image_bytes("JPEG"))
    media = stored(session, neck(session))
    url = f"/media/{media.id}?v={media.sha256[:12]}"

    response = client.get(url)  # screens and phones are not signed in
    assert response.status_code == 200
    assert response.data == media.data
    assert response.mimetype == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"] == f'inline; filename="media-{media.id}.jpg"'
    assert response.headers["Content-Security-Policy"] == MEDIA_POLICY
    assert response.headers["ETag"] == f'"{media.sha256}"'
    cache = response.cache_control
    assert cache.public and cache.immutable and cache.max_age == 31536000

    unversioned = client.get(f"/media/{media.id}")
    assert unversioned.cache_control.no_cache and not unversioned.cache_control.immutable
    again = client.get(url, headers={"If-None-Match": f'"{media.sha256}"'})
    assert again.status_code == 304 and again.data == b""
    assert client.get("/media/999999").status_code == 404


def test_a_video_is_accepted_its_location_blanked_and_served_in_ranges(app, session, client):
    staff = signed_in(app)
    original = mp4()
    response = upload(staff, neck(session).id, original, filename="clip.mp4",
                      declared="video/mp4")
    assert response.status_code == 303, response.get_data(as_text=True)
    media = stored(session, neck(session))
    assert (media.kind, media.mime_type, media.width) == ("video", "video/mp4", None)
    # The metadata box became a "free" box of the same size: nothing else moved.
    assert len(media.data) == len(original) and LOCATION not in media.data
    assert b"udta" not in media.data and media.data.index(b"free") == original.index(b"udta")
    assert original.index(b"mdat") == media.data.index(b"mdat")

    page = staff.get(f"/staff/stretches/{neck(session).id}").get_data(as_text=True)
    video = re.search(r"<video [^>]*>", page).group(0)
    assert "muted" in video and "loop" in video and "data-media-autoplay" in video
    assert "autoplay " not in video.replace("data-media-autoplay", "")

    ranged = client.get(f"/media/{media.id}?v={media.sha256[:12]}",
                        headers={"Range": "bytes=0-15"})
    assert ranged.status_code == 206
    assert ranged.data == media.data[:16]
    assert ranged.headers["Content-Range"] == f"bytes 0-15/{len(media.data)}"
    assert ranged.headers["Accept-Ranges"] == "bytes"
    assert ranged.headers["Content-Disposition"] == f'inline; filename="media-{media.id}.mp4"'
    assert ranged.headers["Content-Security-Policy"] == MEDIA_POLICY


# Opened as a page, a media response may run nothing, load nothing, be framed nowhere.
MEDIA_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox"
SCRIPT = b"<!doctype html><title>x</title><script>fetch('/staff/transfer/download')</script>"


def stored_directly(session, mime_type: str, data: bytes) -> Media:
    """A row as an import made before imports were checked could have left it."""
    media = Media(kind="image", mime_type=mime_type, data=data, byte_size=len(data),
                  width=1, height=1, sha256=hashlib.sha256(data).hexdigest())
    session.add(media)
    session.commit()
    return media


def test_a_stored_row_of_another_type_is_never_served_as_that_type(app, session, client):
    media = stored_directly(session, "text/html", SCRIPT)
    response = client.get(f"/media/{media.id}")
    assert response.status_code == 200
    assert response.mimetype == "application/octet-stream"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="media-{media.id}.bin"')
    assert response.headers["Content-Security-Policy"] == MEDIA_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    ranged = client.get(f"/media/{media.id}", headers={"Range": "bytes=0-8"})
    assert ranged.status_code == 206 and ranged.mimetype == "application/octet-stream"


def test_html_stored_as_a_picture_is_served_as_the_picture_it_claims_and_sandboxed(
        app, session, client):
    media = stored_directly(session, "image/png", SCRIPT)
    response = client.get(f"/media/{media.id}")
    assert response.mimetype == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"  # never sniffed as HTML
    assert response.headers["Content-Security-Policy"] == MEDIA_POLICY
    assert response.headers["Content-Disposition"] == f'inline; filename="media-{media.id}.png"'


def test_a_webm_header_is_accepted_as_video(app, session):
    client = signed_in(app)
    response = upload(client, neck(session).id, webm(), filename="clip.webm",
                      declared="video/webm")
    assert response.status_code == 303, response.get_data(as_text=True)
    assert stored(session, neck(session)).mime_type == "video/webm"


def test_the_same_photo_twice_is_stored_once(app, session):
    client = signed_in(app)
    jpeg = image_bytes("JPEG")
    upload(client, neck(session).id, jpeg)
    response = upload(client, neck(session).id, jpeg)
    assert response.status_code == 303
    assert media_count(session) == 1
    assert "That is what it shows already" in client.get(response.headers["Location"]).get_data(
        as_text=True)


# ---- Refused, with nothing written


TEXT = b"Shopping list: milk, eggs, a foam roller\n" * 20
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
NOT_MEDIA = "That file is not a JPEG, PNG or WebP image, or an MP4 or WebM video."
DAMAGED_IMAGE = "That image is damaged or incomplete"
DAMAGED_VIDEO = "That video is damaged or incomplete"
BOMB = "That image is too large to open safely"

REFUSALS = {
    "text renamed .jpg": (TEXT, "notes.jpg", "image/jpeg", NOT_MEDIA),
    "html renamed .png": (HTML, "page.png", "image/png", NOT_MEDIA),
    "empty file": (b"", "empty.jpg", "image/jpeg", "That file is empty."),
    "truncated jpeg": (None, "cut.jpg", "image/jpeg", DAMAGED_IMAGE),
    "png with a garbled header": (b"\x89PNG\r\n\x1a\n" + b"garbage" * 50, "bad.png",
                                  "image/png", DAMAGED_IMAGE),
    "png header claiming 2500 megapixels": (
        png_claiming(50_000, 50_000, zlib.compress(bytes(1000))), "huge.png", "image/png",
        BOMB + " (2,500 megapixels; the most is 40)"),
    "deflate bomb of 100 megapixels": (None, "bomb.png", "image/png",
                                       BOMB + " (100 megapixels; the most is 40)"),
    "animated png": (None, "moving.png", "image/png", "Animated images cannot be used."),
    "gif": (None, "old.gif", "image/gif", NOT_MEDIA),
    "fake mp4": (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2 but then plain text",
                 "clip.mp4", "video/mp4", DAMAGED_VIDEO),
    "mp4 cut off": (mp4()[:-10], "cut.mp4", "video/mp4", DAMAGED_VIDEO),
    "mp4 with no movie box": (mp4()[:32] + box(b"mdat", bytes(64)), "nomoov.mp4", "video/mp4",
                              DAMAGED_VIDEO),
    "quicktime": (mp4(brand=b"qt  "), "clip.mov", "video/quicktime",
                  NOT_MEDIA + " It looks like a QuickTime (.mov) video"),
    "heic photo": (mp4(brand=b"heic"), "IMG_0001.heic", "image/heic",
                   NOT_MEDIA + " It looks like an HEIC or AVIF photo"),
    "fake webm": (b"\x1a\x45\xdf\xa3" + b"\x9f" + b"not really a video at all", "clip.webm",
                  "video/webm", DAMAGED_VIDEO),
    "matroska": (webm(doc_type=b"matroska"), "clip.mkv", "video/x-matroska",
                 NOT_MEDIA + " It looks like a Matroska (.mkv) video"),
}


def refusal_content(name: str, content: bytes | None) -> bytes:
    if name == "truncated jpeg":
        whole = image_bytes("JPEG")
        return whole[: len(whole) // 2]
    if name == "deflate bomb of 100 megapixels":
        return deflate_bomb_png()
    if name == "animated png":
        out = BytesIO()
        frames = [photo((200, 200)), photo((200, 200)).rotate(90)]
        frames[0].save(out, "PNG", save_all=True, append_images=frames[1:])
        return out.getvalue()
    if name == "gif":
        out = BytesIO()
        photo((200, 200)).save(out, "GIF")
        return out.getvalue()
    return content


def assert_nothing_saved(session, before_version: int):
    stretch = neck(session)
    assert stretch.media_id is None and stretch.version == before_version
    assert media_count(session) == 0
    assert session.scalar(select(Revision).filter_by(entity="stretch")) is None


@pytest.mark.parametrize("name", list(REFUSALS))
def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_saved(app, session, name):
    content, filename, declared, message = REFUSALS[name]
    client = signed_in(app)
    stretch = neck(session)
    response = upload(client, stretch.id, refusal_content(name, content), filename, declared)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    alert = re.search(r'<p class="form-error" role="alert" id="media-error">([^<]*)</p>', page)
    assert alert, page
    assert message in alert.group(1).replace("&#39;", "'")
    assert "Nothing was saved." in alert.group(1)
    # The editor is shown again with the stretch as saved, ready to try another file.
    assert 'value="Neck Stretch"' in page and 'aria-invalid="true"' in page
    assert_nothing_saved(session, stretch.version)


def test_an_image_over_the_size_limit_is_refused_before_it_is_opened(app, session):
    app.config["MAX_IMAGE_MB"] = 1
    client = signed_in(app)
    big = noise_jpeg(1.3)
    assert len(big) > MB
    response = upload(client, neck(session).id, big)
    assert response.status_code == 422
    expected = f"The file is {math.ceil(len(big) * 10 / MB) / 10} MB; the limit for images is 1 MB."
    assert expected in response.get_data(as_text=True)
    assert_nothing_saved(session, 1)


class Trickle:
    """An upload stream that cannot seek and hands out at most 1000 bytes a read."""

    def __init__(self, content: bytes):
        self.stream, self.handed_out = BytesIO(content), 0

    def read(self, size=-1) -> bytes:
        chunk = self.stream.read(min(size, 1000))
        self.handed_out += len(chunk)
        return chunk


def test_no_more_than_the_limit_is_read_from_an_upload(app):
    app.config["MAX_IMAGE_MB"] = 1
    stream = Trickle(b"\xff\xd8\xff" + bytes(3 * MB))
    with app.test_request_context(), pytest.raises(MediaError) as refusal:
        store_upload(get_session(), "big.jpg", stream)
    assert str(refusal.value) == "The file is larger than 1 MB, the limit for images."
    assert stream.handed_out == MB + 1


def test_a_video_over_its_limit_is_refused(app, session):
    app.config["MAX_VIDEO_MB"] = 1
    client = signed_in(app)
    response = upload(client, neck(session).id, mp4(mdat_size=MB + MB // 5 - 1000), "long.mp4",
                      "video/mp4")
    assert response.status_code == 422
    assert "The file is 1.2 MB; the limit for videos is 1 MB." in response.get_data(as_text=True)
    assert_nothing_saved(session, 1)


def test_an_image_over_the_pixel_limit_is_refused(app, session, monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 2_000_000)
    client = signed_in(app)
    response = upload(client, neck(session).id, image_bytes("PNG", size=(2000, 1500)),
                      "big.png", "image/png")
    assert response.status_code == 422
    assert (BOMB + " (3 megapixels; the most is 2)") in response.get_data(as_text=True)
    assert_nothing_saved(session, 1)


def test_pillows_bomb_warning_stops_an_upload_even_where_warnings_are_ignored(app, monkeypatch):
    """pytest makes every warning an error; a server does not. Pillow's own guard (a warning
    above ~89 megapixels) must still refuse the file there, not just print a line."""
    monkeypatch.setattr(images, "MAX_PIXELS", 500_000_000)  # leave it to Pillow's
    with app.test_request_context(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(MediaError, match=r"too large to open safely \(100 megapixels"):
            store_upload(get_session(), "bomb.png", BytesIO(deflate_bomb_png()))


def test_a_body_over_the_app_limit_gets_413_with_a_clear_message(app, session):
    app.config["MAX_CONTENT_LENGTH"] = 2 * MB
    client = signed_in(app)
    response = upload(client, neck(session).id, bytes(3 * MB))
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "That file is larger than 2 MB, more than this app accepts" in page
    assert "photos can be up to 8 MB and videos up to 50 MB" in page
    assert_nothing_saved(session, 1)


def test_choosing_no_file_is_explained(app, session):
    client = signed_in(app)
    stretch = neck(session)
    response = post_multipart(client, f"/staff/stretches/{stretch.id}/media",
                              upload_form(client, stretch.id))
    assert response.status_code == 422
    assert "Choose a photo or video to upload." in response.get_data(as_text=True)
    assert_nothing_saved(session, 1)


def test_uploading_needs_a_signed_in_account_and_a_csrf_token(app, session, client):
    stretch = neck(session)
    # A valid CSRF token, so that it is the sign-in check that turns a stranger away.
    token = token_from(client.get("/staff/login").get_data(as_text=True))
    url = f"/staff/stretches/{stretch.id}/media"
    fields = {"csrf_token": token, "version": "1", "media": a_file(image_bytes("JPEG"))}
    anonymous = post_multipart(client, url, fields)
    assert anonymous.status_code in (302, 303)
    assert "/staff/login" in anonymous.headers["Location"]

    staff = signed_in(app)
    forged = post_multipart(staff, url, {"version": "1", "media": a_file(image_bytes("JPEG"))})
    assert forged.status_code == 400
    assert_nothing_saved(session, 1)


def test_an_upload_over_a_newer_save_is_refused(app, session):
    client = signed_in(app)
    stretch = neck(session)
    stale = upload_form(client, stretch.id)
    upload(client, stretch.id, image_bytes("JPEG"))  # someone else, meanwhile
    response = post_multipart(client, f"/staff/stretches/{stretch.id}/media",
                              {**stale, "media": a_file(image_bytes("PNG"), "other.png")})
    assert response.status_code == 409
    assert "Someone saved this stretch after you opened it" in response.get_data(as_text=True)
    assert stored(session, neck(session)).mime_type == "image/jpeg"
    assert media_count(session) == 1


# ---- History


def test_revisions_record_the_media_and_restoring_brings_the_animation_back(app, session):
    client = signed_in(app)
    stretch = neck(session)
    upload(client, stretch.id, image_bytes("JPEG"))
    media_id = neck(session).media_id
    revision = session.scalar(select(Revision).filter_by(entity="stretch"))
    assert (revision.before["media_id"], revision.after["media_id"]) == (None, media_id)

    history = f"/staff/history/stretch/{stretch.id}"
    token = token_from(client.get(history).get_data(as_text=True))
    response = client.post(f"{history}/restore",
                           data={"csrf_token": token, "version": 1, "current": 2})
    assert response.status_code == 303
    assert (neck(session).media_id, neck(session).version) == (None, 3)
    editor = client.get(f"/staff/stretches/{stretch.id}").get_data(as_text=True)
    assert "demo-media" not in editor and "Go back to the animation" not in editor

    client.post(f"{history}/restore", data={"csrf_token": token, "version": 2, "current": 3})
    assert neck(session).media_id == media_id  # the upload was kept, so it can come back


def test_going_back_to_the_animation_is_a_save_too(app, session):
    client = signed_in(app)
    stretch = neck(session)
    upload(client, stretch.id, image_bytes("JPEG"))
    response = client.post(f"/staff/stretches/{stretch.id}/animation",
                           data=upload_form(client, stretch.id))
    assert response.status_code == 303
    assert "shows its animation again" in client.get(response.headers["Location"]).get_data(
        as_text=True)
    assert neck(session).media_id is None
    latest = session.scalars(select(Revision).order_by(Revision.id.desc())).first()
    assert latest.before["media_id"] is not None and latest.after["media_id"] is None


# ---- What the screens and sheets are given


def test_demonstration_media_gives_an_img_or_a_still_video_or_none(app, session):
    client = signed_in(app)
    stretch = neck(session)
    with app.test_request_context():
        assert demonstration_media(stretch, label="Neck Stretch") is None
    upload(client, stretch.id, image_bytes("JPEG"))
    with app.test_request_context():
        html = str(demonstration_media(get_session().get(Stretch, stretch.id),
                                       label='<img src=x onerror=alert(1)>'))
    assert html.startswith('<img class="demo-media" src="/media/')
    assert 'alt="&lt;img src=x onerror=alert(1)&gt;"' in html  # a title stays text
    assert 'width="640" height="480"' in html and "style" not in html

    upload(client, stretch.id, webm(), "clip.webm", "video/webm")
    with app.test_request_context():
        shown = get_session().get(Stretch, stretch.id)
        still = str(demonstration_media(shown, label="Neck Stretch"))
        with_controls = str(demonstration_media(shown, label="Neck Stretch", controls=True))
    assert re.fullmatch(r'<video class="demo-media" src="/media/\d+\?v=[0-9a-f]{12}" '
                        r'aria-label="Neck Stretch" muted loop playsinline preload="metadata" '
                        r"data-media-autoplay></video>", still)
    assert with_controls.endswith(" data-media-autoplay controls></video>")


# ---- Settings


def test_upload_limits_come_from_settings(tmp_path):
    defaults = from_environ(str(tmp_path), {})
    assert (defaults["MAX_IMAGE_MB"], defaults["MAX_VIDEO_MB"]) == (8, 50)
    assert defaults["MAX_CONTENT_LENGTH"] == 51 * MB
    chosen = from_environ(str(tmp_path), {"KIOSK_MAX_IMAGE_MB": "4", "KIOSK_MAX_VIDEO_MB": "200"})
    assert (chosen["MAX_IMAGE_MB"], chosen["MAX_VIDEO_MB"]) == (4, 200)
    assert chosen["MAX_CONTENT_LENGTH"] == 201 * MB
    with pytest.raises(ValueError, match="KIOSK_MAX_VIDEO_MB must be a whole number of MB"):
        from_environ(str(tmp_path), {"KIOSK_MAX_VIDEO_MB": "lots"})
