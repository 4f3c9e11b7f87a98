"""`/healthz`: is the database reachable, and which version of the content is live."""

from flask import Blueprint, jsonify
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from kiosk.db import get_session
from kiosk.models import ContentState
from kiosk.public import public_url_warning

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    session = get_session()
    try:
        version = session.scalar(select(ContentState.version))
    except SQLAlchemyError as error:
        session.rollback()
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        return _unhealthy(f"database error: {reason}")
    if version is None:
        return _unhealthy("database has no content yet: run `flask --app kiosk migrate`")
    warning = public_url_warning()
    return jsonify(
        status="ok", database="ok", content_version=version, warnings=[warning] if warning else []
    )


def _unhealthy(reason: str):
    response = jsonify(status="error", database="error", reason=reason)
    response.status_code = 503
    return response
