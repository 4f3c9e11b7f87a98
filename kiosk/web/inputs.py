"""What the app takes from a request before any view sees it: ids a database can hold, and
text it can store.

Anything else is refused here with a plain reason, so no view half-saves it or trips on it
(PostgreSQL refuses NUL characters in text, and ids past 2**31 - 1 in integer columns).
"""

from flask import abort, request
from werkzeug.routing import IntegerConverter

LARGEST_ID = 2**31 - 1  # PostgreSQL's INTEGER; SQLite's is larger
NUL = "\x00"


class RowId(IntegerConverter):
    """`<int:...>` in routes: a number too big to be any row's id matches no page (a 404)."""

    def __init__(self, map, fixed_digits=0, min=None, max=LARGEST_ID, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


def form_id(name: str) -> int | None:
    """The form field `name` as a row id; None when it is missing or could be no row's id."""
    value = request.form.get(name, type=int)
    return value if value is not None and 0 < value <= LARGEST_ID else None


def refuse_unstorable_text():
    """A NUL in the address names no page (404); in a query or a form it is refused (400)."""
    if any(NUL in str(value) for value in (request.view_args or {}).values()):
        abort(404)
    fields = [*request.args.items(multi=True)]
    if request.method in ("POST", "PUT", "PATCH"):
        fields += request.form.items(multi=True)
    if any(NUL in name or NUL in value for name, value in fields):
        abort(400, description="What was sent holds a NUL character, which no page here "
                               "accepts, so nothing was changed. Retype it and try again.")


def init_app(app):
    # Before any blueprint adds its routes: rules pick their converters as they are added.
    app.url_map.converters["int"] = RowId
    app.before_request(refuse_unstorable_text)
