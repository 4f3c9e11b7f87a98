"""A database that can be read but not written (fault c): staff are told in words, screens and
sheets go on showing content, and /healthz says why.

SQLite is opened with `mode=ro`, so SQLite itself refuses every write (as it does for a file on
a read-only disk; bench/fault_read_only.sh makes a real ext4 disk go read-only under gunicorn).
PostgreSQL gets `default_transaction_read_only`, as a standby or a locked-down database does.
"""

import errno
import tempfile

import psycopg
import pytest
from sqlalchemy import select

from kiosk.content import load_article
from kiosk.content.seed import seed
from kiosk.db import engine, get_session, migrate
from kiosk.models import Screen, SheetOpen, Stretch
from tests.staff_helpers import add_staff, login, stretch_form

SCREEN = "/display/waiting-room"


@pytest.fixture
def read_only_app(app, database_url, make_app):
    """A second app on the same database, which by then takes no writes."""
    add_staff(app, "jade")
    if database_url.startswith("sqlite:///"):
        path = database_url.removeprefix("sqlite:///")
        return make_app(DATABASE_URL=f"sqlite:///file:{path}?mode=ro&uri=true")
    server, name = database_url.rsplit("/", 1)
    dsn = server.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    with app.app_context():
        engine().dispose()  # connections made before keep the old default
    return make_app(DATABASE_URL=database_url)


def test_staff_saving_get_a_page_that_says_the_database_cannot_be_written(
    read_only_app, session
):
    client = read_only_app.test_client()
    assert login(client).status_code == 303  # signing in writes nothing
    neck = session.scalar(select(Stretch).filter_by(slug="neck-stretch"))
    form = stretch_form(client, neck.id) | {"title": "Renamed while read-only"}
    response = client.post(f"/staff/stretches/{neck.id}", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "The database cannot be written to right now, so nothing was saved." in page
    assert "Traceback" not in page and "sqlite3" not in page and "psycopg" not in page
    assert "Call Jade Tran on" in page  # who to call: reads still work
    session.expire_all()
    assert session.get(Stretch, neck.id).title == "Neck Stretch"


def test_a_wrong_password_is_still_refused_in_words_though_not_counted(read_only_app, caplog):
    with caplog.at_level("WARNING"):
        response = login(read_only_app.test_client(), password="not the password")
    assert response.status_code == 401
    assert "do not match an account" in response.get_data(as_text=True)
    assert "refused sign-in not counted" in caplog.text


def test_screens_and_sheets_keep_showing_content(read_only_app, session):
    client = read_only_app.test_client()
    # The screen's own browser (pairing writes nothing): its reports are what cannot be kept.
    key = session.scalar(select(Screen.report_key))
    assert client.get(f"{SCREEN}/pair/{key}").status_code == 303
    page = client.get(SCREEN).get_data(as_text=True)
    assert "Neck Stretch" in page
    for key in ("warning-signs", "contact", "good-stretching"):
        response = client.get(f"{SCREEN}/slides/{key}", headers={"HX-Request": "true"})
        assert response.status_code == 200, key
        assert f'data-slide="{key}"' in response.get_data(as_text=True)
    assert client.get(f"{SCREEN}/check?showing=Contact").status_code == 200
    sheet = client.get("/s/back-pain-stretches")
    assert sheet.status_code == 200 and "Pins and needles" in sheet.get_data(as_text=True)
    # Nothing was recorded, and nothing broke for want of it.
    assert session.scalar(select(Screen.last_report_at)) is None
    assert session.scalars(select(SheetOpen)).all() == []


def test_healthz_says_the_database_cannot_be_written_and_why(read_only_app):
    response = read_only_app.test_client().get("/healthz")
    body = response.json
    # Still 200: screens and sheets work, so a load balancer or launcher keeps the server.
    assert response.status_code == 200
    assert (body["status"], body["database"], body["writable"]) == ("degraded", "ok", False)
    assert "refuses writes" in body["reason"] and "read" in body["reason"]
    assert any(w.startswith("staff cannot save anything") for w in body["warnings"])


def test_healthz_says_writable_when_it_is(client):
    body = client.get("/healthz").json
    assert (body["status"], body["writable"]) == ("ok", True)
    assert "reason" not in body


def test_healthz_notices_a_disk_that_takes_no_new_files(make_app, tmp_path, monkeypatch):
    """ext4 after a disk error: access() and statvfs() still say "rw", but nothing is created."""
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'kiosk.sqlite3'}")
    with app.app_context():
        migrate()
        seed(get_session(), load_article())

    def read_only_disk(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "TemporaryFile", read_only_disk)
    body = app.test_client().get("/healthz").json
    assert (body["status"], body["writable"]) == ("degraded", False)
    assert body["reason"] == f"{tmp_path} cannot be written to: Read-only file system"
