"""Settings from KIOSK_* environment variables, with safe defaults for a single clinic."""

import os
import secrets
from pathlib import Path

MB = 1024 * 1024


def from_environ(instance_path: str, environ=os.environ) -> dict:
    """Read the KIOSK_* settings; unset ones fall back to a single-clinic default."""
    return {
        "DATABASE_URL": normalise_database_url(
            environ.get("KIOSK_DATABASE_URL")
            or f"sqlite:///{Path(instance_path) / 'kiosk.sqlite3'}"
        ),
        "SECRET_KEY": environ.get("KIOSK_SECRET_KEY") or None,
        "PUBLIC_URL": environ.get("KIOSK_PUBLIC_URL", "").strip().rstrip("/"),
        "DWELL_SECONDS": _positive_int(environ, "KIOSK_DWELL_SECONDS"),
        "IDLE_SECONDS": _positive_int(environ, "KIOSK_IDLE_SECONDS"),
        # A screen that has not reported for this long shows red in the console.
        "SCREEN_SILENT_SECONDS": _positive_int(environ, "KIOSK_SCREEN_SILENT_SECONDS") or 120,
        # Schedules ("mornings") are in the clinic's time zone; default: the machine's.
        "TIMEZONE": environ.get("KIOSK_TIMEZONE") or None,
        "SHEET_EXPIRY_DAYS": _positive_int(environ, "KIOSK_SHEET_EXPIRY_DAYS") or 180,
        # Turns the clinic's local phone number into a tel: link that works from any phone.
        "PHONE_COUNTRY_CODE": environ.get("KIOSK_PHONE_COUNTRY_CODE", "61").lstrip("+"),
        # Uploaded photos and videos (kiosk/media/), in MB of 1024 x 1024 bytes.
        "MAX_IMAGE_MB": _megabytes(environ, "KIOSK_MAX_IMAGE_MB", 8),
        "MAX_VIDEO_MB": _megabytes(environ, "KIOSK_MAX_VIDEO_MB", 50),
        # No request body may be bigger: the largest upload plus room for the form around it.
        # kiosk/web/limits.py allows much less on every other route, and more for an import.
        "MAX_CONTENT_LENGTH": (_megabytes(environ, "KIOSK_MAX_VIDEO_MB", 50) + 1) * MB,
        # A console session ends after this long without a request, and in any case this
        # long after signing in (kiosk/staff/sessions.py).
        "SESSION_IDLE_MINUTES": _positive_int(environ, "KIOSK_SESSION_IDLE_MINUTES",
                                              unit="minutes") or 4 * 60,
        "SESSION_HOURS": _positive_int(environ, "KIOSK_SESSION_HOURS", unit="hours") or 12,
        # Days the audit log keeps who did what in the console (kiosk/audit.py).
        "AUDIT_DAYS": _positive_int(environ, "KIOSK_AUDIT_DAYS", unit="days") or 365,
        # Proxies in front of the app whose X-Forwarded-* headers to believe; 0 believes none.
        "PROXY_HOPS": _positive_int(environ, "KIOSK_PROXY_HOPS", unit="proxies", least=0) or 0,
        # Names the kiosk answers to besides its public address and this machine's own names
        # and addresses (kiosk/web/hosts.py); not Flask's TRUSTED_HOSTS, which refuses the rest.
        "TRUSTED_HOST_NAMES": environ.get("KIOSK_TRUSTED_HOSTS", "").replace(",", " ").split(),
        # PDFs made at once on this machine, by all its workers together (kiosk/pdf.py).
        "PDF_RENDERS": _positive_int(environ, "KIOSK_PDF_RENDERS", unit="PDFs")
        or max(1, _usable_cpus() // 2),
    }


def normalise_database_url(url: str) -> str:
    """Point plain PostgreSQL URLs at psycopg 3, the driver this project installs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def instance_secret_key(instance_path: str) -> str:
    """Return the key kept in the instance folder, creating it on first use."""
    path = Path(instance_path) / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write aside, then link into place: link fails if another process won the race,
    # and nobody ever reads a half-written key.
    temporary = path.with_name(f".secret_key.{os.getpid()}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(secrets.token_hex(32))
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
    return path.read_text().strip()


def _usable_cpus() -> int:
    """The CPUs this process may run on (a container or systemd may allow fewer than exist)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _megabytes(environ, name: str, default: int) -> int:
    return _positive_int(environ, name, unit="MB") or default


def _positive_int(environ, name: str, unit: str = "seconds", least: int = 1) -> int | None:
    raw = environ.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number of {unit}, not {raw!r}") from None
    if value < least:
        raise ValueError(f"{name} must be at least {least}, not {value}")
    return value
