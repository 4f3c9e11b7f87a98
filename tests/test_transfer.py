"""Export everything, import it on a fresh machine: the same screen and sheets; bad files refused.

Every test runs on SQLite, and on PostgreSQL too when KIOSK_TEST_POSTGRES=1: the "new machine"
is a second database on the same backend.
"""

import base64
import gzip
import io
import json
import os
import re
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from flask import url_for
from sqlalchemy import Column, Date, LargeBinary, MetaData, Table, create_engine, inspect, select

from kiosk import transfer
from kiosk.accounts import create_staff
from kiosk.content import load_article
from kiosk.content.seed import seed
from kiosk.db import MIGRATIONS, Base, UtcDateTime, alembic_config, get_session, migrate
from kiosk.display import content as shown
from kiosk.models import (
    Clinic,
    ContentState,
    PatientSheet,
    Routine,
    RoutineItem,
    Screen,
    ScreenSchedule,
    StaffAccount,
    Stretch,
)
from kiosk.revisions import save
from kiosk.transfer import reading
from tests import pgcluster
from tests.sheet_helpers import make_sheet
from tests.staff_helpers import NORTH, PASSWORD, login, signed_in, token_from

# A 1x1 PNG: an image someone might pick by mistake.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


# ---- Two machines: the clinic's kiosk (`app`) and a fresh one it moves to (`new_machine`).

@pytest.fixture
def new_machine_url(database_url, tmp_path, request):
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'new-machine.sqlite3'}"
        return
    server = request.getfixturevalue("postgres_server")
    name = f"kiosk_new_{uuid.uuid4().hex[:12]}"
    yield pgcluster.create_database(server, name)
    pgcluster.drop_database(server, name)


@pytest.fixture
def new_machine(make_app, new_machine_url, seeded_databases):
    """A fresh install, as `make run` leaves it: migrated and seeded with the article."""
    seeded_databases.fill(new_machine_url)
    return make_app(DATABASE_URL=new_machine_url)


@pytest.fixture
def clinic(app):
    """The clinic's kiosk after months of use: edits, a morning routine shown now, a patient
    sheet, an admin account, sheet opens, revisions. Returns the patient sheet's token."""
    signed_in(app, role="admin", username="jade")
    with app.app_context():
        session = get_session()
        neck = session.scalar(select(Stretch).filter_by(slug="neck-stretch"))
        save(session, neck, neck.version, None,
             lambda: setattr(neck, "title", "Neck Stretch – slowly, ñ ✓"), "Renamed")
        stretches = session.scalars(select(Stretch).order_by(Stretch.neck_order)).all()
        morning = Routine(slug="morning", title="Morning loosener", items=[
            RoutineItem(stretch=stretches[1], position=1, hold_seconds=20),
            RoutineItem(stretch=stretches[0], position=2, repetitions=5),
        ])
        screen = session.scalar(select(Screen))
        screen.override_routine = morning
        screen.override_until = datetime.now(UTC) + timedelta(hours=2)
        screen.schedule = [ScreenSchedule(position=1, routine=morning, weekdays=[0, 2, 4],
                                          starts="07:00", ends="10:30")]
        session.add(morning)
        session.commit()
        if "media.media_file" in app.view_functions:  # uploads, when they are wired in
            add_photo(session, neck)
    token = make_sheet(app, note="Twice a day, gently. Ça va?", holds={"neck-stretch": 25})
    client = app.test_client()
    for url in ("/s/back-pain-stretches", "/s/back-pain-stretches", f"/p/{token}"):
        assert client.get(url).status_code == 200
    return token


def add_photo(session, stretch):
    """Show an uploaded photo instead of the stretch's animation."""
    from PIL import Image

    from kiosk.media import store_upload

    picture = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 60)).save(picture, "JPEG")
    picture.seek(0)
    media = store_upload(session, "neck.jpg", picture)
    session.flush()
    stretch.media_id = media.id
    session.commit()


def export(app) -> bytes:
    with app.app_context():
        return transfer.export_all(get_session())


def import_into(app, data: bytes) -> dict:
    with app.app_context():
        return transfer.import_all(get_session(), data)


# Random keys that a migration (a file from before they existed) or an import makes anew.
NEW_KEYS = {"session_key", "report_key"}


def dump(app) -> dict:
    """Every row of every table, as the database holds it (but the keys made anew)."""
    with app.app_context():
        session = get_session()
        return {
            table.name: [tuple(row) for row in session.execute(
                select(*(column for column in table.columns if column.name not in NEW_KEYS))
                .order_by(*table.primary_key.columns))]
            for table in transfer.travelling_tables()
        }


def page_urls(app) -> list[str]:
    """The home page, every sheet, and the screen: its page, every slide and every panel."""
    with app.test_request_context():
        session = get_session()
        urls = ["/"]
        urls += [f"/s/{slug}" for slug in session.scalars(select(Routine.slug).order_by("id"))]
        urls += [f"/p/{token}" for token in
                 session.scalars(select(PatientSheet.token).order_by("id"))]
        for screen in session.scalars(select(Screen).order_by(Screen.id)):
            content = shown.ScreenContent(session, screen)
            urls.append(f"/display/{screen.slug}")
            urls += [shown.slide_url(screen, slide) for slide in content.slides]
            panels = ["browse", "warning-signs", "contact", "take-home"]
            panels += [f"stretches/{stretch.slug}" for stretch in content.stretches]
            urls += [f"/display/{screen.slug}/{panel}" for panel in panels]
        if "media.media_file" in app.view_functions:
            urls += [url_for("media.media_file", media_id=media_id) for media_id in
                     session.scalars(select(Base.metadata.tables["media"].c.id))]
    return urls


def rendered(*apps, urls) -> dict[str, tuple[bytes, ...]]:
    """Each page (or photo) as a browser gets it, and each screen region as htmx swaps it in.

    With several apps, each page is asked of all of them back to back: the static files'
    fingerprints in a page come from the files on disk, not the database, and can change
    whenever someone edits a stylesheet while the tests run.
    """
    clients = [app.test_client() for app in apps]
    pages = {}
    for url in urls:
        for how, headers in (("page", {}), ("htmx", {"HX-Request": "true"})):
            responses = [client.get(url, headers=headers) for client in clients]
            assert all(r.status_code == 200 for r in responses), url
            pages[f"{how} {url}"] = tuple(response.data for response in responses)
    return pages


# ---- The move.

def test_a_new_machine_shows_the_same_screen_and_sheets_after_import(app, clinic, new_machine):
    assert "display.screen" in app.view_functions
    urls = page_urls(app)
    assert f"/p/{clinic}" in urls and "/s/morning" in urls
    # The screen shows the morning routine now ("show now"), not its own seven stretches.
    slides = [url for url in urls if "/slides/stretch/" in url]
    assert [url.rsplit("/", 1)[1] for url in slides] == ["shoulder-rolls", "neck-stretch"]
    (sheet,), (patient_sheet,) = (rendered(app, urls=[url])[f"page {url}"]
                                  for url in ("/s/back-pain-stretches", f"/p/{clinic}"))
    assert "Neck Stretch – slowly, ñ ✓".encode() in sheet
    assert b"Twice a day, gently" in patient_sheet
    assert b"Morning loosener" not in rendered(new_machine, urls=["/"])["page /"][0]

    counts = import_into(new_machine, export(app))

    assert counts["stretch"] == 7 and counts["patient_sheet"] == 1 and counts["sheet_open"] >= 2
    if "media.media_file" in app.view_functions:
        # The photo's bytes are compared below, at its /media/ address.
        assert counts["media"] == 1 and any(url.startswith("/media/") for url in urls)
    assert dump(new_machine) == dump(app)
    # Compared byte for byte, nothing normalised: these pages carry no CSRF token or other
    # per-app value, and the content version the screens poll travels in the file.
    pages = rendered(app, new_machine, urls=urls)
    assert len(pages) == 2 * len(urls)
    for page, (there, here) in pages.items():
        assert here == there, f"{page} renders differently after the move"


def test_everything_travels_and_the_new_machine_keeps_working(app, clinic, new_machine):
    import_into(new_machine, export(app))
    with new_machine.app_context():
        session = get_session()
        # Seed marks travelled: seeding again adds nothing the clinic had deleted or changed.
        assert seed(session, load_article()) == []
        sheet = session.scalar(select(PatientSheet).filter_by(token=clinic))
        created = sheet.created_at
        assert created.tzinfo is not None and isinstance(sheet.expires_on, date)
        # New rows get fresh ids (PostgreSQL's sequences were moved past the imported ids).
        stretch = session.scalar(select(Stretch))
        save(session, stretch, stretch.version, None,
             lambda: setattr(stretch, "title", "Edited on the new machine"), "Renamed")
    token = make_sheet(new_machine, note="New machine")
    with new_machine.app_context():
        new_sheet = get_session().scalar(select(PatientSheet).filter_by(token=token))
        assert new_sheet.id > sheet.id
    # The clinic's own staff sign in on the new machine with their old passwords.
    assert login(new_machine.test_client(), "jade").status_code == 303
    assert new_machine.test_client().get(f"/p/{clinic}").status_code == 200


def test_an_older_backup_makes_open_screens_reload(app, clinic):
    with app.app_context():
        version = get_session().scalar(select(ContentState.version))
    backup = export(app)
    with app.app_context():
        session = get_session()
        stretch = session.scalar(select(Stretch))
        save(session, stretch, stretch.version, None,
             lambda: setattr(stretch, "title", "Changed after the backup"), "Renamed")
    import_into(app, backup)
    with app.app_context():
        # Screens reload when the version they poll changes; going back to the backup's
        # own version might be the very one a screen already has.
        assert get_session().scalar(select(ContentState.version)) > version + 1
    assert "Changed after the backup" not in app.test_client().get("/").get_data(as_text=True)


def test_the_file_is_gzip_json_with_a_header_and_checksum(app, clinic):
    document = json.loads(gzip.decompress(export(app)))
    assert document["format"] == "clinic-kiosk-export"
    assert document["format_version"] == 1
    assert document["schema_revision"] == ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert datetime.fromisoformat(document["created_at"]).tzinfo is not None
    assert document["checksum"] == transfer.checksum(document["tables"])
    assert set(document["tables"]) == {table.name for table in transfer.travelling_tables()}
    assert "audit_event" not in document["tables"]  # the audit log stays with the install
    sheets = document["tables"]["patient_sheet"]
    assert sheets["rows"][0][sheets["columns"].index("token")] == clinic
    accounts = document["tables"]["staff_account"]
    assert "jade" in str(accounts["rows"])


def test_bytes_and_dates_travel_by_column_type():
    media = Table("media", MetaData(), Column("data", LargeBinary), Column("day", Date),
                  Column("at", UtcDateTime))
    data = bytes(range(256)) * 3
    moment = datetime(2026, 11, 24, 9, 30, 1, 250, tzinfo=UTC)
    for column, value in ((media.c.data, data), (media.c.day, date(2026, 11, 24)),
                          (media.c.at, moment)):
        codec = transfer.codec(column)
        encoded = codec.encode(value)
        assert isinstance(json.loads(json.dumps(encoded)), str)
        assert codec.decode(encoded) == value
    with pytest.raises(ValueError, match="time zone"):
        transfer.codec(media.c.at).decode("2026-11-24T09:30:00")


# ---- Bad files are refused, and the database stays exactly as it was.

def unpacked(data: bytes) -> dict:
    return json.loads(gzip.decompress(data))


def packed(document: dict, fix_checksum=True) -> bytes:
    if fix_checksum:
        document["checksum"] = transfer.checksum(document["tables"])
    return gzip.compress(json.dumps(document).encode())


def with_title(data: bytes, title: str, fix_checksum: bool) -> bytes:
    document = unpacked(data)
    stretches = document["tables"]["stretch"]
    stretches["rows"][0][stretches["columns"].index("title")] = title
    return packed(document, fix_checksum)


def at_revision(data: bytes, revision: str) -> bytes:
    document = unpacked(data)
    document["schema_revision"] = revision
    return packed(document)


def with_orphan_routine_item(data: bytes) -> bytes:
    """Valid in every value, but an item points at a stretch that is not in the file."""
    document = unpacked(data)
    items = document["tables"]["routine_item"]
    items["rows"][-1][items["columns"].index("stretch_id")] = 9999
    return packed(document)


def with_unreadable_date(data: bytes) -> bytes:
    document = unpacked(data)
    sheets = document["tables"]["patient_sheet"]
    sheets["rows"][0][sheets["columns"].index("created_at")] = "last Tuesday"
    return packed(document)


BAD_FILES = {
    "cut at half": (lambda d: d[: len(d) // 2], "The file is incomplete (it may have been cut off"),
    "unpacked, then cut at half": (lambda d: gzip.decompress(d)[: len(gzip.decompress(d)) // 2],
                                   "The file is incomplete"),
    "a PNG picture": (lambda d: PNG, "This file is not a kiosk export"),
    "random text": (lambda d: b"Dear Jade, the back stretches were great.\n",
                    "This file is not a kiosk export"),
    "an empty file": (lambda d: b"", "This file is not a kiosk export"),
    "JSON of another format": (lambda d: json.dumps({"format": "wordpress-export"}).encode(),
                               "This file is not a kiosk export"),
    "JSON of another kind": (lambda d: b"[1, 2, 3]", "This file is not a kiosk export"),
    "damaged compression": (lambda d: d[:20] + bytes(b ^ 0xFF for b in d[20:60]) + d[60:],
                            "The file is damaged"),
    "edited without fixing the checksum": (lambda d: with_title(d, "Hacked", False),
                                           "has been changed or damaged since it was exported"),
    "an older schema revision, with newer tables": (
        lambda d: at_revision(d, "0002"),
        "says it was made at database schema 0002, but its tables are not that schema's"),
    "a newer schema revision": (lambda d: at_revision(d, "9999_future"),
                                "made by a newer version of the kiosk (database schema 9999"),
    "a newer export format": (lambda d: packed({**unpacked(d), "format_version": 2}),
                              "made by a newer version of the kiosk (export format 2"),
    "a value that cannot be read": (with_unreadable_date, "column created_at holds a value"),
    "rows the database refuses": (with_orphan_routine_item, "The database refused"),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_bad_files_are_refused_and_change_nothing(app, clinic, new_machine, kind):
    spoil, message = BAD_FILES[kind]
    bad = spoil(export(app))
    before = dump(new_machine)
    with pytest.raises(transfer.TransferError) as refusal:
        import_into(new_machine, bad)
    assert message in str(refusal.value)
    assert str(refusal.value).endswith("Nothing was changed.")
    assert dump(new_machine) == before
    # ...and the kiosk still works on what it had.
    assert new_machine.test_client().get("/s/back-pain-stretches").status_code == 200


def as_made_at(data: bytes, revision: str, folder) -> bytes:
    """The file as a kiosk at schema `revision` made it: only the tables and columns that
    its migrations had created by then (read from a database migrated to it)."""
    scratch = create_engine(f"sqlite:///{folder / 'schema.sqlite3'}")
    with scratch.begin() as connection:
        command.upgrade(alembic_config(connection), revision)
        schema = inspect(connection)
        columns = {name: [column["name"] for column in schema.get_columns(name)]
                   for name in schema.get_table_names() if name != "alembic_version"}
    scratch.dispose()
    document = unpacked(data)
    tables = {}
    for name, kept in columns.items():
        table = document["tables"][name]
        at = [table["columns"].index(column) for column in kept]
        tables[name] = {"columns": kept, "rows": [[row[i] for i in at] for row in table["rows"]]}
    document["tables"], document["schema_revision"] = tables, revision
    return packed(document)


def test_a_file_from_an_older_kiosk_is_brought_up_to_date_and_imported(app, clinic,
                                                                         new_machine, tmp_path):
    """A backup made before an update still restores after it, through the migrations."""
    with app.app_context():  # what the clinic had before uploads existed: no photo
        session = get_session()
        neck = session.scalar(select(Stretch).filter_by(slug="neck-stretch"))
        neck.media_id = None
        session.commit()
        session.execute(Base.metadata.tables["media"].delete())
        session.commit()
    older = as_made_at(export(app), "0003", tmp_path)  # before uploads (0004) existed
    assert "media" not in unpacked(older)["tables"]

    counts = import_into(new_machine, older)

    assert counts["stretch"] == 7 and counts["patient_sheet"] == 1 and counts["media"] == 0
    assert dump(new_machine) == dump(app)
    urls = page_urls(app)
    for page, (there, here) in rendered(app, new_machine, urls=urls).items():
        assert here == there, f"{page} renders differently after the move"
    assert login(new_machine.test_client(), "jade").status_code == 303


def test_a_database_not_yet_upgraded_is_told_to_migrate(app, make_app, new_machine_url):
    scripts = ScriptDirectory(str(MIGRATIONS))
    previous = scripts.get_revision(scripts.get_current_head()).down_revision
    behind = make_app(DATABASE_URL=new_machine_url)
    with behind.app_context():
        migrate(previous)
    with pytest.raises(transfer.TransferError, match=r"Run `flask --app kiosk migrate` here"):
        import_into(behind, export(app))


def test_a_file_over_the_size_limit_is_refused(app, new_machine, monkeypatch):
    data = export(app)
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", len(data) - 1)
    before = dump(new_machine)
    with pytest.raises(transfer.TransferError, match="the largest file this kiosk imports"):
        import_into(new_machine, data)
    assert dump(new_machine) == before


def test_a_database_without_tables_is_told_to_migrate(app, empty_app_on_new_machine):
    with pytest.raises(transfer.TransferError, match="run `flask --app kiosk migrate` first"):
        import_into(empty_app_on_new_machine, export(app))


@pytest.fixture
def empty_app_on_new_machine(make_app, new_machine_url):
    return make_app(DATABASE_URL=new_machine_url)


# ---- The commands.

def test_export_and_import_commands_move_everything(app, clinic, new_machine, tmp_path):
    file = tmp_path / "backup.json.gz"
    result = app.test_cli_runner().invoke(args=["export", str(file)])
    assert result.exit_code == 0, result.output
    assert "stretch: 7" in result.output and "patient sheet: 1" in result.output
    assert "Keep it private" in result.output
    assert os.stat(file).st_mode & 0o077 == 0  # password hashes: readable by the owner only

    runner = new_machine.test_cli_runner()
    refused = runner.invoke(args=["import", str(file)])  # no terminal, no --yes: ask first
    assert refused.exit_code == 1 and "--yes" in refused.output
    assert "Twice a day" not in new_machine.test_client().get(f"/p/{clinic}").get_data(as_text=True)

    result = runner.invoke(args=["import", str(file), "--yes"])
    assert result.exit_code == 0, result.output
    assert "Imported 7 stretches" in result.output
    assert dump(new_machine) == dump(app)
    page = new_machine.test_client().get(f"/p/{clinic}").get_data(as_text=True)
    assert page == app.test_client().get(f"/p/{clinic}").get_data(as_text=True)


def test_import_command_refuses_a_truncated_file_with_exit_code_1(app, new_machine, tmp_path):
    file = tmp_path / "cut.json.gz"
    data = export(app)
    file.write_bytes(data[: len(data) // 2])
    before = dump(new_machine)
    result = new_machine.test_cli_runner().invoke(args=["import", str(file), "--yes"])
    assert result.exit_code == 1
    assert "The file is incomplete" in result.output and "Nothing was changed." in result.output
    assert dump(new_machine) == before


def test_import_command_refuses_a_non_export(new_machine, tmp_path):
    file = tmp_path / "photo.png"
    file.write_bytes(PNG)
    result = new_machine.test_cli_runner().invoke(args=["import", str(file), "--yes"])
    assert result.exit_code == 1 and "This file is not a kiosk export" in result.output


# ---- The console's buttons.

def upload(client, data: bytes, confirm=True, token=True, name="kiosk-export.json.gz"):
    form = {"file": (io.BytesIO(data), name)}
    if confirm:
        form["confirm"] = "yes"
    if token:
        form["csrf_token"] = token_from(client.get("/staff/transfer").get_data(as_text=True))
    return client.post("/staff/transfer", data=form, content_type="multipart/form-data")


def test_admin_downloads_everything_and_uploads_it_on_the_new_machine(app, clinic, new_machine):
    settings = signed_in(app, role="admin").get("/staff/settings").get_data(as_text=True)
    assert "/staff/transfer" in settings
    response = signed_in(app, role="admin", username="owner").get("/staff/transfer/download")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(r"attachment; filename=kiosk-export-\d{4}-\d{2}-\d{2}\.json\.gz",
                        disposition)
    assert response.headers["Cache-Control"] == "no-store"

    # The new machine's first admin is not in the file: the import signs them out.
    newcomer = signed_in(new_machine, role="admin", username="installer")
    result = upload(newcomer, response.data)
    assert result.status_code == 303 and result.headers["Location"].endswith("/staff/login")
    page = newcomer.get("/staff/login").get_data(as_text=True)
    assert "Imported everything from the file: 7 stretches" in page
    assert "you have been signed out" in page
    assert newcomer.get("/staff/").status_code == 302
    for url in ("/s/back-pain-stretches", f"/p/{clinic}", "/display/waiting-room"):
        assert (new_machine.test_client().get(url).get_data(as_text=True)
                == app.test_client().get(url).get_data(as_text=True))


def test_an_admin_whose_account_is_in_the_file_stays_signed_in(app, new_machine):
    signed_in(app, role="admin", username="jade")
    data = export(app)
    client = signed_in(new_machine, role="admin", username="jade")  # same id, same name
    result = upload(client, data)
    assert result.status_code == 303 and result.headers["Location"].endswith("/staff/")
    page = client.get("/staff/").get_data(as_text=True)
    assert "Imported everything" in page and "Staff accounts are now those of the file" in page


def test_the_upload_refuses_a_bad_file_with_the_message_and_changes_nothing(app, new_machine):
    data = export(app)
    client = signed_in(new_machine, role="admin")
    before = dump(new_machine)
    result = upload(client, data[: len(data) // 2])
    assert result.status_code == 422
    page = result.get_data(as_text=True)
    assert "The file is incomplete (it may have been cut off while copying)" in page
    assert "Nothing was changed." in page
    assert dump(new_machine) == before


def test_an_export_bigger_than_any_single_upload_may_still_be_imported(app, clinic,
                                                                       new_machine):
    data = export(app)
    new_machine.config["MAX_CONTENT_LENGTH"] = len(data) // 2  # say, 51 MB against 60 MB
    client = signed_in(new_machine, role="admin")
    assert upload(client, data).status_code == 303
    assert dump(new_machine) == dump(app)


def test_the_upload_refuses_a_file_over_the_size_limit(app, new_machine, monkeypatch):
    data = export(app)
    client = signed_in(new_machine, role="admin")
    before = dump(new_machine)
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", len(data) - 1)
    result = upload(client, data)
    assert result.status_code == 422
    assert "the largest file this kiosk imports" in result.get_data(as_text=True)
    assert dump(new_machine) == before


def test_the_upload_needs_the_confirm_box_and_a_csrf_token(app, new_machine):
    data = export(app)
    client = signed_in(new_machine, role="admin")
    before = dump(new_machine)
    unconfirmed = upload(client, data, confirm=False)
    assert unconfirmed.status_code == 422
    assert "I understand this replaces all content" in unconfirmed.get_data(as_text=True)
    forged = upload(client, data, token=False)
    assert forged.status_code == 400
    assert dump(new_machine) == before


def test_only_admins_may_download_or_replace_everything(app):
    client = signed_in(app, role="staff")
    assert client.get("/staff/transfer").status_code == 403
    assert client.get("/staff/transfer/download").status_code == 403
    token = token_from(client.get("/staff/").get_data(as_text=True))
    before = dump(app)
    response = client.post("/staff/transfer", content_type="multipart/form-data",
                           data={"csrf_token": token, "confirm": "yes",
                                 "file": (io.BytesIO(export(app)), "kiosk-export.json.gz")})
    assert response.status_code == 403
    assert dump(app) == before


def test_a_group_travels_with_its_clinics_and_who_works_where(app, clinic, new_machine):
    """Clinics, who works at which and as what, and who edits the library: all as it was."""
    assert app.test_cli_runner().invoke(args=NORTH).exit_code == 0
    with app.app_context():
        session = get_session()
        first, north = session.scalars(select(Clinic).order_by(Clinic.id)).all()
        create_staff(session, "bea", PASSWORD, clinics={north.id: "admin", first.id: "staff"})
        create_staff(session, "lee", PASSWORD, clinics={north.id: "staff"}, edits_library=True)
    import_into(new_machine, export(app))
    assert dump(new_machine) == dump(app)
    with new_machine.app_context():
        accounts = {a.username: a for a in get_session().scalars(select(StaffAccount))}
        assert {(m.clinic.slug, m.role) for m in accounts["bea"].memberships} == {
            ("north-lakes", "admin"), (first.slug, "staff")}
        assert accounts["lee"].edits_library and not accounts["bea"].edits_library
    bea = new_machine.test_client()
    assert login(bea, "bea").status_code == 303
    assert bea.get("/staff/settings/north-lakes").status_code == 200
    assert bea.get(f"/staff/settings/{first.slug}").status_code == 404
