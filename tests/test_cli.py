"""The "are you sure?" that `flask import` and `flask restore` ask before replacing everything
(kiosk/cli.py), met as a person meets it: the command run in a terminal, an answer typed at it.
Without a terminal and without --yes, both refuse (tests/test_transfer.py, test_backup.py)."""

import os
import pty
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from kiosk import transfer
from kiosk.db import get_session
from kiosk.models import Stretch
from kiosk.revisions import save
from tests.conftest import SQLITE_ONLY
from tests.staff_helpers import add_staff
from tests.test_transfer import dump

pytestmark = SQLITE_ONLY  # the commands' own database; restoring SQLite needs no pg_restore


def flask_in_a_terminal(app, *args: str, typed: str = "n") -> tuple[int, str]:
    """`flask --app kiosk ARGS` on `app`'s database, a terminal for its input with `typed` and
    Enter typed at it (answering any question); its exit status and what it printed."""
    environ = {name: value for name, value in os.environ.items()
               if not name.startswith("KIOSK_")}
    environ |= {"KIOSK_DATABASE_URL": app.config["DATABASE_URL"],
                "KIOSK_INSTANCE_PATH": app.instance_path, "KIOSK_SECRET_KEY": "test"}
    keyboard, terminal = pty.openpty()
    try:
        os.write(keyboard, typed.encode() + b"\n")  # typed ahead: read when it asks
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "kiosk", *args],
                              stdin=terminal, capture_output=True, text=True, env=environ,
                              timeout=120, check=False)
    finally:
        os.close(keyboard)
        os.close(terminal)
    return done.returncode, done.stdout + done.stderr


def exported(app, file: Path):
    """The kiosk, with an admin to manage it (an import needs one), exported to `file`."""
    add_staff(app, role="admin")
    with app.app_context():
        file.write_bytes(transfer.export_all(get_session()))


def rename_a_stretch(app) -> str:
    """A change made after the file was made; the stretch's title before it."""
    with app.app_context():
        session = get_session()
        stretch = session.scalar(select(Stretch).order_by(Stretch.id))
        title = stretch.title
        save(session, stretch, stretch.version, None,
             lambda: setattr(stretch, "title", "Renamed after the file was made"), "Renamed")
    return title


def stretch_titles(app) -> list[str]:
    with app.app_context():
        return list(get_session().scalars(select(Stretch.title).order_by(Stretch.id)))


def test_import_asks_first_no_leaves_everything_as_it_was_and_yes_replaces_it(app, tmp_path):
    file = tmp_path / "export.json.gz"
    exported(app, file)
    title = rename_a_stretch(app)
    before = dump(app)

    status, said = flask_in_a_terminal(app, "import", str(file), typed="n")
    assert "Replace EVERYTHING in this database" in said and "Aborted!" in said
    assert status == 1
    assert dump(app) == before

    status, said = flask_in_a_terminal(app, "import", str(file), typed="y")
    assert status == 0, said
    assert "Imported 7 stretches" in said
    assert title in stretch_titles(app) and "Renamed after the file was made" not in (
        stretch_titles(app))


def test_import_with_yes_asks_nothing(app, tmp_path):
    file = tmp_path / "export.json.gz"
    exported(app, file)
    title = rename_a_stretch(app)

    status, said = flask_in_a_terminal(app, "import", str(file), "--yes", typed="n")
    assert status == 0, said
    assert "Replace EVERYTHING" not in said
    assert title in stretch_titles(app)


def test_restore_asks_first_no_leaves_everything_as_it_was_and_yes_restores(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["backup", "--dir", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    (backup,) = (tmp_path / "b").iterdir()
    title = rename_a_stretch(app)
    before = dump(app)
    safety_copies = Path(app.instance_path) / "backups"

    status, said = flask_in_a_terminal(app, "restore", str(backup), typed="n")
    assert "Replace ALL of it with the backup's?" in said and "Aborted!" in said
    assert status == 1
    assert dump(app) == before
    assert not safety_copies.exists()  # nothing was done, not even the copy made before

    status, said = flask_in_a_terminal(app, "restore", str(backup), typed="y")
    assert status == 0, said
    assert "Restored" in said and len(list(safety_copies.iterdir())) == 1
    assert title in stretch_titles(app)
