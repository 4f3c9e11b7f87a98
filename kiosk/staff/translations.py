"""Languages: the clinic's bilingual staff check each translation against its English, side by
side, piece by piece or every draft at once; the organisation's admin then offers the language
to patients, which kiosk/localised.py allows only once every safety piece is checked.

Staff who edit the library check the library's pieces (stretches, passages, the shared lists);
a clinic's hours and address are its admins' to check. A check is of the English the reviewer
read: if the English changed meanwhile, nothing is saved and the row shows the new English.
"""

import re

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from sqlalchemy import select

from kiosk import audit
from kiosk.db import get_session
from kiosk.languages import LANGUAGES, SOURCE
from kiosk.localised import (
    NotReady,
    Piece,
    approve,
    fingerprint,
    pieces,
    standing,
    state_of,
    withdraw,
)
from kiosk.models import Clinic, ContentState, Translation
from kiosk.staff import bp, require_may_edit
from kiosk.staff.access import may_edit, seen_clinics
from kiosk.staff.forms import _l
from kiosk.web import htmx

# Where each kind of piece is listed on a language's page, in the order a reviewer meets them:
# what keeps patients safe first.
SECTIONS = (
    (_l("Warning signs"), ("warning_sign",)),
    (_l("Safety notes"), ("safety_note",)),
    (_l("Stretches"), ("stretch.title", "stretch.region", "stretch.step", "stretch.cautions")),
    (_l("Good stretching"), ("tip",)),
    (_l("The article"), ("passage.title", "passage.body")),
    (_l("Routines"), ("routine.title",)),
    (_l("Clinic details"), ("clinic.hours", "clinic.address")),
)
SHOWN = {"to-check": _l("Still to check"), "safety": _l("Safety pieces"),
         "all": _l("Every piece")}
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
NUMBER = re.compile(r"\d+")
LONGEST = 20_000


def language_or_404(code: str):
    language = LANGUAGES.get(code)
    if language is None or language is SOURCE:
        abort(404, description=gettext("There is no such language."))
    return language


def may_check(piece: Piece, clinics: dict[str, Clinic]) -> bool:
    """Whether the signed-in account may check `piece`: a clinic's details are its admins';
    the rest is the library's."""
    if piece.kind.startswith("clinic."):
        clinic = clinics.get(piece.ref)
        return clinic is not None and may_edit(g.staff, "clinic", clinic.id)
    return may_edit(g.staff, "translation", None)


def their_pieces(session) -> list[Piece]:
    """The pieces this account sees: the library's, and the details of the clinics it works at."""
    seen = seen_clinics(g.staff)
    slugs = {clinic.slug for clinic in session.scalars(select(Clinic))
             if seen is None or clinic.id in seen}
    return [piece for piece in pieces(session)
            if not piece.kind.startswith("clinic.") or piece.ref in slugs]


def row_id(piece: Piece) -> str:
    return "piece-" + re.sub(r"[^a-z0-9-]", "-", f"{piece.kind}-{piece.ref}-{piece.position}")


@bp.get("/languages")
def languages_page():
    require_may_edit("translation")
    session = get_session()
    seen = [(language, standing(session, code)) for code, language in LANGUAGES.items()
            if language is not SOURCE]
    return render_template("staff/languages.html", languages=seen,
                           may_approve=may_edit(g.staff, "language", None))


@bp.get("/languages/<code>")
def language_page(code):
    require_may_edit("translation")
    return page_of(language_or_404(code))


def page_of(language, refused=None, status: int = 200):
    """A language's page; `refused`, a row whose save was refused, in its place with what the
    reviewer typed and why (a plain form's answer: nothing they typed is lost)."""
    code = language.code
    show = request.args.get("show", "to-check")
    show = show if show in SHOWN else "to-check"
    session = get_session()
    rows = translation_rows(session, language, their_pieces(session))
    if refused is not None:
        rows = [refused if row.id == refused.id else row for row in rows]
    total = len(rows)
    # A refused row stays in view whatever the filter, with its message (a checked one that
    # was edited, say, would otherwise vanish from "still to check" and its reason with it).
    if show == "to-check":
        rows = [row for row in rows if row.state != "checked" or row is refused]
    elif show == "safety":
        rows = [row for row in rows if row.piece.safety or row is refused]
    sections = [(title, [row for row in rows if row.piece.kind in kinds])
                for title, kinds in SECTIONS]
    page = render_template(
        "staff/language.html", reviewed=language, seen=standing(session, code), show=show,
        shown=SHOWN, sections=[(title, found) for title, found in sections if found],
        total=total, drafts=sum(1 for row in rows if row.state == "draft" and row.may_check),
        may_approve=may_edit(g.staff, "language", None))
    return page, status


STATES = {"checked": _l("Checked"), "draft": _l("Draft, not yet checked"),
          "out of date": _l("Out of date"), "missing": _l("Not translated")}
NAMES = {"stretch.title": _l("title"), "stretch.region": _l("body region"),
         "stretch.cautions": _l("cautions"), "routine.title": _l("Routine"), "tip": _l("Rule"),
         "safety_note": _l("Safety note"), "warning_sign": _l("Warning sign"),
         "passage.title": _l("title"), "passage.body": _l("text"), "clinic.hours": _l("hours"),
         "clinic.address": _l("address")}


def label(piece: Piece, titles: dict[str, str]) -> str:
    """What a reviewer reads above a piece: "Hip Twists, step 2", "Warning sign 3"."""
    name = str(NAMES.get(piece.kind, piece.kind))
    title = titles.get(piece.ref, piece.ref)
    if piece.kind == "stretch.step":
        return gettext("%(title)s, step %(step)s", title=title, step=piece.position)
    if piece.kind.startswith(("stretch.", "clinic.")):
        return f"{title}, {name}"
    if piece.kind.startswith("passage."):
        return gettext("Article, “%(title)s”, %(name)s", title=title, name=name)
    return f"{name} {piece.position}" if piece.position else name


class Row:
    """One piece on a language's page: its English, its translation and the state of it."""

    def __init__(self, piece, translation, may_check, language, titles, typed=None,
                 problem=""):
        self.piece, self.translation, self.may_check = piece, translation, may_check
        self.language, self.problem = language, problem
        self.message = ""  # what a plain form's refused save says beside it
        self.state = state_of(translation, piece)
        self.state_label = STATES[self.state]
        self.id = row_id(piece)
        self.label = label(piece, titles)
        self.seen = fingerprint(piece.text)
        self.text = typed if typed is not None else (translation.text if translation else "")


def titles_of(session, found: list[Piece]) -> dict[str, str]:
    """The English names reviewers know stretches, passages and clinics by."""
    titles = {piece.ref: piece.text for piece in found
              if piece.kind in ("stretch.title", "passage.title")}
    titles.update((clinic.slug, clinic.name) for clinic in session.scalars(select(Clinic)))
    return titles


def translation_rows(session, language, found: list[Piece]) -> list[Row]:
    kept = {(t.kind, t.ref, t.position): t for t in session.scalars(
        select(Translation).filter_by(language=language.code))}
    clinics = {clinic.slug: clinic for clinic in session.scalars(select(Clinic))}
    titles = titles_of(session, found)
    return [Row(piece, kept.get(piece.key), may_check(piece, clinics), language, titles)
            for piece in found]


@bp.post("/languages/<code>/pieces")
def save_translation(code):
    """Save one piece's translation as a draft, or save it checked."""
    require_may_edit("translation")
    language = language_or_404(code)
    session = get_session()
    form = request.form
    position = form.get("position", "")
    key = (form.get("kind", ""), form.get("ref", ""),
           int(position) if position.isdecimal() and len(position) < 6 else -1)
    found = their_pieces(session)
    piece = next((p for p in found if p.key == key), None)
    if piece is None:
        abort(404, description=gettext("That piece is no longer in the clinic's content."))
    clinics = {clinic.slug: clinic for clinic in session.scalars(select(Clinic))}
    if not may_check(piece, clinics):
        abort(403, description=gettext("Your account cannot change this."))
    translation = session.scalar(select(Translation).filter_by(
        language=language.code, kind=piece.kind, ref=piece.ref, position=piece.position))
    typed = form.get("text", "").replace("\r\n", "\n").strip()
    checking = form.get("action") == "check"
    problem = problem_with(typed, piece, form.get("seen", ""))
    if problem:
        row = Row(piece, translation, True, language, titles_of(session, found), typed=typed,
                  problem=problem)
        return answer(row, problem, refused=True)
    if translation is None:
        translation = Translation(language=language.code, kind=piece.kind, ref=piece.ref,
                                  position=piece.position)
        session.add(translation)
    translation.text = typed
    translation.source_sha256 = fingerprint(piece.text)
    translation.status = "checked" if checking else "draft"
    translation.checked_by = g.staff.username if checking else ""
    ContentState.bump(session)
    session.commit()
    said = (gettext("Checked: patients reading %(language)s see this.",
                    language=language.english) if checking
            else gettext("Saved as a draft: patients reading %(language)s see the English until "
                         "it is checked.", language=language.english))
    return answer(Row(piece, translation, True, language, titles_of(session, found)), said)


def problem_with(typed: str, piece: Piece, seen: str) -> str:
    """What keeps `typed` from being saved as the translation of `piece`, or ""."""
    if seen != fingerprint(piece.text):
        return gettext("The English of this piece changed while you were reading it. Nothing "
                       "was saved: read the new English above, then save again.")
    if not typed:
        return gettext("Write the translation before saving it.")
    if CONTROL.search(typed):
        return gettext("The translation has characters that are not text (pasted from "
                       "elsewhere?).")
    if len(typed) > min(LONGEST, 10 * len(piece.text) + 200):
        return gettext("The translation is far longer than its English: check that it is this "
                       "piece.")
    if sorted(NUMBER.findall(typed)) != sorted(NUMBER.findall(piece.text)):
        numbers = ", ".join(NUMBER.findall(piece.text)) or gettext("no numbers")
        return gettext("The English has %(numbers)s; the translation must have the same "
                       "numbers, in figures, so no hold or count changes in translation.",
                       numbers=numbers)
    return ""


def answer(row: Row, message: str, refused: bool = False):
    """The row again for htmx, saying what happened (a refusal too: the row is the answer, as
    the other console editors swap theirs in). For a plain form: a refusal is the page again,
    the row with what was typed and why (422); a save goes back to the page at the row."""
    if request.htmx:
        return htmx.render("staff/language.html", "staff/partials/translation_row.html",
                           row=row, message=message)
    if refused:
        row.message = message
        return page_of(row.language, refused=row, status=422)
    flash(message)
    return redirect(url_for("staff.language_page", code=row.language.code,
                            show=request.args.get("show", "to-check")) + f"#{row.id}")


@bp.post("/languages/<code>/check-all")
def check_every_draft(code):
    """Mark every draft of today's English checked, once the reviewer says they read them."""
    require_may_edit("translation")
    language = language_or_404(code)
    back = redirect(url_for("staff.language_page", code=code))
    if request.form.get("read") != "yes":
        flash(gettext("Nothing was checked: tick that you have read every draft against its "
                      "English."), "error")
        return back
    session = get_session()
    rows = [row for row in translation_rows(session, language, their_pieces(session))
            if row.state == "draft" and row.may_check]
    for row in rows:
        row.translation.status, row.translation.checked_by = "checked", g.staff.username
    if rows:
        audit.record(session, "translations_checked", target=language.english,
                     detail=f"{len(rows)} drafts checked at once")
        ContentState.bump(session)
        session.commit()
    flash(ngettext("Checked %(num)s draft in %(language)s.",
                   "Checked %(num)s drafts in %(language)s.", len(rows),
                   language=language.english) if rows
          else gettext("There were no drafts to check in %(language)s.",
                       language=language.english))
    return back


@bp.post("/languages/<code>/approve")
def approve_language(code):
    require_may_edit("language", None)
    language = language_or_404(code)
    session = get_session()
    if request.form.get("action") == "withdraw":
        if withdraw(session, code):
            audit.record(session, "language_withdrawn", target=language.english)
            session.commit()
        flash(gettext("%(language)s is no longer offered to patients: they read English.",
                      language=language.english))
        return redirect(url_for("staff.languages_page"))
    try:
        approve(session, code, g.staff.username)
    except NotReady as refusal:
        session.rollback()
        first = refusal.gaps[0]
        flash(ngettext("%(language)s cannot be offered yet: %(num)s safety piece is not "
                       "translated and checked, first %(first)s",
                       "%(language)s cannot be offered yet: %(num)s safety pieces are not "
                       "translated and checked, first %(first)s", len(refusal.gaps),
                       language=language.english, first=first.describe()), "error")
        return redirect(url_for("staff.language_page", code=code, show="safety")
                        + f"#{row_id(first)}")
    audit.record(session, "language_approved", target=language.english)
    session.commit()
    flash(gettext("%(language)s is offered to patients: screens, sheets and PDFs show it.",
                  language=language.english))
    return redirect(url_for("staff.languages_page"))

