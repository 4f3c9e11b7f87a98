"""The one place that knows about htmx's HX-* headers."""

from flask import make_response, redirect, render_template
from htmx_flask import request


def render(template: str, partial: str, **context):
    """The whole page for a normal request; only the swapped region for an htmx request."""
    response = make_response(render_template(partial if request.htmx else template, **context))
    response.vary.add("HX-Request")
    return response


def redirect_for_htmx(location: str):
    """Redirect the whole page, also when the request came from htmx (which would swap it in)."""
    if request.htmx:
        response = make_response("", 204)
        response.headers["HX-Redirect"] = location
        return response
    return redirect(location)
