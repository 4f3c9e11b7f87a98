"""What every console editor does the same way.

A save that meets someone else's (409, with what they changed), a form with something to fix
(422), the buttons that add, remove and move a row of a repeating list, and the redirect after
a save. Stretches, routines, screens, clinic settings and patient sheets all use these, so the
console answers alike wherever staff edit.
"""

from collections.abc import Callable

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext

from kiosk.db import get_session
from kiosk.revisions import Conflict, differences, latest_revision, save, snapshot
from kiosk.staff.forms import VersionedForm
from kiosk.web import htmx


def pressed(action: str) -> tuple[str, int]:
    """A form button's verb and the row it names ("remove:2"); the row is -1 if it names none."""
    verb, _, index = action.partition(":")
    return verb, int(index) if index.isdecimal() and len(index) <= 3 else -1


def move_row(rows: list, action: str, *, new: Callable | None = None, limit: int,
             keep: int = 0) -> None:
    """Apply a row button to `rows` in place: "add" appends new() while there are fewer than
    `limit` (unless new() has nothing to add), "remove:N" leaves at least `keep`, "up:N" and
    "down:N" swap with the neighbour. Anything else, or a row that is not there, does nothing."""
    verb, index = pressed(action)
    if verb == "add" and new is not None and len(rows) < limit:
        row = new()
        if row is not None:
            rows.append(row)
    elif verb == "remove" and 0 <= index < len(rows) and len(rows) > keep:
        del rows[index]
    elif verb == "up" and 0 < index < len(rows):
        rows[index - 1], rows[index] = rows[index], rows[index - 1]
    elif verb == "down" and 0 <= index < len(rows) - 1:
        rows[index + 1], rows[index] = rows[index], rows[index + 1]


def save_edit(form: VersionedForm, target, change: Callable[[], None],
              summary: str) -> dict | None:
    """Save `change` to `target` as of the version the form started from. If someone saved
    it meanwhile, nothing is saved: returns what they changed, and the form now starts from
    their version, so saving again (after a look) replaces their change on purpose."""
    try:
        save(get_session(), target, form.started_from(), g.staff, change, summary)
    except Conflict as clash:
        form.version.data = clash.entity.version
        return describe_conflict(clash)
    return None


def describe_conflict(clash: Conflict) -> dict:
    """What the other person changed, to show the editor before they decide."""
    session = get_session()
    session.refresh(clash.entity)
    latest = clash.latest or latest_revision(session, clash.entity)
    # No revision at all when the record is as seeded and the form's version was wrong.
    who = latest and latest.staff_id and session.get(type(g.staff), latest.staff_id)
    return {
        "who": who.username if who else gettext("someone"),
        "when": latest.created_at if latest else None,
        "changes": differences(latest.before, latest.after) if latest else [],
        "current": snapshot(clash.entity),
    }


def saved(message: str, endpoint: str, **values):
    """After a save: say so, and show the saved record (303, so a reload does not post again)."""
    flash(message)
    return redirect(url_for(endpoint, **values), code=303)


def editor_page(template: str, form, conflict: dict | None = None, partial: str | None = None,
                **context):
    """The editor again: 409 after a clash, 422 when something is marked to fix, else 200.
    After a row button (add, remove, move) pressed through htmx, pass `partial`: the
    repeating rows it swaps, alone."""
    status = 409 if conflict else (422 if form.errors else 200)
    context.update(form=form, conflict=conflict)
    if partial is None:
        return render_template(template, **context), status
    response = htmx.render(template, partial, **context)
    response.status_code = status
    return response
