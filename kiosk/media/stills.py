"""A still from a video, its browse tile and its poster: one frame from the middle (where a
stretch is held), kept as a small JPEG (`VideoStill`), made at upload or, for a video from
before stills or from an import, on the first screen that needs it."""

import hashlib
from io import BytesIO

import av
from flask import current_app
from PIL import Image
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from kiosk.db import get_session
from kiosk.media.images import MAX_PIXELS, encode
from kiosk.models import Media, VideoStill

# A video's still (its browse tile and poster) is this many pixels on the long side: a tile
# is about 360 x 300 CSS pixels on a 1920 x 1080 screen, so this is sharp at twice that, and
# some 30-60 kB.
STILL_LONG_SIDE = 720
# Looking for the still decodes no more than this many frames past the seek (a keyframe
# every 10 s at 60 fps), so an odd file cannot keep a request decoding for long.
STILL_MAX_FRAMES = 600


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
    jpeg = encode(frame.convert("RGB"), "JPEG")
    return VideoStill(video_sha256=video_sha256, data=jpeg, byte_size=len(jpeg),
                      width=frame.width, height=frame.height,
                      sha256=hashlib.sha256(jpeg).hexdigest())


def keep_still(session: Session, media: Media) -> VideoStill:
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
                still = keep_still(session, video)
                session.commit()
            except SQLAlchemyError as error:
                current_app.logger.warning("Could not keep the still of video %s: %s",
                                           media.id, error)
                return None
    return still if still.sha256 else None
