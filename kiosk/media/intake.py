"""Upload intake: what a file is, from its first bytes, and whether it is too big; then the
image or video checks (kiosk/media/images.py, videos.py) and the row that stores it. Bytes an
import brings are held to the same checks (`stored_media_problem`).
"""

import hashlib
import math
import os
from pathlib import PurePath

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.config import MB
from kiosk.media.images import (
    IMAGE_TYPES,
    LONG_SIDE,
    opened_image,
    reading_image,
    reencode_image,
)
from kiosk.media.refusals import (
    EMPTY,
    HINTS,
    NOT_MEDIA,
    STORED_REFUSALS,
    TOO_LARGE,
    MediaError,
)
from kiosk.media.stills import keep_still
from kiosk.media.videos import EBML_MAGIC, check_webm, checked_mp4
from kiosk.models import Media

# Major brands of the ISO base media files browsers play as MP4. QuickTime ("qt  ") and
# HEIC/AVIF photos share the container but are not MP4 video.
MP4_BRANDS = {b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42",
              b"avc1", b"dash", b"M4V ", b"mmp4", b"MSNV"}
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1",
               b"avif", b"avis"}
# Every type an upload can be stored as, and the file extension it is served under.
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp",
              "video/mp4": "mp4", "video/webm": "webm"}


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
        data, mime, width, height = reencode_image(data)
    elif mime == "video/mp4":
        data = checked_mp4(data)
    else:
        check_webm(data)
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
        keep_still(session, media)
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
            with reading_image(), opened_image(data) as (image, image_kind):
                found, size = IMAGE_TYPES[image_kind], image.size
                if image.format == "JPEG":
                    image.draft(image.mode, (LONG_SIDE, LONG_SIDE))  # as an upload is decoded
                image.load()
        else:
            found, size = video_type, (None, None)
            if video_type == "video/mp4":
                checked_mp4(data)
            else:
                check_webm(data)
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
