"""A throwaway PostgreSQL server from the machine's initdb/pg_ctl, for tests and scripts."""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def postgres_cluster():
    """Start a server on a free loopback port; yield its base URL (no database name)."""
    base = Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
    # PostgreSQL refuses to run as root: run it as the postgres user, on a folder it owns.
    as_postgres = []
    if os.geteuid() == 0:
        account = pwd.getpwnam("postgres")
        os.chown(base, account.pw_uid, account.pw_gid)
        as_postgres = ["runuser", "-u", "postgres", "--"]
    data, port = base / "data", free_port()
    run = [*as_postgres]
    subprocess.run(
        [*run, "initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
         "--no-sync"],
        check=True, capture_output=True,
    )
    options = f"-p {port} -c listen_addresses=127.0.0.1 -k {base} -c fsync=off"
    subprocess.run(
        [*run, "pg_ctl", "-D", str(data), "-o", options, "-l", str(base / "log"), "-w",
         "start"],
        check=True, capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            [*run, "pg_ctl", "-D", str(data), "-m", "immediate", "stop"], capture_output=True
        )
        shutil.rmtree(base, ignore_errors=True)


def create_database(server_url: str, name: str, template: str = "template1") -> str:
    """A new database; from `template`, a copy of it (which must have no one connected)."""
    import psycopg

    dsn = server_url.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return f"{server_url}/{name}"


def drop_database(server_url: str, name: str):
    import psycopg

    dsn = server_url.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
