"""Web plumbing every page shares and no clinic would name: which hosts may ask, how much they may
send, security and cache headers, fingerprinted assets, compression, error pages, health."""


def init_app(app):
    from kiosk.web import (
        assets,
        compression,
        errors,
        headers,
        health,
        hosts,
        inputs,
        limits,
        security,
    )

    hosts.init_app(app)  # these two first: they check a request before anything reads it
    limits.init_app(app)
    inputs.init_app(app)
    security.init_app(app)
    headers.init_app(app)
    assets.init_app(app)
    compression.init_app(app)
    errors.init_app(app)
    app.register_blueprint(health.bp)
