"""Many PDFs at once: do screens and sheet pages stay quick while they are made?

Run: .venv/bin/python bench/pdf_renders.py [--pdfs 8] [--workers 4]

Starts gunicorn with the production settings (gunicorn.conf.py) on a seeded throwaway instance
with --pdfs patient sheets, each with a note of its own (so no PDF is the cached copy of
another). Times /healthz and a routine's sheet page alone, then again while all the PDFs are
asked for at once, each on a connection of its own. Prints each PDF's status and time, and
the median, 95th percentile and slowest of /healthz and of the sheet page, alone and during
the PDFs. Only 127.0.0.1 is ever sent a request; every wait is bounded.
"""

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.serving import (  # noqa: E402
    BIN,
    ROOT,
    Gunicorn,
    free_port,
    instance_environ,
    prepare,
    print_machine,
    request,
)

ROUTINE = "back-pain-stretches"
PROBES = {"/healthz": "healthz", f"/s/{ROUTINE}": "sheet page"}


def make_sheets(environ: dict, count: int) -> list[str]:
    """`count` patient sheets with notes of their own; their paths (/p/<token>)."""
    paths = []
    for n in range(count):
        made = subprocess.run(
            [str(BIN / "flask"), "--app", "kiosk", "make-sheet", "--routine", ROUTINE,
             "--note", f"Sheet {n + 1}: twice a day, gently."],
            cwd=ROOT, env=environ, check=True, capture_output=True, text=True)
        paths.append(re.search(r"/p/[\w-]+", made.stdout).group(0))
    return paths


def timed(url: str) -> tuple[int, float]:
    started = time.perf_counter()
    status, _, _ = request(url, timeout=60)
    return status, (time.perf_counter() - started) * 1000


def probe(base: str, until: threading.Event, found: dict):
    """Ask for /healthz and the sheet page in turn, every 50 ms, until told to stop."""
    while not until.is_set():
        for path in PROBES:
            status, ms = timed(base + path)
            found.setdefault(path, []).append(ms if status == 200 else float("inf"))
        time.sleep(0.05)


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return (f"median {statistics.median(ordered):.0f} ms, p95 {p95:.0f} ms, "
            f"slowest {ordered[-1]:.0f} ms ({len(ordered)} requests)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pdfs", type=int, default=8, help="PDFs asked for at once")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers")
    args = parser.parse_args()
    print_machine()
    with tempfile.TemporaryDirectory(prefix="kiosk-pdfs-") as folder:
        folder = Path(folder)
        environ = instance_environ(folder)
        prepare(environ)
        sheets = make_sheets(environ, args.pdfs)
        server = Gunicorn(environ, free_port(), folder / "gunicorn.log",
                          workers=args.workers).start()
        try:
            for _ in range(20):  # every worker has shown both pages before anything is timed
                for path in PROBES:
                    request(server.url + path)
            alone: dict[str, list[float]] = {}
            done = threading.Event()
            timer = threading.Timer(3, done.set)
            timer.start()
            probe(server.url, done, alone)
            print(f"gunicorn workers: {len(server.workers())}; {args.pdfs} patient-sheet PDFs "
                  "asked for at once, each of different content\n")
            for path, name in PROBES.items():
                print(f"{name}, alone: {summary(alone[path])}")

            during: dict[str, list[float]] = {}
            done = threading.Event()
            prober = threading.Thread(target=probe, args=(server.url, done, during))
            results: list[tuple[int, float]] = [(0, 0.0)] * len(sheets)

            def fetch(index: int, path: str):
                results[index] = timed(f"{server.url}{path}.pdf")

            fetchers = [threading.Thread(target=fetch, args=(n, path))
                        for n, path in enumerate(sheets)]
            started = time.perf_counter()
            prober.start()
            for fetcher in fetchers:
                fetcher.start()
            for fetcher in fetchers:
                fetcher.join(120)
            took = time.perf_counter() - started
            done.set()
            prober.join(60)
            print(f"\nPDFs: all answered in {took:.1f} s")
            for status in sorted({status for status, _ in results}):
                times = sorted(ms for s, ms in results if s == status)
                print(f"  {status}: {len(times)}, in " + ", ".join(f"{ms / 1000:.1f}"
                                                             for ms in times) + " s")
            for path, name in PROBES.items():
                print(f"{name}, during the PDFs: {summary(during[path])}")
            print(f"\nhealthz still answers: {server.answers()}")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
