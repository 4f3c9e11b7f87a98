"""A stretch's dose reads the same on every surface: the screen's stretch page and slide, the
routine's and a patient's sheet, the PDF, and the console's previews (saved and as typed).

Each case is one stretch left in the routine (the others retired), with 1 or several seconds,
once or several times, no sides or two, and a position."""

import re
from dataclasses import dataclass
from html import unescape

import pytest
from sqlalchemy import select

from bench.serving import form_fields
from kiosk.db import get_session
from kiosk.models import Routine, Stretch
from kiosk.patient_sheets import Choice, make_patient_sheet
from kiosk.staff.forms import SIDES
from tests.readers import pdf_text
from tests.staff_helpers import signed_in, token_from

HX = {"HX-Request": "true"}
SCREEN = "/display/waiting-room"
SHEET = "/s/back-pain-stretches"


@dataclass(frozen=True)
class Case:
    hold_seconds: int
    repetitions: int
    sides: str  # the console's key for them
    position: str
    dose: tuple[str, ...]  # what a patient reads
    where: str

    def __str__(self):
        return f"{self.hold_seconds}s-x{self.repetitions}-{self.sides}-{self.position}"


CASES = [
    Case(1, 1, "none", "floor", ("Hold for 1 second", "Once"), "Neck · On the floor"),
    Case(30, 3, "left-right", "seated",
         ("Hold for 30 seconds", "3 times", "Left side, then right side"), "Neck · Seated"),
    Case(1, 5, "forwards-backwards", "standing",
         ("Hold for 1 second", "5 times", "Forwards, then backwards"), "Neck · Standing"),
    Case(20, 1, "left-right", "floor",
         ("Hold for 20 seconds", "Once", "Left side, then right side"), "Neck · On the floor"),
]


def only_the_neck_stretch_as(session, case: Case) -> Stretch:
    """The neck stretch with the case's dose, alone in the routine, with no routine override."""
    for stretch in session.scalars(select(Stretch)):
        stretch.retired = stretch.slug != "neck-stretch"
    neck = session.scalar(select(Stretch).filter_by(slug="neck-stretch"))
    neck.hold_seconds, neck.repetitions = case.hold_seconds, case.repetitions
    neck.sides, neck.position = SIDES[case.sides], case.position
    routine = session.scalar(select(Routine).filter_by(slug="back-pain-stretches"))
    for item in routine.items:
        item.hold_seconds = item.repetitions = None
    session.commit()
    return neck


def words(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def doses(page: str) -> list[tuple[str, ...]]:
    """Each dose list on the page, as the words of its items."""
    return [tuple(words(item) for item in re.findall(r"<li>(.*?)</li>", dose, re.S))
            for dose in re.findall(r'<ul class="dose"[^>]*>(.*?)</ul>', page, re.S)]


def screen_stretch(app, client, neck):
    return client.get(f"{SCREEN}/stretches/neck-stretch", headers=HX).text


def screen_slide(app, client, neck):
    return client.get(f"{SCREEN}/slides/stretch/neck-stretch", headers=HX).text


def routine_sheet(app, client, neck):
    return client.get(SHEET).text


def patient_sheet(app, client, neck):
    """A sheet made for one patient: its own copy of the stretch."""
    with app.app_context():
        session = get_session()
        sheet = make_patient_sheet(session, [Choice(session.get(Stretch, neck.id))], "", None)
        token = sheet.token
    return client.get(f"/p/{token}").text


def console_saved(app, client, neck):
    """The editor's preview of the stretch as saved."""
    return signed_in(app).get(f"/staff/stretches/{neck.id}").text


def console_typed(app, client, neck):
    """The editor's live preview of the values typed into a new stretch's form."""
    staff = signed_in(app)
    page = staff.get("/staff/stretches/new").text
    fields = form_fields(page) | {
        "title": "Neck", "body_region": "Neck", "hold_seconds": str(neck.hold_seconds),
        "repetitions": str(neck.repetitions), "position": neck.position,
        "sides": next(key for key, sides in SIDES.items() if sides == neck.sides),
        "steps-0": "Tilt your head.", "csrf_token": token_from(page)}
    return staff.post("/staff/stretches/preview", data=fields).text


PAGES = [screen_stretch, screen_slide, routine_sheet, patient_sheet, console_saved, console_typed]


@pytest.mark.parametrize("case", CASES, ids=str)
@pytest.mark.parametrize("surface", PAGES, ids=lambda page: page.__name__)
def test_every_page_shows_the_dose_and_position_in_the_same_words(app, client, session,
                                                                  case, surface):
    neck = only_the_neck_stretch_as(session, case)
    page = surface(app, client, neck)
    assert doses(page) == [case.dose]
    assert case.where in words(page)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_pdf_prints_the_same_words(client, session, case):
    only_the_neck_stretch_as(session, case)
    text = pdf_text(client.get(f"{SHEET}.pdf").data)
    assert " ".join(case.dose) in text
    assert case.where in text
    for label in ("Left side, then right side", "Forwards, then backwards"):
        assert (label in text) == (label in case.dose)
    for old_wording in ("1 seconds", "1 times", "left then right", "Floor"):
        assert old_wording not in text


def test_the_console_preview_marks_a_number_still_wrong_with_a_question_mark(app):
    staff = signed_in(app)
    page = staff.get("/staff/stretches/new").text
    fields = form_fields(page) | {"title": "Neck", "hold_seconds": "lots", "repetitions": "0",
                                  "sides": "none", "steps-0": "Tilt your head.",
                                  "csrf_token": token_from(page)}
    preview = staff.post("/staff/stretches/preview", data=fields)
    assert preview.status_code == 200
    assert doses(preview.text) == [("Hold for ? seconds", "? times")]
