"""Gzip for text responses: sheets and slides are mostly repeated SVG, which shrinks 10–15×.

Clinic Wi-Fi is weak and phones may be on a poor signal; there may be no proxy in front of
gunicorn to do this, so the app does it itself. Brotli through Flask-Compress would send 11%
fewer bytes of a slide and 29% of a sheet, but answers an unchanged slide about a sixth slower:
measured by bench/compression.py, in docs/resilience-and-performance.md.
"""

import gzip

from flask import request

from kiosk.web import lru

COMPRESSIBLE = {
    "text/html", "text/css", "text/javascript", "application/javascript", "application/json",
    "image/svg+xml", "application/manifest+json", "text/plain",
}
SMALLEST = 1024
CACHE_SIZE = 64


def compress(response):
    """Gzip the body when the browser accepts it and it is worth it."""
    if (
        response.status_code not in (200, 404)
        or response.mimetype not in COMPRESSIBLE
        or not accepted()
        or "Content-Encoding" in response.headers
    ):
        return response
    response.vary.add("Accept-Encoding")
    etag = response.get_etag()[0]
    key = f"{etag}:{request.path}" if etag else None
    by_etag = lru.of_app("kiosk.compressed", CACHE_SIZE)
    body = by_etag.get(key) if key else None
    if body is not None:
        unread = response.response
        if hasattr(unread, "close"):
            unread.close()  # a static file left open otherwise
    else:
        response.direct_passthrough = False
        raw = response.get_data()
        if len(raw) < SMALLEST:
            return response
        body = gzipped(raw)
        if key:  # files and generated CSS with an ETag: compress once, not per request
            by_etag.set(key, body)
    return send_gzipped(response, body)


def accepted() -> bool:
    """Whether the browser asking takes gzip, for a request that gets a body."""
    return ("gzip" in request.headers.get("Accept-Encoding", "").lower()
            and request.method != "HEAD")


def gzipped(raw: bytes) -> bytes:
    return gzip.compress(raw, compresslevel=6)


def send_gzipped(response, body: bytes):
    """`response` with `body`, already gzipped, as its content."""
    response.vary.add("Accept-Encoding")
    response.set_data(body)
    response.headers["Content-Encoding"] = "gzip"
    return response


def init_app(app):
    app.after_request(compress)
