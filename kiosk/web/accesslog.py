"""gunicorn's access log without secrets: no query strings, no referrers, patient tokens and
screens' pairing keys hidden.

A patient sheet's address (/p/<token>) is its only key: anyone holding the token can open the
sheet, so the log shows /p/<redacted> instead, however the address was spelled: the path is
resolved first (//p/, /p//, /./p/, escaped slashes), in one place for both logs. Query strings
and referrers are left out (a referrer can be a patient sheet's address too), and so are client
addresses and user agents: the clinic stores nothing that identifies a patient's phone. A
screen's pairing link (/display/<screen>/pair/<key>) lets a browser report for the screen, so
its key is hidden the same way, and so is the token of the first run's set-up link
(/staff/setup/<token>, kiosk/setup_link.py), which makes an admin until it is used.
"""

import logging
import re
from urllib.parse import unquote

from gunicorn.glogging import Logger

# A token, or a mistyped one: up to a slash, a dot, or what cannot be in one (a space, a
# quote or bracket around it in a line of text, the punctuation of a query or a sentence).
ONE_SEGMENT = r"[^/.\s\]\[\"'<>?#&;:,=]+"
# /p/<token>, /p/<token>.pdf, /p/<token>/qr.svg, /p/<token>/manifest.webmanifest ...
PATIENT_TOKEN = re.compile(r"^/p/" + ONE_SEGMENT, re.IGNORECASE)
# The same anywhere in a line of text ("Exception on /p/<token> [GET]").
PATIENT_TOKEN_IN_TEXT = re.compile(r"/p/" + ONE_SEGMENT, re.IGNORECASE)
# A path, or a whole address, in a line of text: up to a space, a quote or a bracket.
PATH_IN_TEXT = re.compile(r"(?P<origin>[a-z][a-z0-9+.-]*://[^/\s\]\[\"'<>]*)?"
                          r"(?P<path>/[^\s\]\[\"'<>]*)", re.IGNORECASE)
REDACTED = "/p/<redacted>"
# Links that are keys, /display/<screen>/pair/<key> and /staff/setup/<token>, alone and in a
# line of text.
LINK_KEY = re.compile(r"^(/display/[^/]+/pair/|/staff/setup/)" + ONE_SEGMENT, re.IGNORECASE)
LINK_KEY_IN_TEXT = re.compile(r"(/display/[^/\s]+/pair/|/staff/setup/)" + ONE_SEGMENT,
                              re.IGNORECASE)
KEY_REDACTED = r"\1<redacted>"
# Time, request (method, path, protocol), status, bytes sent, milliseconds taken.
FORMAT = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'
SECRET_ATOMS = ("{referer}i", "{raw_uri}e", "{request_uri}e", "{query_string}e",
                "{http_referer}e")


def normalise(path: str) -> str:
    """The path as it resolves, so no spelling hides a token: //p/x, /p//x, /./p/x, /p%2Fx.

    Escapes are decoded (PATH_INFO arrives decoded once; %252F arrives as %2F), backslashes
    count as slashes, repeated slashes collapse and dot segments resolve.
    """
    for _ in range(4):
        decoded = unquote(path)
        if decoded == path:
            break
        path = decoded
    written = path.replace("\\", "/").split("/")
    segments = []
    for segment in written:
        if segment == "..":
            if segments:
                segments.pop()
        elif segment not in ("", "."):
            segments.append(segment)
    trailing = "/" if segments and written[-1] in ("", ".", "..") else ""
    return "/" + "/".join(segments) + trailing


def redact(path: str) -> str:
    """The request path as it may be logged: resolved, and a patient sheet's token replaced."""
    if not path:
        return ""
    return LINK_KEY.sub(KEY_REDACTED, PATIENT_TOKEN.sub(REDACTED, normalise(path)))


def redact_text(text: str) -> str:
    """A line of text with every path in it resolved and stripped of patient tokens."""
    def path_redacted(match):
        resolved = normalise(match["path"])
        path = LINK_KEY_IN_TEXT.sub(KEY_REDACTED, PATIENT_TOKEN_IN_TEXT.sub(REDACTED,
                                                                          redact(resolved)))
        if path == resolved:  # nothing secret: as written (http://127.0.0.1:8000 keeps its //)
            return match[0]
        return (match["origin"] or "") + path

    return PATH_IN_TEXT.sub(path_redacted, text)


class RedactTokens(logging.Filter):
    """For the app's own log (Flask's "Exception on <path>", database trouble): the same rule."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_text(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


REDACT_TOKENS = RedactTokens()


class RedactingLogger(Logger):
    """gunicorn's logger, with every atom that can carry a secret made safe."""

    def setup(self, cfg):
        super().setup(cfg)
        # Its error log names the request too ("Error handling request <uri>"): the same rule.
        self.error_log.addFilter(REDACT_TOKENS)  # once: addFilter skips a filter it holds

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = redact(environ.get("PATH_INFO", ""))
        atoms["U"] = path
        atoms["r"] = f"{environ.get('REQUEST_METHOD')} {path} {environ.get('SERVER_PROTOCOL')}"
        atoms["q"] = atoms["f"] = "-"
        # The same things again as header and environ atoms, for a format that names them.
        atoms["{path_info}e"] = path
        for key in SECRET_ATOMS:
            atoms[key] = "-"
        return atoms
