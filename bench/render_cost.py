"""Render cost of the screen: Chromium's main-thread busy share, against a compositor-only page.

Run: .venv/bin/python bench/render_cost.py [--before b51cf6f] [--seconds 20] [--rounds 2]

For each version of the app (this checkout, and with --before a commit or a folder holding an
older checkout), gunicorn with the production settings serves a seeded throwaway instance with a
short dwell (KIOSK_DWELL_SECONDS, 3 s), so that the loop passes through the stretch slides and
their animated demonstrations. Debian's Chromium opens, at 1920 x 1080, each of:

- reference: a page this script writes, one element turning and fading with a CSS animation of
  transform and opacity only, which the compositor runs without the main thread;
- screen: the waiting-room screen /display/waiting-room, its loop playing;
- stretch: a stretch opened from browse (/display/waiting-room/stretches/<--stretch>), its
  drawing playing beside the steps (which, since issue 13, are marked as it plays).

Each page is loaded, left --settle seconds, then measured over --seconds with the Chrome
DevTools Protocol's Performance.getMetrics: the main thread's busy share is the growth of
TaskDuration over the wall time; the growth of ScriptDuration, LayoutDuration and
RecalcStyleDuration says where it went; ProcessTime is the renderer's CPU time on all its
threads (the compositor and software raster among them: Chromium runs without a GPU here).
Everything is measured at normal CPU and with Emulation.setCPUThrottlingRate 4, a stand-in for
a Raspberry Pi. The versions take turns, page by page (their order reversed each round), so
the machine's noise falls on both; the ratio to the reference at the same CPU is the figure to
compare. Only 127.0.0.1 is ever sent a request.
"""

import argparse
import functools
import http.server
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
    launch_chromium,
    print_machine,
    request,
)

SCREEN = "/display/waiting-room"
RATES = (1, 4)
# transform and opacity only, on one element: the compositor animates it on its own thread.
REFERENCE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Reference: one compositor animation</title>
<style>
  body { margin: 0; height: 100vh; display: grid; place-items: center; background: #f6f4ef; }
  .turning { width: 400px; height: 400px; border-radius: 40px; background: #2a6f97;
             animation: turn 4s linear infinite; }
  @keyframes turn {
    from { transform: rotate(0deg) scale(1); opacity: 1; }
    50% { transform: rotate(180deg) scale(0.8); opacity: 0.6; }
    to { transform: rotate(360deg) scale(1); opacity: 1; }
  }
</style></head>
<body><div class="turning"></div></body></html>
"""
# The slides the loop swaps in while measured, by their data-slide (the screen only).
COUNT_SLIDES = """(() => {
  window.kioskSlides = [];
  document.body.addEventListener('htmx:afterSwap', event => {
    const slide = document.querySelector('#loop .slide');
    if (event.target.classList.contains('slide') && slide) {
      window.kioskSlides.push(slide.dataset.slide);
    }
  });
})()"""
METRICS = ("TaskDuration", "ThreadTime", "ProcessTime", "ScriptDuration", "LayoutDuration",
           "RecalcStyleDuration", "LayoutCount", "RecalcStyleCount")


class Version:
    """One checkout of the app, served by its own gunicorn on its own throwaway instance."""

    def __init__(self, label: str, root: Path, folder: Path, dwell: int):
        self.label, self.root = label, root
        # Every import of `kiosk` from this checkout, the one gunicorn.conf.py makes first too
        # (the editable install points at /work/main's).
        self.environ = instance_environ(folder, DWELL_SECONDS=dwell, IDLE_SECONDS=3600) | {
            "PYTHONPATH": str(root)}
        self.log = folder / "gunicorn.log"
        self.server = None

    def start(self):
        flask = [str(BIN / "flask"), "--app", "kiosk"]
        for command in (["migrate"], ["seed"]):
            subprocess.run(flask + command, cwd=self.root, env=self.environ, check=True,
                           capture_output=True)
        self.server = CheckoutGunicorn(self.root, self.environ, free_port(), self.log).start()
        return self

    def stop(self):
        if self.server:
            self.server.stop()

    def describe(self) -> str:
        commit = git(self.root, "log", "-1", "--format=%h %ad", "--date=short")
        # Proof of which code answers: the step marks came with issue 13.
        marks = "js/steps.js" in request(self.server.url + SCREEN)[2].decode()
        changed = git(self.root, "status", "--porcelain", "--untracked-files=no", "--",
                      "kiosk", "static", "templates")
        return (f"{self.label}: {self.root} at {commit}"
                + (f", with {len(changed.splitlines())} files changed and not committed"
                   if changed else "")
                + f"; the screen {'marks' if marks else 'does not mark'} the steps")


class CheckoutGunicorn(Gunicorn):
    """gunicorn run from `root`, another checkout of the app, with that checkout's production
    settings (the same workers and threads as this one's; this one's hooks may call code the
    other does not have, such as the set-up link)."""

    def __init__(self, root: Path, *arguments):
        super().__init__(*arguments)
        self.root = root

    def command(self) -> list[str]:
        command = super().command()
        if (self.root / "gunicorn.conf.py").exists() and "--config" in command:
            command[command.index("--config") + 1] = str(self.root / "gunicorn.conf.py")
        # gunicorn puts the folder it starts in first on sys.path: start it in `root` (env
        # changes folder and becomes gunicorn, so the process and its group stay gunicorn's).
        return ["env", f"--chdir={self.root}", *command]


def git(root: Path, *arguments: str) -> str:
    return subprocess.run(["git", "-C", str(root), *arguments], capture_output=True, text=True,
                          check=True).stdout.strip()


def checkout(before: str, folder: Path) -> tuple[Path, bool]:
    """The folder holding `before`: itself if it is one, else a new worktree of that commit."""
    if Path(before).is_dir():
        return Path(before), False
    tree = folder / "before"
    git(ROOT, "worktree", "add", "--detach", str(tree), before)
    # Built, never committed (see the Makefile's vendor target): share this checkout's.
    (tree / "static" / "vendor").symlink_to(ROOT / "static" / "vendor")
    return tree, True


def serve_reference(folder: Path) -> http.server.ThreadingHTTPServer:
    folder.mkdir()
    (folder / "reference.html").write_text(REFERENCE)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *arguments):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", free_port()), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def measure(browser, url: str, rate: int, settle: float, seconds: float) -> dict:
    """Main-thread metrics of `url` over `seconds` after `settle`, the CPU slowed `rate` times."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
        page.goto(url, wait_until="load")
        evaluate(cdp, COUNT_SLIDES)
        time.sleep(settle)
        cdp.send("Performance.enable")
        start, started = metrics(cdp), time.monotonic()
        time.sleep(seconds)
        end, wall = metrics(cdp), time.monotonic() - started
        # Counted by the page: 0 slides means the loop stood still, which would flatter it.
        slides = evaluate(cdp, "window.kioskSlides") or []
        animations = evaluate(cdp, "document.getAnimations().length")
        result = {name: end.get(name, 0) - start.get(name, 0) for name in METRICS}
        return result | {"wall": wall, "busy": result["TaskDuration"] / wall,
                         "heap_mb": end["JSHeapUsedSize"] / 2**20, "slides": slides,
                         "animations": animations}
    finally:
        context.close()


def metrics(cdp) -> dict:
    return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}


def evaluate(cdp, expression: str):
    """In the page's own world, over DevTools."""
    return cdp.send("Runtime.evaluate", {"expression": expression,
                                         "returnByValue": True})["result"].get("value")


def number(ratio: float) -> str:
    return f"{ratio:.0f}" if ratio >= 10 else f"{ratio:.2f}"


def row(name: str, rate: int, runs: list[dict], references: list[dict],
        before: list[dict] | None = None) -> str:
    """One line of the table: medians over the rounds; ratios taken round by round."""

    def median(values) -> float:
        return statistics.median(list(values))

    def ratio(over: list[dict]) -> str:
        ratios = [r["busy"] / o["busy"] for r, o in zip(runs, over, strict=True)]
        spread = f" ({number(min(ratios))}-{number(max(ratios))})" if len(ratios) > 1 else ""
        return number(median(ratios)) + spread

    share = {name: median(r[name] / r["wall"] for r in runs) for name in METRICS}
    # Under throttling Chromium stalls the renderer by spinning on it: its CPU time means nothing.
    cpu = [f"{share[name]:.1%}" if rate == 1 else "-" for name in ("ThreadTime", "ProcessTime")]
    return (f"{name:18} {rate}x {median(r['busy'] for r in runs):7.1%} "
            f"{ratio(references):>13} {ratio(before) if before else '':>16} "
            f"{cpu[0]:>7} {cpu[1]:>7} {share['ScriptDuration']:7.1%} "
            f"{share['LayoutDuration']:7.1%} {share['RecalcStyleDuration']:7.1%} "
            f"{share['RecalcStyleCount']:6.1f} {median(r['heap_mb'] for r in runs):5.1f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="a commit (a worktree is made and removed) or a folder "
                        "holding an older checkout, measured beside this one")
    parser.add_argument("--after", default=str(ROOT), help="the checkout measured as 'now' "
                        "(default: this one)")
    parser.add_argument("--seconds", type=float, default=20, help="measured, per page")
    parser.add_argument("--settle", type=float, default=2, help="after loading, not measured")
    parser.add_argument("--rounds", type=int, default=2, help="each version's order reversed"
                        " every other round")
    parser.add_argument("--dwell", type=int, default=3, help="seconds a slide stays up")
    parser.add_argument("--stretch", default="hip-twists", help="the stretch opened from browse")
    options = parser.parse_args()
    print_machine()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="kiosk-bench-render-") as folder:
        folder = Path(folder)
        made = None
        versions = []
        reference = serve_reference(folder / "reference")
        try:
            if options.before:
                root, is_new = checkout(options.before, folder)
                made = root if is_new else None
                versions.append(Version("before", root, folder / "instance-before", options.dwell))
            versions.append(Version("now", Path(options.after), folder / "instance-now",
                                    options.dwell))
            for version in versions:
                version.start()
                print(version.describe())
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright, folder / "home")
                try:
                    run(browser, versions, reference, options)
                finally:
                    browser.close()
        finally:
            reference.shutdown()
            for version in versions:
                version.stop()
            if made:
                git(ROOT, "worktree", "remove", "--force", str(made))


def run(browser, versions: list[Version], reference, options):
    reference_url = f"http://127.0.0.1:{reference.server_address[1]}/reference.html"
    pages = {"screen": SCREEN, "stretch": f"{SCREEN}/stretches/{options.stretch}"}
    print(f"Chromium {browser.version}; dwell {options.dwell} s; {options.seconds:g} s measured "
          f"per page after {options.settle:g} s; {options.rounds} round(s); pages in turns")
    results = {}  # (page, version label or "", rate) -> [measurements, one per round]
    for turn in range(options.rounds):
        order = versions if turn % 2 == 0 else versions[::-1]
        for rate in RATES:
            turns = [("reference", None, reference_url)] + [
                (page, version, version.server.url + path)
                for page, path in pages.items() for version in order]
            for page, version, url in turns:
                label = version.label if version else ""
                measured = measure(browser, url, rate, options.settle, options.seconds)
                results.setdefault((page, label, rate), []).append(measured)
                shown = f"{page} {label}".strip()
                print(f"  round {turn + 1}, {rate}x CPU, {shown}: busy {measured['busy']:.1%}, main"
                      f" CPU {measured['ThreadTime'] / measured['wall']:.1%},"
                      f" {measured['animations']} animations, slides swapped in: "
                      f"{', '.join(measured['slides']) or 'none'}", flush=True)
    print("busy: the main thread's tasks (TaskDuration) over wall time; x reference, x before:"
          " that over the same page's at the same CPU, median of the rounds (range); main CPU,"
          " renderer CPU: CPU time of the main thread and of the renderer's threads together"
          " (at normal CPU only) over wall time; script, layout, style: their durations over"
          " wall time; recalc/s: style recalculations a second; heap: JS heap used, MB")
    print(f"{'page':18} cpu {'busy':>7} {'x reference':>13} {'x before':>16} {'main CPU':>7} "
          f"{'rend. CPU':>7} {'script':>7} {'layout':>7} {'style':>7} {'recalc/s':>6} "
          f"{'heap':>5}")
    for rate in RATES:
        references = results[("reference", "", rate)]
        print(row("reference", rate, references, references))
        for page in pages:
            before = results.get((page, "before", rate))
            for version in versions:
                runs = results[(page, version.label, rate)]
                print(row(f"{page} ({version.label})", rate, runs, references,
                          before if version.label != "before" else None))


if __name__ == "__main__":
    main()
