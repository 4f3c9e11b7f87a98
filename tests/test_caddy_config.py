"""deploy/Caddyfile as the deployment guide has a clinic set it up ("Phones at home"): Caddy's own
adapter reads it with the guide's lines for /etc/clinic-kiosk.env (adapting starts nothing and
needs no network), and Debian's Caddy service, given the drop-in, runs it from where the guide
installs the code. The browser tests run the same file with KIOSK_TLS=internal (https_proxy.py)."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
CADDYFILE = ROOT / "deploy" / "Caddyfile"
DROP_IN = ROOT / "deploy" / "systemd" / "caddy-clinic-kiosk.conf"
GUIDE = ROOT / "docs" / "deployment.md"
# Debian's own unit for Caddy, which the drop-in changes (package caddy).
DEBIAN_CADDY_SERVICE = Path("/lib/systemd/system/caddy.service")

needs_caddy = pytest.mark.skipif(
    shutil.which("caddy") is None,
    reason="caddy is not installed: `make test` installs it (Debian package caddy), "
           "or `sudo apt-get install caddy`")


def guide_section() -> str:
    text = GUIDE.read_text()
    start = text.index("## Phones at home: a public HTTPS address")
    end = text.find("\n## ", start + 1)
    return text[start:end if end > 0 else None]


def guide_settings() -> dict[str, str]:
    """The lines the guide tells a clinic to add to /etc/clinic-kiosk.env for Caddy."""
    for block in re.findall(r"```sh\n(.*?)```", guide_section(), re.DOTALL):
        lines = dict(re.findall(r"^([A-Z][A-Z0-9_]*)=(\S+)$", block, re.MULTILINE))
        if "KIOSK_TLS" in lines:
            return lines
    raise AssertionError("the guide gives no KIOSK_TLS= line for /etc/clinic-kiosk.env")


def adapt(settings: dict[str, str], home: Path) -> subprocess.CompletedProcess:
    """`caddy adapt` of deploy/Caddyfile with only these settings in its environment."""
    environ = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), **settings}
    return subprocess.run(
        ["caddy", "adapt", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        env=environ, capture_output=True, text=True, timeout=30)


def handlers(config, kind: str) -> list[dict]:
    """Every handler of that kind anywhere in Caddy's JSON configuration."""
    found = []
    if isinstance(config, dict):
        if config.get("handler") == kind:
            found.append(config)
        for value in config.values():
            found += handlers(value, kind)
    elif isinstance(config, list):
        for value in config:
            found += handlers(value, kind)
    return found


@needs_caddy
def test_the_guides_settings_give_caddy_the_clinics_name_certificate_and_app(tmp_path):
    settings = guide_settings()
    public = urlsplit(settings["KIOSK_PUBLIC_URL"])
    assert public.scheme == "https" and public.path == ""
    result = adapt(settings, tmp_path)
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)

    http = config["apps"]["http"]
    assert (http.get("http_port", 80), http.get("https_port", 443)) == (80, 443)
    (server,) = http["servers"].values()
    assert server["listen"] == [":443"]
    # Only the clinic's name is served: any other Host matches nothing here.
    assert [match["host"] for route in server["routes"] for match in route["match"]] == [
        [public.hostname]]
    assert "automatic_https" not in server  # http is sent on to https

    # Requests go to gunicorn where the guide binds it.
    (proxy,) = handlers(server, "reverse_proxy")
    gunicorn_bind = settings["GUNICORN_CMD_ARGS"].removeprefix("--bind=")
    assert [upstream["dial"] for upstream in proxy["upstreams"]] == [gunicorn_bind]

    # A certificate from a public authority for that name, with the clinic's email.
    (policy,) = config["apps"]["tls"]["automation"]["policies"]
    assert policy["subjects"] == [public.hostname]
    acme = [issuer for issuer in policy["issuers"] if issuer["module"] == "acme"]
    assert acme and all(issuer["email"] == settings["KIOSK_TLS"] for issuer in acme)
    assert "ca" not in acme[0]  # Let's Encrypt itself, not its staging or another CA

    # Caddy's own authority is never added to the machine's trust store.
    pki = config["apps"]["pki"]["certificate_authorities"]["local"]
    assert pki["install_trust"] is False
    assert config["admin"]["listen"] == "localhost:2019"


@needs_caddy
def test_without_kiosk_tls_caddy_refuses_to_start_rather_than_serve_an_untrusted_certificate(
        tmp_path):
    settings = {k: v for k, v in guide_settings().items() if k != "KIOSK_TLS"}
    result = adapt(settings, tmp_path)
    assert result.returncode != 0
    assert "'tls'" in result.stderr


@needs_caddy
def test_without_a_public_url_caddy_refuses_to_start(tmp_path):
    settings = {k: v for k, v in guide_settings().items() if k != "KIOSK_PUBLIC_URL"}
    result = adapt(settings, tmp_path)
    assert result.returncode != 0
    assert result.stdout == ""


def caddyfile_settings() -> dict[str, str | None]:
    """Each {$NAME} or {$NAME:default} in deploy/Caddyfile, with its default (None: none)."""
    found = re.findall(r"\{\$([A-Z][A-Z0-9_]*)(?::([^}]*))?\}", CADDYFILE.read_text())
    return {name: default or None for name, default in found}


def test_caddyfile_reads_the_settings_the_guide_names():
    assert {"KIOSK_PUBLIC_URL", "KIOSK_TLS", "KIOSK_UPSTREAM"} <= set(caddyfile_settings())


@pytest.mark.parametrize("name", sorted(caddyfile_settings()))
def test_every_caddy_setting_is_in_env_example_with_its_default(name):
    example = (ROOT / ".env.example").read_text()
    values = re.findall(rf"^# {name}=(.*)$", example, re.MULTILINE)
    assert values, f"{name}, read by deploy/Caddyfile, is not in .env.example"
    default = caddyfile_settings()[name]
    if default is not None:
        assert default in values, f".env.example shows {name}={values}, Caddy's default {default}"


def unit_values(text: str, key: str) -> list[str]:
    """A systemd key's values as they stand after resets (an empty `Key=` clears the list)."""
    values = []
    for value in re.findall(rf"^{key}=(.*)$", text, re.MULTILINE):
        values = values + [value] if value else []
    return values


def test_the_drop_in_runs_the_caddyfile_from_where_the_guide_installs_the_code():
    guide = GUIDE.read_text()
    (code,) = re.findall(r"^sudo git clone .+ (/\S+)$", guide, re.MULTILINE)
    (settings_file,) = re.findall(r"^sudo install -m 640 -g kiosk \.env\.example (/\S+)$", guide,
                                  re.MULTILINE)
    drop_in = DROP_IN.read_text()
    (start,) = unit_values(drop_in, "ExecStart")
    (reload,) = unit_values(drop_in, "ExecReload")
    for command in (start, reload):
        assert re.search(rf"--config {re.escape(code)}/deploy/Caddyfile(\s|$)", command), command
    assert start.startswith("/usr/bin/caddy run ")
    assert unit_values(drop_in, "EnvironmentFile") == [settings_file]
    # The guide installs the drop-in where systemd looks for changes to caddy.service.
    installs = " ".join(re.findall(r"sudo install -D -m 644 deploy/systemd/caddy-clinic-kiosk\.conf"
                                   r" \\\n\s+(\S+)", guide_section()))
    assert re.fullmatch(r"/etc/systemd/system/caddy\.service\.d/[\w-]+\.conf", installs), installs


@pytest.mark.skipif(shutil.which("systemd-analyze") is None or not DEBIAN_CADDY_SERVICE.exists(),
                    reason="needs systemd-analyze and Debian's caddy package")
def test_debians_caddy_service_with_the_drop_in_is_valid(tmp_path):
    """As installed, pointed at this checkout and a settings file here."""
    settings = tmp_path / "clinic-kiosk.env"
    settings.write_text("KIOSK_PUBLIC_URL=https://kiosk.clinic.example\n")
    units = tmp_path / "units"
    (units / "caddy.service.d").mkdir(parents=True)
    shutil.copy(DEBIAN_CADDY_SERVICE, units / "caddy.service")
    text = DROP_IN.read_text().replace("/opt/clinic-kiosk", str(ROOT))
    text = text.replace("/etc/clinic-kiosk.env", str(settings))
    (units / "caddy.service.d" / "clinic-kiosk.conf").write_text(text)
    result = subprocess.run(
        ["systemd-analyze", "verify", str(units / "caddy.service")],
        capture_output=True, text=True,
        env={**os.environ, "SYSTEMD_UNIT_PATH": f"{units}:"},
    )
    assert (result.returncode, result.stderr.strip()) == (0, "")
