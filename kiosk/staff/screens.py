"""Screens: what each shows, for how long per slide, on a schedule, or "show this now"; and
the pairing link that makes a browser the screen whose reports the console believes."""

from datetime import UTC, datetime, timedelta

from flask import flash, g, redirect, render_template, request, url_for
from sqlalchemy import select, update
from wtforms.fields.choices import SelectChoice

from kiosk import audit, qr
from kiosk.db import get_or_404, get_session, unique_slug
from kiosk.models import (
    LONGEST_SHOW_NOW_MINUTES,
    MAX_WINDOWS,
    SLIDE_KINDS,
    Clinic,
    ContentState,
    Routine,
    Screen,
    ScreenSchedule,
    new_key,
)
from kiosk.public import external_url
from kiosk.schedule import routine_for, screen_reports
from kiosk.staff import bp
from kiosk.staff.access import clinics_for, their_routines, their_screens
from kiosk.staff.editing import editor_page, move_row, save_edit, saved
from kiosk.staff.forms import ScreenForm, set_rows
from kiosk.web.inputs import form_id


def screen_data(screen: Screen) -> dict:
    """A saved screen as its form's fields."""
    return {
        "name": screen.name, "routine": screen.routine_id, "dwell": screen.dwell_seconds,
        "idle": screen.idle_seconds, "kinds": list(screen.slide_kinds),
        "orientation": screen.orientation, "version": screen.version,
        "window": [{"routine": w.routine_id, "days": list(w.weekdays), "starts": w.starts,
                    "ends": w.ends} for w in screen.schedule],
    }


def apply(form: ScreenForm, screen: Screen) -> None:
    screen.name = form.name.data
    screen.routine_id = form.routine.data
    screen.dwell_seconds = form.dwell.data
    screen.idle_seconds = form.idle.data
    screen.slide_kinds = [kind for kind in SLIDE_KINDS if kind in form.kinds.data]
    screen.orientation = form.orientation.data
    screen.schedule = [
        ScreenSchedule(position=n, routine_id=w["routine"], weekdays=sorted(set(w["days"])),
                       starts=w["starts"], ends=w["ends"])
        for n, w in enumerate(form.window.data, start=1)
    ]


def get_screen_or_404(screen_id: int) -> Screen:
    return get_or_404(Screen, screen_id, "There is no such screen.")


def all_routines(clinic: Clinic | None = None) -> dict[int, Routine]:
    """The routines a screen of `clinic` may show: the library's and the clinic's own (no
    clinic: those of every clinic the account sees)."""
    query = their_routines(select(Routine).order_by(Routine.title))
    if clinic is not None:
        query = query.where(Routine.clinic_id.is_(None) | (Routine.clinic_id == clinic.id))
    return {r.id: r for r in get_session().scalars(query)}


def pairing_link(screen: Screen) -> str:
    """The link that pairs a browser with `screen`, at the address screens reach this app."""
    return external_url("display.pair", reached_at=screen.clinic, slug=screen.slug,
                        key=screen.report_key)


@bp.get("/screens")
def screens():
    reports = screen_reports(their_screens)
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
    routines = all_routines(screen.clinic if screen else None)
    if request.method == "POST":
        form = ScreenForm()
    elif screen:
        form = ScreenForm(data=screen_data(screen))
    else:
        form = ScreenForm(routine=next(iter(routines), None), version=0)
    conflict = None
    action = request.form.get("window_action")
    if action:
        windows = list(form.window.data)
        move_row(windows, action, limit=MAX_WINDOWS, new=lambda: {
            "routine": form.routine.data, "days": [0, 1, 2, 3, 4], "starts": "07:00",
            "ends": "10:00"})
        set_rows(form.window, windows)
    form.offer([SelectChoice(r.id, r.title) for r in routines.values()])
    form.offer_clinics([screen.clinic] if screen else clinics_for(g.staff),
                       request.args.get("clinic"))
    if not action and form.validate_on_submit() and shows_its_own(form):
        target = screen or Screen(slug=unique_slug(Screen, form.name.data, "screen"),
                                  clinic=form.picked_clinic())
        conflict = save_edit(form, target, lambda: apply(form, target),
                             f"Saved screen {form.name.data}")
        if not conflict:
            return saved(f"Saved {target.name}. It changes from its next slide.",
                         "staff.edit_screen", screen_id=target.id)
    return editor_page("staff/screen_form.html", form, conflict, screen=screen,
                       routines=routines, **(pairing(screen) if screen else {}))


def shows_its_own(form: ScreenForm) -> bool:
    """Whether every routine the screen is to show is the library's or its clinic's own."""
    clinic = form.picked_clinic()
    picked = [form.routine.data, *(window["routine"] for window in form.window.data)]
    foreign = [routine for routine_id in picked
               if (routine := get_session().get(Routine, routine_id)) is not None
               and routine.clinic_id not in (None, clinic.id)]
    if foreign:
        form.routine.errors.append(f"{foreign[0].title} is another clinic's own routine: pick "
                                   f"one of the library's or {clinic.name}'s.")
    return not foreign


def pairing(screen: Screen) -> dict:
    """The screen's pairing link, as text and as a QR code for a tablet's camera."""
    link = pairing_link(screen)
    return {"pairing_link": link, "paired": screen.last_report_at is not None,
            "pairing_qr": qr.svg(link, f"QR code of the pairing link for {screen.name}")}


@bp.post("/screens/<int:screen_id>/pair-again")
def pair_again(screen_id):
    """A new pairing link: browsers paired with the old one no longer report as the screen."""
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
    routine = all_routines(screen.clinic).get(form_id("routine") or 0)
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
