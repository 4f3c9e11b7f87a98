"""A small least-recently-used store, safe for a worker's threads: kept slides, PDFs, and
compressed bodies each keep their few newest things in one.

gunicorn runs several threads a worker, and they share what the worker keeps. Looking a thing
up, marking it used and dropping the oldest are one step under a lock: unlocked, a thread could
find a key that another drops before it is read (a KeyError, so a 500).
"""

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

from flask import current_app

Key = TypeVar("Key")
Value = TypeVar("Value")


def one(_value) -> int:
    return 1


class LRU(Generic[Key, Value]):
    """At most `size` values, or as `weigh` counts them (say, in bytes); the one used longest
    ago goes first."""

    def __init__(self, size: int, weigh: Callable[[Value], int] = one):
        self.size, self.weigh, self.weight = size, weigh, 0
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
            replaced = self._kept.pop(key, None)
            if replaced is not None:
                self.weight -= self.weigh(replaced)
            self._kept[key] = value
            self.weight += self.weigh(value)
            while self.weight > self.size and self._kept:
                _, dropped = self._kept.popitem(last=False)
                self.weight -= self.weigh(dropped)

    def __len__(self) -> int:
        return len(self._kept)


def of_app(name: str, size: int, weigh: Callable[[Value], int] = one) -> LRU:
    """The app's store called `name`, made on first use: each worker process keeps its own."""
    kept = current_app.extensions.get(name)
    if kept is None:
        kept = current_app.extensions.setdefault(name, LRU(size, weigh))
    return kept
