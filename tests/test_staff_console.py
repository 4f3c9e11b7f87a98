"""The console through Flask's client: bad input is explained and nothing is half-saved; rows
move before saving; retiring, settings, patient sheets and usage. (Saves, clashes and restores:
tests/test_revisions.py; what a screen shows and reports: tests/test_schedule.py.)"""

import pytest
from sqlalchemy import select

from kiosk.models import Clinic, PatientSheet, Revision, Routine, Screen, Stretch, Tip, WarningSign
from tests.staff_helpers import (
    item_fields,
    routine_form,
    screen_form,
    settings_form,
    signed_in,
    stretch,
    stretch_form,
    token_from,
)


def test_bad_stretch_input_is_explained_and_nothing_is_saved(app, session):
    client = signed_in(app)
    neck = stretch(session)
    form = stretch_form(client, neck.id)
    form.update({"title": "", "hold_seconds": "9999", "repetitions": "lots"})
    response = client.post(f"/staff/stretches/{neck.id}", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Give the stretch a title." in page
    assert "A hold is 1 to 600 seconds." in page
    assert stretch(session).title == "Neck Stretch"
    assert session.scalar(select(Revision)) is None


def test_steps_are_added_moved_and_removed_before_saving(app, session):
    client = signed_in(app)
    neck = stretch(session)
    form = stretch_form(client, neck.id)
    form["step_action"] = "up:1"
    page = client.post(f"/staff/stretches/{neck.id}", data=form).get_data(as_text=True)
    steps = page[page.index('<fieldset id="steps"'):page.index("</fieldset>")]
    assert steps.index("Tilt your head slowly forward") < steps.index("Stand with your feet flat")
    assert stretch(session).steps[0].startswith("Stand with")  # not saved yet


def test_retiring_keeps_the_stretch_but_takes_it_off_the_sheet(app, session, client):
    staff = signed_in(app)
    piriformis = stretch(session, "piriformis-stretch")
    page = staff.get("/staff/stretches").get_data(as_text=True)
    response = staff.post(f"/staff/stretches/{piriformis.id}/retire",
                          data={"csrf_token": token_from(page), "version": piriformis.version})
    assert response.status_code == 303
    assert stretch(session, "piriformis-stretch").retired
    assert "Piriformis Stretch" not in client.get("/s/back-pain-stretches").get_data(as_text=True)


def test_routine_items_reorder_sort_and_override(app, session):
    client = signed_in(app)
    routine = session.scalar(select(Routine))
    reversed_rows = [(item.stretch_id, "", "") for item in reversed(routine.items)]
    form = routine_form(client, routine, reversed_rows)
    form["item_action"] = "sort"
    page = client.post(f"/staff/routines/{routine.id}", data=form).get_data(as_text=True)
    assert page.index("Neck Stretch") < page.index("Piriformis Stretch")
    del form["item_action"]
    form["items-0-hold"] = "45"
    response = client.post(f"/staff/routines/{routine.id}", data=form)
    assert response.status_code == 303
    session.expire_all()
    routine = session.get(Routine, routine.id)
    assert routine.items[0].stretch.slug == "piriformis-stretch"
    assert routine.items[0].hold_seconds == 45


def test_routine_refuses_out_of_range_holds(app, session):
    client = signed_in(app)
    routine = session.scalar(select(Routine))
    form = routine_form(client, routine)
    form["items-2-hold"] = "100000"
    response = client.post(f"/staff/routines/{routine.id}", data=form)
    assert response.status_code == 422
    assert "A hold is 1 to 600 seconds" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Routine, routine.id).version == 1


def test_routine_editor_shows_no_error_until_there_is_one(app, session):
    client = signed_in(app)
    routine = session.scalar(select(Routine))
    page = client.get(f"/staff/routines/{routine.id}").get_data(as_text=True)
    assert "field-error" not in page and "built-in method" not in page
    form = routine_form(client, routine, rows=[])
    response = client.post(f"/staff/routines/{routine.id}", data=form)
    assert response.status_code == 422
    assert "Add at least one stretch." in response.get_data(as_text=True)


def test_screen_settings_refuse_nonsense(app, session):
    client = signed_in(app)
    screen = session.scalar(select(Screen))
    form = screen_form(client, screen, dwell="1", idle="5", kinds=[], windows="1", **{
        "window-0-routine": screen.routine_id, "window-0-days": [0],
        "window-0-starts": "10:00", "window-0-ends": "09:00"})
    response = client.post(f"/staff/screens/{screen.id}", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for message in ("3 to 300 seconds", "20 to 3600 seconds", "at least one kind of slide",
                    "must end after it starts"):
        assert message in page
    session.expire_all()
    assert session.get(Screen, screen.id).dwell_seconds == 15


def test_only_admins_change_clinic_settings(app, session):
    assert signed_in(app, role="staff").get("/staff/settings").status_code == 403
    admin = signed_in(app, role="admin")
    page = admin.get("/staff/settings").get_data(as_text=True)
    form = {"csrf_token": token_from(page), "version": 1, "name": "Back in Balance",
            "therapist": "Jade Tran", "phone": "0425 444 304", "booking_url": "",
            "address": "", "hours": "", "public_url": "http://192.168.1.20:8000",
            "warning_signs": "Numbness\nDifficulty walking", "safety_notes": "Stop if it hurts",
            "tips": "Go slowly"}
    assert admin.post("/staff/settings", data=form).status_code == 303
    session.expire_all()
    assert [w.text for w in session.scalars(select(WarningSign).order_by(WarningSign.position))] \
        == ["Numbness", "Difficulty walking"]


@pytest.mark.parametrize("editor", ["settings", "screen", "routine", "stretch"])
def test_a_name_of_spaces_alone_is_no_name(app, session, editor):
    """A title or name a patient would see blank is refused in words, and nothing is saved."""
    client = signed_in(app, role="admin")
    screen, routine = session.scalar(select(Screen)), session.scalar(select(Routine))
    path, form, says = {
        "settings": ("/staff/settings", lambda: settings_form(client, name="   "),
                     "Clinic name is needed."),
        "screen": (f"/staff/screens/{screen.id}", lambda: screen_form(client, screen, name="  "),
                   "Give the screen a name"),
        "routine": (f"/staff/routines/{routine.id}",
                    lambda: {**routine_form(client, routine), "title": " "},
                    "Give the routine a title."),
        "stretch": ("/staff/stretches/1", lambda: {**stretch_form(client, 1), "title": "  "},
                    "Give the stretch a title."),
    }[editor]
    before = [(c.name, c.version) for c in session.scalars(select(Clinic))], screen.name, \
        routine.title, session.get(Stretch, 1).title
    response = client.post(path, data=form())
    assert response.status_code == 422 and says in response.get_data(as_text=True)
    session.expire_all()
    assert before == ([(c.name, c.version) for c in session.scalars(select(Clinic))],
                      session.get(Screen, screen.id).name, session.get(Routine, routine.id).title,
                      session.get(Stretch, 1).title)


def test_clinic_settings_with_fields_left_out_save_them_empty(app, session):
    """A form missing its optional fields (an old page, a script) saves them empty, not a 500."""
    admin = signed_in(app, role="admin")
    page = admin.get("/staff/settings").get_data(as_text=True)
    response = admin.post("/staff/settings", data={
        "csrf_token": token_from(page), "version": 1, "name": "Back in Balance",
        "warning_signs": "Numbness", "safety_notes": "Stop if it hurts"})
    assert response.status_code == 303, response.get_data(as_text=True)
    session.expire_all()
    clinic = session.scalar(select(Clinic))
    assert (clinic.name, clinic.therapist, clinic.phone) == ("Back in Balance", "", "")
    assert session.scalars(select(Tip)).all() == []


def test_clinic_settings_refuse_bad_addresses_and_empty_warnings(app, session):
    admin = signed_in(app, role="admin")
    page = admin.get("/staff/settings").get_data(as_text=True)
    form = {"csrf_token": token_from(page), "version": 1, "name": "Clinic", "therapist": "",
            "phone": "call us", "booking_url": "javascript:alert(1)", "address": "", "hours": "",
            "public_url": "clinic", "warning_signs": " \n ", "safety_notes": "x", "tips": ""}
    response = admin.post("/staff/settings", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "needs its digits" in page and "starting with http" in page
    assert "Warning signs cannot be empty" in page
    session.expire_all()
    assert len(session.scalars(select(WarningSign)).all()) == 7


def test_patient_sheet_made_in_the_console_opens_and_revokes(app, session, client):
    staff = signed_in(app)
    routine = session.scalar(select(Routine))
    page = staff.get("/staff/patient-sheets/new").get_data(as_text=True)
    response = staff.post("/staff/patient-sheets/new", data={
        "csrf_token": token_from(page), **item_fields([(routine.items[0].stretch_id, "25", "")]),
        "note": "Twice a day", "expires": "30"})
    assert response.status_code == 303
    detail = staff.get(response.headers["Location"]).get_data(as_text=True)
    sheet = session.scalar(select(PatientSheet))
    assert f"/p/{sheet.token}" in detail and "<svg" in detail
    assert "Hold for 25 seconds" in client.get(f"/p/{sheet.token}").get_data(as_text=True)
    staff.post(f"/staff/patient-sheets/{sheet.id}/revoke", data={"csrf_token": token_from(detail)})
    assert client.get(f"/p/{sheet.token}").status_code == 410


def test_usage_counts_opens_per_routine(app, client):
    client.get("/s/back-pain-stretches")
    client.get("/s/back-pain-stretches")
    page = signed_in(app).get("/staff/usage").get_data(as_text=True)
    assert "Back pain stretches: 2 opens" in page
    assert "<svg" in page


def test_a_row_button_pressed_through_htmx_gets_only_its_rows_back(app, session):
    """htmx swaps the rows in place: the answer is the fieldset alone, moved, nothing saved."""
    client = signed_in(app)
    routine = session.scalar(select(Routine))
    first, second = (item.stretch.title for item in routine.items[:2])
    form = {**routine_form(client, routine), "item_action": "down:0"}
    response = client.post(f"/staff/routines/{routine.id}", data=form,
                           headers={"HX-Request": "true"})
    rows = response.get_data(as_text=True)
    assert response.status_code == 200
    assert rows.lstrip().startswith('<fieldset id="routine-items">') and "<html" not in rows
    assert rows.index(second) < rows.index(first)
    assert f'hx-post="/staff/routines/{routine.id}"' in rows
    session.expire_all()
    assert session.get(Routine, routine.id).items[0].stretch.title == first

    neck = stretch(session)
    response = client.post(f"/staff/stretches/{neck.id}", headers={"HX-Request": "true"},
                           data={**stretch_form(client, neck.id), "step_action": "add"})
    steps = response.get_data(as_text=True)
    assert steps.lstrip().startswith('<fieldset id="steps"') and "<html" not in steps
    assert f'name="steps-{len(neck.steps)}"' in steps  # one more, empty, to fill in

    page = client.get("/staff/patient-sheets/new").get_data(as_text=True)
    response = client.post("/staff/patient-sheets/new", headers={"HX-Request": "true"}, data={
        "csrf_token": token_from(page), "item_action": "routine", "from_routine": routine.id})
    picked = response.get_data(as_text=True)
    assert picked.lstrip().startswith('<fieldset id="routine-items">')
    assert all(item.stretch.title in picked for item in routine.items)


def test_a_screen_form_with_a_slide_kind_it_does_not_offer_is_refused(app, session):
    client = signed_in(app)
    screen = session.scalar(select(Screen))
    form = screen_form(client, screen, name="Hall", kinds=["stretch", "news"])
    response = client.post(f"/staff/screens/{screen.id}", data=form)
    assert response.status_code == 422
    assert "Tick only the kinds of slide shown." in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Screen, screen.id).name != "Hall"
