"""Several clinics on one install (kiosk/clinics.py): an installer adds clinics and their screens
from the command line, each screen and patient sheet gives its own clinic's phone, and each
clinic's screens keep its own clock."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from kiosk.accounts import create_staff
from kiosk.db import get_session
from kiosk.models import (
    Clinic,
    PatientSheet,
    Revision,
    Routine,
    RoutineItem,
    Screen,
    ScreenSchedule,
    SheetOpen,
    Stretch,
)
from kiosk.patient_sheets import Choice, make_patient_sheet
from kiosk.schedule import routine_for
from tests.readers import pdf_text, qr_codes_in_svg
from tests.staff_helpers import NORTH, PASSWORD, login


def north_lakes_sheet(app) -> str:
    """A patient sheet made at North Lakes; its token."""
    with app.app_context():
        db = get_session()
        clinic = db.scalar(select(Clinic).filter_by(slug="north-lakes"))
        stretch = db.scalar(select(Stretch).order_by(Stretch.neck_order))
        return make_patient_sheet(db, [Choice(stretch)], clinic=clinic).token


def test_each_screen_gives_its_own_clinics_phone(north):
    client = north.test_client()
    first = client.get("/display/waiting-room/contact").get_data(as_text=True)
    second = client.get("/display/front-desk/contact").get_data(as_text=True)
    assert "0425 444 304" in first and "07 3000 9999" not in first
    assert "07 3000 9999" in second and "0425 444 304" not in second
    assert "Back in Balance North Lakes" in second


def test_a_patient_sheet_gives_the_phone_of_the_clinic_that_made_it(north, session):
    token = north_lakes_sheet(north)
    client = north.test_client()
    for path in (f"/p/{token}", f"/p/{token}/manifest.webmanifest"):
        page = client.get(path).get_data(as_text=True)
        assert ("07 3000 9999" in page or "North Lakes" in page) and "0425 444 304" not in page
    session.execute(update(PatientSheet).values(revoked_at=datetime.now(UTC)))
    session.commit()
    withdrawn = client.get(f"/p/{token}")
    assert withdrawn.status_code == 410
    assert "07 3000 9999" in withdrawn.text and "0425 444 304" not in withdrawn.text


def test_each_clinics_screens_keep_its_clock(north, session):
    """Monday 07:00-09:00 mornings on both screens: at 22:30 UTC on a Sunday it is Monday 08:30
    in Brisbane (the new clinic's zone) and still Sunday night in London (the install's)."""
    north.config["TIMEZONE"] = "Europe/London"
    mornings = Routine(slug="mornings", title="Mornings")
    for screen in session.scalars(select(Screen)):
        screen.schedule = [ScreenSchedule(position=1, routine=mornings, weekdays=[0],
                                          starts="07:00", ends="09:00")]
    session.commit()
    moment = datetime(2026, 3, 1, 22, 30, tzinfo=UTC)
    with north.app_context():
        shows = {screen.slug: routine_for(screen, moment).title
                 for screen in get_session().scalars(select(Screen))}
    assert shows == {"waiting-room": "Back pain stretches", "front-desk": "Mornings"}
    later = moment + timedelta(hours=9)  # Monday 07:30 in London, 17:30 in Brisbane
    with north.app_context():
        shows = {screen.slug: routine_for(screen, later).title
                 for screen in get_session().scalars(select(Screen))}
    assert shows == {"waiting-room": "Mornings", "front-desk": "Back pain stretches"}


def test_make_run_lists_each_clinics_screens_under_it(north, runner):
    output = runner.invoke(args=["urls"]).output
    north_at, ours_at = output.index("Back in Balance North Lakes (north-lakes):"), output.index(
        "Remedial Massage Clinic (remedial-massage-clinic):")
    assert north_at < output.index("    Screen Front desk: http://clinic.test:8000/display/"
                                   "front-desk") < ours_at
    assert ours_at < output.index("    Screen Waiting room: http://clinic.test:8000/display/"
                                  "waiting-room")


def test_one_clinic_lists_its_screens_as_before(runner):
    output = runner.invoke(args=["urls"]).output
    assert "  Screen Waiting room: http://clinic.test:8000/display/waiting-room\n" in output
    assert "(remedial-massage-clinic)" not in output


@pytest.mark.parametrize(("args", "says"), [
    (NORTH, "There is a clinic 'north-lakes' already."),
    (["add-clinic", "North Lakes", "--name", "N", "--phone", "07 3000 9999"],
     "The clinic's address name 'North Lakes': lowercase letters, digits and '-'"),
    (["add-clinic", "south", *NORTH[2:-2], "--timezone", "Brisbane"],
     "Time zone (screens' schedules run on its clock): Write a time zone as the world names it"),
    (["add-clinic", "south", "--name", "South", "--phone", "call us"],
     "Phone: A phone number needs its digits"),
    (["add-clinic", "south", "--name", "South", "--phone", "07 3000 1111",
      "--public-url", "javascript:alert(1)"], "Write a full web address starting with http://"),
    (["add-clinic", "south", "--name", " ", "--phone", "07 3000 1111"],
     "Clinic name: Clinic name is needed."),
    (["add-screen", "--clinic", "nowhere", "Foyer"],
     "There is no clinic 'nowhere'; `flask --app kiosk urls` lists them."),
    (["add-screen", "--clinic", "north-lakes", "--routine", "no-such-routine", "Foyer"],
     "Clinic 'north-lakes' has no routine 'no-such-routine', of its own or the library's."),
    (["add-screen", "--clinic", "north-lakes", "x" * 121], "A screen's name: 1 to 120"),
], ids=["duplicate", "slug", "time-zone", "phone", "public-url", "no-name", "no-clinic",
        "no-routine", "long-name"])
def test_an_installers_mistake_is_refused_in_one_line_and_changes_nothing(north, runner, session,
                                                                         args, says):
    before = (session.scalars(select(Clinic.slug)).all(), session.scalars(select(Screen.slug))
              .all(), session.scalar(select(Revision.id).order_by(Revision.id.desc())))
    refused = runner.invoke(args=args)
    assert refused.exit_code == 1
    assert says in refused.output and "Traceback" not in refused.output
    session.expire_all()
    assert before == (session.scalars(select(Clinic.slug)).all(),
                      session.scalars(select(Screen.slug)).all(),
                      session.scalar(select(Revision.id).order_by(Revision.id.desc())))


def test_added_clinics_and_screens_are_in_the_history(north, session):
    summaries = session.scalars(select(Revision.summary).order_by(Revision.id)).all()
    assert summaries[-2:] == ["Added clinic Back in Balance North Lakes (command line)",
                              "Added screen Front desk (command line)"]


def test_a_screens_qr_leads_to_the_sheet_with_its_own_clinics_phone(north, session):
    """With two clinics, a routine's sheet carries the clinic in its address: the front desk's
    QR opens the North Lakes sheet, page and PDF with its phone; the old short address still
    answers, with the first clinic's."""
    client = north.test_client()
    take_home = client.get("/display/front-desk/take-home").get_data(as_text=True)
    address = "/c/north-lakes/s/back-pain-stretches"
    assert f"clinic.test:8000{address}" in take_home
    assert qr_codes_in_svg(client.get(f"{address}/qr.svg").text) == [
        f"http://clinic.test:8000{address}"]
    page = client.get(address).get_data(as_text=True)
    assert "07 3000 9999" in page and "0425 444 304" not in page
    assert f'href="{address}.pdf"' in page
    assert "07 3000 9999" in pdf_text(client.get(f"{address}.pdf").data)
    waiting_room = client.get("/display/waiting-room/take-home").get_data(as_text=True)
    assert "clinic.test:8000/c/remedial-massage-clinic/s/back-pain-stretches" in waiting_room
    assert "0425 444 304" in client.get("/s/back-pain-stretches").text


def test_a_clinics_own_routine_is_not_at_another_clinics_address(north, session):
    north_lakes = session.scalar(select(Clinic).filter_by(slug="north-lakes"))
    stretch = session.scalar(select(Stretch).order_by(Stretch.neck_order))
    session.add(Routine(slug="north-mornings", title="North mornings", clinic=north_lakes,
                        items=[RoutineItem(stretch=stretch, position=1)]))
    session.commit()
    client = north.test_client()
    assert client.get("/c/north-lakes/s/north-mornings").status_code == 200
    assert "07 3000 9999" in client.get("/s/north-mornings").text  # its own clinic's
    for path in ("/c/remedial-massage-clinic/s/north-mornings", "/c/nowhere/s/north-mornings",
                 "/c/remedial-massage-clinic/s/north-mornings.pdf",
                 "/c/remedial-massage-clinic/s/north-mornings/qr.svg"):
        assert client.get(path).status_code == 404, path


def test_a_clinic_with_its_own_public_address_has_it_in_its_qr_codes(north, runner, session):
    """Set for North Lakes only: its screen's and its patient sheets' QR codes hold it, and the
    app answers to it; the first clinic's keep KIOSK_PUBLIC_URL."""
    session.execute(update(Clinic).where(Clinic.slug == "north-lakes")
                    .values(public_url="https://north.clinic.example"))
    session.commit()
    token = north_lakes_sheet(north)
    client = north.test_client()
    front_desk = client.get("/display/front-desk/take-home").get_data(as_text=True)
    assert "north.clinic.example/c/north-lakes/s/back-pain-stretches" in front_desk
    waiting_room = client.get("/display/waiting-room/take-home").get_data(as_text=True)
    assert "clinic.test:8000/c/remedial-massage-clinic/s/back-pain-stretches" in waiting_room
    assert qr_codes_in_svg(client.get(f"/p/{token}/qr.svg").text) == [
        f"https://north.clinic.example/p/{token}"]
    answered = client.get("/c/north-lakes/s/back-pain-stretches",
                          headers={"Host": "north.clinic.example"})
    assert answered.status_code == 200 and "07 3000 9999" in answered.text
    assert client.get("/", headers={"Host": "south.clinic.example"}).status_code == 400


def test_nothing_north_lakes_shows_sends_its_patients_to_the_first_clinic(north, session):
    """The library is shared, the clinic's details are not: every slide and panel of North
    Lakes' screen, its routine sheet (page and PDF) and a sheet made for one of its patients
    give North Lakes' phone and never the first clinic's therapist or number, which the
    article's own text names."""
    from kiosk.display.content import ScreenContent

    first = ("0425 444 304", "Jade Tran", "+61425444304")
    client = north.test_client()
    with north.test_request_context():
        screen = get_session().scalar(select(Screen).filter_by(slug="front-desk"))
        keys = [slide.key for slide in ScreenContent(get_session(), screen).slides]
    assert len(keys) > 10
    pages = [f"/display/front-desk/slides/{key}" for key in keys]
    pages += [f"/display/front-desk/{panel}" for panel in (
        "browse", "contact", "take-home", "warning-signs", "stretches/neck-stretch")]
    pages += ["/display/front-desk", "/c/north-lakes/s/back-pain-stretches",
              f"/p/{north_lakes_sheet(north)}"]
    for path in pages:
        page = client.get(path, headers={"HX-Request": "true"} if "slides" in path else {})
        assert page.status_code == 200, path
        assert not [words for words in first if words in page.text], path
    assert "07 3000 9999" in client.get("/display/front-desk/contact").text
    for pdf in ("/c/north-lakes/s/back-pain-stretches.pdf",
                f"/p/{north_lakes_sheet(north)}.pdf"):
        text = pdf_text(client.get(pdf).data)
        assert "07 3000 9999" in text and not [w for w in first if w in text], pdf


def test_a_routine_sheet_opened_from_north_lakes_counts_for_north_lakes(north, session):
    client = north.test_client()
    for path in ("/c/north-lakes/s/back-pain-stretches", "/c/north-lakes/s/back-pain-stretches",
                 "/s/back-pain-stretches", f"/p/{north_lakes_sheet(north)}"):
        assert client.get(path).status_code == 200
    first, other = session.scalars(select(Clinic).order_by(Clinic.id)).all()
    counts = session.execute(select(SheetOpen.kind, SheetOpen.clinic_id, SheetOpen.opens)
                             .order_by(SheetOpen.kind, SheetOpen.clinic_id)).all()
    assert counts == [("patient", other.id, 1), ("routine", first.id, 1),
                      ("routine", other.id, 2)]
    # Each clinic's staff see their own clinic's opens of the shared routine.
    for clinic, opens in ((first, "1 opens"), (other, "2 opens")):
        create_staff(session, f"staff-{clinic.slug}", PASSWORD, clinics={clinic.id: "staff"})
        staff = north.test_client()
        login(staff, f"staff-{clinic.slug}")
        usage = staff.get("/staff/usage").get_data(as_text=True)
        assert f"Back pain stretches: {opens}" in usage, clinic.slug
