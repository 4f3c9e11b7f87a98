"""How big a request body may be, route by route, refused with 413 before anything reads it.

Werkzeug reads a urlencoded form into memory all at once, and Flask-WTF's CSRF check reads the
form of every POST before any view (before the console's sign-in check too): a 20 MB form sent
to the sign-in page by anyone took seconds and hundreds of MB. So the limit is set by an
app-level URL value preprocessor, which runs before every before_request function:

- anyone: SIGN_IN_BYTES, on every route. No public page takes a body; the sign-in form is a CSRF
  token, a name (40 characters) and a password (200): under 3 KB even if every character is a
  4-byte emoji, percent-encoded to 12 bytes; the first run's set-up form, with the password
  twice, under 6 KB.
- a browser signed in to the console: CONSOLE_FORM_BYTES on console forms, MAX_CONTENT_LENGTH
  (the video limit plus 1 MB) on the upload route, an export file's limit on the import route;
  the bigger two only for an account the route would let in (`may_edit`: staff may upload,
  only admins import), and not before a temporary password is changed. Anyone else's big body
  goes unread, as any console form's over its limit, rather than read first and then refused.
  A signed-out browser that sends more to a console form is sent to sign in, as the console's
  access check would send it, without a byte of it read.

A body sent without Content-Length (chunked: browsers never send forms so, scripts may) gets the
same limit. Werkzeug reads a multipart one in chunks through a stream that stops with 413 at
the limit; any other it would read to the limit and silently drop the rest, so this module
reads it first, refusing it whole if it is over (at most CONSOLE_FORM_BYTES + 1 in memory).
"""

from io import BytesIO

from flask import current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from kiosk import staff, transfer
from kiosk.models import StaffAccount
from kiosk.staff import OPEN_ENDPOINTS, may_edit, sessions

SIGN_IN_BYTES = 8 * 1024
# The largest console forms, measured with every field at its longest in a non-Latin script
# (3 bytes a character, 9 once percent-encoded): a stretch with 20 steps of 500 characters
# is 101 KB; the clinic settings with 30 lines of 300 characters in each of its three lists
# are 260 KB. Twice the larger, rounded up.
CONSOLE_FORM_BYTES = 512 * 1024
# The CSRF token, the checkbox and the multipart framing around an export file.
FORM_OVERHEAD = 64 * 1024
# Multipart bodies (only the two upload forms send them; their text fields are a few bytes):
# the most held in memory for one text field. Werkzeug counts its own read buffer (64 KB
# chunks) against this too, so it must be well above that, or files would be refused.
FORM_FIELD_BYTES = 256 * 1024
# The most parts: the longest console form, a routine of 30 stretches, has about 100 fields.
FORM_PARTS = 500


class SignedOut(Exception):
    """A console form bigger than a signed-out browser may send."""


def console_limit(endpoint: str | None, account: StaffAccount | None = None) -> int:
    """The most `account`, signed in, may send to `endpoint`; with no account, the most any
    account may (a signed-out browser sending that much is sent to sign in)."""
    ceiling = current_app.config["MAX_CONTENT_LENGTH"]
    if endpoint == "staff.transfer_upload" and _may_send(account, "everything"):
        # An export holds every uploaded video, so it may be bigger than any single upload.
        return transfer.MAX_FILE_BYTES + FORM_OVERHEAD
    if endpoint == "staff.upload_stretch_media" and _may_send(account, "stretch"):
        return ceiling
    if endpoint and endpoint.startswith("staff.") and endpoint not in OPEN_ENDPOINTS:
        return _at_most(CONSOLE_FORM_BYTES, ceiling)
    return _at_most(SIGN_IN_BYTES, ceiling)


def _may_send(account: StaffAccount | None, entity: str) -> bool:
    """Whether `account` may send what the route changing `entity` takes (any account may,
    for no account): the console's own rule, and only after a temporary password is changed,
    as the console lets such an account do nothing else."""
    if account is None:
        return True
    return not account.must_change_password and may_edit(account, entity)


def _at_most(limit: int, ceiling: int | None) -> int:
    return limit if ceiling is None else min(limit, ceiling)


def names_someone() -> StaffAccount | None:
    """The account the session cookie names, if it is signed in now.

    Asked only for a body bigger than anyone may send, so ordinary requests cost no query. A
    cookie of a session since ended (signed out, a new password, an import) names nobody, so
    a copy of it cannot buy a bigger body either.
    """
    return sessions.current_account()


def limit_body(endpoint, _values):
    """Set this request's limit; refuse at once a body that says it is bigger."""
    size = request.content_length  # None for chunked bodies, and for none at all
    chunked = "chunked" in request.headers.get("Transfer-Encoding", "").lower()
    limit = _at_most(SIGN_IN_BYTES, current_app.config["MAX_CONTENT_LENGTH"])
    more = None
    if chunked or (size is not None and size > limit):
        # Only now is the session looked at, so ordinary requests stay free of it.
        account = names_someone()
        more = console_limit(endpoint, account)
        if account is not None:
            limit = more
    request.max_content_length = limit
    if size is not None and size > limit:
        if more is not None and more > limit:
            raise SignedOut()
        raise RequestEntityTooLarge()
    # A server that does not end such a stream itself gets none from Werkzeug: nothing to read.
    if (chunked and request.environ.get("wsgi.input_terminated")
            and request.mimetype != "multipart/form-data"):
        read_whole_body(min(limit, CONSOLE_FORM_BYTES))


def read_whole_body(limit: int):
    """Read a body sent without a length now: 413 if it is over `limit`, else it is read on
    from memory, with its length, as if the client had sent one."""
    body = request.input_stream.read(limit + 1)  # the server ends a chunked stream itself
    if len(body) > limit:
        raise RequestEntityTooLarge()
    environ = request.environ
    environ["wsgi.input"] = BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    environ.pop("HTTP_TRANSFER_ENCODING", None)


def send_to_sign_in(_error: SignedOut):
    """Where the console's access check (kiosk/staff) sends a signed-out browser."""
    return staff.send_to_sign_in()


def init_app(app):
    app.config.update(MAX_FORM_MEMORY_SIZE=FORM_FIELD_BYTES, MAX_FORM_PARTS=FORM_PARTS)
    app.url_value_preprocessor(limit_body)
    app.register_error_handler(SignedOut, send_to_sign_in)
