"""Static files under content-hashed URLs, so browsers and screens cache them for good."""

import hashlib
import json
from functools import cache
from pathlib import Path

from flask import current_app, request, url_for

from kiosk.web.headers import cache_for_a_year


def asset_url(filename: str) -> str:
    """The URL of a static file, with a fingerprint of its content."""
    path = Path(current_app.static_folder) / filename
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise RuntimeError(
            f"static/{filename} is missing; `make run` or `make vendor` builds it"
        ) from None
    return url_for("static", filename=filename, v=_fingerprint(path, stat.st_mtime_ns))


@cache
def _fingerprint(path: Path, _mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


# Where a service worker's source takes the addresses it needs: a worker cannot call url_for.
ROUTES_GO_HERE = "{/* the server writes the routes here */}"


def service_worker_script(filename: str, routes: dict[str, str],
                          allowed_scope: str | None = None):
    """A service worker script, with the app's `routes` it needs written in: always revalidated,
    so a new release reaches screens and phones. Its URL and scope stay what screens and phones
    registered; the page gives the scope."""
    source = (Path(current_app.static_folder) / filename).read_text(encoding="utf-8")
    if ROUTES_GO_HERE not in source:
        raise RuntimeError(f"static/{filename} has no {ROUTES_GO_HERE} for its routes")
    body = source.replace(ROUTES_GO_HERE, json.dumps(routes, sort_keys=True), 1)
    response = current_app.response_class(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    if allowed_scope:
        response.headers["Service-Worker-Allowed"] = allowed_scope
    response.add_etag()
    return response.make_conditional(request)


def _cache_fingerprinted(response):
    if request.endpoint == "static" and "v" in request.args and response.status_code == 200:
        cache_for_a_year(response)
    return response


def init_app(app):
    app.jinja_env.globals["asset_url"] = asset_url
    app.after_request(_cache_fingerprinted)
