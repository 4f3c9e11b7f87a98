"""`flask --app kiosk seed`: load the article into the database, once per piece.

Each piece the seed adds leaves a SeedMark, and a marked piece is never added again:
staff edits and deletions survive any number of re-seeds, while pieces that a newer
content file adds still arrive.
"""

import hashlib
from collections import Counter

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.content import drafts, load_article
from kiosk.db import get_session, needs_current_schema
from kiosk.languages import LANGUAGES
from kiosk.models import (
    Clinic,
    ContentState,
    Passage,
    Routine,
    RoutineItem,
    SafetyNote,
    Screen,
    SeedMark,
    Stretch,
    Tip,
    WarningSign,
)

LISTS = {"tips": Tip, "safety_notes": SafetyNote, "warning_signs": WarningSign}


def seed(session: Session, article: dict) -> list[str]:
    """Add every piece of `article` not seeded before; return the keys of what was added."""
    marked = set(session.scalars(select(SeedMark.key)))
    added = []

    def once(key, add):
        if key not in marked:
            add()
            session.add(SeedMark(key=key))
            marked.add(key)
            added.append(key)

    once("clinic", lambda: _add_clinic(session, article["clinic"]))
    for passage in article["passages"]:
        once(f"passage:{passage['key']}", lambda p=passage: _add_passage(session, p))
    for name, model in LISTS.items():
        for entry in article[name]:
            digest = hashlib.sha256(entry["text"].encode()).hexdigest()[:16]
            once(f"{name}:{digest}", lambda m=model, e=entry: _append_line(session, m, e["text"]))
    for order, stretch in enumerate(article["stretches"], start=1):
        once(f"stretch:{stretch['slug']}", lambda s=stretch, o=order: _add_stretch(session, s, o))
    session.flush()
    for routine in article["routines"]:
        once(f"routine:{routine['slug']}", lambda r=routine: _add_routine(session, r))
    session.flush()
    for screen in article["screens"]:
        once(f"screen:{screen['slug']}", lambda s=screen: _add_screen(session, s))
    if added:
        ContentState.bump(session)
    session.commit()
    return added


def _add_clinic(session, clinic):
    if session.scalar(select(Clinic)) is None:
        session.add(Clinic(**clinic))


def _add_passage(session, passage):
    if session.scalar(select(Passage).filter_by(key=passage["key"])) is None:
        session.add(Passage(**passage))


def _append_line(session, model, text):
    if session.scalar(select(model).filter_by(text=text)) is None:
        last = session.scalar(select(func.max(model.position))) or 0
        session.add(model(position=last + 1, text=text))
        session.flush()


def _add_stretch(session, stretch, order):
    if session.scalar(select(Stretch).filter_by(slug=stretch["slug"])) is None:
        session.add(Stretch(neck_order=order, **stretch))


def _add_routine(session, routine):
    if session.scalar(select(Routine).filter_by(slug=routine["slug"])) is not None:
        return
    stretches = {s.slug: s for s in session.scalars(select(Stretch))}
    items = [
        RoutineItem(stretch=stretches[slug], position=position)
        for position, slug in enumerate(routine["stretches"], start=1)
        if slug in stretches
    ]
    session.add(
        Routine(
            slug=routine["slug"],
            title=routine["title"],
            description=routine.get("description", ""),
            items=items,
        )
    )


def _add_screen(session, screen):
    if session.scalar(select(Screen).filter_by(slug=screen["slug"])) is not None:
        return
    routine = session.scalar(select(Routine).filter_by(slug=screen["routine"]))
    session.add(Screen(slug=screen["slug"], name=screen["name"], routine=routine,
                       clinic=Clinic.first(session)))


@click.command("seed")
@with_appcontext
@needs_current_schema
def seed_command():
    """Load the clinic's article (stretches, advice, contact, default routine and screen), and
    the draft translations shipped with the kiosk for its staff to check."""
    session = get_session()
    added = seed(session, load_article())
    if added:
        kinds = Counter(key.partition(":")[0] for key in added)
        click.echo("Seeded " + ", ".join(f"{count} {kind}" for kind, count in kinds.items()) + ".")
    else:
        click.echo("Nothing to seed: the database already holds the article.")
    arrived = drafts.load(session)
    session.commit()
    if arrived:
        click.echo("Draft translations, for staff to check before patients see them: " + ", ".join(
            f"{count} in {LANGUAGES[code].english}" for code, count in arrived.items()) + ".")


def init_app(app):
    app.cli.add_command(seed_command)
    drafts.init_app(app)
