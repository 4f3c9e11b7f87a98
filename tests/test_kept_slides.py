"""A screen's slide is rendered once and kept (kiosk/display/fragments.py) for as long as what
it shows stays the same, and not a moment longer: a real screen comes back to a slide only
after its whole loop, minutes later, and must still get the kept one; a schedule's window, the
end of "show now", a staff save and the clinic's next day each give a fresh one."""

import gzip
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from sqlalchemy import event, select

from kiosk.db import engine
from kiosk.display import fragments
from kiosk.models import Clinic, ContentState, Routine, ScreenSchedule, Stretch
from tests.test_display import HX, SCREEN, screen_row

# 2026-03-01 is a Sunday; Kiritimati's clock is 14 hours ahead of UTC: Monday already.
SUNDAY_NOON_UTC = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
FAR_EAST = "Pacific/Kiritimati"


class Screen:
    """The screen's browser, asking for slides as htmx does, at moments the test chooses."""

    def __init__(self, app, monkeypatch):
        self.client = app.test_client()
        self.monkeypatch = monkeypatch
        self.statements = []
        with app.app_context():
            event.listen(engine(), "before_cursor_execute", self._count)

    def _count(self, _connection, _cursor, statement, *_):
        self.statements.append(statement)

    def ask(self, key: str, at: datetime) -> tuple[str, int]:
        """The slide called `key` at `at`, and how many SQL statements answering it took."""
        self.monkeypatch.setattr(fragments, "now", lambda: at)
        self.statements.clear()
        response = self.client.get(f"{SCREEN}/slides/{key}", headers=HX)
        assert response.status_code == 200
        return response.get_data(as_text=True), len(self.statements)


@pytest.fixture
def screen(app, monkeypatch):
    return Screen(app, monkeypatch)


def in_clinic_time(session, name: str):
    session.scalar(select(Clinic)).timezone = name
    session.commit()


KEPT = 1  # statements: the screen's state, and nothing rendered


def test_a_screen_back_at_a_slide_after_its_loop_gets_the_kept_one(screen, session):
    """The loop of 11 slides at 15 s takes 2 3/4 minutes: the minute has changed, nothing the
    slide shows has (no schedule, no "show now", no save)."""
    first, rendered = screen.ask("stretch/neck-stretch", SUNDAY_NOON_UTC)
    again, statements = screen.ask("stretch/neck-stretch",
                                   SUNDAY_NOON_UTC + timedelta(minutes=2, seconds=45))
    assert rendered > KEPT
    assert (again, statements) == (first, KEPT)
    later, statements = screen.ask("stretch/neck-stretch", SUNDAY_NOON_UTC + timedelta(hours=5))
    assert (later, statements) == (first, KEPT)


def test_a_schedule_window_starting_gives_its_routine_at_once(screen, session):
    """Mondays from 07:00 on the clinic's clock (14 hours ahead of UTC), mornings' routine."""
    in_clinic_time(session, FAR_EAST)
    screen_row(session).schedule = [ScreenSchedule(
        position=1, routine=Routine(slug="mornings", title="Mornings"), weekdays=[0],
        starts="07:00", ends="09:00")]
    session.commit()
    sunday_6_59_monday_there = datetime(2026, 3, 1, 16, 59, 30, tzinfo=UTC)
    before, _ = screen.ask("contact", sunday_6_59_monday_there)
    assert "/s/back-pain-stretches" in before
    kept, statements = screen.ask("contact", sunday_6_59_monday_there + timedelta(seconds=20))
    assert (kept, statements) == (before, KEPT)  # within the minute before, still the same
    at_7, statements = screen.ask("contact", sunday_6_59_monday_there + timedelta(seconds=40))
    assert "/s/mornings" in at_7 and statements > KEPT
    at_9, _ = screen.ask("contact", sunday_6_59_monday_there + timedelta(hours=2, seconds=40))
    assert "/s/back-pain-stretches" in at_9


def test_show_now_ending_gives_the_screens_own_routine_back(screen, session):
    neck_only = Routine(slug="neck-only", title="Neck only")
    row = screen_row(session)
    row.override_routine, row.override_until = neck_only, SUNDAY_NOON_UTC + timedelta(minutes=5)
    session.commit()
    showing, _ = screen.ask("contact", SUNDAY_NOON_UTC)
    assert "/s/neck-only" in showing
    ended, _ = screen.ask("contact", SUNDAY_NOON_UTC + timedelta(minutes=5, seconds=1))
    assert "/s/back-pain-stretches" in ended


def test_a_staff_save_shows_on_the_next_ask(screen, session):
    screen.ask("stretch/shoulder-rolls", SUNDAY_NOON_UTC)
    session.scalar(select(Stretch).filter_by(slug="shoulder-rolls")).title = "Shoulder Circles"
    ContentState.bump(session)
    session.commit()
    slide, _ = screen.ask("stretch/shoulder-rolls", SUNDAY_NOON_UTC + timedelta(seconds=1))
    assert "<h1>Shoulder Circles</h1>" in slide


def test_the_clinics_next_day_gives_a_fresh_slide(screen, session):
    """Notices run from date to date on the clinic's clock: its midnight, not UTC's."""
    in_clinic_time(session, FAR_EAST)
    before_midnight_there = datetime(2026, 3, 1, 9, 59, 30, tzinfo=UTC)  # 23:59:30 there
    screen.ask("contact", before_midnight_there)
    _, statements = screen.ask("contact", before_midnight_there + timedelta(seconds=20))
    assert statements == KEPT
    _, statements = screen.ask("contact", before_midnight_there + timedelta(seconds=40))
    assert statements > KEPT


def test_a_kept_slide_is_the_fresh_one_gzipped_or_not(app):
    """Kept gzipped (a seventh of its size): a browser that takes no gzip gets it unpacked."""
    slide = f"{SCREEN}/slides/stretch/neck-stretch"
    gzip_ok = {**HX, "Accept-Encoding": "gzip, deflate, br"}
    client = app.test_client()
    fresh = client.get(slide, headers=gzip_ok)
    kept = client.get(slide, headers=gzip_ok)
    plain = client.get(slide, headers=HX)
    assert fresh.headers["Content-Encoding"] == kept.headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain.headers
    assert gzip.decompress(kept.data) == gzip.decompress(fresh.data) == plain.data
    assert b"<h1>Neck Stretch</h1>" in plain.data
    assert fresh.headers["ETag"] == kept.headers["ETag"] == plain.headers["ETag"]
    assert client.get(slide, headers={**gzip_ok, "If-None-Match": kept.headers["ETag"]}
                      ).status_code == 304


def test_a_kept_slide_and_a_check_each_take_one_connection(app, session):
    """Each connection taken from the pool costs a round trip before use (pool_pre_ping): the
    paired screen's slide (state read and report) and check (reads and report) take one."""
    screen = app.test_client()
    assert screen.get(f"/display/waiting-room/pair/{screen_row(session).report_key}"
                      ).status_code == 303
    taken = []
    with app.app_context():
        event.listen(engine(), "checkout", lambda *_: taken.append(1))
    for key in ("contact", "warning-signs"):
        screen.get(f"{SCREEN}/slides/{key}", headers=HX)  # made, so kept
    for n, key in enumerate(("contact", "warning-signs")):
        taken.clear()
        assert screen.get(f"{SCREEN}/slides/{key}", headers=HX).status_code == 200
        assert screen_row(session).last_slide == key.replace("-", " ").capitalize()
        assert len(taken) == 1
        taken.clear()
        assert screen.get(f"{SCREEN}/check?showing=Browsing {n}").status_code == 200
        assert screen_row(session).last_slide == f"Browsing {n}"
        assert len(taken) == 1


def test_connections_postgresql_dropped_do_not_fail_a_screen(make_app, database_url,
                                                             seeded_databases):
    """A restart of PostgreSQL drops every pooled connection: the screen's next slide and
    check still answer (pool_pre_ping in kiosk/db.py finds them dead first; without it, each
    worker's next request is a 503)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has no server to drop a connection")
    seeded_databases.fill(database_url)
    app = make_app(DATABASE_URL=database_url, PROPAGATE_EXCEPTIONS=False)
    client = app.test_client()
    asks = [f"{SCREEN}/check?showing=Contact", f"{SCREEN}/slides/contact",
            f"{SCREEN}/slides/warning-signs"]
    assert [client.get(path, headers=HX).status_code for path in asks] == [200] * 3
    with psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True) as admin:
        dropped = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                                ).fetchone()[0]
    assert dropped >= 1
    assert [client.get(path, headers=HX).status_code for path in asks] == [200] * 3
