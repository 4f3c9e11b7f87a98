"""Which routine a screen shows (show now first, then its schedule in the clinic's time zone,
then its own), and what the console says each screen last reported."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from kiosk.models import Clinic, Routine, Screen, ScreenSchedule
from kiosk.schedule import routine_for
from tests.staff_helpers import screen_form, settings_form, signed_in, token_from


def test_screen_schedule_and_show_now_pick_the_routine(app, session):
    client = signed_in(app)
    screen = session.scalar(select(Screen))
    back = screen.routine
    morning = Routine(slug="mornings", title="Mornings")
    session.add(morning)
    session.commit()
    form = screen_form(client, screen, windows="1", **{
        "window-0-routine": morning.id, "window-0-days": list(range(7)),
        "window-0-starts": "00:00", "window-0-ends": "23:59"})
    assert client.post(f"/staff/screens/{screen.id}", data=form).status_code == 303
    session.expire_all()
    screen = session.get(Screen, screen.id)
    with app.app_context():
        assert routine_for(screen).title == "Mornings"
    page = client.get(f"/staff/screens/{screen.id}").get_data(as_text=True)
    client.post(f"/staff/screens/{screen.id}/show-now",
                data={"csrf_token": token_from(page), "routine": back.id, "minutes": 5})
    session.expire_all()
    screen = session.get(Screen, screen.id)
    with app.app_context():
        assert routine_for(screen).slug == "back-pain-stretches"
        later = datetime.now(UTC) + timedelta(minutes=6)
        assert routine_for(screen, later).title == "Mornings"


# Mondays 07:00 to 09:00, clinic time. 2026-03-01 is a Sunday, 2026-07-06 a Monday.
@pytest.mark.parametrize(("timezone", "moment", "shows"), [
    # Sunday 22:30 UTC is Monday 08:30 in Brisbane (UTC+10) ...
    ("Australia/Brisbane", datetime(2026, 3, 1, 22, 30, tzinfo=UTC), "Mornings"),
    # ... and still Sunday night in London: the screen's own routine.
    ("Europe/London", datetime(2026, 3, 1, 22, 30, tzinfo=UTC), "Back pain stretches"),
    # Monday 06:30 UTC in July is 07:30 in London on summer time, but 06:30 in Reykjavik.
    ("Europe/London", datetime(2026, 7, 6, 6, 30, tzinfo=UTC), "Mornings"),
    ("Atlantic/Reykjavik", datetime(2026, 7, 6, 6, 30, tzinfo=UTC), "Back pain stretches"),
], ids=["brisbane-monday", "london-sunday", "london-summer-time", "reykjavik-too-early"])
def test_a_schedule_window_is_read_on_the_clinics_clock(app, session, timezone, moment, shows):
    screen = session.scalar(select(Screen))
    mornings = Routine(slug="mornings", title="Mornings")
    screen.schedule = [ScreenSchedule(position=1, routine=mornings, weekdays=[0],
                                      starts="07:00", ends="09:00")]
    session.commit()
    app.config["TIMEZONE"] = timezone
    with app.app_context():
        assert routine_for(screen, moment).title == shows


def test_the_clinics_own_time_zone_wins_over_the_installs(app, session):
    """Set in the clinic's settings, the time zone its screens' schedules run on; a name no
    clock runs on is refused in words and changes nothing."""
    screen = session.scalar(select(Screen))
    screen.schedule = [ScreenSchedule(position=1, routine=Routine(slug="mornings",
                                                                  title="Mornings"),
                                      weekdays=[0], starts="07:00", ends="09:00")]
    session.commit()
    app.config["TIMEZONE"] = "Europe/London"
    sunday_night_in_london = datetime(2026, 3, 1, 22, 30, tzinfo=UTC)  # Monday 08:30 Brisbane
    client = signed_in(app, role="admin")
    refused = client.post("/staff/settings", data=settings_form(client, timezone="Brisbane"))
    assert refused.status_code == 422
    assert "Write a time zone as the world names it" in refused.get_data(as_text=True)
    session.expire_all()
    assert session.scalar(select(Clinic.timezone)) == ""
    with app.app_context():
        assert routine_for(session.get(Screen, screen.id), sunday_night_in_london).title == (
            "Back pain stretches")

    saved = client.post("/staff/settings",
                        data=settings_form(client, timezone=" Australia/Brisbane "))
    assert saved.status_code == 303
    session.expire_all()
    assert session.scalar(select(Clinic.timezone)) == "Australia/Brisbane"
    with app.app_context():
        assert routine_for(session.get(Screen, screen.id), sunday_night_in_london).title == (
            "Mornings")


def test_silent_screens_show_red(app, session):
    client = signed_in(app)
    screen = session.scalar(select(Screen))
    screen.last_report_at, screen.last_slide = datetime.now(UTC), "Neck Stretch"
    session.commit()
    page = client.get("/staff/").get_data(as_text=True)
    assert "status-live" in page and "Neck Stretch" in page
    screen.last_report_at = datetime.now(UTC) - timedelta(minutes=3)
    session.commit()
    page = client.get("/staff/").get_data(as_text=True)
    assert "status-silent" in page and "gone quiet" in page


@pytest.mark.parametrize(("quiet_for", "says"), [
    (timedelta(seconds=20), "20 s ago"), (timedelta(minutes=25), "25 min ago"),
    (timedelta(hours=5), "5 h ago"), (timedelta(days=3), "3 days ago"),
], ids=["seconds", "minutes", "hours", "days"])
def test_the_console_says_how_long_ago_a_screen_last_reported(app, session, quiet_for, says):
    staff = signed_in(app)  # first: signing in takes a while (a slow password hash)
    screen = session.scalar(select(Screen))
    screen.last_report_at, screen.last_slide = datetime.now(UTC) - quiet_for, "Neck Stretch"
    session.commit()
    page = staff.get("/staff/screens").get_data(as_text=True)
    assert f"Neck Stretch, {says}" in page
