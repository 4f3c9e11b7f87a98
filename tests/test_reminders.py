"""'Remind me every day': the calendar file a sheet offers, read twice, by the `icalendar`
package and by RFC 5545 alone (this file's reader, the standard library only); the time chosen
kept nowhere on the server; bad input refused in words."""

import re
import sqlite3
import urllib.parse
import urllib.request
from contextlib import closing
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from kiosk.reminders import reminder_calendar
from tests.conftest import PUBLIC_URL, SQLITE_ONLY
from tests.readers import refusal_message
from tests.sheet_helpers import make_sheet
from tests.test_gunicorn_config import gunicorn

SHEET = "/s/back-pain-stretches"
TITLE = "Back pain stretches"


# ---- RFC 5545 by the standard library alone


def read_rfc5545(data: bytes) -> dict:
    """The calendar as RFC 5545 writes it, checked on the way: CRLF line ends and nothing
    else, lines of at most 75 octets each valid UTF-8 (a fold never splits a character),
    folded lines unfolded (CRLF then a space or tab), every BEGIN closed by its own END.
    Returns the outermost component: {"name", "properties": [(name, params, value)],
    "components": [...]}."""
    assert data.endswith(b"\r\n")
    physical = data[:-2].split(b"\r\n")
    logical: list[str] = []
    for line in physical:
        assert b"\r" not in line and b"\n" not in line, line
        assert len(line) <= 75, f"{len(line)} octets: {line!r}"
        text = line.decode("utf-8")  # raises on a character split between two lines
        if text[:1] in (" ", "\t"):
            assert logical, "a continuation before any line"
            logical[-1] += text[1:]
        else:
            logical.append(text)
    stack: list[dict] = []
    root = None
    for line in logical:
        found = re.fullmatch(r"([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=(?:\"[^\"]*\"|[^\";:,]*)"
                             r"(?:,(?:\"[^\"]*\"|[^\";:,]*))*)*):(.*)", line)
        assert found, f"not a content line: {line!r}"
        name, params, value = found[1].upper(), found[2], found[3]
        if name == "BEGIN":
            component = {"name": value.upper(), "properties": [], "components": []}
            if stack:
                stack[-1]["components"].append(component)
            else:
                assert root is None, "a second calendar in the file"
                root = component
            stack.append(component)
        elif name == "END":
            assert stack and stack[-1]["name"] == value.upper(), f"END:{value} closes nothing"
            stack.pop()
        else:
            assert stack, f"a property outside any component: {line!r}"
            parameters = dict(part.split("=", 1) for part in params.split(";")[1:])
            stack[-1]["properties"].append((name, parameters, value))
    assert not stack, f"never ended: {[component['name'] for component in stack]}"
    assert root is not None
    return root


def one(component: dict, name: str) -> tuple[dict, str]:
    """The only `name` property of `component`: (parameters, value)."""
    found = [(params, value) for prop, params, value in component["properties"] if prop == name]
    assert len(found) == 1, f"{len(found)} {name} in {component['name']}"
    return found[0]


def children(component: dict, name: str) -> list[dict]:
    return [child for child in component["components"] if child["name"] == name]


def unescaped(text: str) -> str:
    """A TEXT value as written (RFC 5545 3.3.11): \\n, \\, \\; and \\\\ escaped."""
    return re.sub(r"\\([nN,;\\])", lambda m: "\n" if m[1] in "nN" else m[1], text)


def zero_duration(text: str) -> bool:
    """A DURATION value (RFC 5545 3.3.6) of no time at all: PT0S, P0D, -PT0M, ..."""
    found = re.fullmatch(r"[+-]?P(?:(\d+)W|(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?",
                         text)
    return bool(found) and text.strip("+-") not in ("P", "PT") and not any(
        int(part) for part in found.groups() if part)


# ---- The file, read both ways


def post(client, url, time="07:30", weeks="3", **more):
    form = {"time": time, "weeks": weeks, **more}
    return client.post(url, data=form, headers={"Sec-Fetch-Site": "same-origin"})


def test_the_calendar_file_is_a_daily_event_with_an_alarm_and_the_sheets_address(client):
    start = datetime.now(UTC).date()
    response = post(client, SHEET + "/reminder.ics", time="07:30", weeks="3",
                    start=start.isoformat())
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="back-pain-stretches-reminder.ics"')
    assert "no-store" in response.headers["Cache-Control"]
    address = PUBLIC_URL + SHEET

    # By the icalendar package.
    calendar = Calendar.from_ical(response.data)
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == datetime.combine(start, time(7, 30))
    assert event.decoded("dtstart").tzinfo is None  # floating: the phone's own time of day
    assert event["rrule"]["FREQ"] == ["DAILY"] and event["rrule"]["COUNT"] == [21]
    assert str(event["url"]) == address
    assert address in str(event["description"])
    assert str(event["summary"]) == TITLE
    [alarm] = event.walk("VALARM")
    assert str(alarm["action"]) == "DISPLAY"
    assert alarm.decoded("trigger") == timedelta(0)

    # By RFC 5545 alone.
    root = read_rfc5545(response.data)
    assert root["name"] == "VCALENDAR"
    assert one(root, "VERSION")[1] == "2.0"
    assert one(root, "PRODID")[1]
    [vevent] = children(root, "VEVENT")
    assert one(vevent, "UID")[1].endswith("@clinic.test")
    assert re.fullmatch(r"\d{8}T\d{6}Z", one(vevent, "DTSTAMP")[1])
    params, starts = one(vevent, "DTSTART")
    assert "TZID" not in params and starts == f"{start:%Y%m%d}T073000"  # no zone, no Z
    rule = dict(part.split("=") for part in one(vevent, "RRULE")[1].split(";"))
    assert rule == {"FREQ": "DAILY", "COUNT": "21"}
    assert one(vevent, "URL")[1] == address
    assert address in unescaped(one(vevent, "DESCRIPTION")[1])
    assert unescaped(one(vevent, "SUMMARY")[1]) == TITLE
    [valarm] = children(vevent, "VALARM")
    assert one(valarm, "ACTION")[1] == "DISPLAY"
    assert zero_duration(one(valarm, "TRIGGER")[1])
    assert unescaped(one(valarm, "DESCRIPTION")[1]) == TITLE  # DISPLAY alarms need one


@pytest.mark.parametrize("weeks", [1, 6, 12])
def test_it_recurs_every_day_for_the_weeks_chosen(client, weeks):
    response = post(client, SHEET + "/reminder.ics", time="18:00", weeks=str(weeks),
                    start="2026-12-07")
    [event] = Calendar.from_ical(response.data).walk("VEVENT")
    assert event["rrule"]["COUNT"] == [7 * weeks]
    [vevent] = children(read_rfc5545(response.data), "VEVENT")
    rule = dict(part.split("=") for part in one(vevent, "RRULE")[1].split(";"))
    assert rule["FREQ"] == "DAILY" and int(rule["COUNT"]) == 7 * weeks
    # Every day from the first for that many weeks: the last on the day before the week after.
    days = [date(2026, 12, 7) + timedelta(days=n) for n in range(int(rule["COUNT"]))]
    assert days[-1] == date(2026, 12, 7) + timedelta(weeks=weeks) - timedelta(days=1)


def test_the_phones_date_starts_it_and_a_date_no_phone_has_today_is_ignored(client):
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    for sent in [tomorrow.isoformat(), "", "1999-01-01", "2026-02-30", "20261207", "٢٠٢٦-١٢-٠٧"]:
        today = date.today()  # the server's own date, without a date from the phone
        response = post(client, SHEET + "/reminder.ics", time="18:00", start=sent)
        assert response.status_code == 200, sent
        [event] = Calendar.from_ical(response.data).walk("VEVENT")
        first = event.decoded("dtstart").date()
        assert event.decoded("dtstart").time() == time(18)
        if sent == tomorrow.isoformat():
            assert first == tomorrow
        else:
            assert first in (today, date.today()), sent  # either side of midnight


def test_the_form_is_on_the_sheet_and_sends_to_its_own_address(client, app):
    page = client.get(SHEET).get_data(as_text=True)
    form = re.search(r'<form class="reminder-form" method="post" action="([^"]+)"', page)
    assert form and form[1] == SHEET + "/reminder.ics"
    assert 'type="time" value="18:00"' in page
    assert re.search(r'<option value="6" selected>6 weeks</option>', page)
    assert '<option value="1">1 week</option>' in page and "12 weeks" in page
    token = make_sheet(app)
    page = client.get(f"/p/{token}").get_data(as_text=True)
    assert f'action="/p/{token}/reminder.ics"' in page


def test_a_clinics_own_address_for_a_routine_sheet(client, north):
    response = post(client, "/c/north-lakes/s/back-pain-stretches/reminder.ics")
    assert response.status_code == 200
    [event] = Calendar.from_ical(response.data).walk("VEVENT")
    assert str(event["url"]).endswith("/c/north-lakes/s/back-pain-stretches")
    page = client.get("/c/north-lakes/s/back-pain-stretches").get_data(as_text=True)
    assert 'action="/c/north-lakes/s/back-pain-stretches/reminder.ics"' in page


def test_a_patient_sheets_file_leads_to_it_and_is_never_cached_or_referred(app, client):
    token = make_sheet(app, note="Twice a day.")
    response = post(client, f"/p/{token}/reminder.ics", time="20:15", weeks="2")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert token not in response.headers["Content-Disposition"]  # a file name is seen
    [event] = Calendar.from_ical(response.data).walk("VEVENT")
    assert str(event["url"]) == f"{PUBLIC_URL}/p/{token}"
    assert str(event["summary"]) == "Your stretches"
    assert "Twice a day." not in response.get_data(as_text=True)  # the note stays on the sheet


def test_long_words_in_any_script_fold_without_splitting_a_character():
    title = "Bài tập giãn cơ cho đau lưng – تمارين تمدد لآلام الظهر – 腰痛伸展运动 " * 3
    address = "https://clinic.example/p/" + "Ab3_x-9Q2kLmN0pQ" * 3
    data = reminder_calendar(title, address, time(6, 5), 4, date(2027, 1, 1))
    [vevent] = children(read_rfc5545(data), "VEVENT")
    assert unescaped(one(vevent, "SUMMARY")[1]) == title
    assert one(vevent, "URL")[1] == address
    assert str(Calendar.from_ical(data).walk("VEVENT")[0]["summary"]) == title


# ---- Kept nowhere


def sqlite_dump(app) -> str:
    with closing(sqlite3.connect(app.config["DATABASE_URL"].removeprefix("sqlite:///"))) as db:
        return "\n".join(db.iterdump())


@SQLITE_ONLY
def test_the_time_chosen_is_kept_nowhere_on_the_server(app, client, caplog):
    token = make_sheet(app)
    client.get(SHEET)  # opening a sheet counts; asking for its reminder must not
    client.get(f"/p/{token}")
    before = sqlite_dump(app)
    with caplog.at_level("DEBUG"):
        for url in (SHEET + "/reminder.ics", f"/p/{token}/reminder.ics"):
            response = post(client, url, time="05:47", weeks="11")
            assert response.status_code == 200 and b"T054700" in response.data
    after = sqlite_dump(app)
    assert after == before  # not a row, not a counter
    assert "05:47" not in after and "054700" not in after
    assert "05:47" not in caplog.text and "054700" not in caplog.text


def test_the_time_chosen_is_not_in_gunicorns_access_log(app, tmp_path):
    token = make_sheet(app)
    body = urllib.parse.urlencode({"time": "05:47", "weeks": "11"}).encode()
    with gunicorn(app, tmp_path) as (base, log):
        for path in (SHEET + "/reminder.ics", f"/p/{token}/reminder.ics"):
            request = urllib.request.Request(base + path, data=body, method="POST",  # noqa: S310
                                             headers={"Sec-Fetch-Site": "same-origin"})
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                assert response.status == 200 and b"T054700" in response.read()
    logged = log.read_text()
    lines = [line for line in logged.splitlines() if "reminder.ics" in line]
    assert len(lines) == 2, logged
    assert '"POST /s/back-pain-stretches/reminder.ics HTTP/1.1" 200' in lines[0]
    assert '"POST /p/<redacted>/reminder.ics HTTP/1.1" 200' in lines[1]
    # The log's own clock may read 05:47; what follows it never holds the time or the weeks.
    for line in lines:
        request_part = line.split('"', 1)[1]
        assert "05:47" not in request_part and "05%3A47" not in request_part
        assert "time=" not in request_part and "weeks" not in request_part
    assert token not in logged


# ---- Refused in words


BAD_TIMES = ["25:99", "24:00", "18:60", "", "abc", "18", "18:00x", "１８:００", "6pm", "18:0"]
BAD_WEEKS = ["0", "13", "99", "abc", "", "-1", "1.5", "٣", "１２", "6 weeks", "006"]


@pytest.mark.parametrize("bad", BAD_TIMES)
def test_a_time_that_is_no_time_of_day_is_refused_in_words(client, bad):
    response = post(client, SHEET + "/reminder.ics", time=bad, weeks="6")
    assert response.status_code == 400 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "Choose a time of day, such as 18:00" in page and refusal_message(page)
    assert "BEGIN:VCALENDAR" not in page


@pytest.mark.parametrize("bad", BAD_WEEKS)
def test_weeks_out_of_range_are_refused_in_words(client, bad):
    response = post(client, SHEET + "/reminder.ics", time="18:00", weeks=bad)
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "Choose from 1 to 12 weeks" in response.get_data(as_text=True)


def test_a_form_with_nothing_in_it_is_refused_in_words(app, client):
    token = make_sheet(app)
    for url in (SHEET + "/reminder.ics", f"/p/{token}/reminder.ics"):
        response = client.post(url, headers={"Sec-Fetch-Site": "same-origin"})
        assert response.status_code == 400
        assert refusal_message(response.get_data(as_text=True))
    assert response.headers["Cache-Control"] == "private, no-store"  # the token's address


@pytest.mark.parametrize("url", ["/s/no-such-sheet/reminder.ics", "/p/no-such-token/reminder.ics",
                                 "/c/no-such-clinic/s/back-pain-stretches/reminder.ics"])
def test_no_sheet_no_file(client, url):
    response = post(client, url)
    assert response.status_code == 404
    assert "no stretch sheet at this address" in response.get_data(as_text=True)


def test_asked_for_as_a_page_it_says_it_is_not_one(client):
    response = client.get(SHEET + "/reminder.ics")
    assert response.status_code == 405 and refusal_message(response.get_data(as_text=True))


@pytest.mark.parametrize("headers", [
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},
    {"Origin": "https://elsewhere.example"},
    {"Sec-Fetch-Site": "cross-site", "Origin": "null"},
])
def test_another_site_cannot_post_the_form(client, headers):
    response = client.post(SHEET + "/reminder.ics", data={"time": "18:00", "weeks": "6"},
                           headers=headers)
    assert response.status_code == 400
    assert "sent from another website" in response.get_data(as_text=True)


@pytest.mark.parametrize("headers", [
    {"Sec-Fetch-Site": "same-origin"},
    {"Sec-Fetch-Site": "same-origin", "Origin": "null"},  # a page with no referrer: a patient's
    {"Origin": "null"},  # an older browser, on a patient's sheet
    {"Origin": "http://localhost"},  # an older browser, on this app's own page
    {},  # no browser at all: nothing to forge
])
def test_the_apps_own_pages_can_post_it_without_a_session(client, headers):
    response = client.post(SHEET + "/reminder.ics", data={"time": "18:00", "weeks": "6"},
                           headers=headers)
    assert response.status_code == 200 and response.mimetype == "text/calendar"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(form=st.dictionaries(st.sampled_from(["time", "weeks", "start"]),
                            st.text(st.characters(exclude_categories=("Cs",)), max_size=30)))
def test_any_form_gets_a_file_or_words_never_a_crash(client, form):
    response = client.post(SHEET + "/reminder.ics", data=form,
                           headers={"Sec-Fetch-Site": "same-origin"})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert refusal_message(response.get_data(as_text=True))
    else:
        Calendar.from_ical(response.data)
