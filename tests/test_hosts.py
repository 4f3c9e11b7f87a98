"""The kiosk answers only to its own names: a request naming another host gets a 400 page in words
before any view runs, so no QR code, sheet or PDF is ever made for it; and a QR code that holds
the request's own address is never kept by a shared cache."""

import logging
import socket
import time

import pytest
from sqlalchemy import update

from kiosk import pdf, qr
from kiosk.config import from_environ
from kiosk.db import get_session
from kiosk.models import Clinic
from kiosk.sheets import qr_fingerprint
from kiosk.web import hosts
from tests.sheet_helpers import make_sheet

SHEET = "/s/back-pain-stretches"


@pytest.fixture
def unconfigured(seeded_app):
    """The README's default: no public address, so QR codes would use the request's host."""
    return seeded_app(PUBLIC_URL="")


@pytest.fixture
def made(monkeypatch):
    """What was made while the test ran: QR codes (the URLs in them) and PDFs."""
    made = {"qr": [], "pdf": 0}
    real_svg, real_render = qr.svg, pdf.HTML.write_pdf

    def svg(url, label=""):
        made["qr"].append(url)
        return real_svg(url, label)

    def write_pdf(self, *args, **kwargs):
        made["pdf"] += 1
        return real_render(self, *args, **kwargs)

    monkeypatch.setattr(qr, "svg", svg)
    monkeypatch.setattr(pdf.HTML, "write_pdf", write_pdf)
    return made


def paths(app) -> list[str]:
    token = make_sheet(app, note="Twice a day")
    return [f"{SHEET}/qr.svg", f"{SHEET}.pdf", SHEET, f"/p/{token}", f"/p/{token}.pdf",
            f"/p/{token}/qr.svg", "/display/waiting-room", "/staff/login", "/healthz",
            "/static/css/site.css", "/no-such-page"]


def test_an_unknown_host_gets_a_400_in_words_and_nothing_is_made_for_it(unconfigured, made):
    client = unconfigured.test_client()
    for path in paths(unconfigured):
        response = client.get(path, headers={"Host": "evil.example"})
        page = response.get_data(as_text=True)
        assert response.status_code == 400, path
        assert response.mimetype == "text/html", path
        assert "<h1>Unknown address</h1>" in page
        assert "does not answer to the address “evil.example”" in page
        assert "KIOSK_TRUSTED_HOSTS" in page and "localhost" in page
        # Kept by no cache (a patient sheet's address adds "private": every /p/ answer has it).
        assert "no-store" in response.cache_control.to_header(), path
        response.close()
    assert made == {"qr": [], "pdf": 0}


def test_a_form_sent_to_an_unknown_host_is_not_read(unconfigured):
    response = unconfigured.test_client().post(
        "/staff/login", headers={"Host": "evil.example"},
        data={"username": "x", "password": "y" * 5000})
    assert response.status_code == 400
    assert "Unknown address" in response.get_data(as_text=True)


def test_the_kiosk_answers_at_this_machines_names_and_addresses_on_any_port(unconfigured, made):
    client = unconfigured.test_client()
    name = socket.gethostname().lower()
    own = ["localhost", "localhost:8000", "screen.localhost:8000", "127.0.0.1:8000",
           "127.0.1.1", "[::1]:8000", "LOCALHOST.", name, f"{name}:8000",
           f"{name.partition('.')[0]}.local:8000",
           *(f"[{a}]:8000" if ":" in a else f"{a}:8000" for a in hosts.machine_addresses())]
    for host in own:
        with client.get(f"{SHEET}/qr.svg", headers={"Host": host}) as response:
            assert response.status_code == 200, host
    # Each QR code points where its request came to: the clinic has not set an address.
    assert f"http://{name}:8000{SHEET}" in made["qr"]


def test_the_public_address_and_the_trusted_hosts_are_answered(seeded_app):
    app = seeded_app(PUBLIC_URL="http://clinic.test:8000",
                     TRUSTED_HOST_NAMES=["tablet.lan", ".tunnel.example"])
    client = app.test_client()
    for host, status in [("clinic.test", 200), ("clinic.test:8000", 200),
                         ("clinic.test:9999", 200), ("tablet.lan:8000", 200),
                         ("tunnel.example", 200), ("kiosk.tunnel.example", 200),
                         ("eviltunnel.example", 400), ("clinic.test.evil.example", 400),
                         ("tablet.lan.evil.example", 400), ("evil.example", 400), ("", 400)]:
        with client.get(SHEET, headers={"Host": host}) as response:
            assert response.status_code == status, host


def test_the_address_staff_set_in_the_console_is_answered_until_it_changes(unconfigured):
    client = unconfigured.test_client()
    assert client.get(SHEET, headers={"Host": "kiosk.clinic.example"}).status_code == 400
    set_clinic_url(unconfigured, "https://kiosk.clinic.example")
    sheet = client.get(SHEET, headers={"Host": "kiosk.clinic.example"})
    assert sheet.status_code == 200
    assert "https://kiosk.clinic.example/s/back-pain-stretches" in sheet.get_data(as_text=True)
    set_clinic_url(unconfigured, "https://stretch.clinic.example")
    refused = client.get(SHEET, headers={"Host": "kiosk.clinic.example"})
    assert refused.status_code == 400
    assert "at its public address, https://stretch.clinic.example," in refused.text


def set_clinic_url(app, url: str):
    with app.app_context():
        get_session().execute(update(Clinic).values(public_url=url))
        get_session().commit()


def test_behind_a_proxy_its_forwarded_host_is_the_one_checked(seeded_app):
    direct = seeded_app(PUBLIC_URL="")
    proxied = seeded_app(PUBLIC_URL="", PROXY_HOPS=1)
    evil = {"X-Forwarded-Host": "evil.example"}
    # Without a configured proxy nobody's X-Forwarded-Host is believed, so it does not matter.
    assert direct.test_client().get(SHEET, headers=evil).status_code == 200
    assert proxied.test_client().get(SHEET, headers=evil).status_code == 400
    local = {"Host": "evil.example", "X-Forwarded-Host": "localhost:8000"}
    assert proxied.test_client().get(SHEET, headers=local).status_code == 200


def test_an_address_the_machine_gains_later_is_answered(unconfigured, monkeypatch):
    """The kiosk may start before Wi-Fi is up: its address then is read again on a miss."""
    client = unconfigured.test_client()
    assert client.get(SHEET, headers={"Host": "10.9.8.7:8000"}).status_code == 400
    monkeypatch.setattr(hosts, "machine_addresses", lambda: {"10.9.8.7"})
    trusted = unconfigured.extensions["kiosk.web.hosts"]
    monkeypatch.setattr(trusted, "_read_at", time.monotonic() - hosts.REREAD_ADDRESSES_SECONDS)
    assert client.get(SHEET, headers={"Host": "10.9.8.7:8000"}).status_code == 200


def test_an_unknown_host_is_logged_once(unconfigured, caplog):
    client = unconfigured.test_client()
    with caplog.at_level(logging.WARNING, logger=unconfigured.logger.name):
        for _ in range(3):
            client.get(SHEET, headers={"Host": "evil.example"})
        client.get(SHEET, headers={"Host": "other.example"})
    refused = [r.getMessage() for r in caplog.records if "refused a request for host" in
               r.getMessage()]
    assert len(refused) == 2
    assert "'evil.example'" in refused[0] and "KIOSK_TRUSTED_HOSTS" in refused[0]


def test_trusted_hosts_come_from_the_environment(tmp_path):
    assert from_environ(str(tmp_path), {})["TRUSTED_HOST_NAMES"] == []
    setting = {"KIOSK_TRUSTED_HOSTS": "tablet.lan, kiosk.clinic.example  .tunnel.example"}
    assert from_environ(str(tmp_path), setting)["TRUSTED_HOST_NAMES"] == [
        "tablet.lan", "kiosk.clinic.example", ".tunnel.example"]


# ---- Caching of QR codes


@pytest.mark.parametrize("fingerprinted", [True, False], ids=["fingerprinted", "plain"])
def test_a_qr_code_holding_the_requests_own_address_is_kept_by_no_shared_cache(
        unconfigured, fingerprinted):
    client = unconfigured.test_client()
    query = f"?v={qr_fingerprint('http://localhost' + SHEET)}" if fingerprinted else ""
    with client.get(f"{SHEET}/qr.svg{query}") as response:
        assert response.status_code == 200
        cache = response.cache_control
        assert cache.private and not cache.public
        assert cache.immutable is fingerprinted


@pytest.mark.parametrize("fingerprinted", [True, False], ids=["fingerprinted", "plain"])
def test_a_qr_code_of_the_configured_address_may_be_cached_by_anyone(client, fingerprinted):
    query = f"?v={qr_fingerprint('http://clinic.test:8000' + SHEET)}" if fingerprinted else ""
    with client.get(f"{SHEET}/qr.svg{query}") as response:
        assert response.status_code == 200
        assert response.cache_control.public and not response.cache_control.private
