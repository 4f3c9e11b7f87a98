"""The supported public deployment, whole: Caddy from deploy/Caddyfile in front of gunicorn with
gunicorn.conf.py, set as docs/deployment.md tells a clinic ("Phones at home"): the https name
as KIOSK_PUBLIC_URL, KIOSK_PROXY_HOPS=1, gunicorn bound to 127.0.0.1 by GUNICORN_CMD_ARGS, all
written as the guide writes them.
Only the certificate differs: from Caddy's own authority (KIOSK_TLS=internal), as no test may
ask Let's Encrypt."""

import re

import pytest

from tests.https_proxy import NAME, Caddy, fetch
from tests.pgcluster import free_port
from tests.test_gunicorn_config import gunicorn

SHEET = "/s/back-pain-stretches"


@pytest.fixture
def deployment(app, tmp_path):
    """(https address, Caddy) for gunicorn behind Caddy, both as the guide sets them up."""
    https_port = free_port()
    public_url = f"https://{NAME}:{https_port}"
    with gunicorn(app, tmp_path, KIOSK_PUBLIC_URL=public_url, KIOSK_PROXY_HOPS="1",
                  GUNICORN_CMD_ARGS="--bind=127.0.0.1:{port}") as (base, _log):
        upstream = base.removeprefix("http://")
        with Caddy(tmp_path / "caddy", upstream, https_port) as caddy:
            yield public_url, caddy


def test_behind_caddy_the_app_sees_https_and_says_so(deployment):
    public_url, caddy = deployment
    status, headers, body = fetch(public_url + SHEET, caddy.root_certificate)
    assert status == 200
    # The app knows the page is https: it offers the offline copy, its QR code leads there.
    assert "Keep this sheet" in body and "only opens on the clinic" not in body
    assert f"{NAME}:{caddy.https_port}{SHEET}" in body
    assert headers.get_all("Strict-Transport-Security") == ["max-age=31536000"]

    status, headers, _ = fetch(public_url + "/staff/login", caddy.root_certificate)
    assert status == 200
    cookie = headers["Set-Cookie"]
    assert re.search(r"; Secure\b", cookie) and "HttpOnly" in cookie


def test_caddy_replaces_what_a_client_claims_about_the_connection(deployment):
    public_url, caddy = deployment
    forged = {"X-Forwarded-Proto": "http", "X-Forwarded-Host": "elsewhere.example",
              "X-Forwarded-Prefix": "/evil", "X-Forwarded-Port": "6666"}
    status, headers, body = fetch(public_url + SHEET, caddy.root_certificate, forged)
    assert status == 200
    assert "Keep this sheet" in body
    assert "elsewhere.example" not in body and "/evil" not in body and "6666" not in body
    assert "Strict-Transport-Security" in headers


def test_plain_http_to_the_name_is_sent_to_https(deployment):
    _, caddy = deployment
    status, headers, _ = fetch(f"http://{NAME}:{caddy.http_port}{SHEET}")
    assert status in (301, 308)
    assert headers["Location"].startswith(f"https://{NAME}")
    assert headers["Location"].endswith(SHEET)


def test_gunicorn_bound_by_the_guides_setting_listens_on_the_loopback_only(app, tmp_path):
    with gunicorn(app, tmp_path, GUNICORN_CMD_ARGS="--bind=127.0.0.1:{port}") as (base, log):
        pass
    listening = re.findall(r"Listening at: \S*?([\d.]+:\d+)", log.read_text())
    assert listening == [base.removeprefix("http://")]
