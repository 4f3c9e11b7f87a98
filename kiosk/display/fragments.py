"""Slides as screens fetch them, kept once rendered while nothing they show has changed.

Every screen asks for the same few slides all day. Rendering one reads the screen, its routine,
its stretches and the clinic's words; answering with a kept one reads one row. A kept slide is
used again only for the same screen in the same state (its version and last save), the same
content (the content version and when it changed: every staff save bumps it, and a restored
backup brings back both with the content they went with), the same address (QR codes), and
while the screen's clock says the same (kiosk/schedule.py ScreenClock): the same "show now" or
the same window of its schedule or neither, on the same date of the clinic's clock (notices
run from date to date). A screen comes back to a slide only after its whole loop (11 slides
at 15 s: 2 3/4 minutes), so a slide kept for the minute, as before, was never used again by a
real screen; a screen with no schedule now gets the kept one until a save or the clinic's
midnight. A slide asked again after its loop made 8-10 SELECTs and an UPDATE (the report) on 3
pooled connections; kept, it makes 1 SELECT and the UPDATE on 1 (docs/resilience-and-
performance.md, "Kept slides for real screens"). Each worker process keeps its own slides;
nothing is shared, nothing outlives it, so a screen gets a kept slide only from a worker that
has rendered it since it started (gunicorn's max_requests restarts workers).
"""

import gzip
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import make_response, request
from sqlalchemy import bindparam, select

from kiosk import languages
from kiosk.db import get_session
from kiosk.models import ContentState, Screen
from kiosk.schedule import ScreenClock
from kiosk.web import compression, lru

# Requests go to any worker of any server, so each worker process keeps every screen's slides
# or misses most: a group of 30 clinics with 300 screens of 11 slides is 3,300 slides. A kept
# slide takes its gzipped body (a stretch's 3.6-4.3 KB, the others' 0.6-1.6 KB; 27-39 KB and
# 1.2-5.3 KB before gzip) and about 1.5 KB beside it (its key, ETag, label and clock): 4.4 KB
# on average, measured on the seeded loop. 32 MB keeps 7,000-odd, the loops of some 650
# screens, twice the 300 that two servers on two CPUs held (bench/fleet.py); four workers fill
# at most 128 MB, on a group's machine. A clinic's dozen screens take under 1 MB.
KEEP_BYTES = 32 * 2**20
BESIDE_THE_BODY = 1536


@dataclass(frozen=True)
class Kept:
    gzipped: bytes  # the body as screens take it: a seventh of its size, and gzipped once
    etag: str
    label: str  # what the screen reports showing, as the rendered slide said
    clock: ScreenClock  # the screen's "show now", schedule and time zone, as rendered
    moment: tuple  # clock.moment() when rendered: used again only while it is the same

    def shows_the_same_at(self, now: datetime) -> bool:
        return self.clock.moment(now) == self.moment


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

    Read as plain SQL (a third of the time of an ORM query), on the connection of the request's
    session, which the report (an UPDATE) or the render goes on to use: one connection taken
    from the pool a slide, so one pool_pre_ping (kiosk/db.py) and no rollback of its own.
    """
    connection = get_session().connection()
    return connection.execute(SCREEN_STATE, {"slug": slug}).one_or_none()


def now() -> datetime:
    """This moment: taken once a request, before the slide is rendered (the one clock a test
    moves)."""
    return datetime.now(UTC)


def key(state, slide_key: str, preview: bool) -> tuple:
    return (state.id, state.version, state.updated_at, state.content_version,
            state.changed_at, slide_key, preview, request.host_url, languages.chosen_code())


def kept(cache_key: tuple, at: datetime) -> Kept | None:
    """The kept slide, if what it shows is still what the screen shows `at`."""
    slide = _slides().get(cache_key)
    return slide if slide is not None and slide.shows_the_same_at(at) else None


def keep(cache_key: tuple, response, label: str, screen: Screen,
         rendered_at: datetime) -> Kept | None:
    """Keep a freshly rendered slide (a 200 with its ETag) for the next screen that asks.

    `rendered_at` is the moment the slide was rendered for, taken before it was: taken after,
    a schedule changing in between would keep the old routine's slide as the new one's.
    """
    if response.status_code != 200 or response.direct_passthrough:
        return None
    etag, _ = response.get_etag()
    clock = ScreenClock.of(screen)
    slide = Kept(compression.gzipped(response.get_data()), etag, label, clock,
                 clock.moment(rendered_at))
    _slides().set(cache_key, slide)
    return slide


def respond(slide: Kept):
    """The kept slide, answered as display.show() answers a fresh one and compression.py
    compresses it: as kept to a browser that takes gzip (a screen's does), else unpacked."""
    response = make_response(b"")
    response.vary.add("HX-Request")
    response.cache_control.no_cache = True
    response.set_etag(slide.etag)
    response = response.make_conditional(request)
    if response.status_code != 200:
        return response
    if compression.accepted():
        return compression.send_gzipped(response, slide.gzipped)
    response.set_data(gzip.decompress(slide.gzipped))
    return response


def _slides() -> lru.LRU:
    return lru.of_app("kiosk.slides", KEEP_BYTES, _weight)


def _weight(slide: Kept) -> int:
    return len(slide.gzipped) + BESIDE_THE_BODY
