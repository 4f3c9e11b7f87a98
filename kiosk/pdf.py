"""Sheets as PDF: the same template as the page, laid out on A4 by WeasyPrint, offline.

A PDF takes about a second of CPU, more on a Pi, so few are made at once, and the rest wait
their turn; screens and sheet pages never wait behind them:

- on the whole machine, at most KIOSK_PDF_RENDERS at once (default: half the CPUs), whichever
  worker process they are in: each holds a render slot, a file lock (flock) on one of that
  many files in the instance folder, released by the kernel even if the process dies;
- in one worker process, at most PER_PROCESS PDF requests, waiting or rendering, so that of
  gunicorn's 4 threads a worker (gunicorn.conf.py) at least 2 stay free for everything else.

A request that finds its worker's PDF requests all taken, or waits WAIT_SECONDS for a slot,
gets a 503 that says to try again in a few seconds (Busy). The same HTML again is answered from
a small cache without a slot.
"""

import errno
import fcntl
import hashlib
import mimetypes
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError
from werkzeug.exceptions import ServiceUnavailable

from kiosk.web import lru

CACHE_SIZE = 32
PER_PROCESS = 2
WAIT_SECONDS = 30
POLL_SECONDS = 0.05
RETRY_AFTER_SECONDS = 5

_in_this_process = threading.BoundedSemaphore(PER_PROCESS)
# When the instance folder cannot hold the slot files (a disk gone read-only before they were
# made), each process keeps to the limit on its own: fewer PDFs than none at all.
_local_slots: dict[int, threading.BoundedSemaphore] = {}
_local_slots_lock = threading.Lock()


class Busy(ServiceUnavailable):
    """Every PDF slot stayed taken: try again in a few seconds."""

    retry_after_seconds = RETRY_AFTER_SECONDS

    def __init__(self):
        super().__init__("Several sheets are being made into PDFs right now, so this one could "
                         "not start. Nothing is wrong with it: try again in a few seconds.")


class StaticOnlyFetcher(URLFetcher):
    """Serve the app's own static files from disk, and the stylesheets it makes (`made`, CSS
    by path); refuse everything else (no network, ever)."""

    def __init__(self, static_folder: str, made: dict[str, str] | None = None):
        super().__init__()
        self.static_folder = Path(static_folder).resolve()
        self.made = made or {}

    def fetch(self, url, headers=None):
        path = urlsplit(url).path
        if path in self.made:
            return URLFetcherResponse(url, self.made[path].encode(), {"Content-Type": "text/css"})
        if path.startswith("/static/"):
            file = (self.static_folder / path.removeprefix("/static/")).resolve()
            if file.is_relative_to(self.static_folder) and file.is_file():
                kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, file.read_bytes(), {"Content-Type": kind})
        raise URLFetchingError(f"not fetched for a PDF: {url}")


def render_pdf(html: str, base_url: str, made: dict[str, str] | None = None) -> bytes:
    """The PDF of `html`, `made` the stylesheets it links that the app makes (CSS by path,
    linked by fingerprinted URLs, so that the HTML names their version); the same HTML again
    gives the cached bytes. Raises Busy."""
    key = hashlib.sha256(html.encode()).hexdigest()
    pdf = _pdfs().get(key)
    if pdf is not None:
        return pdf
    if not _in_this_process.acquire(blocking=False):
        raise Busy()
    try:
        with render_slot():
            pdf = _pdfs().get(key)  # made by another request while this one waited
            if pdf is None:
                fetcher = StaticOnlyFetcher(current_app.static_folder, made)
                pdf = HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()
                _pdfs().set(key, pdf)
    finally:
        _in_this_process.release()
    return pdf


def _pdfs() -> lru.LRU:
    return lru.of_app("kiosk.pdfs", CACHE_SIZE)


@contextmanager
def render_slot():
    """Hold one of the machine's render slots; wait up to WAIT_SECONDS, then raise Busy."""
    slots = current_app.config["PDF_RENDERS"]
    try:
        paths = slot_files(Path(current_app.instance_path) / "pdf-renders", slots)
    except OSError as error:
        if not _local_slots:
            current_app.logger.warning("PDF render slots kept per process: %s", error)
        with _local_slot(slots):
            yield
        return
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        for path in paths:
            held = _try_lock(path)
            if held is not None:
                try:
                    yield
                finally:
                    os.close(held)  # closing the file releases its lock
                return
        if time.monotonic() >= deadline:
            raise Busy()
        time.sleep(POLL_SECONDS)


def slot_files(folder: Path, slots: int) -> list[Path]:
    """The slot files, made on first use."""
    paths = [folder / f"slot-{n}.lock" for n in range(slots)]
    for path in paths:
        if not path.exists():
            folder.mkdir(parents=True, exist_ok=True)
            path.touch(mode=0o600, exist_ok=True)
    return paths


def _try_lock(path: Path) -> int | None:
    """An open descriptor holding the file's lock, or None if another holds it."""
    # Read-only is enough for flock, and still works once the disk has gone read-only.
    descriptor = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        os.close(descriptor)
        if error.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
            return None
        raise
    return descriptor


@contextmanager
def _local_slot(slots: int):
    with _local_slots_lock:
        semaphore = _local_slots.setdefault(slots, threading.BoundedSemaphore(slots))
    if not semaphore.acquire(timeout=WAIT_SECONDS):
        raise Busy()
    try:
        yield
    finally:
        semaphore.release()
