"""Soak: one screen in Chromium for 2,000 slide swaps at a short dwell; does anything grow?

Run: .venv/bin/python bench/soak.py [--swaps 2000] [--dwell-ms 150]

gunicorn (production settings) serves a seeded throwaway instance with the test-only sub-second
dwell (bench/soak_wsgi.py); one screen runs in Chromium at 1920 x 1080. After 20 swaps and again
at the end, on the same slide, paused, after a full garbage collection, the script measures the
JS heap, DOM nodes, event listeners, elements and animations (Chrome DevTools Protocol), and
the gunicorn workers' RSS. Console errors and failed requests are counted all along. Bounded:
gives up after --minutes (30). Prints the numbers and PASS when there were no errors, no failed
requests and heap and DOM nodes are within 10% of the start.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.serving import (  # noqa: E402
    Gunicorn,
    free_port,
    instance_environ,
    launch_chromium,
    prepare,
    print_machine,
)

SCREEN = "/display/waiting-room"
COUNT_SWAPS = """() => {
  window.kioskSwaps = 0;
  document.body.addEventListener('htmx:afterSwap', event => {
    if (event.target.classList.contains('slide')) window.kioskSwaps += 1;
  });
}"""
ON_CONTACT_AFTER = """n => window.kioskSwaps >= n
  && document.querySelector('#loop .slide').dataset.slide === 'contact'"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--swaps", type=int, default=2000)
    parser.add_argument("--dwell-ms", type=int, default=150)
    parser.add_argument("--minutes", type=float, default=30, help="give up after this long")
    parser.add_argument("--every", type=int, default=500, help="measure also every N swaps")
    arguments = parser.parse_args()
    print_machine()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="kiosk-soak-") as folder:
        folder = Path(folder)
        environ = instance_environ(folder) | {"SOAK_DWELL_MS": str(arguments.dwell_ms)}
        prepare(environ)
        server = Gunicorn(environ, free_port(), folder / "gunicorn.log",
                          app="bench.soak_wsgi:app").start()
        try:
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright, folder / "home")
                print(f"Chromium {browser.version}; gunicorn {len(server.workers())} workers "
                      f"on {server.url}; dwell {arguments.dwell_ms} ms; {arguments.swaps} swaps")
                try:
                    return soak(browser, server, arguments)
                finally:
                    browser.close()
        finally:
            server.stop()


def soak(browser, server: Gunicorn, arguments) -> int:
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    errors, failed = [], []
    context.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    context.on("weberror", lambda error: errors.append(str(error.error)))
    context.on("requestfailed", lambda r: failed.append(f"{r.url} {r.failure}"))
    context.on("response", lambda r: failed.append(f"{r.url} {r.status}")
               if r.status >= 400 else None)
    page = context.new_page()
    page.goto(server.url + SCREEN)
    page.evaluate(COUNT_SWAPS)
    cdp = context.new_cdp_session(page)
    cdp.send("HeapProfiler.enable")
    deadline = time.monotonic() + arguments.minutes * 60
    started = time.monotonic()

    def measure_after(swaps: int) -> dict:
        # Wait in steps, printing progress; measure on the same slide each time.
        while True:
            left = (deadline - time.monotonic()) * 1000
            if left <= 0:
                raise TimeoutError(f"not {swaps} swaps within {arguments.minutes} minutes")
            try:
                page.wait_for_function(ON_CONTACT_AFTER, arg=swaps, timeout=min(left, 60_000))
                break
            except Exception as error:  # a timeout of one step: report and go on waiting
                if "Timeout" not in str(error):
                    raise
                print(f"  ... {page.evaluate('window.kioskSwaps')} swaps after "
                      f"{time.monotonic() - started:.0f} s", flush=True)
        page.get_by_role("button", name="Pause").click()
        counters = []
        for _ in range(3):  # detached nodes go at a full collection, which may take more than one
            cdp.send("HeapProfiler.collectGarbage")
            counters.append(cdp.send("Memory.getDOMCounters"))
        sample = {
            "swaps": page.evaluate("window.kioskSwaps"),
            "seconds": round(time.monotonic() - started),
            "heap_bytes": cdp.send("Runtime.getHeapUsage")["usedSize"],
            "dom_nodes": min(c["nodes"] for c in counters),
            "listeners": min(c["jsEventListeners"] for c in counters),
            "elements": page.evaluate("document.getElementsByTagName('*').length"),
            "animations": page.evaluate("document.getAnimations().length"),
            "worker_rss_mb": [round(mb) for mb in server.worker_rss_mb()],
            "console_errors": len(errors),
            "failed_requests": len(failed),
        }
        page.get_by_role("button", name="Play").click()
        print(f"after {sample['swaps']:5d} swaps: {sample}", flush=True)
        return sample

    start = measure_after(20)
    for swaps in range(arguments.every, arguments.swaps, arguments.every):
        measure_after(swaps)
    end = measure_after(arguments.swaps)
    context.close()
    growth = {name: end[name] / start[name] - 1 for name in ("heap_bytes", "dom_nodes")}
    print(f"heap: {start['heap_bytes']} -> {end['heap_bytes']} bytes ({growth['heap_bytes']:+.1%})"
          f"; DOM nodes: {start['dom_nodes']} -> {end['dom_nodes']} "
          f"({growth['dom_nodes']:+.1%}); listeners {start['listeners']} -> {end['listeners']}")
    print(f"console errors: {len(errors)}; failed requests: {len(failed)}; "
          f"{end['swaps'] - start['swaps']} swaps in {end['seconds'] - start['seconds']} s")
    for problem in (errors + failed)[:5]:
        print(f"  PROBLEM: {problem}")
    passed = not errors and not failed and all(g <= 0.10 for g in growth.values())
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
