"""My progress, on the phone at 390 px: a short routine followed along to its end marks today
done; pain scores before and after show on the chart after a reload and with no signal; the
therapist's summary shows and prints; "Delete my progress" empties it. Every request the page
and its worker make is recorded: no pain score and no date ever leaves the phone, and exactly
one completed count is sent per day, none once the patient turns the counts off."""

import re
from datetime import datetime, timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from kiosk.db import get_session
from kiosk.models import Routine, RoutineItem, SheetOpen, Stretch
from tests.e2e.conftest import assert_accessible, screenshot, sign_in
from tests.e2e.test_sheet_on_a_real_address import wait_until_kept
from tests.sheet_helpers import make_sheet
from tests.staff_helpers import add_staff

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
SHORT = "/s/two-minute-check"
# Each stretch's follow-along at a one-second hold, once: breathe in and out, hold, and for a
# two-sided one change sides and again; well within this.
WHOLE_TIMER_MS = 40_000

# Four weeks as a patient might have kept them on their phone: most days done (a day missed
# now and then), the neck stretch followed every day done, the piriformis every other day, pain
# easing week by week. Given the storage key of a sheet.
FOUR_WEEKS_KEPT = """(key) => {
    const days = {};
        const now = new Date();
        for (let back = 27; back >= 0; back -= 1) {
            if (back % 4 === 3) continue;  // a day missed now and then
            const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() - back);
            const day = d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-'
                + String(d.getDate()).padStart(2, '0');
            days[day] = {done: true, followed: back % 2 ? ['neck-stretch'] :
                         ['neck-stretch', 'piriformis-stretch'], stretches: [],
                         before: Math.min(10, 3 + Math.round(back / 5)),
                         after: Math.min(10, 1 + Math.round(back / 6))};
        }
        localStorage.setItem(key, JSON.stringify({days}));
}"""


def short_routine(app):
    """A routine of two stretches, one of them two-sided, each held 1 s once."""
    with app.app_context():
        session = get_session()
        neck = session.scalar(select(Stretch).filter_by(slug="neck-stretch"))
        piriformis = session.scalar(select(Stretch).filter_by(slug="piriformis-stretch"))
        assert len(piriformis.sides) == 2  # the other side too, after a change
        routine = Routine(slug="two-minute-check", title="Two-minute check", items=[
            RoutineItem(stretch=stretch, position=n, hold_seconds=1, repetitions=1)
            for n, stretch in enumerate([neck, piriformis])])
        session.add(routine)
        session.commit()
        return routine.id


def completed_counts(app, routine_id) -> int:
    with app.app_context():
        return sum(row.completed for row in get_session().scalars(
            select(SheetOpen).filter_by(kind="routine", sheet_id=routine_id)))


def record_requests(context) -> list:
    """Every request the pages and their service worker send, as the network sees it."""
    sent = []
    context.on("request", lambda request: sent.append(request))
    return sent


def follow_along_to_the_end(page, card_id):
    card = page.locator(f"#{card_id}")
    card.scroll_into_view_if_needed()
    card.get_by_role("button", name="Start", exact=True).click()
    expect(card.locator("[data-follow-along-cue]")).to_have_text("Breathe in")
    page.clock.fast_forward(WHOLE_TIMER_MS)
    expect(card.locator("[data-follow-along-done]")).to_be_visible()


def chart_points(page, scope="[data-progress-chart]"):
    """The chart's marks as drawn: (kind, value on the 0-10 scale) from their positions."""
    return page.evaluate("""(scope) => {
        const svg = document.querySelector(scope + ' svg');
        if (!svg) return [];
        const y = (v) => 160 - (148 * v) / 10;  // progress.js: bottom 160, top 12
        const value = (at) => Math.round(((160 - at) * 10) / 148);
        return [...svg.querySelectorAll('.pain-dot')].map((dot) => dot.tagName === 'circle'
            ? ['before', value(Number(dot.getAttribute('cy')))]
            : ['after', value(Number(dot.getAttribute('y')) + 4.5)]);
    }""", scope)


def done_cells(page):
    return page.locator("[data-progress-calendar] td.is-done").count()


def test_a_day_followed_to_the_end_is_kept_on_the_phone_and_counted_once(clinic_site, phone_page):
    site = clinic_site("https")
    routine_id = short_routine(site.app)
    page = phone_page(**PHONE)
    sent = record_requests(page.context)
    page.goto(site.url + SHORT)
    wait_until_kept(page)
    progress = page.locator("#progress")
    expect(progress.get_by_text("Kept on this phone only")).to_be_visible()
    expect(progress.locator("[data-progress-status]")).to_have_text("Not done yet today.")
    assert done_cells(page) == 0

    # Pain before, then each stretch followed along to its end.
    progress.get_by_label("Before your stretches").select_option("6")
    expect(progress.locator("[data-progress-saved]")).to_have_text("Saved on this phone.")
    page.clock.install()
    follow_along_to_the_end(page, "neck-stretch")
    expect(progress.locator("[data-progress-status]")).to_have_text(
        "Followed today: 1 of 2 stretches.")
    assert completed_counts(site.app, routine_id) == 0
    follow_along_to_the_end(page, "piriformis-stretch")
    expect(progress.locator("[data-progress-status]")).to_have_text("Done today. Well done.")
    done = progress.get_by_role("button", name="Done today")
    expect(done).to_have_attribute("aria-pressed", "true")
    expect(page.locator("[data-progress-calendar] td[aria-current=date]")).to_have_class("is-done")
    expect(progress.locator("[data-progress-run]")).to_have_text("Days in a row: 1")
    progress.get_by_label("After your stretches").select_option("3")
    assert chart_points(page) == [["before", 6], ["after", 3]]
    page.wait_for_function("() => !!JSON.parse(localStorage.getItem("
                           "'kiosk-progress:/s/two-minute-check')).counted")
    assert completed_counts(site.app, routine_id) == 1

    # Taken back and given again the same day: still one count.
    done.click()
    expect(progress.locator("[data-progress-status]")).to_have_text(
        "Followed today: 2 of 2 stretches.")
    progress.get_by_role("button", name="I did my stretches today").click()
    expect(progress.locator("[data-progress-status]")).to_have_text("Done today. Well done.")

    # After a reload, and with no signal, it is all still there.
    page.reload()
    expect(progress.locator("[data-progress-status]")).to_have_text("Done today. Well done.")
    assert chart_points(page) == [["before", 6], ["after", 3]]
    page.context.set_offline(True)
    page.reload()
    assert page.evaluate("navigator.onLine") is False
    expect(progress.locator("[data-progress-status]")).to_have_text("Done today. Well done.")
    assert chart_points(page) == [["before", 6], ["after", 3]]
    assert done_cells(page) == 1
    label = page.locator("[data-progress-chart] svg").get_attribute("aria-label")
    assert label.endswith("before 6, after 3.")
    progress.scroll_into_view_if_needed()
    screenshot(page, "progress-phone-offline")
    page.context.set_offline(False)
    assert completed_counts(site.app, routine_id) == 1

    # Nothing but the one empty count left the phone: no score, no date, no cookie.
    posts = [request for request in sent if request.method != "GET"]
    assert [(r.method, r.url) for r in posts] == [("POST", site.url + SHORT + "/done")]
    assert not posts[0].post_data and "cookie" not in posts[0].all_headers()
    today = datetime.now()
    dates = {f"{today:%Y-%m-%d}", f"{today:%d/%m}", f"{today:%Y%m%d}"}
    for request in sent:
        text = request.url + (request.post_data or "")
        assert not re.search(r"pain|before=|after=|score", text, re.IGNORECASE), text
        assert not any(date in text for date in dates), text


def test_a_new_day_counts_again_and_the_switch_stops_the_counts(clinic_site, phone_page):
    site = clinic_site("https")
    routine_id = short_routine(site.app)
    page = phone_page(**PHONE)
    sent = record_requests(page.context)
    page.goto(site.url + SHORT)
    progress = page.locator("#progress")
    page.clock.install()
    progress.get_by_role("button", name="I did my stretches today").click()
    page.wait_for_function("() => !!JSON.parse(localStorage.getItem("
                           "'kiosk-progress:/s/two-minute-check')).counted")
    assert completed_counts(site.app, routine_id) == 1

    # Tomorrow (the phone's own clock): done again, counted again; the run is two days.
    page.clock.fast_forward(int(timedelta(days=1).total_seconds() * 1000))
    page.reload()
    expect(progress.locator("[data-progress-status]")).to_have_text("Not done yet today.")
    expect(progress.locator("[data-progress-run]")).to_have_text("Days in a row: 1")
    # Done with no signal: the count waits on the phone, and goes when the signal is back.
    page.context.set_offline(True)
    progress.get_by_role("button", name="I did my stretches today").click()
    expect(progress.locator("[data-progress-run]")).to_have_text("Days in a row: 2")
    page.wait_for_function("() => !!JSON.parse(localStorage.getItem("
                           "'kiosk-progress:/s/two-minute-check')).pending")
    assert completed_counts(site.app, routine_id) == 1
    page.context.set_offline(False)
    page.wait_for_function("() => { const kept = JSON.parse(localStorage.getItem("
                           "'kiosk-progress:/s/two-minute-check'));"
                           " return !kept.pending; }")
    assert completed_counts(site.app, routine_id) == 2
    assert done_cells(page) == 2

    # Counts turned off: the day after, done, and nothing is sent.
    switch = progress.get_by_label("Tell the clinic when I finish")
    expect(switch).to_be_checked()
    switch.uncheck()
    page.clock.fast_forward(int(timedelta(days=1).total_seconds() * 1000))
    page.reload()
    expect(switch).not_to_be_checked()  # remembered on the phone
    progress.get_by_role("button", name="I did my stretches today").click()
    expect(progress.locator("[data-progress-run]")).to_have_text("Days in a row: 3")
    page.wait_for_timeout(500)
    assert completed_counts(site.app, routine_id) == 2
    assert len([r for r in sent if r.method == "POST"]) == 2


def test_the_therapist_summary_and_deleting_the_progress(clinic_site, phone_page):
    site = clinic_site("https")
    short_routine(site.app)
    page = phone_page(**PHONE)
    page.goto(site.url + SHORT)
    page.evaluate(FOUR_WEEKS_KEPT, "kiosk-progress:/s/two-minute-check")
    page.reload()
    progress = page.locator("#progress")
    expect(progress.locator("[data-progress-days]")).to_have_text(
        "Days done in the last four weeks: 21")
    expect(progress.locator("[data-progress-run]")).to_have_text("Days in a row: 3")
    assert done_cells(page) == 21
    assert len(chart_points(page)) == 42
    progress.locator("[data-progress-record]").screenshot(
        path=screenshot_path("progress-calendar-and-chart"))

    show = progress.get_by_role("button", name="Show my therapist")
    show.click()
    summary = page.locator("#therapist")
    expect(summary).to_be_visible()
    expect(show).to_have_attribute("aria-expanded", "true")
    expect(summary.get_by_role("heading", name="For my therapist")).to_be_focused()
    rows = summary.locator("[data-therapist-weeks] tr")
    expect(rows).to_have_count(4)
    done_per_week = [int(rows.nth(n).locator("td").first.inner_text()) for n in range(4)]
    assert sum(done_per_week) == 21
    before = [float(rows.nth(n).locator("td").nth(1).inner_text()) for n in range(4)]
    assert before == sorted(before, reverse=True) and before[0] > before[-1]  # easing
    expect(summary.locator("[data-therapist-stretches] li")).to_have_text(
        # every day done; the piriformis on the even days back (0, 2 ... 26), none missed
        [re.compile(r"^Neck Stretch: 21$", re.IGNORECASE), re.compile(r"^Piriformis.*: 14$")])
    summary.screenshot(path=screenshot_path("progress-show-my-therapist"))
    assert_accessible(page)

    # Printed, the summary stands alone: none of the sheet's stretches come with it.
    page.emulate_media(media="print")
    expect(summary).to_be_visible()
    expect(page.locator(".sheet-stretches")).to_be_hidden()
    expect(page.locator(".sheet-header")).to_be_hidden()
    page.screenshot(path=screenshot_path("progress-therapist-print"), full_page=True)
    page.emulate_media(media="screen")
    summary.get_by_role("button", name="Back to my sheet").click()
    expect(summary).to_be_hidden()
    expect(show).to_be_focused()

    # Deleted, after a second thought: gone, and still gone after a reload.
    progress.get_by_role("button", name="Delete my progress on this phone").click()
    progress.get_by_role("button", name="Keep it").click()
    assert done_cells(page) == 21
    progress.get_by_role("button", name="Delete my progress on this phone").click()
    progress.get_by_role("button", name="Yes, delete").click()
    expect(progress.locator("[data-progress-status]")).to_have_text(
        "Your progress on this phone is deleted.")
    assert done_cells(page) == 0
    expect(progress.locator("[data-progress-chart]")).to_have_text(
        "No pain scores yet: give them above, if you like.")
    page.reload()
    assert done_cells(page) == 0
    assert page.evaluate("localStorage.getItem('kiosk-progress:/s/two-minute-check')") is None


def test_every_button_of_the_progress_is_big_enough_to_tap(clinic_site, phone_page):
    site = clinic_site("https")
    short_routine(site.app)
    page = phone_page(**PHONE)
    page.goto(site.url + SHORT)
    progress = page.locator("#progress")
    progress.get_by_role("button", name="Delete my progress on this phone").click()
    for target in progress.locator("button:visible, select:visible, input:visible").all():
        box = target.bounding_box()
        assert box["height"] >= 48 and box["width"] >= 48, (target.inner_text(), box)
    box = progress.locator(".progress-switch").bounding_box()
    assert box["height"] >= 48
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def screenshot_path(name):
    import os

    from tests.e2e.conftest import ARTIFACTS

    os.makedirs(ARTIFACTS, exist_ok=True)
    return os.path.join(ARTIFACTS, f"{name}.png")


def test_the_console_shows_a_patient_sheets_days_of_use(clinic_site, phone_page):
    """The patient follows their own sheet to the end at home; at the follow-up the therapist
    sees that day in the console, with nothing about the patient in it."""
    site = clinic_site("https")
    add_staff(site.app, "jade", "staff")
    token = make_sheet(site.app, note="Twice a day, gently.")
    phone = phone_page(**PHONE)
    phone.goto(f"{site.url}/p/{token}")
    phone.get_by_role("button", name="I did my stretches today").click()
    phone.wait_for_function("(key) => !!JSON.parse(localStorage.getItem(key)).counted",
                            arg=f"kiosk-progress:/p/{token}")

    console = phone_page(viewport={"width": 1280, "height": 900})
    sign_in(console, site)
    console.goto(site.url + "/staff/patient-sheets")
    row = console.locator("tbody tr").first
    expect(row).to_contain_text("1 time")  # opened once
    expect(row).to_contain_text("on 1 day")  # completed
    assert_accessible(console, "patient sheets")
    row.get_by_role("link").first.click()
    use = console.locator("section[aria-labelledby=use-heading]")
    expect(use).to_contain_text("Opened on 1 day. Completed on 1 day.")
    strip = use.get_by_role("img")
    assert strip.get_attribute("aria-label").startswith("Opened on 1 and completed on 1 of the 1 ")
    assert_accessible(console, "patient sheet")
    use.screenshot(path=screenshot_path("console-patient-sheet-used-at-home"))
    console.goto(site.url + "/staff/usage")
    expect(console.get_by_text("Followed to the end 0 times in these 30 days", exact=False)
           ).to_be_visible()
    assert_accessible(console, "usage")
