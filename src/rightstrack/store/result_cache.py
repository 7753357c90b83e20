"""Search results kept for the current write generation: a repeated search costs a dictionary lookup.

Public search traffic repeats itself (the same front-page searches, the same facet links), and a
search result only changes when something is written. Every write transaction bumps the store's
generation, so a result cached under one generation is never served after a write: the first read
that sees a new generation empties the cache. Each process has its own cache (one per Database).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

Value = TypeVar("Value")

DEFAULT_SIZE = 512


class ResultCache(Generic[Value]):
    """A least-recently-used map from request key to result, valid for one write generation."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self.hits = 0
        self.misses = 0
        self._generation = -1
        self._items: OrderedDict[Hashable, Value] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, generation: int, key: Hashable) -> Value | None:
        with self._lock:
            if generation != self._generation:
                self._items.clear()
                self._generation = generation
            found = self._items.get(key)
            if found is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return found

    def put(self, generation: int, key: Hashable, value: Value) -> None:
        if self.size <= 0:
            return
        with self._lock:
            if generation != self._generation:
                return  # a write happened while this result was computed: it may already be stale
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)
