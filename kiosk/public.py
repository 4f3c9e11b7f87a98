"""The address phones and screens reach this app at, and the CLI that prints it."""

import ipaddress
import socket
from typing import NamedTuple
from urllib.parse import urlsplit

import click
from flask import current_app, g, request, url_for
from flask.cli import with_appcontext
from sqlalchemy import select

from kiosk.accounts import any_account
from kiosk.db import get_session, needs_current_schema
from kiosk.models import Clinic, Routine, Screen


def is_this_machine(host: str) -> bool:
    """Names and addresses that reach only the machine they are used on, whatever its network:
    localhost, a loopback or unspecified address."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


# Names that only a local network resolves (RFC 6762 .local, RFC 8375 .home.arpa, and the
# suffixes routers and offices commonly hand out). `.test` is not among them: the tests use
# https://clinic.test as their public name.
LOCAL_SUFFIXES = (".local", ".lan", ".home", ".home.arpa", ".internal", ".intranet",
                  ".localdomain", ".corp", ".private")
# Where the deployment guide moves a clinic to phones anywhere.
GUIDE = "docs/deployment.md#phones-at-home-a-public-https-address"
GUIDE_SECTION = "Phones at home: a public HTTPS address"


class Reach(NamedTuple):
    """Where phones can open what the QR codes lead to, and what they can keep there."""

    # "anywhere", "clinic-wifi", "anywhere-no-offline", "clinic-wifi-https" or "this-machine"
    case: str
    summary: str
    anywhere: bool = False  # opens at home, not only on the clinic's Wi-Fi
    # Keeps an offline copy and installs to the home screen on every phone (trusted https).
    offline: bool = False

    @property
    def anywhere_with_offline_copy(self) -> bool:
        return self.anywhere and self.offline


def is_local_name(host: str) -> bool:
    """An address or name only the clinic's own network knows: a private or link-local address,
    a name of one label (no dot), or one under a local suffix."""
    try:
        return not ipaddress.ip_address(host).is_global
    except ValueError:
        return "." not in host or host.endswith(LOCAL_SUFFIXES)


def reach(url: str) -> Reach:
    """What phones get from QR codes that point at `url`: browsers keep an offline copy and
    install to the home screen only on https (or this machine itself, no use to a phone)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")  # "kiosk.lan." is kiosk.lan
    if not host or is_this_machine(host):
        return Reach("this-machine", f"Phones cannot open the QR codes: {url or 'the address'}"
                     " is this machine itself, which no phone can reach.")
    https, local = parts.scheme == "https", is_local_name(host)
    if not https and local:
        return Reach("clinic-wifi", f"Phones on the clinic Wi-Fi only, no offline copy: {url} is"
                     " plain http on the clinic's own network, so a sheet does not open at home,"
                     " keeps no copy for when there is no signal, and cannot go on the home"
                     " screen.")
    if https and not local:
        return Reach("anywhere", f"Phones anywhere, offline copy and home-screen install: {url}"
                     " is https on a public name, so a sheet opens at home, keeps a copy for when"
                     " there is no signal, and can go on the home screen.",
                     anywhere=True, offline=True)
    if not https:
        return Reach("anywhere-no-offline", "Phones anywhere, but no offline copy or home-screen"
                     f" install: {url} is plain http, so a sheet keeps no copy for when there is"
                     " no signal and cannot go on the home screen.", anywhere=True)
    return Reach("clinic-wifi-https", f"Phones on the clinic Wi-Fi only: {url} is a name or"
                 " address only the clinic's network knows; an offline copy and the home screen"
                 " work only on phones that trust its certificate.")


def current_reach() -> Reach:
    """Reach of the address QR codes use now: the configured one, else this request's."""
    return reach(base_url())


def points_at_this_machine_only(url: str) -> bool:
    """True when a phone could not reach `url`: unset, localhost or a loopback address."""
    host = (urlsplit(url).hostname or "").lower()
    return not host or is_this_machine(host)


def configured_base_url(clinic: Clinic | None = None) -> str:
    """The public address staff set for `clinic` (by default the install's first), else
    KIOSK_PUBLIC_URL; '' when neither is."""
    clinic = clinic or Clinic.first(get_session())
    clinic_url = clinic.public_url.strip() if clinic else ""
    return (clinic_url or current_app.config["PUBLIC_URL"]).rstrip("/")


def public_names() -> set[str]:
    """Every clinic's public address and KIOSK_PUBLIC_URL: the addresses QR codes hold."""
    urls = {*get_session().scalars(select(Clinic.public_url)), current_app.config["PUBLIC_URL"]}
    return {url.strip().rstrip("/") for url in urls if url and url.strip()}


def base_url(clinic: Clinic | None = None) -> str:
    """Where phones reach `clinic` (by default the install's first): its configured address,
    else the one this request came to."""
    known = g.setdefault("public_base_urls", {})
    key = clinic.id if clinic else None
    if key not in known:
        known[key] = configured_base_url(clinic) or request.url_root.rstrip("/")
    return known[key]


def public_url_warning() -> str | None:
    """What to tell staff when QR codes would point at an address phones cannot reach."""
    configured = configured_base_url()
    if not configured:
        return (
            "No public address is set, so QR codes use the address this page was opened at."
            " Set KIOSK_PUBLIC_URL (or the clinic's public URL) to this machine's address on"
            " the clinic network, e.g. http://192.168.1.20:8000."
        )
    if points_at_this_machine_only(configured):
        return (
            f"The public address {configured} points at this machine itself: phones that scan"
            " a QR code cannot open it. Use the machine's address on the clinic network."
        )
    return None


def external_url(endpoint: str, *, reached_at: Clinic | None = None, **values) -> str:
    """An absolute URL for phones (QR codes, printed sheets), built on the public address of
    the clinic they are `reached_at` (by default the install's first)."""
    return base_url(reached_at) + url_for(endpoint, **values)


def path_for(endpoint: str, **values) -> str:
    """url_for's path for a command, which has no request: as the app sees it served at /."""
    with current_app.test_request_context():
        return url_for(endpoint, **values)


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


def server_address(port: int) -> str:
    """Where people reach this server on `port`: the public address if one is configured,
    else this machine's address on the network."""
    return configured_base_url() or f"http://{lan_address() or 'localhost'}:{port}"


@click.command("urls")
@with_appcontext
@click.option("--port", default=8000, show_default=True, help="The port gunicorn listens on.")
@needs_current_schema
def urls_command(port):
    """Print where the screens, the console and the sheets are."""
    public_url = configured_base_url()
    base = server_address(port)
    session = get_session()
    click.echo("The clinic kiosk is at:")
    clinics = session.scalars(select(Clinic).order_by(Clinic.name)).all()
    for clinic in clinics:
        indent = "  " if len(clinics) > 1 else ""  # a group's screens, clinic by clinic
        if indent:
            click.echo(f"  {clinic.name} ({clinic.slug}):")
        for screen in session.scalars(select(Screen).filter_by(clinic_id=clinic.id)
                                      .order_by(Screen.name)):
            address = f"{base}{path_for('display.screen', slug=screen.slug)}"
            click.echo(f"{indent}  Screen {screen.name}: {address}")
            # For the screen's own browser (the kiosk launcher), so that its reports count.
            pairing = path_for("display.pair", slug=screen.slug, key=screen.report_key)
            click.echo(f"{indent}    pairing link: {base}{pairing}")
    click.echo(f"  Staff console: {base}{path_for('staff.dashboard')}")
    if not any_account(session):
        click.echo("    no staff account yet: the server prints a one-time set-up link for the"
                   " first admin when it starts")
    for routine in session.scalars(select(Routine).order_by(Routine.title)):
        sheet = path_for("sheets.routine_sheet", slug=routine.slug)
        click.echo(f"  Sheet {routine.title}: {base}{sheet}")
    phones = reach(base)
    click.echo(f"\n{phones.summary}")
    if not phones.anywhere_with_offline_copy:
        click.echo(f"To reach phones at home, with an offline copy, see {GUIDE.split('#')[0]},"
                   f' section "{GUIDE_SECTION}" ({GUIDE}).')
    if points_at_this_machine_only(public_url):
        example = f"http://{lan_address() or '<address from `hostname -I`>'}:{port}"
        click.echo(
            "\nHint: QR codes need an address phones can reach. Set KIOSK_PUBLIC_URL to this"
            f" machine's address on the clinic network, e.g. KIOSK_PUBLIC_URL={example}"
        )


def init_app(app):
    app.cli.add_command(urls_command)
