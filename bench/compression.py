"""Bytes sent and time per request: the app's own gzip against Flask-Compress (brotli, zstd).

Run: .venv/bin/python bench/compression.py [--before a309d11] [--rounds 31] [--requests 50]

One process, one seeded throwaway instance, three apps on it, alike but for the after-request
hook that compresses:

- before: the compression module at --before (read with `git show`; kiosk/compression.py before
  the web plumbing moved to kiosk/web/), its cache unlocked;
- gzip: this checkout's kiosk/web/compression.py (gzip, its cache a locked kiosk.web.lru.LRU);
- Flask-Compress: the candidate set up as the app would use it (flask_compress_hook below):
  brotli 5 first, zstd, gzip; an answer with an ETag compressed once per encoding and kept in
  an LRU by ETag and path; static files read whole so they are kept too.

Each is asked, with a WSGI call made straight as gunicorn makes it, for

- the slide a screen polls (htmx, the neck stretch: the heaviest kind, a drawing and steps),
  fresh (200) and unchanged (If-None-Match with the ETag that app gave: a 304);
- the routine's phone sheet /s/back-pain-stretches (made per request, no ETag);
- htmx.min.js, a static file (every screen and phone loads it once).

Bytes are exact: what each Accept-Encoding brings back, and what each level of each encoding
makes of the slide and the sheet (with the time it takes: a sheet is compressed per request).
Times are the median per request of --rounds rounds of --requests requests, the apps taking
turns (their order turned each round), asked as Chromium asks ("gzip, deflate, br, zstd");
the ratios are the figures to compare.
"""

import argparse
import gzip
import os
import statistics
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

import brotli
from backports import zstd
from flask import g, request
from flask_compress import Compress
from werkzeug.test import EnvironBuilder

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["KIOSK_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="kiosk-bench-")
os.environ.setdefault("KIOSK_PUBLIC_URL", "http://192.168.1.20:8000")

from kiosk import create_app  # noqa: E402
from kiosk.content import load_article  # noqa: E402
from kiosk.content.seed import seed  # noqa: E402
from kiosk.db import get_session, migrate  # noqa: E402
from kiosk.web import compression  # noqa: E402
from kiosk.web.lru import LRU  # noqa: E402

CHROMIUM = "gzip, deflate, br, zstd"
SLIDE = "/display/waiting-room/slides/stretch/neck-stretch"
TARGETS = {  # name: (path, headers)
    "slide": (SLIDE, {"HX-Request": "true"}),
    "sheet": ("/s/back-pain-stretches", {}),
    "htmx.min.js": ("/static/vendor/htmx.min.js", {}),
}
CANDIDATE = {
    "COMPRESS_REGISTER": False,  # the hook below decides what goes to Flask-Compress
    "COMPRESS_MIMETYPES": sorted(compression.COMPRESSIBLE),
    "COMPRESS_MIN_SIZE": compression.SMALLEST,
    "COMPRESS_ALGORITHM": ["br", "zstd", "gzip"],  # brotli first: the smallest here
    # Brotli 5: the slide 11% and the sheet 29% below gzip's bytes, in gzip's time; 6 and up
    # cost more for 1-2% (11 takes 270 ms on the sheet).
    "COMPRESS_BR_LEVEL": 5,
    "COMPRESS_ZSTD_LEVEL": 6,
    "COMPRESS_STREAMS": False,  # static files are read whole, so that they are kept
}


def before_hook(revision: str):
    """The compress() after-request hook of the compression module at `revision`."""
    for path in ("kiosk/web/compression.py", "kiosk/compression.py"):  # it moved to kiosk/web/
        shown = subprocess.run(["git", "show", f"{revision}:{path}"], cwd=ROOT,
                               capture_output=True, text=True)
        if shown.returncode == 0:
            break
    else:
        sys.exit(f"no compression module at {revision}")
    module = types.ModuleType(f"compression_at_{revision}")
    exec(compile(shown.stdout, f"{revision}:{path}", "exec"), module.__dict__)  # noqa: S102
    return module.compress


def flask_compress_hook(app):
    """Flask-Compress as the app would use it, in place of kiosk.web.compression.compress."""
    app.config.update(CANDIDATE)
    per_request, kept = Compress(app), Compress(app)
    kept.cache, kept.cache_key = LRU(compression.CACHE_SIZE), lambda _: g.compressed_key

    def compress(response):
        # Only a whole 200 (not a 206 of a file), as kiosk.web.compression does.
        if response.status_code != 200 or response.mimetype not in compression.COMPRESSIBLE:
            return response
        if response.is_streamed:  # a static file: read (and closed), so it can be kept
            response.direct_passthrough = False
            response.get_data()
        etag, weak = response.get_etag()
        if etag and not weak:
            g.compressed_key = f"{etag}:{request.path}"
            return kept.after_request(response)
        return per_request.after_request(response)

    return compress


def apps(revision: str) -> dict:
    """The three apps, by name, each with its own compression hook."""
    made = {}
    for name in (f"before ({revision})", "gzip", "Flask-Compress"):
        app = made[name] = create_app()
        hooks = app.after_request_funcs[None]
        if name == "gzip":
            with app.app_context():
                migrate()
                seed(get_session(), load_article())
        elif name == "Flask-Compress":
            hooks[hooks.index(compression.compress)] = flask_compress_hook(app)
        else:
            hooks[hooks.index(compression.compress)] = before_hook(revision)
    return made


def call(app, name: str, encoding: str, etag: str | None = None):
    """Status, headers and body of one request, made as gunicorn makes it."""
    path, headers = TARGETS[name]
    headers = {**headers, "Accept-Encoding": encoding} | ({"If-None-Match": etag} if etag else {})
    return app.test_client().get(path, headers=headers)


def sizes(apps_: dict) -> list[str]:
    rows = ["| what | identity | gzip | brotli 5 | zstd 6 |", "|---|---|---|---|---|"]
    for name in TARGETS:
        sent = {}
        for encoding, app in (("identity", "gzip"), ("gzip", "gzip"),
                              ("br", "Flask-Compress"), ("zstd", "Flask-Compress")):
            with call(apps_[app], name, encoding) as response:
                assert response.status_code == 200, (name, encoding, response.status_code)
                assert response.headers.get("Content-Encoding", "identity") == encoding
                sent[encoding] = len(response.get_data())
        plain = sent.pop("identity")
        cells = [f"{plain:,}"] + [f"{size:,} ({plain / size:.1f}x)" for size in sent.values()]
        rows.append(f"| {name} | {' | '.join(cells)} |")
    return rows


LEVELS = {
    "gzip 6": lambda body: gzip.compress(body, 6),
    "brotli 4": lambda body: brotli.compress(body, quality=4),
    "brotli 5": lambda body: brotli.compress(body, quality=5),
    "brotli 6": lambda body: brotli.compress(body, quality=6),
    "brotli 11": lambda body: brotli.compress(body, quality=11),
    "zstd 3": lambda body: zstd.compress(body, 3),
    "zstd 6": lambda body: zstd.compress(body, 6),
}


def levels(apps_: dict, times: int = 5) -> list[str]:
    """Bytes and milliseconds to compress the slide and the sheet, by encoding and level."""
    bodies = {}
    for name in ("slide", "sheet"):
        with call(apps_["gzip"], name, "identity") as response:
            bodies[name] = response.get_data()
    rows = ["| encoding, level | " + " | ".join(bodies) + " |", "|---|---|---|"]
    for level, compress in LEVELS.items():
        cells = []
        for body in bodies.values():
            taken = []
            for _ in range(times):
                start = time.perf_counter()
                size = len(compress(body))
                taken.append(time.perf_counter() - start)
            cells.append(f"{size:,} bytes, {statistics.median(taken) * 1000:.2f} ms")
        rows.append(f"| {level} | {' | '.join(cells)} |")
    return rows


def per_request(app, name: str, etag: str | None, requests: int) -> float:
    """Seconds per request in the app: a WSGI call made straight, as gunicorn makes it."""
    path, headers = TARGETS[name]
    headers = {**headers, "Accept-Encoding": CHROMIUM} | ({"If-None-Match": etag} if etag else {})
    environ = EnvironBuilder(path=path, headers=headers).get_environ()
    statuses = []

    def start_response(status, _headers, _exc_info=None):
        statuses.append(status)

    start = time.perf_counter()
    for _ in range(requests):
        body = app(dict(environ), start_response)
        b"".join(body)
        if hasattr(body, "close"):  # a file's wrapper, or the app's teardown
            body.close()
    taken = (time.perf_counter() - start) / requests
    expected = "304 NOT MODIFIED" if etag else "200 OK"
    assert set(statuses) == {expected}, (name, set(statuses))
    return taken


def times(apps_: dict, rounds: int, requests: int) -> list[str]:
    names = list(apps_)
    cases = [(target, False) for target in TARGETS] + [("slide", True)]
    taken = {(case, name): [] for case in cases for name in names}
    etags = {}
    for name, app in apps_.items():
        with call(app, "slide", CHROMIUM) as response:
            etags[name] = response.headers["ETag"]
    for round_ in range(rounds):
        order = names[round_ % len(names):] + names[:round_ % len(names)]
        for case in cases:
            target, unchanged = case
            for name in order:
                etag = etags[name] if unchanged else None
                taken[case, name].append(per_request(apps_[name], target, etag, requests))
    before, gzip, candidate = names
    rows = [f"| request (as Chromium asks) | {before} | {gzip} | {candidate} "
            f"| {gzip} / before | {candidate} / {gzip} |", "|---|---|---|---|---|---|"]
    for case in cases:
        target, unchanged = case
        median = {name: statistics.median(taken[case, name]) for name in names}
        label = f"{target}, unchanged (304)" if unchanged else target
        cells = [f"{median[name] * 1e6:,.0f} µs" for name in names]
        rows.append(f"| {label} | {' | '.join(cells)} | {median[gzip] / median[before]:.2f} "
                    f"| {median[candidate] / median[gzip]:.2f} |")
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="a309d11", help="a commit with the unlocked cache")
    parser.add_argument("--rounds", type=int, default=31)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    made = apps(args.before)
    print("Bytes sent (gzip: the app's own hook; brotli and zstd: Flask-Compress):\n")
    print("\n".join(sizes(made)))
    print("\nCompressing the slide and the sheet, by level (median of 5):\n")
    print("\n".join(levels(made)))
    print(f"\nTime per request in the app, median of {args.rounds} rounds of {args.requests}:\n")
    print("\n".join(times(made, args.rounds, args.requests)))


if __name__ == "__main__":
    main()
