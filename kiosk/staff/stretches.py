"""Editing stretches: title, steps, hold, sides, demonstration; retire instead of delete."""

from functools import cache

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from kiosk import figures
from kiosk.db import get_or_404, get_session, unique_slug
from kiosk.figures.demos import library
from kiosk.models import MAX_STEPS, Stretch
from kiosk.revisions import Conflict, save
from kiosk.staff import bp
from kiosk.staff.editing import editor_page, move_row, save_edit, saved
from kiosk.staff.forms import SIDES, StretchForm, set_rows, sides_key
from kiosk.stretches import StretchAsShown


def get_stretch_or_404(stretch_id: int) -> Stretch:
    return get_or_404(Stretch, stretch_id, gettext("There is no such stretch."))


@bp.get("/stretches")
def stretches():
    listed = get_session().scalars(
        select(Stretch).order_by(Stretch.retired, Stretch.neck_order, Stretch.title)
    ).all()
    return render_template("staff/stretches.html", stretches=listed)


@cache
def drawing_titles() -> dict[str, str]:
    """The library's drawings (for the clinic's own stretches) by name, with their titles."""
    return {demo.name: demo.title for demo in library.build()}


def demonstration_choices() -> dict[str, list[SelectChoice]]:
    """The drawings staff may pick, in two groups: the article's seven, then the library."""
    drawings = drawing_titles()
    article = [name for name in figures.names() if name not in drawings]
    return {
        gettext("The article's stretches"): [
            SelectChoice(name, name.replace("-", " ").capitalize()) for name in article
        ],
        gettext("Library, for the clinic's own stretches"): [
            SelectChoice(name, title) for name, title in drawings.items()
        ],
    }


def demonstration_title(name: str) -> str:
    """What the picker calls a drawing: its title, or its name for one of the article's."""
    choices = (choice for group in demonstration_choices().values() for choice in group)
    return next((choice.label for choice in choices if choice.value == name), "")


def stretch_form(stretch: Stretch | None) -> StretchForm:
    form = StretchForm(obj=stretch) if request.method == "GET" else StretchForm()
    form.demonstration.choices = demonstration_choices()
    if request.method == "GET":
        if stretch is None:
            form.hold_seconds.data, form.repetitions.data, form.neck_order.data = 10, 3, 100
            form.demonstration.data = figures.names()[0]  # as the list shows it, so the preview
        else:
            form.sides.data = sides_key(stretch.sides)
            form.version.data = stretch.version
    return form


def apply_step_action(form: StretchForm, action: str) -> None:
    """Add, remove or move a step, in the form only: nothing is saved until Save."""
    steps = list(form.steps.data)
    move_row(steps, action, new=str, limit=MAX_STEPS, keep=1)
    set_rows(form.steps, steps)


def fill(stretch: Stretch, form: StretchForm):
    stretch.title = form.title.data.strip()
    stretch.body_region = (form.body_region.data or "").strip()
    stretch.neck_order = form.neck_order.data
    stretch.hold_seconds = form.hold_seconds.data
    stretch.repetitions = form.repetitions.data
    stretch.sides = SIDES[form.sides.data]
    stretch.position = form.position.data
    stretch.cautions = (form.cautions.data or "").strip()
    stretch.demonstration = form.demonstration.data
    stretch.steps = form.step_texts()
    if not stretch.slug:
        stretch.slug = unique_slug(Stretch, stretch.title, "stretch")


@bp.route("/stretches/new", methods=["GET", "POST"])
def new_stretch():
    return edit_or_create(None)


@bp.route("/stretches/<int:stretch_id>", methods=["GET", "POST"])
def edit_stretch(stretch_id):
    return edit_or_create(get_stretch_or_404(stretch_id))


def edit_or_create(stretch: Stretch | None):
    form = stretch_form(stretch)
    conflict = None
    action = request.form.get("step_action")
    if action:
        apply_step_action(form, action)
    elif form.validate_on_submit():
        target = stretch or Stretch(slug="")
        conflict = save_edit(form, target, lambda: fill(target, form),
                             f"Saved stretch {form.title.data.strip()}")
        if not conflict:
            return saved(gettext("Saved %(title)s. Screens show it from their next slide.",
                                 title=target.title),
                         "staff.edit_stretch", stretch_id=target.id)
    return editor_page("staff/stretch_form.html", form, conflict,
                       partial="staff/partials/steps.html" if action else None,
                       **editor_context(stretch, form))


def editor_context(stretch: Stretch | None, form: StretchForm) -> dict:
    """What the editor's page shows around the form: the preview, the chosen drawing, and
    where the steps' buttons post."""
    steps_url = (url_for("staff.edit_stretch", stretch_id=stretch.id) if stretch
                 else url_for("staff.new_stretch"))
    # Plain text for code that escapes what it is given (a template's _() gives Markup).
    media_label = (gettext("%(title)s: uploaded demonstration", title=stretch.title)
                   if stretch else "")
    return {"stretch": stretch, "steps_url": steps_url, "media_label": media_label,
            **preview_of(stretch), **drawing_of(form.demonstration.data)}


def drawing_of(name: str | None) -> dict:
    """The chosen drawing, moving, for the preview beside the editor's picker."""
    title = demonstration_title(name or "")
    return {"drawing": name if title else "", "drawing_title": title,
            "drawing_label": gettext("%(title)s demonstration", title=title)}


@bp.get("/stretches/demonstration")
def demonstration_preview():
    """The drawing chosen in the picker, moving; swapped in beside it as the choice changes."""
    return render_template("staff/partials/demonstration_preview.html",
                           demonstration=figures.render,
                           **drawing_of(request.args.get("demonstration")))


def preview_of(stretch: Stretch | None) -> dict:
    """The saved stretch for the editor's preview panel, before any typing."""
    if stretch is None:
        card = StretchAsShown(slug="preview", title=gettext("(no title yet)"), body_region="",
                              steps=[], hold_seconds=10, repetitions=3)
    else:
        card = StretchAsShown.from_stretch(stretch)
    return {"stretch_card": card, "number": 1, "demonstration": figures.render}


@bp.post("/stretches/preview")
def preview_stretch():
    """The stretch as the sheet would show it with the editor's unsaved changes."""
    form = StretchForm()
    form.demonstration.choices = demonstration_choices()
    form.validate()
    steps = form.step_texts() if form.steps.data else []
    stretch = StretchAsShown(
        slug="preview",
        title=(form.title.data or "").strip() or gettext("(no title yet)"),
        body_region=(form.body_region.data or "").strip(),
        steps=steps,
        # None, while a number is still wrong, reads "?" in the dose.
        hold_seconds=form.hold_seconds.data if not form.hold_seconds.errors else None,
        repetitions=form.repetitions.data if not form.repetitions.errors else None,
        sides=SIDES.get(form.sides.data, []),
        position=form.position.data or "",
        cautions=(form.cautions.data or "").strip(),
        demonstration=form.demonstration.data or "",
    )
    return render_template("staff/partials/stretch_preview.html", stretch=stretch, number=1,
                           demonstration=figures.render)


@bp.post("/stretches/<int:stretch_id>/retire")
def retire_stretch(stretch_id):
    stretch = get_stretch_or_404(stretch_id)
    retiring = not stretch.retired
    try:
        started_from = int(request.form.get("version", ""))
    except ValueError:
        started_from = -1
    try:
        save(get_session(), stretch, started_from, g.staff,
             lambda: setattr(stretch, "retired", retiring),
             f"{'Retired' if retiring else 'Brought back'} stretch {stretch.title}")
    except Conflict:
        flash(gettext("%(title)s was changed by someone else meanwhile; nothing was done.",
                      title=stretch.title), "error")
    else:
        flash(gettext("%(title)s is retired: screens and sheets no longer show it.",
                      title=stretch.title) if retiring
              else gettext("%(title)s is back in use.", title=stretch.title))
    return redirect(url_for("staff.stretches"), code=303)
