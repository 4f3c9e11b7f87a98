"""The waiting-room screen: the attract loop, browsing, follow along, and proof of life.

Every region that changes is one partial under templates/display/partials/: the full page
includes it, and the same URL asked by htmx returns the partial alone. Anyone may open a
screen; only the browser paired with it (pairing.py) reports what the screen shows.
"""

import hashlib
from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    g,
    has_request_context,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from markupsafe import escape
from sqlalchemy import select

from kiosk import figures, languages
from kiosk.db import get_session
from kiosk.display import content as shown
from kiosk.display import fragments, joining, liveness, pairing
from kiosk.models import Clinic, Screen
from kiosk.web import htmx
from kiosk.web.assets import asset_url, service_worker_script

bp = Blueprint("display", __name__, url_prefix="/display")


@bp.url_defaults
def keep_the_language(endpoint, values):
    """A screen opened in a language (?lang=) asks for its next slides and panels in it too;
    a screen that starts in another language than English names English too, when shown it."""
    if has_request_context() and request.blueprint == "display" and "lang" not in values:
        language = languages.chosen()
        if language is not languages.SOURCE or g.get("screen_starts_in", language) is not language:
            values["lang"] = language.code


# The files a screen runs on: when one changes (a new release), screens reload themselves.
SHELL = (
    "vendor/htmx.min.js",
    "css/site.css",
    "css/display.css",
    "css/follow-along.css",
    "css/media.css",
    "js/display.js",
    "js/follow-along.js",
    "js/steps.js",
    "js/media.js",
)


@bp.get("", strict_slashes=False)
def default_screen():
    """The first screen set up (the waiting room, on a fresh install); on a group's install,
    or one with no screen yet, a new screen's code to join by."""
    session = get_session()
    screen = session.scalar(select(Screen).order_by(Screen.id).limit(1))
    if screen is None or Clinic.several(session):
        return redirect(url_for(".join"))
    return redirect(url_for(".screen", slug=screen.slug))


@bp.get("/pairing")
def join():
    """A new screen: its code, until staff name it in the console; then its loop, paired."""
    session = get_session()
    row, key = joining.this_browsers(session), None
    if row is not None and row.screen is not None:
        screen = row.screen
        session.delete(row)
        session.commit()
        response = pairing.pair(redirect(url_for(".screen", slug=screen.slug), 303), screen)
        response.delete_cookie(joining.COOKIE, path=url_for(".default_screen"))
    else:
        if row is None:
            try:
                row, key = joining.new_code(session)
            except joining.TooManyWaiting:
                abort(503, description="Too many new screens are waiting to join; try again "
                                       "in an hour.")
        page = render_template("display/joining.html", code=joining.as_shown(row.code))
        response = make_response(page)
        if key:
            joining.remember(response, key)
    response.cache_control.no_store = True
    return response


@bp.get("/pairing/wait")
def join_wait():
    """The code page's poll: still waiting (204), or go (htmx's redirect) once staff have named
    the screen, or the code has run out."""
    row = joining.this_browsers(get_session())
    if row is not None and row.screen_id is None:
        response = make_response("", 204)
    else:
        response = make_response("", 200)
        response.headers["HX-Redirect"] = url_for(".join")
    response.cache_control.no_store = True
    return response


@bp.get("/<slug>")
def screen(slug):
    screen, content = load(slug)
    response = show(screen, content, content.slides[0])
    return response if content.preview else pairing.renew(response, screen, after=timedelta(0))


@bp.get("/<slug>/pair/<key>")
def pair(slug, key):
    """The pairing link, opened once on the screen itself: from then on its reports count.

    It answers with a redirect to the screen's own address, so the key does not stay in the
    address bar; a wrong or old key sets nothing and says to ask staff for a new link.
    """
    screen = get_screen_or_404(slug)
    if pairing.key_matches(screen, key):
        response = pairing.pair(redirect(url_for(".screen", slug=screen.slug), 303), screen)
    elif pairing.is_paired(screen):
        # An old link (say, left in the launcher's settings) on a browser paired since.
        response = redirect(url_for(".screen", slug=screen.slug), 303)
    else:
        page = render_template("display/not_paired.html", screen=screen)
        response = make_response(page, 404)
    response.cache_control.no_store = True
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/<slug>/slides/<path:key>")
def slide(slug, key):
    """One slide; the screen asks for the next by its key, which is also its proof of life.

    What htmx asks for is kept once rendered, until what it shows changes (fragments.py).
    """
    cache_key, now = None, fragments.now()
    if request.htmx:
        state = fragments.screen_state(slug)
        cache_key = state and fragments.key(state, key, is_preview())
        kept = cache_key and fragments.kept(cache_key, now)
        if kept:
            report(state, kept.label)
            return fragments.respond(kept)
    screen, content = load(slug, now)
    slide = content.slide(key)
    report(screen, slide.label)
    response = show(screen, content, slide, "display/partials/slide.html")
    kept = cache_key and fragments.keep(cache_key, response, slide.label, screen, now)
    return fragments.respond(kept) if kept else response


@bp.get("/<slug>/browse")
def browse(slug):
    return show_panel(*load(slug), "display/partials/browse.html")


@bp.get("/<slug>/stretches/<stretch_slug>")
def stretch(slug, stretch_slug):
    screen, content = load(slug)
    stretch = content.stretch(stretch_slug) or abort(404)
    return show_panel(screen, content, "display/partials/stretch.html", stretch=stretch)


@bp.get("/<slug>/warning-signs")
def warning_signs(slug):
    return show_panel(*load(slug), "display/partials/warning_signs.html")


@bp.get("/<slug>/contact")
def contact(slug):
    return show_panel(*load(slug), "display/partials/contact.html")


@bp.get("/<slug>/take-home")
def take_home(slug):
    return show_panel(*load(slug), "display/partials/take_home.html")


@bp.get("/<slug>/check")
def check(slug):
    """The screen's cheap poll: report what it shows; answer with the content version."""
    screen = get_screen_or_404(slug)
    # Read before the report, whose commit gives the connection back to the pool: one
    # connection taken a check, so one pool_pre_ping (kiosk/db.py).
    version = liveness.version(get_session(), screen)
    report(screen, request.args.get("showing") or "Showing the screen")
    response = jsonify(version=version, idle_ms=shown.idle_ms(screen), shell=shell_fingerprint())
    response.cache_control.no_store = True
    return response if is_preview() else pairing.renew(response, screen)


@bp.get("/sw.js")
def service_worker():
    """The screens' service worker, served here so that its scope is the screens' and no wider.
    It is told what a screen's check and pairing addresses add to the screen's own."""
    screen = url_for("display.screen", slug="screen")
    check = url_for("display.check", slug="screen")
    pairing = url_for("display.pair", slug="screen", key="key")
    return service_worker_script("js/display-sw.js", {
        "check": check.removeprefix(screen),
        "pairing": pairing.removeprefix(screen).removesuffix("key"),
        "joining": url_for("display.join").removeprefix(url_for("display.default_screen") + "/"),
        "waiting": languages.in_each(waiting_words),
    })


def waiting_words(language) -> dict:
    """What a screen says when it is switched on for the first time while the server is down,
    escaped for the worker to put in its page."""
    return {"lang": language.tag, "dir": language.direction,
            "title": escape(gettext("Starting the screen")),
            "heading": escape(gettext("The stretches will appear here in a moment")),
            "text": escape(gettext("This screen is waiting for the clinic's computer. "
                                   "It tries again by itself."))}


def get_screen_or_404(slug: str) -> Screen:
    screen = get_session().scalar(select(Screen).filter_by(slug=slug))
    if screen is None:
        abort(missing_screen(slug))
    return screen


def load(slug: str, now=None) -> tuple[Screen, shown.ScreenContent]:
    """The screen and what it shows at `now` (default: this moment, as fragments.now says)."""
    screen = get_screen_or_404(slug)
    content = shown.ScreenContent(get_session(), screen, preview=is_preview(),
                                  now=now or fragments.now())
    g.screen_starts_in = content.first_language
    languages.unless_asked(content.first_language)
    return screen, content


def report(screen, showing: str):
    """Proof of life, from the paired screen only: not the console's preview, not a visitor.

    `screen` is a Screen or its fragments.SCREEN_STATE row; what is not news is not checked.
    """
    if not is_preview() and liveness.due(screen, showing) and pairing.is_paired(screen):
        liveness.report(get_session(), screen, showing)


def is_preview() -> bool:
    """The staff console shows a screen in a frame with ?preview=1: not a screen reporting."""
    return request.args.get("preview") == "1"


def missing_screen(slug: str | None):
    """A 404 that helps whoever set the screen up: on a one-clinic install, the screens that do
    exist, by address; on a group's, the way to join by a code, and no clinic's screens (staff
    find every address in the console)."""
    session = get_session()
    several = Clinic.several(session)
    screens = [] if several else session.scalars(select(Screen).order_by(Screen.name)).all()
    page = render_template("display/missing.html", slug=slug, screens=screens, several=several)
    return make_response(page, 404)


def show(screen, content, slide, partial=None, **context):
    """The whole screen on `slide` (and a panel, if any); just `partial` when htmx asks."""
    context = page_context(screen, content, slide) | context
    if partial is None:
        response = make_response(render_template("display/page.html", **context))
    else:
        response = htmx.render("display/page.html", partial, **context)
    return revalidated(response)


def show_panel(screen, content, partial, **context):
    """A browsing view: alone for htmx, else the whole screen opened on it."""
    return show(screen, content, content.slides[0], partial, panel=partial, **context)


def page_context(screen, content, slide) -> dict:
    return {
        "screen": screen,
        "content": content,
        "slide": slide,
        "dwell_ms": shown.dwell_ms(screen),
        "idle_ms": shown.idle_ms(screen),
        "version": liveness.version(get_session(), screen),
        "shell": shell_fingerprint(),
    }


def revalidated(response):
    """Screens ask again every time (so edits show at once) but get a 304 when nothing changed.

    kiosk.web.compression gzips what goes out: a stretch's drawings shrink tenfold on the Wi-Fi.
    """
    response.cache_control.no_cache = True
    response.add_etag()
    return response.make_conditional(request)


def shell_fingerprint() -> str:
    urls = [asset_url(name) for name in SHELL] + [figures.figures_css_url()]
    return hashlib.sha256(" ".join(urls).encode()).hexdigest()[:12]
