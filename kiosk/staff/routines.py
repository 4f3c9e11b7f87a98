"""Editing routines: which stretches, in what order, with this routine's holds and repetitions."""

import re
from dataclasses import dataclass

from flask import flash, g, redirect, render_template, request, url_for
from sqlalchemy import select

from kiosk.db import get_or_404, get_session, unique_slug
from kiosk.models import Routine, RoutineItem, Stretch
from kiosk.revisions import Conflict, save
from kiosk.staff import bp
from kiosk.staff.forms import pressed
from kiosk.staff.stretches import describe_conflict

MAX_ITEMS = 30


@dataclass
class ItemRow:
    """One line of the routine form, as typed: numbers stay text until they are checked."""

    stretch_id: int
    hold: str = ""
    repetitions: str = ""
    error: str = ""


def get_routine_or_404(routine_id: int) -> Routine:
    return get_or_404(Routine, routine_id, "There is no such routine.")


def stretch_choices() -> dict[int, Stretch]:
    stretches = get_session().scalars(select(Stretch).order_by(Stretch.neck_order, Stretch.title))
    return {stretch.id: stretch for stretch in stretches}


@bp.get("/routines")
def routines():
    listed = get_session().scalars(select(Routine).order_by(Routine.title)).all()
    return render_template("staff/routines.html", routines=listed)


def rows_from_routine(routine: Routine) -> list[ItemRow]:
    return [ItemRow(item.stretch_id, str(item.hold_seconds or ""), str(item.repetitions or ""))
            for item in routine.items]


def rows_from_form(stretches: dict[int, Stretch]) -> list[ItemRow]:
    ids = request.form.getlist("item_stretch", type=int)
    holds = request.form.getlist("item_hold")
    repetitions = request.form.getlist("item_repetitions")
    return [
        ItemRow(stretch_id, hold.strip(), reps.strip())
        for stretch_id, hold, reps in zip(ids, holds, repetitions, strict=False)
        if stretch_id in stretches
    ][:MAX_ITEMS]


def apply_item_action(rows: list[ItemRow], action: str, stretches: dict[int, Stretch]):
    """Add, remove, move or sort the routine's stretches in the form; nothing is saved yet."""
    verb, index = pressed(action)
    if verb == "add":
        stretch_id = request.form.get("add_stretch", type=int)
        if stretch_id in stretches and len(rows) < MAX_ITEMS:
            rows.append(ItemRow(stretch_id))
    elif verb == "remove" and 0 <= index < len(rows):
        del rows[index]
    elif verb == "up" and 0 < index < len(rows):
        rows[index - 1], rows[index] = rows[index], rows[index - 1]
    elif verb == "down" and 0 <= index < len(rows) - 1:
        rows[index + 1], rows[index] = rows[index], rows[index + 1]
    elif verb == "sort":
        # The article's rule: start at the neck and work down the body.
        rows.sort(key=lambda row: stretches[row.stretch_id].neck_order)


def check_rows(rows: list[ItemRow]) -> list[tuple[int | None, int | None]]:
    """The rows' overrides as numbers; marks each row whose numbers are out of range."""
    checked = []
    for row in rows:
        hold = _number(row, row.hold, 1, 600, "A hold is 1 to 600 seconds, or empty")
        reps = _number(row, row.repetitions, 1, 50, "Repetitions are 1 to 50, or empty")
        checked.append((hold, reps))
    return checked


def _number(row: ItemRow, text: str, low: int, high: int, message: str) -> int | None:
    if not text:
        return None
    if not re.fullmatch(r"\d{1,4}", text) or not low <= int(text) <= high:
        row.error = f"{message}."
        return None
    return int(text)


@bp.route("/routines/new", methods=["GET", "POST"])
def new_routine():
    return edit_or_create(None)


@bp.route("/routines/<int:routine_id>", methods=["GET", "POST"])
def edit_routine(routine_id):
    return edit_or_create(get_routine_or_404(routine_id))


def edit_or_create(routine: Routine | None):
    stretches = stretch_choices()
    title = routine.title if routine else ""
    description = routine.description if routine else ""
    version = routine.version if routine else 0
    rows = rows_from_routine(routine) if routine else []
    errors, conflict = {}, None
    if request.method == "POST":
        title = request.form.get("title", "").strip()
        description = request.form.get("description", "").strip()
        version = request.form.get("version", type=int, default=-1)
        rows = rows_from_form(stretches)
        action = request.form.get("item_action")
        if action:
            apply_item_action(rows, action, stretches)
        else:
            errors, conflict, saved = try_save(routine, title, description, version, rows)
            if saved:
                flash(f"Saved {saved.title}. Screens show it from their next slide.")
                return redirect(url_for("staff.edit_routine", routine_id=saved.id), code=303)
            if conflict:
                version = routine.version
    status = 409 if conflict else (422 if errors else 200)
    return render_template(
        "staff/routine_form.html", routine=routine, title=title, description=description,
        version=version, rows=rows, stretches=stretches, errors=errors, conflict=conflict,
    ), status


def try_save(routine, title, description, version, rows):
    """Check and save; returns (errors, conflict, saved routine or None)."""
    errors = {}
    if not title:
        errors["title"] = "Give the routine a title."
    elif len(title) > 120:
        errors["title"] = "Keep the title under 120 characters."
    if len(description) > 2000:
        errors["description"] = "Keep the description under 2000 characters."
    if not rows:
        errors["items"] = "Add at least one stretch."
    overrides = check_rows(rows)
    if errors or any(row.error for row in rows):
        errors.setdefault("form", "Nothing was saved: please fix what is marked below.")
        return errors, None, None
    target = routine or Routine(slug=unique_slug(Routine, title, "routine"))

    def change():
        target.title, target.description = title, description
        target.items = [
            RoutineItem(stretch_id=row.stretch_id, position=n, hold_seconds=hold, repetitions=reps)
            for n, (row, (hold, reps)) in enumerate(zip(rows, overrides, strict=True), start=1)
        ]

    try:
        save(get_session(), target, version, g.staff, change, f"Saved routine {title}")
    except Conflict as clash:
        return {}, describe_conflict(clash), None
    return {}, None, target
