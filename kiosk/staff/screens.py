"""Screens: what each shows, for how long per slide, on a schedule, or "show this now"; and
the pairing link that makes a browser the screen whose reports the console believes."""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask import flash, g, redirect, render_template, request, url_for
from sqlalchemy import select, update

from kiosk import audit, qr
from kiosk.db import get_or_404, get_session, unique_slug
from kiosk.inputs import form_id
from kiosk.models import SLIDE_KINDS, ContentState, Routine, Screen, ScreenSchedule, new_key
from kiosk.public import external_url
from kiosk.revisions import Conflict, save
from kiosk.screens import WEEKDAYS, routine_for
from kiosk.staff import bp, require_may_edit
from kiosk.staff.dashboard import screen_reports
from kiosk.staff.forms import pressed
from kiosk.staff.stretches import describe_conflict

# The longest "show now": an import holds a screen's override_until to it too.
LONGEST_SHOW_NOW_MINUTES = 720

SLIDE_LABELS = {
    "stretch": "Stretch demonstrations",
    "advice": "Good stretching advice",
    "warning_signs": "Warning signs",
    "contact": "Contact details and QR code",
}
ORIENTATIONS = {"landscape": "Landscape (1920×1080)", "portrait": "Portrait (1080×1920)"}
CLOCK = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
MAX_WINDOWS = 20


@dataclass
class Window:
    """A schedule row as typed in the form."""

    routine_id: int | None
    weekdays: list[int]
    starts: str
    ends: str
    error: str = ""


@dataclass
class ScreenForm:
    name: str = ""
    routine_id: int | None = None
    dwell: str = "15"
    idle: str = "60"
    kinds: list[str] = field(default_factory=lambda: list(SLIDE_KINDS))
    orientation: str = "landscape"
    version: int = 0
    windows: list[Window] = field(default_factory=list)
    errors: dict = field(default_factory=dict)

    @classmethod
    def from_screen(cls, screen: Screen) -> "ScreenForm":
        return cls(
            name=screen.name, routine_id=screen.routine_id, dwell=str(screen.dwell_seconds),
            idle=str(screen.idle_seconds), kinds=list(screen.slide_kinds),
            orientation=screen.orientation, version=screen.version,
            windows=[Window(w.routine_id, list(w.weekdays), w.starts, w.ends)
                     for w in screen.schedule],
        )

    @classmethod
    def from_request(cls) -> "ScreenForm":
        form = request.form
        windows = [
            Window(
                form.get(f"window-{n}-routine", type=int),
                sorted({d for d in form.getlist(f"window-{n}-days", type=int) if 0 <= d < 7}),
                form.get(f"window-{n}-starts", "").strip(),
                form.get(f"window-{n}-ends", "").strip(),
            )
            for n in range(min(form.get("windows", type=int, default=0), MAX_WINDOWS))
        ]
        return cls(
            name=form.get("name", "").strip(), routine_id=form.get("routine", type=int),
            dwell=form.get("dwell", "").strip(), idle=form.get("idle", "").strip(),
            kinds=[k for k in form.getlist("kinds") if k in SLIDE_KINDS],
            orientation=form.get("orientation", "landscape"),
            version=form.get("version", type=int, default=-1), windows=windows,
        )

    def check(self, routines: dict[int, Routine]) -> bool:
        errors = self.errors
        if not self.name:
            errors["name"] = "Give the screen a name, e.g. Waiting room."
        elif len(self.name) > 120:
            errors["name"] = "Keep the name under 120 characters."
        if self.routine_id not in routines:
            errors["routine"] = "Pick the routine this screen shows."
        if not (whole(self.dwell) and 3 <= int(self.dwell) <= 300):
            errors["dwell"] = "Each slide stays up 3 to 300 seconds."
        if not (whole(self.idle) and 20 <= int(self.idle) <= 3600):
            errors["idle"] = "Wait 20 to 3600 seconds before asking “Still there?”."
        if not self.kinds:
            errors["kinds"] = "Pick at least one kind of slide."
        if self.orientation not in ORIENTATIONS:
            errors["orientation"] = "Pick landscape or portrait."
        for window in self.windows:
            if window.routine_id not in routines:
                window.error = "Pick a routine for this time."
            elif not window.weekdays:
                window.error = "Tick at least one day."
            elif not (CLOCK.fullmatch(window.starts) and CLOCK.fullmatch(window.ends)):
                window.error = "Times look like 07:30."
            elif window.starts >= window.ends:
                window.error = "The window must end after it starts."
        return not errors and not any(w.error for w in self.windows)

    def apply(self, screen: Screen):
        screen.name = self.name
        screen.routine_id = self.routine_id
        screen.dwell_seconds = int(self.dwell)
        screen.idle_seconds = int(self.idle)
        screen.slide_kinds = [k for k in SLIDE_KINDS if k in self.kinds]
        screen.orientation = self.orientation
        screen.schedule = [
            ScreenSchedule(position=n, routine_id=w.routine_id, weekdays=w.weekdays,
                           starts=w.starts, ends=w.ends)
            for n, w in enumerate(self.windows, start=1)
        ]


def whole(text: str) -> bool:
    """Digits only, and few enough to be a number of seconds (int() refuses "²")."""
    return text.isdecimal() and len(text) <= 5


def get_screen_or_404(screen_id: int) -> Screen:
    return get_or_404(Screen, screen_id, "There is no such screen.")


def all_routines() -> dict[int, Routine]:
    return {r.id: r for r in get_session().scalars(select(Routine).order_by(Routine.title))}


def pairing_link(screen: Screen) -> str:
    """The link that pairs a browser with `screen`, at the address screens reach this app."""
    return external_url("display.pair", slug=screen.slug, key=screen.report_key)


@bp.get("/screens")
def screens():
    reports = screen_reports()
    return render_template("staff/screens.html", reports=reports, pairing_link=pairing_link,
                           now_showing={r["screen"].id: routine_for(r["screen"])
                                        for r in reports})


@bp.route("/screens/new", methods=["GET", "POST"])
def new_screen():
    return edit_or_create(None)


@bp.route("/screens/<int:screen_id>", methods=["GET", "POST"])
def edit_screen(screen_id):
    return edit_or_create(get_screen_or_404(screen_id))


def edit_or_create(screen: Screen | None):
    routines = all_routines()
    form = ScreenForm.from_screen(screen) if screen else ScreenForm(
        routine_id=next(iter(routines), None))
    conflict = None
    if request.method == "POST":
        form = ScreenForm.from_request()
        action = request.form.get("window_action", "")
        if action == "add" and len(form.windows) < MAX_WINDOWS:
            form.windows.append(Window(form.routine_id, [0, 1, 2, 3, 4], "07:00", "10:00"))
        elif action.startswith("remove:"):
            index = pressed(action)[1]
            if 0 <= index < len(form.windows):
                del form.windows[index]
        elif form.check(routines):
            target = screen or Screen(slug=unique_slug(Screen, form.name, "screen"))
            try:
                save(get_session(), target, form.version, g.staff, lambda: form.apply(target),
                     f"Saved screen {form.name}")
            except Conflict as clash:
                conflict = describe_conflict(clash)
                form.version = clash.entity.version
            else:
                flash(f"Saved {target.name}. It changes from its next slide.")
                return redirect(url_for("staff.edit_screen", screen_id=target.id), code=303)
    invalid = form.errors or any(w.error for w in form.windows)
    status = 409 if conflict else (422 if invalid else 200)
    return render_template(
        "staff/screen_form.html", screen=screen, form=form, routines=routines,
        conflict=conflict, slide_labels=SLIDE_LABELS, orientations=ORIENTATIONS,
        weekdays=WEEKDAYS, invalid=invalid, **(pairing(screen) if screen else {}),
    ), status


def pairing(screen: Screen) -> dict:
    """The screen's pairing link, as text and as a QR code for a tablet's camera."""
    link = pairing_link(screen)
    return {"pairing_link": link, "paired": screen.last_report_at is not None,
            "pairing_qr": qr.svg(link, f"QR code of the pairing link for {screen.name}")}


@bp.post("/screens/<int:screen_id>/pair-again")
def pair_again(screen_id):
    """A new pairing link: browsers paired with the old one no longer report as the screen."""
    require_may_edit("screen")
    screen = get_screen_or_404(screen_id)
    session = get_session()
    # Not an edit (no new version, no revision): a form open elsewhere can still be saved.
    # Its last report goes too: it came from a pairing that no longer counts.
    session.execute(
        update(Screen).where(Screen.id == screen.id)
        .values(report_key=new_key(), last_report_at=None, last_slide="",
                updated_at=Screen.updated_at)
    )
    audit.record(session, "screen_paired_again", target=f"screen {screen.id} ({screen.name})")
    session.commit()
    flash(f"{screen.name} has a new pairing link: open it once on the screen itself, or put it "
          "in the kiosk launcher. The old link and the browsers paired with it no longer count.")
    return redirect(url_for("staff.edit_screen", screen_id=screen.id, _anchor="pairing"),
                    code=303)


@bp.post("/screens/<int:screen_id>/show-now")
def show_now(screen_id):
    """Put a routine on the screen at once, for a while; the schedule takes over after."""
    screen = get_screen_or_404(screen_id)
    session = get_session()
    routine = session.get(Routine, form_id("routine") or 0)
    minutes = request.form.get("minutes", type=int)
    if request.form.get("stop"):
        screen.override_routine_id, screen.override_until = None, None
        flash(f"{screen.name} is back on its usual routine.")
    elif routine is None or minutes is None or not 1 <= minutes <= LONGEST_SHOW_NOW_MINUTES:
        flash(f"Pick a routine and a time from 1 to {LONGEST_SHOW_NOW_MINUTES} minutes; "
              "nothing was changed.", "error")
        return redirect(url_for("staff.edit_screen", screen_id=screen.id), code=303)
    else:
        screen.override_routine_id = routine.id
        screen.override_until = datetime.now(UTC) + timedelta(minutes=minutes)
        flash(f"{screen.name} shows {routine.title} now, for {minutes} minutes.")
    ContentState.bump(session)
    session.commit()
    return redirect(url_for("staff.edit_screen", screen_id=screen.id), code=303)
