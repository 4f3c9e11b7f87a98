"""The seed holds the whole article, once, and never undoes what staff changed."""

import re
from pathlib import Path

import pytest
from sqlalchemy import MetaData, select

from kiosk.content import load_article
from kiosk.content.seed import seed
from kiosk.db import engine
from kiosk.models import (
    Clinic,
    Passage,
    Routine,
    SafetyNote,
    Screen,
    Stretch,
    Tip,
    WarningSign,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"
ARTICLE_TEXT = SHARED / "seed/stretching-exercises-for-back-pain.txt"
ARTICLE = load_article()


def texts(session, model):
    return session.scalars(select(model.text).order_by(model.position)).all()


def test_every_stretch_step_hold_and_repetition_is_in_the_database(session):
    stretches = session.scalars(select(Stretch).order_by(Stretch.neck_order)).all()
    assert [s.title for s in stretches] == [s["title"] for s in ARTICLE["stretches"]]
    for stored, source in zip(stretches, ARTICLE["stretches"], strict=True):
        assert stored.steps == source["steps"]
        assert stored.hold_seconds == source["hold_seconds"]
        assert stored.repetitions == source["repetitions"]
        assert stored.sides == source["sides"]
        assert stored.position == source["position"]


def test_advice_warning_signs_safety_notes_and_contact_are_in_the_database(session):
    assert texts(session, Tip) == [t["text"] for t in ARTICLE["tips"]]
    assert texts(session, SafetyNote) == [n["text"] for n in ARTICLE["safety_notes"]]
    assert texts(session, WarningSign) == [w["text"] for w in ARTICLE["warning_signs"]]
    passages = {p.key: p.body for p in session.scalars(select(Passage))}
    assert passages == {p["key"]: p["body"] for p in ARTICLE["passages"]}
    clinic = session.scalar(select(Clinic))
    assert (clinic.therapist, clinic.phone) == ("Jade Tran", "0425 444 304")


def test_default_routine_and_screen(session):
    routine = session.scalar(select(Routine).filter_by(slug="back-pain-stretches"))
    assert routine.title == "Back pain stretches"
    assert [item.stretch.title for item in routine.items] == [
        "Neck Stretch",
        "Shoulder Rolls",
        "Hamstring Stretch (Lying Down)",
        "Hamstring Stretch (Standing)",
        "Hip Twists",
        "Psoas Stretch",
        "Piriformis Stretch",
    ]
    screen = session.scalar(select(Screen).filter_by(slug="waiting-room"))
    assert screen.routine == routine


def test_holds_follow_the_article():
    holds = {s["title"]: (s["hold_seconds"], s["repetitions"]) for s in ARTICLE["stretches"]}
    assert holds.pop("Piriformis Stretch") == (30, 3)
    assert set(holds.values()) == {(10, 3)}


def normalise(text):
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.skipif(not ARTICLE_TEXT.exists(), reason="the clinic's article is not beside the repo")
def test_content_file_quotes_the_article_word_for_word():
    article = normalise(ARTICLE_TEXT.read_text())
    quoted = [step for s in ARTICLE["stretches"] for step in s["steps"]]
    quoted += [s["title"] for s in ARTICLE["stretches"]]
    quoted += [t["text"] for t in ARTICLE["tips"]]
    quoted += [n["text"] for n in ARTICLE["safety_notes"]]
    # Two passages' titles are ours (the article runs them into the warning signs).
    ours = ("after-your-visit", "disclaimer")
    quoted += [p["title"] for p in ARTICLE["passages"] if p["key"] not in ours]
    quoted += [para for p in ARTICLE["passages"] for para in p["body"].split("\n\n")]
    missing = [text for text in quoted if normalise(text).rstrip(".") not in article]
    assert missing == []
    # Warning signs are capitalised list items in the article; compare without case.
    for sign in ARTICLE["warning_signs"]:
        assert normalise(sign["text"]).lower() in article.lower()
    assert "0425 444 304" in article and "Jade Tran" in article


def dump(app):
    """Every row of every table, for comparing whole databases."""
    with app.app_context(), engine().connect() as connection:
        tables = MetaData()
        tables.reflect(connection)
        return {
            name: sorted(map(repr, connection.execute(select(table))))
            for name, table in tables.tables.items()
        }


def test_seeding_twice_changes_nothing(app, runner):
    assert "Draft translations" in runner.invoke(args=["seed"]).output  # the first time
    before = dump(app)
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert result.output == "Nothing to seed: the database already holds the article.\n"
    assert dump(app) == before


def test_seed_never_undoes_staff_edits_or_deletions(app, session):
    neck = session.scalar(select(Stretch).filter_by(slug="neck-stretch"))
    neck.title = "Gentle neck stretch"
    neck.hold_seconds = 15
    session.delete(session.scalar(select(WarningSign).order_by(WarningSign.position.desc())))
    session.commit()

    assert seed(session, ARTICLE) == []
    session.expire_all()
    neck = session.scalar(select(Stretch).filter_by(slug="neck-stretch"))
    assert (neck.title, neck.hold_seconds) == ("Gentle neck stretch", 15)
    assert len(texts(session, WarningSign)) == len(ARTICLE["warning_signs"]) - 1


def test_seed_adds_pieces_a_newer_content_file_brings(app, session):
    signs = [*ARTICLE["warning_signs"], {"text": "Fever with back pain"}]
    newer = {**ARTICLE, "warning_signs": signs}
    added = seed(session, newer)
    assert len(added) == 1 and added[0].startswith("warning_signs:")
    assert texts(session, WarningSign)[-1] == "Fever with back pain"
