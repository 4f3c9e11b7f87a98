"""Friendly error pages: say what happened and where to go, never a stack trace."""

from flask import render_template
from werkzeug.exceptions import HTTPException

MESSAGES = {
    404: ("Page not found", "This page does not exist, or it is no longer available."),
    405: ("Not allowed", "That action is not available here."),
    413: ("Too large", "What you sent is larger than this app accepts."),
    500: ("Something went wrong", "The app could not finish that. Please try again."),
}


def render_error(error: HTTPException):
    code = error.code or 500
    title, message = MESSAGES.get(code, (error.name, error.description))
    return render_template("errors/error.html", code=code, title=title, message=message), code


def init_app(app):
    app.register_error_handler(HTTPException, render_error)
