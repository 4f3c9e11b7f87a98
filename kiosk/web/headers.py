"""Security headers on every response, from this one place: what a page may load, who may frame
it, what it tells other sites, which browser features it may use.

Every script, stylesheet, picture, font and worker comes from this server, so the policy
names nothing else: no inline scripts or styles (htmx's indicator styles and eval are off in
templates/base.html), no `data:` images, no plugins.
"""

from flask import request
from werkzeug.middleware.proxy_fix import ProxyFix

# Only the console's previews frame pages, and they frame only the screen and the sheets.
FRAMED_BLUEPRINTS = {"display", "sheets"}

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "media-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "worker-src": "'self'",
    "manifest-src": "'self'",
    "frame-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}

# The screen keeps itself awake, and sheet videos may go full screen; nothing else is used.
# Only features Chromium knows: it warns in the console about any other.
PERMISSIONS = {
    "screen-wake-lock": "(self)",
    "fullscreen": "(self)",
    **dict.fromkeys(
        ("accelerometer", "browsing-topics", "camera", "display-capture",
         "geolocation", "gyroscope", "hid", "idle-detection", "magnetometer", "microphone",
         "midi", "payment", "picture-in-picture", "publickey-credentials-get", "serial",
         "usb", "xr-spatial-tracking"),
        "()",
    ),
}
PERMISSIONS_POLICY = ", ".join(f"{feature}={allow}" for feature, allow in PERMISSIONS.items())

YEAR = 365 * 24 * 3600  # in seconds: how long a fingerprinted URL, and HTTPS, are kept


def content_security_policy(framed_by_self: bool) -> str:
    ancestors = "'self'" if framed_by_self else "'none'"
    return "; ".join(
        f"{name} {value}" for name, value in (POLICY | {"frame-ancestors": ancestors}).items()
    )


def cache_for_a_year(response, shared: bool = True):
    """A fingerprinted URL: what it answers never changes (new content gets a new URL), so the
    browser keeps it a year without asking again, and so may a proxy in between if `shared`."""
    if shared:
        response.cache_control.public = True
    response.cache_control.no_cache = None  # Flask's own for static files: ask every time
    response.cache_control.max_age = YEAR
    response.cache_control.immutable = True
    return response


def add_security_headers(response):
    """A view's own choice stands (a patient sheet sends no referrer at all)."""
    headers = response.headers
    framed = request.blueprint in FRAMED_BLUEPRINTS
    headers.setdefault("Content-Security-Policy", content_security_policy(framed))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    # Same-origin pages still send their address: Flask-WTF checks it on HTTPS form posts.
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", f"max-age={YEAR}")
    return response


def init_app(app):
    app.after_request(add_security_headers)
    hops = app.config["PROXY_HOPS"]
    if hops:
        # Behind that many proxies, trust their X-Forwarded-For/-Proto/-Host: Caddy replaces
        # whatever a client sent in those. Never -Port or -Prefix: Caddy passes a client's on
        # untouched, and a forged prefix would put wrong links into the screens' shared slides.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops,
                                x_port=0, x_prefix=0)
