"""What Caddy in front costs: the same pages straight from gunicorn and through Caddy (https).

Run: .venv/bin/python bench/https_proxy.py [--requests 300]

Starts gunicorn with the production settings on a seeded throwaway instance set up as the guide's
"Phones at home" (KIOSK_PUBLIC_URL on an https name, KIOSK_PROXY_HOPS=1), and Caddy from
deploy/Caddyfile in front of it (KIOSK_TLS=internal: no certificate authority is asked). Asks
for each page --requests times on one kept-alive connection each way, the two ways in turns
of 20 so that the machine's noise falls on both alike, and prints the median and 95th
percentile of each, their ratio, and Caddy's memory beside gunicorn's. Only 127.0.0.1 is ever
sent a request.
"""

import argparse
import http.client
import re
import socket
import ssl
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.serving import Gunicorn, free_port, instance_environ, prepare, print_machine  # noqa: E402
from tests.https_proxy import NAME, Caddy  # noqa: E402

PAGES = ["/healthz", "/s/back-pain-stretches", "/display/waiting-room", "SLIDE", "ASSET"]
TURN = 20


class Client:
    """One kept-alive connection to 127.0.0.1:`port`, as `host` (TLS for it when `ca`)."""

    def __init__(self, port: int, host: str, ca: Path | None = None):
        context = ssl.create_default_context(cafile=ca) if ca else None

        class Connection(http.client.HTTPConnection):
            def connect(self):
                self.sock = socket.create_connection(("127.0.0.1", port), timeout=15)
                self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                if context:
                    self.sock = context.wrap_socket(self.sock, server_hostname=NAME)

        self.host = host
        self.connection = Connection(host, port, timeout=15)

    def get(self, path: str) -> tuple[float, str]:
        started = time.perf_counter()
        self.connection.request("GET", path, headers={"Host": self.host})
        response = self.connection.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200:
            raise RuntimeError(f"{path}: {response.status}")
        return elapsed, body.decode(errors="replace")


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


def resolve(client: Client, page: str) -> str:
    """A slide's and a fingerprinted asset's real address, from the screen's page."""
    if page not in ("SLIDE", "ASSET"):
        return page
    _, screen = client.get("/display/waiting-room")
    if page == "SLIDE":
        return re.search(r'hx-get="(/display/waiting-room/slides/[^"]+)"', screen).group(1)
    return re.search(r'href="(/static/css/[^"]+\?v=[^"]+)"', screen).group(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    options = parser.parse_args()
    print_machine()
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-https-") as folder:
        folder = Path(folder)
        https_port, app_port = free_port(), free_port()
        environ = instance_environ(folder, PUBLIC_URL=f"https://{NAME}:{https_port}",
                                   PROXY_HOPS=1)
        prepare(environ)
        server = Gunicorn(environ, app_port, folder / "gunicorn.log").start()
        caddy = Caddy(folder / "caddy", f"127.0.0.1:{app_port}", https_port).start()
        try:
            direct = Client(app_port, f"127.0.0.1:{app_port}")
            proxied = Client(https_port, f"{NAME}:{https_port}", caddy.root_certificate)
            print(f"{options.requests} requests of each page each way, in turns of {TURN};"
                  " times in ms (median / 95th percentile)")
            print(f"{'page':48} {'gunicorn':>16} {'Caddy + https':>16} {'ratio':>6}")
            for page in PAGES:
                path = resolve(direct, page)
                times = {"direct": [], "proxied": []}
                for client in (direct, proxied):  # warm: connection, TLS, caches
                    client.get(path)
                while len(times["proxied"]) < options.requests:
                    for name, client in (("direct", direct), ("proxied", proxied)):
                        times[name] += [client.get(path)[0] for _ in range(TURN)]
                cells = {name: (statistics.median(t), statistics.quantiles(t, n=20)[-1])
                         for name, t in times.items()}
                ratio = cells["proxied"][0] / cells["direct"][0]
                shown = path if len(path) <= 48 else path[:45] + "..."
                print(f"{shown:48} {cells['direct'][0]:7.2f} / {cells['direct'][1]:6.2f}"
                      f" {cells['proxied'][0]:7.2f} / {cells['proxied'][1]:6.2f} {ratio:6.2f}")
            workers = server.worker_rss_mb()
            print(f"memory: Caddy {rss_mb(caddy.process.pid):.0f} MB resident;"
                  f" gunicorn master {rss_mb(server.process.pid):.0f} MB and"
                  f" {len(workers)} workers {sum(workers):.0f} MB")
        finally:
            caddy.stop()
            server.stop()


if __name__ == "__main__":
    main()
