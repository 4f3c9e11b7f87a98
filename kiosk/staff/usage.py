"""How often the sheets are opened, per routine and per day: counts only, nobody identified."""

from datetime import UTC, date, datetime, timedelta

from flask import g, render_template, request
from flask_babel import gettext, ngettext
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


def completed_totals(kind: str, first: date | None = None) -> dict[int, int]:
    """Sessions completed per sheet id (since `first`, if given), as phones reported them."""
    query = (select(SheetOpen.sheet_id, func.sum(SheetOpen.completed))
             .where(SheetOpen.kind == kind).group_by(SheetOpen.sheet_id))
    if first:
        query = query.where(SheetOpen.day >= first)
    return {sheet_id: total or 0 for sheet_id, total in get_session().execute(
        visible(query, SheetOpen.clinic_id, g.staff))}


def completed_days(kind: str) -> dict[int, int]:
    """On how many days each sheet was completed at least once."""
    rows = get_session().execute(visible(
        select(SheetOpen.sheet_id, func.count())
        .where(SheetOpen.kind == kind, SheetOpen.completed > 0)
        .group_by(SheetOpen.sheet_id), SheetOpen.clinic_id, g.staff))
    return dict(rows.all())


def sheet_days(kind: str, sheet_id: int, first: date) -> dict[date, tuple[int, int]]:
    """One sheet's opens and completed sessions on each day since `first`."""
    rows = get_session().execute(
        select(SheetOpen.day, func.sum(SheetOpen.opens), func.sum(SheetOpen.completed))
        .where(SheetOpen.kind == kind, SheetOpen.sheet_id == sheet_id, SheetOpen.day >= first)
        .group_by(SheetOpen.day))
    return {day: (opens or 0, completed or 0) for day, opens, completed in rows}


def use_strip(days: list[date], counts: dict[date, tuple[int, int]], label: str) -> Markup:
    """Two rows of days as SVG: opened (a filled square) above, completed (a tick) below, so
    that a therapist sees at a glance on which days the sheet was used."""
    cell, gap, left = 14, 3, 92
    width = left + len(days) * (cell + gap)
    rows = []
    for row, (name, index) in enumerate(((gettext("Opened"), 0), (gettext("Completed"), 1))):
        y = 18 + row * (cell + 10)
        rows.append(f'<text x="0" y="{y + cell - 3}" font-size="12" fill="#4d5d66">'
                    f"{escape(name)}</text>")
        for n, day in enumerate(days):
            value = counts.get(day, (0, 0))[index]
            x = left + n * (cell + gap)
            fill = "#0b6b63" if value else "#e3e8ea"
            rows.append(f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" rx="3"'
                        f' fill="{fill}"><title>{day:%d %b}: {value}</title></rect>')
            if value and index == 1:
                rows.append(f'<path d="M{x + 3} {y + 7.5}l3 3 5-6" fill="none" stroke="#fff"'
                            f' stroke-width="2"/>')
    height = 18 + 2 * (cell + 10) + 12
    width = max(width, left + 120)  # room for the dates under a sheet made today
    axis = f'<text x="{left}" y="{height - 2}" font-size="11" fill="#4d5d66">{days[0]:%d %b}</text>'
    if len(days) > 1:
        axis += (f'<text x="{width}" y="{height - 2}" font-size="11" fill="#4d5d66"'
                 f' text-anchor="end">{days[-1]:%d %b}</text>')
    # Drawn at its own size (a day is a small square), narrowed only on a narrow window.
    return Markup(  # noqa: S704  (the label and names are escaped; the rest is numbers, dates)
        f'<svg class="chart use-strip" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" role="img"'
        f' aria-label="{escape(label)}">{"".join(rows)}{axis}</svg>'
    )


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
    routine_completed = completed_totals("routine", days[0])
    routines = []
    for routine in session.scalars(their_routines(select(Routine).order_by(Routine.title))):
        counts = by_routine.get(routine.id, {})
        total = sum(counts.values())
        # "opens" for one too, as the page's heading has always said it.
        label = ngettext("%(title)s: %(num)s opens in %(days)s days",
                         "%(title)s: %(num)s opens in %(days)s days", total,
                         title=routine.title, days=days_back)
        routines.append({"routine": routine, "total": total,
                         "completed": routine_completed.get(routine.id, 0),
                         "chart": bar_chart(days, counts, label)})
    patient_totals = dict(session.execute(
        select(SheetOpen.sheet_id, func.sum(SheetOpen.opens))
        .where(SheetOpen.kind == "patient").group_by(SheetOpen.sheet_id)
    ).all())
    sheets = session.scalars(
        their_sheets(select(PatientSheet).order_by(PatientSheet.id.desc()).limit(50)))
    return render_template("staff/usage.html", routines=routines, days=days_back,
                           sheets=list(sheets), patient_totals=patient_totals,
                           patient_completed=completed_days("patient"))
