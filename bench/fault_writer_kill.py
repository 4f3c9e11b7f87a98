"""Fault (b): a process saving staff edits is killed with SIGKILL at random moments, many times.

Run: .venv/bin/python bench/fault_writer_kill.py [--kills 50] [--postgres]

Each writer is a fresh process that saves, as fast as it can, through kiosk.revisions.save (the
console's own path): a stretch's title and steps, a routine's order (its rows deleted and
written again) and the clinic's warning signs (likewise). After each commit it appends what it
saved to an acknowledgement file. The parent kills it at a random moment, 50 times, then checks:
SQLite's `PRAGMA integrity_check` and `foreign_key_check`; for every record, its versions have
one revision each, with no gap, and the row is exactly its last revision's "after"; the content
version went up once per revision; and every save acknowledged is there. tests/test_writer_killed.py
runs the same with fewer kills, on SQLite and PostgreSQL.
"""

import argparse
import importlib
import itertools
import multiprocessing
import random
import sys
import tempfile
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench.serving import print_machine  # noqa: E402
from kiosk.db import make_engine  # noqa: E402
from kiosk.models import Clinic, ContentState, Revision, Routine, Stretch  # noqa: E402
from kiosk.revisions import ENTITY_NAMES, apply_snapshot, save, snapshot  # noqa: E402
from tests import pgcluster  # noqa: E402

# What a writer saves, in turn: one row; many rows replaced; rows of another table replaced.
TARGETS = (
    (Stretch, {"slug": "neck-stretch"}),
    (Routine, {"slug": "back-pain-stretches"}),
    (Clinic, {}),
)


def writer(database_url: str, acknowledgements: str, ready):
    """Save until killed; after each commit, say what was saved."""
    engine = make_engine(database_url)
    with Session(engine, expire_on_commit=False) as session, open(acknowledgements, "a") as log:
        for n in itertools.count():
            model, where = TARGETS[n % len(TARGETS)]
            record = session.scalar(select(model).filter_by(**where))
            data = changed(snapshot(record), n)
            save(session, record, record.version, None,
                 lambda r=record, d=data: apply_snapshot(r, d), f"writer save {n}")
            log.write(f"{ENTITY_NAMES[model]} {record.id} {record.version}\n")
            log.flush()
            ready.set()  # saving, with one save done: the kill lands among the next ones


def changed(data: dict, n: int) -> dict:
    """The record with a change that differs from every earlier one."""
    if "steps" in data:  # a stretch
        data["title"] = f"Neck Stretch, save {n}"
        data["steps"] = data["steps"][1:] + data["steps"][:1]
    elif "items" in data:  # a routine: every item row is replaced
        data["description"] = f"Routine, save {n}"
        data["items"] = data["items"][::-1]
    else:  # the clinic: its warning signs are deleted and written again
        data["hours"] = f"Clinic, save {n}"
        data["warning_signs"] = data["warning_signs"][1:] + data["warning_signs"][:1]
    return data


@dataclass
class Outcome:
    kills: int = 0
    acknowledged: int = 0
    revisions: int = 0
    integrity: str = "not SQLite"
    problems: list[str] = field(default_factory=list)


def kill_writers(database_url: str, kills: int, *, seed: int = 6, progress=None) -> Outcome:
    """Start a writer `kills` times, each killed with SIGKILL 0-300 ms after its first save."""
    randomly = random.Random(seed)
    context = multiprocessing.get_context("forkserver")
    # Writers are forked from a server that has imported this module (SQLAlchemy, the models):
    # each starts saving within milliseconds.
    context.set_forkserver_preload(["bench.fault_writer_kill"])
    # By its importable name, also when this file runs as __main__: the server holds it.
    target = importlib.import_module("bench.fault_writer_kill").writer
    outcome = Outcome()
    baseline = content_version(database_url)
    with tempfile.TemporaryDirectory(prefix="kiosk-writer-") as folder:
        acknowledgements = str(Path(folder) / "acknowledged.txt")
        Path(acknowledgements).touch()
        for kill in range(1, kills + 1):
            ready = context.Event()
            process = context.Process(target=target, args=(database_url, acknowledgements, ready))
            process.start()
            if not ready.wait(timeout=60):
                process.kill()
                raise RuntimeError(f"writer {kill} did not start saving within 60 s")
            time.sleep(randomly.uniform(0, 0.3))
            process.kill()
            process.join(timeout=30)
            if process.exitcode != -9:
                outcome.problems.append(f"writer {kill} ended with {process.exitcode}, not SIGKILL")
            outcome.kills += 1
            if progress:
                progress(kill, len(Path(acknowledgements).read_text().splitlines()))
        acknowledged = [line.split() for line in Path(acknowledgements).read_text().splitlines()]
    outcome.acknowledged = len(acknowledged)
    check(database_url, baseline, acknowledged, outcome)
    return outcome


def content_version(database_url: str) -> int:
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            return session.scalar(select(ContentState.version))
    finally:
        engine.dispose()


def check(database_url: str, baseline: int, acknowledged: list[list[str]], outcome: Outcome):
    """Is every save whole or absent, and every acknowledged save there?"""
    engine = make_engine(database_url)
    problems = outcome.problems
    try:
        with Session(engine) as session:
            if engine.dialect.name == "sqlite":
                outcome.integrity = session.execute(text("PRAGMA integrity_check")).scalar()
                if outcome.integrity != "ok":
                    problems.append(f"integrity_check: {outcome.integrity}")
                broken = session.execute(text("PRAGMA foreign_key_check")).all()
                if broken:
                    problems.append(f"foreign_key_check: {broken}")
            saved = {}
            for model, where in TARGETS:
                record = session.scalar(select(model).filter_by(**where))
                name = ENTITY_NAMES[model]
                revisions = session.scalars(
                    select(Revision).filter_by(entity=name, entity_id=record.id)
                    .order_by(Revision.id)
                ).all()
                versions = [r.version for r in revisions]
                saved[(name, record.id)] = set(versions)
                outcome.revisions += len(revisions)
                if versions != list(range(2, 2 + len(versions))):
                    problems.append(f"{name}: revision versions {versions[:5]}... have gaps")
                expected = revisions[-1].version if revisions else 1
                if record.version != expected:
                    problems.append(f"{name}: row at version {record.version}, "
                                    f"last revision {expected}")
                if revisions and snapshot(record) != revisions[-1].after:
                    problems.append(f"{name}: row differs from its last revision's after")
                for earlier, later in itertools.pairwise(revisions):
                    if later.before != earlier.after:
                        problems.append(f"{name}: revision {later.version} did not start "
                                        f"from revision {earlier.version}")
                        break
            version = session.scalar(select(ContentState.version))
            if version != baseline + outcome.revisions:
                problems.append(f"content version {version}, expected {baseline} + "
                                f"{outcome.revisions} revisions")
            missing = [line for line in acknowledged
                       if int(line[2]) not in saved.get((line[0], int(line[1])), set())]
            if missing:
                problems.append(f"{len(missing)} acknowledged saves are missing: {missing[:3]}")
    finally:
        engine.dispose()


def fresh_database(folder: Path, url: str | None = None) -> str:
    """Migrate and seed `url` (default: a new SQLite file in `folder`)."""
    from kiosk import create_app
    from kiosk.content import load_article
    from kiosk.content.seed import seed
    from kiosk.db import engine, get_session, migrate

    url = url or f"sqlite:///{folder / 'kiosk.sqlite3'}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "writer"})
    with app.app_context():
        migrate()
        seed(get_session(), load_article())
        get_session().close()
        engine().dispose()
    return url


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--postgres", action="store_true", help="on a throwaway PostgreSQL "
                        "server (initdb/pg_ctl) instead of a new SQLite file")
    arguments = parser.parse_args()
    print_machine()
    with tempfile.TemporaryDirectory(prefix="kiosk-fault-b-") as folder, \
            (pgcluster.postgres_cluster() if arguments.postgres else nullcontext()) as server:
        url = fresh_database(Path(folder), server and pgcluster.create_database(server, "kiosk"))
        print(f"database: {make_engine(url).url.render_as_string(hide_password=True)}")
        started = time.monotonic()

        def progress(kill, acknowledged):
            if kill % 10 == 0 or kill == arguments.kills:
                print(f"  killed {kill:3d} writers; saves acknowledged so far: {acknowledged}",
                      flush=True)

        outcome = kill_writers(url, arguments.kills, progress=progress)
    print(f"writers killed with SIGKILL: {outcome.kills}")
    print(f"saves acknowledged by writers: {outcome.acknowledged}")
    print(f"revisions in the database: {outcome.revisions} "
          f"({outcome.revisions - outcome.acknowledged} committed just before a kill, "
          "unacknowledged)")
    print(f"PRAGMA integrity_check: {outcome.integrity}")
    print(f"saves half there or acknowledged but missing: {len(outcome.problems)}")
    for problem in outcome.problems:
        print(f"  PROBLEM: {problem}")
    print(f"time: {time.monotonic() - started:.1f} s")
    print("PASS" if not outcome.problems else "FAIL")
    return 0 if not outcome.problems else 1


if __name__ == "__main__":
    sys.exit(main())
