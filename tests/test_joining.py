"""A new screen joins by a code (kiosk/display/joining.py): it shows the code, staff type it in
the console with a clinic, a name and a routine, and the screen starts its loop, paired; and
the fleet view: every screen of the clinics an account sees, by clinic, quiet ones marked, and
"show this now" on one screen, a clinic's screens or (the organisation's admin) all."""

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from kiosk.db import unique_slug
from kiosk.display import joining
from kiosk.models import Clinic, PairingCode, Routine, Screen
from tests.staff_helpers import fingerprint, token_from
from tests.staff_helpers import signed_in as staff_signed_in

CODE = re.compile(r'<p class="joining-code"[^>]*>([A-Z0-9]{3} [A-Z0-9]{3})</p>')


def code_of(page: str) -> str:
    return CODE.search(page).group(1)


def signed_in(app, username, role="staff", **account):
    return staff_signed_in(app, role, username, **account)


def join(console, code, name="Treatment room 2", **fields):
    page = console.get("/staff/screens/join").get_data(as_text=True)
    routine = re.search(r'<option value="(\d+)"[^>]*>Back pain stretches<', page).group(1)
    return console.post("/staff/screens/join", data={
        "csrf_token": token_from(page), "code": code, "name": name, "routine": routine,
        **fields})


def test_a_new_screen_shows_a_code_and_starts_its_loop_paired_once_staff_type_it(app, session):
    screen_browser = app.test_client()
    first = screen_browser.get("/display/pairing")
    assert first.status_code == 200 and "no-store" in first.headers["Cache-Control"]
    code = code_of(first.get_data(as_text=True))
    assert all(c in joining.ALPHABET for c in code.replace(" ", ""))
    # The same browser keeps its code; another browser gets its own.
    assert code_of(screen_browser.get("/display/pairing").text) == code
    assert code_of(app.test_client().get("/display/pairing").text) != code
    assert screen_browser.get("/display/pairing/wait").status_code == 204

    console = signed_in(app, "jade", role="admin")
    # As a person types it off the screen: lower case, a dash instead of the space.
    added = join(console, code.lower().replace(" ", "-"))
    assert added.status_code == 303, added.get_data(as_text=True)
    screen = session.scalar(select(Screen).filter_by(name="Treatment room 2"))
    assert screen.clinic == Clinic.first(session) and screen.routine.title == "Back pain stretches"

    # The screen's next poll sends it on; the page pairs it and opens its loop.
    poll = screen_browser.get("/display/pairing/wait", headers={"HX-Request": "true"})
    assert poll.headers["HX-Redirect"] == "/display/pairing"
    opened = screen_browser.get("/display/pairing")
    assert opened.status_code == 303 and opened.location == f"/display/{screen.slug}"
    assert screen_browser.get(opened.location).status_code == 200
    screen_browser.get(f"/display/{screen.slug}/check?showing=Neck+Stretch")
    session.expire_all()
    assert session.get(Screen, screen.id).last_slide == "Neck Stretch"  # its reports count
    assert session.scalar(select(func.count()).select_from(PairingCode)) == 1  # the other one
    # Its code is used up: typed again, it names no screen.
    again = join(console, code, name="Another")
    assert again.status_code == 422
    assert f"No new screen shows {code}" in again.get_data(as_text=True)


def test_a_wrong_or_old_code_is_refused_in_words_and_makes_nothing(app, session):
    browser = app.test_client()
    code = code_of(browser.get("/display/pairing").text)
    console = signed_in(app, "jade", role="admin")
    before = fingerprint(app)
    wrong = join(console, "AAA AAA" if code != "AAA AAA" else "CCC CCC")
    assert wrong.status_code == 422
    assert "check the code on the screen" in wrong.get_data(as_text=True)
    assert fingerprint(app) == before
    session.execute(update(PairingCode).values(
        created_at=datetime.now(UTC) - joining.LASTS - timedelta(minutes=1)))
    session.commit()
    old = join(console, code)
    assert old.status_code == 422 and "changes after an hour" in old.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Screen)) == 1
    # The screen whose code ran out is sent for a new one.
    assert browser.get("/display/pairing/wait").headers["HX-Redirect"] == "/display/pairing"
    assert code_of(browser.get("/display/pairing").text) != code


def test_display_opens_the_first_screen_on_one_clinic_and_a_code_on_a_group(north, client):
    assert client.get("/display").location == "/display/pairing"


def test_one_clinic_keeps_display_as_it_was(client):
    assert client.get("/display").location == "/display/waiting-room"


def test_no_screen_is_ever_named_as_the_joining_page(app):
    with app.test_request_context():
        assert unique_slug(Screen, "Pairing", "screen") == "pairing-2"


def test_codes_waiting_at_once_are_bounded(app, monkeypatch):
    monkeypatch.setattr(joining, "MOST_WAITING", 2)
    for _ in range(2):
        assert app.test_client().get("/display/pairing").status_code == 200
    refused = app.test_client().get("/display/pairing")
    assert refused.status_code == 503 and "try again in an hour" in refused.text


def test_codes_waiting_from_one_address_are_bounded_and_others_still_join(app, monkeypatch):
    """A script at one address opening the page in a loop gets a refusal in words after a
    clinic's worth of screens; a new screen elsewhere still gets its code."""
    monkeypatch.setattr(joining, "MOST_FROM_ONE_ADDRESS", 3)
    from_here = {"REMOTE_ADDR": "203.0.113.7"}
    for _ in range(3):
        assert app.test_client().get("/display/pairing", environ_base=from_here).status_code == 200
    refused = app.test_client().get("/display/pairing", environ_base=from_here)
    assert refused.status_code == 503 and "try again in an hour" in refused.text
    elsewhere = app.test_client().get("/display/pairing",
                                      environ_base={"REMOTE_ADDR": "198.51.100.9"})
    assert elsewhere.status_code == 200 and code_of(elsewhere.text)


def test_staff_join_a_screen_only_to_their_own_clinic(north, session):
    first, other = session.scalars(select(Clinic).order_by(Clinic.id)).all()
    code = code_of(north.test_client().get("/display/pairing").text)
    console = signed_in(north, "anna", clinics={first.id: "staff"})
    page = console.get("/staff/screens/join").get_data(as_text=True)
    assert "North Lakes" not in page and 'name="clinic"' not in page  # one clinic: no picker
    refused = join(console, code, clinic=other.slug)
    # The picker is not there, so the field is ignored: the screen is the staff's clinic's.
    assert refused.status_code == 303
    assert session.scalar(select(Screen).filter_by(name="Treatment room 2")).clinic_id == first.id


def test_someone_at_two_clinics_picks_which(north, session):
    first, other = session.scalars(select(Clinic).order_by(Clinic.id)).all()
    code = code_of(north.test_client().get("/display/pairing").text)
    console = signed_in(north, "sam", clinics={first.id: "staff", other.id: "staff"})
    assert 'name="clinic"' in console.get("/staff/screens/join").get_data(as_text=True)
    assert join(console, code, clinic="elsewhere").status_code == 422
    assert join(console, code, clinic=other.slug).status_code == 303
    assert session.scalar(select(Screen).filter_by(name="Treatment room 2")).clinic_id == other.id


# ---- The fleet view

def quiet(session, name, minutes):
    session.execute(update(Screen).where(Screen.name == name).values(
        last_report_at=datetime.now(UTC) - timedelta(minutes=minutes), last_slide="Neck Stretch"))
    session.commit()


def test_the_fleet_view_groups_every_clinics_screens_and_marks_the_quiet_ones(north, session):
    quiet(session, "Waiting room", 0)
    quiet(session, "Front desk", 30)
    console = signed_in(north, "olive", role="admin")
    page = console.get("/staff/screens").get_data(as_text=True)
    sections = page.split('<section class="fleet-clinic"')[1:]
    assert len(sections) == 2
    assert "Waiting room" in sections[0] and "Front desk" not in sections[0]
    assert "Back in Balance North Lakes: 1 screen, <span class=\"status-warning\">1 quiet" \
        in sections[1]
    assert 'class="screen-silent"' in sections[1] and 'class="screen-silent"' not in sections[0]
    only_north = console.get("/staff/screens?clinic=north-lakes").get_data(as_text=True)
    assert "Front desk" in only_north and "Waiting room" not in only_north
    # htmx's refresh gets the screens alone.
    region = console.get("/staff/screens", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert region.lstrip().startswith('<div id="fleet"') and "<h1>" not in region


def show_now(console, on, routine_id, **fields):
    token = token_from(console.get("/staff/screens").get_data(as_text=True))
    return console.post("/staff/screens", data={
        "csrf_token": token, "on": on, "routine": routine_id, "minutes": "20", **fields})


def overrides(session):
    session.expire_all()
    return {s.name: s.override_routine_id for s in session.scalars(select(Screen))}


def test_show_now_on_one_screen_a_clinics_screens_or_every_screen(north, runner, session):
    runner.invoke(args=["add-screen", "--clinic", "north-lakes", "Gym"])
    library = session.scalar(select(Routine).filter_by(clinic_id=None)).id
    first, other = session.scalars(select(Clinic).order_by(Clinic.id)).all()
    bea = signed_in(north, "bea", clinics={other.id: "admin"})
    # Every screen is the organisation's admin's to change: refused, nothing changed.
    show_now(bea, "all", library)
    assert set(overrides(session).values()) == {None}
    show_now(bea, "clinic:north-lakes", library)
    assert overrides(session) == {"Waiting room": None, "Front desk": library, "Gym": library}
    waiting_room = session.scalar(select(Screen).filter_by(name="Waiting room")).id
    show_now(bea, f"screen:{waiting_room}", library)
    show_now(bea, f"clinic:{first.slug}", library)
    assert overrides(session)["Waiting room"] is None  # not hers
    show_now(bea, "clinic:north-lakes", library, stop="1")
    assert set(overrides(session).values()) == {None}

    olive = signed_in(north, "olive", role="admin")
    show_now(olive, "all", library)
    assert set(overrides(session).values()) == {library}
    # A routine of North Lakes' own never goes on another clinic's screen.
    own = Routine(slug="lakes", title="Lakes", clinic_id=other.id)
    session.add(own)
    session.commit()
    show_now(olive, "all", own.id)
    show_now(olive, f"clinic:{first.slug}", own.id)
    show_now(olive, f"screen:{waiting_room}", own.id)
    assert set(overrides(session).values()) == {library}
