"""Lighthouse on the phone sheet: its four scores, total blocking time and DOM size.

Run: .venv/bin/python bench/lighthouse.py [--runs 3] [--before REV]

Lighthouse 12.2.3 (from npm, installed on first use in ~/.cache/kiosk-bench/, never in the
repository) with its default mobile preset (a Moto G Power's screen, slow 4G and a 4x slower CPU,
simulated) and Debian's Chromium (CHROME_PATH, headless). gunicorn with the production settings
serves a seeded throwaway instance on 127.0.0.1; Lighthouse opens the routine's sheet
(/s/back-pain-stretches) and a patient's (made with `flask make-sheet`), --runs times each, and
the median of each figure is printed. With --before, a commit (a worktree is made and removed)
or a folder holding another checkout is measured the same way, its runs taking turns with this
one's. Only 127.0.0.1 is ever sent a request.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.render_cost import Version, checkout, git  # noqa: E402
from bench.serving import BIN, ROOT, print_machine  # noqa: E402

LIGHTHOUSE = "12.2.3"
CACHE = Path.home() / ".cache" / "kiosk-bench" / f"lighthouse-{LIGHTHOUSE}"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
ROUTINE = "/s/back-pain-stretches"


def lighthouse() -> Path:
    """The pinned Lighthouse's command line, installed with npm the first time."""
    cli = CACHE / "node_modules" / "lighthouse" / "cli" / "index.js"
    for needed in ("node", "npm", CHROME):
        if not shutil.which(needed):
            sys.exit(f"{needed} is needed (Debian: apt-get install nodejs npm chromium)")
    if not cli.exists():
        subprocess.run(["npm", "install", "--prefix", str(CACHE), "--no-audit", "--no-fund",
                        f"lighthouse@{LIGHTHOUSE}"], check=True, capture_output=True)
    return cli


def patient_sheet(version: Version) -> str:
    """The path of a new patient sheet of the routine's stretches."""
    made = subprocess.run([str(BIN / "flask"), "--app", "kiosk", "make-sheet", "--routine",
                           ROUTINE.rsplit("/", 1)[1], "--note", "Morning and evening."],
                          cwd=version.root, env=version.environ, check=True,
                          capture_output=True, text=True)
    return "/p/" + made.stdout.strip().rsplit("/p/", 1)[1]


def audit(cli: Path, url: str, folder: Path) -> dict:
    """One Lighthouse run: the four scores (0-100), TBT (ms), DOM nodes, and where TBT went."""
    report = folder / "report.json"
    subprocess.run(
        ["node", str(cli), url, "--output=json", f"--output-path={report}", "--quiet",
         f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"],
        env={**os.environ, "CHROME_PATH": CHROME, "HOME": str(folder)}, check=True,
        capture_output=True,
    )
    result = json.loads(report.read_text())
    audits = result["audits"]
    figures = {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES}
    figures["TBT ms"] = audits["total-blocking-time"]["numericValue"]
    figures["DOM nodes"] = audits["dom-size"]["numericValue"]
    figures["main thread ms"] = audits["mainthread-work-breakdown"]["numericValue"]
    figures["LCP ms"] = audits["largest-contentful-paint"]["numericValue"]
    failed = [key for key, value in audits.items()
              if value.get("score") is not None and value["score"] < 0.9
              and value.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")]
    return figures | {"below 0.9": failed}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page")
    parser.add_argument("--before", help="a commit (a worktree is made and removed) or a folder "
                        "holding another checkout, measured beside this one")
    options = parser.parse_args()
    print_machine()
    cli = lighthouse()
    version = subprocess.run(["node", str(cli), "--version"], capture_output=True, text=True)
    print(f"Lighthouse {version.stdout.strip()}, {CHROME} ({CHROME_FLAGS}), mobile preset; "
          f"median of {options.runs} runs")
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-lighthouse-") as folder:
        folder = Path(folder)
        made, versions = None, []
        try:
            if options.before:
                root, is_new = checkout(options.before, folder)
                made = root if is_new else None
                versions.append(Version("before", root, folder / "instance-before", 15))
            versions.append(Version("now", ROOT, folder / "instance-now", 15))
            pages = {}
            for each in versions:
                each.start()
                commit = git(each.root, "log", "-1", "--format=%h")
                print(f"{each.label}: {each.root} at {commit}")
                pages[each.label] = {"routine sheet": ROUTINE, "patient sheet": patient_sheet(each)}
            results = {}
            for _ in range(options.runs):
                for each in versions:  # taking turns, so the machine's noise falls on both
                    for page, path in pages[each.label].items():
                        run = folder / "run"
                        shutil.rmtree(run, ignore_errors=True)
                        run.mkdir()
                        results.setdefault((page, each.label), []).append(
                            audit(cli, each.server.url + path, run))
        finally:
            for each in versions:
                each.stop()
            if made:
                git(ROOT, "worktree", "remove", "--force", str(made))
    report(results)


def report(results: dict):
    columns = [*CATEGORIES, "TBT ms", "DOM nodes", "main thread ms", "LCP ms"]
    print(f"{'page':16} {'version':8} " + " ".join(f"{name:>14}" for name in columns))
    for (page, label), runs in results.items():
        medians = [statistics.median(run[name] for run in runs) for name in columns]
        print(f"{page:16} {label:8} " + " ".join(f"{value:>14.0f}" for value in medians))
        below = sorted({key for run in runs for key in run["below 0.9"]})
        if below:
            print(f"{'':25} audits below 0.9 in some run: {', '.join(below)}")


if __name__ == "__main__":
    main()
