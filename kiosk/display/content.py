"""What a screen shows: its slides in order, its routine's stretches, and the clinic's words."""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import cached_property

from flask import current_app, url_for
from flask_babel import gettext
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk import figures, languages, localised, qr
from kiosk.languages import N_
from kiosk.media import demonstration_media, uploaded_still
from kiosk.models import (
    Clinic,
    Notice,
    Passage,
    Routine,
    SafetyNote,
    Screen,
    Stretch,
    Tip,
    WarningSign,
)
from kiosk.public import external_url
from kiosk.schedule import clinic_timezone, routine_for
from kiosk.stretches import StretchAsShown, routine_stretches


@dataclass(frozen=True)
class Slide:
    """One slide of the attract loop. `key` names it in URLs; `label` is what staff see."""

    key: str
    kind: str
    label: str
    stretch: StretchAsShown | None = None
    notice: Notice | None = None

    @property
    def template(self) -> str:
        name = self.key.partition("/")[0].replace("-", "_")
        return f"display/partials/slides/{name}.html"


# Each label is what staff read in the console (the screen reports it), in English, and what
# patients hear in their own language (the slide's aria-label: `ScreenContent.spoken`).
ADVICE = (
    Slide("good-stretching", "advice", N_("Good stretching")),
    Slide("give-it-time", "advice", N_("Give it time")),
)
WARNING_SIGNS = Slide("warning-signs", "warning_signs", N_("Warning signs"))
CONTACT = Slide("contact", "contact", N_("Contact"))


class ScreenContent:
    """Everything one screen shows, each piece read from the database when first asked for."""

    def __init__(self, session: Session, screen: Screen, *, preview: bool = False,
                 now: datetime | None = None):
        self.session = session
        self.screen = screen
        # The moment shown: anything that depends on the clock reads this one, so a kept
        # slide (fragments.py) says when it was true.
        self.now = now or datetime.now(UTC)
        # A preview (the staff console's) is not the screen: it must not report as the screen.
        self.preview = preview

    @cached_property
    def routine(self) -> Routine | None:
        """What the screen shows now: "show now", else its schedule, else its own routine."""
        return routine_for(self.screen, self.now)

    @cached_property
    def local(self) -> localised.Localiser:
        """The clinic's words in the screen's language, where the clinic has checked them."""
        return languages.localiser()

    @cached_property
    def stretches(self) -> list[StretchAsShown]:
        """The routine's stretches in its order (neck down), with its holds and repetitions."""
        shown = routine_stretches(self.routine) if self.routine else []
        return [self.local.stretch(stretch) for stretch in shown]

    def stretch(self, slug: str) -> StretchAsShown | None:
        return next((s for s in self.stretches if s.slug == slug), None)

    @cached_property
    def _stretch_rows(self) -> dict[str, Stretch]:
        items = self.routine.items if self.routine else []
        return {item.stretch.slug: item.stretch for item in items}

    def demonstration(self, stretch: StretchAsShown) -> Markup:
        """The photo or video staff uploaded for the stretch, else its animated demonstration
        (whose key poses show instead under reduced motion)."""
        label = gettext("How to do the %(stretch)s", stretch=stretch.title)
        uploaded = demonstration_media(self._stretch_rows.get(stretch.slug), label=label)
        if uploaded:
            return Markup('<div class="demo demo--media">{}</div>').format(uploaded)
        return figures.render(stretch.demonstration, label=label)

    def tile_picture(self, stretch: StretchAsShown) -> Markup:
        """The browse tile's picture: the photo staff uploaded, or a still from their video,
        else the drawing held still."""
        return uploaded_still(self._stretch_rows.get(stretch.slug)) or thumbnail(stretch)

    def number(self, stretch: StretchAsShown) -> int:
        return self.stretches.index(stretch) + 1

    @cached_property
    def slides(self) -> list[Slide]:
        """The loop, in the order of the screen's slide kinds; never empty."""
        slides = []
        for kind in dict.fromkeys(self.screen.slide_kinds or []):
            if kind == "notices":
                slides += [Slide(f"notice/{n.id}", "notice", f"Notice: {n.title}", notice=n)
                           for n in self.notices]
            elif kind == "stretch":
                slides += [Slide(f"stretch/{s.slug}", kind, s.title, s) for s in self.stretches]
            elif kind == "advice":
                slides += ADVICE
            elif kind == "warning_signs":
                slides.append(WARNING_SIGNS)
            elif kind == "contact":
                slides.append(CONTACT)
        return slides or [CONTACT]

    def slide(self, key: str) -> Slide:
        """The slide called `key`, or the first one when it has gone (say, the routine changed)."""
        return next((s for s in self.slides if s.key == key), self.slides[0])

    def spoken(self, slide: Slide) -> str:
        """What a screen reader says the slide is, in the screen's language (its label is what
        staff read in the console)."""
        if slide.kind == "stretch":
            return slide.stretch.title
        if slide.kind == "notice":
            return gettext("Notice: %(title)s", title=slide.notice.title)
        return gettext(slide.label)

    def slide_url(self, slide: Slide, language=None) -> str:
        return slide_url(self.screen, slide, preview=self.preview, language=language)

    @cached_property
    def offered_languages(self) -> list:
        """Every language the clinic offers patients, its own first: the language button's."""
        return languages.offered()

    @cached_property
    def loop_languages(self) -> list:
        """The languages the loop shows in turn, as the screen's setting lists them, of those
        offered; the first is the one the screen starts in (English if none is offered)."""
        on_offer = {language.code: language for language in self.offered_languages}
        listed = [on_offer[code] for code in self.screen.languages or () if code in on_offer]
        return listed or [languages.SOURCE]

    @property
    def first_language(self):
        return self.loop_languages[0]

    def next_url(self, slide: Slide) -> str:
        """Where the screen asks for the slide after `slide`: the same language, but when the
        loop starts again, the next of the screen's languages (English, then Vietnamese...)."""
        after = self.after(slide)
        cycle = self.loop_languages
        if after is not self.slides[0] or len(cycle) < 2:
            return self.slide_url(after)
        now = languages.current()
        following = cycle[(cycle.index(now) + 1) % len(cycle)] if now in cycle else cycle[0]
        return self.slide_url(after, following)

    def after(self, slide: Slide) -> Slide:
        keys = [s.key for s in self.slides]
        index = keys.index(slide.key) if slide.key in keys else -1
        return self.slides[(index + 1) % len(self.slides)]

    @cached_property
    def routine_title(self) -> str:
        routine = self.routine
        return self.local.text("routine.title", routine.slug, 0, routine.title) if routine else ""

    @cached_property
    def clinic(self) -> Clinic:
        return self.local.clinic(self.screen.clinic)

    @cached_property
    def notices(self) -> list[Notice]:
        """The clinic's notices and every clinic's that run today on the clinic's clock,
        the one starting first first."""
        return showing_notices(self.session, self.screen.clinic, self.now)

    def notice_ends_at(self, notice: Notice) -> str:
        """When `notice` stops showing on this screen: its clinic's midnight after its last
        day, in UTC (ISO 8601), for a screen offline to drop it then by itself."""
        zone = clinic_timezone(self.screen.clinic)
        midnight = datetime.combine(notice.shows_until + timedelta(days=1), time(), zone)
        return midnight.astimezone(UTC).isoformat()

    @cached_property
    def passages(self) -> dict[str, Passage]:
        return self.local.passages({p.key: p for p in self.session.scalars(select(Passage))})

    @cached_property
    def tips(self) -> list[str]:
        return self._lines(Tip, "tip")

    @cached_property
    def safety_notes(self) -> list[str]:
        return self._lines(SafetyNote, "safety_note")

    @cached_property
    def warning_signs(self) -> list[str]:
        return self._lines(WarningSign, "warning_sign")

    def _lines(self, model, kind: str) -> list[str]:
        return self.local.lines(kind, list(self.session.scalars(
            select(model.text).order_by(model.position))))

    @cached_property
    def sheet_url(self) -> str | None:
        """Where the routine's take-home sheet is for phones, as this screen's clinic gives it
        (its phone), in the language the screen shows; None without a routine."""
        if not self.routine:
            return None
        clinic, language = self.screen.clinic, languages.chosen()
        lang = {} if language is languages.SOURCE else {"lang": language.code}
        return external_url("sheets.routine_sheet", reached_at=clinic, slug=self.routine.slug,
                            clinic=clinic.in_sheet_addresses(self.session), **lang)

    @cached_property
    def short_sheet_url(self) -> str:
        return (self.sheet_url or "").split("://", 1)[-1]

    @cached_property
    def sheet_qr(self) -> Markup | None:
        if not self.sheet_url:
            return None
        label = gettext("QR code: scan to take these stretches home, %(address)s",
                        address=self.short_sheet_url)
        return Markup(qr.svg(self.sheet_url, label))  # noqa: S704 - qr escapes what it embeds


def showing_notices(session: Session, clinic: Clinic, now: datetime) -> list[Notice]:
    """The notices `clinic`'s screens show at `now`: its own and every clinic's, from their
    first date to their last, both included, as the date is on the clinic's clock."""
    today = now.astimezone(clinic_timezone(clinic)).date()
    return list(session.scalars(
        select(Notice)
        .where((Notice.clinic_id == clinic.id) | Notice.clinic_id.is_(None),
               Notice.shows_from <= today, Notice.shows_until >= today)
        .order_by(Notice.shows_from, Notice.id)))


def thumbnail(stretch: StretchAsShown) -> Markup:
    """The stretch held, still, for its browse tile (decorative: the tile names it)."""
    return figures.render_thumbnail(stretch.demonstration, label="")


def dwell_ms(screen: Screen) -> int:
    """How long each slide stays up: KIOSK_DWELL_SECONDS for every screen, else the screen's own.

    DWELL_MS, in milliseconds, is for tests only: it lets a soak test swap slides faster
    than once a second.
    """
    config = current_app.config
    if config.get("DWELL_MS"):
        return int(config["DWELL_MS"])
    return 1000 * max(1, config.get("DWELL_SECONDS") or screen.dwell_seconds)


def idle_ms(screen: Screen) -> int:
    """How long without a touch before the screen asks "Still there?"."""
    config = current_app.config
    return 1000 * max(1, config.get("IDLE_SECONDS") or screen.idle_seconds)


def slide_url(screen: Screen, slide: Slide, *, preview: bool = False, language=None) -> str:
    """Where a screen asks for `slide` (in `language`, else the page's); the address itself
    tells the server what it shows."""
    extra = {"preview": 1} if preview else {}
    if language is not None:
        extra["lang"] = language.code
    return url_for("display.slide", slug=screen.slug, key=slide.key, **extra)
