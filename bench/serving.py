"""What the fault, two-server and soak scripts share: a throwaway instance served by gunicorn on
the loopback, a staff member's HTTP client, Chromium, and a description of the machine."""

import html
import http.cookiejar
import os
import platform
import re
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CONFIG = ROOT / "gunicorn.conf.py"
STAFF, PASSWORD = "bench-admin", "stretch-slowly-2026"
# Where QR codes point: a LAN address as in a clinic. Nothing is ever sent there.
PUBLIC_URL = "http://192.168.1.20:8000"

sys.path.insert(0, str(ROOT))
from tests.pgcluster import free_port  # noqa: E402, F401  (re-exported for the scripts)
from tests.staff_helpers import token_from as csrf_token  # noqa: E402  (likewise)


def instance_environ(folder: Path, database_url: str | None = None,
                     secret_key: str | None = None, **settings) -> dict:
    """The environment of an app on the throwaway instance `folder` (made if need be).

    Servers that share a database share `secret_key` too (a random one by default)."""
    home = folder / "home"
    home.mkdir(parents=True, exist_ok=True)
    environ = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),  # gunicorn and Chromium write here, not in the real home
        "LANG": "C.UTF-8",
        "KIOSK_INSTANCE_PATH": str(folder / "instance"),
        "KIOSK_SECRET_KEY": secret_key or secrets.token_hex(32),
        "KIOSK_PUBLIC_URL": PUBLIC_URL,
        **{f"KIOSK_{name}": str(value) for name, value in settings.items()},
    }
    if database_url:
        environ["KIOSK_DATABASE_URL"] = database_url
    return environ


def prepare(environ: dict):
    """Migrate and seed the database; add a staff admin (STAFF, PASSWORD)."""
    flask = [str(BIN / "flask"), "--app", "kiosk"]
    for command in (["migrate"], ["seed"]):
        subprocess.run(flask + command, cwd=ROOT, env=environ, check=True, capture_output=True)
    subprocess.run(flask + ["add-staff", STAFF, "--role", "admin"], cwd=ROOT, env=environ,
                   input=PASSWORD + "\n", text=True, check=True, capture_output=True)


class Gunicorn:
    """gunicorn serving the app on 127.0.0.1:`port`, with the production settings."""

    def __init__(self, environ: dict, port: int, log: Path, workers: int | None = None,
                 app: str = "wsgi:app"):
        self.environ = dict(environ)
        if workers:
            self.environ["WEB_CONCURRENCY"] = str(workers)
        self.port, self.log, self.app, self.process = port, log, app, None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        command = [str(BIN / "gunicorn")]
        if CONFIG.exists():
            command += ["--config", str(CONFIG)]
        else:  # before the repository had its production config
            command += ["--no-control-socket", "--worker-class", "gthread", "--threads", "4",
                        "--workers", self.environ.get("WEB_CONCURRENCY", "4")]
        # The config binds every address; these scripts listen on the loopback only.
        return command + ["--bind", f"127.0.0.1:{self.port}", self.app]

    def start(self, timeout: float = 60):
        """Start gunicorn and wait until it answers /healthz."""
        self.spawn()
        return self.wait(timeout)

    def wait(self, timeout: float = 60):
        """Wait until the gunicorn spawned answers /healthz."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.answers():
                return self
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"gunicorn did not answer within {timeout} s: see {self.log}")

    def spawn(self):
        """Start gunicorn without waiting for it."""
        with self.log.open("a") as output:
            # Its own process group: a kill reaches the master and every worker.
            self.process = subprocess.Popen(
                self.command(), cwd=ROOT, env=self.environ, stdout=output,
                stderr=subprocess.STDOUT, start_new_session=True,
            )

    def answers(self, timeout: float = 2) -> bool:
        """Whether gunicorn answers /healthz with 200 now."""
        if self.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {self.process.returncode}: see {self.log}")
        try:
            return request(self.url + "/healthz", timeout=timeout)[0] == 200
        except OSError:
            return False

    def workers(self) -> list[int]:
        """The worker processes' ids (the master's children)."""
        if self.process is None:
            return []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def worker_rss_mb(self) -> list[float]:
        sizes = []
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            kilobytes = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))
            sizes.append(kilobytes / 1024)
        return sizes

    def kill(self):
        """SIGKILL to the master and all its workers at once, as a crash or the OOM killer."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self):
        """A graceful stop (SIGTERM), and SIGKILL if that takes too long."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def request(url: str, data: bytes | None = None, headers: dict | None = None,
            opener=None, timeout: float = 15) -> tuple[int, dict, bytes]:
    """One HTTP request; (status, headers, body), also for 3xx, 4xx and 5xx answers."""
    call = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310
    opener = opener or urllib.request.build_opener(NoRedirects)
    try:
        with opener.open(call, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class StaffBrowser:
    """A person in the console: a cookie jar, CSRF tokens from the forms, no redirects followed."""

    def __init__(self, base_url: str, cookies: http.cookiejar.CookieJar | None = None):
        """`cookies`: another browser's, to be that browser on another server (cookies are
        per host, not per port)."""
        self.base_url = base_url
        self.cookies = cookies if cookies is not None else http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirects)

    def get(self, path: str, **headers) -> tuple[int, dict, str]:
        status, answered, body = self.get_bytes(path, **headers)
        return status, answered, body.decode("utf-8", "replace")

    def get_bytes(self, path: str, **headers) -> tuple[int, dict, bytes]:
        return request(self.base_url + path, headers=headers, opener=self.opener)

    def post(self, path: str, fields: dict | None = None, files: dict | None = None
             ) -> tuple[int, dict, str]:
        if files:
            data, content_type = multipart(fields or {}, files)
        else:
            data = urllib.parse.urlencode(fields or {}, doseq=True).encode()
            content_type = "application/x-www-form-urlencoded"
        status, answered, body = request(self.base_url + path, data=data,
                                         headers={"Content-Type": content_type},
                                         opener=self.opener)
        return status, answered, body.decode("utf-8", "replace")

    def sign_in(self, username: str = STAFF, password: str = PASSWORD) -> int:
        _, _, page = self.get("/staff/login")
        status, _, _ = self.post("/staff/login", {"csrf_token": csrf_token(page),
                                                  "username": username, "password": password})
        return status

    def session_cookie(self) -> str | None:
        return next((c.value for c in self.cookies if c.name == "session"), None)


def form_fields(page: str) -> dict:
    """A form's inputs, textareas and selected options, as the browser would send them back."""
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page))
    fields.update(re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', page))
    for name, value in re.findall(
        r'<select[^>]*name="([^"]+)".*?<option[^>]*selected[^>]*value="([^"]*)"', page, re.S
    ):
        fields[name] = value
    return {name: html.unescape(value) for name, value in fields.items()}


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    """A multipart/form-data body: `files` maps a field to (filename, bytes, content type)."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n".encode())
    for name, (filename, content, content_type) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                     f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
                     + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


# Chromium as the tests run it (tests/e2e/conftest.py): no sandbox as root, no GPU, and nothing
# that would reach beyond this machine.
def launch_chromium(playwright, home: Path):
    from tests.e2e.conftest import CHROMIUM, CHROMIUM_FLAGS

    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS,
                                      env={**os.environ, "HOME": str(home)})


def machine() -> list[str]:
    """What the numbers were measured on."""
    cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    memory = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
    lines = [
        f"machine: {os.cpu_count()} CPUs ({len(os.sched_getaffinity(0))} usable), "
        f"{int(memory.group(1)) / 1024 / 1024:.1f} GiB memory, "
        f"CPU {cpu.group(1) if cpu else platform.processor()}",
        f"software: Linux {platform.release()}, Python {platform.python_version()}, "
        f"gunicorn {_version('gunicorn')}, SQLite {sqlite3.sqlite_version}, "
        f"PostgreSQL {_command_version('postgres', 'pg_ctl')}",
    ]
    return lines


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def _command_version(*commands: str) -> str:
    for command in commands:
        path = shutil.which(command)
        if path:
            output = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
            found = re.search(r"\d+(\.\d+)+", output)
            return found.group(0) if found else "?"
    return "not installed"


def print_machine():
    for line in machine():
        print(line)
    print(f"date: {time.strftime('%Y-%m-%d %H:%M %Z')}")
    sys.stdout.flush()
