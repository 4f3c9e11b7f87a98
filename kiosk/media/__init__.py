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

One module per part: `refusals` (MediaError and the words of every refusal), `intake` (an
upload checked, cleaned and stored; bytes an import brings checked the same way), `images`
(an image verified, turned upright, shrunk and re-encoded with no metadata), `videos` (MP4 and
WebM container checks, MP4 metadata blanked), `stills` (a video's still), `routes` (the
fingerprinted, sandboxed URLs they are served under) and `markup` (the HTML that shows them).
"""

from kiosk.media.intake import store_upload, stored_media_problem
from kiosk.media.markup import demonstration_media, notice_photo, uploaded_still
from kiosk.media.refusals import MediaError
from kiosk.media.routes import bp, media_url

__all__ = [
    "MediaError",
    "demonstration_media",
    "init_app",
    "notice_photo",
    "store_upload",
    "stored_media_problem",
    "uploaded_still",
]


def init_app(app):
    app.register_blueprint(bp)
    app.jinja_env.globals["media_url"] = media_url
    app.jinja_env.globals["demonstration_media"] = demonstration_media
    app.jinja_env.globals["notice_photo"] = notice_photo
