"""The schema as the migrations build it, and a clinic's database of an earlier release brought
up to date with every row and every address it served."""

import sqlite3
from contextlib import closing
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select

from kiosk.db import Base, alembic_config, engine, get_session, migrate
from kiosk.models import Clinic, PatientSheet, Screen, SheetOpen, StaffAccount
from kiosk.staff.access import may_edit
from tests.readers import qr_codes_in_svg

# The SQLite database of a one-clinic install at revision 0008, made by that release's own code:
# the article seeded, the clinic's phone and public address set, an admin, and a patient sheet
# (token kept-on-the-fridge-2026, two stretches, a note) as a patient would have it printed.
PREVIOUS_RELEASE = Path(__file__).parent / "data" / "one-clinic-release-0008.sql"
PUBLIC = "http://192.168.1.20:8000"


def test_migrations_build_the_schema_from_empty(empty_app):
    with empty_app.app_context():
        assert inspect(engine()).get_table_names() == []
        migrate()
        with engine().connect() as connection:
            context = MigrationContext.configure(connection)
            head = ScriptDirectory.from_config(alembic_config(connection)).get_current_head()
            assert context.get_current_revision() == head
            # The migrations and the models describe the same schema, column for column.
            assert compare_metadata(context, Base.metadata) == []


def test_migrations_downgrade_to_empty_and_up_again(empty_app):
    with empty_app.app_context():
        migrate()
        with engine().begin() as connection:
            command.downgrade(alembic_config(connection), "base")
        assert set(inspect(engine()).get_table_names()) <= {"alembic_version"}
        migrate()
        assert "stretch" in inspect(engine()).get_table_names()


def test_migrate_command_is_idempotent(empty_app):
    runner = empty_app.test_cli_runner()
    first = runner.invoke(args=["migrate"])
    second = runner.invoke(args=["migrate"])
    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert "up to date" in second.output


def test_sqlite_runs_in_wal_mode_with_foreign_keys(make_app, tmp_path):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'k.sqlite3'}")
    with app.app_context(), engine().connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def row_counts(count, tables) -> dict[str, int]:
    """Each table's rows, by `count(sql)`; the names come from the database's own schema."""
    return {table: count(f'SELECT count(*) FROM "{table}"') for table in tables}  # noqa: S608


def test_a_one_clinic_database_of_the_previous_release_keeps_every_row_and_address(make_app,
                                                                                    tmp_path):
    path = tmp_path / "kiosk.sqlite3"
    with closing(sqlite3.connect(path)) as database:
        database.executescript(PREVIOUS_RELEASE.read_text())
        # A staff account beside the admin, as that release's add-staff made one.
        database.execute("INSERT INTO staff_account SELECT 2, 'sam', password_hash, 'staff', 1,"
                         " created_at, 'ab' || substr(session_key, 3), 0, NULL"
                         " FROM staff_account WHERE id = 1")
        # And what that release counted: the routine's sheet and the patient's, opened.
        database.execute("INSERT INTO sheet_open SELECT 'routine', id, '2026-12-01', 3"
                         " FROM routine WHERE slug = 'back-pain-stretches'")
        database.execute("INSERT INTO sheet_open SELECT 'patient', id, '2026-12-02', 2"
                         " FROM patient_sheet")
        database.commit()
        tables = [name for (name,) in database.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'alembic_version'")]
        before = row_counts(lambda sql: database.execute(sql).fetchone()[0], tables)
    app = make_app(DATABASE_URL=f"sqlite:///{path}", PUBLIC_URL="")
    with app.app_context():
        migrate()
        session = get_session()
        with engine().connect() as connection:
            after = row_counts(lambda sql: connection.exec_driver_sql(sql).scalar(), tables)
        assert after == before
        clinic = session.scalar(select(Clinic))
        assert (clinic.slug, clinic.phone, clinic.timezone) == (
            "remedial-massage-clinic", "07 3000 1234", "")
        assert {screen.clinic for screen in session.scalars(select(Screen))} == {clinic}
        assert session.scalar(select(func.count()).where(PatientSheet.clinic_id == clinic.id)) == 1
        # Every open counted for the clinic that gave the sheet.
        opens = session.execute(select(SheetOpen.kind, SheetOpen.clinic_id, SheetOpen.opens)
                                .order_by(SheetOpen.kind)).all()
        assert opens == [("patient", clinic.id, 2), ("routine", clinic.id, 3)]
        # Everyone may do what they could: the admin everything, staff the clinic's screens
        # and sheets and the library.
        jade, sam = session.scalars(select(StaffAccount).order_by(StaffAccount.id))
        assert (jade.role, jade.memberships) == ("admin", [])
        assert [(m.clinic_id, m.role) for m in sam.memberships] == [(clinic.id, "staff")]
        assert sam.edits_library and may_edit(sam, "stretch", None)
        assert may_edit(sam, "screen", clinic.id) and not may_edit(sam, "clinic", clinic.id)
        # Its screens take the clinic's notices, first in their loop, as a new screen does,
        # and show the slides they showed, in their order.
        kinds = [screen.slide_kinds for screen in session.scalars(select(Screen))]
        assert kinds and all(k[0] == "notices" and "notices" not in k[1:] for k in kinds)
        assert kinds[0][1:] == ["stretch", "advice", "warning_signs", "contact"]

    client = app.test_client()
    contact = client.get("/display/waiting-room/contact")
    assert contact.status_code == 200 and "07 3000 1234" in contact.get_data(as_text=True)
    for path in ("/s/back-pain-stretches", "/p/kept-on-the-fridge-2026"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "07 3000 1234" in page.get_data(as_text=True)
        qr = client.get(f"{path}/qr.svg").get_data(as_text=True)
        assert qr_codes_in_svg(qr) == [f"{PUBLIC}{path}"]
    assert "Morning and night, gently." in client.get("/p/kept-on-the-fridge-2026").text
