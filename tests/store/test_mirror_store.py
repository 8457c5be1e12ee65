"""The mirror's storage: a part replaced by rows that arrive page by page (a full load).

Runs on SQLite and PostgreSQL (``store_engine``)."""

from __future__ import annotations

import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from store.db import make_sessions
from store.mirror import MirrorStore, PartState

OWNER = "user-a"
BUSINESS = 7
EARLIER = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LATER = EARLIER + timedelta(hours=1)


@pytest.fixture
def store(store_engine) -> MirrorStore:
    return MirrorStore(store_engine, make_sessions(store_engine))


def rows(first: int, count: int, version: str = "new") -> list[tuple[str, bytes]]:
    return [
        (str(i), b'{"id":%d,"v":"%s"}' % (i, version.encode())) for i in range(first, first + count)
    ]


def stored(store: MirrorStore, part: str = "invoices") -> dict[str, bytes]:
    return dict(store.records(OWNER, BUSINESS, part))


def held(store: MirrorStore) -> MirrorStore:
    """``store`` holding 5 old invoices and 3 clients, both synced at EARLIER."""
    store.write(
        OWNER,
        BUSINESS,
        "invoices",
        upsert=rows(1, 5, "old"),
        replace=True,
        state=PartState(EARLIER, EARLIER, revision=4),
    )
    store.write(
        OWNER,
        BUSINESS,
        "clients",
        upsert=rows(1, 3),
        replace=True,
        state=PartState(EARLIER, EARLIER),
    )
    return store


def test_readers_see_the_old_part_until_the_load_finishes(store: MirrorStore) -> None:
    held(store)
    old = stored(store)
    with store.replacing(OWNER, BUSINESS, "invoices") as load:
        load.add(rows(3, 4))
        load.add(rows(7, 4))
        assert stored(store) == old
        assert store.parts(OWNER, BUSINESS)["invoices"].revision == 4
        load.finish(PartState(LATER, LATER, revision=5))
    assert stored(store) == dict(rows(3, 8))  # ids 1 and 2 are gone: the part was replaced
    state = store.parts(OWNER, BUSINESS)["invoices"]
    assert (state.records, state.revision, state.synced_at) == (8, 5, LATER)
    assert load.rows == 8
    assert len(stored(store, "clients")) == 3  # other parts untouched


def test_a_load_that_fails_midway_leaves_the_part_as_it_was(store: MirrorStore) -> None:
    held(store)
    old, old_state = stored(store), store.parts(OWNER, BUSINESS)["invoices"]

    def load_failing_at_page_3() -> None:
        with store.replacing(OWNER, BUSINESS, "invoices") as load:
            load.add(rows(1, 100))
            load.add(rows(101, 100))
            raise RuntimeError("page 3 failed")

    with pytest.raises(RuntimeError, match="page 3"):
        load_failing_at_page_3()
    assert stored(store) == old
    assert store.parts(OWNER, BUSINESS)["invoices"] == old_state


def test_an_empty_load_replaces_the_part_with_nothing(store: MirrorStore) -> None:
    held(store)
    with store.replacing(OWNER, BUSINESS, "invoices") as load:
        load.add([])
        load.finish(PartState(LATER, LATER))
    assert stored(store) == {}
    assert store.parts(OWNER, BUSINESS)["invoices"].records == 0


def test_a_record_listed_twice_is_kept_once_as_last_listed(store: MirrorStore) -> None:
    # Pages fetched while FreshBooks adds a record shift: one record can come on two pages.
    with store.replacing(OWNER, BUSINESS, "invoices") as load:
        load.add(rows(1, 3, "first"))
        load.add(rows(3, 2, "second"))
        load.finish(PartState(LATER, LATER))
    assert stored(store) == dict(rows(1, 2, "first") + rows(3, 2, "second"))
    assert store.parts(OWNER, BUSINESS)["invoices"].records == 4


def test_pages_may_be_added_from_many_threads(store: MirrorStore) -> None:
    with store.replacing(OWNER, BUSINESS, "time_entries") as load:
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda page: load.add(rows(page * 100, 100)), range(30)))
        load.finish(PartState(LATER, LATER))
    assert stored(store, "time_entries") == dict(rows(0, 3000))
    assert load.rows == 3000


def test_nothing_is_added_after_the_load_finished(store: MirrorStore) -> None:
    with store.replacing(OWNER, BUSINESS, "invoices") as load:
        load.finish(PartState(LATER, LATER))
        with pytest.raises(RuntimeError):
            load.add(rows(1, 1))
        with pytest.raises(RuntimeError):
            load.finish(PartState(LATER, LATER))


def test_a_load_keeps_its_rows_out_of_memory(store: MirrorStore) -> None:
    record = b'{"notes":"' + b"x" * 10_000 + b'"}'
    with store.replacing(OWNER, BUSINESS, "invoices") as load:
        tracemalloc.start()
        try:
            for page in range(20):  # 2,000 records, 20 MB
                load.add([(str(page * 100 + i), bytes(record)) for i in range(100)])
            kept, _peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert kept < 1_000_000
        load.finish(PartState(LATER, LATER))
    assert store.parts(OWNER, BUSINESS)["invoices"].records == 2000
