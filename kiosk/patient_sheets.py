"""Sheets made for one patient: chosen stretches, their holds, a short note, never a name."""

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.db import get_session, needs_current_schema
from kiosk.models import Clinic, PatientSheet, PatientSheetItem, Routine, StaffAccount, Stretch
from kiosk.public import configured_base_url, path_for

NOTE_LIMIT = 500
TOKEN_BYTES = 12  # 96 random bits, 16 URL-safe characters


class SheetError(ValueError):
    """A patient sheet that cannot be made as asked; the message says why."""


@dataclass
class Choice:
    """A stretch picked for the sheet, with its hold and repetitions for this patient."""

    stretch: Stretch
    hold_seconds: int | None = None
    repetitions: int | None = None


def make_patient_sheet(
    session: Session, choices: list[Choice], note: str = "", expires_in_days: int | None = None,
    created_by: StaffAccount | None = None, clinic: Clinic | None = None,
) -> PatientSheet:
    """Save a snapshot of the chosen stretches under a new unguessable token, given by `clinic`
    (on a one-clinic install, the clinic)."""
    note = note.strip()
    if not choices:
        raise SheetError("Pick at least one stretch for the sheet.")
    if len(note) > NOTE_LIMIT:
        raise SheetError(f"The note is {len(note)} characters; keep it under {NOTE_LIMIT}.")
    if expires_in_days is None:
        expires_in_days = current_app.config["SHEET_EXPIRY_DAYS"]
    sheet = PatientSheet(
        token=secrets.token_urlsafe(TOKEN_BYTES),
        note=note,
        expires_on=(datetime.now(UTC) + timedelta(days=expires_in_days)).date()
        if expires_in_days
        else None,
        items=[_snapshot(position, choice) for position, choice in enumerate(choices, start=1)],
        created_by_id=created_by.id if created_by is not None else None,
        clinic=clinic or Clinic.first(session),
    )
    session.add(sheet)
    session.commit()
    return sheet


def _snapshot(position: int, choice: Choice) -> PatientSheetItem:
    stretch = choice.stretch
    hold = choice.hold_seconds or stretch.hold_seconds
    repetitions = choice.repetitions or stretch.repetitions
    if not 1 <= hold <= 600 or not 1 <= repetitions <= 50:
        raise SheetError(f"{stretch.title}: hold 1–600 seconds and 1–50 repetitions.")
    return PatientSheetItem(
        stretch_id=stretch.id,
        position=position,
        slug=stretch.slug,
        title=stretch.title,
        body_region=stretch.body_region,
        steps=list(stretch.steps),
        hold_seconds=hold,
        repetitions=repetitions,
        sides=list(stretch.sides),
        stretch_position=stretch.position,
        cautions=stretch.cautions,
        demonstration=stretch.demonstration,
    )


# Whether a sheet still opens: live, revoked by staff, or past its last day.
LIVE, REVOKED, EXPIRED = "live", "revoked", "expired"


def sheet_status(sheet: PatientSheet) -> str:
    """LIVE, REVOKED or EXPIRED; a revoked sheet says so even once its last day has passed."""
    if sheet.revoked_at is not None:
        return REVOKED
    if sheet.expires_on is not None and sheet.expires_on < datetime.now(UTC).date():
        return EXPIRED
    return LIVE


def find_sheet(session: Session, token: str) -> PatientSheet | None:
    """The sheet ever made under `token`, live or not."""
    return session.scalar(select(PatientSheet).filter_by(token=token))


def find_live_sheet(session: Session, token: str) -> PatientSheet | None:
    """The sheet for `token`, unless there is none, or it was revoked or has expired."""
    sheet = find_sheet(session, token)
    return sheet if sheet is not None and sheet_status(sheet) == LIVE else None


@click.command("make-sheet")
@click.option("--routine", "routine_slug", help="Take every stretch of this routine.")
@click.option("--stretch", "stretch_slugs", multiple=True, help="Add this stretch (repeatable).")
@click.option("--note", default="", help="A short note; no names or health identifiers.")
@click.option("--expires-days", type=click.IntRange(0), default=None,
              help="Days until the sheet stops opening (0: never; default from settings).")
@with_appcontext
@needs_current_schema
def make_sheet_command(routine_slug, stretch_slugs, note, expires_days):
    """Make a sheet for one patient and print its address."""
    session = get_session()
    choices = []
    if routine_slug:
        routine = session.scalar(select(Routine).filter_by(slug=routine_slug))
        if routine is None:
            raise click.ClickException(f"There is no routine {routine_slug!r}.")
        choices += [Choice(i.stretch, i.hold_seconds, i.repetitions) for i in routine.items]
    for slug in stretch_slugs:
        stretch = session.scalar(select(Stretch).filter_by(slug=slug))
        if stretch is None:
            raise click.ClickException(f"There is no stretch {slug!r}.")
        choices.append(Choice(stretch))
    try:
        sheet = make_patient_sheet(session, choices, note, expires_days)
    except SheetError as error:
        raise click.ClickException(str(error)) from None
    address = configured_base_url(sheet.clinic) or "http://<public address>"
    click.echo(address + path_for("sheets.patient_sheet", token=sheet.token))


def init_app(app):
    app.cli.add_command(make_sheet_command)
