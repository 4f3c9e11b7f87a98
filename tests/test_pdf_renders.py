"""Few PDFs are made at once: a render slot (a file lock in the instance folder) is shared by
every worker process, each worker takes only its share of PDF requests, and a PDF that cannot
start in time gets a 503 in words with Retry-After. bench/pdf_renders.py times screens and
sheets meanwhile on a real gunicorn."""

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kiosk import pdf
from kiosk.config import from_environ
from tests.sheet_helpers import make_sheet

SHEET = "/s/back-pain-stretches"
HOLD_A_SLOT = """
import fcntl, os, sys, time
descriptor = os.open(sys.argv[1], os.O_RDONLY)
fcntl.flock(descriptor, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.read()
"""


@pytest.fixture
def one_slot(seeded_app, monkeypatch):
    """The seeded app with one render slot for the machine, a short wait and no PDF cached."""
    app = seeded_app(PDF_RENDERS=1)
    monkeypatch.setattr(pdf, "WAIT_SECONDS", 0.5)
    return app


def slot_path(app) -> Path:
    return pdf.slot_files(Path(app.instance_path) / "pdf-renders", 1)[0]


def assert_busy(response):
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "no-store" in response.headers["Cache-Control"]  # a patient's also "private"
    assert "being made into PDFs right now" in page and "try again in a few seconds" in page


def test_a_pdf_waits_for_the_slot_another_process_holds_then_gets_503(one_slot):
    holder = subprocess.Popen([sys.executable, "-c", HOLD_A_SLOT, str(slot_path(one_slot))],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        client = one_slot.test_client()
        started = time.monotonic()
        assert_busy(client.get(f"{SHEET}.pdf"))
        assert 0.5 <= time.monotonic() - started < 5
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
        holder.stdout.close()
    # The other process is done (or died): its lock went with it.
    response = one_slot.test_client().get(f"{SHEET}.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_a_pdf_starts_as_soon_as_the_slot_is_free(one_slot, monkeypatch):
    monkeypatch.setattr(pdf, "WAIT_SECONDS", 10)
    held = pdf._try_lock(slot_path(one_slot))
    threading.Timer(0.5, pdf.os.close, [held]).start()
    started = time.monotonic()
    response = one_slot.test_client().get(f"{SHEET}.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert time.monotonic() - started >= 0.5


def test_a_worker_takes_only_its_share_of_pdf_requests(one_slot):
    """The rest of its threads stay free for screens and sheets: a PDF over the share is
    refused at once, without waiting; a PDF made before still comes from the cache."""
    client = one_slot.test_client()
    token = make_sheet(one_slot, note="Twice a day")
    assert client.get(f"{SHEET}.pdf").status_code == 200
    for _ in range(pdf.PER_PROCESS):
        pdf._in_this_process.acquire()
    try:
        started = time.monotonic()
        assert_busy(client.get(f"/p/{token}.pdf"))
        assert time.monotonic() - started < pdf.WAIT_SECONDS
        assert client.get(f"{SHEET}.pdf").status_code == 200
        assert client.get(SHEET).status_code == 200
    finally:
        for _ in range(pdf.PER_PROCESS):
            pdf._in_this_process.release()
    assert client.get(f"/p/{token}.pdf").status_code == 200


def test_without_room_for_the_slot_files_each_process_keeps_to_the_limit(one_slot,
                                                                          monkeypatch):
    def refused(folder, slots):
        raise PermissionError(13, "Read-only file system", str(folder))

    monkeypatch.setattr(pdf, "slot_files", refused)
    response = one_slot.test_client().get(f"{SHEET}.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_render_slots_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setattr("os.sched_getaffinity", lambda _pid: set(range(4)))
    assert from_environ(str(tmp_path), {})["PDF_RENDERS"] == 2
    monkeypatch.setattr("os.sched_getaffinity", lambda _pid: {0})
    assert from_environ(str(tmp_path), {})["PDF_RENDERS"] == 1
    assert from_environ(str(tmp_path), {"KIOSK_PDF_RENDERS": "3"})["PDF_RENDERS"] == 3
    with pytest.raises(ValueError, match="KIOSK_PDF_RENDERS"):
        from_environ(str(tmp_path), {"KIOSK_PDF_RENDERS": "0"})
