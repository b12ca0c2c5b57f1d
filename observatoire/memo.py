"""A small thread-safe least-recently-used cache shared by every session of the server.

Streamlit's `st.cache_data` pickles each result and unpickles it at every hit, and hashes
its arguments through `inspect.signature`: about 1 ms per call, paid a dozen times per page
at every rerun. The dashboard's cached values (query results keyed on the database file's
version, figures keyed on their data) are read-only, so they are kept as objects here.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class LruCache:
    """get(key, build): the value stored under key, built (outside the lock) when missing."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, build: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                return self._entries[key]
        value = build()  # another session may build the same value meanwhile: both are equal
        with self._lock:
            self.misses += 1
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


def fingerprint(fn: Callable, args: tuple, kwargs: dict) -> str:
    """A digest of a function's name and its arguments, DataFrames compared by content (through pickle)."""
    payload = (fn.__module__, fn.__qualname__, args, sorted(kwargs.items()))
    return hashlib.blake2b(pickle.dumps(payload, protocol=5), digest_size=20).hexdigest()
