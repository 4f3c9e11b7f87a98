"""The staff console's words are all marked for translation, though the console still speaks
the clinic's English: no template of the console shows a word of English that a translator
would never be given (a heading, a button, a hint, an aria-label), and `make messages` gathers
the console's words, from its templates, its messages after a save and its forms' labels, into
kiosk/translations/console.pot, apart from the words patients read."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from jinja2 import Environment

ROOT = Path(__file__).parent.parent
CONSOLE_TEMPLATES = sorted((ROOT / "templates" / "staff").rglob("*.html"))
# As the Makefile's `messages` extracts the console's words.
EXTRACT_CONSOLE = ["-F", "babel-console.cfg", "-k", "plural:1,2", "-k", "_l", "-k", "N_"]
# Where a person reads words in a tag itself, not between tags.
READ_ATTRIBUTES = re.compile(r"""\b(aria-label|title|placeholder|alt)\s*=\s*("[^"]*"|'[^']*')""")
SCRIPTS_AND_STYLES = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)
TEXT_NODE = re.compile(r">([^<]*)<")
LETTER = re.compile(r"[^\W\d_]")
LEXER = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
# Text with letters that is no words: the console's <body class="">, which the site's
# templates/base.html puts in an attribute.
NOT_WORDS = {("templates/staff/base.html", "staff")}


def unmarked_text(source: str) -> str:
    """The template's own text, as the Jinja lexer reads it: without comments, expressions and
    statements, and without the text of {% trans %} blocks (marked, for the translator)."""
    kept, tokens = [], list(LEXER.lex(source))
    in_trans = False
    for n, (_line, kind, value) in enumerate(tokens):
        if kind == "block_begin":
            name = next(v for _, k, v in tokens[n + 1:] if k != "whitespace")
            in_trans = (in_trans or name == "trans") and name != "endtrans"
        elif kind == "data" and not in_trans:
            kept.append(value)
    return "".join(kept)


def unmarked_words(source: str) -> list[str]:
    """Text between tags, and read attributes' values, that still has a letter in it."""
    text = SCRIPTS_AND_STYLES.sub("", ">" + unmarked_text(source) + "<")
    found = TEXT_NODE.findall(text)
    found += [value[1:-1] for _name, value in READ_ATTRIBUTES.findall(text)]
    return [" ".join(words.split()) for words in found if LETTER.search(words)]


def test_every_word_a_console_template_shows_is_marked_for_translation():
    assert len(CONSOLE_TEMPLATES) > 40
    unmarked = {}
    for path in CONSOLE_TEMPLATES:
        name = str(path.relative_to(ROOT))
        words = [text for text in unmarked_words(path.read_text(encoding="utf-8"))
                 if (name, text) not in NOT_WORDS]
        if words:
            unmarked[name] = words
    assert unmarked == {}


def test_the_check_finds_words_left_unmarked():
    """The check above would catch a word added without _(): in text, in a read attribute,
    beside a marked word, after a {% trans %} block; not in scripts or Jinja's own syntax."""
    assert unmarked_words('<h1>{{ _("Screens") }}</h1><p>Saved {{ name }}.</p>') == [
        "Saved ."]
    assert unmarked_words('<nav aria-label="Console"><a title="{{ _(\'Open\') }}">→</a></nav>'
                          ) == ["Console"]
    assert unmarked_words("<p>{% trans n=1 %}<b>{{ n }}</b> marked{% endtrans %} not</p>") == [
        "not"]
    assert unmarked_words("{# A comment. #}<script>let words = 'x';</script>"
                          "{% if x %}<br>{% endif %}<i>{{ 'data' }} · 3</i>") == []


@pytest.fixture(scope="module")
def console_words(tmp_path_factory):
    """The console's words as `make messages` extracts them into console.pot."""
    template = tmp_path_factory.mktemp("console") / "console.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "--quiet", "extract",
                    *EXTRACT_CONSOLE, "-o", str(template), "."], cwd=ROOT, check=True)
    with template.open("rb") as pot:
        return read_po(pot)


def test_make_messages_gathers_the_consoles_words_from_its_templates_views_and_forms(
        console_words):
    ids = {message.id for message in console_words if message.id}
    assert len(ids) > 300
    for words in (
        "What each screen is showing",  # a heading, templates/staff/partials/screen_status.html
        ("%(num)s screen", "%(num)s screens"),  # a plural, templates/staff/partials/fleet.html
        "The sheet is revoked: its link and QR code no longer open it.",  # a flash message
        "Deleted the notice %(title)s. Screens stop showing it from their next slide.",
        "Seconds per slide",  # a form's label, kiosk/staff/forms.py
        "Give the screen a name, e.g. Waiting room.",  # a form's message
        "That username and password do not match an account.",  # marked with N_
    ):
        assert words in ids
    # Only the console's: the patients' words are extracted apart, into messages.pot.
    places = {path for message in console_words for path, _line in message.locations}
    assert places and all(path.startswith(("kiosk/staff/", "templates/staff/"))
                          for path in places)
