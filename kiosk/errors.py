"""Friendly error pages: say what happened and who to call, never a stack trace."""

from flask import current_app, render_template
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from kiosk.contact import tel_href
from kiosk.db import get_session
from kiosk.models import Clinic

MESSAGES = {
    404: ("Page not found", "This page does not exist, or it is no longer available."),
    405: ("Not allowed", "That action is not available here."),
    413: ("Too large", "What you sent is larger than this app accepts."),
    500: ("Something went wrong", "The app could not finish that. Please try again."),
}


def render_error(error: HTTPException):
    code = error.code or 500
    title, message = MESSAGES.get(code, (error.name, error.description))
    if error.description != type(error).description:
        message = error.description  # a view said exactly what is missing
    clinic = _clinic_or_none()
    tel = tel_href(clinic.phone, current_app.config["PHONE_COUNTRY_CODE"]) if clinic else None
    page = render_template(
        "errors/error.html", code=code, title=title, message=message, clinic=clinic, tel=tel
    )
    return page, code


def _clinic_or_none():
    """The clinic's contact for the error page, unless the database is the problem."""
    session = get_session()
    try:
        return session.scalar(select(Clinic))
    except SQLAlchemyError:
        session.rollback()
        return None


def init_app(app):
    app.register_error_handler(HTTPException, render_error)
