"""Each clinic of a group sees only its own (kiosk/staff/access.py): staff, and even the admin,
of one clinic get 404 for every console address that names another clinic's screen, patient
sheet, own routine, settings or staff account, by URL, by id, through History and through htmx
fragments; nothing changes; and no list shows them. The routes are read from the app's URL
map, so a route added later is covered, or this test says it is unknown."""

from datetime import date

import pytest
from sqlalchemy import func, select

from kiosk.accounts import create_staff
from kiosk.db import get_session
from kiosk.models import (
    Clinic,
    Notice,
    PatientSheet,
    Routine,
    RoutineItem,
    Screen,
    StaffAccount,
    Stretch,
)
from kiosk.patient_sheets import Choice, make_patient_sheet
from kiosk.revisions import save
from tests.staff_helpers import PASSWORD, fingerprint, login, token_from

# What a page must not show to staff of the first clinic: the second's names and numbers.
NORTHS = ("North Lakes", "07 3000 9999", "Front desk", "Lakes mornings", "bea.lakes",
          "Lakes car park closed")
# Console addresses whose ids name nothing of a clinic, and why.
NOT_A_CLINICS = {
    "stretch_id": "stretches are the organisation's library, shown by every clinic",
    "name": "the staff guide's pages and pictures",
    "token": "the first run's set-up link, before any account exists",
    "code": "a language; its page lists only the clinic details of the account's own clinics",
}


@pytest.fixture
def group(north):
    """The seeded clinic, and North Lakes with a screen, an own routine, a patient sheet and
    an admin of its own; staff and an admin of the first clinic."""
    app = north
    with app.app_context():
        db = get_session()
        first, north = db.scalars(select(Clinic).order_by(Clinic.id)).all()
        stretch = db.scalar(select(Stretch).order_by(Stretch.neck_order))
        routine = Routine(slug="lakes-mornings", title="Lakes mornings", clinic=north,
                          items=[RoutineItem(stretch_id=stretch.id, position=1)])
        db.add(routine)
        db.commit()
        sheet = make_patient_sheet(db, [Choice(stretch)], "Twice a day", clinic=north)
        accounts = {
            "anna": create_staff(db, "anna", PASSWORD, clinics={first.id: "staff"},
                                 edits_library=True),
            "adam": create_staff(db, "adam", PASSWORD, clinics={first.id: "admin"}),
            "bea.lakes": create_staff(db, "bea.lakes", PASSWORD, clinics={north.id: "admin"}),
        }
        screen = db.scalar(select(Screen).filter_by(clinic_id=north.id))
        # Saved as the console saves it, so History has its revision to keep from the others.
        notice = Notice(clinic=north, body="Park on the street.", shows_from=date(2026, 1, 1),
                        shows_until=date(2099, 1, 1))
        save(db, notice, 0, None, lambda: setattr(notice, "title", "Lakes car park closed"),
             "Saved notice Lakes car park closed")
        return {
            "screen_id": screen.id, "sheet_id": sheet.id, "routine_id": routine.id,
            "account_id": accounts["bea.lakes"].id, "clinic": north.slug,
            "notice_id": notice.id,
            "history": [("screen", screen.id), ("routine", routine.id), ("clinic", north.id),
                        ("notice", notice.id)],
            "token": sheet.token, "first": first.slug,
        }


def signed_in(app, username):
    client = app.test_client()
    assert login(client, username).status_code == 303
    return client


def norths_addresses(app, north) -> list[tuple[str, str, str]]:
    """(endpoint, method, URL) of every console route that names one of North Lakes' records;
    a route whose ids are neither North Lakes' nor in NOT_A_CLINICS fails the test."""
    addresses = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("staff.") or not rule.arguments:
            continue
        arguments = set(rule.arguments)
        if arguments == {"entity", "entity_id"}:
            values = [{"entity": e, "entity_id": i} for e, i in north["history"]]
        elif arguments <= set(north) - {"history", "token"}:
            values = [{name: north[name] for name in arguments}]
        else:
            unknown = arguments - set(NOT_A_CLINICS)
            assert not unknown, f"{rule.rule}: does {unknown} name a clinic's record?"
            continue
        with app.test_request_context():
            from flask import url_for

            for value in values:
                url = url_for(rule.endpoint, **value)
                addresses += [(rule.endpoint, method, url)
                              for method in sorted(rule.methods & {"GET", "POST"})]
    return addresses


@pytest.mark.parametrize("username", ["anna", "adam"])
def test_another_clinics_records_are_not_there_by_url_id_history_or_fragment(app, group,
                                                                             username):
    client = signed_in(app, username)
    token = token_from(client.get("/staff/").get_data(as_text=True))
    addresses = norths_addresses(app, group)
    covered = {endpoint for endpoint, _, _ in addresses}
    assert {"staff.edit_screen", "staff.show_now", "staff.patient_sheet", "staff.edit_routine",
            "staff.account", "staff.history_of", "staff.restore_version",
            "staff.settings", "staff.edit_notice", "staff.notice_preview",
            "staff.delete_notice"} <= covered
    before = fingerprint(app)
    for _, method, url in addresses:
        for headers in ({}, {"HX-Request": "true"}):
            if method == "GET":
                response = client.get(url, headers=headers)
            else:
                response = client.post(url, headers=headers, data={
                    "csrf_token": token, "version": "1", "name": "Taken over",
                    "routine": str(group["routine_id"]), "minutes": "30", "role": "admin"})
            page = response.get_data(as_text=True)
            assert response.status_code == 404, (username, method, url, response.status_code)
            assert not [name for name in NORTHS if name in page], (method, url)
    assert fingerprint(app) == before


@pytest.mark.parametrize("username", ["anna", "adam"])
def test_no_list_shows_another_clinics_records(app, group, username):
    client = signed_in(app, username)
    lists = [rule.rule for rule in app.url_map.iter_rules()
             if rule.endpoint.startswith("staff.") and not rule.arguments
             and "GET" in rule.methods and rule.endpoint not in {"staff.login",
                                                                  "staff.transfer_download"}]
    assert {"/staff/", "/staff/screens", "/staff/patient-sheets", "/staff/routines",
            "/staff/history", "/staff/usage", "/staff/accounts", "/staff/notices"} <= set(lists)
    for url in lists:
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(url, headers=headers)
            page = response.get_data(as_text=True)
            assert response.status_code in (200, 403), (url, response.status_code)
            assert not [name for name in NORTHS if name in page], url
            assert group["token"] not in page


def test_north_lakes_own_admin_sees_and_changes_its_records(app, group):
    """The same addresses are there for the clinic they belong to: the 404s above are about
    whose records they are, not broken pages."""
    client = signed_in(app, "bea.lakes")
    for url in (f"/staff/screens/{group['screen_id']}", f"/staff/routines/{group['routine_id']}",
                f"/staff/patient-sheets/{group['sheet_id']}", "/staff/settings/north-lakes",
                f"/staff/history/screen/{group['screen_id']}",
                f"/staff/accounts/{group['account_id']}"):
        assert client.get(url).status_code == 200, url
    screens = client.get("/staff/screens").get_data(as_text=True)
    assert "Front desk" in screens and "Waiting room" not in screens
    assert "bea.lakes (clinic admin)" in screens
    settings = client.get("/staff/settings").get_data(as_text=True)
    assert "07 3000 9999" in settings and "0425 444 304" not in settings


def test_the_organisation_admin_sees_every_clinic(app, group, runner):
    result = runner.invoke(args=["add-staff", "olive", "--organisation"], input=PASSWORD)
    assert result.exit_code == 0, result.output
    client = signed_in(app, "olive")
    screens = client.get("/staff/screens").get_data(as_text=True)
    assert "Front desk" in screens and "Waiting room" in screens
    assert "olive (organisation admin)" in screens
    assert client.get(f"/staff/routines/{group['routine_id']}").status_code == 200
    assert client.get("/staff/settings/north-lakes").status_code == 200


def test_staff_of_one_clinic_cannot_change_the_library_without_the_right(app, group, session):
    """Staff of a group edit the library only when given the right (anna has it, dan not)."""
    create_staff(session, "dan", PASSWORD, clinics={1: "staff"})
    stretch = session.scalar(select(Stretch).order_by(Stretch.neck_order))
    client = signed_in(app, "dan")
    token = token_from(client.get(f"/staff/stretches/{stretch.id}").get_data(as_text=True))
    before = fingerprint(app)
    refused = client.post(f"/staff/stretches/{stretch.id}/retire",
                          data={"csrf_token": token, "version": str(stretch.version)})
    assert refused.status_code == 403
    assert client.post("/staff/stretches/new", data={"csrf_token": token}).status_code == 403
    assert fingerprint(app) == before
    anna = signed_in(app, "anna")
    token = token_from(anna.get(f"/staff/stretches/{stretch.id}").get_data(as_text=True))
    done = anna.post(f"/staff/stretches/{stretch.id}/retire",
                     data={"csrf_token": token, "version": str(stretch.version)})
    assert done.status_code == 303
    session.expire_all()
    assert session.get(Stretch, stretch.id).retired
    assert session.scalar(select(PatientSheet).filter_by(token=group["token"])) is not None


def test_add_staff_places_the_account_at_its_clinics_and_refuses_in_one_line(group, runner,
                                                                              session):
    def add(*args):
        return runner.invoke(args=["add-staff", *args], input=PASSWORD)

    count = session.scalar(select(func.count()).select_from(StaffAccount))
    for args, said in [
        (["sam"], "Name the clinic: --clinic SLUG (one of north-lakes, "),
        (["sam", "--clinic", "nowhere"], "There is no clinic 'nowhere'"),
        (["sam", "--organisation", "--clinic", "north-lakes"], "leave out --clinic"),
    ]:
        refused = add(*args)
        assert refused.exit_code == 1 and said in refused.output, refused.output
    assert session.scalar(select(func.count()).select_from(StaffAccount)) == count

    made = add("bo", "--role", "admin", "--clinic", "north-lakes")
    assert made.output == ("Created staff account 'bo' (admin at Back in Balance North "
                           "Lakes).\n")
    both = add("cy", "--clinic", "north-lakes", "--clinic", group["first"], "--library")
    assert both.exit_code == 0, both.output
    assert "staff at Back in Balance North Lakes" in both.output
    assert "edits the library" in both.output
    olive = add("olive", "--organisation")
    assert olive.output == "Created admin account 'olive' (organisation admin).\n"
    session.expire_all()
    cy = session.scalar(select(StaffAccount).filter_by(username="cy"))
    assert len(cy.memberships) == 2 and cy.edits_library


def test_a_one_clinic_install_asks_no_clinic_anywhere(app, runner):
    """As it always was: no clinic to pick, no clinic in a heading, /display opens the screen."""
    result = runner.invoke(args=["add-staff", "jade", "--role", "admin"], input=PASSWORD)
    assert result.output == "Created admin account 'jade' (admin).\n"
    client = signed_in(app, "jade")
    for url in ("/staff/screens/new", "/staff/screens/join", "/staff/patient-sheets/new",
                "/staff/routines/new", "/staff/accounts", "/staff/screens", "/staff/settings"):
        page = client.get(url).get_data(as_text=True)
        assert 'name="clinic"' not in page and 'id="clinic-filter"' not in page, url
        assert "Organisation admin" not in page and "Every clinic" not in page, url
    assert client.get("/display").location == "/display/waiting-room"
    assert '<h2 id="fleet-' in client.get("/staff/screens").text  # for screen readers only
    assert 'class="visually-hidden">Remedial Massage Clinic' in client.get("/staff/screens").text
