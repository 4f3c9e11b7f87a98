"""Editing routines: which stretches, in what order, with this routine's holds and repetitions."""

from types import SimpleNamespace

from flask import g, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import select

from kiosk.db import get_or_404, get_session, unique_slug
from kiosk.models import MAX_ITEMS, Clinic, Routine, RoutineItem, Stretch
from kiosk.staff import bp, may_edit
from kiosk.staff.access import clinics_for, their_routines
from kiosk.staff.editing import editor_page, move_row, pressed, save_edit, saved
from kiosk.staff.forms import ItemsForm, RoutineForm, _l, set_rows


def get_routine_or_404(routine_id: int) -> Routine:
    return get_or_404(Routine, routine_id, gettext("There is no such routine."))


def stretch_choices() -> dict[int, Stretch]:
    stretches = get_session().scalars(select(Stretch).order_by(Stretch.neck_order, Stretch.title))
    return {stretch.id: stretch for stretch in stretches}


# A new routine's owner when it is the library's: every clinic shows it.
THE_LIBRARY = SimpleNamespace(slug="library", name=_l("Every clinic (the library)"), id=None)


@bp.get("/routines")
def routines():
    listed = get_session().scalars(their_routines(select(Routine).order_by(Routine.title)))
    return render_template("staff/routines.html", routines=listed.all())


def owners(account) -> list:
    """Whose a new routine may be: the library's (for who edits it) and, on an install with
    several clinics or for who does not edit the library, a clinic's own."""
    library = [THE_LIBRARY] if may_edit(account, "routine", None) else []
    several = Clinic.several(get_session())
    return library + (clinics_for(account) if several or not library else [])


def item_rows(routine: Routine) -> list[dict]:
    """A routine's stretches as the form's rows."""
    return [{"stretch": item.stretch_id, "hold": item.hold_seconds,
             "repetitions": item.repetitions} for item in routine.items]


def offer_stretches(form: ItemsForm, stretches: dict[int, Stretch]) -> None:
    form.add_stretch.choices = [(s.id, s.title) for s in stretches.values() if not s.retired]
    form.keep_known(stretches)


def apply_item_action(form: ItemsForm, action: str, stretches: dict[int, Stretch]) -> None:
    """Add, remove, move or sort the stretches in the form; nothing is saved yet."""
    rows = list(form.items.data)
    if pressed(action)[0] == "sort":
        # The article's rule: start at the neck and work down the body.
        rows.sort(key=lambda row: stretches[row["stretch"]].neck_order)
    else:
        added = form.add_stretch.data
        move_row(rows, action, limit=MAX_ITEMS,
                 new=lambda: {"stretch": added} if added in stretches else None)
    set_rows(form.items, rows)


@bp.route("/routines/new", methods=["GET", "POST"])
def new_routine():
    return edit_or_create(None)


@bp.route("/routines/<int:routine_id>", methods=["GET", "POST"])
def edit_routine(routine_id):
    return edit_or_create(get_routine_or_404(routine_id))


def edit_or_create(routine: Routine | None):
    stretches = stretch_choices()
    if request.method == "POST":
        form = RoutineForm()
    elif routine:
        form = RoutineForm(title=routine.title, description=routine.description,
                           version=routine.version, items=item_rows(routine))
    else:
        form = RoutineForm(version=0)
    offer_stretches(form, stretches)
    form.offer_clinics([routine.clinic or THE_LIBRARY] if routine else owners(g.staff))
    if "clinic" in form:
        form.clinic.label.text = gettext("Shown by")
    conflict = None
    action = request.form.get("item_action")
    if action:
        apply_item_action(form, action, stretches)
    elif form.validate_on_submit():
        target = routine or Routine(slug=unique_slug(Routine, form.title.data, "routine"),
                                    clinic_id=form.picked_clinic().id)

        def change():
            target.title, target.description = form.title.data, form.description.data
            target.items = [
                RoutineItem(stretch_id=row["stretch"], position=n, hold_seconds=row["hold"],
                            repetitions=row["repetitions"])
                for n, row in enumerate(form.items.data, start=1)
            ]

        conflict = save_edit(form, target, change, f"Saved routine {form.title.data}")
        if not conflict:
            return saved(gettext("Saved %(title)s. Screens show it from their next slide.",
                                 title=target.title),
                         "staff.edit_routine", routine_id=target.id)
    return editor_page("staff/routine_form.html", form, conflict,
                       partial="staff/partials/routine_items.html" if action else None,
                       routine=routine,
                       stretches=stretches, items_url=editor_url(routine))


def editor_url(routine: Routine | None) -> str:
    if routine is None:
        return url_for("staff.new_routine")
    return url_for("staff.edit_routine", routine_id=routine.id)
