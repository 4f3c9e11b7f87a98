"""Does the time a refused sign-in takes tell whether the username exists? Measured on a real
gunicorn.

Run: .venv/bin/python bench/sign_in_timing.py [--tries 8]

Starts gunicorn with the production settings on a seeded throwaway instance (one worker, so
both kinds of try meet the same process) and sends wrong passwords, alternating a real account
and names that are no account, each from an address of its own (the app is told one proxy is
in front, and X-Forwarded-For names the address), so the sign-in throttle never holds a try.
It prints the median and slowest time per kind, client side, and their ratio: near 1 means the
time tells nothing. Only 127.0.0.1 is ever sent a request.
"""

import argparse
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.serving import (  # noqa: E402
    STAFF,
    Gunicorn,
    StaffBrowser,
    csrf_token,
    free_port,
    instance_environ,
    prepare,
    print_machine,
    request,
)


def refused_in(server: Gunicorn, browser: StaffBrowser, token: str, username: str,
               address: str) -> float:
    body = urllib.parse.urlencode({"csrf_token": token, "username": username,
                                   "password": "not-the-password"}).encode()
    begun = time.perf_counter()
    status, _, _ = request(server.url + "/staff/login", data=body, opener=browser.opener,
                           headers={"Content-Type": "application/x-www-form-urlencoded",
                                    "X-Forwarded-For": address})
    took = time.perf_counter() - begun
    if status != 401:
        raise RuntimeError(f"expected a refusal (401), got {status} for {username}")
    return took


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # The account itself allows 10 refusals in 15 minutes: stay under them.
    parser.add_argument("--tries", type=int, default=8, choices=range(2, 10))
    tries = parser.parse_args().tries
    print_machine()
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as folder:
        environ = instance_environ(Path(folder), PROXY_HOPS=1)
        prepare(environ)
        server = Gunicorn(environ, free_port(), Path(folder) / "gunicorn.log", workers=1)
        server.start()
        try:
            browser = StaffBrowser(server.url)
            token = csrf_token(browser.get("/staff/login")[2])
            refused_in(server, browser, token, STAFF, "10.0.0.1")  # warm up the worker
            known, unknown = [], []
            for n in range(tries):
                known.append(refused_in(server, browser, token, STAFF, f"10.1.0.{n + 1}"))
                unknown.append(refused_in(server, browser, token, f"nobody-{n}",
                                          f"10.2.0.{n + 1}"))
        finally:
            server.stop()
    for kind, times in (("real account", known), ("no such account", unknown)):
        print(f"{kind:>16}: median {statistics.median(times) * 1000:6.1f} ms, "
              f"slowest {max(times) * 1000:6.1f} ms ({len(times)} tries)")
    print(f"ratio (no such account / real account, medians): "
          f"{statistics.median(unknown) / statistics.median(known):.2f}")


if __name__ == "__main__":
    main()
