"""How often the sheets are opened, per routine and per day: counts only, nobody identified."""

from datetime import UTC, date, datetime, timedelta

from flask import g, render_template, request
from flask_babel import ngettext
from markupsafe import Markup, escape
from sqlalchemy import func, select

from kiosk.db import get_session
from kiosk.models import PatientSheet, Routine, SheetOpen
from kiosk.staff import bp
from kiosk.staff.access import their_routines, their_sheets, visible

DAYS = 30


def daily_opens(kind: str, first: date) -> dict[int, dict[date, int]]:
    """Opens per sheet id per day since `first`, at the clinics the account sees."""
    rows = get_session().execute(visible(
        select(SheetOpen.sheet_id, SheetOpen.day, func.sum(SheetOpen.opens))
        .where(SheetOpen.kind == kind, SheetOpen.day >= first)
        .group_by(SheetOpen.sheet_id, SheetOpen.day), SheetOpen.clinic_id, g.staff))
    counts: dict[int, dict[date, int]] = {}
    for sheet_id, day, opens in rows:
        counts.setdefault(sheet_id, {})[day] = opens
    return counts


def bar_chart(days: list[date], counts: dict[date, int], label: str) -> Markup:
    """A small bar chart as SVG, drawn here so the console needs no chart library."""
    width, height, gap = 600, 120, 2
    bar = width / len(days)
    top = max(counts.values(), default=0) or 1
    bars = []
    for n, day in enumerate(days):
        value = counts.get(day, 0)
        tall = round((height - 20) * value / top, 1)
        bars.append(
            f'<rect x="{n * bar + gap / 2:.1f}" y="{height - 14 - tall}" width="{bar - gap:.1f}"'
            f' height="{tall}" fill="#0b6b63"><title>{day:%d %b}: {value}</title></rect>'
        )
    axis = (f'<text x="0" y="{height - 2}" font-size="11" fill="#4d5d66">{days[0]:%d %b}</text>'
            f'<text x="{width}" y="{height - 2}" font-size="11" fill="#4d5d66"'
            f' text-anchor="end">{days[-1]:%d %b}</text>')
    return Markup(  # noqa: S704  (the label is escaped; the rest is numbers and dates)
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img"'
        f' aria-label="{escape(label)}">{"".join(bars)}{axis}</svg>'
    )


@bp.get("/usage")
def usage():
    days_back = min(max(request.args.get("days", type=int, default=DAYS), 7), 365)
    today = datetime.now(UTC).date()
    days = [today - timedelta(days=n) for n in range(days_back - 1, -1, -1)]
    session = get_session()
    by_routine = daily_opens("routine", days[0])
    routines = []
    for routine in session.scalars(their_routines(select(Routine).order_by(Routine.title))):
        counts = by_routine.get(routine.id, {})
        total = sum(counts.values())
        # "opens" for one too, as the page's heading has always said it.
        label = ngettext("%(title)s: %(num)s opens in %(days)s days",
                         "%(title)s: %(num)s opens in %(days)s days", total,
                         title=routine.title, days=days_back)
        routines.append({"routine": routine, "total": total,
                         "chart": bar_chart(days, counts, label)})
    patient_totals = dict(session.execute(
        select(SheetOpen.sheet_id, func.sum(SheetOpen.opens))
        .where(SheetOpen.kind == "patient").group_by(SheetOpen.sheet_id)
    ).all())
    sheets = session.scalars(
        their_sheets(select(PatientSheet).order_by(PatientSheet.id.desc()).limit(50)))
    return render_template("staff/usage.html", routines=routines, days=days_back,
                           sheets=list(sheets), patient_totals=patient_totals)
