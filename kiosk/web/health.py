"""`/healthz`: is the database reachable, which version of the content is live, and where
phones can open the sheets (kiosk/public.py `reach`).

A database that can be read but not written (a disk remounted read-only, a PostgreSQL standby)
still answers 200, with status "degraded", `writable: false` and the reason: screens and
sheets work on, so a load balancer or the screen's launcher must not give up on the server;
it is staff who cannot save.
"""

import os
import tempfile
from pathlib import Path

from flask import Blueprint, jsonify
from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from kiosk.db import engine, error_reason, get_session
from kiosk.models import ContentState
from kiosk.public import GUIDE, current_reach, public_url_warning

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    session = get_session()
    try:
        version = session.scalar(select(ContentState.version))
    except SQLAlchemyError as error:
        session.rollback()
        return _unhealthy(f"database error: {error_reason(error)}")
    if version is None:
        return _unhealthy("database has no content yet: run `flask --app kiosk migrate`")
    warning = public_url_warning()
    warnings = [warning] if warning else []
    phones = current_reach()
    # Where phones can open the sheets: advice for whoever installs it, never a failure.
    reach = {"case": phones.case, "summary": phones.summary, "anywhere": phones.anywhere,
             "offline": phones.offline, "guide": GUIDE}
    cannot_write = write_problem(session)
    if cannot_write:
        warnings.append(f"staff cannot save anything: {cannot_write}")
        return jsonify(status="degraded", database="ok", writable=False, reason=cannot_write,
                       content_version=version, phones=reach, warnings=warnings)
    return jsonify(status="ok", database="ok", writable=True, content_version=version,
                   phones=reach, warnings=warnings)


def write_problem(session) -> str | None:
    """Why a save would fail now, or None. Nothing written lasts: the probe sets a row to the
    value it has and is rolled back, and an SQLite file's disk is asked, not written to."""
    try:
        session.execute(
            update(ContentState).where(ContentState.id == 1)
            .values(version=ContentState.version)
        )
    except SQLAlchemyError as error:
        return f"the database refuses writes: {error_reason(error)}"
    finally:
        session.rollback()
    return _sqlite_disk_problem()


def _sqlite_disk_problem() -> str | None:
    """SQLite finds a read-only or full disk only when it commits: ask the disk instead."""
    url = engine().url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    database = Path(url.database.removeprefix("file:"))
    if not os.access(database, os.W_OK):
        return f"{database} cannot be written to"
    try:
        # A file with no name, gone when closed: ext4 turned read-only after a disk error
        # still says "rw" to access() and statvfs(), but refuses to create anything.
        with tempfile.TemporaryFile(dir=database.parent, prefix=".healthz-"):
            pass
    except OSError as error:
        return f"{database.parent} cannot be written to: {error.strerror}"
    disk = os.statvfs(database.parent)
    if disk.f_bavail * disk.f_frsize < 1024 * 1024:
        return f"the disk holding {database.parent} is full"
    return None


def _unhealthy(reason: str):
    response = jsonify(status="error", database="error", reason=reason)
    response.status_code = 503
    return response
