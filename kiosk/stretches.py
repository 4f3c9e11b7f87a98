"""A stretch as patients see it (screen, sheet, PDF, the console's preview), with the hold and
repetitions asked for there: a routine's own, or those kept on a patient's sheet."""

from dataclasses import dataclass, field, replace

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from kiosk.models import PatientSheet, PatientSheetItem, Routine, RoutineItem, Stretch
from kiosk.plurals import plural

# How a patient reads where a stretch is done, and the sides it goes through (the console offers
# these; the timer alternates between them). The console's choices use the same words, each in
# the language of the page that shows it (so looked up when shown, not when this is imported).
POSITION_LABELS = {"standing": _l("Standing"), "seated": _l("Seated"),
                   "floor": _l("On the floor")}
SIDE_LABELS = {
    ("left", "right"): _l("Left side, then right side"),
    ("forwards", "backwards"): _l("Forwards, then backwards"),
}


@dataclass
class StretchAsShown:
    """A stretch as a screen or sheet shows it, with the hold and repetitions it asks for."""

    slug: str
    title: str
    body_region: str
    steps: list[str]
    hold_seconds: int | None  # None only in the console's preview, while a number is wrong
    repetitions: int | None
    sides: list[str] = field(default_factory=list)
    position: str = ""
    cautions: str = ""
    demonstration: str = ""
    media_id: int | None = None  # an uploaded photo or video shown instead of the animation

    @classmethod
    def from_stretch(cls, stretch: Stretch) -> "StretchAsShown":
        """The stretch with its own hold and repetitions."""
        return cls(
            slug=stretch.slug,
            title=stretch.title,
            body_region=stretch.body_region,
            steps=stretch.steps,
            hold_seconds=stretch.hold_seconds,
            repetitions=stretch.repetitions,
            sides=stretch.sides,
            position=stretch.position,
            cautions=stretch.cautions,
            demonstration=stretch.demonstration,
            media_id=stretch.media_id,
        )

    @classmethod
    def from_routine_item(cls, item: RoutineItem) -> "StretchAsShown":
        """The routine's hold and repetitions where it sets them, else the stretch's own."""
        return replace(
            cls.from_stretch(item.stretch),
            hold_seconds=item.hold_seconds or item.stretch.hold_seconds,
            repetitions=item.repetitions or item.stretch.repetitions,
        )

    @classmethod
    def from_sheet_item(cls, item: PatientSheetItem) -> "StretchAsShown":
        """The copy a patient's sheet kept when it was made (no uploaded media)."""
        return cls(
            slug=item.slug,
            title=item.title,
            body_region=item.body_region,
            steps=item.steps,
            hold_seconds=item.hold_seconds,
            repetitions=item.repetitions,
            sides=item.sides,
            position=item.stretch_position,
            cautions=item.cautions,
            demonstration=item.demonstration,
        )


def routine_stretches(routine: Routine) -> list[StretchAsShown]:
    """The routine's stretches in order, retired ones left out, overrides applied."""
    return [StretchAsShown.from_routine_item(item) for item in routine.items
            if not item.stretch.retired]


def patient_stretches(sheet: PatientSheet) -> list[StretchAsShown]:
    return [StretchAsShown.from_sheet_item(item) for item in sheet.items]


def position_label(position: str) -> str:
    return str(POSITION_LABELS.get(position, position.capitalize()))


def sides_label(sides) -> str:
    return str(SIDE_LABELS.get(tuple(sides), ", then ".join(sides).capitalize()))


def hold_label(seconds: int | None) -> str:
    return plural("Hold for %(num)s second", "Hold for %(num)s seconds", seconds)


def repetitions_label(repetitions: int | None) -> str:
    if repetitions == 1:
        return gettext("Once")
    return plural("%(num)s time", "%(num)s times", repetitions)


def dose_labels(stretch) -> list[str]:
    """How long, how often, and the sides in turn: what the dose macro lists for a stretch
    (shown, or a Stretch itself)."""
    labels = [hold_label(stretch.hold_seconds), repetitions_label(stretch.repetitions)]
    if stretch.sides:
        labels.append(sides_label(stretch.sides))
    return labels


def init_app(app):
    """The labels, for templates/shared/dose.html and every page that names a position."""
    app.jinja_env.globals.update(dose_labels=dose_labels, position_label=position_label)
