"""Animated vector demonstrations of the stretches: a figure model, poses as data, one renderer.

`render` gives the animation with its key poses (shown instead under reduced motion),
`render_poses` the key poses alone (print, PDF), `render_thumbnail` the hold pose alone.
All the CSS they need, keyframes included, is `stylesheet()`, served at /figures.css;
`still_stylesheet()` is the same without the keyframes, for a PDF.

A drawing of one of the article's stretches names the article's steps: each key pose says
which step it shows, and the animation carries when each step begins in its loop, for
static/js/steps.js to mark the step being shown beside it.
"""

from __future__ import annotations

import hashlib
from functools import cache, lru_cache

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import get_locale, gettext
from markupsafe import Markup, escape

from kiosk.content import load_article
from kiosk.figures import demos, motion, svg
from kiosk.figures.scene import Demonstration
from kiosk.figures.styles import BASE
from kiosk.web.headers import cache_for_a_year

bp = Blueprint("figures", __name__)


@cache
def _demonstrations() -> dict[str, Demonstration]:
    return demos.build()


def names() -> list[str]:
    """The built-in demonstrations, neck down, for a staff picker."""
    return list(_demonstrations())


def _find(name: str) -> Demonstration:
    """The named demonstration, or a figure standing at ease for a name we do not know."""
    return _demonstrations().get(name) or demos.at_ease()


def render(name: str, *, label: str, steps: int | None = None) -> Markup:
    """The animated demonstration, with its key poses for reduced motion and print, its words
    in the page's language.

    `steps`, how many steps the stretch shown has, if known: the drawing names the article's
    steps only while their number agrees (staff may have rewritten them).
    """
    return _render(name, label, steps, str(get_locale()))


def render_poses(name: str, *, label: str, steps: int | None = None) -> Markup:
    """The key poses side by side, still, each captioned with its step (or its number)."""
    return _render_poses(name, label, steps, str(get_locale()))


@lru_cache(maxsize=256)  # slides ask for the same few, again and again, in a few languages
def _render(name: str, label: str, steps: int | None, _language: str) -> Markup:
    demo = _find(name)
    numbered = _numbered(demo, steps)
    timeline = (_step_timeline(demo) if numbered else "") + _mark_timeline(demo)
    timeline += _still_timeline(demo)
    return Markup(  # noqa: S704 - the renderer escapes the label, the rest is our own data
        f'<div class="demo demo-{demo.name}"{timeline}>'
        f"{svg.animated(demo, label=label)}{_poses(demo, label, numbered)}{_key(demo)}</div>"
    )


@lru_cache(maxsize=256)
def _render_poses(name: str, label: str, steps: int | None, _language: str) -> Markup:
    demo = _find(name)
    return Markup(_poses(demo, label, _numbered(demo, steps)) + _key(demo))  # noqa: S704


@lru_cache(maxsize=256)
def render_thumbnail(name: str, *, label: str) -> Markup:
    """One still picture of the stretch held, for a browse tile; no label makes it decorative."""
    demo = _find(name)
    picture = svg.still(demo, demo.thumbnail, label=label, css_class="demo-thumbnail")
    return Markup(picture)  # noqa: S704 - the renderer escapes the label


def _key(demo: Demonstration) -> str:
    """What the drawing's colour and stopwatch mean, in words, where it uses them."""
    poses = demo.poses.values()
    meanings = []
    if any(pose.stretched or pose.glows for pose in poses):
        orange = escape(gettext("Orange: where you feel the stretch (paler: the far side)"))
        meanings.append(f'<span class="demo-key-swatch" aria-hidden="true"></span>{orange}')
    if any(pose.held for pose in poses):
        stopwatch = escape(gettext("Stopwatch: hold still"))
        meanings.append(f"{svg.hold_icon()}{stopwatch}")
    items = "".join(f'<span class="demo-key-item">{meaning}</span>' for meaning in meanings)
    return f'<p class="demo-key">{items}</p>' if items else ""


def _numbered(demo: Demonstration, steps: int | None) -> bool:
    return bool(demo.steps) and steps in (None, demo.steps)


def _step_timeline(demo: Demonstration) -> str:
    """When each step begins in the loop ("seconds:step ..."), and how many steps there are."""
    starts = " ".join(f"{round(t, 3):g}:{step}" for t, step in motion.step_starts(demo))
    return f' data-step-count="{demo.steps}" data-step-timeline="{starts}"'


def _mark_timeline(demo: Demonstration) -> str:
    """When the stopwatch and glows of held poses show ("seconds:hold,hg-0 seconds:- ...")."""
    changes = motion.mark_changes(demo)
    if not any(shown for _, shown in changes):
        return ""
    runs = " ".join(f"{round(t, 3):g}:{','.join(shown) or '-'}" for t, shown in changes)
    return f' data-mark-timeline="{runs}"'


def _still_timeline(demo: Demonstration) -> str:
    """Where the loop holds still ("from-until ..."): the browser need not draw it meanwhile."""
    runs = " ".join(f"{round(a, 3):g}-{round(b, 3):g}" for a, b in motion.still_runs(demo))
    return f' data-still-timeline="{runs}"' if runs else ""


def _step_name(steps: tuple[int, ...]) -> str:
    """'Step 2', 'Steps 1 and 5', 'Steps 1, 2 and 3'."""
    if len(steps) == 1:
        return gettext("Step %(num)s", num=steps[0])
    *most, last = steps
    return gettext("Steps %(most)s and %(last)s", most=", ".join(map(str, most)), last=last)


def _poses(demo: Demonstration, label: str, numbered: bool) -> str:
    """The key poses, each captioned with the step it shows, or else its place in the list."""
    items = []
    for number, still in enumerate(demo.stills, start=1):
        words = gettext(still.caption)  # marked where it is drawn: Still("Chin to chest", ...)
        if numbered and still.steps:
            step = _step_name(still.steps)
            caption = f"{step}: {words}"
            shown = f'<span class="demo-pose-step">{escape(step)}</span> {escape(words)}'
            data = f' data-step="{" ".join(map(str, still.steps))}"'
        else:
            caption = f"{number} {words}"
            shown, data = escape(caption), ""
        picture = svg.still(
            demo, still.pose, label=f"{label}: {caption}" if label else "", css_class="demo-still"
        )
        items.append(
            f'<li class="demo-pose"{data}>{picture}'
            f'<span class="demo-pose-caption">{shown}</span></li>'
        )
    named = ""
    if label:
        poses = escape(gettext("%(label)s: key poses", label=label))
        named = f' aria-label="{poses}"'
    return f'<ol class="demo-poses"{named}>{"".join(items)}</ol>'


@cache
def stylesheet() -> str:
    """Every rule the demonstrations need: layout, reduced motion, and generated keyframes."""
    keyframes = "\n".join(motion.keyframes(demo) for demo in _demonstrations().values())
    return f"{BASE}\n/* Generated from the poses in kiosk/figures/demos.py. */\n{keyframes}\n"


def still_stylesheet() -> str:
    """The stylesheet without its keyframes: all that drawings standing still need (PDF)."""
    return BASE


@cache
def fingerprint() -> str:
    return hashlib.sha256(stylesheet().encode()).hexdigest()[:12]


@bp.app_template_global()
def figures_css_url() -> str:
    """The stylesheet's URL, fingerprinted so browsers may keep it for good."""
    return url_for("figures.stylesheet_css", v=fingerprint())


@bp.get("/figures.css")
def stylesheet_css():
    response = current_app.response_class(stylesheet(), mimetype="text/css")
    response.set_etag(fingerprint())
    if request.args.get("v") == fingerprint():
        cache_for_a_year(response)
    else:  # an old or missing fingerprint: check back each time
        response.cache_control.no_cache = True
    return response.make_conditional(request)


@cache
def _article_steps() -> dict[str, list[str]]:
    """The article's steps, by the demonstration drawn for them."""
    return {s["demonstration"]: s["steps"] for s in load_article()["stretches"]}


@bp.get("/demonstrations")
def gallery():
    """Every built-in demonstration, animated and as key poses, for staff and anyone to review;
    the article's own beside the steps they number, the step being shown marked."""
    return render_template(
        "figures/gallery.html", demonstrations=_demonstrations().values(), render=render,
        article_steps=_article_steps(),
    )
