"""The front page: what this install serves, with links to each surface."""

from flask import Blueprint, render_template
from sqlalchemy import select

from kiosk.db import get_session
from kiosk.models import Clinic, Routine, Screen, Stretch

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    session = get_session()
    return render_template(
        "home/index.html",
        clinic=Clinic.first(session),
        stretches=session.scalars(
            select(Stretch).where(Stretch.retired.is_(False)).order_by(Stretch.neck_order)
        ).all(),
        screens=session.scalars(select(Screen).order_by(Screen.name)).all(),
        routines=session.scalars(select(Routine).order_by(Routine.title)).all(),
    )
