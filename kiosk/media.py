"""Photos and videos staff upload to show instead of a stretch's animation.

What a file is comes from its bytes, never its name or the type the browser declared.
Images (JPEG, PNG, WebP) are verified by Pillow, refused when their pixel count could exhaust
memory, turned upright, shrunk and re-encoded with no metadata, so a phone photo's location,
camera details and comments never reach a screen. Videos (MP4, WebM) are checked by their
container structure and kept as sent, except that MP4 boxes which carry metadata (location
included) are blanked; one frame from the middle of a video (where a stretch is held) is
kept as a small JPEG still (`VideoStill`), its browse tile and its poster, made at upload or,
for a video from before stills or from an import, on the first screen that needs it. The
bytes are stored in the database (`Media`), so every app server sees them, and are served
under fingerprinted URLs that screens and phones cache for good, only ever as one of those
five types and under a policy that lets nothing in them run as a page.
An import re-checks the bytes it brings the same way (`stored_media_problem`).
"""

import hashlib
import math
import os
import re
import struct
import warnings
from contextlib import contextmanager
from io import BytesIO
from pathlib import PurePath

import av
from flask import Blueprint, abort, current_app, request, url_for
from markupsafe import Markup
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from kiosk.config import MB
from kiosk.db import get_session
from kiosk.headers import cache_for_a_year
from kiosk.models import Media, VideoStill

# An image over 40 megapixels is refused before its pixels are decoded: that is more than any
# phone camera takes, and 40 million RGBA pixels already need 160 MB of memory, a lot for a
# Raspberry Pi class machine. Pillow's own guard (Image.MAX_IMAGE_PIXELS, about 89 megapixels,
# a warning there and an error at twice that) stays as it is for the rest of the process.
MAX_PIXELS = 40_000_000
# Photos are shrunk to this many pixels on the long side: sharp on a 4K screen's half,
# and a fraction of a phone photo's bytes.
LONG_SIDE = 2400
QUALITY = 85
# A video's still (its browse tile and poster) is this many pixels on the long side: a tile
# is about 360 x 300 CSS pixels on a 1920 x 1080 screen, so this is sharp at twice that, and
# some 30-60 kB.
STILL_LONG_SIDE = 720
# Looking for the still decodes no more than this many frames past the seek (a keyframe
# every 10 s at 60 fps), so an odd file cannot keep a request decoding for long.
STILL_MAX_FRAMES = 600
FINGERPRINT = 12

IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# Major brands of the ISO base media files browsers play as MP4. QuickTime ("qt  ") and
# HEIC/AVIF photos share the container but are not MP4 video.
MP4_BRANDS = {b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42",
              b"avc1", b"dash", b"M4V ", b"mmp4", b"MSNV"}
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1",
               b"avif", b"avis"}
# MP4 boxes holding metadata rather than pictures: titles, the camera, location (udta/©xyz).
MP4_METADATA = {b"udta", b"meta", b"uuid"}
MP4_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf"}
# Every type an upload can be stored as, and the file extension it is served under.
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp",
              "video/mp4": "mp4", "video/webm": "webm"}
# On the media response itself: opened as a page (by a link, or bytes that are not what their
# type says), it may run nothing, load nothing and be framed nowhere, and gets an origin of its
# own. Pictures and videos shown by <img> and <video> are not affected.
MEDIA_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox"
EBML_MAGIC = b"\x1a\x45\xdf\xa3"
EBML_DOC_TYPE = 0x4282
MATROSKA_SEGMENT = 0x18538067

NOT_MEDIA = "That file is not a JPEG, PNG or WebP image, or an MP4 or WebM video."
EMPTY = "That file is empty. Choose a photo or video to upload."
TOO_LARGE = "The file is {size} MB; the limit for {kind}s is {limit} MB."
BOMB = ("That image is too large to open safely ({megapixels} megapixels; the most is "
        "{limit}). Save a smaller copy, for example 2400 pixels on the long side, and upload "
        "that.")
DAMAGED_IMAGE = ("That image is damaged or incomplete, so it cannot be shown. Open it on your "
                 "computer, save it again as JPEG or PNG, and upload the copy.")
ANIMATED = ("Animated images cannot be used. Upload the animation as an MP4 or WebM video "
            "instead.")
DAMAGED_VIDEO = ("That video is damaged or incomplete, so it cannot be played. Export it again "
                 "as MP4 or WebM and upload the copy.")
# An upload's refusal as said of bytes already stored (see stored_media_problem).
STORED_REFUSALS = {
    DAMAGED_IMAGE: "a damaged or incomplete image",
    ANIMATED: "an animated image",
    DAMAGED_VIDEO: "a damaged or incomplete video",
}
HINTS = {
    "heif": " It looks like an HEIC or AVIF photo: save it as JPEG first (on an iPhone: "
            "Settings, Camera, Formats, Most Compatible).",
    "quicktime": " It looks like a QuickTime (.mov) video: export it as MP4 first.",
    "matroska": " It looks like a Matroska (.mkv) video: export it as MP4 or WebM first.",
}

bp = Blueprint("media", __name__)


class MediaError(ValueError):
    """An upload that cannot be used; the message says why, in words staff understand."""


# ---- Storing an upload


def store_upload(session: Session, filename: str, stream) -> Media:
    """Check, clean and add the uploaded file; raise MediaError (adding nothing) if unusable.

    What the file is comes from its content; `filename` only gives its extension to the log
    (the rest of a name could be a patient's). The caller commits: kiosk.revisions.save does,
    with the stretch that shows it.
    """
    try:
        return _store(session, stream)
    except MediaError as refusal:
        extension = PurePath(filename or "").suffix[:10] or "no extension"
        current_app.logger.info("Refused an upload (%s): %s", extension, refusal)
        raise


def _store(session: Session, stream) -> Media:
    start = _tell(stream)
    head = _read(stream, 64)
    if not head:
        raise MediaError(EMPTY)
    kind, mime = _sniff(head)
    limit = current_app.config["MAX_IMAGE_MB" if kind == "image" else "MAX_VIDEO_MB"] * MB
    data = head + _read(stream, limit + 1 - len(head))
    if len(data) > limit:
        raise MediaError(_too_large(stream, start, kind, limit))
    width = height = None
    if kind == "image":
        data, mime, width, height = _reencode_image(data)
    elif mime == "video/mp4":
        data = _checked_mp4(data)
    else:
        _check_webm(data)
    sha256 = hashlib.sha256(data).hexdigest()
    # The same file again (re-encoding is deterministic) reuses the row it made before.
    same = session.scalar(select(Media).filter_by(sha256=sha256, mime_type=mime).limit(1))
    if same is not None:
        return same
    media = Media(kind=kind, mime_type=mime, data=data, byte_size=len(data), width=width,
                  height=height, sha256=sha256)
    session.add(media)
    session.flush()
    if kind == "video":
        _keep_still(session, media)
    return media


def _read(stream, size: int) -> bytes:
    """Up to `size` bytes: streams may return fewer than asked before their end."""
    chunks, wanted = [], size
    while wanted > 0:
        chunk = stream.read(min(wanted, MB))
        if not chunk:
            break
        chunks.append(chunk)
        wanted -= len(chunk)
    return b"".join(chunks)


def _tell(stream) -> int | None:
    try:
        return stream.tell()
    except (AttributeError, OSError, ValueError):
        return None


def _too_large(stream, start: int | None, kind: str, limit: int) -> str:
    limit_mb = limit // MB
    try:
        size = stream.seek(0, os.SEEK_END) - start
    except (AttributeError, OSError, TypeError, ValueError):
        return f"The file is larger than {limit_mb} MB, the limit for {kind}s."
    # Rounded up, so a file just over the limit never reads as being at it.
    return TOO_LARGE.format(size=f"{math.ceil(size * 10 / MB) / 10:.1f}", kind=kind,
                            limit=limit_mb)


def _sniff(head: bytes) -> tuple[str, str | None]:
    """("image", None) or ("video", its type) from the first bytes; MediaError for the rest.

    Which image format is Pillow's to say, from the whole file.
    """
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")) or (
        head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    ):
        return "image", None
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in MP4_BRANDS:
            return "video", "video/mp4"
        hint = "heif" if brand in HEIF_BRANDS else "quicktime" if brand == b"qt  " else None
        raise MediaError(NOT_MEDIA + HINTS.get(hint, ""))
    if head.startswith(EBML_MAGIC):
        return "video", "video/webm"
    raise MediaError(NOT_MEDIA)


# ---- Images


def _reencode_image(data: bytes) -> tuple[bytes, str, int, int]:
    """The image verified, upright, at most LONG_SIDE pixels, re-encoded with no metadata."""
    with _reading_image(), _opened_image(data) as (image, kind):
        if image.format == "JPEG":
            image.draft(image.mode, (LONG_SIDE, LONG_SIDE))  # decode big photos smaller
        image.load()
        picture = _upright_and_small(image)
    return _encode(picture, kind), IMAGE_TYPES[kind], picture.width, picture.height


@contextmanager
def _reading_image():
    """Pillow's ways of failing on a bad image, each as a MediaError in words."""
    with warnings.catch_warnings():
        # Pillow warns about a possible decompression bomb (and raises at twice its limit).
        # The warning must stop us whatever the process's warning filters say, so here it
        # is always an error, caught below with the error.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            yield
        except MediaError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as bomb:
            raise MediaError(_bomb_message(_pixels_in(str(bomb)))) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError,
                struct.error, IndexError, KeyError, TypeError, ZeroDivisionError):
            # The first bytes said image, so Pillow failing to read it means damage.
            raise MediaError(DAMAGED_IMAGE) from None


@contextmanager
def _opened_image(data: bytes):
    """The image, verified whole and still, ready to load, with its format ("JPEG", "PNG" or
    "WEBP"); MediaError if it is not. Use inside _reading_image()."""
    formats = list(IMAGE_TYPES)
    with Image.open(BytesIO(data), formats=formats) as probe:
        _refuse_too_many_pixels(*probe.size)
        probe.verify()
        if probe.format in ("JPEG", "MPO") and not _jpeg_is_complete(data):
            raise MediaError(DAMAGED_IMAGE)
    with Image.open(BytesIO(data), formats=formats) as image:
        # Some cameras' JPEGs carry extra pictures (MPO): the first is the photo.
        kind = "JPEG" if image.format == "MPO" else image.format
        if image.format != "MPO" and getattr(image, "n_frames", 1) > 1:
            raise MediaError(ANIMATED)
        yield image, kind


def _jpeg_is_complete(data: bytes) -> bool:
    """Whether the JPEG's segments and scans run on to its end-of-image marker.

    Pillow would find out itself, but WeasyPrint (kiosk/pdf.py) sets Pillow's process-wide
    ImageFile.LOAD_TRUNCATED_IMAGES, which makes a cut-off JPEG load with its missing part
    grey. Changing that setting back could break a PDF being made at the same moment.
    """
    position = 2  # after the start-of-image marker
    while position + 2 <= len(data):
        if data[position] != 0xFF:
            return False
        marker = data[position + 1]
        if marker == 0xD9:
            return True
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers with no segment
            position += 2
            continue
        if position + 4 > len(data):
            return False
        position += 2 + struct.unpack_from(">H", data, position + 2)[0]
        if marker == 0xDA:  # a scan: coded data up to the next marker that is not a restart
            while True:
                position = data.find(b"\xff", position)
                if position < 0 or position + 1 >= len(data):
                    return False
                following = data[position + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7:
                    position += 2
                elif following == 0xFF:
                    position += 1
                else:
                    break
    return False


def _refuse_too_many_pixels(width: int, height: int):
    if width * height > MAX_PIXELS:
        raise MediaError(_bomb_message(width * height))


def _bomb_message(pixels: int | None) -> str:
    megapixels = f"{pixels / 1e6:,.0f}" if pixels else "too many"
    return BOMB.format(megapixels=megapixels, limit=f"{MAX_PIXELS / 1e6:,.0f}")


def _pixels_in(pillow_message: str) -> int | None:
    match = re.search(r"\((\d+) pixels\)", pillow_message)
    return int(match.group(1)) if match else None


def _upright_and_small(image: Image.Image) -> Image.Image:
    picture = ImageOps.exif_transpose(image)
    picture = _in_srgb(picture, image.info.get("icc_profile"))
    if picture.mode == "P" and max(picture.size) > LONG_SIDE:
        # Palette images cannot be resampled smoothly: shrink them in full colour.
        picture = picture.convert("RGBA" if "transparency" in picture.info else "RGB")
    picture.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS)
    # Everything but the pixels goes: EXIF (GPS included), XMP, ICC profiles, comments,
    # text chunks. Pillow's savers copy some of these from `info`, so it is emptied; only
    # a palette image's transparent colour is part of the picture itself.
    kept = {"transparency": picture.info["transparency"]} if "transparency" in picture.info else {}
    picture.info = kept
    return picture


def _in_srgb(picture: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Colours converted to sRGB, which browsers assume for an image with no profile."""
    if picture.mode == "CMYK" and not icc_profile:
        return picture.convert("RGB")
    if not icc_profile or picture.mode not in ("RGB", "RGBA", "CMYK"):
        return picture
    try:
        source = ImageCms.ImageCmsProfile(BytesIO(icc_profile))
        return ImageCms.profileToProfile(
            picture, source, ImageCms.createProfile("sRGB"),
            outputMode="RGBA" if picture.mode == "RGBA" else "RGB",
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        # A broken profile: keep the pixels as they are, without it.
        return picture.convert("RGB") if picture.mode == "CMYK" else picture


def _encode(picture: Image.Image, kind: str) -> bytes:
    out = BytesIO()
    if kind == "JPEG":
        if picture.mode not in ("RGB", "L"):
            picture = picture.convert("RGB")
        picture.save(out, "JPEG", quality=QUALITY, optimize=True, progressive=True)
    elif kind == "WEBP":
        has_alpha = "A" in picture.mode or "transparency" in picture.info
        picture = picture.convert("RGBA" if has_alpha else "RGB")
        picture.save(out, "WEBP", quality=QUALITY)
    else:
        picture.save(out, "PNG")
    return out.getvalue()


# ---- Videos


def _checked_mp4(data: bytes) -> bytes:
    """The MP4 with its metadata boxes blanked; MediaError unless its boxes fill the file."""
    try:
        top = list(_mp4_boxes(data, 0, len(data)))
    except ValueError:
        raise MediaError(DAMAGED_VIDEO) from None
    if top[0][0] != b"ftyp" or not any(kind == b"moov" for kind, *_ in top):
        raise MediaError(DAMAGED_VIDEO)
    cleaned = bytearray(data)
    _blank_mp4_metadata(cleaned, top)
    return bytes(cleaned)


def _mp4_boxes(data, start: int, end: int, *, nested: bool = False):
    """(type, start, header length, end) of each box from start to end, which they must fill."""
    position = start
    while position < end:
        if end - position < 8:
            if nested and not any(data[position:end]):
                return  # QuickTime pads some containers with a zero word
            raise ValueError("a box header is cut off")
        size, kind = struct.unpack_from(">I4s", data, position)
        header = 8
        if size == 1:
            if end - position < 16:
                raise ValueError("a large box header is cut off")
            size, header = struct.unpack_from(">Q", data, position + 8)[0], 16
        elif size == 0:
            size = end - position  # the box runs to the end
        if size < header or position + size > end:
            raise ValueError(f"box {kind!r} does not fit")
        yield kind, position, header, position + size
        position += size


def _blank_mp4_metadata(data: bytearray, boxes):
    """Turn metadata boxes into `free` boxes of the same size, zero-filled.

    Nothing moves, so the sample offsets in the file stay right.
    """
    for kind, start, header, end in boxes:
        if kind in MP4_METADATA:
            data[start + 4:start + 8] = b"free"  # the type follows the 32-bit size
            data[start + header:end] = bytes(end - start - header)
        elif kind in MP4_CONTAINERS:
            try:
                children = list(_mp4_boxes(data, start + header, end, nested=True))
            except ValueError:
                raise MediaError(DAMAGED_VIDEO) from None
            _blank_mp4_metadata(data, children)


def _check_webm(data: bytes):
    """MediaError unless the file starts with an EBML header of doc type "webm" and a segment."""
    try:
        element, position = _ebml_vint(data, 0, keep_marker=True)
        size, position = _ebml_vint(data, position)
        header_end = position + size
        if element != int.from_bytes(EBML_MAGIC) or header_end > len(data):
            raise ValueError("no EBML header")
        doc_type = None
        while position < header_end:
            child, position = _ebml_vint(data, position, keep_marker=True)
            length, position = _ebml_vint(data, position)
            if child == EBML_DOC_TYPE:
                doc_type = data[position:position + length].rstrip(b"\0")
            position += length
        segment, _ = _ebml_vint(data, header_end, keep_marker=True)
    except (ValueError, IndexError):
        raise MediaError(DAMAGED_VIDEO) from None
    if doc_type != b"webm":
        hint = HINTS["matroska"] if doc_type == b"matroska" else ""
        raise MediaError(NOT_MEDIA + hint)
    if segment != MATROSKA_SEGMENT:
        raise MediaError(DAMAGED_VIDEO)


def _ebml_vint(data: bytes, position: int, *, keep_marker: bool = False) -> tuple[int, int]:
    """An EBML variable-length number at `position`, and where the next one starts."""
    first = data[position]
    if first == 0:
        raise ValueError("an EBML number longer than 8 bytes")
    length = 9 - first.bit_length()
    if position + length > len(data):
        raise ValueError("an EBML number is cut off")
    value = first if keep_marker else first & (0xFF >> length)
    for byte in data[position + 1:position + length]:
        value = value << 8 | byte
    return value, position + length


# ---- A still from a video: its browse tile and its poster


def video_frame(data: bytes) -> Image.Image | None:
    """The frame in the middle of the video, upright, or None when no frame decodes.

    The middle, not the start: a clip of a stretch usually begins before the movement (or
    on a black frame) and holds the stretch midway.
    """
    try:
        with av.open(BytesIO(data), mode="r") as container:
            stream = next(iter(container.streams.video), None)
            if stream is None:
                return None
            context = stream.codec_context
            if (context.width or 0) * (context.height or 0) > MAX_PIXELS:
                return None
            frame = _frame_near(container, stream, _middle(container, stream))
            if frame is None:
                return None
            # A phone filming upright stores the frames sideways and says how to turn them.
            return frame.to_image().rotate(frame.rotation, expand=True)
    except (av.FFmpegError, OSError, ValueError, TypeError, ZeroDivisionError, MemoryError):
        return None


def _middle(container, stream) -> int | None:
    """The middle of the video in the stream's time base, or None when its length is unknown."""
    if stream.duration and stream.time_base:
        return (stream.start_time or 0) + stream.duration // 2
    if container.duration and stream.time_base:  # in microseconds (av.time_base)
        return int(container.duration / 2 / 1_000_000 / stream.time_base)
    return None


def _frame_near(container, stream, moment: int | None):
    """The first frame at or after `moment` (the last one decoded if the video ends first)."""
    if moment:
        try:
            container.seek(moment, stream=stream)  # to the keyframe before it
        except av.FFmpegError:
            container.seek(0)
    found = None
    for count, frame in enumerate(container.decode(stream)):
        found = frame
        if moment is None or frame.pts is None or frame.pts >= moment or (
                count >= STILL_MAX_FRAMES):
            break
    return found


def _still_row(video_sha256: str, data: bytes) -> VideoStill:
    """The still of the video `data` as a row to store; one with no data if none decodes."""
    frame = video_frame(data)
    if frame is None:
        return VideoStill(video_sha256=video_sha256)
    frame.thumbnail((STILL_LONG_SIDE, STILL_LONG_SIDE), Image.Resampling.LANCZOS)
    jpeg = _encode(frame.convert("RGB"), "JPEG")
    return VideoStill(video_sha256=video_sha256, data=jpeg, byte_size=len(jpeg),
                      width=frame.width, height=frame.height,
                      sha256=hashlib.sha256(jpeg).hexdigest())


def _keep_still(session: Session, media: Media) -> VideoStill:
    """The video's still, made and added to `session` unless it is there already.

    Two servers may make the same still at once: the second keeps the first one's.
    """
    kept = session.get(VideoStill, media.sha256)
    if kept is not None:
        return kept
    still = _still_row(media.sha256, media.data)
    try:
        with session.begin_nested():
            session.add(still)
    except IntegrityError:
        return session.get(VideoStill, media.sha256)
    return still


def still_of(media: Media) -> VideoStill | None:
    """The video's still, made now (and kept) if it was uploaded before stills or imported;
    None when no frame of it decodes, or it cannot be kept now (a read-only database)."""
    still = get_session().get(VideoStill, media.sha256)
    if still is None:
        # In a session of its own: the request's may be in the middle of something else.
        with current_app.extensions["kiosk.sessions"]() as session:
            try:
                video = session.get(Media, media.id)
                if video is None:
                    return None
                still = _keep_still(session, video)
                session.commit()
            except SQLAlchemyError as error:
                current_app.logger.warning("Could not keep the still of video %s: %s",
                                           media.id, error)
                return None
    return still if still.sha256 else None


# ---- Media from elsewhere (an export being imported), checked as an upload is


def stored_media_problem(kind: str, mime_type: str, data: bytes, width: int | None,
                         height: int | None) -> str | None:
    """What makes these stored bytes other than an upload would have left them, in words;
    None when they are a photo or video of the type, kind and size they claim."""
    if mime_type not in EXTENSIONS:
        return (f"its type is {mime_type!r}, and photos and videos here are only JPEG, PNG "
                f"or WebP images or MP4 or WebM videos")
    try:
        sniffed, video_type = _sniff(data[:64])
    except MediaError:
        return f"it says {mime_type}, but its bytes are no photo or video"
    try:
        if sniffed == "image":
            with _reading_image(), _opened_image(data) as (image, image_kind):
                found, size = IMAGE_TYPES[image_kind], image.size
                if image.format == "JPEG":
                    image.draft(image.mode, (LONG_SIDE, LONG_SIDE))  # as an upload is decoded
                image.load()
        else:
            found, size = video_type, (None, None)
            if video_type == "video/mp4":
                _checked_mp4(data)
            else:
                _check_webm(data)
    except MediaError as refusal:
        what = STORED_REFUSALS.get(str(refusal))
        if what is None:
            return f"an upload of its bytes would have been refused: {refusal}"
        return f"it says {mime_type}, but its bytes are {what}"
    if found != mime_type:
        return f"it says {mime_type}, but its bytes are {found}"
    if kind != sniffed:
        return f"it says it is a {kind}, but its bytes are a {sniffed}"
    if (width, height) != size:
        return (f"its size says {width}×{height} pixels, but the picture is "
                f"{size[0]}×{size[1]}") if sniffed == "image" else "a video has no size in pixels"
    return None


# ---- Serving and showing


@bp.get("/media/<int:media_id>")
def media_file(media_id):
    """The stored bytes; with ?v= matching their fingerprint, cacheable for good.

    Served only as one of the types an upload can have, and never as a page that could run:
    a row of any other type (an import before imports were checked could have brought one)
    comes as bytes to save, not to show.
    """
    media = get_session().get(Media, media_id)
    if media is None:
        abort(404, description="There is no such photo or video.")
    extension = EXTENSIONS.get(media.mime_type)
    if extension is None:
        response = Response(media.data, mimetype="application/octet-stream")
        response.headers["Content-Disposition"] = f'attachment; filename="media-{media.id}.bin"'
    else:
        response = Response(media.data, mimetype=media.mime_type)
        response.headers["Content-Disposition"] = (
            f'inline; filename="media-{media.id}.{extension}"')
    return _served(response, media.sha256, media.byte_size)


@bp.get("/media/<int:media_id>/still")
def video_still_file(media_id):
    """A video's still (JPEG), served as the video is: with ?v=, cacheable for good."""
    media = get_session().get(Media, media_id)
    still = still_of(media) if media is not None and media.kind == "video" else None
    if still is None:
        abort(404, description="There is no still picture of that video.")
    response = Response(get_session().get(VideoStill, media.sha256).data,
                        mimetype="image/jpeg")
    response.headers["Content-Disposition"] = f'inline; filename="media-{media.id}-still.jpg"'
    return _served(response, still.sha256, still.byte_size)


def _served(response: Response, sha256: str, byte_size: int) -> Response:
    """The response sandboxed, with its ETag, cached for good under its fingerprint."""
    response.headers["Content-Security-Policy"] = MEDIA_POLICY
    response.set_etag(sha256)
    response.headers["X-Content-Type-Options"] = "nosniff"
    if request.args.get("v") == sha256[:FINGERPRINT]:
        cache_for_a_year(response)
    else:
        response.cache_control.no_cache = True  # the ETag makes asking again cheap
    # Answers If-None-Match with 304 and Range (videos seek with it) with 206.
    return response.make_conditional(request, accept_ranges=True, complete_length=byte_size)


def media_url(media: Media) -> str:
    """The media's URL, fingerprinted by its content so it can be cached for good."""
    return url_for("media.media_file", media_id=media.id, v=media.sha256[:FINGERPRINT])


def still_url(media: Media, still: VideoStill) -> str:
    return url_for("media.video_still_file", media_id=media.id, v=still.sha256[:FINGERPRINT])


def _uploaded(stretch) -> Media | None:
    media_id = getattr(stretch, "media_id", None)
    return get_session().get(Media, media_id) if media_id is not None else None


def demonstration_media(stretch, *, label: str, controls: bool = False) -> Markup | None:
    """The stretch's uploaded photo or video as HTML, or None when it shows its animation.

    `stretch` is anything with a `media_id`. Videos are muted and loop, and are not marked
    autoplay: static/js/media.js starts them only when the viewer has not asked for reduced
    motion and the screen is not paused (body[data-paused="yes"]); until then they show
    their still (the poster), else their first frame. `controls` adds the browser's own play
    and pause buttons, which a page with no pause of its own needs (WCAG 2.2.2).
    """
    media = _uploaded(stretch)
    if media is None:
        return None
    if media.kind == "image":
        return _picture(media_url(media), label, media.width, media.height)
    named = Markup(' aria-label="{}"').format(label) if label else ""
    still = still_of(media)
    poster = Markup(' poster="{}"').format(still_url(media, still)) if still else ""
    return Markup(
        '<video class="demo-media" src="{}"{}{} muted loop playsinline preload="metadata"'
        " data-media-autoplay{}></video>"
    ).format(media_url(media), named, poster, Markup(" controls") if controls else "")


def uploaded_still(stretch) -> Markup | None:
    """The stretch's uploaded photo, or its video's still, as a decorative picture (a browse
    tile names the stretch itself); None when there is neither and the drawing shows."""
    media = _uploaded(stretch)
    if media is None:
        return None
    if media.kind == "image":
        return _picture(media_url(media), "", media.width, media.height)
    still = still_of(media)
    return _picture(still_url(media, still), "", still.width, still.height) if still else None


def _picture(url: str, label: str, width: int, height: int) -> Markup:
    return Markup(
        '<img class="demo-media" src="{}" alt="{}" width="{}" height="{}" decoding="async">'
    ).format(url, label, width, height)


def init_app(app):
    app.register_blueprint(bp)
    app.jinja_env.globals["media_url"] = media_url
    app.jinja_env.globals["demonstration_media"] = demonstration_media
