"""Loading a business's books: fresh when FreshBooks answers, the last sync when it cannot."""

from __future__ import annotations

import pytest

from copilot.books import expire_books, frames_for, load_books
from fbclient import NetworkError, ReauthorizationRequired, ServerError

from ..support.runtime_doubles import Mirror, context, runtime, snapshot


def test_a_sync_that_works_is_not_marked_as_old():
    fresh = snapshot(version=2)
    mirror = Mirror(fresh, stored=snapshot(version=1))
    loaded = load_books(runtime(mirror), context())
    assert loaded.snapshot is fresh
    assert loaded.failure is None
    assert [call[0] for call in mirror.calls] == ["snapshot"]  # the stored copy is not read


def test_mode_and_progress_reach_the_mirror_for_the_owners_books():
    mirror = Mirror(snapshot())

    def progress(name: str, records: int, done: int, total: int) -> None:
        pass

    load_books(runtime(mirror), context("alice"), mode="check", progress=progress)
    assert mirror.calls == [
        ("snapshot", "alice", ("books", 9), 9, {"mode": "check", "progress": progress})
    ]


@pytest.mark.parametrize("error", [ServerError("down"), NetworkError("unreachable")])
def test_freshbooks_failing_gives_the_last_sync_with_the_reason(error):
    stored = snapshot(version=1)
    mirror = Mirror(error, stored=stored)
    loaded = load_books(runtime(mirror), context())
    assert loaded.snapshot is stored
    assert loaded.failure is error


def test_freshbooks_failing_with_nothing_synced_yet_raises():
    mirror = Mirror(ServerError("down"), stored=None)
    with pytest.raises(ServerError):
        load_books(runtime(mirror), context())


def test_a_lost_authorization_is_raised_even_when_a_sync_is_stored():
    mirror = Mirror(ReauthorizationRequired("reconnect"), stored=snapshot())
    with pytest.raises(ReauthorizationRequired):
        load_books(runtime(mirror), context())
    assert [call[0] for call in mirror.calls] == ["snapshot"]


def test_demo_mode_reads_the_one_demo_mirror_whoever_looks():
    mirror = Mirror(ServerError("down"), stored=snapshot())
    load_books(runtime(mirror, demo=True), context("bob", demo=True))
    assert {call[1] for call in mirror.calls} == {"demo"}


def test_after_a_write_the_books_are_asked_again():
    mirror = Mirror(snapshot())
    expire_books(runtime(mirror), context("alice"))
    assert mirror.calls == [("expire", "alice", 9)]


def test_frames_are_built_once_per_snapshot_and_kept_per_owner():
    rt = runtime(Mirror(snapshot()))
    shown = snapshot(version=3)
    first = frames_for(rt, context("alice"), shown)
    assert frames_for(rt, context("alice"), shown) is first
    assert frames_for(rt, context("bob"), shown) is not first  # never another owner's
    assert frames_for(rt, context("alice"), snapshot(version=4)) is not first
    assert first.business_name == "Demo Studio"
