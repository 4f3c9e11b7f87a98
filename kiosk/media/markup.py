"""Markup: a stretch's uploaded photo or video as the HTML a screen, a sheet or the console
shows in place of its drawing."""

from markupsafe import Markup

from kiosk.db import get_session
from kiosk.media.routes import media_url, still_url
from kiosk.media.stills import still_of
from kiosk.models import Media


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


def notice_photo(notice) -> Markup | None:
    """A notice's photo, described by its words for it (none: it only decorates the notice)."""
    media = _uploaded(notice)
    if media is None or media.kind != "image":
        return None
    return _picture(media_url(media), notice.photo_text, media.width, media.height)


def _picture(url: str, label: str, width: int, height: int) -> Markup:
    return Markup(
        '<img class="demo-media" src="{}" alt="{}" width="{}" height="{}" decoding="async">'
    ).format(url, label, width, height)
