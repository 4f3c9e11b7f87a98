"""The store that keeps slides, PDFs and compressed bodies: least recently used goes first,
and a worker's threads sharing it never see an error."""

import sys
import threading

import pytest

from kiosk.web.lru import LRU


def test_the_thing_used_longest_ago_goes_first():
    kept = LRU(2)
    kept.set("neck", b"neck slide")
    kept.set("shoulders", b"shoulders slide")
    assert kept.get("neck") == b"neck slide"  # used now, so shoulders is the oldest
    kept.set("hips", b"hips slide")
    assert kept.get("shoulders") is None
    assert kept.get("neck") == b"neck slide"
    assert kept.get("hips") == b"hips slide"


def test_setting_a_kept_key_again_replaces_it_and_keeps_the_size():
    kept = LRU(2)
    kept.set("neck", b"old")
    kept.set("neck", b"new")
    kept.set("hips", b"hips")
    assert kept.get("neck") == b"new"
    assert kept.get("hips") == b"hips"


def test_a_store_weighed_in_bytes_drops_the_oldest_until_the_newest_fit():
    kept = LRU(10, weigh=len)
    kept.set("neck", b"12345")
    kept.set("shoulders", b"1234")
    kept.set("hips", b"123")  # 12 bytes: the neck goes
    assert (kept.get("neck"), len(kept), kept.weight) == (None, 2, 7)
    kept.set("shoulders", b"123456")  # replaced: its old bytes no longer count
    assert (kept.get("hips"), kept.get("shoulders"), kept.weight) == (b"123", b"123456", 9)
    kept.set("too big", b"12345678901")
    assert (len(kept), kept.weight) == (0, 0)


@pytest.fixture
def switching_often():
    """Threads take turns every microsecond, so a race shows in a fraction of a second."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(interval)


def test_threads_reading_while_others_evict_never_fail(switching_often):
    """gunicorn's threads ask for the same few slides while new ones push old ones out: every
    read gives the value that was stored for that key, or nothing, and never raises."""
    kept = LRU(4)
    keys = [f"slide-{n}" for n in range(8)]  # twice what fits: every set evicts
    failures = []
    done = threading.Event()

    def hammer(offset: int):
        try:
            n = offset
            while not done.is_set():
                key = keys[n % len(keys)]
                kept.set(key, key.encode())
                for other in keys:
                    value = kept.get(other)
                    assert value is None or value == other.encode(), (other, value)
                n += 1
        except Exception as error:  # noqa: BLE001 (any error in a thread fails the test)
            failures.append(error)
            done.set()

    threads = [threading.Thread(target=hammer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    done.wait(timeout=1)
    done.set()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sum(kept.get(key) is not None for key in keys) == 4
