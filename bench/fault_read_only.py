"""Fault (c): the disk under a running kiosk goes read-only, as ext4 does on a disk error.

Run (as root): .venv/bin/python bench/fault_read_only.py

In a mount namespace of its own, the script makes a small ext4 file system on a loop device
(mounted with errors=remount-ro, like a Raspberry Pi's root file system), puts a seeded instance
folder on it and serves it with gunicorn. A staff save works; then the kernel is told that the
file system has an error (/sys/fs/ext4/<device>/trigger_fs_error), and ext4 turns itself
read-only under the running app, exactly as it does when an SD card fails. Then: a staff save
must get the clear 503 page, every slide of the screen, its /check, a sheet and a QR must still
answer 200, and /healthz must say `writable: false` and why. The namespace, mount and loop
device go when the script ends. tests/test_read_only.py covers the same on SQLite (mode=ro) and
PostgreSQL (default_transaction_read_only) wherever loop devices are not available.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.serving import (  # noqa: E402
    Gunicorn,
    StaffBrowser,
    form_fields,
    free_port,
    instance_environ,
    prepare,
    print_machine,
)

SCREEN = "/display/waiting-room"
CANNOT_WRITE = "The database cannot be written to right now, so nothing was saved."


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if not arguments.inside:
        missing = [what for what, ok in (
            ("root", os.geteuid() == 0),
            ("unshare", shutil.which("unshare")),
            ("mkfs.ext4", shutil.which("mkfs.ext4")),
            ("loop devices", Path("/dev/loop-control").exists()),
        ) if not ok]
        if missing:
            print(f"SKIP: needs {', '.join(missing)}; tests/test_read_only.py covers the app's "
                  "side with a read-only SQLite open and a read-only PostgreSQL database.")
            return 2
        print_machine()
        # A private mount namespace: the mount is seen by this script and its children only.
        return subprocess.call(["unshare", "--mount", "--propagation", "private",
                                sys.executable, __file__, "--inside"])
    with tempfile.TemporaryDirectory(prefix="kiosk-fault-c-") as folder:
        folder = Path(folder)
        disk, mounted = folder / "disk.img", folder / "disk"
        mounted.mkdir()
        with disk.open("wb") as image:
            image.truncate(64 * 1024 * 1024)
        subprocess.run(["mkfs.ext4", "-q", "-F", str(disk)], check=True)
        subprocess.run(["mount", "-o", "loop,errors=remount-ro", str(disk), str(mounted)],
                       check=True)
        try:
            return run(folder, mounted)
        finally:
            subprocess.run(["umount", "--lazy", str(mounted)], check=False)


def run(folder: Path, mounted: Path) -> int:
    device = Path(subprocess.run(["findmnt", "-n", "-o", "SOURCE", str(mounted)], check=True,
                                 capture_output=True, text=True).stdout.strip()).name
    environ = instance_environ(mounted)
    prepare(environ)
    print(f"instance folder on ext4 on /dev/{device} (errors=remount-ro): {mounted}")
    server = Gunicorn(environ, free_port(), folder / "gunicorn.log", workers=2).start()
    results = []

    def expect(what: str, ok: bool, detail: str = ""):
        results.append(ok)
        print(f"{'PASS' if ok else 'FAIL'}  {what}{': ' + detail if detail else ''}")

    try:
        staff = StaffBrowser(server.url)
        expect("staff sign in", staff.sign_in() == 303)
        status, body = save_title(staff, "Neck Stretch (before)")
        expect("a staff save while the disk is writable", status == 303, f"HTTP {status}")
        expect("/healthz while writable", healthz(server)["writable"] is True,
               json.dumps(healthz(server)))

        Path(f"/sys/fs/ext4/{device}/trigger_fs_error").write_text("bench: disk failing")
        options = subprocess.run(["findmnt", "-n", "-o", "OPTIONS", str(mounted)],
                                 capture_output=True, text=True).stdout.strip()
        print(f"-- ext4 error triggered; mount options now: {options}")
        # Older kernels remount it "ro"; newer ones mark it "emergency_ro" and refuse writes.
        expect("the file system is read-only now",
               options.startswith("ro,") or "emergency_ro" in options)

        status, body = save_title(staff, "Neck Stretch (after)")
        expect("a staff save gets the clear page", status == 503 and CANNOT_WRITE in body,
               f"HTTP {status}, \"{CANNOT_WRITE if CANNOT_WRITE in body else body[:80]}\"")
        expect("no trace on that page", "Traceback" not in body and "sqlite3" not in body)
        for path, status, size in screen_walk(server, staff):
            expect(f"GET {path}", status == 200, f"HTTP {status}, {size} bytes")
        state = healthz(server)
        expect("/healthz says it cannot write, and why",
               state["writable"] is False and state["status"] == "degraded",
               json.dumps(state))
        status, _, page = staff.get("/staff/stretches")
        expect("the console still lists stretches", status == 200 and "Neck Stretch" in page)
    finally:
        server.stop()
    log = (folder / "gunicorn.log").read_text()
    print(f"gunicorn log: {log.count('database trouble')} save(s) refused, "
          f"{log.count('report not saved')} screen report(s) not saved, "
          f"{len(re.findall(r'Traceback', log))} tracebacks")
    passed = all(results)
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


def save_title(staff: StaffBrowser, title: str) -> tuple[int, str]:
    _, _, page = staff.get("/staff/stretches/1")
    status, _, body = staff.post("/staff/stretches/1", form_fields(page) | {"title": title})
    return status, body


def healthz(server: Gunicorn) -> dict:
    staff = StaffBrowser(server.url)
    return json.loads(staff.get("/healthz")[2])


def screen_walk(server: Gunicorn, staff: StaffBrowser):
    """Every slide of the loop as the screen asks for it, its check, a sheet and a QR code.

    The screen is paired with the link the console gives staff, so its requests are reports:
    the writes the read-only disk refuses (pairing itself writes nothing).
    """
    viewer = StaffBrowser(server.url)
    _, _, console_page = staff.get("/staff/screens/1")
    link = re.search(r'id="pairing-link-1" value="([^"]+)"', console_page).group(1)
    viewer.get(urllib.parse.urlsplit(link).path)
    _, _, page = viewer.get(SCREEN)
    paths = [SCREEN]
    slide = re.search(r'hx-get="(/display/waiting-room/slides/[^"]+)"', page).group(1)
    while slide not in paths and len(paths) < 30:
        paths.append(slide)
        status, _, fragment = viewer.get(slide, **{"HX-Request": "true"})
        yield slide, status, len(fragment)
        found = re.search(r'hx-get="(/display/waiting-room/slides/[^"]+)"', fragment)
        if status != 200 or not found:
            return
        slide = found.group(1).replace("&amp;", "&")
    for path in (f"{SCREEN}/check?showing=Contact", "/s/back-pain-stretches",
                 "/s/back-pain-stretches/qr.svg"):
        status, _, body = viewer.get(path)
        yield path, status, len(body)


if __name__ == "__main__":
    sys.exit(main())
