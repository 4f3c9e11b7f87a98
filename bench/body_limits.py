"""Big anonymous forms: what a sign-in POST of 1 MB or 20 MiB costs a real gunicorn.

Run: .venv/bin/python bench/body_limits.py [--repeat 10] [--workers 4]

Starts gunicorn with the production settings (gunicorn.conf.py) on a seeded throwaway instance,
then sends anonymous urlencoded POSTs to /staff/login, nobody signed in, each on a connection
of its own and the whole body sent as a client would: 1 MB and 20 MiB with Content-Length, and
20 MiB chunked (no Content-Length), once every worker has refused a small form. The forms are
many tiny fields, the costliest kind to parse. For each kind it prints the answers' status
codes, the time until the answer came (client side: median and slowest), gunicorn's own time
for the request (its access log's %(M)s, median and slowest), the workers' CPU time used per
request, and each worker's resident memory before and after. Only 127.0.0.1 is ever sent a
request; every wait is bounded.
"""

import argparse
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.serving import (  # noqa: E402
    Gunicorn,
    free_port,
    instance_environ,
    prepare,
    print_machine,
    request,
)

MiB = 1024 * 1024
KINDS = [("1 MB", 10**6, False), ("20 MiB", 20 * MiB, False), ("20 MiB chunked", 20 * MiB, True)]
LOGGED = re.compile(r'"POST /staff/login HTTP/1.1" (\d{3}) \S+ (\d+)ms')


def form_body(size: int) -> bytes:
    """A urlencoded sign-in form of `size` bytes: a name, a password and then many tiny fields,
    the costliest form to parse (each field becomes Python objects of its own)."""
    head = b"username=admin&password=x"
    filler = b"&f=x" * ((size - len(head)) // 4 + 1)
    return (head + filler)[:size]


def post(port: int, body: bytes, chunked: bool, timeout: float = 60) -> tuple[int, float]:
    """Send the whole POST (stopping if the server answers or closes first); return the status
    and the seconds until the answer's first line arrived (0 if none came)."""
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {len(body)}"
    head = (f"POST /staff/login HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"{framing}\r\nConnection: close\r\n\r\n").encode()
    connection = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    answered = threading.Event()

    def send():
        try:
            connection.sendall(head)
            for start in range(0, len(body), 64 * 1024):
                if answered.is_set():
                    return
                piece = body[start:start + 64 * 1024]
                if chunked:
                    piece = f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
                connection.sendall(piece)
            if chunked:
                connection.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server answered and closed before the body was all sent

    started = time.perf_counter()
    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    status, took = 0, 0.0
    try:
        first = connection.makefile("rb").readline()
        took = time.perf_counter() - started
        answered.set()
        match = re.match(rb"HTTP/1\.[01] (\d{3})", first)
        status = int(match.group(1)) if match else 0
    except OSError:
        answered.set()
    sender.join(timeout)
    connection.close()
    return status, took


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time of these processes so far."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    return total / 100


def logged_times(log: Path, seen: int) -> tuple[list[int], int]:
    """gunicorn's own times (ms) of the sign-in POSTs logged since line `seen`."""
    lines = log.read_text().splitlines()
    times = [int(m.group(2)) for line in lines[seen:] if (m := LOGGED.search(line))]
    return times, len(lines)


def sizes(server: Gunicorn) -> str:
    return ", ".join(f"{mb:.0f}" for mb in server.worker_rss_mb()) + " MB"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=10, help="requests of each kind")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers")
    args = parser.parse_args()
    print_machine()
    with tempfile.TemporaryDirectory(prefix="kiosk-bodies-") as folder:
        folder = Path(folder)
        environ = instance_environ(folder)
        prepare(environ)
        log = folder / "gunicorn.log"
        server = Gunicorn(environ, free_port(), log, workers=args.workers).start()
        try:
            # Every worker has shown the sign-in page and refused a form once (its templates
            # compiled, its database connection open) before anything is measured.
            for _ in range(20):
                request(server.url + "/staff/login")
                post(server.port, form_body(20_000), chunked=False)
            print(f"gunicorn workers: {len(server.workers())}, {args.repeat} requests of each "
                  "kind, one connection each\n")
            _, seen = logged_times(log, 0)
            for name, size, chunked in KINDS:
                body = form_body(size)
                before_rss, before_cpu = sizes(server), cpu_seconds(server.workers())
                answers = [post(server.port, body, chunked) for _ in range(args.repeat)]
                time.sleep(0.5)  # the access log is written after each answer
                cpu = (cpu_seconds(server.workers()) - before_cpu) / args.repeat
                server_ms, seen = logged_times(log, seen)
                client_ms = [took * 1000 for _, took in answers]
                statuses = sorted({status for status, _ in answers})
                print(f"{name} anonymous urlencoded POST /staff/login: status {statuses}")
                print(f"  client, until the answer: median {statistics.median(client_ms):.1f} ms,"
                      f" slowest {max(client_ms):.1f} ms")
                if server_ms:
                    print(f"  gunicorn's time (access log): median "
                          f"{statistics.median(server_ms):.0f} ms, slowest {max(server_ms)} ms")
                print(f"  workers' CPU per request: {cpu * 1000:.0f} ms (10 ms ticks)")
                print(f"  workers' RSS before: {before_rss}; after: {sizes(server)}\n")
            print(f"healthz still answers: {server.answers()}")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
