"""Draft translations of the article, shipped with the kiosk (issue 16, item 3).

Each language's drafts are a gettext catalogue, kiosk/translations/<code>/content.po, so that
translators work in the tools they know (Poedit, Weblate): a message's context names the piece
(kiosk/localised.py: "stretch.step hip-twists 2"), its msgid is the English it translates and
its msgstr the translation. The seed command loads them as drafts, never checked: the clinic's
bilingual staff check each against the source in the console before patients see it. A draft
whose English the clinic has since edited arrives out of date, as it is.

`flask --app kiosk content-messages` writes the template (kiosk/translations/content.pot) from
the database's pieces and brings each language's catalogue up to it, as `make messages` does for
the kiosk's own words.
"""

from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from flask.cli import with_appcontext
from sqlalchemy import select

from kiosk.db import get_session, needs_current_schema
from kiosk.localised import Piece, fingerprint, pieces
from kiosk.models import SeedMark, Translation

TRANSLATIONS = Path(__file__).parent.parent / "translations"
DOMAIN = "content"


def context(piece: Piece) -> str:
    return f"{piece.kind} {piece.ref} {piece.position}"


def key_of(text: str) -> tuple[str, str, int] | None:
    """The piece a message's context names, or None for a context that names none."""
    parts = (text or "").split(" ")
    if len(parts) != 3 or not parts[2].isdigit():
        return None
    return parts[0], parts[1], int(parts[2])


def catalogues(folder: Path | None = None) -> dict[str, Path]:
    """Each language's shipped drafts, by its code."""
    return {path.parent.name: path
            for path in sorted((folder or TRANSLATIONS).glob(f"*/{DOMAIN}.po"))}


def read(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, abort_invalid=True)


def load(session, folder: Path | None = None) -> dict[str, int]:
    """Add each shipped draft the clinic has no translation of, once: a draft the clinic has
    deleted or replaced never comes back. Returns how many arrived in each language."""
    from kiosk.languages import LANGUAGES, SOURCE

    marked = set(session.scalars(select(SeedMark.key).where(SeedMark.key.like("translation:%"))))
    kept = {(t.language, t.kind, t.ref, t.position) for t in session.execute(
        select(Translation.language, Translation.kind, Translation.ref, Translation.position))}
    added = {}
    for code, path in catalogues(folder).items():
        if code not in LANGUAGES or LANGUAGES[code] is SOURCE:
            continue
        for message in read(path):
            key = key_of(message.context)
            mark = f"translation:{code}:{message.context}"
            if (key is None or not message.string or not isinstance(message.string, str)
                    or mark in marked):
                continue
            if (code, *key) not in kept:
                kind, ref, position = key
                session.add(Translation(language=code, kind=kind, ref=ref, position=position,
                                        text=message.string.strip(), status="draft",
                                        source_sha256=fingerprint(message.id)))
                added[code] = added.get(code, 0) + 1
            session.add(SeedMark(key=mark))
            marked.add(mark)
    return added


def template(session) -> Catalog:
    catalog = Catalog(domain=DOMAIN, project="Clinic stretches kiosk: the clinic's article",
                      fuzzy=False)
    for piece in pieces(session):
        catalog.add(piece.text, context=context(piece),
                    auto_comments=["Safety: translate exactly; a clinician checks it."]
                    if piece.safety else [])
    return catalog


def write(catalog: Catalog, path: Path) -> None:
    with path.open("wb") as file:
        write_po(file, catalog, width=0, omit_header=False, sort_output=False)


@click.command("content-messages")
@with_appcontext
@needs_current_schema
def content_messages_command():
    """Write kiosk/translations/content.pot from the database's content (seed a fresh one
    first), and bring each language's content.po up to it."""
    fresh = template(get_session())
    write(fresh, TRANSLATIONS / f"{DOMAIN}.pot")
    for code, path in catalogues().items():
        catalog = read(path)
        catalog.update(fresh, no_fuzzy_matching=True)
        write(catalog, path)
        click.echo(f"{code}: {len(catalog)} pieces, {len(catalog.obsolete)} no longer in the "
                   "article")
    click.echo(f"{len(fresh)} pieces in {TRANSLATIONS / (DOMAIN + '.pot')}")


def init_app(app):
    app.cli.add_command(content_messages_command)
