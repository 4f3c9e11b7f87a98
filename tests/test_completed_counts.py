"""Sessions completed at home, counted as opens are: a phone that followed its sheet to the end
posts once to the sheet's /done address, with nothing in it, and the day's count for that sheet
goes up by one. Only the sheet's own pages may post it; the console shows the counts per patient
sheet, day by day, and per routine."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from kiosk.models import PatientSheet, SheetOpen
from tests.sheet_helpers import make_sheet
from tests.staff_helpers import signed_in

SHEET = "/s/back-pain-stretches"
SAME_SITE = {"Sec-Fetch-Site": "same-origin"}


def completed(session, kind="routine"):
    session.expire_all()
    return sum(row.completed for row in session.scalars(select(SheetOpen).filter_by(kind=kind)))


def test_a_completed_session_counts_one_and_opens_stay_as_they_were(app, client, session):
    client.get(SHEET)
    response = client.post(f"{SHEET}/done", headers=SAME_SITE)
    assert response.status_code == 204 and response.data == b""
    client.post(f"{SHEET}/done", headers={"Origin": "http://localhost"})  # no Fetch Metadata
    row = session.scalar(select(SheetOpen).filter_by(kind="routine"))
    session.refresh(row)
    assert (row.opens, row.completed) == (1, 2)
    assert row.day == datetime.now(UTC).date()


def test_only_the_sheets_own_pages_may_post_a_count(app, client, session):
    for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
                    {"Origin": "https://elsewhere.example"}, {"Origin": "null"}, {}):
        response = client.post(f"{SHEET}/done", headers=headers)
        assert response.status_code == 403, headers
        assert "only when the sheet&#39;s own page says so" in response.get_data(as_text=True)
    assert completed(session) == 0
    assert client.get(f"{SHEET}/done").status_code == 405  # a link or a prefetch counts nothing
    assert completed(session) == 0


def test_unknown_and_withdrawn_sheets_count_nothing(app, client, session):
    assert client.post("/s/no-such-routine/done", headers=SAME_SITE).status_code == 404
    assert client.post("/p/not-a-token/done", headers=SAME_SITE).status_code == 404
    token = make_sheet(app)
    assert client.post(f"/p/{token}/done", headers=SAME_SITE).status_code == 204
    assert completed(session, "patient") == 1
    sheet = session.scalar(select(PatientSheet))
    sheet.revoked_at = datetime.now(UTC)
    session.commit()
    response = client.post(f"/p/{token}/done", headers=SAME_SITE)
    assert response.status_code == 410
    assert response.headers["Cache-Control"] == "private, no-store"
    assert completed(session, "patient") == 1


def test_the_console_shows_each_patient_sheets_days_of_use(app, client, session):
    token = make_sheet(app)
    sheet = session.scalar(select(PatientSheet))
    today = datetime.now(UTC).date()
    sheet.created_at = datetime.now(UTC) - timedelta(days=9)
    # Two days back it was opened and completed twice (two phones); five days back opened only.
    session.add_all([
        SheetOpen(kind="patient", sheet_id=sheet.id, clinic_id=sheet.clinic_id,
                  day=today - timedelta(days=2), opens=3, completed=2),
        SheetOpen(kind="patient", sheet_id=sheet.id, clinic_id=sheet.clinic_id,
                  day=today - timedelta(days=5), opens=1, completed=0),
    ])
    session.commit()
    client.post(f"/p/{token}/done", headers=SAME_SITE)  # and today, completed
    staff = signed_in(app)
    page = staff.get(f"/staff/patient-sheets/{sheet.id}").get_data(as_text=True)
    assert "Used at home" in page
    assert "Opened on 2 days. Completed on 2 days." in page
    assert "Opened on 2 and completed on 2 of the 10 days since" in page
    assert page.count('class="chart use-strip"') == 1
    day = today - timedelta(days=2)
    assert f"<title>{day:%d %b}: 3</title>" in page and f"<title>{day:%d %b}: 2</title>" in page
    listing = staff.get("/staff/patient-sheets").get_data(as_text=True)
    assert "on 2 days" in listing
    usage = staff.get("/staff/usage").get_data(as_text=True)
    assert "on 2 days" in usage


def test_the_console_totals_each_routines_completed_sessions(app, client):
    client.get(SHEET)
    for _ in range(3):
        client.post(f"{SHEET}/done", headers=SAME_SITE)
    page = signed_in(app).get("/staff/usage").get_data(as_text=True)
    assert "Back pain stretches: 1 opens" in page
    assert "Followed to the end 3 times in these 30 days (a phone counts once a day)." in page


def test_the_consoles_preview_of_a_sheet_never_sends_a_count(client):
    """Staff trying the buttons in a preview are not a patient finishing their stretches."""
    page = client.get(f"{SHEET}?preview=1").get_data(as_text=True)
    assert 'data-done-url=""' in page
    assert f'data-done-url="{SHEET}/done"' in client.get(SHEET).get_data(as_text=True)
