"""Screens: what each shows, for how long per slide, on a schedule, or "show this now"; and
the pairing link that makes a browser the screen whose reports the console believes."""

from datetime import UTC, datetime, timedelta

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext, ngettext
from sqlalchemy import select, update
from wtforms.fields.choices import SelectChoice

from kiosk import audit, qr
from kiosk.db import get_or_404, get_session, unique_slug
from kiosk.display import joining
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
from kiosk.revisions import save
from kiosk.schedule import routine_for, screen_reports
from kiosk.staff import bp
from kiosk.staff.access import (
    clinics_for,
    is_organisation_admin,
    their_routines,
    their_screens,
)
from kiosk.staff.editing import editor_page, move_row, save_edit, saved
from kiosk.staff.forms import JoinScreenForm, ScreenForm, set_rows
from kiosk.web.htmx import render
from kiosk.web.inputs import LARGEST_ID, form_id


def screen_data(screen: Screen) -> dict:
    """A saved screen as its form's fields."""
    return {
        "name": screen.name, "routine": screen.routine_id, "dwell": screen.dwell_seconds,
        "idle": screen.idle_seconds, "kinds": list(screen.slide_kinds),
        "orientation": screen.orientation, "version": screen.version,
        "languages": list(screen.languages or ["en"]),
        "first_language": (screen.languages or ["en"])[0], "sound": screen.sound,
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
    screen.languages = form.loop_languages()
    screen.sound = form.sound.data
    screen.schedule = [
        ScreenSchedule(position=n, routine_id=w["routine"], weekdays=sorted(set(w["days"])),
                       starts=w["starts"], ends=w["ends"])
        for n, w in enumerate(form.window.data, start=1)
    ]


def get_screen_or_404(screen_id: int) -> Screen:
    return get_or_404(Screen, screen_id, gettext("There is no such screen."))


def library_routines() -> dict[int, Routine]:
    """The routines every screen may show: the library's."""
    query = select(Routine).where(Routine.clinic_id.is_(None)).order_by(Routine.title)
    return {r.id: r for r in get_session().scalars(query)}


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
    """Every screen of every clinic the account sees, grouped by clinic (one clinic's with
    ?clinic=), what each shows and when it last reported; refreshed every few seconds."""
    clinics = clinics_for(g.staff)
    picked = next((c for c in clinics if c.slug == request.args.get("clinic")), None)

    def shown(query):
        query = their_screens(query)
        return query.where(Screen.clinic_id == picked.id) if picked else query

    reports = screen_reports(shown)
    groups = [(clinic, [r for r in reports if r["screen"].clinic_id == clinic.id])
              for clinic in ([picked] if picked else clinics)]
    return render("staff/screens.html", "staff/partials/fleet.html",
                  groups=groups, clinics=clinics, picked=picked, pairing_link=pairing_link,
                  now_showing={r["screen"].id: routine_for(r["screen"]) for r in reports},
                  routines=all_routines(), everyone=is_organisation_admin(g.staff),
                  group=len(clinics) > 1)


@bp.post("/screens")
def show_now_on():
    """A routine now on one screen, on every screen of a clinic, or (the organisation's admin)
    on every screen; or back to their usual."""
    session = get_session()
    scope, _, which = request.form.get("on", "").partition(":")
    if scope == "all" and is_organisation_admin(g.staff):
        targets, clinic = session.scalars(select(Screen)).all(), None
    elif scope == "clinic":
        clinic = next((c for c in clinics_for(g.staff) if c.slug == which), None)
        targets = session.scalars(select(Screen).filter_by(clinic=clinic)).all() if clinic else []
    else:
        screen_id = int(which) if scope == "screen" and which.isascii() and which.isdigit() else 0
        screen = session.scalar(their_screens(select(Screen).where(
            Screen.id == min(screen_id, LARGEST_ID))))
        targets, clinic = ([screen], screen.clinic) if screen else ([], None)
    if not targets:
        flash(gettext("Pick the screens to show it on, among those listed; nothing was changed."),
              "error")
    else:
        shown_now(session, targets, all_routines(clinic) if clinic else library_routines())
    return redirect(url_for("staff.screens", clinic=request.args.get("clinic")), code=303)


def shown_now(session, screens: list[Screen], routines: dict[int, Routine]) -> bool:
    """Put the form's routine on `screens` at once, for its minutes (the schedule takes over
    after), or their usual back; say what happened. False when the form asks for what cannot
    be: nothing is changed then."""
    routine = routines.get(form_id("routine") or 0)
    minutes = request.form.get("minutes", type=int)
    # One screen by its name; several by how many.
    one = screens[0].name if len(screens) == 1 else None
    if request.form.get("stop"):
        for screen in screens:
            screen.override_routine_id, screen.override_until = None, None
        if one is not None:
            flash(gettext("%(screen)s is back on the usual routine.", screen=one))
        else:
            flash(ngettext("%(num)s screen is back on the usual routine.",
                           "%(num)s screens are back on the usual routine.", len(screens)))
    elif routine is None or minutes is None or not 1 <= minutes <= LONGEST_SHOW_NOW_MINUTES:
        flash(gettext("Pick a routine these screens may show and a time from 1 to %(most)s "
                      "minutes; nothing was changed.", most=LONGEST_SHOW_NOW_MINUTES), "error")
        return False
    else:
        until = datetime.now(UTC) + timedelta(minutes=minutes)
        for screen in screens:
            screen.override_routine_id, screen.override_until = routine.id, until
        for_minutes = ngettext("for %(num)s minute", "for %(num)s minutes", minutes)
        if one is not None:
            flash(gettext("%(screen)s shows %(routine)s now, %(for_minutes)s.", screen=one,
                          routine=routine.title, for_minutes=for_minutes))
        else:
            flash(ngettext("%(num)s screen shows %(routine)s now, %(for_minutes)s.",
                           "%(num)s screens show %(routine)s now, %(for_minutes)s.",
                           len(screens), routine=routine.title, for_minutes=for_minutes))
    ContentState.bump(session)
    session.commit()
    return True


@bp.route("/screens/new", methods=["GET", "POST"])
def new_screen():
    return edit_or_create(None)


@bp.route("/screens/join", methods=["GET", "POST"])
def join_screen():
    """A new screen by the code it shows: named, placed and paired in one step."""
    session = get_session()
    form = JoinScreenForm()
    form.offer_clinics(clinics_for(g.staff), request.args.get("clinic"))
    routines = all_routines()
    form.routine.choices = [SelectChoice(r.id, r.title) for r in routines.values()]
    if form.validate_on_submit() and shows_its_own(form):
        waiting = joining.waiting(session, form.code.data)
        if waiting is None:
            form.code.errors.append(gettext(
                "No new screen shows %(code)s: check the code on the screen (a code changes "
                "after an hour, and works once).", code=form.code.data))
        else:
            clinic = form.picked_clinic()
            screen = Screen(slug=unique_slug(Screen, form.name.data, "screen"),
                            name=form.name.data, clinic=clinic,
                            routine=routines[form.routine.data])
            save(session, screen, 0, g.staff, lambda: None, f"Added screen {screen.name}")
            joining.name(waiting, screen)
            audit.record(session, "screen_joined", target=f"screen {screen.id} ({screen.name})",
                         detail=clinic.name)
            session.commit()
            return saved(gettext("%(screen)s starts its loop within a few seconds, paired: the "
                                 "console shows when it last reported.", screen=screen.name),
                         "staff.edit_screen", screen_id=screen.id)
    return editor_page("staff/join_screen.html", form)


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
            return saved(gettext("Saved %(screen)s. It changes from its next slide.",
                                 screen=target.name),
                         "staff.edit_screen", screen_id=target.id)
    return editor_page("staff/screen_form.html", form, conflict, screen=screen,
                       routines=routines, **(pairing(screen) if screen else {}))


def shows_its_own(form: ScreenForm) -> bool:
    """Whether every routine the screen is to show is the library's or its clinic's own."""
    clinic = form.picked_clinic()
    windows = form.window.data if "window" in form else []
    picked = [form.routine.data, *(window["routine"] for window in windows)]
    foreign = [routine for routine_id in picked
               if (routine := get_session().get(Routine, routine_id)) is not None
               and routine.clinic_id not in (None, clinic.id)]
    if foreign:
        form.routine.errors.append(gettext(
            "%(routine)s is another clinic's own routine: pick one of the library's or "
            "%(clinic)s's.", routine=foreign[0].title, clinic=clinic.name))
    return not foreign


def pairing(screen: Screen) -> dict:
    """The screen's pairing link, as text and as a QR code for a tablet's camera."""
    link = pairing_link(screen)
    return {"pairing_link": link, "paired": screen.last_report_at is not None,
            "pairing_qr": qr.svg(link, gettext("QR code of the pairing link for %(screen)s",
                                               screen=screen.name))}


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
    flash(gettext("%(screen)s has a new pairing link: open it once on the screen itself, or put "
                  "it in the kiosk launcher. The old link and the browsers paired with it no "
                  "longer count.", screen=screen.name))
    return redirect(url_for("staff.edit_screen", screen_id=screen.id, _anchor="pairing"),
                    code=303)


@bp.post("/screens/<int:screen_id>/show-now")
def show_now(screen_id):
    """Put a routine on the screen at once, for a while; the schedule takes over after."""
    screen = get_screen_or_404(screen_id)
    shown_now(get_session(), [screen], all_routines(screen.clinic))
    return redirect(url_for("staff.edit_screen", screen_id=screen.id), code=303)
