"""Draft translations shipped with the kiosk (kiosk/content/drafts.py): the seed loads them as
drafts for staff to check, once; a draft the clinic has since replaced or deleted never comes
back; a draft of English the clinic has edited arrives out of date. And the catalogues shipped
cover the whole article and every word the kiosk says, in every language it offers."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from sqlalchemy import delete, select

from kiosk.content import drafts
from kiosk.db import get_session
from kiosk.languages import LANGUAGES, SOURCE
from kiosk.localised import pieces, standing, state_of
from kiosk.models import Stretch, Translation

ROOT = Path(__file__).parent.parent
# As the Makefile's `messages` extracts them.
EXTRACT_KEYWORDS = ["-k", "plural:1,2", "-k", "words", "-k", "_l", "-k", "Still:1", "-k", "N_"]
SHIPPED = [code for code in LANGUAGES if code != SOURCE.code]


def write_drafts(folder, code, entries):
    catalog = Catalog(locale=code, domain=drafts.DOMAIN)
    for context, source, text in entries:
        catalog.add(source, text, context=context)
    (folder / code).mkdir(parents=True, exist_ok=True)
    drafts.write(catalog, folder / code / f"{drafts.DOMAIN}.po")


def test_the_seed_loads_shipped_drafts_once_and_never_brings_back_a_deleted_one(app, tmp_path):
    with app.app_context():
        session = get_session()
        first = {piece.kind: piece for piece in reversed(pieces(session))}
        sign, step = first["warning_sign"], first["stretch.step"]
        write_drafts(tmp_path, "vi", [
            (drafts.context(sign), sign.text, "Tê bì ở háng"),
            (drafts.context(step), step.text, "Đứng thẳng"),
            ("stretch.step nowhere", "Not a piece", "Không"),  # a context that names no piece
            (drafts.context(first["tip"]), first["tip"].text, ""),  # not translated yet
        ])
        assert drafts.load(session, tmp_path) == {"vi": 2}
        session.commit()
        rows = {(t.kind, t.position): t for t in session.scalars(select(Translation))}
        assert {t.status for t in rows.values()} == {"draft"}
        assert rows[(sign.kind, sign.position)].text == "Tê bì ở háng"
        assert state_of(rows[(sign.kind, sign.position)], sign) == "draft"

        # Loading again adds nothing; nor after staff deleted one.
        assert drafts.load(session, tmp_path) == {}
        session.execute(delete(Translation).filter_by(kind=sign.kind))
        session.commit()
        assert drafts.load(session, tmp_path) == {}
        assert session.scalar(select(Translation).filter_by(kind=sign.kind)) is None


def test_a_draft_of_english_the_clinic_has_edited_arrives_out_of_date(app, tmp_path):
    with app.app_context():
        session = get_session()
        step = next(p for p in pieces(session) if p.kind == "stretch.step")
        stretch = session.scalar(select(Stretch).filter_by(slug=step.ref))
        stretch.steps = ["Stand tall, feet apart.", *stretch.steps[1:]]
        session.commit()
        write_drafts(tmp_path, "it", [(drafts.context(step), step.text, "In piedi")])
        assert drafts.load(session, tmp_path) == {"it": 1}
        session.commit()
        assert standing(session, "it").counts["out of date"] == 1


def test_the_seed_command_loads_the_shipped_drafts_for_staff_to_check(app, runner):
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "Draft translations, for staff to check" in result.output
    assert "in Vietnamese" in result.output and "in Arabic" in result.output
    with app.app_context():
        session = get_session()
        for code in SHIPPED:
            seen = standing(session, code)
            # The whole article, as drafts of today's English: none missing, none out of date.
            assert seen.counts["draft"] == seen.total == len(pieces(session)), code
            assert not seen.approved
    again = runner.invoke(args=["seed"])
    assert "Draft translations" not in again.output


def test_content_messages_writes_the_template_and_brings_catalogues_up_to_it(
        app, runner, tmp_path, monkeypatch):
    monkeypatch.setattr(drafts, "TRANSLATIONS", tmp_path)
    write_drafts(tmp_path, "el", [("warning_sign  1", "An old sign", "Παλιό")])
    result = runner.invoke(args=["content-messages"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        count = len(pieces(get_session()))
    template = drafts.read(tmp_path / "content.pot")
    assert len(template) == count
    updated = drafts.read(tmp_path / "el" / "content.po")
    assert len(updated) == count  # every piece there to translate, the old one set aside
    assert f"el: {count} pieces, 1 no longer in the article" in result.output


@pytest.mark.parametrize("code", SHIPPED)
def test_every_shipped_language_has_the_whole_article_and_all_the_kiosks_words(
        app, code, extracted):
    """What the kiosk ships: each language's content.po translates every piece of the article as
    seeded (so no draft arrives out of date), keeps each number, and its messages.po every word
    the kiosk says, with placeholders intact."""
    with app.app_context():
        article = {drafts.context(piece): piece.text for piece in pieces(get_session())}
    content = {message.context: message for message in
               drafts.read(drafts.TRANSLATIONS / code / f"{drafts.DOMAIN}.po") if message.id}
    assert set(content) >= set(article)
    for context, source in article.items():
        message = content[context]
        assert message.id == source, context
        assert message.string.strip() and not message.fuzzy, context
        assert sorted(re.findall(r"\d+", message.string)) == sorted(
            re.findall(r"\d+", source)), context

    words = drafts.read(drafts.TRANSLATIONS / code / "LC_MESSAGES" / "messages.po")
    assert not words.fuzzy
    for message in words:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(s.strip() for s in strings), message.id
        assert len(strings) == (words.num_plurals if message.pluralizable else 1), message.id
        assert not message.fuzzy and not message.check(words), message.id
    # Nothing the code and templates say is left out (as `make messages` extracts it).
    assert {m.id for m in extracted if m.id} <= {m.id for m in words if m.id}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The words marked in the code and templates today, extracted as `make messages` does."""
    template = tmp_path_factory.mktemp("extracted") / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "--quiet", "extract",
                    "-F", "babel.cfg", *EXTRACT_KEYWORDS, "-o", str(template), "."],
                   cwd=ROOT, check=True)
    return drafts.read(template)
