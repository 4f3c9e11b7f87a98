"""The address phones and screens reach this app at, and the CLI that prints it."""

import ipaddress
import socket
from urllib.parse import urlsplit

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from kiosk.db import get_session
from kiosk.models import Routine, Screen

LOOPBACK_NAMES = {"localhost", ""}


def points_at_this_machine_only(url: str) -> bool:
    """True when a phone could not reach `url`: unset, localhost or a loopback address."""
    host = (urlsplit(url).hostname or "").lower()
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def lan_address() -> str | None:
    """This machine's first non-loopback IPv4 address, from its own name; no traffic sent."""
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return None
    for *_, sockaddr in infos:
        if not ipaddress.ip_address(sockaddr[0]).is_loopback:
            return sockaddr[0]
    return None


@click.command("urls")
@with_appcontext
@click.option("--port", default=8000, show_default=True, help="The port gunicorn listens on.")
def urls_command(port):
    """Print where the screens, the console and the sheets are."""
    public_url = current_app.config["PUBLIC_URL"]
    lan = lan_address()
    base = public_url or f"http://{lan or 'localhost'}:{port}"
    session = get_session()
    click.echo("The clinic kiosk is at:")
    for screen in session.scalars(select(Screen).order_by(Screen.name)):
        click.echo(f"  Screen {screen.name}: {base}/display/{screen.slug}")
    click.echo(f"  Staff console: {base}/staff")
    for routine in session.scalars(select(Routine).order_by(Routine.title)):
        click.echo(f"  Sheet {routine.title}: {base}/s/{routine.slug}")
    if points_at_this_machine_only(public_url):
        example = f"http://{lan or '<address from `hostname -I`>'}:{port}"
        click.echo(
            "\nHint: QR codes need an address phones can reach. Set KIOSK_PUBLIC_URL to this"
            f" machine's address on the clinic network, e.g. KIOSK_PUBLIC_URL={example}"
        )


def init_app(app):
    app.cli.add_command(urls_command)
