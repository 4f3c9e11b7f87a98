"""The production server: gunicorn with the repository's gunicorn.conf.py serves the kiosk,
and its access log keeps no secrets."""

import http.client
import logging
import os
import re
import runpy
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from kiosk.web.accesslog import FORMAT, RedactingLogger, redact
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


TOKEN = "Ab3_x-9Q2kLmN0pQ"
# Every spelling of a sheet's address a server can be sent, as it reaches PATH_INFO (which
# arrives percent-decoded once: /p%252F<token> on the wire is /p%2F<token> here).
SPELLINGS = [
    (f"//p/{TOKEN}", "/p/<redacted>"),
    (f"/p//{TOKEN}", "/p/<redacted>"),
    (f"///p/{TOKEN}.pdf", "/p/<redacted>.pdf"),
    (f"/p/{TOKEN}/", "/p/<redacted>/"),
    (f"/./p/{TOKEN}", "/p/<redacted>"),
    (f"/p/./{TOKEN}/qr.svg", "/p/<redacted>/qr.svg"),
    (f"/s/../p/{TOKEN}", "/p/<redacted>"),
    (f"/p%2F{TOKEN}", "/p/<redacted>"),
    (f"/p%252F{TOKEN}", "/p/<redacted>"),
    (f"/p/%2e/{TOKEN}", "/p/<redacted>"),
    (f"/P/{TOKEN}", "/p/<redacted>"),
    (f"/p\\{TOKEN}", "/p/<redacted>"),
    (f"//p//{TOKEN}//manifest.webmanifest", "/p/<redacted>/manifest.webmanifest"),
]


@pytest.mark.parametrize(("path", "logged"), SPELLINGS)
def test_every_spelling_of_a_sheets_address_is_redacted_in_every_atom(path, logged):
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": path, "PATH_INFO": path,
               "SERVER_PROTOCOL": "HTTP/1.1", "QUERY_STRING": "", "HTTP_REFERER": path}
    request = SimpleNamespace(headers=[("Referer", path), ("Host", "clinic.test")])
    response = SimpleNamespace(status="200 OK", sent=1234, headers=[])
    atoms = RedactingLogger(Config()).atoms(response, request, environ, timedelta(seconds=1))
    assert atoms["U"] == atoms["{path_info}e"] == logged
    assert atoms["r"] == f"GET {logged} HTTP/1.1"
    assert FORMAT % atoms == f'{atoms["t"]} "GET {logged} HTTP/1.1" 200 1234 1000ms'
    assert [key for key, value in atoms.items() if TOKEN in str(value)] == []


KEY = "9f2c4e" * 10
PAIRING_SPELLINGS = [
    (f"/display/waiting-room/pair/{KEY}", "/display/waiting-room/pair/<redacted>"),
    (f"//display//waiting-room/./pair/{KEY}", "/display/waiting-room/pair/<redacted>"),
    (f"/display/waiting-room/pair%2F{KEY}", "/display/waiting-room/pair/<redacted>"),
]


@pytest.mark.parametrize(("path", "logged"), PAIRING_SPELLINGS)
def test_a_screens_pairing_key_is_redacted_in_both_logs(app, caplog, path, logged):
    """Whoever reads a log must not be able to pair a browser as a screen."""
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": path, "PATH_INFO": path,
               "SERVER_PROTOCOL": "HTTP/1.1", "QUERY_STRING": "", "HTTP_REFERER": path}
    request = SimpleNamespace(headers=[("Referer", path), ("Host", "clinic.test")])
    response = SimpleNamespace(status="303 SEE OTHER", sent=0, headers=[])
    atoms = RedactingLogger(Config()).atoms(response, request, environ, timedelta(seconds=1))
    assert atoms["U"] == logged
    assert [key for key, value in atoms.items() if KEY in str(value)] == []
    with caplog.at_level("WARNING"):
        app.logger.warning("GET %s: database trouble", path)
    assert KEY not in caplog.text and f"GET {logged}: database trouble" in caplog.text


def error_log_lines(*records) -> list[str]:
    """What gunicorn's error log (with the kiosk's logger) writes for each (level, message,
    *args)."""
    logger = RedactingLogger(Config())
    lines = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())
    logger.error_log.addHandler(handler)
    try:
        for level, message, *args in records:
            logger.error_log.log(level, message, *args)
    finally:
        logger.error_log.removeHandler(handler)
    return lines


def test_gunicorns_error_log_never_holds_a_patient_token():
    """A request that fails inside gunicorn is logged with its whole address."""
    lines = error_log_lines(*((logging.ERROR, "Error handling request %s",
                               f"{path}?next=/p//{TOKEN}") for path, _ in SPELLINGS))
    assert len(lines) == len(SPELLINGS)
    assert all(line.startswith("Error handling request /p/<redacted>") for line in lines)
    assert not any(TOKEN in line for line in lines)


def test_gunicorns_own_lines_keep_their_addresses_whole():
    """Where it listens is logged as written, so the person who installed it can open it; a
    sheet's address in the same line still loses its token."""
    lines = error_log_lines(
        (logging.INFO, "Listening at: %s (%s)", "http://127.0.0.1:8000", 4242),
        (logging.INFO, "Listening at: http://[::1]:8000, see http://clinic.test:8000/p//%s",
         TOKEN))
    assert lines == ["Listening at: http://127.0.0.1:8000 (4242)",
                     "Listening at: http://[::1]:8000, see http://clinic.test:8000/p/<redacted>"]


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


@pytest.mark.parametrize(("path", "logged"), SPELLINGS)
def test_the_apps_own_log_redacts_every_spelling(app, caplog, path, logged):
    with app.test_request_context(environ_overrides={"PATH_INFO": path}):
        try:
            raise RuntimeError("a fault in a view")
        except RuntimeError:
            app.log_exception(sys.exc_info())
    with caplog.at_level("WARNING"):
        app.logger.warning("%s %s: database trouble", "GET", path)
        app.logger.warning("refused a form from http://clinic.test%s?next=%s", path, path)
    text = caplog.text
    assert TOKEN not in text
    assert f"GET {logged}: database trouble" in text
    assert f"from http://clinic.test{logged}" in text
    assert "Exception on /p/<redacted>" in text


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


@contextmanager
def gunicorn(app, tmp_path, **settings):
    """gunicorn with the repository's config serving `app`'s database on a free port; yields
    its address and its log file, and stops it gracefully. `settings` go into its environment
    (as in /etc/clinic-kiosk.env); one that sets GUNICORN_CMD_ARGS must bind 127.0.0.1:{port}."""
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
        **{name: value.format(port=port) for name, value in settings.items()},
    }
    # The config binds every address; the test listens on the loopback only.
    bind = [] if "GUNICORN_CMD_ARGS" in settings else ["--bind", f"127.0.0.1:{port}"]
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(GUNICORN), "--config", str(CONFIG), *bind, "wsgi:app"],
            cwd=ROOT, env=environ, stdout=output, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        status, body = wait_until_serving(base + "/healthz", server)
        assert status == 200 and '"status":"ok"' in body
        yield base, log
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0  # a graceful stop
    assert list(home.iterdir()) == []  # no control socket, nothing else written to HOME


def test_gunicorn_with_the_config_file_serves_health_a_slide_and_sheets(app, tmp_path):
    token = make_sheet(app, note="Twice a day.")
    with gunicorn(app, tmp_path) as (base, log):
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

    logged = log.read_text()
    assert "Using worker: gthread" in logged
    assert len(re.findall(r"Booting worker", logged)) == 2
    assert '"GET /healthz HTTP/1.1" 200' in logged
    assert f'"GET {slide} HTTP/1.1" 200' in logged
    assert '"GET /p/<redacted> HTTP/1.1" 200' in logged
    assert token not in logged and "secret-query" not in logged


def test_gunicorns_access_log_redacts_the_token_however_the_address_is_spelled(app, tmp_path):
    token = make_sheet(app, note="Twice a day.")
    # As a phone, a typo or a crafted request may send them, byte for byte.
    spellings = [f"//p/{token}", f"/p//{token}", f"///p/{token}.pdf", f"/p/{token}/",
                 f"/./p/{token}", f"/p/./{token}/qr.svg", f"/s/../p/{token}", f"/p%2F{token}",
                 f"/p%252F{token}", f"/p/%2e/{token}", f"/P/{token}",
                 f"//p//{token}//manifest.webmanifest"]
    with gunicorn(app, tmp_path) as (base, log):
        answers = {}
        for path in spellings:
            connection = http.client.HTTPConnection(base.removeprefix("http://"), timeout=10)
            connection.request("GET", path)  # no client tidies the path or follows a redirect
            response = connection.getresponse()
            response.read()
            answers[path] = response.status
            connection.close()
    logged = log.read_text()
    print("gunicorn answered", answers)
    lines = [line for line in logged.splitlines() if '"GET /' in line and "/healthz" not in line]
    assert len(lines) == len(spellings)
    assert all("/p/<redacted>" in line for line in lines), lines
    assert token not in logged
