"""The shared caches: fresh values only, bounded, droppable per owner; frames kept per owner."""

from __future__ import annotations

from datetime import date

from copilot.cache import FramesCache, TTLCache

from ..support.runtime_doubles import snapshot


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_values_expire_after_the_ttl():
    clock = Clock()
    cache: TTLCache[str] = TTLCache(ttl=10, max_entries=4, clock=clock)
    cache.put(("alice", 1, 7), "books")
    clock.now = 9
    assert cache.get(("alice", 1, 7)) == "books"
    clock.now = 11
    assert cache.get(("alice", 1, 7)) is None


def test_keys_of_other_owners_and_businesses_do_not_collide():
    cache: TTLCache[str] = TTLCache(ttl=60, max_entries=8)
    cache.put(("alice", 1, 7), "alice's books")
    assert cache.get(("bob", 1, 7)) is None
    assert cache.get(("alice", 2, 7)) is None
    assert cache.get(("alice", 1, 8)) is None


def test_least_recently_used_goes_first_when_full():
    cache: TTLCache[int] = TTLCache(ttl=60, max_entries=2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recent
    cache.put("c", 3)
    assert cache.get("b") is None
    assert (cache.get("a"), cache.get("c")) == (1, 3)


def test_drop_forgets_one_owner():
    cache: TTLCache[str] = TTLCache(ttl=60, max_entries=8)
    cache.put(("alice", 1, 7), "a")
    cache.put(("bob", 2, 9), "b")
    cache.drop(lambda key: key[0] == "alice")
    assert cache.get(("alice", 1, 7)) is None
    assert cache.get(("bob", 2, 9)) == "b"


def test_the_frames_cache_builds_once_per_owner_snapshot_and_day():
    frames = FramesCache(ttl=60, max_entries=8)
    shown = snapshot(version=1)
    alice = ("alice", 5, 9)
    first = frames.frames(alice, shown, date(2026, 6, 15))
    assert frames.frames(alice, shown, date(2026, 6, 15)) is first
    assert frames.frames(("bob", 5, 9), shown, date(2026, 6, 15)) is not first
    assert frames.frames(alice, shown, date(2026, 6, 16)) is not first  # overdue moves on
    assert frames.frames(alice, snapshot(version=2), date(2026, 6, 15)) is not first


def test_the_frames_cache_forgets_one_owner_or_everyone():
    frames = FramesCache(ttl=60, max_entries=8)
    shown, today = snapshot(), date(2026, 6, 15)
    alices = frames.frames(("alice", 5, 9), shown, today)
    bobs = frames.frames(("bob", 5, 9), shown, today)
    frames.forget_owner("alice")
    assert frames.frames(("alice", 5, 9), shown, today) is not alices
    assert frames.frames(("bob", 5, 9), shown, today) is bobs
    frames.clear()
    assert frames.frames(("bob", 5, 9), shown, today) is not bobs
