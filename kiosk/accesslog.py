"""gunicorn's access log without secrets: no query strings, no referrers, patient tokens hidden.

A patient sheet's address (/p/<token>) is its only key: anyone holding the token can open the
sheet, so the log shows /p/<redacted> instead. Query strings and referrers are left out (a
referrer can be a patient sheet's address too), and so are client addresses and user agents:
the clinic stores nothing that identifies a patient's phone.
"""

import logging
import re

from gunicorn.glogging import Logger

# /p/<token>, /p/<token>.pdf, /p/<token>/qr.svg, /p/<token>/manifest.webmanifest ...
PATIENT_TOKEN = re.compile(r"^/p/[^/.]+")
# The same anywhere in a line of text ("Exception on /p/<token> [GET]").
PATIENT_TOKEN_IN_TEXT = re.compile(r"/p/[^/.\s\]\[\"'<>]+")
REDACTED = "/p/<redacted>"
# Time, request (method, path, protocol), status, bytes sent, milliseconds taken.
FORMAT = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'
SECRET_ATOMS = ("{referer}i", "{raw_uri}e", "{request_uri}e", "{query_string}e",
                "{http_referer}e")


def redact(path: str) -> str:
    """The request path as it may be logged: a patient sheet's token replaced."""
    return PATIENT_TOKEN.sub(REDACTED, path or "")


class RedactTokens(logging.Filter):
    """For the app's own log (Flask's "Exception on <path>", database trouble): the same rule."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/p/" in message:
            record.msg, record.args = PATIENT_TOKEN_IN_TEXT.sub(REDACTED, message), None
        return True


class RedactingLogger(Logger):
    """gunicorn's logger, with every atom that can carry a secret made safe."""

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
