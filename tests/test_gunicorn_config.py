"""The production server: gunicorn with the repository's gunicorn.conf.py serves the kiosk,
and its access log keeps no secrets."""

import os
import re
import runpy
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from gunicorn.config import Config

from kiosk.accesslog import redact
from tests.pgcluster import free_port
from tests.sheet_helpers import make_sheet

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "gunicorn.conf.py"
GUNICORN = Path(sys.executable).with_name("gunicorn")


def load_config(monkeypatch, cores=4, **environ) -> dict:
    for name in ("PORT", "WEB_CONCURRENCY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: set(range(cores)))
    return {name: value for name, value in runpy.run_path(str(CONFIG)).items()
            if not name.startswith("_")}


def test_every_name_in_the_config_file_is_a_gunicorn_setting(monkeypatch):
    """gunicorn skips names it does not know without a word: a typo would silently not apply."""
    settings = Config().settings
    helpers = {"os", "cpu_count", "FORMAT", "RedactingLogger"}
    unknown = set(load_config(monkeypatch)) - set(settings) - helpers
    assert unknown == set()


@pytest.mark.parametrize(("cores", "workers"), [(1, 3), (2, 4), (4, 4), (64, 4)])
def test_workers_follow_the_cpus_but_stay_few(monkeypatch, cores, workers):
    assert load_config(monkeypatch, cores=cores)["workers"] == workers
    assert load_config(monkeypatch, cores=cores, WEB_CONCURRENCY="2")["workers"] == 2


def test_binds_every_address_on_port_from_the_environment(monkeypatch):
    assert load_config(monkeypatch)["bind"] == ["0.0.0.0:8000"]
    assert load_config(monkeypatch, PORT="9100")["bind"] == ["0.0.0.0:9100"]


def test_no_control_socket_and_a_log_format_without_query_or_referrer(monkeypatch):
    config = load_config(monkeypatch)
    assert config["control_socket_disable"] is True
    assert "%(r)s" not in config["access_log_format"]  # the request line holds the query
    assert "%(q)s" not in config["access_log_format"]
    assert "%(f)s" not in config["access_log_format"]
    assert config["graceful_timeout"] < config["timeout"]


@pytest.mark.parametrize(("path", "logged"), [
    ("/p/Ab3_x-9Q2kLmN0pQ", "/p/<redacted>"),
    ("/p/Ab3_x-9Q2kLmN0pQ.pdf", "/p/<redacted>.pdf"),
    ("/p/Ab3_x-9Q2kLmN0pQ/qr.svg", "/p/<redacted>/qr.svg"),
    ("/p/Ab3_x-9Q2kLmN0pQ/manifest.webmanifest", "/p/<redacted>/manifest.webmanifest"),
    ("/s/back-pain-stretches", "/s/back-pain-stretches"),
    ("/display/waiting-room/p/x", "/display/waiting-room/p/x"),
])
def test_patient_tokens_are_redacted(path, logged):
    assert redact(path) == logged


def test_the_apps_own_log_never_holds_a_patient_token(make_app, database_url, caplog):
    """An unhandled error's log line names the path; database trouble does too."""
    app = make_app(DATABASE_URL=database_url)  # not migrated: every query fails
    with app.test_request_context("/p/Ab3_x-9Q2kLmN0pQ"):
        try:
            raise RuntimeError("a fault in a view")
        except RuntimeError:
            app.log_exception(sys.exc_info())
    with caplog.at_level("WARNING"):
        response = app.test_client().get("/p/Zz9_y-8R1jKlM2nO.pdf")
    assert response.status_code == 503
    logged = caplog.text
    assert "Exception on /p/<redacted> [GET]" in logged
    assert "GET /p/<redacted>.pdf: database trouble" in logged
    assert "Ab3_x-9Q2kLmN0pQ" not in logged and "Zz9_y-8R1jKlM2nO" not in logged


def test_workers_are_forked_from_a_loaded_app_and_trust_no_forwarded_headers(monkeypatch):
    config = load_config(monkeypatch)
    assert config["preload_app"] is True  # a restarted worker is ready at once
    assert Config().settings["forwarded_allow_ips"].validator(config["forwarded_allow_ips"]) == []


def get(url: str, headers: dict | None = None) -> tuple[int, str]:
    return fetch(url, headers)[:2]


def fetch(url: str, headers: dict | None = None) -> tuple[int, str, dict]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (our own http URL)
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.status, response.read().decode(), dict(response.headers)


def wait_until_serving(url: str, process, deadline=30.0):
    started = time.monotonic()
    while time.monotonic() - started < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited with {process.returncode}")
        try:
            return get(url)
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer {url} within {deadline} s")


def test_gunicorn_with_the_config_file_serves_health_a_slide_and_sheets(app, tmp_path):
    token = make_sheet(app, note="Twice a day.")
    port = free_port()
    home = tmp_path / "home"
    home.mkdir()
    log = tmp_path / "gunicorn.log"
    environ = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),  # gunicorn 27 would put its control socket here
        "KIOSK_INSTANCE_PATH": str(tmp_path / "instance"),
        "KIOSK_DATABASE_URL": app.config["DATABASE_URL"],
        "KIOSK_SECRET_KEY": "gunicorn-test",
        "WEB_CONCURRENCY": "2",
    }
    with log.open("w") as output:
        # The config binds every address; the test listens on the loopback only.
        server = subprocess.Popen(
            [str(GUNICORN), "--config", str(CONFIG), "--bind", f"127.0.0.1:{port}", "wsgi:app"],
            cwd=ROOT, env=environ, stdout=output, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        status, body = wait_until_serving(base + "/healthz", server)
        assert status == 200 and '"status":"ok"' in body

        status, page = get(base + "/display/waiting-room")
        slide = re.search(r'/display/waiting-room/slides/[^"?]+', page).group(0)
        status, body = get(base + slide + "?showing=secret-query")
        assert status == 200 and 'class="slide' in body

        status, body, headers = fetch(base + "/s/back-pain-stretches",
                                      {"X-Forwarded-Proto": "https"})
        assert status == 200 and "Neck Stretch" in body
        # Not behind a configured proxy: a forged header from the loopback does not make it HTTPS.
        assert "Strict-Transport-Security" not in headers
        status, body = get(base + f"/p/{token}")
        assert status == 200 and "Twice a day." in body
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0  # a graceful stop

    logged = log.read_text()
    assert "Using worker: gthread" in logged
    assert len(re.findall(r"Booting worker", logged)) == 2
    assert '"GET /healthz HTTP/1.1" 200' in logged
    assert f'"GET {slide} HTTP/1.1" 200' in logged
    assert '"GET /p/<redacted> HTTP/1.1" 200' in logged
    assert token not in logged and "secret-query" not in logged
    assert list(home.iterdir()) == []  # no control socket, nothing else written to HOME
