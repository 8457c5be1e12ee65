"""The local mirror against the sandbox (in-process): full load, incremental syncs with changes
made elsewhere, deletions, writes made here, two syncers at once, unreadable records.

Runs on SQLite and PostgreSQL (``store_url``)."""

from __future__ import annotations

import json
import threading
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import httpx2
import orjson
import pytest
from sqlalchemy import update

from copilot.mirror import PARTS, Mirror, _same_text, encode, unreadable_message
from fbclient import FreshBooksClient
from fbclient.asgi import InProcessTransport
from fbclient.client import BusinessClient
from fbclient.errors import NotFoundError
from fbclient.identity import Business
from sandbox.app import create_app
from sandbox.config import SandboxConfig
from sandbox.demo_token import issue_token
from store.db import make_engine, make_sessions
from store.mirror import MirrorStore, PartLoad
from store.schema import MirrorRecord

from ..support.snapshot import fetch_snapshot
from ..support.transports import CountingTransport

OWNER = "user-a"


class Env:
    """A small sandbox, a counted client (the app's), and a second client standing for
    changes made elsewhere (FreshBooks' own web app): the mirror does not hear of those."""

    def __init__(self, store_url: str) -> None:
        self.app = create_app(SandboxConfig(seed=3, size="small"))
        self.transport = InProcessTransport(self.app)
        self.counting = CountingTransport(self.transport)
        token = issue_token(self.app)["access_token"]
        api = "http://sandbox.test"
        self.fb = FreshBooksClient.with_access_token(token, api_url=api, transport=self.counting)
        self.elsewhere = FreshBooksClient.with_access_token(
            token, api_url=api, transport=self.transport
        )
        identity = self.fb.identity()
        self.business: Business = next(b for b in identity.businesses if b.has_accounting)
        self.books: BusinessClient = self.fb.business(self.business)
        self.other: BusinessClient = self.elsewhere.business(self.business)
        self.engine = make_engine(store_url)
        self.store = MirrorStore(self.engine, make_sessions(self.engine))

    def mirror(self, **kwargs: object) -> Mirror:
        mirror = Mirror(self.store, **kwargs)  # type: ignore[arg-type]  # Mirror's own options, passed through
        self.fb.http.observe_writes(mirror.observe(OWNER))
        return mirror

    def requests(self) -> int:
        return self.counting.count

    def close(self) -> None:
        self.fb.close()
        self.elsewhere.close()
        self.transport.shutdown()
        self.app.state.sandbox.close()
        self.engine.dispose()


@pytest.fixture
def env(store_url: str) -> Iterator[Env]:
    env = Env(store_url)
    yield env
    env.close()


def _ids(records: object) -> set[int]:
    return {r.id for r in records}  # type: ignore[attr-defined]  # any records with an id


def test_full_load_holds_what_the_api_lists(env: Env) -> None:
    mirror = env.mirror()
    before = env.requests()
    report = mirror.sync(OWNER, env.books, env.business)
    assert report.requests == env.requests() - before
    assert set(report.full) == {p.name for p in PARTS}
    snap = mirror.snapshot(OWNER, env.books, env.business)
    assert env.requests() - before == report.requests  # the snapshot asked nothing more
    truth = fetch_snapshot(env.other, env.business)
    for part in PARTS:
        mine = sorted(getattr(snap, part.name), key=lambda m: m.model_dump_json())
        theirs = sorted(getattr(truth, part.name), key=lambda m: m.model_dump_json())
        assert mine == theirs, part.name
    assert report.records == sum(len(getattr(truth, p.name)) for p in PARTS)


def test_a_revisit_asks_five_lists_for_changes_and_finds_them(env: Env) -> None:
    mirror = env.mirror(fresh_for=timedelta(0))
    mirror.sync(OWNER, env.books, env.business)
    first = mirror.snapshot(OWNER, env.books, env.business)
    # A snapshot reads a part when first asked: count the invoices before the changes.
    invoices_before = len(first.invoices)
    client = first.clients[0]
    # Changes made elsewhere: a new invoice, an edited expense, an archived client, a new and
    # a deleted time entry.
    invoice = env.other.invoices.create(
        {"customerid": client.id, "create_date": date.today().isoformat(),
         "lines": [{"name": "Mirror test", "qty": "2", "unit_cost": {"amount": "50.00", "code": "USD"}}]}
    )  # fmt: skip
    expense = first.expenses[0]
    env.other.expenses.update(expense.id, {"notes": "edited elsewhere"})
    archived = first.clients[1]
    env.other.clients.archive(archived.id)
    entry = env.other.time_entries.create(
        {"is_logged": True, "started_at": datetime.now(UTC) - timedelta(hours=2), "duration": 3600}
    )
    gone_entry = first.time_entries[0]
    env.other.time_entries.delete(gone_entry.id)

    before = env.requests()
    report = mirror.sync(OWNER, env.books, env.business)
    assert env.requests() - before == 5  # clients, invoices, payments, expenses, time entries
    assert report.requests == 5
    snap = mirror.snapshot(OWNER, env.books, env.business)
    assert invoice.id in _ids(snap.invoices)
    assert next(e for e in snap.expenses if e.id == expense.id).notes == "edited elsewhere"
    assert next(c for c in snap.clients if c.id == archived.id).vis_state == 2
    assert entry.id in _ids(snap.time_entries)
    assert gone_entry.id not in _ids(snap.time_entries)
    assert snap.version > first.version
    assert len(snap.invoices) == invoices_before + 1


def test_deletions_of_accounting_records_are_found_by_the_sweep(env: Env) -> None:
    mirror = env.mirror(fresh_for=timedelta(0))
    mirror.sync(OWNER, env.books, env.business)
    first = mirror.snapshot(OWNER, env.books, env.business)
    payment, invoice = first.payments[0], first.invoices[-1]
    env.other.payments.delete(payment.id)
    env.other.invoices.delete(invoice.id)
    mirror.sync(OWNER, env.books, env.business)  # a quick visit does not sweep yet
    before = env.requests()
    report = mirror.sync(OWNER, env.books, env.business, mode="check")
    snap = mirror.cached(OWNER, env.business)
    assert snap is not None
    assert payment.id not in _ids(snap.payments)
    assert invoice.id not in _ids(snap.invoices)
    assert report.removed["payments"] >= 1
    assert report.removed["invoices"] >= 1
    # Busy lists: changes + deletions (2 each for accounting, 1 for time); reference lists whole.
    assert env.requests() - before == report.requests >= 14
    assert mirror.store.parts(OWNER, env.business.business_id)["payments"].records == len(
        snap.payments
    )


def test_the_app_own_writes_reach_the_mirror_without_asking(env: Env) -> None:
    mirror = env.mirror()
    mirror.sync(OWNER, env.books, env.business)
    first = mirror.snapshot(OWNER, env.books, env.business)
    client = first.clients[0]
    created = env.books.clients.update(client.id, {"organization": "Renamed Ltd"})
    assert created.organization == "Renamed Ltd"
    expense = first.expenses[0]
    env.books.expenses.delete(expense.id)
    before = env.requests()
    cached = mirror.cached(OWNER, env.business)
    assert cached is not None
    assert next(c for c in cached.clients if c.id == client.id).organization == "Renamed Ltd"
    assert expense.id not in _ids(cached.expenses)
    assert env.requests() == before
    # And a second process reading the same store sees the same thing.
    replica = Mirror(env.store)
    replica_view = replica.snapshot(OWNER, env.books, env.business)
    assert expense.id not in _ids(replica_view.expenses)


def test_two_sessions_syncing_at_once_load_once(env: Env) -> None:
    mirrors = [env.mirror(), Mirror(env.store)]  # two processes' worth of views
    barrier = threading.Barrier(2)
    reports = []

    def go(mirror: Mirror) -> None:
        barrier.wait()
        reports.append(mirror.sync(OWNER, env.books, env.business))

    threads = [threading.Thread(target=go, args=(m,)) for m in mirrors]
    before = env.requests()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    full = [r for r in reports if r.full]
    assert len(full) == 1
    assert [r.skipped for r in reports].count(True) == 1
    assert env.requests() - before == full[0].requests
    a = mirrors[0].snapshot(OWNER, env.books, env.business)
    b = mirrors[1].snapshot(OWNER, env.books, env.business)
    assert _ids(a.invoices) == _ids(b.invoices)


def test_a_new_project_seen_in_a_time_entry_is_fetched_in_the_same_sync(env: Env) -> None:
    mirror = env.mirror(fresh_for=timedelta(0))
    mirror.sync(OWNER, env.books, env.business)
    project = env.other.projects.create({"title": "Brand new project", "client_id": None})
    env.other.time_entries.create(
        {"is_logged": True, "started_at": datetime.now(UTC) - timedelta(hours=1),
         "duration": 1800, "project_id": project.id}
    )  # fmt: skip
    report = mirror.sync(OWNER, env.books, env.business)
    assert "projects" in report.full
    snap = mirror.snapshot(OWNER, env.books, env.business)
    assert project.id in _ids(snap.projects)


def test_an_unreadable_record_is_left_out_and_said(env: Env) -> None:
    mirror = env.mirror()
    mirror.sync(OWNER, env.books, env.business)
    first = mirror.snapshot(OWNER, env.books, env.business)
    victim = first.invoices[0]
    with env.engine.begin() as conn:
        conn.execute(
            update(MirrorRecord)
            .where(MirrorRecord.part == "invoices", MirrorRecord.record_id == str(victim.id))
            .values(data=orjson.dumps({"id": victim.id, "amount": {"amount": "x", "code": ""}}))
        )
    fresh = Mirror(env.store).snapshot(OWNER, env.books, env.business)
    assert victim.id not in _ids(fresh.invoices)
    assert len(fresh.invoices) == len(first.invoices) - 1
    assert fresh.unreadable == {"invoices": 1}
    message = unreadable_message(fresh)
    assert message is not None
    assert "1 invoices" in message


class FailingPage(httpx2.BaseTransport):
    """Answers 404 for one page of one list; passes every other request to ``inner``."""

    def __init__(self, inner: httpx2.BaseTransport, path_end: str, page: str) -> None:
        self.inner, self.path_end, self.page = inner, path_end, page

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        if request.url.path.endswith(self.path_end) and request.url.params.get("page") == self.page:
            return httpx2.Response(404, json={"message": "gone for this test"})
        return self.inner.handle_request(request)


def test_a_full_load_that_fails_midway_keeps_the_part_it_was_replacing(env: Env) -> None:
    mirror = env.mirror(fresh_for=timedelta(0))
    mirror.sync(OWNER, env.books, env.business)
    business_id = env.business.business_id
    entries = env.store.records(OWNER, business_id, "time_entries")
    state = env.store.parts(OWNER, business_id)["time_entries"]
    last_page = -(-state.records // 100)
    assert last_page >= 2  # some pages are stored before the last one fails
    env.other.time_entries.create(
        {"is_logged": True, "started_at": datetime.now(UTC) - timedelta(hours=1), "duration": 60}
    )
    env.counting.inner = FailingPage(env.transport, "/time_entries", page=str(last_page))
    with pytest.raises(NotFoundError):
        mirror.sync(OWNER, env.books, env.business, mode="full")
    assert sorted(env.store.records(OWNER, business_id, "time_entries")) == sorted(entries)
    assert env.store.parts(OWNER, business_id)["time_entries"] == state
    env.counting.inner = env.transport
    report = mirror.sync(OWNER, env.books, env.business, mode="full")
    assert report.changed["time_entries"] == state.records + 1


def test_a_full_load_stores_each_page_as_it_arrives(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    added: dict[str, list[int]] = {}
    add = PartLoad.add

    def heard(load: PartLoad, rows: list[tuple[str, bytes]]) -> None:
        added.setdefault(load._part, []).append(len(rows))
        add(load, rows)

    monkeypatch.setattr(PartLoad, "add", heard)
    report = env.mirror().sync(OWNER, env.books, env.business)
    # One page at a time (at most 100 records), never the whole list.
    assert len(added["time_entries"]) >= 2
    for part, counts in added.items():
        assert max(counts) <= 100, part
        assert sum(counts) == report.changed[part], part


def test_forget_drops_one_owner_only(env: Env) -> None:
    mirror = env.mirror()
    mirror.sync(OWNER, env.books, env.business)
    mirror.sync("user-b", env.books, env.business)
    mirror.forget(OWNER)
    assert mirror.store.parts(OWNER, env.business.business_id) == {}
    assert mirror.store.parts("user-b", env.business.business_id)
    assert mirror.cached(OWNER, env.business) is None
    assert sum(Decimal(1) for _ in mirror.snapshot("user-b", env.books, env.business).invoices) > 0


def test_progress_is_told_in_the_caller_thread_with_counts(env: Env) -> None:
    mirror = env.mirror()
    heard: list[tuple[str, int, int, int, bool]] = []

    def progress(part: str, records: int, done: int, total: int) -> None:
        heard.append((part, records, done, total, threading.current_thread() is caller))

    caller = threading.current_thread()
    report = mirror.sync(OWNER, env.books, env.business, progress=progress)
    assert heard
    assert all(in_caller for *_, in_caller in heard)
    records = [r for _, r, *_ in heard]
    assert records == sorted(records)
    assert heard[-1][1] == report.records
    assert heard[-1][2] == heard[-1][3] == len(PARTS)


def test_a_revisit_parses_only_what_changed(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    import copilot.mirror as module

    mirror = env.mirror(fresh_for=timedelta(0))
    # Synced, and the expenses parsed once (parts are parsed when first read).
    assert mirror.snapshot(OWNER, env.books, env.business).expenses
    parsed: list[int] = []
    real = module.parse_stored

    def counting(model, rows):  # type: ignore[no-untyped-def]  # a spy with parse_stored's signature
        parsed.append(len(rows))
        return real(model, rows)

    monkeypatch.setattr(module, "parse_stored", counting)
    expense = mirror.cached(OWNER, env.business).expenses[0]  # type: ignore[union-attr]  # cached: synced just above
    env.other.expenses.update(expense.id, {"notes": "one change"})
    snap = mirror.snapshot(OWNER, env.books, env.business)
    assert next(e for e in snap.expenses if e.id == expense.id).notes == "one change"
    # Only the records the incremental sync brought back (today's), never a whole list again.
    assert sum(parsed) < 60


def test_records_orjson_cannot_write_are_stored_exactly() -> None:
    record = {"id": 1, "huge": 2**70, "text": "Café ☕"}
    assert orjson.loads(encode({"id": 1})) == {"id": 1}
    assert json.loads(encode(record)) == record  # not rounded to a float, not refused
    lone = {"id": 2, "text": "\ud800"}  # a lone surrogate has no UTF-8 form
    assert json.loads(encode(lone)) == lone


def test_an_encoded_record_holds_no_more_memory_than_its_text() -> None:
    record = {
        "id": 1,
        "notes": "x" * 300,
        "lines": [{"n": i, "amount": "10.00"} for i in range(20)],
    }
    tracemalloc.start()
    try:
        kept = [encode(record) for _ in range(100)]
        held, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # A full load holds and stores tens of thousands of these: orjson's own bytes keep the
    # capacity its buffer grew to, several times the text.
    assert held < len(kept) * (len(kept[0]) + 100)
    assert orjson.loads(kept[0]) == record


def test_an_empty_list_replaces_a_part_with_nothing(env: Env) -> None:
    from store.mirror import PartState

    now = datetime.now(UTC)
    env.store.write(OWNER, 1, "projects", upsert=[("1", b"{}")], replace=True)
    env.store.write(OWNER, 1, "projects", upsert=[], replace=True, state=PartState(now, now))
    assert env.store.ids(OWNER, 1, "projects") == set()
    assert env.store.parts(OWNER, 1)["projects"].records == 0


def test_the_mirror_holds_estimates_with_their_lines(env: Env) -> None:
    mirror = env.mirror()
    mirror.sync(OWNER, env.books, env.business)
    snap = mirror.snapshot(OWNER, env.books, env.business)
    truth = env.other.estimates.list(include=["lines"])
    assert snap.estimates
    assert _ids(snap.estimates) == _ids(truth)
    assert any(e.lines for e in snap.estimates)


def test_a_changed_estimate_arrives_on_the_next_incremental_sync(env: Env) -> None:
    # Estimates are asked for changes when the sweep is due (not on every visit).
    mirror = env.mirror(fresh_for=timedelta(0), sweep_every=timedelta(0))
    mirror.sync(OWNER, env.books, env.business)
    first = mirror.snapshot(OWNER, env.books, env.business)
    edited, gone = first.estimates[0], first.estimates[-1]
    env.other.estimates.update(edited.id, {"notes": "changed elsewhere"})
    env.other.estimates.delete(gone.id)
    report = mirror.sync(OWNER, env.books, env.business)
    assert "estimates" not in report.full  # changes and a deletion sweep, not a refetch
    assert report.changed["estimates"] >= 1
    assert report.removed["estimates"] == 1
    snap = mirror.snapshot(OWNER, env.books, env.business)
    assert next(e for e in snap.estimates if e.id == edited.id).notes == "changed elsewhere"
    assert gone.id not in _ids(snap.estimates)


def test_a_quick_revisit_leaves_estimates_to_the_sweep(env: Env) -> None:
    mirror = env.mirror(fresh_for=timedelta(0))
    mirror.sync(OWNER, env.books, env.business)
    report = mirror.sync(OWNER, env.books, env.business)
    assert "estimates" not in report.changed
    assert report.requests == 5


def test_the_app_own_estimate_writes_reach_the_mirror(env: Env) -> None:
    mirror = env.mirror()
    mirror.sync(OWNER, env.books, env.business)
    first = mirror.snapshot(OWNER, env.books, env.business)
    edited, gone = first.estimates[0], first.estimates[-1]
    env.books.estimates.update(edited.id, {"notes": "changed here"})
    env.books.estimates.delete(gone.id)
    before = env.requests()
    cached = mirror.cached(OWNER, env.business)
    assert cached is not None
    assert next(e for e in cached.estimates if e.id == edited.id).notes == "changed here"
    assert gone.id not in _ids(cached.estimates)
    assert env.requests() == before


def test_a_sync_that_finds_nothing_new_makes_no_new_version(env: Env) -> None:
    mirror = env.mirror(fresh_for=timedelta(0))
    first = mirror.snapshot(OWNER, env.books, env.business)
    # Today's records come back on every visit (the accounting filter takes a date): stored
    # as they are, they change nothing.
    again = mirror.snapshot(OWNER, env.books, env.business)
    assert again.version == first.version
    assert again.revision == first.revision
    env.other.expenses.update(first.expenses[0].id, {"notes": "a real change"})
    changed = mirror.snapshot(OWNER, env.books, env.business)
    assert changed.version > first.version
    assert changed.revision != first.revision


def test_a_record_sent_in_another_spelling_is_the_same_record():
    # A full load keeps the text FreshBooks sent; a change is written compactly.
    sent = b'{"id": 1, "note": "caf\\u00e9", "lines": [ ]}'
    assert _same_text(sent, encode({"id": 1, "note": "café", "lines": []}))
    assert not _same_text(sent, encode({"id": 1, "note": "cafe", "lines": []}))
    assert not _same_text(None, encode({"id": 1}))
    assert not _same_text(b"not json", encode({"id": 1}))
