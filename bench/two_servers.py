"""Several app servers on one PostgreSQL: what one server takes in, the other serves.

Run: .venv/bin/python bench/two_servers.py [--workers 2]

Starts a throwaway PostgreSQL (the machine's initdb/pg_ctl, via tests/pgcluster.py), migrates and
seeds it, then two gunicorn servers with the production settings on two ports, each with an
instance folder of its own (nothing on disk is shared) and the same KIOSK_SECRET_KEY. Then:
a staff edit through A is what a screen polling B shows; a photo (a real JPEG) uploaded
through A is served by B; a patient sheet made on A opens on B; A's staff session cookie
works on B, and a form opened on A saves through B. Prints PASS or FAIL per check and exits
non-zero on any failure. tests/test_two_servers.py runs the same when KIOSK_TEST_POSTGRES=1.
"""

import argparse
import io
import re
import secrets
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.serving import (  # noqa: E402
    Gunicorn,
    StaffBrowser,
    csrf_token,
    form_fields,
    free_port,
    instance_environ,
    prepare,
    print_machine,
)
from tests import pgcluster  # noqa: E402

SLIDE = "/display/waiting-room/slides/stretch/neck-stretch"
HX = {"HX-Request": "true"}


def two_servers(server_url: str, folder: Path, workers: int = 2, report=print) -> list[bool]:
    """Run every check against two gunicorn servers on a new database of `server_url`."""
    database = pgcluster.create_database(server_url, f"kiosk_{secrets.token_hex(4)}")
    secret = secrets.token_hex(32)
    environs = [instance_environ(folder / name, database, secret_key=secret)
                for name in ("a", "b")]
    prepare(environs[0])
    a, b = (Gunicorn(environ, free_port(), folder / f"gunicorn-{name}.log", workers=workers)
            for environ, name in zip(environs, "ab", strict=True))
    results = []

    def check(what: str, ok: bool, detail: str = ""):
        results.append(bool(ok))
        report(f"{'PASS' if ok else 'FAIL'}  {what}{': ' + detail if detail else ''}")

    try:
        for server in (a, b):
            server.spawn()
        for server in (a, b):
            server.wait()
        report(f"database: {database.rsplit('@', 1)[-1]}; server A {a.url}, server B {b.url}, "
               f"{workers} workers each, same secret key, separate instance folders")
        staff = StaffBrowser(a.url)
        check("staff sign in on A", staff.sign_in() == 303)

        title = f"Neck Stretch (edited on A, {secrets.token_hex(2)})"
        status = edit_title(staff, staff, title)
        check("a staff edit through A is saved", status == 303, f"HTTP {status}")
        seen_after = poll(b, SLIDE, title)
        check("a screen polling B shows the edit", seen_after is not None,
              f"on B's first ask after the save, {seen_after:.2f} s later" if seen_after is not None
              else "not within 10 s")

        jpeg = photo()
        _, _, page = staff.get("/staff/stretches/1")
        status, _, _ = staff.post("/staff/stretches/1/media",
                                  {"csrf_token": csrf_token(page), "version": version_of(page)},
                                  {"media": ("stretch.jpg", jpeg, "image/jpeg")})
        check("a JPEG uploaded through A", status == 303, f"HTTP {status}, {len(jpeg)} bytes")
        _, _, slide = StaffBrowser(b.url).get(SLIDE, **HX)
        found = re.search(r'<img class="demo-media" src="([^"]+)"', slide)
        check("B's slide shows the upload", found is not None)
        if found:
            status, headers, body = StaffBrowser(b.url).get_bytes(found.group(1).replace(
                "&amp;", "&"))
            check("B serves the photo", status == 200 and headers.get("Content-Type")
                  == "image/jpeg" and body[:3] == b"\xff\xd8\xff",
                  f"HTTP {status}, {headers.get('Content-Type')}, {len(body)} bytes")

        token, note = patient_sheet(staff)
        status, _, sheet = StaffBrowser(b.url).get(f"/p/{token}")
        check("a patient sheet made on A opens on B", status == 200 and note in sheet,
              f"/p/<token> on B: HTTP {status}")

        # The same browser, now sent to B (as a load balancer would): A's cookie goes along.
        on_b = StaffBrowser(b.url, cookies=staff.cookies)
        status, _, dashboard = on_b.get("/staff/")
        check("A's session cookie works on B", status == 200 and "Sign out" in dashboard,
              f"/staff/ on B: HTTP {status}")
        status = edit_title(staff, on_b, "Neck Stretch")
        check("a form opened on A saves through B (CSRF token and session)", status == 303,
              f"HTTP {status}")
    finally:
        for server in (a, b):
            server.stop()
        pgcluster.drop_database(server_url, database.rsplit("/", 1)[-1])
    return results


def edit_title(opener: StaffBrowser, saver: StaffBrowser, title: str) -> int:
    """Open the neck stretch's editor with `opener`, save a new title with `saver`."""
    _, _, page = opener.get("/staff/stretches/1")
    return saver.post("/staff/stretches/1", form_fields(page) | {"title": title})[0]


def poll(server: Gunicorn, path: str, words: str, timeout: float = 10):
    """Seconds until `path` on `server` shows `words`, asking as a screen does; None if never."""
    started = time.monotonic()
    viewer = StaffBrowser(server.url)
    while time.monotonic() - started < timeout:
        if words in viewer.get(path, **HX)[2]:
            return time.monotonic() - started
        time.sleep(0.1)
    return None


def version_of(page: str) -> str:
    return re.search(r'name="version" value="(\d+)"', page).group(1)


def photo() -> bytes:
    """A real JPEG, 800 x 600, as a phone camera would make (smaller)."""
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (800, 600), "#d9e8e4")
    draw = ImageDraw.Draw(picture)
    for n in range(0, 800, 40):
        draw.line([(n, 0), (800 - n, 600)], fill="#0b6b63", width=3)
    output = io.BytesIO()
    picture.save(output, "JPEG", quality=85)
    return output.getvalue()


def patient_sheet(staff: StaffBrowser) -> tuple[str, str]:
    """Make a sheet for one patient on the staff member's server; its token and note."""
    note = f"Twice a day, made on A ({secrets.token_hex(2)})"
    _, _, page = staff.get("/staff/patient-sheets/new")
    status, headers, _ = staff.post("/staff/patient-sheets/new", {
        "csrf_token": csrf_token(page), "items-0-stretch": "1", "items-0-hold": "25",
        "items-0-repetitions": "", "note": note, "expires": "30"})
    if status != 303:
        raise RuntimeError(f"making a patient sheet on A answered {status}")
    _, _, detail = staff.get(urllib.parse.urlsplit(headers["Location"]).path)
    return re.search(r"/p/([A-Za-z0-9_-]+)", detail).group(1), note


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    arguments = parser.parse_args()
    print_machine()
    started = time.monotonic()
    with pgcluster.postgres_cluster() as server, \
            tempfile.TemporaryDirectory(prefix="kiosk-two-servers-") as folder:
        results = two_servers(server, Path(folder), arguments.workers)
    passed = all(results)
    print(f"{sum(results)} of {len(results)} checks passed in "
          f"{time.monotonic() - started:.1f} s: {'PASS' if passed else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
