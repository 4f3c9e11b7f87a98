"""Take-home sheets through Flask's client: content, patient tokens, QR caching, open counts."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect, select

from kiosk.content import load_article
from kiosk.db import engine
from kiosk.models import PatientSheet, SheetOpen
from kiosk.patient_sheets import TOKEN_BYTES
from kiosk.sheets import qr_fingerprint
from tests.conftest import PUBLIC_URL
from tests.sheet_helpers import make_sheet

ARTICLE = load_article()
SHEET = "/s/back-pain-stretches"


def test_routine_sheet_holds_every_stretch_step_and_the_safety_content(client):
    page = client.get(SHEET).get_data(as_text=True)
    for stretch in ARTICLE["stretches"]:
        assert stretch["title"] in page
        for step in stretch["steps"]:
            assert step in page
    assert "Hold for 30 seconds" in page  # piriformis
    for group in ("tips", "safety_notes", "warning_signs"):
        for line in ARTICLE[group]:
            assert line["text"] in page
    assert 'href="tel:+61425444304"' in page
    assert "Articles are intended to convey information only" in page
    assert f"{PUBLIC_URL}{SHEET}".split("://")[1] in page  # the short URL under the QR


def test_stretches_appear_in_routine_order(client):
    page = client.get(SHEET).get_data(as_text=True)
    positions = [page.index(f'id="{s["slug"]}-title"') for s in ARTICLE["stretches"]]
    assert positions == sorted(positions)


def test_unknown_routine_is_a_friendly_404_with_the_clinic_contact(client):
    response = client.get("/s/no-such-routine")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "no stretch sheet at this address" in page
    assert 'href="tel:+61425444304"' in page


def test_patient_sheet_tokens_are_unguessable(app, client):
    token = make_sheet(app)
    assert TOKEN_BYTES * 8 >= 64 and len(token) >= 16
    assert client.get(f"/p/{token}").status_code == 200
    other = make_sheet(app)
    assert other != token
    assert client.get("/p/AAAAAAAAAAAAAAAA").status_code == 404


def test_patient_sheet_shows_its_note_escaped_and_its_own_holds(app, client):
    token = make_sheet(app, note="<script>alert(1)</script> Twice a day.",
                       holds={"neck-stretch": 25})
    response = client.get(f"/p/{token}")
    page = response.get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Twice a day." in page
    assert "<script>alert(1)" not in page
    assert "Hold for 25 seconds" in page
    assert "private" in response.headers["Cache-Control"]
    assert response.headers["Referrer-Policy"] == "no-referrer"


def withdraw(session, token, how):
    """Revoke the sheet as staff do, or move its last day to yesterday."""
    sheet = session.scalar(select(PatientSheet).filter_by(token=token))
    if how == "revoked":
        sheet.revoked_at = datetime.now(UTC)
    else:
        sheet.expires_on = datetime.now(UTC).date() - timedelta(days=1)
    session.commit()


WITHDRAWN_WORDS = {
    "revoked": ("This sheet has been withdrawn", "call the clinic"),
    "expired": ("This sheet has expired", "call the clinic for a new one"),
}


@pytest.mark.parametrize("how", ["revoked", "expired"])
@pytest.mark.parametrize("address", ["", ".pdf", "/qr.svg", "/manifest.webmanifest"])
def test_a_withdrawn_sheet_is_gone_says_why_and_whom_to_call_and_shows_nothing_else(
        app, client, session, how, address):
    token = make_sheet(app, note="Twice a day, gently.")
    withdraw(session, token, how)
    response = client.get(f"/p/{token}{address}")
    page = response.get_data(as_text=True)
    assert response.status_code == 410  # Gone: the phone's service worker drops its copy
    assert response.mimetype == "text/html"
    heading, advice = WITHDRAWN_WORDS[how]
    assert f"<h1>{heading}</h1>" in page and advice in page
    call = ('<a class="button" href="tel:+61425444304">Call Jade Tran: '
            '<bdi dir="ltr">0425 444 304</bdi></a>')
    assert call in page
    assert "Twice a day" not in page
    for stretch in ARTICLE["stretches"]:
        assert stretch["title"] not in page
    assert "Your stretches" not in page and "Before you start" not in page
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert opens(session, "patient") == 0


@pytest.mark.parametrize("address", ["", ".pdf", "/qr.svg", "/qr.svg?v=", "/manifest.webmanifest"])
def test_nothing_at_a_patient_sheets_address_is_kept_or_leaks_its_token(app, client, address):
    """The PDF holds the note and the QR the token: no cache keeps them (the phone's service
    worker keeps its own copy for offline use), no link followed carries the address off."""
    token = make_sheet(app, note="Twice a day, gently.")
    if address.endswith("?v="):
        address += qr_fingerprint(f"{PUBLIC_URL}/p/{token}")
    response = client.get(f"/p/{token}{address}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Robots-Tag"] == "noindex"  # no search engine lists it


def test_a_routine_sheet_says_what_it_is_to_search_engines_and_a_patients_hides(app, client):
    """A link to a routine's sheet, shared or found, says what opens; a patient's sheet asks
    not to be listed at all, and its description holds nothing of the note."""
    response = client.get(SHEET)
    page = response.get_data(as_text=True)
    description = re.search(r'<meta name="description" content="([^"]+)">', page).group(1)
    assert description.startswith("Back pain stretches from Remedial Massage Clinic: 7 stretches,")
    assert "noindex" not in page and "X-Robots-Tag" not in response.headers
    token = make_sheet(app, note="Twice a day, gently.")
    page = client.get(f"/p/{token}").get_data(as_text=True)
    assert '<meta name="robots" content="noindex">' in page
    description = re.search(r'<meta name="description" content="([^"]+)">', page).group(1)
    assert "Twice a day" not in description and "7 stretches" in description


def test_a_sheet_that_was_never_made_is_not_kept_either(client):
    response = client.get("/p/AAAAAAAAAAAAAAAA.pdf")
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_a_revoked_sheet_past_its_last_day_says_withdrawn(app, client, session):
    token = make_sheet(app)
    withdraw(session, token, "expired")
    withdraw(session, token, "revoked")
    page = client.get(f"/p/{token}").get_data(as_text=True)
    assert "This sheet has been withdrawn" in page and "expired" not in page


@pytest.mark.parametrize("address", ["", ".pdf", "/qr.svg", "/manifest.webmanifest"])
def test_a_sheet_never_made_is_not_found(app, client, address):
    make_sheet(app)
    response = client.get(f"/p/AAAAAAAAAAAAAAAA{address}")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "There is no stretch sheet at this address" in page
    assert 'href="tel:+61425444304"' in page


def test_patient_sheets_expire_after_the_configured_days(app, session):
    token = make_sheet(app)
    sheet = session.scalar(select(PatientSheet).filter_by(token=token))
    assert sheet.expires_on == datetime.now(UTC).date() + timedelta(days=180)


def test_make_sheet_command_prints_the_address(runner, session):
    result = runner.invoke(args=["make-sheet", "--stretch", "neck-stretch", "--note", "Daily"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().rsplit("/p/", 1)[1]
    assert result.output.startswith(f"{PUBLIC_URL}/p/")
    sheet = session.scalar(select(PatientSheet).filter_by(token=token))
    assert [item.title for item in sheet.items] == ["Neck Stretch"]
    bad = runner.invoke(args=["make-sheet", "--stretch", "no-such-stretch"])
    assert bad.exit_code != 0 and "no stretch" in bad.output


def test_qr_route_is_cached_by_content(client):
    with client.get(f"{SHEET}/qr.svg") as response:
        assert response.status_code == 200
        assert response.mimetype == "image/svg+xml"
        etag = response.headers["ETag"]
    with client.get(f"{SHEET}/qr.svg", headers={"If-None-Match": etag}) as response:
        assert response.status_code == 304
    fingerprint = qr_fingerprint(PUBLIC_URL + SHEET)
    with client.get(f"{SHEET}/qr.svg?v={fingerprint}") as response:
        assert "immutable" in response.headers["Cache-Control"]


def opens(session, kind="routine"):
    session.expire_all()
    return sum(row.opens for row in session.scalars(select(SheetOpen).filter_by(kind=kind)))


def test_each_open_counts_once_and_nothing_else_counts(app, client, session):
    assert opens(session) == 0
    client.get(SHEET)
    client.get(SHEET)
    assert opens(session) == 2
    client.head(SHEET)
    client.get(SHEET, headers={"Purpose": "prefetch"})
    client.get(SHEET, headers={"Sec-Purpose": "prefetch;prerender"})
    client.get(SHEET + "?preview=1")  # the console's preview of the sheet
    with client.get(f"{SHEET}/qr.svg"):
        pass
    client.get(f"{SHEET}/manifest.webmanifest")
    with client.get("/static/css/sheet.css"):
        pass
    assert opens(session) == 2
    token = make_sheet(app)
    client.get(f"/p/{token}")
    assert opens(session, "patient") == 1


def test_the_counter_table_cannot_identify_anyone(app):
    with app.app_context():
        columns = {c["name"] for c in inspect(engine()).get_columns("sheet_open")}
    # Which sheet, which clinic gave it, which day, how often: nothing about who opened it.
    assert columns == {"kind", "sheet_id", "clinic_id", "day", "opens", "completed"}


def test_manifest_makes_the_sheet_installable(client):
    manifest = client.get(f"{SHEET}/manifest.webmanifest").get_json(force=True)
    assert manifest["start_url"] == SHEET
    assert manifest["display"] == "standalone"
    assert manifest["icons"]


def test_service_worker_is_served_for_the_whole_site(client):
    with client.get("/sheet-sw.js") as response:
        assert response.status_code == 200
        assert response.headers["Service-Worker-Allowed"] == "/"
        assert "javascript" in response.mimetype


def test_pdf_is_a_pdf_of_every_stretch(client):
    response = client.get(f"{SHEET}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data[:4] == b"%PDF"


def test_healthz_warns_when_qr_codes_would_point_at_this_machine(make_app, database_url):
    from kiosk.db import migrate

    for public_url, warned in [("", True), ("http://127.0.0.1:8000", True),
                               ("http://localhost:8000", True), ("http://0.0.0.0:8000", True),
                               ("http://192.168.1.20:8000", False)]:
        app = make_app(DATABASE_URL=database_url, PUBLIC_URL=public_url)
        with app.app_context():
            migrate()
        warnings = app.test_client().get("/healthz").json["warnings"]
        assert bool(warnings) is warned, public_url
