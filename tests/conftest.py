"""Fixtures: an app on a fresh database (SQLite, and PostgreSQL when enabled), a client, a CLI."""

import os
import sqlite3
import uuid
from contextlib import closing

import pytest

from kiosk import create_app
from kiosk.content import load_article
from kiosk.content.seed import seed
from kiosk.db import engine, get_session, migrate
from tests import pgcluster
from tests.staff_helpers import NORTH

BACKENDS = ["sqlite"]
if os.environ.get("KIOSK_TEST_POSTGRES") == "1":
    BACKENDS.append("postgresql")

PUBLIC_URL = "http://clinic.test:8000"
# For a module whose tests prove what a browser draws, not what the database stores: the app's
# database is SQLite only (`pytestmark = SQLITE_ONLY`), so each drawing is checked once.
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture(scope="session")
def postgres_server():
    with pgcluster.postgres_cluster() as url:
        yield url


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kiosk.sqlite3'}"
        return
    server = request.getfixturevalue("postgres_server")
    name = f"kiosk_{uuid.uuid4().hex[:12]}"
    yield pgcluster.create_database(server, name)
    pgcluster.drop_database(server, name)


@pytest.fixture
def make_app(tmp_path, monkeypatch):
    """Build apps whose settings come only from the test, never from the developer's shell."""
    for name in list(os.environ):
        if name.startswith("KIOSK_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("KIOSK_INSTANCE_PATH", str(tmp_path / "instance"))
    apps = []

    def make(**settings):
        app = create_app({"TESTING": True, "SECRET_KEY": "test", "PUBLIC_URL": PUBLIC_URL,
                          **settings})
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            engine().dispose()


@pytest.fixture
def empty_app(make_app, database_url):
    """An app whose database has no tables yet."""
    return make_app(DATABASE_URL=database_url)


class SeededDatabases:
    """One database per backend migrated and seeded once per test process, copied for each test
    that wants one: a copy takes milliseconds, where migrating and seeding took a quarter of a
    second on SQLite and more on PostgreSQL, for each of a thousand tests."""

    def __init__(self, folder):
        self.folder = folder
        self.seeded = set()

    def fill(self, database_url: str):
        """Make the empty database at `database_url` a copy of the seeded one."""
        if database_url.startswith("sqlite:///"):
            original = self.folder / "seeded.sqlite3"
            self.seed_once(f"sqlite:///{original}")
            with (closing(sqlite3.connect(original)) as source,
                  closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as copy):
                source.backup(copy)
            return
        server, _, name = database_url.rpartition("/")
        self.seed_once(f"{server}/kiosk_seeded", new=pgcluster.create_database)
        pgcluster.drop_database(server, name)
        pgcluster.create_database(server, name, template="kiosk_seeded")

    def seed_once(self, url: str, new=None):
        """Migrate and seed the database at `url` the first time (`new(server, name)` makes it)."""
        if url in self.seeded:
            return
        if new:
            new(*url.rsplit("/", 1))
        with pytest.MonkeyPatch.context() as env:
            for name in list(os.environ):
                if name.startswith("KIOSK_"):
                    env.delenv(name)
            env.setenv("KIOSK_INSTANCE_PATH", str(self.folder / "instance"))
            app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": url})
            with app.app_context():
                migrate()
                seed(get_session(), load_article())
                engine().dispose()
        self.seeded.add(url)


@pytest.fixture(scope="session")
def seeded_databases(tmp_path_factory):
    return SeededDatabases(tmp_path_factory.mktemp("seeded"))


@pytest.fixture
def seeded_app(make_app, database_url, seeded_databases):
    """Build apps with settings of the test's own, all on one migrated database holding the
    seeded article."""
    seeded_databases.fill(database_url)
    return lambda **settings: make_app(DATABASE_URL=database_url, **settings)


@pytest.fixture
def app(seeded_app):
    """An app on a migrated database holding the seeded article."""
    return seeded_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def north(app, runner):
    """A second clinic, North Lakes in Brisbane, with a screen of its own (Front desk), as an
    installer adds them (tests/test_clinics.py)."""
    added = runner.invoke(args=NORTH)
    assert added.exit_code == 0, added.output
    assert added.output == "Added clinic 'Back in Balance North Lakes' (north-lakes).\n"
    screen = runner.invoke(args=["add-screen", "--clinic", "north-lakes", "Front desk"])
    assert screen.exit_code == 0, screen.output
    assert screen.output == ("Added screen 'Front desk' (front-desk) to "
                             "'Back in Balance North Lakes'.\n")
    return app


@pytest.fixture
def session(app):
    """A database session of the test's own, for looking at what requests stored.

    It pushes no app context: one held open would be shared by the test client's requests
    (their `g`, and so their database session and CSRF token), which real requests never do.
    """
    db_session = app.extensions["kiosk.sessions"]()
    yield db_session
    db_session.close()
