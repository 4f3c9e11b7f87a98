"""The route: stored bytes served under fingerprinted URLs that screens and phones cache for
good, only ever as one of the five types an upload can have, and under a policy that lets
nothing in them run as a page."""

from flask import Blueprint, abort, request, url_for
from werkzeug.wrappers import Response

from kiosk.db import get_session
from kiosk.media.intake import EXTENSIONS
from kiosk.media.stills import still_of
from kiosk.models import Media, VideoStill
from kiosk.web.headers import cache_for_a_year

FINGERPRINT = 12
# On the media response itself: opened as a page (by a link, or bytes that are not what their
# type says), it may run nothing, load nothing and be framed nowhere, and gets an origin of its
# own. Pictures and videos shown by <img> and <video> are not affected.
MEDIA_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox"

bp = Blueprint("media", __name__)


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
