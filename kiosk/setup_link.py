"""The first run's set-up link: while no staff account exists, the server prints a one-time
link in the terminal it was started from, and whoever opens it makes the first admin in the
browser (kiosk/staff/first_run.py). The sign-in page says where to look, never the link itself:
anyone on the clinic's Wi-Fi can open that page.

The link's token (256 random bits) lives only in the server's memory: it is never stored, and
the access log shows /staff/setup/<redacted>. So it dies when the server stops, and the next
start prints a new one. One server, however many processes, holds one token, made once:

- under gunicorn, by its master process (gunicorn.conf.py's when_ready), once the app is loaded
  and before any worker is forked from it (preload_app): every worker holds the same token, and
  so does one forked later (max_requests, a reload);
- in a server of one process with no such hook (`flask run`), when the sign-in page is first
  shown. A gunicorn started without the repository's config makes none: its workers would each
  make their own, and the link would work on one of them only.

It is spent when the first account is made: the check that there is none and the insert are
one transaction (accounts.create_first_admin), and while any account exists the link is
refused in every worker, even in one that still holds its token. An install that has accounts
when the server starts gets no link at all; `flask add-staff` is the other way in.
"""

import hmac
import os
import secrets
import sys
import threading
from dataclasses import dataclass, field

from flask import current_app, url_for
from sqlalchemy.exc import SQLAlchemyError

from kiosk.accounts import any_account
from kiosk.db import error_reason, get_session
from kiosk.public import base_url, server_address

ENDPOINT = "staff.set_up"
TOKEN_BYTES = 32


@dataclass
class SetupLink:
    """This server's link: whether it has been decided on yet, and its token if it has one."""

    decided: bool = False
    token: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)


def _link() -> SetupLink:
    return current_app.extensions["kiosk.setup_link"]


def offer(base: str):
    """Make and print this server's link if no account exists (once per server; later calls
    do nothing). `base` is the address the link starts with. Needs a request context."""
    link = _link()
    with link.lock:
        if link.decided:
            return
        if not any_account(get_session()):
            link.token = secrets.token_urlsafe(TOKEN_BYTES)
        link.decided = True
    if link.token is None:
        return
    address = base + url_for(ENDPOINT, token=link.token)
    print(f"\n{'-' * 72}\nNo staff account yet. To make the first admin, open this one-time "
          f"set-up link\nin a browser (it works once, and only until the server stops):\n\n"
          f"    {address}\n\nOr run: .venv/bin/flask --app kiosk add-staff NAME --role admin\n"
          f"{'-' * 72}\n", file=sys.stderr, flush=True)


def offer_at_start(app, port: int):
    """For gunicorn's master: decide before the workers are forked from `app`. A database
    that cannot be read yet (not migrated) means no link this time, said in one line."""
    with app.test_request_context():
        try:
            offer(server_address(port))
        except SQLAlchemyError as error:
            _link().decided = True
            print(f"No set-up link: the staff accounts cannot be read ({error_reason(error)}).",
                  file=sys.stderr, flush=True)
    app.extensions["kiosk.db"].dispose()  # the master keeps no connection of its own


def offer_on_first_ask():
    """A server of one process (`flask run`) decides when its sign-in page is first shown."""
    if not _link().decided and not os.environ.get("SERVER_SOFTWARE", "").startswith("gunicorn"):
        offer(base_url())


def opens(token: str) -> bool:
    """Whether `token` is this server's set-up link (spent or not)."""
    made = _link().token
    return made is not None and hmac.compare_digest(
        made.encode(), token.encode(errors="surrogatepass"))


def init_app(app):
    app.extensions["kiosk.setup_link"] = SetupLink()
