"""Which names the kiosk answers to: its public address, this machine's own names and addresses,
and KIOSK_TRUSTED_HOSTS. A request naming any other Host gets a 400 page before a view runs.

Why: with no public address configured, QR codes and printed sheets point at the Host a request
names (public.base_url), so `Host: evil.example` would get a QR code for evil.example, and each
new name would cost a fresh PDF. Behind a configured proxy (KIOSK_PROXY_HOPS) the name checked
is the proxy's X-Forwarded-Host: ProxyFix has already made it the request's host. Any port.

Flask's own TRUSTED_HOSTS is not used: it is a fixed list (the clinic's public address is a
setting in the database, and a machine's addresses change when it joins a network), and it
refuses with a bare 400 that does not say which setting to change.
"""

import contextlib
import ipaddress
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app, render_template, request
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import BadRequest

from kiosk.db import get_session
from kiosk.public import configured_base_url, is_this_machine, public_names

# A machine's addresses change (DHCP, Wi-Fi joined after boot): on an unknown name they are
# read again, but no more often than this, so a stream of made-up names costs nothing.
REREAD_ADDRESSES_SECONDS = 10
LOGGED_AT_MOST = 100  # distinct refused names logged per process; the rest are refused quietly


class UntrustedHost(BadRequest):
    """A request naming a host this kiosk does not answer to."""


def name_of(host: str) -> str:
    """The name or address in a `host[:port]`, lower case, without brackets or a final dot."""
    host = host.strip().lower()
    if "://" in host:  # a whole address written in KIOSK_TRUSTED_HOSTS
        host = urlsplit(host).netloc.rpartition("@")[2]
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.partition(":")[0].rstrip(".")


def machine_names() -> set[str]:
    """This machine's own name, bare and as mDNS announces it (name.local)."""
    hostname = socket.gethostname().lower().rstrip(".")
    short = hostname.partition(".")[0]
    return {name for name in (hostname, short, f"{short}.local") if name}


def machine_addresses() -> set[str]:
    """Every address of this machine's network interfaces, read from the kernel (no traffic)."""
    found = set()
    # IPv4: the routing table marks each local address "/32 host LOCAL" after its line.
    fib = _read("/proc/net/fib_trie")
    previous = ""
    for line in fib.splitlines():
        if "/32 host LOCAL" in line:
            found.add(previous)
        previous = line.strip().removeprefix("|-- ")
    # IPv6: one address per line, as 32 hex digits.
    for line in _read("/proc/net/if_inet6").splitlines():
        digits = line.split()[0] if line.split() else ""
        if len(digits) == 32:
            found.add(str(ipaddress.IPv6Address(int(digits, 16))))
    if not fib:  # not Linux: the addresses this machine's own name resolves to
        with contextlib.suppress(OSError):
            found.update(info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None))
    return {address.lower() for address in found if _is_address(address)}


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def configured_names(config) -> tuple[set[str], set[str]]:
    """The names KIOSK_PUBLIC_URL and KIOSK_TRUSTED_HOSTS give, and the suffixes (".example.org"
    trusts example.org and every name under it, as in Werkzeug)."""
    entries = [config["PUBLIC_URL"], *config["TRUSTED_HOST_NAMES"]]
    names = {name_of(entry) for entry in entries if not entry.startswith(".")}
    suffixes = {name_of(entry[1:]) for entry in entries if entry.startswith(".")}
    return names - {""}, suffixes - {""}


class TrustedHosts:
    """This machine's names and addresses, read again now and then; safe under threads."""

    def __init__(self):
        self._lock = threading.Lock()
        self._machine = machine_names() | machine_addresses()
        self._read_at = time.monotonic()
        self._logged: set[str] = set()

    def allows(self, host: str) -> bool:
        """Whether a request naming `host` (as Werkzeug read it: "" if malformed) is answered."""
        name = name_of(host)
        if not name:
            return False
        names, suffixes = configured_names(current_app.config)
        if (name in names or is_this_machine(name) or name in self._machine
                or any(name == suffix or name.endswith("." + suffix) for suffix in suffixes)):
            return True
        if self._machine_changed_to_include(name):
            return True
        # Last, as it asks the database: the addresses staff set in the console.
        return name in {name_of(url) for url in public_urls()}

    def _machine_changed_to_include(self, name: str) -> bool:
        with self._lock:
            if time.monotonic() - self._read_at < REREAD_ADDRESSES_SECONDS:
                return False
            self._machine = machine_names() | machine_addresses()
            self._read_at = time.monotonic()
            return name in self._machine

    def first_refusal(self, host: str) -> bool:
        """True the first time `host` is refused in this process (so it is logged once)."""
        with self._lock:
            if host in self._logged or len(self._logged) >= LOGGED_AT_MOST:
                return False
            self._logged.add(host)
            return True


def refuse_untrusted_host(_endpoint, _values):
    """Before anything reads the request (the CSRF check, the body limit, any view)."""
    trusted = current_app.extensions["kiosk.web.hosts"]
    if trusted.allows(request.host):
        return
    if trusted.first_refusal(request.host):
        current_app.logger.warning(
            "refused a request for host %r (%s %s): not the public address, this machine or"
            " KIOSK_TRUSTED_HOSTS", request.host[:200], request.method, request.path)
    raise UntrustedHost()


def untrusted_host_page(_error: UntrustedHost):
    public = public_address()
    answers_at = (f"at its public address, {public}, " if public
                  else "at the public address set for it (none is set yet), ")
    message = (
        f"This kiosk does not answer to the address “{request.host[:100]}”. It answers "
        f"{answers_at}at this machine’s own name and network addresses, and at localhost. "
        "To reach it by another name, such as a tablet’s DNS name or a tunnel, whoever looks "
        "after the kiosk adds that name to the KIOSK_TRUSTED_HOSTS setting and restarts it."
    )
    page = render_template("errors/error.html", code=400, title="Unknown address",
                           message=message)
    return page, 400, {"Cache-Control": "no-store"}


def public_urls() -> set[str]:
    """Every clinic's public address and KIOSK_PUBLIC_URL."""
    try:
        return public_names()
    except SQLAlchemyError:
        get_session().rollback()
        return {current_app.config["PUBLIC_URL"]}


def public_address() -> str:
    """The public address QR codes use (the console's, else KIOSK_PUBLIC_URL), or ''."""
    try:
        return configured_base_url()
    except SQLAlchemyError:
        get_session().rollback()
        return current_app.config["PUBLIC_URL"]


def init_app(app):
    app.extensions["kiosk.web.hosts"] = TrustedHosts()
    # An app-level URL value preprocessor runs before every before_request function, so before
    # Flask-WTF's CSRF check reads the body; it runs for unknown addresses (404s) too.
    app.url_value_preprocessor(refuse_untrusted_host)
    app.register_error_handler(UntrustedHost, untrusted_host_page)
