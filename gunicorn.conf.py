"""gunicorn settings for the kiosk in production: `gunicorn -c gunicorn.conf.py wsgi:app`.

Sized for one small computer (a Raspberry Pi class machine with 1-4 GB): each worker process
holds the whole app (WeasyPrint included, about 100 MB), so there are few of them, each with a
few threads. Screens and phones mostly make small requests and wait on the network or SQLite,
which threads share well; a slow PDF ties up one thread, not the whole server. Any setting here
can be overridden on the command line or in GUNICORN_CMD_ARGS.
"""

import os

from kiosk.web.accesslog import FORMAT, RedactingLogger


def cpu_count() -> int:
    """The CPUs this process may run on (a container or systemd may allow fewer than exist)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


# The usual 2 x cores + 1, but never more than 4 processes: memory, not CPU, is what a
# Pi-class box runs out of. WEB_CONCURRENCY (gunicorn's own variable) sets it outright.
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * cpu_count() + 1, 4))
worker_class = "gthread"
threads = 4
bind = [f"0.0.0.0:{os.environ.get('PORT') or '8000'}"]

# A PDF of a long sheet takes a few seconds on a Pi; a worker silent for a minute is stuck.
timeout = 60
# On a stop or restart, requests under way get this long to finish (systemd waits longer).
graceful_timeout = 20
# Screens ask for the next slide every few seconds: keep their connection open between asks.
keepalive = 20
# A fresh worker now and then returns whatever memory a long-running process has gathered.
max_requests = 5000
max_requests_jitter = 500
# Load the app once, in the first process, and fork the workers from it: a worker restarted by
# max_requests is ready at once instead of importing everything again (over a second of CPU
# here, more on a Pi), and the workers share the app's memory pages. `systemctl reload` (HUP)
# starts fresh workers of the app as loaded; new code needs `systemctl restart`.
preload_app = True


def when_ready(server):
    """With no staff account yet, print the first run's one-time set-up link. It is made here,
    in the master, once the app is loaded and before any worker is forked from it, so every
    worker knows the same link (kiosk/setup_link.py)."""
    from kiosk import setup_link

    bound = server.LISTENERS[0].getsockname() if server.LISTENERS else None
    port = bound[1] if isinstance(bound, tuple) else int(os.environ.get("PORT") or 8000)
    setup_link.offer_at_start(server.app.wsgi(), port)


def post_fork(server, worker):
    """Each worker opens its own database connections: none made before the fork is shared."""
    server.app.wsgi().extensions["kiosk.db"].dispose(close=False)


# Workers' heartbeat files in memory, not on the SD card.
worker_tmp_dir = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None  # noqa: S108

# X-Forwarded-* headers are trusted only as KIOSK_PROXY_HOPS says (ProxyFix, kiosk/web/headers.py),
# never by gunicorn itself: by default it would believe X-Forwarded-Proto from 127.0.0.1.
forwarded_allow_ips = ""

# Access log to standard output (the systemd journal), with nothing secret in it:
# see kiosk/web/accesslog.py.
accesslog = "-"
access_log_format = FORMAT
logger_class = RedactingLogger
errorlog = "-"
loglevel = "info"

# gunicorn 27's control socket would be written under $HOME/.gunicorn (the service's home is
# read-only, and a screen has nothing to control): none.
control_socket_disable = True
proc_name = "clinic-kiosk"
