from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from kiosk.db import Base, alembic_config, engine, migrate


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
