"""The clinic stretch kiosk: the waiting-room screen, take-home sheets and the staff console."""

import os
from pathlib import Path

from flask import Flask
from htmx_flask import Htmx

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config=None):
    """Build the app from KIOSK_* settings, or from `test_config` in tests."""
    instance_path = os.environ.get("KIOSK_INSTANCE_PATH") or str(ROOT / "instance")
    app = Flask(
        __name__,
        instance_path=instance_path,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    from kiosk import config

    app.config.from_mapping(config.from_environ(instance_path))
    if test_config is not None:
        app.config.from_mapping(test_config)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = config.instance_secret_key(instance_path)

    Htmx(app)
    from kiosk import (
        accounts,
        backup,
        clinics,
        db,
        display,
        figures,
        home,
        languages,
        localised,
        media,
        patient_sheets,
        public,
        reminders,  # noqa: F401 (its routes join the sheets' blueprint)
        setup_link,
        sheets,
        staff,
        stretches,
        transfer,
        web,
    )
    from kiosk.content import seed

    db.init_app(app)
    web.init_app(app)
    languages.init_app(app)
    localised.init_app(app)
    seed.init_app(app)
    accounts.init_app(app)
    clinics.init_app(app)
    setup_link.init_app(app)
    public.init_app(app)
    patient_sheets.init_app(app)
    transfer.init_app(app)
    backup.init_app(app)
    media.init_app(app)
    stretches.init_app(app)
    app.register_blueprint(home.bp)
    app.register_blueprint(figures.bp)
    app.register_blueprint(sheets.bp)
    app.register_blueprint(staff.bp)
    app.register_blueprint(display.bp)
    return app
