"""The dashboards' frames cache, and the small thread-safe TTL cache under it.

Streamlit's ``st.cache_data`` is shared by every session of the server; the frames cache is
too (one per runtime), so every key starts with the owner and the FreshBooks identity and
business it belongs to: one account's frames can never be served to another's session.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date
from typing import Generic, TypeVar

from fbclient.snapshot import Snapshot
from insights.frames import Frames, build_frames

from .context import OwnerKey

__all__ = ["FramesCache", "TTLCache"]

V = TypeVar("V")


class TTLCache(Generic[V]):
    """At most ``max_entries`` values, each forgotten ``ttl`` seconds after it was stored."""

    def __init__(
        self, ttl: float, max_entries: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl = ttl
        self._max = max_entries
        self._clock = clock
        self._lock = threading.Lock()
        self._items: OrderedDict[Hashable, tuple[float, V]] = OrderedDict()

    def get(self, key: Hashable) -> V | None:
        """The value under ``key`` if still fresh."""
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            stored, value = item
            if self._clock() - stored > self._ttl:
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> None:
        """Store ``value``; the least recently used entry goes when full."""
        with self._lock:
            self._items[key] = (self._clock(), value)
            self._items.move_to_end(key)
            while len(self._items) > self._max:
                self._items.popitem(last=False)

    def drop(self, predicate: Callable[[Hashable], bool]) -> None:
        """Forget every entry whose key matches (e.g. all of one owner's after disconnect)."""
        with self._lock:
            for key in [k for k in self._items if predicate(k)]:
                del self._items[key]


class FramesCache:
    """Each business's frames, built once per snapshot and business day, kept per owner.

    Building frames from a large account takes a while; every dashboard page needs them.
    """

    def __init__(
        self,
        ttl: float = 600,
        max_entries: int = 32,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._cache: TTLCache[Frames] = TTLCache(ttl, max_entries, clock)
        self._derived: TTLCache[object] = TTLCache(ttl, max_entries * 4, clock)

    def frames(self, whose: OwnerKey, snapshot: Snapshot, today: date) -> Frames:
        """The frames of ``snapshot`` on ``today``, built unless already held for ``whose``."""
        key = (*whose, "frames", snapshot.fetched_at, snapshot.version, today)
        frames = self._cache.get(key)
        if frames is None:
            frames = build_frames(snapshot, today)
            self._cache.put(key, frames)
        return frames

    def derived(
        self, whose: OwnerKey, snapshot: Snapshot, today: date, name: str, make: Callable[[], V]
    ) -> V:
        """What ``make`` computes from ``snapshot`` on ``today`` (a forecast, a backtest),
        computed once per snapshot and day and kept for ``whose`` only."""
        key = (*whose, name, snapshot.fetched_at, snapshot.version, today)
        held = self._derived.get(key)
        if held is None:
            held = make()
            self._derived.put(key, held)
        return held  # type: ignore[return-value]  # stored by this method under its own name

    def forget_owner(self, owner: str) -> None:
        """Drop every frame of one app user (after they disconnect)."""
        for cache in (self._cache, self._derived):
            cache.drop(lambda key: isinstance(key, tuple) and key[:1] == (owner,))

    def clear(self) -> None:
        """Drop every frame (after the demo business is seeded afresh)."""
        for cache in (self._cache, self._derived):
            cache.drop(lambda _key: True)
