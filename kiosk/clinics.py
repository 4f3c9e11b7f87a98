"""The clinics of an install, and the commands an installer scripts a group with: add-clinic and
add-screen. Each is held to the console's own rules (the clinic settings form, the screen's name),
and refused in one line that says what is wrong."""

import click
from flask.cli import with_appcontext
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from kiosk.db import SLUG, get_session, needs_current_schema, unique_slug
from kiosk.models import TITLE_LENGTH, Clinic, Routine, Screen
from kiosk.revisions import save
from kiosk.staff.forms import SettingsForm

CLI = "(command line)"  # who a revision made here names


class ClinicError(ValueError):
    """What is wrong with a clinic or screen asked for, in words."""


def find_clinic(session, slug: str) -> Clinic:
    clinic = session.scalar(select(Clinic).filter_by(slug=slug))
    if clinic is None:
        raise ClinicError(f"There is no clinic {slug!r}; `flask --app kiosk urls` lists them.")
    return clinic


def add_clinic(session, slug: str, name: str, phone: str, timezone: str = "",
               public_url: str = "") -> Clinic:
    """A new clinic with its contact details, as Clinic settings would save them."""
    if not SLUG.fullmatch(slug):
        raise ClinicError(f"The clinic's address name {slug!r}: lowercase letters, digits and "
                          "'-', e.g. north-lakes.")
    if session.scalar(select(Clinic.id).filter_by(slug=slug)) is not None:
        raise ClinicError(f"There is a clinic {slug!r} already.")
    values = {"name": name, "phone": phone, "timezone": timezone, "public_url": public_url}
    form = SettingsForm(formdata=MultiDict(values), meta={"csrf": False})
    for field in (form[key] for key in values):
        if not field.validate(form):
            raise ClinicError(f"{field.label.text}: {field.errors[0]}")
    clinic = Clinic(slug=slug, **{key: form[key].data for key in values})
    save(session, clinic, 0, None, lambda: None, f"Added clinic {clinic.name} {CLI}")
    return clinic


def add_screen(session, clinic_slug: str, name: str, routine_slug: str | None = None) -> Screen:
    """A new screen of the clinic, showing `routine_slug` (the library's or the clinic's own;
    by default the library's first)."""
    clinic = find_clinic(session, clinic_slug)
    name = name.strip()
    if not name or len(name) > TITLE_LENGTH:
        raise ClinicError(f"A screen's name: 1 to {TITLE_LENGTH} characters.")
    shown = select(Routine).where((Routine.clinic_id.is_(None))
                                  | (Routine.clinic_id == clinic.id))
    if routine_slug:
        routine = session.scalar(shown.filter_by(slug=routine_slug))
        if routine is None:
            raise ClinicError(f"Clinic {clinic.slug!r} has no routine {routine_slug!r}, of its "
                              "own or the library's.")
    else:
        routine = session.scalar(shown.order_by(Routine.id).limit(1))
    screen = Screen(slug=unique_slug(Screen, name, "screen"), name=name, clinic=clinic,
                    routine=routine)
    save(session, screen, 0, None, lambda: None, f"Added screen {name} {CLI}")
    return screen


@click.command("add-clinic")
@with_appcontext
@click.argument("slug")
@click.option("--name", required=True, help="As patients know it, e.g. 'Back in Balance North'.")
@click.option("--phone", required=True, help="The number its screens and sheets give.")
@click.option("--timezone", default="", help="e.g. Australia/Brisbane; else KIOSK_TIMEZONE.")
@click.option("--public-url", default="", help="Where phones reach it; else KIOSK_PUBLIC_URL.")
@needs_current_schema
def add_clinic_command(slug, name, phone, timezone, public_url):
    """Add a clinic: SLUG names it in addresses (lowercase letters, digits, '-')."""
    try:
        clinic = add_clinic(get_session(), slug, name, phone, timezone, public_url)
    except ClinicError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Added clinic {clinic.name!r} ({clinic.slug}).")


@click.command("add-screen")
@with_appcontext
@click.option("--clinic", "clinic_slug", required=True, help="The clinic's SLUG.")
@click.option("--routine", "routine_slug", default=None, help="The routine it shows.")
@click.argument("name")
@needs_current_schema
def add_screen_command(clinic_slug, routine_slug, name):
    """Add a screen to a clinic; `flask --app kiosk urls` then gives its address."""
    try:
        screen = add_screen(get_session(), clinic_slug, name, routine_slug)
    except ClinicError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Added screen {screen.name!r} ({screen.slug}) to {screen.clinic.name!r}.")


def init_app(app):
    app.cli.add_command(add_clinic_command)
    app.cli.add_command(add_screen_command)
