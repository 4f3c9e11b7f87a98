"""Slides as screens fetch them, kept once rendered while nothing they show has changed.

Every screen asks for the same few slides all day. Rendering one reads the screen, its routine,
its stretches and the clinic's words; answering with a kept one reads one row. A kept slide is
used again only for the same screen in the same state (its version and last save), the same
content (the content version and when it changed: every staff save bumps it, and a restored
backup brings back both with the content they went with), the same minute of the clinic's
clock (schedules change on the minute), the same "show now", and the same address (QR codes).
Each worker process keeps its own few slides; nothing is shared, nothing outlives the process.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import make_response, request
from sqlalchemy import bindparam, select

from kiosk.db import engine
from kiosk.models import ContentState, Screen
from kiosk.web import lru

KEEP = 256  # slides per process: a dozen screens with a dozen slides each, twice over


@dataclass(frozen=True)
class Kept:
    body: bytes
    etag: str
    label: str  # what the screen reports showing, as the rendered slide said


# What a slide of a screen depends on, its last report and its report key (whether the
# browser asking is the screen: pairing.py), in one query (built once).
SCREEN_STATE = (
    select(Screen.id, Screen.version, Screen.updated_at, Screen.override_until,
           Screen.last_slide, Screen.last_report_at, Screen.report_key,
           ContentState.version.label("content_version"), ContentState.changed_at)
    .join_from(Screen, ContentState, ContentState.id == 1)
    .where(Screen.slug == bindparam("slug"))
)


def screen_state(slug: str):
    """The screen's SCREEN_STATE row, or None when there is no such screen (or no content).

    Read on a connection of its own: a third of the time of the request's ORM session.
    """
    with engine().connect() as connection:
        return connection.execute(SCREEN_STATE, {"slug": slug}).one_or_none()


def key(state, slide_key: str, preview: bool) -> tuple:
    now = datetime.now(UTC)
    minute = now.strftime("%Y-%m-%d %H:%M")  # a schedule changes on a minute, in any zone
    showing_now = state.override_until is not None and state.override_until > now
    return (state.id, state.version, state.updated_at, state.content_version,
            state.changed_at, minute, showing_now, slide_key, preview, request.host_url)


def kept(cache_key: tuple) -> Kept | None:
    return _slides().get(cache_key)


def keep(cache_key: tuple, response, label: str):
    """Keep a freshly rendered slide (a 200 with its ETag) for the next screen that asks."""
    if response.status_code == 200 and not response.direct_passthrough:
        etag, _ = response.get_etag()
        _slides().set(cache_key, Kept(response.get_data(), etag, label))


def respond(slide: Kept):
    """The kept slide, answered as display.show() answers a fresh one."""
    response = make_response(slide.body)
    response.vary.add("HX-Request")
    response.cache_control.no_cache = True
    response.set_etag(slide.etag)
    return response.make_conditional(request)


def _slides() -> lru.LRU:
    return lru.of_app("kiosk.slides", KEEP)
