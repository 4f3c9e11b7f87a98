"""The `flask export FILE` and `flask import FILE [--yes]` commands."""

import os
from pathlib import Path

import click
from flask.cli import with_appcontext

from kiosk.cli import ask_before_replacing
from kiosk.db import get_session, needs_current_schema
from kiosk.transfer.exporting import export_all
from kiosk.transfer.fileformat import (
    MAX_FILE_BYTES,
    NOTHING_CHANGED,
    TransferError,
    describe,
    refused,
    summary,
)
from kiosk.transfer.importing import check_content, replace_everything
from kiosk.transfer.older import check_schema
from kiosk.transfer.reading import read_export


@click.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
@needs_current_schema
def export_command(file: Path):
    """Write all content, settings, media and accounts to FILE (gzip-compressed JSON)."""
    try:
        data = export_all(get_session())
    except TransferError as error:
        raise click.ClickException(str(error)) from None
    # Written aside and moved into place: a backup is never left half written.
    partial = file.with_name(f".{file.name}.partial")
    with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
        out.write(data)
    partial.replace(file)
    export = read_export(data)
    click.echo(f"Wrote {file} ({len(data) / 1024:.0f} kB, database schema "
               f"{export.schema_revision}). It holds:")
    for line in describe(export.counts):
        click.echo(f"  {line}")
    click.echo("Keep it private: it holds the staff accounts' password hashes.")


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace everything without asking first.")
@with_appcontext
@needs_current_schema
def import_command(file: Path, yes: bool):
    """Replace ALL content, settings, media and accounts with those in FILE."""
    session = get_session()
    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            raise refused(f"The file is {file.stat().st_size / 1e6:.0f} MB; the largest file "
                          f"this kiosk imports is {MAX_FILE_BYTES / 1e6:.0f} MB.")
        export = read_export(file.read_bytes())
        try:
            check_schema(session, export)
        finally:
            session.rollback()
        check_content(export)
        click.echo(f"{file} was made {export.created_at:%Y-%m-%d %H:%M} UTC and holds:")
        for line in describe(export.counts):
            click.echo(f"  {line}")
        ask_before_replacing(
            yes, "Replace EVERYTHING in this database (content, screens, sheets, staff "
                 "accounts) with the file's?",
            f"This replaces everything in the database. Run it again with --yes to go ahead. "
            f"{NOTHING_CHANGED}")
        counts = replace_everything(session, export)
    except TransferError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Imported {summary(counts)}. Staff accounts are now those of the file.")


def init_app(app):
    app.cli.add_command(export_command)
    app.cli.add_command(import_command)
