"""A photo or video instead of a stretch's animation, and back: each a save with a revision."""

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.exceptions import RequestEntityTooLarge

from kiosk.config import MB
from kiosk.db import get_session
from kiosk.languages import N_
from kiosk.media import MediaError, store_upload
from kiosk.models import Stretch
from kiosk.revisions import Conflict, save
from kiosk.staff import bp
from kiosk.staff.forms import sides_key
from kiosk.staff.stretches import editor_context, get_stretch_or_404, stretch_form
from kiosk.web.errors import render_error

CHANGED_MEANWHILE = N_("Someone saved this stretch after you opened it, so nothing was saved. "
                       "This is their version: upload again if you still want the change.")


@bp.post("/stretches/<int:stretch_id>/media")
def upload_stretch_media(stretch_id):
    stretch = get_stretch_or_404(stretch_id)
    upload = request.files.get("media")
    if upload is None or not upload.filename:
        return editor(stretch, gettext("Choose a photo or video to upload. Nothing was saved."),
                      422)
    return change_media(
        stretch,
        lambda session: store_upload(session, upload.filename, upload.stream).id,
        summary=f"Uploaded a photo or video for stretch {stretch.title}",
        done=gettext("%(title)s now shows your upload instead of the animation, on screens "
                     "from their next slide.", title=stretch.title),
    )


@bp.post("/stretches/<int:stretch_id>/animation")
def use_stretch_animation(stretch_id):
    stretch = get_stretch_or_404(stretch_id)
    return change_media(
        stretch,
        lambda session: None,
        summary=f"Went back to the animation for stretch {stretch.title}",
        done=gettext("%(title)s shows its animation again, on screens from their next slide.",
                     title=stretch.title),
    )


def change_media(stretch: Stretch, new_media_id, *, summary: str, done: str):
    """Point the stretch at `new_media_id(session)` as a save; refusals re-show the editor."""
    session = get_session()
    started_from = request.form.get("version", type=int)
    if started_from != stretch.version:  # before the work of checking an upload
        return editor(stretch, gettext(CHANGED_MEANWHILE), 409)
    try:
        media_id = new_media_id(session)
        changed = save(session, stretch, started_from, g.staff,
                       lambda: setattr(stretch, "media_id", media_id), summary)
    except MediaError as refusal:
        session.rollback()
        return editor(stretch, gettext("%(refusal)s Nothing was saved.", refusal=refusal), 422)
    except Conflict:
        session.rollback()  # the new media row goes too
        return editor(stretch, gettext(CHANGED_MEANWHILE), 409)
    flash(done if changed else gettext("That is what it shows already; nothing changed."))
    return redirect(url_for("staff.edit_stretch", stretch_id=stretch.id) + "#stretch-media",
                    code=303)


def editor(stretch: Stretch, media_error: str, status: int):
    """The stretch editor showing the stretch as saved, with why the media did not change."""
    form = stretch_form(stretch)
    # The upload form sent none of the editor's fields: fill them from the saved stretch.
    form.process(formdata=None, obj=stretch)
    form.sides.data, form.version.data = sides_key(stretch.sides), stretch.version
    page = render_template("staff/stretch_form.html", form=form, conflict=None,
                           media_error=media_error, **editor_context(stretch, form))
    return page, status


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(error):
    """Werkzeug refuses bodies over MAX_CONTENT_LENGTH before any view: say it in words."""
    if request.endpoint in {"staff.upload_stretch_media", "staff.new_notice",
                            "staff.edit_notice"}:
        config = current_app.config
        error = RequestEntityTooLarge(gettext(
            "That file is larger than %(most)s MB, more than this app accepts: photos can be up "
            "to %(image)s MB and videos up to %(video)s MB. Nothing was saved.",
            most=config["MAX_CONTENT_LENGTH"] // MB, image=config["MAX_IMAGE_MB"],
            video=config["MAX_VIDEO_MB"]))
    return render_error(error)
