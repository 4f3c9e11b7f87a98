"""A stretch as patients see it: built from a stretch, a routine's item or a patient sheet's
copy, and the labels every surface reads its dose and position in."""

import pytest

from kiosk.models import PatientSheetItem, RoutineItem, Stretch
from kiosk.stretches import (
    POSITION_LABELS,
    StretchAsShown,
    dose_labels,
    hold_label,
    position_label,
    repetitions_label,
    sides_label,
)


def neck(**values) -> Stretch:
    return Stretch(**{"slug": "neck-stretch", "title": "Neck Stretch", "body_region": "Neck",
                      "steps": ["Tilt."], "hold_seconds": 10, "repetitions": 3,
                      "sides": ["left", "right"], "position": "standing", "cautions": "",
                      "demonstration": "neck-stretch", "media_id": 4, **values})


def test_a_routine_item_asks_for_its_own_hold_and_repetitions_else_the_stretchs():
    stretch = neck()
    assert StretchAsShown.from_routine_item(RoutineItem(stretch=stretch, hold_seconds=25,
                                                        repetitions=2)) == StretchAsShown(
        slug="neck-stretch", title="Neck Stretch", body_region="Neck", steps=["Tilt."],
        hold_seconds=25, repetitions=2, sides=["left", "right"], position="standing",
        demonstration="neck-stretch", media_id=4)
    followed = StretchAsShown.from_routine_item(RoutineItem(stretch=stretch))
    assert followed == StretchAsShown.from_stretch(stretch)
    assert (followed.hold_seconds, followed.repetitions) == (10, 3)


def test_a_patient_sheet_shows_the_copy_it_kept():
    item = PatientSheetItem(slug="neck-stretch", title="Neck Stretch", body_region="Neck",
                            steps=["Tilt."], hold_seconds=30, repetitions=1, sides=[],
                            stretch_position="floor", cautions="Gently.",
                            demonstration="neck-stretch")
    shown = StretchAsShown.from_sheet_item(item)
    assert (shown.hold_seconds, shown.repetitions, shown.sides, shown.position, shown.cautions,
            shown.media_id) == (30, 1, [], "floor", "Gently.", None)


@pytest.mark.parametrize(("seconds", "label"), [
    (1, "Hold for 1 second"), (10, "Hold for 10 seconds"), (None, "Hold for ? seconds"),
])
def test_hold(seconds, label):
    assert hold_label(seconds) == label


@pytest.mark.parametrize(("repetitions", "label"), [
    (1, "Once"), (2, "2 times"), (3, "3 times"), (None, "? times"),
])
def test_repetitions(repetitions, label):
    assert repetitions_label(repetitions) == label


def test_sides_and_positions_read_as_the_screen_says_them():
    assert sides_label(["left", "right"]) == "Left side, then right side"
    assert sides_label(["forwards", "backwards"]) == "Forwards, then backwards"
    assert [position_label(p) for p in POSITION_LABELS] == ["Standing", "Seated", "On the floor"]


def test_the_dose_names_the_sides_only_when_there_are_two():
    assert dose_labels(neck(hold_seconds=1, repetitions=1, sides=[])) == [
        "Hold for 1 second", "Once"]
    assert dose_labels(neck()) == [
        "Hold for 10 seconds", "3 times", "Left side, then right side"]
