"""'Remind me every day' on a phone, in Chromium: the form on the sheet, the calendar file it
downloads (read by `icalendar` and by RFC 5545 alone), starting on the phone's own date in its
own time zone; with no signal, words instead of an error page; without scripts, still a file."""

import os
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, assert_accessible, screenshot
from tests.sheet_helpers import make_sheet
from tests.test_reminders import children, one, read_rfc5545

SHEET = "/s/back-pain-stretches"
# Brisbane: ten hours ahead of the server's UTC all year (no daylight saving), so for ten
# hours of each day its date is not the server's.
ZONE = "Australia/Brisbane"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "timezone_id": ZONE}
OFFLINE = ("There is no signal, so the calendar file cannot be made now. Try again when this "
           "phone is online.")


def wait_until_kept(page):
    """The sheet's service worker has its copy, and answers for the page."""
    page.wait_for_function("() => document.documentElement.dataset.offlineReady === 'yes'")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def choose(page, at: str, weeks: str):
    form = page.locator(".sheet-reminders")
    form.scroll_into_view_if_needed()
    expect(page.get_by_role("heading", name="Remind me every day")).to_be_visible()
    page.get_by_label("Time of day").fill(at)
    page.get_by_label("For how long").select_option(weeks)
    return form


def download_calendar(page) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("button", name="Download calendar file").click()
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename.endswith("-reminder.ics")
    with open(download.path(), "rb") as file:
        return file.read()


def assert_big_enough_to_tap(form):
    for control in (form.get_by_label("Time of day"), form.get_by_label("For how long"),
                    form.get_by_role("button", name="Download calendar file")):
        box = control.bounding_box()
        assert box["height"] >= 48 and box["width"] >= 48, box


@pytest.mark.parametrize(("kind", "hours_from_now"), [("routine", 2), ("patient", -2)])
def test_a_phone_downloads_a_daily_reminder_from_the_next_time_on(clinic_site, phone_page,
                                                                  kind, hours_from_now):
    """Two hours ahead: it starts today, on the phone's date; two hours past: tomorrow."""
    site = clinic_site("https")
    path = SHEET if kind == "routine" else f"/p/{make_sheet(site.app, note='Gently.')}"
    page = phone_page(**PHONE)
    page.goto(site.url + path)
    wait_until_kept(page)
    next_time = datetime.now(ZoneInfo(ZONE)) + timedelta(hours=hours_from_now)
    if hours_from_now < 0:
        next_time += timedelta(days=1)
    at = f"{next_time:%H:%M}"
    form = choose(page, at, "3")
    assert_big_enough_to_tap(form)

    data = download_calendar(page)
    assert page.url == site.url + path  # the sheet stays, the file goes to the calendar

    address = site.url + path
    [event] = Calendar.from_ical(data).walk("VEVENT")
    starts = event.decoded("dtstart")
    assert starts.tzinfo is None and f"{starts:%H:%M}" == at
    assert starts.date() == next_time.date()  # the phone's date, not the server's
    assert event["rrule"]["FREQ"] == ["DAILY"] and event["rrule"]["COUNT"] == [21]
    assert str(event["url"]) == address and address in str(event["description"])
    assert [str(alarm["action"]) for alarm in event.walk("VALARM")] == ["DISPLAY"]

    [vevent] = children(read_rfc5545(data), "VEVENT")
    params, value = one(vevent, "DTSTART")
    assert "TZID" not in params and value == f"{next_time:%Y%m%d}T{next_time:%H%M}00"
    assert one(vevent, "RRULE")[1] in ("FREQ=DAILY;COUNT=21", "COUNT=21;FREQ=DAILY")
    assert one(vevent, "URL")[1] == address
    assert one(children(vevent, "VALARM")[0], "ACTION")[1] == "DISPLAY"

    # The worker kept the sheet, never the file: it is made afresh for each asking.
    kept = page.evaluate("""async () => {
        const urls = [];
        for (const name of await caches.keys()) {
            for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
        }
        return urls;
    }""")
    assert any(url.endswith(path) for url in kept)
    assert any("reminders.js" in url for url in kept)  # its script opens offline too
    assert not [url for url in kept if "reminder.ics" in url]

    if kind == "routine":
        assert_accessible(page)
        screenshot(page, "sheet-reminders-phone")
        os.makedirs(ARTIFACTS, exist_ok=True)
        form.screenshot(path=os.path.join(ARTIFACTS, "sheet-reminders-phone-form.png"))


def test_with_no_signal_the_sheet_says_so_instead_of_an_error_page(clinic_site, phone_page):
    site = clinic_site("https")
    page = phone_page(**PHONE)
    page.goto(site.url + SHEET)
    wait_until_kept(page)
    downloads = []
    page.on("download", lambda download: downloads.append(download))
    page.context.set_offline(True)
    try:
        form = choose(page, "18:00", "6")
        page.get_by_role("button", name="Download calendar file").click()
        expect(form.locator("[data-reminder-status]")).to_have_text(OFFLINE)
        assert page.url == site.url + SHEET and downloads == []
        assert_accessible(page)
        os.makedirs(ARTIFACTS, exist_ok=True)
        form.screenshot(path=os.path.join(ARTIFACTS, "sheet-reminders-phone-offline.png"))
    finally:
        page.context.set_offline(False)
    # Online again: the same form downloads, and the message is gone.
    data = download_calendar(page)
    expect(form.locator("[data-reminder-status]")).to_have_text("")
    assert Calendar.from_ical(data).walk("VEVENT")


def test_without_scripts_the_form_still_downloads_the_file(clinic_site, phone_page):
    site = clinic_site("http")
    page = phone_page(**PHONE, java_script_enabled=False)
    page.goto(site.url + SHEET)
    choose(page, "21:30", "12")
    server_today = datetime.now().date()  # the server's date stands in for the phone's
    data = download_calendar(page)
    [event] = Calendar.from_ical(data).walk("VEVENT")
    starts = event.decoded("dtstart")
    assert f"{starts:%H:%M}" == "21:30"
    assert starts.date() in (server_today, datetime.now().date())
    assert event["rrule"]["COUNT"] == [84]
