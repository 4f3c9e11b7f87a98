"""Console forms: each field says what is wrong in words a receptionist understands."""

from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

SIDES = {
    "none": [],
    "left-right": ["left", "right"],
    "forwards-backwards": ["forwards", "backwards"],
}
SIDE_LABELS = [
    SelectChoice("none", "No sides"),
    SelectChoice("left-right", "Left, then right"),
    SelectChoice("forwards-backwards", "Forwards, then backwards"),
]
POSITION_LABELS = [
    SelectChoice("standing", "Standing"),
    SelectChoice("seated", "Seated (chair)"),
    SelectChoice("floor", "On the floor"),
]
MAX_STEPS = 20


def pressed(action: str) -> tuple[str, int]:
    """A form button's verb and the row it names ("remove:2"); the row is -1 if it names none."""
    verb, _, index = action.partition(":")
    return verb, int(index) if index.isdecimal() and len(index) <= 3 else -1


def sides_key(sides: list[str]) -> str:
    return next((key for key, value in SIDES.items() if value == list(sides)), "none")


class VersionedForm(FlaskForm):
    """A form that remembers which version of the record the editor started from."""

    version = HiddenField()

    def started_from(self) -> int:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return 0


class StretchForm(VersionedForm):
    title = StringField("Title", validators=[InputRequired("Give the stretch a title."),
                                             Length(max=120)])
    body_region = StringField("Body region", validators=[Optional(), Length(max=80)])
    neck_order = IntegerField(
        "Place from the neck down",
        validators=[InputRequired("Say where the stretch sits from the neck down (1 is the neck)."),
                    NumberRange(1, 999, "Use a number from 1 to 999.")],
    )
    hold_seconds = IntegerField(
        "Hold (seconds)",
        validators=[InputRequired("Say how many seconds to hold."),
                    NumberRange(1, 600, "A hold is 1 to 600 seconds.")],
    )
    repetitions = IntegerField(
        "Repetitions",
        validators=[InputRequired("Say how many times to do it."),
                    NumberRange(1, 50, "Repetitions are 1 to 50.")],
    )
    sides = SelectField("Sides", choices=SIDE_LABELS)
    position = SelectField("Position", choices=POSITION_LABELS)
    cautions = TextAreaField("Cautions", validators=[Optional(), Length(max=1000)])
    demonstration = SelectField("Demonstration", choices=[])
    steps = FieldList(TextAreaField("Step", validators=[Length(max=500)]), min_entries=1,
                      max_entries=MAX_STEPS)

    def validate_steps(self, field):
        if not [step for step in field.data if (step or "").strip()]:
            raise ValidationError("Write at least one step.")

    def step_texts(self) -> list[str]:
        # A step left out of the form altogether is None.
        return [step.strip() for step in self.steps.data if (step or "").strip()]
