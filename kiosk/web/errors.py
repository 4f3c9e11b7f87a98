"""Friendly error pages: say what happened and who to call, never a stack trace."""

from flask import current_app, render_template, request
from flask_babel import gettext
from sqlalchemy.exc import InternalError, OperationalError, ProgrammingError, SQLAlchemyError
from werkzeug.exceptions import HTTPException, ServiceUnavailable

from kiosk.contact import tel_href
from kiosk.db import error_reason, get_session, write_refused
from kiosk.languages import N_
from kiosk.models import Clinic
from kiosk.web.accesslog import RedactTokens

# In the page's language: a patient can reach them (gettext when the page is made).
MESSAGES = {
    400: (N_("Please try again"),
          N_("The app could not read what was sent, so nothing was changed.")),
    404: (N_("Page not found"), N_("This page does not exist, or it is no longer available.")),
    405: (N_("Not allowed"), N_("That action is not available here.")),
    413: (N_("Too large"), N_("What you sent is larger than this app accepts, so nothing was "
                              "changed. Send something smaller, or fewer files at once.")),
    500: (N_("Something went wrong"), N_("The app could not finish that. Please try again.")),
    503: (N_("Not available right now"),
          N_("The app cannot reach its database right now. Please try again in a minute.")),
}
CANNOT_WRITE = N_(
    "The database cannot be written to right now, so nothing was saved. Screens and sheets "
    "keep showing what they already have. Please try again later, and tell whoever looks "
    "after the kiosk: its /healthz address says why."
)


def render_error(error: HTTPException):
    code = error.code or 500
    title, message = (gettext(text) for text in MESSAGES.get(code, (error.name,
                                                                    error.description)))
    if error.description != type(error).description:
        message = gettext(error.description)  # a view said exactly what is missing
    clinic = _clinic_or_none()
    tel = tel_href(clinic.phone, current_app.config["PHONE_COUNTRY_CODE"]) if clinic else None
    page = render_template(
        "errors/error.html", code=code, title=title, message=message, clinic=clinic, tel=tel
    )
    return page, code


def database_trouble(error: SQLAlchemyError):
    """A read-only or unreachable database: a 503 that says so, never a trace."""
    get_session().rollback()
    current_app.logger.warning("%s %s: database trouble: %s", request.method, request.path,
                               error_reason(error))
    return render_error(ServiceUnavailable(CANNOT_WRITE if write_refused(error) else None))


# A table that is not there: the schema not migrated yet (say, the app started before
# `migrate` ran). SQLite says so as an operational error, PostgreSQL as a programming one.
UNDEFINED_TABLE = "42P01"


def schema_missing(error: ProgrammingError):
    """The same 503 as SQLite gives; any other programming error is a fault (a 500)."""
    if getattr(getattr(error, "orig", None), "sqlstate", None) != UNDEFINED_TABLE:
        raise error
    return database_trouble(error)


def _clinic_or_none():
    """The clinic's contact for the error page, unless the database is the problem."""
    session = get_session()
    try:
        return Clinic.first(session)
    except SQLAlchemyError:
        session.rollback()
        return None


def init_app(app):
    app.logger.addFilter(RedactTokens())
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(OperationalError, database_trouble)
    app.register_error_handler(InternalError, database_trouble)
    app.register_error_handler(ProgrammingError, schema_missing)
