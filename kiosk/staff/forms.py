"""Console forms: each field says what is wrong in words a receptionist understands.

Every editor's fields are declared here, with the limits the models set (kiosk/models.py), and
every field is drawn by templates/staff/partials/fields.html. The import holds each row of a
file to these same forms (kiosk/transfer/rules.py).
"""

import re
from urllib.parse import urlsplit

from flask import has_request_context
from flask_babel import LazyString
from flask_babel import gettext as babel_gettext
from flask_babel import ngettext as babel_ngettext
from flask_wtf import FlaskForm
from markupsafe import escape
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget, RadioInput

from kiosk.languages import LANGUAGES
from kiosk.models import (
    DWELL_SECONDS,
    HOLD_SECONDS,
    IDLE_SECONDS,
    MAX_ITEMS,
    MAX_STEPS,
    MAX_WINDOWS,
    NOTICE_DAYS,
    NOTICE_LENGTH,
    NOTICE_LINES,
    REPETITIONS,
    SLIDE_KINDS,
    TITLE_LENGTH,
)
from kiosk.patient_sheets import NOTE_LIMIT
from kiosk.schedule import WEEKDAYS, known_time_zone
from kiosk.stretches import POSITION_LABELS, sides_label


def gettext(message: str, **variables) -> str:
    """The console's words in the request's language (flask_babel's gettext); outside a request,
    as written: the command line's import and add-clinic check rows with these forms
    (kiosk/transfer/rules.py, kiosk/clinics.py), and the language is chosen per request."""
    if has_request_context():
        return babel_gettext(message, **variables)
    return message % variables if variables else message


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    """flask_babel's ngettext, or outside a request the English as written (see `gettext`)."""
    if has_request_context():
        return babel_ngettext(singular, plural, num, **variables)
    return (singular if num == 1 else plural) % {"num": num, **variables}


class Words(LazyString):
    """Words marked where they are defined (`_l`), read in the language of where they are shown,
    and escaped there as any text is (flask_babel's LazyString reaches HTML unescaped)."""

    def __html__(self):
        return escape(str(self))


def _l(message: str, **variables) -> Words:
    """lazy_gettext, for labels and messages defined at import time (see `gettext`)."""
    return Words(gettext, message, **variables)


class InWords:
    """A form whose messages are plain text once it has checked its fields: each lazy one
    (`_l`) is read then, in the request's language, as the templates show only text
    (templates/staff/partials/fields.html picks a field's messages with `select("string")`)."""

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for field in self:
            read_out(field)
        return valid


def read_out(field) -> None:
    """`field`'s messages, and those of the rows and fields inside it, as plain text."""
    if isinstance(field, FieldList):
        for entry in field.entries:
            read_out(entry)
    elif isinstance(field, FormField):
        for inner in field.form:
            read_out(inner)
    if isinstance(field.errors, list):
        field.errors[:] = [str(error) if isinstance(error, LazyString) else error
                           for error in field.errors]


SIDES = {
    "none": [],
    "left-right": ["left", "right"],
    "forwards-backwards": ["forwards", "backwards"],
}
# In the words patients read on screens and sheets.
SIDE_CHOICES = [SelectChoice(key, sides_label(sides) if sides else _l("No sides"))
                for key, sides in SIDES.items()]
POSITION_CHOICES = [SelectChoice(key, label) for key, label in POSITION_LABELS.items()]
LANGUAGE_CHOICES = [SelectChoice(code, language.english if language.english == language.name
                                else f"{language.english} ({language.name})")
                    for code, language in LANGUAGES.items()]
SLIDE_LABELS = [
    SelectChoice("notices", _l("Notices (the clinic's own, between their dates)")),
    SelectChoice("stretch", _l("Stretch demonstrations")),
    SelectChoice("advice", _l("Good stretching advice")),
    SelectChoice("warning_signs", _l("Warning signs")),
    SelectChoice("contact", _l("Contact details and QR code")),
]
ORIENTATIONS = [
    SelectChoice("landscape", _l("Landscape (1920×1080)")),
    SelectChoice("portrait", _l("Portrait (1080×1920)")),
]
EXPIRY_DAYS = (30, 90, 180, 365)
CLOCK = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


def sides_key(sides: list[str]) -> str:
    return next((key for key, value in SIDES.items() if value == list(sides)), "none")


class VersionedForm(InWords, FlaskForm):
    """A form that remembers which version of the record the editor started from."""

    version = HiddenField()

    def started_from(self) -> int:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return 0


class WholeNumberField(IntegerField):
    """A count typed by a person. Anything but plain digits ("1e3", "²", "ten") is no number,
    so the field's own range message says what to type, not "Not a valid integer value"."""

    def process_formdata(self, valuelist):
        text = valuelist[0].strip() if valuelist and valuelist[0] is not None else ""
        self.data = int(text) if re.fullmatch(r"\d{1,6}", text) else None


PICK_ONE = _l("Pick one of the choices.")
TICK_SHOWN = _l("Tick only the choices shown.")
GIVE_A_DATE = _l("Give a date.")


class PickField(SelectField):
    """One of a list; anything else (a tampered form, a row deleted meanwhile) gets `message`."""

    def __init__(self, label=None, validators=None, message=PICK_ONE, **kw):
        super().__init__(label, validators, invalid_value_message=message,
                         invalid_choice_message=message, **kw)


class ChecksField(SelectMultipleField):
    """Tick boxes for several of a list."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label=None, validators=None, message=TICK_SHOWN, **kw):
        super().__init__(label, validators, invalid_value_message=message,
                         invalid_choice_message=lambda count: message, **kw)


class LinesField(TextAreaField):
    """A list typed one entry per line; blank lines are dropped."""

    def process_formdata(self, valuelist):
        lines = (valuelist[0] or "").replace("\r", "").split("\n") if valuelist else []
        self.data = [line.strip() for line in lines if line.strip()]

    def _value(self):
        return "\n".join(self.data or [])


def within(limits: tuple[int, int], message: str) -> NumberRange:
    return NumberRange(*limits, message)


def lines(required: str | None = None, longest: int = 300):
    """Each line under `longest` characters; with `required`, at least one line."""

    def check(form, field):
        if required and not field.data:
            raise StopValidation(required)
        if any(len(line) > longest for line in field.data or []):
            raise ValidationError(gettext("Keep each line under %(longest)s characters.",
                                          longest=longest))

    return check


def ticked(message: str):
    """At least one box ticked (InputRequired would mark every box as required)."""

    def check(form, field):
        if not field.data:
            raise StopValidation(message)

    return check


def web_address(form, field):
    address = urlsplit(field.data or "")
    if field.data and (address.scheme not in ("http", "https") or not address.netloc):
        raise ValidationError(gettext("Write a full web address starting with http:// or "
                                      "https://."))


def time_zone(form, field):
    if field.data and not known_time_zone(field.data):
        raise ValidationError(gettext("Write a time zone as the world names it, e.g. "
                                      "Australia/Brisbane or Pacific/Auckland; empty: the "
                                      "install's own."))


def phone_digits(form, field):
    if field.data and sum(c.isdigit() for c in field.data) < 6:
        raise ValidationError(gettext("A phone number needs its digits, e.g. 0425 444 304."))


def stripped(text):
    """Text as saved: without surrounding spaces, and empty (not None) when the field was not
    sent at all, as a column that may be empty but not NULL wants it."""
    if text is None:
        return ""
    return text.strip() if isinstance(text, str) else text


class StretchForm(VersionedForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Give the stretch a title.")),
                                                 Length(max=TITLE_LENGTH)])
    body_region = StringField(_l("Body region"), validators=[Optional(), Length(max=80)])
    neck_order = WholeNumberField(
        _l("Place from the neck down"),
        validators=[InputRequired(_l("Say where the stretch sits from the neck down (1 is the "
                                     "neck).")),
                    NumberRange(1, 999, _l("Use a number from 1 to 999."))],
    )
    hold_seconds = WholeNumberField(
        _l("Hold (seconds)"),
        validators=[InputRequired(_l("Say how many seconds to hold.")),
                    within(HOLD_SECONDS, _l("A hold is %(min)s to %(max)s seconds."))],
    )
    repetitions = WholeNumberField(
        _l("Repetitions"),
        validators=[InputRequired(_l("Say how many times to do it.")),
                    within(REPETITIONS, _l("Repetitions are %(min)s to %(max)s."))],
    )
    sides = SelectField(_l("Sides"), choices=SIDE_CHOICES)
    position = SelectField(_l("Position"), choices=POSITION_CHOICES)
    cautions = TextAreaField(_l("Cautions"), validators=[Optional(), Length(max=1000)])
    demonstration = SelectField(_l("Demonstration"), choices=[])
    steps = FieldList(TextAreaField(_l("Step"), validators=[Length(max=500)]), min_entries=1,
                      max_entries=MAX_STEPS)

    def validate_steps(self, field):
        if not [step for step in field.data if (step or "").strip()]:
            raise ValidationError(gettext("Write at least one step."))

    def step_texts(self) -> list[str]:
        # A step left out of the form altogether is None.
        return [step.strip() for step in self.steps.data if (step or "").strip()]


class ItemForm(InWords, Form):
    """A stretch in a routine or on a patient's sheet, with this routine's own hold and
    repetitions; left empty, the stretch's own."""

    stretch = IntegerField(widget=HiddenInput())
    hold = WholeNumberField(
        _l("Hold, seconds"),
        validators=[Optional(), within(HOLD_SECONDS, _l("A hold is %(min)s to %(max)s seconds, "
                                                        "or empty."))])
    repetitions = WholeNumberField(
        _l("Repetitions"),
        validators=[Optional(), within(REPETITIONS, _l("Repetitions are %(min)s to %(max)s, "
                                                       "or empty."))])


class ClinicPicking(InWords, FlaskForm):
    """A new record's clinic, picked only by someone who may act in several: with one clinic
    there is nothing to pick and the form has no such field."""

    clinic = PickField(_l("Clinic"), message=_l("Pick one of the clinics shown."))
    clinics = None  # offered, by slug; none offered (the import's checks): no clinic to pick

    def validate(self, extra_validators=None):
        if self.clinics is None and "clinic" in self:
            del self.clinic
        return super().validate(extra_validators)

    def offer_clinics(self, clinics: list, asked: str | None = None) -> None:
        """The clinics to pick from (Clinic rows); `asked`: the one the address named."""
        self.clinics = {clinic.slug: clinic for clinic in clinics}
        if len(clinics) <= 1:
            del self.clinic
            return
        self.clinic.choices = [SelectChoice(slug, c.name) for slug, c in self.clinics.items()]
        if self.clinic.data is None and asked in self.clinics:
            self.clinic.data = asked

    def picked_clinic(self):
        """The clinic picked (the only one, when there was nothing to pick); None: none is."""
        if "clinic" not in self:
            return next(iter(self.clinics.values()), None)
        return self.clinics.get(self.clinic.data)


class ItemsForm(InWords, FlaskForm):
    """A list of stretches to pick, order and adjust: a routine's, or one patient's."""

    items = FieldList(FormField(ItemForm), max_entries=MAX_ITEMS)
    add_stretch = SelectField(_l("Add a stretch"), coerce=int, validate_choice=False,
                              invalid_value_message=_l("Pick a stretch from the list."))

    def keep_known(self, stretches) -> None:
        """Rows naming no stretch there is (deleted meanwhile, or tampered with) are dropped."""
        rows = [row for row in self.items.data if row["stretch"] in stretches]
        if len(rows) != len(self.items.data):
            set_rows(self.items, rows)

    def validate_items(self, field):
        if not field.entries:
            raise ValidationError(gettext("Add at least one stretch."))


class RoutineForm(ClinicPicking, ItemsForm, VersionedForm):
    title = StringField(_l("Title"), filters=[stripped],
                        validators=[DataRequired(_l("Give the routine a title.")),
                                    Length(max=TITLE_LENGTH, message=_l("Keep the title under "
                                                                        "%(max)d characters."))])
    description = TextAreaField(_l("Description"), filters=[stripped], validators=[
        Length(max=2000, message=_l("Keep the description under %(max)d characters."))])


class PatientSheetForm(ClinicPicking, ItemsForm):
    note = TextAreaField(_l("Note for the patient (optional)"), validators=[
        Length(max=NOTE_LIMIT, message=_l("Keep the note under %(max)d characters."))])
    expires = PickField(_l("The sheet opens for"), coerce=int,
                        message=_l("Pick how long the sheet keeps opening."))
    from_routine = SelectField(_l("Start from a routine"), coerce=int, validate_choice=False,
                               invalid_value_message=_l("Pick a routine from the list."))

    def offer(self, days: int, routines) -> None:
        """The expiry choices (with the install's own default among them) and the routines."""
        choices = sorted({*EXPIRY_DAYS, days})
        self.expires.choices = [SelectChoice(n, ngettext("%(num)s day", "%(num)s days", n))
                                for n in choices]
        self.expires.choices.append(SelectChoice(0, gettext("No end")))
        self.routines = routines
        self.from_routine.choices = [SelectChoice(r.id, r.title) for r in routines]


class WindowForm(InWords, Form):
    """A time on some weekdays when the screen shows another routine."""

    days = ChecksField(_l("Days"), coerce=int, message=_l("Tick days of the week only."),
                       choices=[SelectChoice(n, day) for n, day in enumerate(WEEKDAYS)],
                       validators=[ticked(_l("Tick at least one day."))])
    starts = StringField(_l("From"), filters=[stripped],
                         validators=[Regexp(CLOCK, message=_l("Times look like 07:30."))])
    ends = StringField(_l("until"), filters=[stripped],
                       validators=[Regexp(CLOCK, message=_l("Times look like 07:30."))])
    routine = PickField(_l("show"), coerce=int, message=_l("Pick a routine for this time."))

    def validate_ends(self, field):
        if not self.starts.errors and self.starts.data and self.starts.data >= (field.data or ""):
            raise ValidationError(gettext("The window must end after it starts."))


class ScreenForm(ClinicPicking, VersionedForm):
    name = StringField(_l("Name"), filters=[stripped], validators=[
        DataRequired(_l("Give the screen a name, e.g. Waiting room.")),
        Length(max=TITLE_LENGTH, message=_l("Keep the name under %(max)d characters."))])
    routine = PickField(_l("Routine"), coerce=int,
                        message=_l("Pick the routine this screen shows."))
    dwell = WholeNumberField(_l("Seconds per slide"), default=15, validators=[
        within(DWELL_SECONDS, _l("Each slide stays up %(min)s to %(max)s seconds."))])
    idle = WholeNumberField(_l("Seconds without a touch before “Still there?”"), default=60,
                            validators=[within(IDLE_SECONDS, _l("Wait %(min)s to %(max)s seconds "
                                                                "before asking “Still "
                                                                "there?”."))])
    kinds = ChecksField(_l("Slides to show"), choices=SLIDE_LABELS, default=list(SLIDE_KINDS),
                        message=_l("Tick only the kinds of slide shown."),
                        validators=[ticked(_l("Pick at least one kind of slide."))])
    orientation = PickField(_l("Orientation"), choices=ORIENTATIONS, default="landscape",
                            message=_l("Pick landscape or portrait."),
                            widget=ListWidget(prefix_label=False), option_widget=RadioInput())
    languages = ChecksField(_l("Languages the loop shows, one whole loop each in turn"),
                            choices=LANGUAGE_CHOICES, default=["en"],
                            message=_l("Tick only the languages listed."),
                            validators=[ticked(_l("Tick at least one language."))])
    first_language = PickField(_l("Starts in (and goes back to when nobody is using it)"),
                               choices=LANGUAGE_CHOICES, default="en",
                               message=_l("Pick one of the languages listed."))
    # Off unless ticked: a waiting room is quiet until staff choose otherwise.
    sound = BooleanField(_l("Sound"))
    window = FieldList(FormField(WindowForm), max_entries=MAX_WINDOWS)

    def validate_first_language(self, field):
        if self.languages.data and field.data not in self.languages.data:
            raise ValidationError(gettext("The language it starts in must be one of those "
                                          "ticked."))

    def loop_languages(self) -> list[str]:
        """The ticked languages, the one it starts in first, the rest in the kiosk's order."""
        first = self.first_language.data
        return [first, *(code for code in LANGUAGES if code in self.languages.data
                         and code != first)]

    def offer(self, choices: list[SelectChoice]) -> None:
        """The routines a screen and each of its times may show."""
        self.routine.choices = choices
        for window in self.window:
            window.routine.choices = choices


class SettingsForm(VersionedForm):
    """The clinic's contact details, its public address, and the lists screens and sheets show."""

    name = StringField(_l("Clinic name"), filters=[stripped], validators=[
        DataRequired(_l("Clinic name is needed.")),
        Length(max=TITLE_LENGTH, message=_l("Keep clinic name under %(max)d characters."))])
    therapist = StringField(_l("Therapist"), filters=[stripped], validators=[
        Length(max=120, message=_l("Keep therapist under %(max)d characters."))])
    phone = StringField(_l("Phone"), filters=[stripped], validators=[
        Length(max=40, message=_l("Keep phone under %(max)d characters.")), phone_digits])
    booking_url = StringField(_l("Booking page (web address)"), filters=[stripped], validators=[
        Length(max=500, message=_l("Keep booking page under %(max)d characters.")),
        web_address])
    address = StringField(_l("Address"), filters=[stripped], validators=[
        Length(max=500, message=_l("Keep address under %(max)d characters."))])
    hours = StringField(_l("Opening hours"), filters=[stripped], validators=[
        Length(max=500, message=_l("Keep opening hours under %(max)d characters."))])
    public_url = StringField(_l("Public address of this app (for QR codes)"), filters=[stripped],
                             validators=[Length(max=500, message=_l("Keep the public address "
                                                                    "under %(max)d characters.")),
                                         web_address])
    timezone = StringField(_l("Time zone (screens' schedules run on its clock)"),
                           filters=[stripped], validators=[
                               Length(max=64, message=_l("Keep the time zone under %(max)d "
                                                         "characters.")), time_zone])
    warning_signs = LinesField(_l("Warning signs (one per line)"), validators=[
        lines(_l("Warning signs cannot be empty: patients rely on them."))])
    safety_notes = LinesField(_l("Safety notes (one per line)"), validators=[
        lines(_l("Safety notes cannot be empty: patients rely on them."))])
    tips = LinesField(_l("Good stretching advice (one per line)"), validators=[lines()])

    TEXTS = ("name", "therapist", "phone", "booking_url", "address", "hours", "public_url",
             "timezone")
    LISTS = ("warning_signs", "safety_notes", "tips")

    def values(self) -> dict:
        """The settings as the clinic's snapshot holds them (kiosk/revisions.py)."""
        return {name: self[name].data for name in (*self.TEXTS, *self.LISTS) if name in self}


class JoinScreenForm(ClinicPicking):
    """A new screen, named and placed by the code it shows (kiosk/display/joining.py)."""

    code = StringField(_l("Code on the screen"), filters=[stripped], validators=[
        DataRequired(_l("Type the code the new screen shows.")),
        Length(max=20, message=_l("The code is six letters and digits, e.g. KMT 4XR."))])
    name = StringField(_l("Name"), filters=[stripped], validators=[
        DataRequired(_l("Give the screen a name, e.g. Waiting room.")),
        Length(max=TITLE_LENGTH, message=_l("Keep the name under %(max)d characters."))])
    routine = PickField(_l("Routine"), coerce=int,
                        message=_l("Pick the routine this screen shows."))


class DayField(DateField):
    """A date picked or typed (2027-01-26); anything else is no date, and `message` says what
    to give instead of "Not a valid date value"."""

    def __init__(self, label=None, validators=None, message=GIVE_A_DATE, **kw):
        super().__init__(label, [InputRequired(message), *(validators or [])], **kw)
        self.message = message

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(self.message) from None


class NoticeForm(ClinicPicking, VersionedForm):
    """A clinic's own slide: a title, a few lines, perhaps a photo, between two dates."""

    title = StringField(_l("Title"), filters=[stripped], validators=[
        DataRequired(_l("Give the notice a title, e.g. Closed Monday 26 January.")),
        Length(max=TITLE_LENGTH, message=_l("Keep the title under %(max)d characters."))])
    body = TextAreaField(_l("A few lines (optional)"), filters=[stripped], validators=[
        Length(max=NOTICE_LENGTH, message=_l("Keep the lines under %(max)d characters in all: "
                                             "the waiting room reads them from across the "
                                             "room."))])
    shows_from = DayField(_l("First day shown"), message=_l("Give the first day as a date, "
                                                            "e.g. 2027-01-19."))
    shows_until = DayField(_l("Last day shown"), message=_l("Give the last day as a date, "
                                                            "e.g. 2027-01-26."))
    photo_text = StringField(_l("What the photo shows (optional)"), filters=[stripped],
                             validators=[Length(max=200, message=_l("Keep the description "
                                                                    "under %(max)d "
                                                                    "characters."))])
    remove_photo = BooleanField(_l("Show no photo"))

    def validate_body(self, field):
        shown = [line for line in field.data.splitlines() if line.strip()]
        if len(shown) > NOTICE_LINES:
            raise ValidationError(gettext("A notice has at most %(most)s lines; this has "
                                          "%(has)s. Say less, or make a second notice.",
                                          most=NOTICE_LINES, has=len(shown)))

    def validate_shows_until(self, field):
        first, last = self.shows_from.data, field.data
        if first is None or last is None:
            return
        if last < first:
            raise ValidationError(gettext("The last day comes before the first: swap them."))
        if (last - first).days + 1 > NOTICE_DAYS:
            raise ValidationError(gettext("A notice runs for at most %(most)s days; make a new "
                                          "one after that.", most=NOTICE_DAYS))


def set_rows(rows: FieldList, data: list) -> None:
    """Replace a repeating field's rows, e.g. after a row was added, removed or moved."""
    while rows.entries:
        rows.pop_entry()
    for row in data:
        rows.append_entry(row)
