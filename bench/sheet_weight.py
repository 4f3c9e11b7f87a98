"""QR generation time (cold and warm) and the weight of a sheet page, first and repeat load.

Run: .venv/bin/python bench/sheet_weight.py
Times are ratios and medians from one run on this machine; bytes are exact.
"""

import gzip
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

os.environ["KIOSK_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="kiosk-bench-")
os.environ.setdefault("KIOSK_PUBLIC_URL", "http://192.168.1.20:8000")

from kiosk import create_app, qr  # noqa: E402
from kiosk.content import load_article  # noqa: E402
from kiosk.content.seed import seed  # noqa: E402
from kiosk.db import get_session, migrate  # noqa: E402

ASSET = re.compile(r'(?:href|src)="(/[^"]+\?v=[^"]+)"')


def timed(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def qr_times(runs: int = 200):
    urls = [f"http://192.168.1.20:8000/s/routine-{n}" for n in range(runs)]
    cold = [timed(qr.svg, url) for url in urls]  # each URL for the first time
    warm = [timed(qr.svg, url) for url in urls]  # the same URLs again, from the cache
    return statistics.median(cold), statistics.median(warm)


def weigh(client, path):
    page = client.get(path)
    assets = sorted(set(ASSET.findall(page.get_data(as_text=True))))
    sizes = {}
    for url in assets:
        with client.get(url) as response:
            sizes[url.split("?")[0]] = response.get_data()
    return page.get_data(), sizes


def main():
    app = create_app()
    with app.app_context():
        migrate()
        seed(get_session(), load_article())
    client = app.test_client()
    cold, warm = qr_times()
    print(f"QR code SVG: cold {cold * 1000:.2f} ms, warm {warm * 1e6:.1f} µs "
          f"(median of 200; warm/cold = {warm / cold:.4f})")
    for path in ("/s/back-pain-stretches",):
        page, assets = weigh(client, path)
        first = len(page) + sum(map(len, assets.values()))
        first_gz = len(gzip.compress(page)) + sum(len(gzip.compress(b)) for b in assets.values())
        print(f"\n{path}: page {len(page):,} bytes ({len(gzip.compress(page)):,} gzipped)")
        for url, body in assets.items():
            print(f"  {url}: {len(body):,} bytes ({len(gzip.compress(body)):,} gzipped)")
        print(f"  first load: {first:,} bytes ({first_gz:,} gzipped), {1 + len(assets)} requests")
        print(f"  repeat load: {len(page):,} bytes, 1 request (assets are immutable, cached);"
              " 0 bytes offline (service worker)")


if __name__ == "__main__":
    main()
