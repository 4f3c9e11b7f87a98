"""A group of clinics: N screens at their real cadence, on two app servers and one PostgreSQL.

Run: .venv/bin/python bench/fleet.py [--screens 100,300,1000,3000] [--duration 60] [--clinics 30]
                                     [--workers W] [--ratio-seconds 5]

Starts a throwaway PostgreSQL (tests/pgcluster.py), migrates and seeds it, adds clinics up to
--clinics with the installer's own add_clinic (kiosk/clinics.py), and as many screens as the
largest N in one session, dealt to the clinics and the library's routines in turn (so the first
N screens are spread over every clinic). Two gunicorn servers with the production settings
(gunicorn.conf.py, as bench/two_servers.py) share the database and the secret key. Every screen
is paired as a real one is, by opening its pairing link once: only a paired screen's requests
are proof of life (kiosk/display/pairing.py). Each server's workers render the screens' slides
for a few seconds (unpaired), as after a day's first screens. Then, in the same run:

- the ratio: the slide a paired screen polls (htmx, gzip accepted), asked back to back on
  --connections connections to server A, in alternating rounds with a static file of exactly
  the neck stretch slide's bytes served by the same gunicorn; the slide asked two ways: the
  neck stretch again and again (as bench/load.sh asks: kiosk/display/fragments.py keeps it), and
  every screen's slides in turn, as a group's screens ask (each one new, so rendered); requests/s
  of each and their ratio to the static file's (aim: 0.9);
- for each N, N screens for --duration seconds, each doing what static/js/display.js does: ask
  /display/<slug>/check?showing=<its slide> 3 s after the last answer, and the next slide of its
  loop 15 s after the last (htmx's header, the slide's ETag from last time as Chromium's cache
  sends it), from a random point of both clocks; a screen's requests alternate between the two
  servers, on keep-alive connections of its own. Per N: intended and achieved requests/s, p50 and
  p99 latency, errors (an answer other than 200 or 304, a timeout, a refused connection), the
  database's connections (the most seen, and the mean active, from pg_stat_activity every
  second), rows written a second (n_tup_ins + n_tup_upd of pg_stat_user_tables, read once the
  servers' statistics are flushed), how many screens' rows hold a report from the run, the CPUs
  the app servers, PostgreSQL, the load generator and everything else on the machine kept busy
  (from /proc), and the load generator's event-loop lag (the proof that it kept up). Last, the
  largest N held with p99 < 250 ms and no errors. A loop of 11 slides at 15 s takes 2 3/4
  minutes, so in a run of a few minutes a screen asks for each slide once: slides answer 200,
  rendered (a 304 would save the bytes, not the work).

The load generator uses the standard library only: asyncio streams and a small HTTP/1.1 reader.
Only 127.0.0.1 is ever sent a request.
"""

import argparse
import asyncio
import html
import itertools
import os
import random
import re
import resource
import secrets
import signal
import statistics
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.serving import (  # noqa: E402
    PUBLIC_URL,
    ROOT,
    Gunicorn,
    free_port,
    instance_environ,
    prepare,
    print_machine,
    request,
)
from tests import pgcluster  # noqa: E402

CHECK_EVERY, SLIDE_EVERY = 3.0, 15.0  # display.js's CHECK_EVERY_MS; a screen's default dwell
TIMEOUT = 10.0  # an answer later than this is an error
HELD_P99 = 0.250
RATIO_SLIDE = "/display/waiting-room/slides/stretch/neck-stretch"
CHROMIUM = {"Accept": "*/*", "Accept-Encoding": "gzip, deflate, br, zstd",
            "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/156 bench-fleet"}
TIMEZONES = ("Australia/Brisbane", "Australia/Sydney", "Australia/Perth", "Australia/Adelaide")


# ---- HTTP/1.1 on asyncio streams: just what a screen's requests need.

@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes
    cookies: list = field(default_factory=list)


class Connection:
    """One keep-alive connection to a server on 127.0.0.1."""

    def __init__(self, port: int, reader, writer):
        self.port, self.reader, self.writer, self.used = port, reader, writer, 0

    @classmethod
    async def open(cls, port: int) -> "Connection":
        reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 22)
        return cls(port, reader, writer)

    async def ask(self, path: str, headers: dict) -> tuple[Answer, bool]:
        """One GET; the answer and whether the connection may be used again."""
        lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        self.used += 1
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        answered, cookies = {}, []
        for line in head[1:]:
            name, _, value = line.partition(":")
            if name:
                answered[name.strip().lower()] = value.strip()
                if name.strip().lower() == "set-cookie":
                    cookies.append(value.strip())
        if status in (204, 304) or status < 200:
            body = b""
        elif "content-length" in answered:
            body = await self.reader.readexactly(int(answered["content-length"]))
        elif answered.get("transfer-encoding", "").lower() == "chunked":
            body = await self._chunked()
        else:  # to the end of the connection
            return Answer(status, answered, await self.reader.read(), cookies), False
        keep = answered.get("connection", "").lower() != "close"
        return Answer(status, answered, body, cookies), keep

    async def _chunked(self) -> bytes:
        parts = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self.reader.readuntil(b"\r\n")
                return b"".join(parts)
            parts.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)

    def close(self):
        self.writer.close()


class Connections:
    """A browser's keep-alive connections, per server: one is opened when none is free."""

    def __init__(self):
        self.idle: dict[int, list[Connection]] = {}
        self.retried = 0

    async def ask(self, port: int, path: str, headers: dict) -> Answer:
        idle = self.idle.setdefault(port, [])
        while True:
            reused = bool(idle)
            connection = idle.pop() if reused else await Connection.open(port)
            try:
                answer, keep = await connection.ask(path, headers)
            except (asyncio.IncompleteReadError, ConnectionError) as error:
                connection.close()
                # As browsers do: a kept connection the server had closed (its keep-alive ran
                # out, or max_requests restarted the worker) is retried once on a new one.
                if reused and (not isinstance(error, asyncio.IncompleteReadError)
                               or not error.partial):
                    self.retried += 1
                    continue
                raise
            except BaseException:
                connection.close()
                raise
            if keep:
                idle.append(connection)
            else:
                connection.close()
            return answer

    def close(self):
        for connections in self.idle.values():
            for connection in connections:
                connection.close()
        self.idle.clear()


# ---- The group: clinics, screens and what each screen's loop is.

@dataclass
class Screen:
    slug: str
    report_key: str
    routine: str
    cookie: str = ""


@dataclass(frozen=True)
class Slide:
    key: str
    label: str


def populate(environ: dict, clinics: int, screens: int) -> list[Screen]:
    """Clinics up to `clinics` (the seeded one counts), then `screens` screens in one session."""
    os.environ["KIOSK_INSTANCE_PATH"] = str(Path(environ["KIOSK_INSTANCE_PATH"]).parent / "cli")
    from sqlalchemy import func, select

    from kiosk import create_app
    from kiosk.clinics import add_clinic
    from kiosk.db import get_session
    from kiosk.models import Clinic, Routine
    from kiosk.models import Screen as ScreenRow

    app = create_app({"DATABASE_URL": environ["KIOSK_DATABASE_URL"],
                      "SECRET_KEY": environ["KIOSK_SECRET_KEY"], "PUBLIC_URL": PUBLIC_URL})
    with app.app_context():
        session = get_session()
        for n in range(session.scalar(select(func.count()).select_from(Clinic)) + 1, clinics + 1):
            add_clinic(session, f"clinic-{n:02d}", f"Back in Balance {n}",
                       f"07 3{n:03d} 4304", TIMEZONES[n % len(TIMEZONES)])
        group = session.scalars(select(Clinic).order_by(Clinic.id)).all()
        routines = session.scalars(select(Routine).where(Routine.clinic_id.is_(None))
                                   .order_by(Routine.id)).all()
        rows = [ScreenRow(slug=f"fleet-{n:04d}", name=f"Screen {n}", clinic=group[n % len(group)],
                          routine=routines[n % len(routines)]) for n in range(screens)]
        session.add_all(rows)
        session.flush()  # gives each its report key
        made = [Screen(row.slug, row.report_key, row.routine.slug) for row in rows]
        session.commit()
        app.extensions["kiosk.db"].dispose()
    return made


SLIDE_TAG = re.compile(r'<article class="slide[^>]*>', re.S)


def attribute(tag: str, name: str) -> str:
    return html.unescape(re.search(rf'\b{name}="([^"]*)"', tag).group(1))


def loop_of(server: Gunicorn, slug: str) -> list[Slide]:
    """A screen's loop, slide after slide, as its page and its slides' next links give it.

    Asked without the screen's cookie: these requests are not reports."""
    _, _, page = request(f"{server.url}/display/{slug}")
    slides, tag = [], SLIDE_TAG.search(page.decode()).group(0)
    while True:
        slide = Slide(attribute(tag, "data-slide"), attribute(tag, "data-label"))
        if slide in slides:
            return slides
        slides.append(slide)
        status, _, fragment = request(server.url + attribute(tag, "hx-get"),
                                      headers={"HX-Request": "true"})
        if status != 200:
            raise RuntimeError(f"{attribute(tag, 'hx-get')} answered {status}")
        tag = SLIDE_TAG.search(fragment.decode()).group(0)


async def pair(screens: list[Screen], port: int, at_once: int = 16):
    """Open each screen's pairing link once, as staff do on the screen; keep its cookie."""
    queue = list(screens)

    async def worker():
        connections = Connections()
        while queue:
            screen = queue.pop()
            answer = await connections.ask(port, f"/display/{screen.slug}/pair/"
                                           f"{screen.report_key}", CHROMIUM)
            cookie = next((c.split(";", 1)[0] for c in answer.cookies
                           if c.startswith("kiosk_screen=")), None)
            if answer.status != 303 or cookie is None:
                raise RuntimeError(f"pairing {screen.slug} answered {answer.status}, no cookie")
            screen.cookie = cookie
        connections.close()

    await asyncio.gather(*(worker() for _ in range(at_once)))


# ---- N screens at their real cadence.

@dataclass
class Tally:
    latencies: dict = field(default_factory=lambda: {"check": [], "slide": []})
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    retried: int = 0

    def record(self, kind: str, started: float, answer: Answer | None, error: str | None):
        if error is None and answer.status in (200, 304):
            self.latencies[kind].append(time.perf_counter() - started)
            self.statuses[kind, answer.status] += 1
        else:
            self.errors[error or f"{kind} HTTP {answer.status}"] += 1


async def screen_life(screen: Screen, loop: list[Slide], ports: list[int], stop_at: float,
                      tally: Tally, rng: random.Random):
    """One screen until `stop_at`: its checks and its slides, as display.js times them."""
    clock = asyncio.get_running_loop().time
    connections = Connections()
    state = {"slide": rng.randrange(len(loop)), "turn": rng.randrange(len(ports))}
    etags: dict[str, str] = {}
    page = f"http://127.0.0.1/display/{screen.slug}"

    async def ask(kind: str, path: str, headers: dict) -> Answer | None:
        port = ports[state["turn"] % len(ports)]
        state["turn"] += 1
        started, answer, error = time.perf_counter(), None, None
        try:
            async with asyncio.timeout(TIMEOUT):
                answer = await connections.ask(port, path, headers)
        except TimeoutError:
            error = f"{kind} timed out"
        except (OSError, asyncio.IncompleteReadError) as failure:
            error = f"{kind} {type(failure).__name__}"
        tally.record(kind, started, answer, error)
        return answer

    async def wait(seconds: float) -> bool:
        await asyncio.sleep(max(0.0, min(seconds, stop_at - clock())))
        return clock() < stop_at

    async def checks():
        headers = CHROMIUM | {"Cookie": screen.cookie}
        more = await wait(rng.uniform(0, CHECK_EVERY))
        while more:
            showing = urllib.parse.quote(loop[state["slide"]].label)
            await ask("check", f"/display/{screen.slug}/check?showing={showing}", headers)
            more = await wait(CHECK_EVERY)

    async def slides():
        more = await wait(rng.uniform(0, SLIDE_EVERY))
        while more:
            slide = loop[(state["slide"] + 1) % len(loop)]
            headers = CHROMIUM | {"HX-Request": "true", "HX-Current-URL": page,
                                  "Cookie": screen.cookie}
            if slide.key in etags:
                headers["If-None-Match"] = etags[slide.key]
            answer = await ask("slide", f"/display/{screen.slug}/slides/{slide.key}", headers)
            if answer is not None and answer.status in (200, 304):
                if "etag" in answer.headers:
                    etags[slide.key] = answer.headers["etag"]
                state["slide"] = (state["slide"] + 1) % len(loop)
            more = await wait(SLIDE_EVERY)

    try:
        await asyncio.gather(checks(), slides())
    finally:
        tally.retried += connections.retried
        connections.close()


async def loop_lag(stop_at: float, lags: list, every: float = 0.05):
    """How late this process's event loop wakes: a busy load generator would be late."""
    clock = asyncio.get_running_loop().time
    while clock() < stop_at:
        asked = clock()
        await asyncio.sleep(every)
        lags.append(clock() - asked - every)


class Database:
    """What the run reads of PostgreSQL itself: connections, rows written, reports kept."""

    def __init__(self, url: str):
        self.dsn = url.replace("postgresql+psycopg://", "postgresql://")

    def one(self, sql: str, *parameters):
        import psycopg

        with psycopg.connect(self.dsn, autocommit=True) as connection:
            return connection.execute(sql, parameters).fetchone()

    def rows_written(self) -> tuple[int, int]:
        """Rows inserted and updated so far, in all tables and in the screen table."""
        return self.one("SELECT coalesce(sum(n_tup_ins + n_tup_upd), 0)::bigint, "
                         "coalesce(sum(n_tup_upd) FILTER (WHERE relname = 'screen'), 0)::bigint "
                         "FROM pg_stat_user_tables")

    def postmaster(self) -> int:
        """The process id of PostgreSQL's postmaster (the parent of every backend)."""
        import psycopg

        with psycopg.connect(self.dsn, autocommit=True) as connection:
            backend = connection.execute("SELECT pg_backend_pid()").fetchone()[0]
            status = Path(f"/proc/{backend}/status").read_text()
        return int(re.search(r"PPid:\s+(\d+)", status).group(1))

    def screens_reported(self, slugs: list[str], since: datetime) -> int:
        return self.one("SELECT count(*) FROM screen WHERE slug = ANY(%s) "
                         "AND last_report_at >= %s", slugs, since)[0]

    async def sample_connections(self, stop_at: float, samples: list):
        """(all, active) connections to this database, every second, this one left out."""
        import psycopg

        clock = asyncio.get_running_loop().time
        async with await psycopg.AsyncConnection.connect(self.dsn, autocommit=True) as connection:
            while clock() < stop_at:
                cursor = await connection.execute(
                    "SELECT count(*), count(*) FILTER (WHERE state = 'active') "
                    "FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid()")
                samples.append(await cursor.fetchone())
                await asyncio.sleep(1)


@dataclass
class Result:
    screens: int
    intended: float
    achieved: float
    p50: float
    p99: float
    errors: int
    connections_most: int
    active_mean: float
    rows_per_second: float
    reports_per_second: float
    reported: int
    cpus: dict  # CPUs busy (seconds a second): app servers, PostgreSQL, load generator, others
    lag_p99: float
    detail: str

    @property
    def held(self) -> bool:
        return self.errors == 0 and self.p99 < HELD_P99


def percentile(values: list, share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int) -> float:
    """CPU seconds of a process, and of the children it has waited for (workers gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(ticks) for ticks in fields[11:15]) / CLOCK_TICKS  # utime ... cstime


def tree_cpu(pid: int) -> float:
    """CPU seconds of a process and its children, those running and those gone."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return process_cpu(pid) + sum(process_cpu(int(child)) for child in children)


def cpu_seconds(servers: list[Gunicorn], postmaster: int) -> dict:
    """CPU seconds so far: the app servers, PostgreSQL, this process, and the whole machine."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    ticks = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = ticks[:8]
    return {"app servers": sum(tree_cpu(server.process.pid) for server in servers),
            "PostgreSQL": tree_cpu(postmaster),
            "load generator": own.ru_utime + own.ru_stime,
            "machine": (user + nice + system + irq + softirq + steal) / CLOCK_TICKS}


async def run_fleet(screens: list[Screen], loops: dict, servers: list[Gunicorn],
                    duration: float, database: Database, settle: float,
                    seed: int = 15) -> Result:
    """`screens` at their cadence for `duration` seconds, and what it cost the database."""
    rng = random.Random(seed)
    tally, lags, samples = Tally(), [], []
    written_before = database.rows_written()
    since = datetime.now(UTC)
    clock = asyncio.get_running_loop().time
    stop_at = clock() + duration
    ports, postmaster = [server.port for server in servers], database.postmaster()
    cpu_before, started = cpu_seconds(servers, postmaster), time.perf_counter()
    await asyncio.gather(
        *(screen_life(screen, loops[screen.routine], ports, stop_at, tally,
                      random.Random(rng.random())) for screen in screens),
        loop_lag(stop_at, lags), database.sample_connections(stop_at, samples))
    took = time.perf_counter() - started
    cpu_after = cpu_seconds(servers, postmaster)
    cpus = {what: (cpu_after[what] - cpu_before[what]) / took for what in cpu_before}
    cpus["others"] = cpus.pop("machine") - sum(cpus.values())
    # A server's backend sends its statistics at most once a second, and only 10 s after its
    # last transaction when idle since: wait for the last of them before reading.
    await asyncio.sleep(settle)
    written_after = database.rows_written()
    latencies = tally.latencies["check"] + tally.latencies["slide"]
    asked = len(latencies) + sum(tally.errors.values())
    by_kind = ", ".join(f"{kind} p50 {percentile(taken, 0.5) * 1000:.1f} ms, "
                        f"p99 {percentile(taken, 0.99) * 1000:.1f} ms"
                        for kind, taken in tally.latencies.items())
    statuses = ", ".join(f"{kind} {status}: {count}"
                         for (kind, status), count in sorted(tally.statuses.items()))
    errors = ", ".join(f"{what}: {count}" for what, count in tally.errors.most_common())
    return Result(
        screens=len(screens),
        intended=len(screens) * (1 / CHECK_EVERY + 1 / SLIDE_EVERY),
        achieved=asked / duration,
        p50=percentile(latencies, 0.50),
        p99=percentile(latencies, 0.99),
        errors=sum(tally.errors.values()),
        connections_most=max((total for total, _ in samples), default=0),
        active_mean=statistics.fmean(active for _, active in samples) if samples else 0,
        rows_per_second=(written_after[0] - written_before[0]) / duration,
        reports_per_second=(written_after[1] - written_before[1]) / duration,
        reported=database.screens_reported([s.slug for s in screens], since),
        cpus=cpus,
        lag_p99=percentile(lags, 0.99),
        detail=f"{by_kind}; {statuses}; kept connections retried: {tally.retried}"
               + (f"; errors: {errors}" if errors else ""),
    )


# ---- The slide against a static file of its bytes, through the same gunicorn.

async def closed_loop(port: int, asks, seconds: float, connections: int) -> float:
    """Requests/s of the (path, headers) `asks` gives, back to back on `connections`."""
    clock = asyncio.get_running_loop().time
    stop_at, done = clock() + seconds, []

    async def one():
        browser, count = Connections(), 0
        try:
            while clock() < stop_at:
                path, headers = next(asks)
                answer = await browser.ask(port, path, headers)
                if answer.status != 200:
                    raise RuntimeError(f"{path} answered {answer.status}")
                count += 1
        finally:
            browser.close()
        done.append(count)

    await asyncio.gather(*(one() for _ in range(connections)))
    return sum(done) / seconds


def slides_in_turn(fleet: list[Screen], loops: dict, paired: bool = True
                   ) -> list[tuple[str, dict]]:
    """Every screen's first slide, then every screen's second, and so on, asked as the
    screen's htmx asks: (path, headers); not `paired`, without its cookie (no reports)."""
    asks = []
    for n in range(max(len(loops[screen.routine]) for screen in fleet)):
        for screen in fleet:
            slide = loops[screen.routine][n % len(loops[screen.routine])]
            headers = CHROMIUM | {"HX-Request": "true"}
            asks.append((f"/display/{screen.slug}/slides/{slide.key}",
                         headers | {"Cookie": screen.cookie} if paired else headers))
    return asks


async def warm(servers: list[Gunicorn], in_turn: list, connections: int, seconds: float = 3):
    """Each server's workers render slides a while, as after a day's first screens (unpaired:
    a screen's first report is left for the run)."""
    for server in servers:
        await closed_loop(server.port, itertools.cycle(in_turn), seconds, connections)


async def slide_against_static(server: Gunicorn, waiting_room: Screen, in_turn: list,
                               seconds: float, rounds: int, connections: int) -> list[str]:
    """The slide a paired screen polls against a static file of its bytes: rows of a table.

    Two ways of asking for slides: the same slide again and again (bench/load.sh's (i), which
    the per-worker cache of kiosk/display/fragments.py answers), and every screen's slides in
    turn, as a group's screens ask (each a new one: rendered)."""
    status, _, body = request(server.url + RATIO_SLIDE, headers={"HX-Request": "true"})
    if status != 200:
        raise RuntimeError(f"{RATIO_SLIDE} answered {status}")
    # static/vendor/ may be another checkout's (a link): the copy goes in static/ itself.
    copy = ROOT / "static" / f"bench-fleet-{secrets.token_hex(4)}.html"
    copy.write_bytes(body)
    htmx = CHROMIUM | {"HX-Request": "true"}
    targets = {
        "the same slide again (kept)": itertools.repeat(
            (RATIO_SLIDE, htmx | {"Cookie": waiting_room.cookie})),
        "every screen's slides in turn (rendered)": itertools.cycle(in_turn),
        "static file, same bytes": itertools.repeat((f"/static/{copy.name}", CHROMIUM)),
    }
    rates = {name: [] for name in targets}
    cpu = []
    try:
        for asks in targets.values():  # warm every worker, not counted
            await closed_loop(server.port, asks, 1, connections)
        for round_ in range(rounds):
            order = list(targets) if round_ % 2 == 0 else list(reversed(targets))
            for name in order:
                before = resource.getrusage(resource.RUSAGE_SELF)
                rates[name].append(await closed_loop(server.port, targets[name], seconds,
                                                     connections))
                after = resource.getrusage(resource.RUSAGE_SELF)
                cpu.append((after.ru_utime + after.ru_stime - before.ru_utime
                            - before.ru_stime) / seconds)
    finally:
        copy.unlink()
    median = {name: statistics.median(taken) for name, taken in rates.items()}
    static = median["static file, same bytes"]
    rows = [f"| asked ({len(body):,} bytes before gzip) | requests/s, median of {rounds} "
            "| each round | / static file |", "|---|---|---|---|"]
    for name, taken in rates.items():
        rows.append(f"| {name} | {median[name]:,.0f} | "
                    f"{', '.join(f'{rate:,.0f}' for rate in taken)} | "
                    f"{median[name] / static:.2f} |")
    rows.append(f"\n{connections} connections to server A, {seconds:g} s rounds; the load "
                f"generator used {statistics.fmean(cpu):.0%} of a CPU")
    return rows


# ---- The run.

def table(results: list[Result]) -> list[str]:
    rows = ["| screens | intended req/s | achieved req/s | p50 ms | p99 ms | errors "
            "| PG connections (most; mean active) | rows written/s (screen reports/s) "
            "| screens reported | CPUs busy: app servers, PostgreSQL, load generator, others "
            "| loop lag p99 ms |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        rows.append(
            f"| {r.screens:,} | {r.intended:,.0f} | {r.achieved:,.0f} | {r.p50 * 1000:.1f} "
            f"| {r.p99 * 1000:.1f} | {r.errors} | {r.connections_most}; {r.active_mean:.1f} "
            f"| {r.rows_per_second:,.0f} ({r.reports_per_second:,.0f}) "
            f"| {r.reported:,} of {r.screens:,} "
            f"| {', '.join(f'{busy:.2f}' for busy in r.cpus.values())} "
            f"| {r.lag_p99 * 1000:.0f} |")
    return rows


def fleet(server_url: str, folder: Path, counts: list[int], duration: float, clinics: int,
          workers: int | None = None, ratio_seconds: float = 5, ratio_rounds: int = 3,
          connections: int = 16, settle: float = 11, warm_seconds: float = 3,
          report=print) -> list[Result]:
    """The whole run on a new database of `server_url`; each N's Result, in order.

    `settle`: seconds to wait after each N for the servers' statistics (rows written)."""
    database_url = pgcluster.create_database(server_url, f"kiosk_{secrets.token_hex(4)}")
    secret = secrets.token_hex(32)
    environs = [instance_environ(folder / name, database_url, secret_key=secret)
                for name in ("a", "b")]
    servers = [Gunicorn(environ, free_port(), folder / f"gunicorn-{name}.log", workers=workers)
               for environ, name in zip(environs, "ab", strict=True)]
    try:
        started = time.monotonic()
        prepare(environs[0])
        screens = populate(environs[0], clinics, max(counts))
        report(f"database {database_url.rsplit('@', 1)[-1]}: migrated, seeded, {clinics} "
               f"clinics and {len(screens):,} screens in {time.monotonic() - started:.1f} s")
        for server in servers:
            server.spawn()
        for server in servers:
            server.wait()
        loops = {}
        for screen in screens:
            if screen.routine not in loops:
                loops[screen.routine] = loop_of(servers[0], screen.slug)
        report("loops: " + "; ".join(f"{routine}: {len(slides)} slides"
                                     for routine, slides in loops.items()))
        started = time.monotonic()
        waiting_room = Screen("waiting-room", "", "")
        waiting_room.report_key = Database(database_url).one(
            "SELECT report_key FROM screen WHERE slug = 'waiting-room'")[0]
        asyncio.run(pair(screens + [waiting_room], servers[0].port))
        report(f"paired {len(screens) + 1:,} screens through their pairing links in "
               f"{time.monotonic() - started:.1f} s")

        asyncio.run(warm(servers, slides_in_turn(screens, loops, paired=False), connections,
                         warm_seconds))
        report(f"servers {', '.join(s.url for s in servers)}: gunicorn.conf.py, "
               f"{'; '.join(str(len(s.workers())) for s in servers)} workers, warmed")

        if ratio_rounds:
            report("\nThe slide a screen polls against a static file of its bytes, on A:\n")
            for row in asyncio.run(slide_against_static(
                    servers[0], waiting_room, slides_in_turn(screens, loops), ratio_seconds,
                    ratio_rounds, connections)):
                report(row)

        database, results = Database(database_url), []
        for count in counts:
            report(f"\n{count:,} screens for {duration:g} s ...")
            result = asyncio.run(run_fleet(screens[:count], loops, servers, duration, database,
                                           settle))
            results.append(result)
            report(f"  {result.detail}")
        report(f"\nScreens over {clinics} clinics, {duration:g} s each, two servers "
               f"(requests alternate), one PostgreSQL:\n")
        for row in table(results):
            report(row)
        held = [r.screens for r in results if r.held]
        report(f"\nlargest N held (p99 < {HELD_P99 * 1000:.0f} ms, no errors): "
               f"{max(held):,}" if held else "\nno N held (p99 < 250 ms, no errors)")
        return results
    finally:
        for server in servers:
            server.stop()
        pgcluster.drop_database(server_url, database_url.rsplit("/", 1)[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screens", default="100,300,1000,3000",
                        help="numbers of screens, one run each (default: %(default)s)")
    parser.add_argument("--duration", type=float, default=60, help="seconds per number")
    parser.add_argument("--clinics", type=int, default=30)
    parser.add_argument("--workers", type=int, default=None,
                        help="gunicorn workers per server (default: gunicorn.conf.py's)")
    parser.add_argument("--ratio-seconds", type=float, default=5,
                        help="seconds per round of the slide against the static file")
    parser.add_argument("--connections", type=int, default=16,
                        help="connections for the slide against the static file")
    arguments = parser.parse_args()
    counts = [int(n) for n in arguments.screens.split(",")]
    # A stop (SIGTERM) unwinds like an error, so the servers, the database and the static
    # copy of the slide are cleaned up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    print_machine()
    print(f"load average before: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    with pgcluster.postgres_cluster() as server, \
            tempfile.TemporaryDirectory(prefix="kiosk-fleet-") as folder:
        fleet(server, Path(folder), counts, arguments.duration, arguments.clinics,
              arguments.workers, arguments.ratio_seconds, connections=arguments.connections)


if __name__ == "__main__":
    main()
