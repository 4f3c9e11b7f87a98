"""Backups: made while the kiosk runs, checked, the newest N kept; restored into an empty data
directory (a new machine) they give back exactly the same content, compared by exporting both.

The round trip runs on SQLite, and on PostgreSQL (pg_dump, pg_restore) when
KIOSK_TEST_POSTGRES=1.
"""

import gzip
import json
import re
import shutil
import sqlite3
import stat
import uuid
from pathlib import Path

import pytest

from kiosk import transfer
from kiosk.db import get_session, migrate
from tests import pgcluster
from tests.pgcluster import free_port
from tests.test_transfer import clinic  # noqa: F401  (the fixture: a kiosk after months of use)

BACKUP_NAME = r"kiosk-\d{4}-\d\d-\d\dT\d{6}Z(-\d+)?\.(sqlite3|pgdump)"


@pytest.fixture
def empty_data_directory(tmp_path, monkeypatch, database_url, request):
    """Where a new machine keeps its data, nothing in it yet; and its app's database URL.

    SQLite: a new KIOSK_INSTANCE_PATH, the database in it by default. PostgreSQL: a new,
    empty database on the same server (its data directory holds only the secret key).
    """
    folder = tmp_path / "new-machine-data"
    monkeypatch.setenv("KIOSK_INSTANCE_PATH", str(folder))
    if database_url.startswith("sqlite"):
        yield folder, None
        return
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump and pg_restore are not installed (Debian: postgresql-client)")
    server = request.getfixturevalue("postgres_server")
    name = f"kiosk_restored_{uuid.uuid4().hex[:12]}"
    yield folder, pgcluster.create_database(server, name)
    pgcluster.drop_database(server, name)


def exported(app) -> dict:
    """Everything the kiosk holds, as its export file has it, less the moment of export."""
    with app.app_context():
        document = json.loads(gzip.decompress(transfer.export_all(get_session())))
    del document["created_at"]
    return document


def invoke(app, *args, input=None):
    result = app.test_cli_runner().invoke(args=list(args), input=input)
    return result.exit_code, result.output


def test_backup_then_restore_into_an_empty_data_directory_reproduces_everything(
        app, clinic, make_app, empty_data_directory, tmp_path):  # noqa: F811
    folder, new_database_url = empty_data_directory
    status, output = invoke(app, "backup", "--dir", str(tmp_path / "backups"))
    assert status == 0, output
    (backup,) = (tmp_path / "backups").iterdir()
    assert backup.name in output and "checked" in output
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600  # it holds password hashes

    assert not folder.exists()
    new_machine = make_app(**({"DATABASE_URL": new_database_url} if new_database_url else {}))
    if new_database_url is None:
        assert new_machine.config["DATABASE_URL"] == f"sqlite:///{folder / 'kiosk.sqlite3'}"
    status, output = invoke(new_machine, "restore", str(backup))
    assert status == 0, output
    assert "Restored" in output and "migrate" not in output  # already at this version's schema

    before, after = exported(app), exported(new_machine)
    assert after["tables"].keys() == before["tables"].keys()
    for table in before["tables"]:
        assert after["tables"][table] == before["tables"][table], table
    assert after == before
    assert sum(len(t["rows"]) for t in after["tables"].values()) > 50

    # The patient's printed QR code opens the same sheet on the new machine.
    token = clinic
    page = new_machine.test_client().get(f"/p/{token}")
    assert page.status_code == 200
    assert "Twice a day, gently. Ça va?" in page.get_data(as_text=True)


@pytest.fixture
def sqlite_app(make_app, tmp_path):
    """A migrated kiosk on SQLite in its data directory, as `make run` leaves it."""
    app = make_app()
    with app.app_context():
        migrate()
    return app


def test_the_newest_n_backups_are_kept_in_the_data_directory(sqlite_app):
    folder = Path(sqlite_app.instance_path) / "backups"
    made = []
    for _ in range(4):
        status, output = invoke(sqlite_app, "backup", "--keep", "2")
        assert status == 0, output
        made.append(Path(output.split("Backed up to ", 1)[1].split(" (", 1)[0]))
        (folder / "notes.txt").write_text("not a backup: left alone")
    assert "deleted" in output
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [made[2].name, made[3].name, "notes.txt"])
    assert all(re.fullmatch(BACKUP_NAME, path.name) for path in made)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_the_backup_just_made_is_kept_even_when_the_clock_went_back(sqlite_app):
    """A Pi has no clock of its own: after a power cut it may believe it is last week."""
    folder = Path(sqlite_app.instance_path) / "backups"
    folder.mkdir()
    for day in ("2099-01-01", "2099-01-02"):
        (folder / f"kiosk-{day}T033000Z.sqlite3").write_bytes(b"from the future")
    status, output = invoke(sqlite_app, "backup", "--keep", "2")
    assert status == 0, output
    (made,) = [path for path in folder.iterdir() if not path.name.startswith("kiosk-2099")]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [made.name, "kiosk-2099-01-02T033000Z.sqlite3"])


def test_a_backup_is_one_whole_file_taken_while_a_write_is_under_way(sqlite_app, tmp_path):
    """The online backup API: a colleague's unsaved write neither blocks it nor gets into it."""
    database = sqlite_app.config["DATABASE_URL"].removeprefix("sqlite:///")
    writer = sqlite3.connect(database)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO seed_mark (key, seeded_at) VALUES ('half-written', "
                   "'2026-01-01 00:00:00')")
    try:
        status, output = invoke(sqlite_app, "backup", "--dir", str(tmp_path / "b"))
    finally:
        writer.commit()
        writer.close()
    assert status == 0, output
    (backup,) = (tmp_path / "b").iterdir()
    with sqlite3.connect(backup) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert copy.execute("SELECT count(*) FROM seed_mark WHERE key = 'half-written'"
                            ).fetchone() == (0,)
    copy.close()
    assert [p.name for p in (tmp_path / "b").iterdir()] == [backup.name]  # no -wal, no partial


def test_restore_over_content_needs_yes_and_keeps_what_was_there(sqlite_app, tmp_path):
    invoke(sqlite_app, "backup", "--dir", str(tmp_path / "b"))
    (backup,) = (tmp_path / "b").iterdir()

    status, output = invoke(sqlite_app, "restore", str(backup))
    assert status == 1
    assert "already has content" in output and "--yes" in output and "Nothing was changed" in output

    status, output = invoke(sqlite_app, "restore", str(backup), "--yes")
    assert status == 0, output
    kept = Path(sqlite_app.instance_path) / "backups"
    (safety,) = kept.iterdir()
    assert f"kept in {safety}" in output


@pytest.mark.parametrize(("content", "reason"), [
    (b"hello, this is a text file", "is not a backup made by"),
    # mtime fixed: a time in the bytes would name the test differently in each xdist worker.
    (gzip.compress(b'{"format": "clinic-kiosk-export"}', mtime=0), "is not a backup made by"),
    (b"SQLite format 3\x00" + b"\x00" * 200, "cannot be read as a database"),
])
def test_restore_refuses_what_is_not_a_backup(make_app, tmp_path, content, reason):
    bad = tmp_path / "bad-file"
    bad.write_bytes(content)
    new_machine = make_app()
    status, output = invoke(new_machine, "restore", str(bad))
    assert status == 1
    assert reason in output


def test_restore_refuses_a_damaged_backup(sqlite_app, make_app, tmp_path, monkeypatch):
    invoke(sqlite_app, "backup", "--dir", str(tmp_path / "b"))
    (backup,) = (tmp_path / "b").iterdir()
    damaged = tmp_path / "damaged.sqlite3"
    data = bytearray(backup.read_bytes())
    damaged.write_bytes(data[: len(data) // 2])  # cut off, as a full USB stick would leave it
    monkeypatch.setenv("KIOSK_INSTANCE_PATH", str(tmp_path / "new-machine"))
    status, output = invoke(make_app(), "restore", str(damaged))
    assert status == 1
    assert "damaged" in output or "cannot be read" in output


def test_a_postgresql_backup_without_pg_dump_says_what_to_install(make_app, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    app = make_app(DATABASE_URL="postgresql+psycopg://kiosk@127.0.0.1:1/kiosk")
    status, output = invoke(app, "backup")
    assert status == 1
    assert "pg_dump is not installed" in output and "postgresql-client" in output


def test_restore_to_an_unreachable_database_says_so(make_app, tmp_path):
    dump = tmp_path / "kiosk.pgdump"
    dump.write_bytes(b"PGDMP" + b"\x00" * 100)
    app = make_app(DATABASE_URL=f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/kiosk")
    status, output = invoke(app, "restore", str(dump))
    assert status == 1
    assert "cannot be reached" in output and "KIOSK_DATABASE_URL" in output
