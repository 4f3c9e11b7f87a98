"""The clinic's content in other languages (issue 16, item 2): what there is to translate, how
far each language has come, and whether the clinic may offer it to patients.

Every piece of content a patient reads is named by its kind, a reference and a position: a
stretch's title and each of its steps (by the stretch's slug), the good-stretching rules, the
safety notes and the warning signs (by position), the article's passages (by key), a clinic's
hours and address (by its slug). A translation keeps the fingerprint of the source it
translates, so an edited source makes it out of date at once, with nothing to mark: patients
then read the source until the translation is checked again. Numbers (holds, repetitions) are
never in a piece: a changed hold shows at once in every language.

A language is offered to patients (kiosk/languages.py) once the clinic has approved it, which
it may only do when every safety piece is translated, checked and up to date: each warning
sign, each safety note, and each step and caution of every stretch in a routine.
"""

import hashlib
import time
from collections import Counter
from dataclasses import dataclass, replace
from types import SimpleNamespace

import click
from flask import current_app
from flask.cli import with_appcontext
from markupsafe import Markup
from sqlalchemy import delete, select
from sqlalchemy.exc import SQLAlchemyError

from kiosk.db import get_session, needs_current_schema
from kiosk.models import (
    Clinic,
    ContentState,
    LanguageApproval,
    Passage,
    Routine,
    RoutineItem,
    SafetyNote,
    Stretch,
    Tip,
    Translation,
    WarningSign,
)

# How long a worker trusts the approved languages it read (approve() forgets them at once in its
# own process): the screen's slides ask on every request, and approvals change once a season.
APPROVALS_KEPT_SECONDS = 10


@dataclass(frozen=True)
class Piece:
    kind: str
    ref: str
    position: int
    text: str
    safety: bool = False

    @property
    def key(self) -> tuple[str, str, int]:
        return self.kind, self.ref, self.position

    def describe(self) -> str:
        """The piece in a few words, for an installer's terminal and the console."""
        where = f" {self.ref}" if self.ref else ""
        number = f" {self.position}" if self.position else ""
        excerpt = self.text if len(self.text) <= 60 else self.text[:57] + "..."
        kind = self.kind.replace("_", " ").replace(".", " ")
        return f"{kind}{where}{number}: {excerpt}"


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def pieces(session) -> list[Piece]:
    """Every piece of content patients read, in the order a sheet shows them."""
    in_routines = set(session.scalars(select(Stretch.slug).join(
        RoutineItem, RoutineItem.stretch_id == Stretch.id)))
    found = []
    stretches = session.scalars(select(Stretch).where(Stretch.retired.is_(False))
                                .order_by(Stretch.neck_order, Stretch.slug))
    for stretch in stretches:
        shown = stretch.slug in in_routines
        found.append(Piece("stretch.title", stretch.slug, 0, stretch.title))
        if stretch.body_region:
            found.append(Piece("stretch.region", stretch.slug, 0, stretch.body_region))
        found += [Piece("stretch.step", stretch.slug, n, step, safety=shown)
                  for n, step in enumerate(stretch.steps, start=1)]
        if stretch.cautions:
            found.append(Piece("stretch.cautions", stretch.slug, 0, stretch.cautions,
                               safety=shown))
    for routine in session.scalars(select(Routine).order_by(Routine.slug)):
        found.append(Piece("routine.title", routine.slug, 0, routine.title))
    for model, kind, safety in ((Tip, "tip", False), (SafetyNote, "safety_note", True),
                                (WarningSign, "warning_sign", True)):
        found += [Piece(kind, "", n, text, safety=safety) for n, text in enumerate(
            session.scalars(select(model.text).order_by(model.position)), start=1)]
    for passage in session.scalars(select(Passage).order_by(Passage.key)):
        found.append(Piece("passage.title", passage.key, 0, passage.title))
        found.append(Piece("passage.body", passage.key, 0, passage.body,
                           safety=passage.key == "warning-signs"))
    for clinic in session.scalars(select(Clinic).order_by(Clinic.id)):
        found += [Piece(f"clinic.{name}", clinic.slug, 0, text)
                  for name, text in (("hours", clinic.hours), ("address", clinic.address))
                  if text]
    return found


def state_of(translation: Translation | None, piece: Piece) -> str:
    """missing, out of date, draft or checked."""
    if translation is None:
        return "missing"
    if translation.source_sha256 != fingerprint(piece.text):
        return "out of date"
    return translation.status


# What a list of safety pieces still to check shows first: the signs to see a doctor.
FIRST_TO_CHECK = {"warning_sign": 0, "passage.body": 1, "safety_note": 2}


@dataclass
class Standing:
    """How far a language has come: a count of its pieces in each state, and the safety
    pieces that keep it from being approved."""

    language: str
    counts: Counter
    safety_gaps: list[Piece]
    approved: bool

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def standing(session, language: str) -> Standing:
    translations = {(t.kind, t.ref, t.position): t for t in session.scalars(
        select(Translation).filter_by(language=language))}
    counts, gaps = Counter(), []
    for piece in pieces(session):
        state = state_of(translations.get(piece.key), piece)
        counts[state] += 1
        if piece.safety and state != "checked":
            gaps.append(piece)
    approved = session.get(LanguageApproval, language) is not None
    gaps.sort(key=lambda piece: FIRST_TO_CHECK.get(piece.kind, len(FIRST_TO_CHECK)))
    return Standing(language, counts, gaps, approved)


class NotReady(Exception):
    """A language whose safety pieces are not all translated, checked and up to date."""

    def __init__(self, gaps: list[Piece]):
        super().__init__(f"{len(gaps)} safety pieces are not translated and checked")
        self.gaps = gaps


def approve(session, language: str, by: str) -> None:
    """Offer `language` to patients; raise NotReady, approving nothing, while any safety piece
    is missing, a draft, or out of date."""
    gaps = standing(session, language).safety_gaps
    if gaps:
        raise NotReady(gaps)
    if session.get(LanguageApproval, language) is None:
        session.add(LanguageApproval(language=language, approved_by=by))
    ContentState.bump(session)
    session.commit()
    forget_approvals()


def withdraw(session, language: str) -> bool:
    """Stop offering `language`; whether it was offered."""
    gone = session.execute(delete(LanguageApproval).filter_by(language=language)).rowcount
    ContentState.bump(session)
    session.commit()
    forget_approvals()
    return bool(gone)


def approved_languages(session) -> frozenset[str]:
    """The languages the clinic approved, as this worker last read them (at most
    APPROVALS_KEPT_SECONDS ago)."""
    kept = current_app.extensions.get("kiosk.approved_languages")
    if kept is not None and time.monotonic() - kept[0] < APPROVALS_KEPT_SECONDS:
        return kept[1]
    try:
        languages = frozenset(session.scalars(select(LanguageApproval.language)))
    except SQLAlchemyError:
        # No database yet, or none reachable: the page that says so speaks the clinic's own.
        session.rollback()
        return frozenset()
    current_app.extensions["kiosk.approved_languages"] = (time.monotonic(), languages)
    return languages


def forget_approvals() -> None:
    current_app.extensions.pop("kiosk.approved_languages", None)


# ---- What a page shows: each piece in the page's language where the clinic has checked it.

class Shown(str):
    """Text as a page shows it. `lang` is set when it is not in the page's language (the
    source, where the translation is missing, a draft or out of date): the page marks it so
    (lang_of), and a screen reader reads it in its own language."""

    lang: str | None = None

    def __new__(cls, text: str, lang: str | None = None):
        shown = super().__new__(cls, text)
        shown.lang = lang
        return shown


def lang_of(text) -> Markup:
    """ lang="en" for text a page in another language shows in its source, else nothing."""
    lang = getattr(text, "lang", None)
    return Markup(' lang="{}"').format(lang) if lang else Markup("")


class Localiser:
    """The clinic's content in `language` (a Language of kiosk/languages.py), read once a page:
    a checked translation of a piece whose source has not changed since, else the source."""

    def __init__(self, session, language, source):
        self.source_tag = source.tag
        self.active = language is not source
        self.rows = {} if not self.active else {
            (t.kind, t.ref, t.position): t for t in session.scalars(
                select(Translation).filter_by(language=language.code, status="checked"))}

    def text(self, kind: str, ref: str, position: int, source: str):
        if not self.active or not source:
            return source
        row = self.rows.get((kind, ref, position))
        if row is not None and row.source_sha256 == fingerprint(source):
            return Shown(row.text)
        return Shown(source, self.source_tag)

    def stretch(self, stretch):
        """A StretchAsShown with its words in the page's language."""
        if not self.active:
            return stretch
        slug = stretch.slug
        return replace(
            stretch, title=self.text("stretch.title", slug, 0, stretch.title),
            body_region=self.text("stretch.region", slug, 0, stretch.body_region),
            steps=[self.text("stretch.step", slug, n, step)
                   for n, step in enumerate(stretch.steps, start=1)],
            cautions=self.text("stretch.cautions", slug, 0, stretch.cautions))

    def lines(self, kind: str, texts: list[str]) -> list:
        return [self.text(kind, "", n, text) for n, text in enumerate(texts, start=1)]

    def passages(self, passages: dict) -> dict:
        if not self.active:
            return passages
        return {key: SimpleNamespace(key=key, title=self.text("passage.title", key, 0, p.title),
                                     body=self.text("passage.body", key, 0, p.body))
                for key, p in passages.items()}

    def clinic(self, clinic):
        if not self.active:
            return clinic
        return ClinicAsShown(clinic, self.text("clinic.hours", clinic.slug, 0, clinic.hours),
                             self.text("clinic.address", clinic.slug, 0, clinic.address))


class ClinicAsShown:
    """A clinic with its hours and address in the page's language; the rest as it is."""

    def __init__(self, clinic, hours, address):
        self._clinic, self.hours, self.address = clinic, hours, address

    def __getattr__(self, name):
        if name.startswith("_"):  # never asked of the clinic, nor looked for before __init__
            raise AttributeError(name)
        return getattr(self._clinic, name)


# ---- For installers: `flask --app kiosk languages` and `approve-language CODE`.

@click.command("languages")
@with_appcontext
@needs_current_schema
def languages_command():
    """Each language: its pieces checked, drafts, out of date and missing; whether patients
    are offered it."""
    from kiosk.languages import LANGUAGES, SOURCE, offered

    session = get_session()
    with current_app.test_request_context():
        on_offer = {language.code for language in offered()}
    for code, language in LANGUAGES.items():
        if language is SOURCE:
            continue
        seen = standing(session, code)
        counts = seen.counts
        offer = ("offered to patients" if code in on_offer
                 else "approved, but the kiosk has no words for it yet" if seen.approved
                 else f"not approved: {len(seen.safety_gaps)} safety pieces to check"
                 if seen.safety_gaps
                 else f"ready to approve: every safety piece is checked (approve-language {code})")
        click.echo(f"{code:8} {language.english:22} {counts['checked']:4} checked, "
                   f"{counts['draft']:4} drafts, {counts['out of date']:4} out of date, "
                   f"{counts['missing']:4} missing of {seen.total}; {offer}")


@click.command("approve-language")
@with_appcontext
@click.argument("code")
@click.option("--by", default="(command line)", help="Who checked it, for the record.")
@click.option("--withdraw", "take_back", is_flag=True, help="Stop offering it to patients.")
@needs_current_schema
def approve_language_command(code, by, take_back):
    """Offer the language CODE to patients (only once every safety piece is checked)."""
    from kiosk.languages import LANGUAGES, SOURCE

    if code not in LANGUAGES or LANGUAGES[code] is SOURCE:
        known = ", ".join(c for c in LANGUAGES if c != SOURCE.code)
        raise click.ClickException(f"There is no language {code!r} to approve; there are {known}.")
    session = get_session()
    if take_back:
        gone = withdraw(session, code)
        click.echo(f"{LANGUAGES[code].english} is no longer offered to patients." if gone
                   else f"{LANGUAGES[code].english} was not offered to patients.")
        return
    try:
        approve(session, code, by)
    except NotReady as refusal:
        shown = "\n".join(f"  {piece.describe()}" for piece in refusal.gaps[:20])
        more = f"\n  ... and {len(refusal.gaps) - 20} more" if len(refusal.gaps) > 20 else ""
        raise click.ClickException(
            f"{LANGUAGES[code].english} cannot be offered yet: {len(refusal.gaps)} safety "
            f"pieces are missing, drafts or out of date:\n{shown}{more}") from None
    click.echo(f"{LANGUAGES[code].english} is offered to patients.")


def init_app(app):
    app.jinja_env.globals["lang_of"] = lang_of
    app.cli.add_command(languages_command)
    app.cli.add_command(approve_language_command)
