"""The database: one engine per app, one session per request, migrations by Alembic."""

import functools
import re
from datetime import UTC
from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import abort, current_app, g
from flask.cli import with_appcontext
from sqlalchemy import DateTime, TypeDecorator, create_engine, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"


class Base(DeclarativeBase):
    """Every table of the kiosk."""


class UtcDateTime(TypeDecorator):
    """A moment in time, stored as UTC and always read back with its time zone."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("store aware datetimes only")
        value = value.astimezone(UTC)
        # SQLite keeps text; keep it naive there so comparisons sort as strings should.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys and a patient busy timeout."""
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})
    event.listen(engine, "connect", _configure_sqlite)
    return engine


def _configure_sqlite(dbapi_connection, _record):
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def engine() -> Engine:
    return current_app.extensions["kiosk.db"]


# How PostgreSQL (SQLSTATE) and SQLite (words) say the database, or the disk under it, takes
# no writes now: a read-only transaction or standby, a full disk, a disk remounted read-only.
WRITE_REFUSED_SQLSTATES = {"25006", "53100"}
WRITE_REFUSED_WORDS = ("readonly database", "read-only", "disk i/o error", "disk is full",
                       "no space left")


def write_refused(error: Exception) -> bool:
    """Whether a database error means "cannot write now" rather than a fault in the code."""
    original = getattr(error, "orig", None) or error
    if getattr(original, "sqlstate", None) in WRITE_REFUSED_SQLSTATES:
        return True
    return any(words in str(original).lower() for words in WRITE_REFUSED_WORDS)


def error_reason(error: Exception) -> str:
    """The database's own words for `error`, on one line."""
    return str(getattr(error, "orig", None) or error).strip().splitlines()[0]


def get_session() -> Session:
    """The request's session, opened on first use and closed at teardown."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["kiosk.sessions"]()
    return g.db_session


def close_session(_exception=None):
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def get_or_404(model, ident, description: str):
    """The row of `model` with primary key `ident`, or a friendly 404 that says what is missing."""
    record = get_session().get(model, ident)
    if record is None:
        abort(404, description=description)
    return record


# An address name (a slug) as the console makes them: in URLs, printed QR codes, exports.
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")


# Names a record's address cannot take: the screens' own page for a new screen to join by.
RESERVED_SLUGS = {"screen": {"pairing"}}


def unique_slug(model, text: str, fallback: str) -> str:
    """A URL-safe name made from `text` that no row of `model` uses yet."""
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or fallback
    taken = set(get_session().scalars(select(model.slug).where(model.slug.like(base + "%"))))
    taken |= RESERVED_SLUGS.get(model.__tablename__, set())
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def alembic_config(connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def migrate(target: str = "head"):
    """Bring the schema up to `target` (the newest revision by default)."""
    with engine().connect() as connection:
        if connection.dialect.name != "sqlite":
            with connection.begin():
                command.upgrade(alembic_config(connection), target)
            return
        # SQLite alters a table by copying it and dropping the old one, and with foreign keys
        # on, that drop would take every row referring to it along (a routine's stretches, a
        # sheet's). So they are off while migrating (outside a transaction, or SQLite ignores
        # it), and every reference is checked before the change is kept.
        connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
        connection.commit()
        try:
            with connection.begin():
                command.upgrade(alembic_config(connection), target)
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
                if broken:
                    raise RuntimeError(f"The migration left a {broken[0]} row (rowid "
                                       f"{broken[1]}) referring to a {broken[2]} row it lacks.")
        finally:
            connection.exec_driver_sql("PRAGMA foreign_keys = ON")
            connection.commit()


def schema_problem() -> str | None:
    """Why the database cannot be used by this version of the kiosk, in one sentence; None if
    it can (migrated to the newest revision)."""
    try:
        with engine().connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError as error:
        return f"The database cannot be reached: {error_reason(error)}"
    newest = set(ScriptDirectory.from_config(alembic_config(None)).get_heads())
    if not current:
        return "The database has no tables yet"
    if current != newest:
        return (f"The database is at revision {', '.join(sorted(current))}; this version of the "
                f"kiosk needs {', '.join(sorted(newest))}")
    return None


def needs_current_schema(command_function):
    """For a command that uses the database: on one that is not migrated (or not reachable),
    say so in one line with what to run, and exit non-zero, instead of an SQL traceback."""
    @functools.wraps(command_function)
    def checked(*args, **kwargs):
        problem = schema_problem()
        if problem:
            raise click.ClickException(
                f"{problem}. Run `flask --app kiosk migrate`, then try again.")
        return command_function(*args, **kwargs)

    return checked


@click.command("migrate")
@with_appcontext
def migrate_command():
    """Create or upgrade the database schema."""
    migrate()
    click.echo(f"Database is up to date: {engine().url.render_as_string(hide_password=True)}")


def init_app(app):
    url = app.config["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    db_engine = make_engine(url)
    app.extensions["kiosk.db"] = db_engine
    app.extensions["kiosk.sessions"] = sessionmaker(db_engine, expire_on_commit=False)
    app.teardown_appcontext(close_session)
    app.cli.add_command(migrate_command)
