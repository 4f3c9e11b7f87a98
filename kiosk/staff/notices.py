"""Notices: a clinic's own slide ("Closed Monday 26 January"), between two dates on its clock.

Staff of a clinic make their clinic's notices; the organisation's admin also makes one for
every clinic. Each save keeps a revision, as every console edit does. A notice's photo is an
upload checked and cleaned like a stretch's (kiosk/media/), and only a photo: a notice is read,
not watched.
"""

from datetime import date, datetime, timedelta
from types import SimpleNamespace

from flask import abort, flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import delete, select

from kiosk import audit
from kiosk.db import get_or_404, get_session
from kiosk.media import MediaError, store_upload
from kiosk.models import Clinic, ContentState, Notice, Revision
from kiosk.schedule import clinic_timezone
from kiosk.staff import bp, may_edit
from kiosk.staff.access import clinics_for, their_notices
from kiosk.staff.editing import editor_page, save_edit, saved
from kiosk.staff.forms import NoticeForm, _l
from kiosk.web.headers import content_security_policy

# A new notice's owner when it is the organisation's: every clinic's screens show it.
EVERY_CLINIC = SimpleNamespace(slug="every-clinic", name=_l("Every clinic"), id=None)
FIRST_WEEK = 7  # a new notice runs for a week from today, unless staff say otherwise


def get_notice_or_404(notice_id: int) -> Notice:
    return get_or_404(Notice, notice_id, gettext("There is no such notice."))


def clinic_today(clinic: Clinic | None) -> date:
    """Today on `clinic`'s clock (every clinic's notice: the install's first clinic's)."""
    return datetime.now(clinic_timezone(clinic)).date()


def when(notice: Notice) -> str:
    """Whether the notice shows today, is still to come, or has ended, on its clinic's clock."""
    today = clinic_today(notice.clinic)
    if notice.shows_until < today:
        return "ended"
    return "coming" if notice.shows_from > today else "showing"


@bp.get("/notices")
def notices():
    listed = get_session().scalars(their_notices(
        select(Notice).order_by(Notice.shows_from.desc(), Notice.id.desc()))).all()
    grouped = {"showing": [], "coming": [], "ended": []}
    for notice in listed:
        grouped[when(notice)].append(notice)
    return render_template("staff/notices.html", grouped=grouped,
                           several=Clinic.several(get_session()))


def owners(account) -> list:
    """Whose a new notice may be: on a group's install, every clinic's (the organisation's
    admin only) or one of the clinics the account works at; else the one clinic's."""
    clinics = clinics_for(account)
    if Clinic.several(get_session()) and may_edit(account, "notice", None):
        return [EVERY_CLINIC, *clinics]
    return clinics


@bp.route("/notices/new", methods=["GET", "POST"])
def new_notice():
    return edit_or_create(None)


@bp.route("/notices/<int:notice_id>", methods=["GET", "POST"])
def edit_notice(notice_id):
    return edit_or_create(get_notice_or_404(notice_id))


def notice_form(notice: Notice | None, offered: list) -> NoticeForm:
    if request.method == "POST":
        form = NoticeForm()
    elif notice:
        form = NoticeForm(obj=notice, version=notice.version)
    else:
        today = clinic_today(offered[0] if len(offered) == 1 else None)
        form = NoticeForm(version=0, shows_from=today,
                          shows_until=today + timedelta(days=FIRST_WEEK))
    form.offer_clinics(offered)
    if "clinic" in form:
        form.clinic.label.text = gettext("Shown by")
    return form


def edit_or_create(notice: Notice | None):
    offered = [notice.clinic or EVERY_CLINIC] if notice else owners(g.staff)
    if not offered:
        abort(403, description=gettext("Your account works at no clinic, so it has no notices "
                                       "to make."))
    form = notice_form(notice, offered)
    conflict = None
    if form.validate_on_submit():
        owner = form.picked_clinic()
        problem = date_problem(form, notice, owner)
        if problem:
            form.shows_until.errors.append(problem)
        else:
            try:
                photo_id = uploaded_photo(notice)
            except MediaError as refusal:
                get_session().rollback()
                form.form_errors.append(gettext("%(refusal)s Nothing was saved.",
                                                refusal=refusal))
                return editor_page("staff/notice_form.html", form, notice=notice)
            target = notice or Notice(clinic_id=owner.id)

            def change():
                target.title, target.body = form.title.data, form.body.data
                target.shows_from, target.shows_until = form.shows_from.data, form.shows_until.data
                target.photo_text = form.photo_text.data
                if photo_id is not None:
                    target.media_id = photo_id
                elif form.remove_photo.data:
                    target.media_id = None

            conflict = save_edit(form, target, change, f"Saved notice {form.title.data}")
            if conflict:
                get_session().rollback()  # an uploaded photo goes too
            else:
                return saved(gettext("Saved %(title)s. Screens show it between its dates, from "
                                     "their next slide.", title=target.title),
                             "staff.edit_notice", notice_id=target.id)
    return editor_page("staff/notice_form.html", form, conflict, notice=notice)


def date_problem(form: NoticeForm, notice: Notice | None, owner) -> str | None:
    """A notice whose last day has passed on its clinic's clock would never show: refused,
    unless its dates are as they were (the words of an ended notice may still be mended)."""
    last = form.shows_until.data
    if notice and (notice.shows_from, notice.shows_until) == (form.shows_from.data, last):
        return None
    today = clinic_today(owner if owner is not EVERY_CLINIC else None)
    if last < today:
        day = last.strftime("%A %-d %B %Y")
        return gettext("The last day, %(day)s, has passed on the clinic's clock, so the notice "
                       "would never show. Give a day from today on.", day=day)
    return None


def uploaded_photo(notice: Notice | None) -> int | None:
    """The id of the photo sent with the form, checked and cleaned, or None when none was sent.
    Raises MediaError for a file that cannot be used, and for a video."""
    upload = request.files.get("photo")
    if upload is None or not upload.filename:
        return None
    media = store_upload(get_session(), upload.filename, upload.stream)
    if media.kind != "image":
        raise MediaError(gettext("A notice shows a photo (JPEG, PNG or WebP), not a video: a "
                                 "waiting room reads it at a glance."))
    get_session().flush()
    return media.id


@bp.get("/notices/<int:notice_id>/preview")
def notice_preview(notice_id):
    """The notice as a screen of its clinic shows it, whatever its dates (the console's
    editor shows it in a frame)."""
    notice = get_notice_or_404(notice_id)
    clinic = notice.clinic or Clinic.first(get_session())
    slide = SimpleNamespace(notice=notice, kind="notice", key=f"notice/{notice.id}",
                            label=gettext("Notice: %(title)s", title=notice.title),
                            template="display/partials/slides/notice.html")
    response = make_response(render_template(
        "staff/notice_preview.html", slide=slide, content=SimpleNamespace(clinic=clinic),
        notice=notice))
    # The console's own pages are framed by nobody; this one by the console's editor.
    response.headers["Content-Security-Policy"] = content_security_policy(framed_by_self=True)
    return response


@bp.post("/notices/<int:notice_id>/delete")
def delete_notice(notice_id):
    """Take a notice down for good, with its history; the audit log keeps who did."""
    notice = get_notice_or_404(notice_id)
    session = get_session()
    title = notice.title
    session.execute(delete(Revision).where(Revision.entity == "notice",
                                           Revision.entity_id == notice.id))
    session.delete(notice)
    ContentState.bump(session)
    audit.record(session, "notice_deleted", target=f"notice {notice_id}", detail=title)
    session.commit()
    flash(gettext("Deleted the notice %(title)s. Screens stop showing it from their next slide.",
                  title=title))
    return redirect(url_for("staff.notices"), code=303)
