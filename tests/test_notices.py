"""Notices (issue 15, item 6): a clinic's own slide, between two dates on its own clock.

A notice of North Lakes shows in its screens' loops and not in the first clinic's; one of every
clinic shows in both; each only from its first day to its last on the clinic's clock (the kept
slide too); its text is escaped like every other; a photo is checked as an upload is and
described for who cannot see it. Bad input gets a message and saves nothing; export and import
carry notices; each save is in the History."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from kiosk import transfer
from kiosk.db import get_session
from kiosk.display import fragments
from kiosk.models import Clinic, Notice, Revision
from tests.staff_helpers import fingerprint, signed_in, token_from
from tests.test_import_validation import add_row, cell, media_bytes, set_cells
from tests.test_media import a_file, image_bytes, mp4, post_multipart
from tests.test_transfer import (
    dump,
    export,
    import_into,
    new_machine,
    new_machine_url,
    packed,
    unpacked,
)

# The fresh machine an export moves to (tests/test_transfer.py).
new_machine, new_machine_url = new_machine, new_machine_url

HX = {"HX-Request": "true"}
FIRST_SCREEN = "/display/waiting-room"
NORTH_SCREEN = "/display/front-desk"
# 26 January 2027 in Brisbane (UTC+10, no daylight saving): from 14:00 UTC on the 25th to
# 14:00 UTC on the 26th. The first clinic runs on UTC here.
BRISBANE_MIDNIGHT = datetime(2027, 1, 25, 14, 0, tzinfo=UTC)
CLOSED = date(2027, 1, 26)
MINUTE = timedelta(minutes=1)


def notice_fields(client, url="/staff/notices/new", **changes) -> dict:
    page = client.get(url).get_data(as_text=True)
    fields = {"csrf_token": token_from(page), "version": "0",
              "title": "Closed Monday 26 January", "body": "Australia Day.\nBack on Tuesday.",
              "shows_from": "2027-01-26", "shows_until": "2027-01-26", "photo_text": ""}
    return {**fields, **changes}


def make_notice(client, **changes):
    """A notice made through the console's form, as staff make one."""
    return post_multipart(client, "/staff/notices/new", notice_fields(client, **changes))


def slide_at(client, screen: str, notice_id: int, at: datetime, monkeypatch) -> str:
    """What `screen` shows when it asks for the notice's slide at `at`, as htmx asks (through
    the kept slides)."""
    monkeypatch.setattr(fragments, "now", lambda: at)
    response = client.get(f"{screen}/slides/notice/{notice_id}", headers=HX)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def shows(page: str, notice_id: int) -> bool:
    return f'data-slide="notice/{notice_id}"' in page


def the_notice(session, title="Closed Monday 26 January") -> Notice:
    session.expire_all()
    return session.scalar(select(Notice).filter_by(title=title))


@pytest.fixture
def admin(north):
    """The organisation's admin of the first clinic and North Lakes, signed in."""
    return signed_in(north, "admin")


def first_clinic_in_utc(session):
    session.scalar(select(Clinic).order_by(Clinic.id)).timezone = "UTC"
    session.commit()


def test_a_clinics_notice_shows_in_its_loop_only_between_its_dates_on_its_clock(
        north, admin, session, monkeypatch):
    first_clinic_in_utc(session)
    response = make_notice(admin, clinic="north-lakes")
    assert response.status_code == 303, response.get_data(as_text=True)
    notice = the_notice(session)
    assert notice.clinic.slug == "north-lakes"
    screen = north.test_client()
    seen = {at: shows(slide_at(screen, NORTH_SCREEN, notice.id, at, monkeypatch), notice.id)
            for at in (BRISBANE_MIDNIGHT - MINUTE, BRISBANE_MIDNIGHT,
                       BRISBANE_MIDNIGHT + timedelta(days=1) - MINUTE,
                       BRISBANE_MIDNIGHT + timedelta(days=1))}
    # 23:59 on the 25th, midnight, 23:59 on the 26th, midnight on the 27th, Brisbane time:
    # UTC's date is the 25th for the first two, the 26th for the others.
    assert list(seen.values()) == [False, True, True, False]
    # The first clinic's screen, at a moment North Lakes shows it: not there.
    first = slide_at(screen, FIRST_SCREEN, notice.id, BRISBANE_MIDNIGHT + timedelta(hours=12),
                     monkeypatch)
    assert not shows(first, notice.id) and "Closed Monday" not in first


def test_the_notice_is_first_in_the_loop_with_its_title_lines_and_clinic(
        north, admin, session, monkeypatch):
    make_notice(admin, clinic="north-lakes")
    notice = the_notice(session)
    monkeypatch.setattr(fragments, "now", lambda: BRISBANE_MIDNIGHT + timedelta(hours=3))
    page = north.test_client().get(NORTH_SCREEN).get_data(as_text=True)
    first_slide = re.search(r'data-slide="([^"]+)"', page).group(1)
    assert first_slide == f"notice/{notice.id}"
    for words in ("Back in Balance North Lakes", "<h1>Closed Monday 26 January</h1>",
                  "Australia Day.</p>", "Back on Tuesday.</p>"):
        assert words in page


def test_a_notice_says_when_it_ends_for_a_screen_that_goes_offline(north, admin, session,
                                                                    monkeypatch):
    """Its clinic's midnight after its last day, in UTC: 14:00 UTC on the 26th in Brisbane
    (static/js/display.js drops it then, offline; tests/e2e/test_notices.py)."""
    make_notice(admin, clinic="north-lakes")
    notice = the_notice(session)
    page = slide_at(north.test_client(), NORTH_SCREEN, notice.id, BRISBANE_MIDNIGHT + MINUTE,
                    monkeypatch)
    assert 'data-ends-at="2027-01-26T14:00:00+00:00"' in page


def test_a_notice_for_every_clinic_shows_in_both_loops(north, admin, session, monkeypatch):
    first_clinic_in_utc(session)
    response = make_notice(admin, clinic="every-clinic", title="Price review in February")
    assert response.status_code == 303
    notice = the_notice(session, "Price review in February")
    assert notice.clinic_id is None
    noon = datetime(2027, 1, 26, 2, 0, tzinfo=UTC)  # the 26th in Brisbane and in UTC
    screen = north.test_client()
    for address in (FIRST_SCREEN, NORTH_SCREEN):
        assert shows(slide_at(screen, address, notice.id, noon, monkeypatch), notice.id), address


def test_a_notice_is_escaped_like_every_other_text(north, admin, session, monkeypatch):
    title = '<img src=x onerror=alert(1)> "Closed" & <b>shut</b>'
    make_notice(admin, clinic="north-lakes", title=title, body="<script>alert(2)</script>")
    notice = the_notice(session, title)
    page = slide_at(north.test_client(), NORTH_SCREEN, notice.id,
                    BRISBANE_MIDNIGHT + MINUTE, monkeypatch)
    assert "<img src=x" not in page and "<script>alert" not in page and "<b>shut" not in page
    assert "&lt;img src=x onerror=alert(1)&gt; &#34;Closed&#34; &amp; &lt;b&gt;shut" in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page


def test_a_kept_slide_of_the_loop_drops_the_notice_at_the_clinics_midnight(
        north, admin, session, monkeypatch):
    """The loop's last slide links to the notice; the kept copy of it must not, once the
    notice has ended, or the screen would keep asking for it."""
    make_notice(admin, clinic="north-lakes")
    notice = the_notice(session)
    screen = north.test_client()
    last_day = BRISBANE_MIDNIGHT + timedelta(days=1) - MINUTE
    contact = slide_at(screen, NORTH_SCREEN, 0, last_day, monkeypatch)  # falls back to first
    assert shows(contact, notice.id)
    monkeypatch.setattr(fragments, "now", lambda: last_day)
    before = screen.get(f"{NORTH_SCREEN}/slides/contact", headers=HX).get_data(as_text=True)
    assert f"slides/notice/{notice.id}" in before  # the next slide, after contact
    monkeypatch.setattr(fragments, "now", lambda: last_day + MINUTE)
    after = screen.get(f"{NORTH_SCREEN}/slides/contact", headers=HX).get_data(as_text=True)
    assert f"slides/notice/{notice.id}" not in after


def test_a_screen_that_unticks_notices_shows_none(north, admin, session, monkeypatch):
    from kiosk.models import Screen

    make_notice(admin, clinic="north-lakes")
    notice = the_notice(session)
    screen = session.scalar(select(Screen).filter_by(slug="front-desk"))
    screen.slide_kinds = ["stretch", "contact"]
    session.commit()
    page = slide_at(north.test_client(), NORTH_SCREEN, notice.id, BRISBANE_MIDNIGHT + MINUTE,
                    monkeypatch)
    assert not shows(page, notice.id)


def test_a_notices_photo_is_cleaned_described_and_shown_beside_it(
        north, admin, session, monkeypatch):
    response = make_notice(admin, clinic="north-lakes",
                           photo=a_file(image_bytes("JPEG", size=(1600, 1200)), "sam.jpg"),
                           photo_text="Sam, our new physio, at the front desk")
    assert response.status_code == 303, response.get_data(as_text=True)
    notice = the_notice(session)
    assert notice.media.kind == "image" and notice.media.width <= 1600
    page = slide_at(north.test_client(), NORTH_SCREEN, notice.id, BRISBANE_MIDNIGHT + MINUTE,
                    monkeypatch)
    photo = re.search(r'<img class="demo-media" src="([^"]+)" alt="([^"]*)"', page)
    assert photo.group(2) == "Sam, our new physio, at the front desk"
    served = north.test_client().get(photo.group(1))
    assert served.status_code == 200 and served.mimetype == "image/jpeg"

    # "Show no photo" takes it off; the words stay.
    fields = notice_fields(admin, f"/staff/notices/{notice.id}", version=str(notice.version),
                           clinic="north-lakes", remove_photo="y")
    assert post_multipart(admin, f"/staff/notices/{notice.id}", fields).status_code == 303
    assert the_notice(session).media_id is None


def test_a_video_or_a_damaged_file_is_refused_and_nothing_is_saved(north, admin, session):
    before = fingerprint(north)
    for upload, words in ((a_file(mp4(), "clip.mp4", "video/mp4"), "not a video"),
                          (a_file(b"\xff\xd8\xff\xe0 not really", "x.jpg"), "damaged")):
        response = make_notice(admin, clinic="north-lakes", photo=upload)
        assert response.status_code == 422
        assert words in response.get_data(as_text=True)
        assert "Nothing was saved." in response.get_data(as_text=True)
    assert fingerprint(north) == before


@pytest.mark.parametrize(("changes", "words"), [
    ({"title": ""}, "Give the notice a title"),
    ({"title": "x" * 121}, "Keep the title under 120"),
    ({"body": "one\ntwo\nthree\nfour\nfive\nsix\nseven"}, "at most 6 lines"),
    ({"body": "y" * 401}, "Keep the lines under 400"),
    ({"shows_from": "26/01/2027"}, "Give the first day as a date"),
    ({"shows_until": ""}, "Give the last day as a date"),
    ({"shows_from": "2027-01-27"}, "The last day comes before the first"),
    ({"shows_until": "2028-02-01"}, "at most 366 days"),
    ({"shows_from": "2020-01-01", "shows_until": "2020-01-02"}, "has passed on the clinic"),
    ({"clinic": "nowhere"}, "Pick one of the clinics shown"),
])
def test_bad_input_gets_a_message_and_saves_nothing(north, admin, changes, words):
    before = fingerprint(north)
    response = make_notice(admin, **{"clinic": "north-lakes", **changes})
    assert response.status_code == 422
    assert words in response.get_data(as_text=True)
    assert fingerprint(north) == before


def test_staff_make_their_clinics_notices_and_not_every_clinics(north, session):
    first_id, north_id = session.scalars(select(Clinic.id).order_by(Clinic.id)).all()
    lee = signed_in(north, "staff", "lee", clinics={north_id: "staff"})
    page = lee.get("/staff/notices/new").get_data(as_text=True)
    assert 'name="clinic"' not in page  # one clinic: nothing to pick
    assert make_notice(lee, title="Lakes parking closed").status_code == 303
    assert the_notice(session, "Lakes parking closed").clinic_id == north_id
    # Someone at both clinics picks one of them; every clinic is not theirs to give.
    kim = signed_in(north, "staff", "kim", clinics={first_id: "staff", north_id: "staff"})
    page = kim.get("/staff/notices/new").get_data(as_text=True)
    assert 'name="clinic"' in page and 'value="every-clinic"' not in page
    refused = make_notice(kim, clinic="every-clinic", title="For everyone")
    assert refused.status_code == 422 and "Pick one of the clinics shown" in refused.text
    assert the_notice(session, "For everyone") is None

    admin = signed_in(north, "admin", "olive")
    make_notice(admin, clinic="every-clinic", title="For everyone")
    everyones = the_notice(session, "For everyone")
    # Staff see the organisation's notice and may not change or delete it.
    assert lee.get(f"/staff/notices/{everyones.id}").status_code == 200
    fields = notice_fields(lee, f"/staff/notices/{everyones.id}", title="Taken over",
                           version=str(everyones.version))
    assert post_multipart(lee, f"/staff/notices/{everyones.id}", fields).status_code == 403
    assert lee.post(f"/staff/notices/{everyones.id}/delete",
                    data={"csrf_token": fields["csrf_token"]}).status_code == 403
    assert the_notice(session, "For everyone").title == "For everyone"


def test_a_one_clinic_install_asks_no_clinic_and_lists_its_notices(app, session):
    admin = signed_in(app, "admin")
    page = admin.get("/staff/notices/new").get_data(as_text=True)
    assert 'name="clinic"' not in page and "Every clinic" not in page
    # A new notice starts today, on the clinic's clock, for a week.
    assert re.search(r'name="shows_from"[^>]*value="\d{4}-\d\d-\d\d"', page)
    assert make_notice(admin, shows_from="2099-01-01", shows_until="2099-01-02").status_code == 303
    notice = the_notice(session)
    assert notice.clinic_id == session.scalar(select(Clinic.id))
    listing = admin.get("/staff/notices").get_data(as_text=True)
    coming = listing[listing.index("Still to come"):listing.index(">Ended<")]
    assert "Closed Monday 26 January" in coming and "Thu 1 Jan 2099" in coming
    assert "Shown by" not in listing


def test_each_save_is_in_the_history_and_an_earlier_version_comes_back(north, admin, session):
    make_notice(admin, clinic="north-lakes", shows_from="2099-01-01", shows_until="2099-01-02")
    notice = the_notice(session)
    fields = notice_fields(admin, f"/staff/notices/{notice.id}", clinic="north-lakes",
                           version=str(notice.version), title="Closed Tuesday 27 January",
                           shows_from="2099-01-01", shows_until="2099-01-03")
    assert post_multipart(admin, f"/staff/notices/{notice.id}", fields).status_code == 303
    history = admin.get(f"/staff/history/notice/{notice.id}").get_data(as_text=True)
    assert "Closed Tuesday 27 January" in history and "2099-01-03" in history
    first = session.scalar(select(Revision).filter_by(entity="notice").order_by(Revision.id))
    token = token_from(history)
    restored = admin.post(f"/staff/history/notice/{notice.id}/restore",
                          data={"csrf_token": token, "version": str(first.version),
                                "current": str(first.version + 1)})
    assert restored.status_code == 303, restored.get_data(as_text=True)
    notice = the_notice(session)
    assert (notice.title, notice.shows_until) == ("Closed Monday 26 January", date(2099, 1, 2))


def test_deleting_a_notice_takes_it_off_the_screens_with_its_history(
        north, admin, session, monkeypatch):
    make_notice(admin, clinic="north-lakes")
    notice = the_notice(session)
    notice_id = notice.id
    page = admin.get(f"/staff/notices/{notice_id}").get_data(as_text=True)
    response = admin.post(f"/staff/notices/{notice_id}/delete",
                          data={"csrf_token": token_from(page)})
    assert response.status_code == 303
    assert the_notice(session) is None
    assert session.scalar(select(func.count()).select_from(Revision)
                          .filter_by(entity="notice")) == 0
    page = slide_at(north.test_client(), NORTH_SCREEN, notice_id, BRISBANE_MIDNIGHT + MINUTE,
                    monkeypatch)
    assert not shows(page, notice_id)
    audit = admin.get("/staff/audit").get_data(as_text=True)
    assert "Deleted a notice" in audit and "Closed Monday 26 January" in audit


def test_the_preview_shows_the_notice_as_its_screens_do_and_may_be_framed(north, admin,
                                                                          session):
    make_notice(admin, clinic="north-lakes", shows_from="2099-01-01", shows_until="2099-01-02")
    notice = the_notice(session)
    editor = admin.get(f"/staff/notices/{notice.id}").get_data(as_text=True)
    assert f'src="/staff/notices/{notice.id}/preview"' in editor
    preview = admin.get(f"/staff/notices/{notice.id}/preview")
    assert preview.status_code == 200
    assert "frame-ancestors 'self'" in preview.headers["Content-Security-Policy"]
    page = preview.get_data(as_text=True)
    assert "<h1>Closed Monday 26 January</h1>" in page and "Back in Balance North Lakes" in page
    assert north.test_client().get(f"/staff/notices/{notice.id}/preview").status_code in (302,
                                                                                          303)


def test_export_and_import_carry_notices_and_refuse_a_bad_one(north, admin, session,
                                                            new_machine):
    make_notice(admin, clinic="north-lakes", shows_from="2099-01-01", shows_until="2099-01-02",
                photo=a_file(image_bytes("PNG"), "sign.png", "image/png"),
                photo_text="The sign on the door")
    make_notice(admin, clinic="every-clinic", title="For everyone",
                shows_from="2099-01-01", shows_until="2099-01-02")
    exported = export(north)
    import_into(new_machine, exported)
    with new_machine.app_context():
        moved = {n.title: n for n in get_session().scalars(select(Notice))}
        lakes = moved["Closed Monday 26 January"]
        assert (lakes.clinic.slug, lakes.shows_until, lakes.photo_text) == (
            "north-lakes", date(2099, 1, 2), "The sign on the door")
        assert lakes.media.kind == "image" and moved["For everyone"].clinic_id is None

    refusals = {
        "Its clinic is not in the file": {"clinic_id": 999},
        "Its photo is not in the file": {"media_id": 999},
        "The last day comes before the first": {"shows_until": "2098-01-01"},
        "Give the notice a title": {"title": ""},
        "at most 6 lines": {"body": "1\n2\n3\n4\n5\n6\n7"},
    }
    before = dump(new_machine)
    for words, change in refusals.items():
        document = unpacked(exported)
        set_cells(document, "notice", 0, **change)
        with pytest.raises(transfer.TransferError, match=words):
            import_into(new_machine, packed(document))
    document = unpacked(exported)
    video = add_row(document, "media", kind="video")
    media_bytes(document, mp4(), "video/mp4", row=video)
    set_cells(document, "media", video, width=None, height=None)
    set_cells(document, "notice", 0, media_id=cell(document, "media", "id", video))
    with pytest.raises(transfer.TransferError, match="a notice shows only photos"):
        import_into(new_machine, packed(document))
    assert dump(new_machine) == before
