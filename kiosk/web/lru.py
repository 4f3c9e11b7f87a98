"""A small least-recently-used store, safe for a worker's threads: kept slides, PDFs, and
compressed bodies each keep their few newest things in one.

gunicorn runs several threads a worker, and they share what the worker keeps. Looking a thing
up, marking it used and dropping the oldest are one step under a lock: unlocked, a thread could
find a key that another drops before it is read (a KeyError, so a 500).
"""

import threading
from collections import OrderedDict
from typing import Generic, TypeVar

from flask import current_app

Key = TypeVar("Key")
Value = TypeVar("Value")


class LRU(Generic[Key, Value]):
    """At most `size` values; the one used longest ago goes first."""

    def __init__(self, size: int):
        self.size = size
        self._lock = threading.Lock()
        self._kept: OrderedDict[Key, Value] = OrderedDict()

    def get(self, key: Key) -> Value | None:
        with self._lock:
            value = self._kept.get(key)
            if value is not None:
                self._kept.move_to_end(key)
            return value

    def set(self, key: Key, value: Value):
        with self._lock:
            self._kept[key] = value
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)


def of_app(name: str, size: int) -> LRU:
    """The app's store called `name`, made on first use: each worker process keeps its own."""
    kept = current_app.extensions.get(name)
    if kept is None:
        kept = current_app.extensions.setdefault(name, LRU(size))
    return kept
