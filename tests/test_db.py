"""The database's commands on a database they cannot use: one line saying what is wrong and what
to run, a non-zero exit, and no SQL traceback (kiosk/db.py, needs_current_schema)."""

import os
import subprocess
import sys

import pytest
from alembic.script import ScriptDirectory

from kiosk.db import alembic_config, migrate
from tests.staff_helpers import PASSWORD

# Every command that reads or writes the clinic's data, with arguments that would work on a
# migrated database.
COMMANDS = [
    ["add-staff", "jade", "--role", "admin"],
    ["seed"],
    ["urls"],
    ["make-sheet", "--routine", "back-pain-stretches"],
    ["export", "{tmp}/export.json.gz"],
    ["import", "{tmp}/export.json.gz", "--yes"],
]
MIGRATE = "Run `flask --app kiosk migrate`, then try again."


def _said(result) -> list[str]:
    return [line for line in result.output.splitlines() if line.strip()]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command[0])
def test_a_command_on_a_database_never_migrated_says_to_migrate(empty_app, tmp_path, command):
    (tmp_path / "export.json.gz").write_bytes(b"")  # import's argument must exist to be checked
    arguments = [part.format(tmp=tmp_path) for part in command]
    result = empty_app.test_cli_runner().invoke(args=arguments, input=PASSWORD + "\n")
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # refused in words, not an SQL error
    assert _said(result) == [f"Error: The database has no tables yet. {MIGRATE}"]


def test_a_database_one_revision_behind_is_named_with_the_revision_it_needs(empty_app):
    scripts = ScriptDirectory.from_config(alembic_config(None))
    (newest,) = scripts.get_heads()
    previous = scripts.get_revision(newest).down_revision
    with empty_app.app_context():
        migrate(previous)
    result = empty_app.test_cli_runner().invoke(args=["add-staff", "jade"], input=PASSWORD)
    assert result.exit_code == 1
    assert _said(result) == [
        f"Error: The database is at revision {previous}; this version of the kiosk needs "
        f"{newest}. {MIGRATE}"
    ]
    with empty_app.app_context():
        migrate()
    result = empty_app.test_cli_runner().invoke(args=["add-staff", "jade"], input=PASSWORD)
    assert result.exit_code == 0, result.output


def test_in_a_terminal_add_staff_on_a_new_database_prints_one_line_and_no_traceback(tmp_path):
    """As the person who installs it meets it: `flask --app kiosk add-staff` before migrate."""
    environ = {name: value for name, value in os.environ.items()
               if not name.startswith("KIOSK_")}
    environ |= {"KIOSK_DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}",
                "KIOSK_INSTANCE_PATH": str(tmp_path / "instance"), "KIOSK_SECRET_KEY": "t"}
    flask = [sys.executable, "-m", "flask", "--app", "kiosk", "add-staff", "jade"]
    done = subprocess.run(flask, input=PASSWORD + "\n", capture_output=True, text=True,
                          env=environ, timeout=60, check=False)
    assert done.returncode == 1
    assert done.stderr.strip() == f"Error: The database has no tables yet. {MIGRATE}"
    assert "Traceback" not in done.stdout + done.stderr and "[SQL:" not in done.stderr
