"""Soak: one screen in Chromium for 2,000 slide swaps at a short dwell; does anything grow?

Run: .venv/bin/python bench/soak.py [--swaps 2000] [--warm-up 1000] [--dwell-ms 150]

gunicorn (production settings) serves a seeded throwaway instance with the test-only sub-second
dwell (bench/soak_wsgi.py); one screen runs in Chromium at 1920 x 1080. The screen first runs
--warm-up swaps, long enough for V8 to finish compiling the loop's functions (its compiled code
grows for about 1,000 swaps, then stops: the first sample, after 20 swaps, shows how much);
then --swaps more are measured. At each sample, on the same slide, paused, after a full garbage
collection, the script measures the JS heap (and how much of it is compiled code), DOM nodes,
event listeners, elements and animations (Chrome DevTools Protocol), and the gunicorn workers'
RSS. Console errors and failed requests are counted all along, warm-up included. Bounded: gives
up after --minutes (30). Prints the numbers and PASS when there were no errors, no failed
requests, and the JS heap and DOM nodes at the end are within 10% of the start (after the
warm-up).
"""

import argparse
import json
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
# Resolves once the loop has swapped in the contact slide (after `swaps` swaps), pausing it
# there: each measurement is on the same slide, with the page holding the same things.
PAUSE_ON_CONTACT = """new Promise(resolve => {
  const pause = () => {
    document.querySelector('[data-action="pause"]').click();
    resolve(window.kioskSwaps);
  };
  const onSwap = () => {
    if (document.querySelector('#loop .slide').dataset.slide === 'contact') {
      document.body.removeEventListener('htmx:afterSwap', onSwap);
      pause();
    }
  };
  document.body.addEventListener('htmx:afterSwap', onSwap);
})"""
PLAY = "document.querySelector('[data-action=\"pause\"]').click()"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--swaps", type=int, default=2000, help="swaps measured")
    parser.add_argument("--warm-up", type=int, default=1000, help="swaps before the start")
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
                      f"on {server.url}; dwell {arguments.dwell_ms} ms; "
                      f"{arguments.warm_up} swaps of warm-up, then {arguments.swaps} measured")
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

    def evaluate(expression: str, wait: bool = False):
        """In the page's own world, over DevTools: Playwright injects nothing that could grow."""
        answer = cdp.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                               "awaitPromise": wait})
        return answer["result"].get("value")

    def measure_after(swaps: int) -> dict:
        reported = time.monotonic()
        while evaluate("window.kioskSwaps") < swaps:
            if time.monotonic() > deadline:
                raise TimeoutError(f"not {swaps} swaps within {arguments.minutes} minutes")
            if time.monotonic() - reported > 60:
                reported = time.monotonic()
                print(f"  ... {evaluate('window.kioskSwaps')} swaps after "
                      f"{time.monotonic() - started:.0f} s", flush=True)
            time.sleep(1)
        evaluate(PAUSE_ON_CONTACT, wait=True)
        counters = []
        for _ in range(3):  # detached nodes go at a full collection, which may take more than one
            cdp.send("HeapProfiler.collectGarbage")
            counters.append(cdp.send("Memory.getDOMCounters"))
        code, objects = heap_by_kind(cdp)
        sample = {
            "swaps": evaluate("window.kioskSwaps"),
            "seconds": round(time.monotonic() - started),
            "heap_bytes": cdp.send("Runtime.getHeapUsage")["usedSize"],
            "heap_code_bytes": code,
            "heap_objects_bytes": objects,
            "dom_nodes": min(c["nodes"] for c in counters),
            "listeners": min(c["jsEventListeners"] for c in counters),
            "elements": evaluate("document.getElementsByTagName('*').length"),
            "animations": evaluate("document.getAnimations().length"),
            "worker_rss_mb": [round(mb) for mb in server.worker_rss_mb()],
            "console_errors": len(errors),
            "failed_requests": len(failed),
        }
        evaluate(PLAY)
        print(f"after {sample['swaps']:5d} swaps: {sample}", flush=True)
        return sample

    first = measure_after(20)
    start = measure_after(max(arguments.warm_up, 20))
    last = start["swaps"] + arguments.swaps
    for swaps in range(start["swaps"] + arguments.every, last, arguments.every):
        measure_after(swaps)
    end = measure_after(last)
    context.close()
    names = ("heap_bytes", "heap_code_bytes", "heap_objects_bytes", "dom_nodes")
    labels = ("JS heap (V8 used size)", "  of it compiled code (V8's JIT)",
              "  of it everything else: the page's objects", "DOM nodes")
    growth = {name: end[name] / start[name] - 1 for name in names}
    print(f"from {start['swaps']} swaps (after the warm-up) to {end['swaps']}:")
    for name, label in zip(names, labels, strict=True):
        print(f"  {label}: {start[name]} -> {end[name]} ({growth[name]:+.1%})")
    print(f"  event listeners: {start['listeners']} -> {end['listeners']}")
    print(f"during the warm-up, from {first['swaps']} swaps to {start['swaps']}:")
    for name, label in zip(names, labels, strict=True):
        print(f"  {label}: {first[name]} -> {start[name]} ({start[name] / first[name] - 1:+.1%})")
    measured = end["seconds"] - start["seconds"]
    print(f"console errors: {len(errors)}; failed requests: {len(failed)} (warm-up included); "
          f"{end['swaps'] - start['swaps']} swaps measured in {measured} s")
    for problem in (errors + failed)[:5]:
        print(f"  PROBLEM: {problem}")
    passed = (not errors and not failed and growth["heap_bytes"] <= 0.10
              and growth["dom_nodes"] <= 0.10)
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


def heap_by_kind(cdp) -> tuple[int, int]:
    """The V8 heap in a snapshot: (compiled code, everything else), in bytes. Blink's own
    objects (DevTools' record of each request among them) are left out, as getHeapUsage does."""
    chunks = []

    def take(event):
        chunks.append(event["chunk"])

    cdp.on("HeapProfiler.addHeapSnapshotChunk", take)
    try:
        cdp.send("HeapProfiler.takeHeapSnapshot", {"reportProgress": False})
    finally:
        cdp.remove_listener("HeapProfiler.addHeapSnapshotChunk", take)
    snapshot = json.loads("".join(chunks))
    fields = snapshot["snapshot"]["meta"]["node_fields"]
    kinds = snapshot["snapshot"]["meta"]["node_types"][0]
    width, kind_at, size_at = len(fields), fields.index("type"), fields.index("self_size")
    nodes = snapshot["nodes"]
    sizes = {}
    for start in range(0, len(nodes), width):
        kind = kinds[nodes[start + kind_at]]
        sizes[kind] = sizes.get(kind, 0) + nodes[start + size_at]
    code = sizes.get("code", 0)
    objects = sum(size for kind, size in sizes.items()
                  if kind not in ("code", "native", "synthetic"))
    return code, objects


if __name__ == "__main__":
    sys.exit(main())
