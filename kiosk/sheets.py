"""Take-home sheets: the routine's sheet at /s/<slug>, a patient's at /p/<token>; page, PDF, QR."""

import hashlib
import json
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, make_response, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import select

from kiosk import figures, languages, qr
from kiosk.contact import tel_href
from kiosk.db import get_session
from kiosk.languages import N_
from kiosk.models import Clinic, Passage, Routine, SafetyNote, Tip, WarningSign
from kiosk.patient_sheets import EXPIRED, LIVE, REVOKED, find_sheet, sheet_status
from kiosk.pdf import Busy, render_pdf
from kiosk.plurals import plural
from kiosk.public import base_url, configured_base_url, is_this_machine
from kiosk.stretches import StretchAsShown, patient_stretches, routine_stretches
from kiosk.usage import count_completed, count_open, is_a_person_opening
from kiosk.web.assets import asset_url, service_worker_script
from kiosk.web.errors import render_error
from kiosk.web.headers import cache_for_a_year
from kiosk.web.security import csrf, from_this_site

bp = Blueprint("sheets", __name__)
NO_SHEET = N_("There is no stretch sheet at this address.")


def get_routine_or_404(slug: str, clinic_slug: str | None = None) -> tuple[Routine, Clinic]:
    """The routine at /s/<slug> or /c/<clinic>/s/<slug>, and the clinic whose contact details
    its sheet gives: the one in the address, else the routine's own, else the first."""
    session = get_session()
    routine = session.scalar(select(Routine).filter_by(slug=slug))
    clinic = (session.scalar(select(Clinic).filter_by(slug=clinic_slug)) if clinic_slug
              else routine and routine_clinic(routine))
    if routine is None or clinic is None or routine.clinic_id not in (None, clinic.id):
        abort(404, description=NO_SHEET)
    return routine, clinic


def routine_address(routine: Routine, clinic: Clinic) -> dict:
    """url_for's values for the routine's sheet as `clinic` gives it."""
    return {"slug": routine.slug, "clinic": clinic.in_sheet_addresses(get_session())}


# What a patient reads at a sheet's address once it no longer opens: why, and whom to call.
WITHDRAWN = {
    REVOKED: ("This sheet has been withdrawn",
              "Your clinic has withdrawn this stretch sheet, so it no longer opens. "
              "Please call the clinic: they will tell you which stretches to do now."),
    EXPIRED: ("This sheet has expired",
              "This stretch sheet was made to open for a set time, and that time is over. "
              "Please call the clinic for a new one."),
}


def get_patient_sheet_or_404(token: str):
    """The live sheet; a 410 saying why for one revoked or expired; a 404 for no such sheet."""
    sheet = find_sheet(get_session(), token)
    if sheet is None:
        abort(404, description=NO_SHEET)
    status = sheet_status(sheet)
    if status != LIVE:
        abort(withdrawn_response(*WITHDRAWN[status], clinic=sheet.clinic))
    return sheet


def routine_clinic(routine: Routine) -> Clinic:
    """Whose contact details a routine's sheet gives: its clinic's, for a clinic's own routine;
    for the library's, the install's first clinic."""
    return routine.clinic or Clinic.first(get_session())


def withdrawn_response(title: str, message: str, clinic: Clinic):
    """410 Gone, so a phone's service worker drops its copy; the clinic's phone to call."""
    tel = tel_href(clinic.phone, current_app.config["PHONE_COUNTRY_CODE"])
    page = render_template("sheets/withdrawn.html", title=title, message=message, clinic=clinic,
                           tel=tel)
    return make_response(page, 410)


def keeps_a_copy() -> bool:
    """Whether this page can keep a copy that opens without signal, and sit on the home screen:
    only a secure page can (https, or this machine itself), for browsers register service
    workers only there. Plain http is supported on the clinic's own network only
    (docs/deployment.md), so there the sheet offers the PDF to take home instead."""
    return request.is_secure or is_this_machine(urlsplit(request.url_root).hostname or "")


def sheet_context(title: str, stretches: list[StretchAsShown], path: str, clinic: Clinic,
                  **extra) -> dict:
    """Everything a sheet shows besides its stretches: advice, warnings, the contact details of
    `clinic`, its QR."""
    session = get_session()
    url = base_url(clinic) + path
    # The clinic's words in the page's language where it has checked them, else its own.
    local = languages.localiser()
    return {
        "title": title,
        "description": describe(title, stretches, clinic),
        "stretches": [local.stretch(stretch) for stretch in stretches],
        "clinic": local.clinic(clinic),
        "tel": tel_href(clinic.phone, current_app.config["PHONE_COUNTRY_CODE"]),
        "tips": local.lines("tip", _lines(session, Tip)),
        "safety_notes": local.lines("safety_note", _lines(session, SafetyNote)),
        "warning_signs": local.lines("warning_sign", _lines(session, WarningSign)),
        "passages": local.passages({p.key: p for p in session.scalars(select(Passage))}),
        "sheet_url": url,
        "short_url": url.split("://", 1)[-1],
        "qr_svg": qr.svg(url, gettext("QR code for %(address)s", address=url)),
        "demonstration": figures.render,
        "demonstration_poses": figures.render_poses,
        "keeps_a_copy": keeps_a_copy(),
        # The service worker answers for this kind of sheet only: the address up to its name.
        "worker_scope": path.rsplit("/", 1)[0] + "/",
        **extra,
    }


def describe(title: str, stretches: list[StretchAsShown], clinic: Clinic) -> str:
    """What a search result or a shared link says of the sheet (never a patient's note)."""
    count = plural("%(num)s stretch", "%(num)s stretches", len(stretches))
    return gettext("%(title)s from %(clinic)s: %(count)s, each with a drawing, numbered steps, how "
                   "long to hold and a follow-along timer; the warning signs to watch for, and "
                   "whom to call.", title=title, clinic=clinic.name, count=count)


def _lines(session, model):
    return session.scalars(select(model.text).order_by(model.position)).all()


def routine_context(routine: Routine, clinic: Clinic) -> dict:
    address = routine_address(routine, clinic)
    return sheet_context(
        languages.localiser().text("routine.title", routine.slug, 0, routine.title),
        routine_stretches(routine),
        url_for("sheets.routine_sheet", **address),
        clinic,
        pdf_url=url_for("sheets.routine_pdf", **address),
        done_url=url_for("sheets.routine_done", **address),
        manifest_url=url_for("sheets.routine_manifest", **address),
    )


def patient_context(sheet) -> dict:
    return sheet_context(
        gettext("Your stretches"),
        patient_stretches(sheet),
        url_for("sheets.patient_sheet", token=sheet.token),
        sheet.clinic,
        note=sheet.note,
        private=True,
        pdf_url=url_for("sheets.patient_pdf", token=sheet.token),
        done_url=url_for("sheets.patient_done", token=sheet.token),
        manifest_url=url_for("sheets.patient_manifest", token=sheet.token),
    )


@bp.get("/s/<slug>", defaults={"clinic": None})
@bp.get("/c/<clinic>/s/<slug>")
def routine_sheet(slug, clinic):
    routine, clinic = get_routine_or_404(slug, clinic)
    if is_a_person_opening():
        count_open("routine", routine.id, clinic.id)
    return render_template("sheets/sheet.html", **routine_context(routine, clinic))


@bp.get("/p/<token>")
def patient_sheet(token):
    sheet = get_patient_sheet_or_404(token)
    if is_a_person_opening():
        count_open("patient", sheet.id, sheet.clinic_id)
    return render_template("sheets/sheet.html", **patient_context(sheet))


@bp.post("/s/<slug>/done", defaults={"clinic": None})
@bp.post("/c/<clinic>/s/<slug>/done")
@csrf.exempt  # no cookie and no form token: from_this_site() stands in for them
def routine_done(slug, clinic):
    """One session completed with the routine's sheet today, as a phone tells it."""
    routine, clinic = get_routine_or_404(slug, clinic)
    return _completed("routine", routine.id, clinic.id)


@bp.post("/p/<token>/done")
@csrf.exempt
def patient_done(token):
    sheet = get_patient_sheet_or_404(token)
    return _completed("patient", sheet.id, sheet.clinic_id)


NOT_FROM_THE_SHEET = N_("A completed session is counted only when the sheet's own page says so.")


def _completed(kind: str, sheet_id: int, clinic_id: int):
    # A count is worth having only if it is true: a post that cannot show it came from here
    # (an old browser's, with no Origin) is refused, and the phone does not try again that day.
    if not from_this_site(when_unknown=False):
        abort(403, description=NOT_FROM_THE_SHEET)
    count_completed(kind, sheet_id, clinic_id)
    return "", 204


@bp.after_request
def keep_patient_sheets_private(response):
    """Whatever answers at a patient sheet's address (page, PDF with the note, QR, manifest,
    gone or not found) holds or names its token: no cache keeps it, no referrer carries it
    off, no search engine lists it. The phone's service worker keeps its own copy for offline
    use, which no-store does not stop; routine sheets (/s/) keep their caching."""
    if "token" in (request.view_args or {}):
        response.headers["Cache-Control"] = "private, no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/s/<slug>.pdf", defaults={"clinic": None})
@bp.get("/c/<clinic>/s/<slug>.pdf")
def routine_pdf(slug, clinic):
    return pdf_response(routine_context(*get_routine_or_404(slug, clinic)), slug)


@bp.get("/p/<token>.pdf")
def patient_pdf(token):
    return pdf_response(patient_context(get_patient_sheet_or_404(token)), "my-stretches")


def pdf_response(context: dict, name: str):
    html = render_template("sheets/sheet.html", pdf=True, **context)
    # The PDF links the demonstrations' stylesheet as the page does; its drawings stand still,
    # so it gets the rules without the keyframes (0.2-0.4 s less per PDF here).
    made = {url_for("figures.stylesheet_css"): figures.still_stylesheet()}
    try:
        pdf = render_pdf(html, request.url_root, made)
    except Busy as busy:
        page, status = render_error(busy)
        return page, status, {"Retry-After": str(busy.retry_after_seconds),
                              "Cache-Control": "no-store"}
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@bp.get("/s/<slug>/qr.svg", defaults={"clinic": None})
@bp.get("/c/<clinic>/s/<slug>/qr.svg")
def routine_qr(slug, clinic):
    routine, clinic = get_routine_or_404(slug, clinic)
    return qr_response(base_url(clinic) + url_for("sheets.routine_sheet",
                                                  **routine_address(routine, clinic)), clinic)


@bp.get("/p/<token>/qr.svg")
def patient_qr(token):
    sheet = get_patient_sheet_or_404(token)
    return qr_response(base_url(sheet.clinic) + url_for("sheets.patient_sheet",
                                                        token=sheet.token), sheet.clinic)


def qr_fingerprint(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()[:12]


def qr_response(url: str, clinic: Clinic):
    """The QR as SVG; immutable when asked for by its fingerprint, else revalidated by ETag.

    With no public address configured, the code holds the address this request came to: only
    the browser that asked keeps it (private). A shared cache might key it on another name than
    the app saw (a proxy's own Host against X-Forwarded-Host), which Vary: Host cannot cover.
    """
    response = make_response(str(qr.svg(url, f"QR code for {url}")))
    response.mimetype = "image/svg+xml"
    response.set_etag(qr_fingerprint(url))
    if request.args.get("v") == qr_fingerprint(url):
        cache_for_a_year(response, shared=False)  # shared or not: below
    else:
        response.cache_control.max_age = 300
    if configured_base_url(clinic):
        response.cache_control.public = True
    else:
        response.cache_control.private = True
    return response.make_conditional(request)


@bp.get("/s/<slug>/manifest.webmanifest", defaults={"clinic": None})
@bp.get("/c/<clinic>/s/<slug>/manifest.webmanifest")
def routine_manifest(slug, clinic):
    routine, clinic = get_routine_or_404(slug, clinic)
    title = languages.localiser().text("routine.title", routine.slug, 0, routine.title)
    return manifest(title, url_for("sheets.routine_sheet", **routine_address(routine, clinic)),
                    clinic)


@bp.get("/p/<token>/manifest.webmanifest")
def patient_manifest(token):
    sheet = get_patient_sheet_or_404(token)
    return manifest(gettext("My stretches"), url_for("sheets.patient_sheet", token=sheet.token),
                    sheet.clinic)


def manifest(title: str, start_url: str, clinic: Clinic):
    """A web app manifest, so the sheet can sit on the phone's home screen, named in the
    language the phone chose (its icon opens the sheet in it: kiosk/languages.py's cookie)."""
    language = languages.current()
    body = {
        "name": f"{title} – {clinic.name}",
        "short_name": gettext("Stretches"),
        "lang": language.tag,
        "dir": language.direction,
        "start_url": start_url,
        "scope": start_url,
        "display": "standalone",
        "background_color": "#fbfaf7",
        "theme_color": "#0b6b63",
        "icons": [
            {"src": asset_url("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    response = current_app.response_class(json.dumps(body), mimetype="application/manifest+json")
    response.cache_control.no_cache = True
    return response


@bp.get("/sheet-sw.js")
def service_worker():
    """The sheets' service worker; each sheet registers it for its own kind's scope (routine or
    patient sheets). It is told what a sheet's PDF and manifest add to the sheet's address, the
    same for both kinds."""
    sheet = url_for("sheets.routine_sheet", slug="sheet")
    return service_worker_script("js/sheet-sw.js", {
        "pdf": url_for("sheets.routine_pdf", slug="sheet").removeprefix(sheet),
        "manifest": url_for("sheets.routine_manifest", slug="sheet").removeprefix(sheet),
    }, allowed_scope="/")
