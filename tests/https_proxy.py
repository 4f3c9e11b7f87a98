"""The app as phones reach it on a real address: Caddy, run from deploy/Caddyfile itself, doing
TLS for `clinic.test` in front of the app, with certificates from Caddy's own authority.

Chromium is told that `clinic.test` is 127.0.0.1 (--host-resolver-rules), so nothing leaves the
machine, but the browser sees a name that is not loopback: plain http there is not a secure
context, as on a phone on the clinic Wi-Fi. The browser trusts Caddy's root the way a system does,
through an NSS database in its HOME (certutil), never by ignoring certificate errors.
"""

import http.client
import os
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

from tests.pgcluster import free_port

CADDYFILE = Path(__file__).resolve().parent.parent / "deploy" / "Caddyfile"
NAME = "clinic.test"
# Chromium resolves the clinic's name to this machine, and nothing else.
RESOLVER_RULES = f"--host-resolver-rules=MAP {NAME} 127.0.0.1"


class Caddy:
    """`caddy run` on deploy/Caddyfile, with the settings a clinic puts in its env file, for
    https://clinic.test:<port> in front of `upstream` (host:port). `data` holds Caddy's
    authority and certificates: share it, and every proxy of a test run has the same root."""

    def __init__(self, data: Path, upstream: str, https_port: int | None = None):
        self.data = Path(data)
        self.https_port = https_port or free_port()
        self.http_port = free_port()
        self.url = f"https://{NAME}:{self.https_port}"
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.data),
            "XDG_DATA_HOME": str(self.data / "share"),
            "XDG_CONFIG_HOME": str(self.data / "config"),
            "KIOSK_PUBLIC_URL": self.url,
            "KIOSK_TLS": "internal",
            "KIOSK_UPSTREAM": upstream,
            "KIOSK_HTTP_PORT": str(self.http_port),
            "KIOSK_HTTPS_PORT": str(self.https_port),
            "KIOSK_CADDY_ADMIN": "off",
        }
        self.process = None

    @property
    def root_certificate(self) -> Path:
        return self.data / "share" / "caddy" / "pki" / "authorities" / "local" / "root.crt"

    def start(self):
        if shutil.which("caddy") is None:
            raise RuntimeError("caddy is not installed: `make test` installs Debian's caddy")
        self.data.mkdir(parents=True, exist_ok=True)
        # Caddy keeps its own copy of the log file open; ours is closed at once.
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                ["caddy", "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
                env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )
        self._wait_for_certificate()
        return self

    def _wait_for_certificate(self, timeout=30.0):
        """Until a TLS handshake for the clinic's name succeeds against Caddy's own root."""
        deadline = time.monotonic() + timeout
        problem = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"caddy stopped: {self._log_text()}")
            try:
                context = ssl.create_default_context(cafile=self.root_certificate)
                with (socket.create_connection(("127.0.0.1", self.https_port), timeout=2) as raw,
                      context.wrap_socket(raw, server_hostname=NAME)):
                    return
            except (OSError, ssl.SSLError) as error:
                problem = error
            time.sleep(0.1)
        raise RuntimeError(f"caddy gave no certificate for {NAME}: {problem}\n{self._log_text()}")

    @property
    def log_path(self) -> Path:
        return self.data / f"caddy-{self.https_port}.log"

    def _log_text(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:]

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def trust_in_browser_home(home: Path, root_certificate: Path):
    """Make `root_certificate` an authority that Chromium started with HOME=home trusts for web
    sites: the user's NSS database, which Chromium on Linux reads at $HOME/.pki/nssdb."""
    database = Path(home) / ".pki" / "nssdb"
    database.mkdir(parents=True, exist_ok=True)
    certutil = ["certutil", "-d", f"sql:{database}"]
    subprocess.run([*certutil, "-N", "--empty-password"], check=True, capture_output=True)
    subprocess.run([*certutil, "-A", "-t", "C,,", "-n", "Clinic kiosk tests' Caddy root",
                    "-i", str(root_certificate)], check=True, capture_output=True)


def fetch(url: str, root_certificate: Path | None = None, headers: dict | None = None):
    """GET `url` on clinic.test as a client that resolves the name to 127.0.0.1, checking the
    certificate against `root_certificate` for https. Returns (status, headers, body text);
    redirects are not followed."""
    parts = urlsplit(url)
    if parts.hostname != NAME:
        raise ValueError(f"only {NAME} resolves here: {url}")
    secure = parts.scheme == "https"
    context = ssl.create_default_context(cafile=root_certificate) if secure else None

    class Connection(http.client.HTTPConnection):
        def connect(self):
            self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=10)
            if context:
                self.sock = context.wrap_socket(self.sock, server_hostname=NAME)

    connection = Connection(NAME, parts.port or (443 if context else 80), timeout=10)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", path or "/", headers={"Host": parts.netloc, **(headers or {})})
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode(errors="replace")
    finally:
        connection.close()
