"""Fault (a): gunicorn, master and workers, killed with SIGKILL under a screen, then restarted.

Run: .venv/bin/python bench/fault_server_kill.py [--down 60] [--dwell 2] [--no-service-worker]

One screen in Chromium on a short dwell; after a few slides, SIGKILL to gunicorn's whole process
group; 60 s later gunicorn starts again on the same port. Every 0.5 s the script looks at the
screen: it must show a slide with its words (never an empty area, never an error page), show
the offline badge while the server is down, keep changing slides, and come back by itself
(badge gone, a slide fetched live) within one dwell plus the retry backoff (display.js retries
at least twice a slide: every dwell/2 s, 1 s at least). Prints the timeline and PASS or FAIL.
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
# What Chromium and htmx log when a request cannot reach the server: expected while it is down.
NETWORK_TROUBLE = ("Failed to load resource", "net::ERR_", "htmx:sendError", "htmx:afterRequest",
                   "htmx:timeout", "htmx:responseError")
LOOK = """() => {
  const slide = document.querySelector('#loop .slide');
  const badge = document.querySelector('.offline-badge');
  return {
    title: document.title,
    slide: slide ? slide.dataset.slide : null,
    words: slide ? slide.innerText.trim().length : 0,
    badge: !!badge && !badge.hidden && badge.getClientRects().length > 0,
    connection: document.body.dataset.connection || 'online',
    live: window.kioskLive,
  };
}"""
# Count slides that came from the server itself (not from the screen's memory or the service
# worker's cache, which marks its answers Kiosk-Offline).
COUNT_LIVE = """window.kioskLive = 0;
document.body.addEventListener('htmx:afterRequest', event => {
  const xhr = event.detail.xhr;
  if (event.detail.successful && event.detail.target.classList.contains('slide')
      && !xhr.getResponseHeader('Kiosk-Offline')) window.kioskLive += 1;
});"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--down", type=float, default=60, help="seconds the server stays down")
    parser.add_argument("--dwell", type=int, default=2, help="seconds per slide")
    parser.add_argument("--no-service-worker", action="store_true",
                        help="block the service worker, as on a screen reaching the server "
                        "over plain http on the LAN")
    arguments = parser.parse_args()
    print_machine()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="kiosk-fault-a-") as folder:
        folder = Path(folder)
        environ = instance_environ(folder, DWELL_SECONDS=arguments.dwell)
        prepare(environ)
        server = Gunicorn(environ, free_port(), folder / "gunicorn.log").start()
        try:
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright, folder / "home")
                try:
                    result = run(browser, server, arguments)
                finally:
                    browser.close()
        finally:
            server.stop()
    return result


def run(browser, server: Gunicorn, arguments) -> int:
    dwell, down = arguments.dwell, arguments.down
    backoff = max(1.0, dwell / 2)
    context = browser.new_context(
        viewport={"width": 1920, "height": 1080},
        service_workers="block" if arguments.no_service_worker else "allow",
    )
    script_errors, console_errors = [], []
    context.on("weberror", lambda error: script_errors.append(str(error.error)))
    context.on("console", lambda m: console_errors.append(m.text) if m.type == "error"
               and not any(t in m.text for t in NETWORK_TROUBLE) else None)
    page = context.new_page()
    page.goto(server.url + SCREEN)
    page.evaluate(COUNT_LIVE)
    page.wait_for_function("() => window.kioskLive >= 3", timeout=dwell * 1000 * 6)
    page.evaluate("window.kioskMarker = 'never reloaded'")
    print(f"screen: {SCREEN}, dwell {dwell} s, service worker "
          f"{'blocked' if arguments.no_service_worker else 'allowed'}; "
          f"server: gunicorn, {len(server.workers())} workers, on {server.url}")

    samples, bad = [], []
    killed = time.monotonic()
    server.kill()
    print(f"  0.0 s  SIGKILL to gunicorn's master and workers (pid {server.process.pid})")
    restarted = ready = None
    recovered_at = None
    deadline = killed + down + 60  # bounded: a screen that never recovers fails here
    while time.monotonic() < deadline:
        now = time.monotonic() - killed
        look = page.evaluate(LOOK)
        look["t"] = now
        samples.append(look)
        if not look["title"].endswith("stretches for back pain") or look["words"] < 20:
            bad.append(look)
        if restarted is None and now >= down:
            restarted = now
            server.spawn()
            print(f"{now:5.1f} s  gunicorn started again on the same port")
        if restarted is not None and ready is None and server.answers(timeout=0.3):
            ready = time.monotonic() - killed
            live_at_ready = look["live"]
            print(f"{ready:5.1f} s  gunicorn answers /healthz")
        if (ready is not None and recovered_at is None and not look["badge"]
                and look["connection"] == "online" and look["live"] > live_at_ready):
            recovered_at = now
            print(f"{now:5.1f} s  badge gone and a live slide shown")
        if recovered_at is not None and now > recovered_at + 5:
            break  # and a few more samples to see it stays well
        page.wait_for_timeout(500)

    offline = [s for s in samples if restarted is None or s["t"] < (ready or 1e9)]
    badge_at = next((s["t"] for s in samples if s["badge"]), None)
    while_down = [s for s in offline if s["t"] >= (badge_at or 0)]
    changes = sum(1 for a, b in zip(while_down, while_down[1:], strict=False)
                  if a["slide"] != b["slide"])
    never_reloaded = page.evaluate("window.kioskMarker") == "never reloaded"
    context.close()

    print(f"samples every 0.5 s: {len(samples)}; empty or error page: {len(bad)}")
    print(f"offline badge shown {badge_at:.1f} s after the kill" if badge_at is not None
          else "offline badge never shown")
    print(f"slide changes while the server was down: {changes} "
          f"(distinct slides {len({s['slide'] for s in while_down})})")
    within = dwell + backoff
    if recovered_at is not None:
        print(f"recovered {recovered_at - ready:.1f} s after the server answered "
              f"(bound: dwell {dwell} s + retry backoff {backoff:.0f} s = {within:.0f} s)")
    print(f"page reloaded: {'no' if never_reloaded else 'yes'}; script errors: "
          f"{len(script_errors)}; other console errors: {len(console_errors)}")
    for problem in (bad[:3] + script_errors[:3] + console_errors[:3]):
        print(f"  PROBLEM: {problem}")
    ok = (not bad and badge_at is not None and changes >= down / dwell / 2
          and recovered_at is not None and recovered_at - ready <= within
          and never_reloaded and not script_errors and not console_errors)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
