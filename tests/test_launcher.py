"""The screen device's launcher: Chromium full-screen at the screen's address (or its pairing
link), with the kiosk flags, started again whenever it exits, and stopped cleanly. A fake
browser records its arguments instead of opening a window; fake xset and unclutter record
theirs."""

import os
import shlex
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.pgcluster import free_port

ROOT = Path(__file__).resolve().parent.parent
LAUNCHER = ROOT / "deploy" / "kiosk" / "launch-kiosk.sh"
KIOSK_FLAGS = {
    "--kiosk",
    "--no-first-run",
    "--noerrdialogs",
    "--disable-infobars",
    "--disable-session-crashed-bubble",
    "--disable-translate",
    "--disable-features=Translate,TranslateUI",
    "--disable-pinch",
    "--overscroll-history-navigation=0",
    "--touch-events=enabled",
    "--autoplay-policy=no-user-gesture-required",
    "--check-for-update-interval=31536000",
}

FAKE_BROWSER = """#!/bin/sh
# Records when it started, its process id and its arguments, then "runs" for a while.
record="$RECORDS/launch-$(date +%s%N)"
{ date +%s.%N; echo $$; printf '%s\\n' "$@"; } > "$record.part"
mv "$record.part" "$record"
exec sleep "${FAKE_BROWSER_SECONDS:-0.3}"
"""
FAKE_XSET = """#!/bin/sh
echo "$*" >> "$RECORDS/xset"
"""
FAKE_UNCLUTTER = """#!/bin/sh
echo "$$ $*" > "$RECORDS/unclutter"
exec sleep 600
"""


class Device:
    """A pretend screen computer: its home folder, its programs, and what they recorded."""

    def __init__(self, tmp_path: Path):
        self.home = tmp_path / "home"
        self.records = tmp_path / "records"
        self.bin = tmp_path / "bin"
        for folder in (self.home, self.records, self.bin):
            folder.mkdir()
        for name, script in [("browser", FAKE_BROWSER), ("xset", FAKE_XSET),
                             ("unclutter", FAKE_UNCLUTTER)]:
            (self.bin / name).write_text(script)
            (self.bin / name).chmod(0o755)
        self.environ = {
            "PATH": f"{self.bin}:/usr/bin:/bin",
            "HOME": str(self.home),
            "RECORDS": str(self.records),
            "DISPLAY": ":99",  # an X session, as far as the launcher can tell
            "KIOSK_BROWSER": str(self.bin / "browser"),
            "KIOSK_WAIT_SECONDS": "0",
        }

    def start(self, *args, **environ) -> subprocess.Popen:
        self.process = subprocess.Popen(
            [str(LAUNCHER), *args], env={**self.environ, **environ},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        return self.process

    def launches(self) -> list[dict]:
        found = []
        for record in sorted(self.records.glob("launch-*[0-9]")):
            started, pid, *argv = record.read_text().splitlines()
            found.append({"at": float(started), "pid": int(pid), "argv": argv})
        return found

    def wait_for_launches(self, count: int, within: float) -> list[dict]:
        deadline = time.monotonic() + within
        while len(self.launches()) < count:
            if self.process.poll() is not None:
                pytest.fail(f"the launcher exited early:\n{self.process.communicate()[0]}")
            if time.monotonic() > deadline:
                pytest.fail(f"{len(self.launches())} browser launches in {within} s, "
                            f"wanted {count}")
            time.sleep(0.05)
        return self.launches()

    def stop(self) -> tuple[int, str]:
        """SIGTERM, as systemd sends it; the launcher's exit status and what it logged."""
        self.process.send_signal(signal.SIGTERM)
        log, _ = self.process.communicate(timeout=5)
        return self.process.returncode, log


@pytest.fixture
def device(tmp_path):
    device = Device(tmp_path)
    yield device
    process = getattr(device, "process", None)
    if process is not None:
        if process.poll() is None:
            process.kill()
        process.communicate()


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its parent) is not running either.
    return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"


def test_the_launcher_opens_the_screen_with_kiosk_flags_and_restarts_the_browser(device):
    profile = device.home / ".local/share/clinic-kiosk/chromium"
    (profile / "Default").mkdir(parents=True)
    preferences = profile / "Default" / "Preferences"
    # What Chromium leaves after a power cut: the "Restore pages?" bubble would follow.
    preferences.write_text('{"profile":{"exited_cleanly":false,"exit_type":"Crashed"}}')

    device.start(KIOSK_SERVER_URL="http://192.168.1.20:8000", KIOSK_SCREEN="reception",
                 KIOSK_RESTART_DELAY="1")
    first, second, third = device.wait_for_launches(3, within=10)[:3]
    status, log = device.stop()

    assert status == 0, log
    argv = first["argv"]
    assert argv[-1] == "http://192.168.1.20:8000/display/reception"
    assert set(argv) >= KIOSK_FLAGS
    assert f"--user-data-dir={profile}" in argv
    # Plain http on the clinic network: trusted like https, for the service worker and wake lock.
    assert "--unsafely-treat-insecure-origin-as-secure=http://192.168.1.20:8000" in argv
    assert second["argv"] == third["argv"] == argv  # the same screen every time
    assert '"exited_cleanly":true' in preferences.read_text()
    assert '"exit_type":"Normal"' in preferences.read_text()

    # The fake browser runs 0.3 s; the launcher waits 1 s, then 2 s after a second quick exit.
    first_gap, second_gap = second["at"] - first["at"], third["at"] - second["at"]
    assert 1.2 <= first_gap < 3, first_gap
    assert second_gap >= first_gap + 0.8, (first_gap, second_gap)
    assert "starting it again in 1 s" in log and "starting it again in 2 s" in log

    # The screen stays awake, and the pointer hides, while the launcher runs; then it goes too.
    assert (device.records / "xset").read_text().splitlines() == ["s off", "s noblank", "-dpms"]
    unclutter_pid, unclutter_args = (device.records / "unclutter").read_text().split(" ", 1)
    assert unclutter_args.split() == ["-idle", "1", "-root"]
    time.sleep(0.2)
    assert not running(int(unclutter_pid))


def test_sigterm_stops_the_browser_and_the_loop(device):
    device.start("http://127.0.0.1:8000", FAKE_BROWSER_SECONDS="60")
    (launch,) = device.wait_for_launches(1, within=5)
    assert running(launch["pid"])
    status, log = device.stop()
    assert status == 0, log
    assert "stopping" in log
    time.sleep(0.2)
    assert not running(launch["pid"])
    assert len(device.launches()) == 1  # not started again after the stop


def test_first_start_waits_for_the_server_then_starts_anyway(device):
    port = free_port()  # nothing listens here
    started = time.monotonic()
    device.start(f"http://127.0.0.1:{port}", KIOSK_WAIT_SECONDS="2", FAKE_BROWSER_SECONDS="60")
    device.wait_for_launches(1, within=10)
    waited = time.monotonic() - started
    status, log = device.stop()
    assert 2 <= waited < 8, waited
    assert "does not answer yet; starting the browser anyway" in log


def command_for(device, *args, **environ) -> list[str]:
    """The browser command the launcher prints with --print."""
    result = subprocess.run([str(LAUNCHER), "--print", *args], env={**device.environ, **environ},
                            capture_output=True, text=True, check=True)
    return shlex.split(result.stdout)


@pytest.mark.parametrize(("server", "trusted"), [
    ("http://192.168.1.20:8000", "http://192.168.1.20:8000"),
    ("http://clinic-kiosk.local:8000/", "http://clinic-kiosk.local:8000"),
    ("http://localhost:8000", None),  # a secure context already
    ("http://127.0.0.1:8000", None),
    ("https://kiosk.example.org", None),
])
def test_only_plain_http_on_the_network_is_treated_as_secure(device, server, trusted):
    command = command_for(device, server)
    flags = [arg for arg in command if arg.startswith("--unsafely-treat-insecure-origin")]
    assert flags == ([f"--unsafely-treat-insecure-origin-as-secure={trusted}"] if trusted else [])
    assert command[-1] == server.rstrip("/") + "/display/waiting-room"


def test_arguments_beat_the_environment_which_beats_the_settings_file(device):
    settings = device.home / ".config" / "clinic-kiosk" / "screen.env"
    settings.parent.mkdir(parents=True)
    settings.write_text("# this screen\nKIOSK_SERVER_URL=http://10.0.0.5:8000\n"
                        "KIOSK_SCREEN=treatment-room\n")
    assert command_for(device)[-1] == "http://10.0.0.5:8000/display/treatment-room"
    assert command_for(device, KIOSK_SCREEN="front-desk")[-1] == (
        "http://10.0.0.5:8000/display/front-desk")
    assert command_for(device, "http://10.0.0.9:8000", "gym")[-1] == (
        "http://10.0.0.9:8000/display/gym")


def test_a_wrong_server_address_is_refused_with_an_example(device):
    result = subprocess.run([str(LAUNCHER), "192.168.1.20"], env=device.environ,
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "should look like http://192.168.1.20:8000" in result.stderr
    assert device.launches() == []


PAIRING_LINK = "http://192.168.1.20:8000/display/reception/pair/" + "ab12" * 16


def test_the_pairing_link_names_the_server_and_the_screen_and_wins_over_them(device):
    """The console's pairing link, pasted into the settings file: the browser opens it (and the
    server answers with the screen's own address); the server it names is trusted."""
    settings = device.home / ".config" / "clinic-kiosk" / "screen.env"
    settings.parent.mkdir(parents=True)
    settings.write_text(f"KIOSK_SERVER_URL=http://10.0.0.5:8000\nKIOSK_SCREEN=gym\n"
                        f"KIOSK_SCREEN_URL={PAIRING_LINK}\n")
    command = command_for(device)
    assert command[-1] == PAIRING_LINK
    assert "--unsafely-treat-insecure-origin-as-secure=http://192.168.1.20:8000" in command
    assert command_for(device, KIOSK_SCREEN="front-desk")[-1] == PAIRING_LINK
    # On the command line, a pairing link or a server and screen win over the settings file.
    other = "https://kiosk.example.org/display/front-desk/pair/" + "cd34" * 16
    assert command_for(device, other)[-1] == other
    assert command_for(device, "http://10.0.0.9:8000", "gym")[-1] == (
        "http://10.0.0.9:8000/display/gym")
    # The plain screen address is a whole address too (the screen then does not report).
    plain = "http://192.168.1.20:8000/display/reception/"
    assert command_for(device, KIOSK_SCREEN_URL=plain)[-1] == plain.rstrip("/")


def test_the_log_shows_the_screen_but_not_its_pairing_key(device):
    port = free_port()  # nothing listens: the launcher waits for this server, then gives up
    link = f"http://127.0.0.1:{port}/display/reception/pair/" + "ab12" * 16
    device.start(KIOSK_SCREEN_URL=link, KIOSK_WAIT_SECONDS="1", FAKE_BROWSER_SECONDS="60")
    (launch,) = device.wait_for_launches(1, within=10)
    status, log = device.stop()
    assert status == 0, log
    assert launch["argv"][-1] == link
    assert f"http://127.0.0.1:{port} does not answer yet" in log
    assert f"at http://127.0.0.1:{port}/display/reception/pair/…" in log
    assert "ab12" not in log


@pytest.mark.parametrize("address", [
    "192.168.1.20:8000/display/reception",
    "http://192.168.1.20:8000/display/",
    "http://192.168.1.20:8000/display/reception/pair/",
    "http://192.168.1.20:8000/display/reception/pair/key?x=1",
])
def test_a_wrong_screen_address_is_refused_with_an_example(device, address):
    result = subprocess.run([str(LAUNCHER)], env={**device.environ, "KIOSK_SCREEN_URL": address},
                            capture_output=True, text=True, timeout=10)
    assert result.returncode == 2
    assert "should be its pairing link from the console" in result.stderr
    assert device.launches() == []
