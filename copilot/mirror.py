"""The local mirror: every record the dashboards and the agent read, kept in the store and
refreshed incrementally.

Which lists it keeps, and how each is keyed and asked for changes, is not said here: every
list is declared once on its resource in ``fbclient`` (:class:`~fbclient.listing.Listing`,
gathered in :data:`fbclient.catalogue.CATALOGUE`), and this module follows the declarations.

- The first sync of a business fetches every list (pages concurrently) and stores the records
  as FreshBooks sent them; nothing is parsed on the way in.
- Later syncs ask only for what changed. Every visit asks the busy lists (invoices, payments,
  expenses, clients, time entries) for records updated since the last sync: accounting lists
  with ``search[updated_min]`` (day-granular: FreshBooks' filter takes a date [?], so the whole
  current day comes back, and upserts make that harmless), time entries with
  ``updated_since`` and ``include_deleted=true`` (deleted entries come back and are dropped).
  Accounting lists leave deleted records out of their answers, so finding deletions needs a
  request of its own per list (``search[vis_state]=1``); those sweeps, the changes of quieter
  lists (estimates) and the small reference lists (categories, projects, services, rates,
  team) run every ``sweep_every`` or when the user asks for a full check, and a reference list
  at once when a changed record points at an id it does not hold.
- A sync holds a lock in the database per owner and business, so two sessions (or two app
  processes) refreshing together make one sync; the second finds the work done.
- Writes the app makes are applied from FreshBooks' answers: the client's resources announce
  each write as a :class:`~fbclient.events.RecordWritten` (:meth:`Mirror.observe` subscribes),
  and the busy lists are asked again on the next visit (a payment changes its invoice
  server-side).
- Records are parsed into the client's models when read back, and kept parsed in memory per
  owner and business, so a revisit re-parses only what changed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import orjson
from pydantic import ValidationError

from fbclient._json import compact as encode
from fbclient._json import loads
from fbclient.catalogue import BY_NAME as CATALOGUE_BY_NAME
from fbclient.catalogue import CATALOGUE, listings_for
from fbclient.client import BusinessClient
from fbclient.errors import PermissionDeniedError, ResponseFormatError
from fbclient.events import RecordWritten
from fbclient.identity import Business
from fbclient.listing import Listing
from fbclient.models._base import FBModel, parse_records
from fbclient.models.projection import Projection
from fbclient.raw import RawRecord, Record, fetch_raw
from fbclient.scopes import Grant
from fbclient.snapshot import Snapshot
from store.mirror import MirrorStore, PartState

__all__ = ["PARTS", "Mirror", "SyncReport"]

log = logging.getLogger(__name__)

Mode = Literal["auto", "check", "full"]
# (part, records so far in this sync, parts done, parts in this sync)
Progress = Callable[[str, int, int, int], None]

# Server and local clocks differ, and a record saved while we sync may carry an earlier stamp:
# every "since" looks this far further back (re-reading a record is harmless).
MARGIN = timedelta(minutes=10)

# Versions of a view whose changes are remembered (a snapshot older than that is rebuilt from
# scratch by whoever follows it).
CHANGES_KEPT = 32

# Records decoded at a time when a part is read as light rows: an invoice with its lines is
# about 15 KB once decoded, so 500 of them stay under 10 MB, and a batch is still one query
# fetch and one JSON text.
BATCH = 500


PARTS: tuple[Listing, ...] = CATALOGUE  # every list the mirror keeps, from fbclient
BY_NAME: dict[str, Listing] = CATALOGUE_BY_NAME


@dataclass(frozen=True)
class SyncReport:
    """What one sync did."""

    mode: str
    requests: int  # pages fetched
    records: int  # records received
    changed: dict[str, int]  # part -> records upserted
    removed: dict[str, int]  # part -> records dropped
    full: tuple[str, ...]  # parts fetched whole
    skipped: bool = False  # another session had just synced: nothing asked


@dataclass
class _View:
    """The mirror of one business in this process: the parts' states, and the parts parsed
    into models so far (only those someone read: the dashboards read light rows)."""

    models: dict[str, dict[str, FBModel]]
    states: dict[str, PartState]
    unreadable: dict[str, int]
    synced_at: datetime
    version: int = 0
    stale: bool = False  # a write made here: ask the busy lists again on the next visit
    grant: Grant = field(default_factory=Grant)  # the connection's scopes at the last sync
    snapshot: Snapshot | None = None
    owner: str = ""
    # (version, part -> ids of the records upserted or removed, None when not known) for the
    # latest versions: what changed since an older snapshot, so frames can follow the changes.
    changes: list[tuple[int, dict[str, frozenset[str] | None]]] = field(default_factory=list)

    def bump(self, touched: dict[str, frozenset[str] | None]) -> None:
        """A new version, with what changed in it."""
        self.version += 1
        self.snapshot = None
        self.changes.append((self.version, touched))
        del self.changes[:-CHANGES_KEPT]

    def changes_since(self, version: int) -> dict[str, frozenset[str]] | None:
        """The ids changed per part after ``version``; None when that is not known."""
        if version == self.version:
            return {}
        later = [touched for v, touched in self.changes if v > version]
        if version > self.version or len(later) != self.version - version:
            return None  # older than the log, or another view's numbering
        out: dict[str, frozenset[str]] = {}
        for touched in later:
            for part, ids in touched.items():
                if ids is None:
                    return None
                out[part] = out.get(part, frozenset()) | ids
        return out


def parse_stored(
    model: type[FBModel], rows: list[tuple[str, bytes]]
) -> tuple[dict[str, FBModel], int]:
    """Records stored as (id, JSON), parsed by id; unreadable ones left out and counted."""
    if not rows:
        return {}, 0
    try:
        parsed = parse_records(model, _as_array(rows))
        return {rid: item for (rid, _), item in zip(rows, parsed, strict=True)}, 0
    except ResponseFormatError:
        pass  # find the bad ones one by one
    good: dict[str, FBModel] = {}
    for rid, data in rows:
        try:
            good[rid] = model.model_validate(loads(data))
        except (ValidationError, ValueError):
            log.warning("a mirrored %s record could not be read", model.__name__)
    return good, len(rows) - len(good)


def _revision_key(view: _View) -> str:
    """The stored records' revision as a key, the same in every process that reads them:
    each part's revision and count (a part's first load starts its revisions at a random
    number, so a mirror dropped and loaded again does not repeat an earlier key)."""
    held = sorted((name, st.revision, st.records, st.truncated) for name, st in view.states.items())
    text = json.dumps(held, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _same_text(stored: bytes | None, data: bytes) -> bool:
    """Whether a stored record's text holds the same JSON as ``data``: a full load keeps the
    text FreshBooks sent, a change is written compactly, so equal texts are the quick answer."""
    if stored is None:
        return False
    if stored == data:
        return True
    try:
        return bool(loads(stored) == loads(data))
    except ValueError:
        return False


def _same_records(a: PartState, b: PartState) -> bool:
    """Whether two states of a part hold the same records (only when they were synced
    differs)."""
    return (a.revision, a.records, a.truncated) == (b.revision, b.records, b.truncated)


def _first_revision() -> int:
    # Far below the 32-bit bound of the column, leaving room for the increments.
    return secrets.randbelow(2**30)


class _ViewSource:
    """A snapshot's parts as the mirror stores them, read when first asked (a
    :class:`~fbclient.snapshot.PartSource`). Parts this view holds no state for (never
    synced, or withheld by the connection's scopes) are empty."""

    def __init__(self, mirror: Mirror, owner: str, business: Business, view: _View) -> None:
        self._mirror = mirror
        self._owner = owner
        self._business_id = business.business_id
        self._view = view

    def models(self, part: str) -> list[Any]:
        """Every record of ``part`` parsed, kept in the view for later snapshots."""
        view = self._view
        if part not in view.states:
            return []
        held = view.models.get(part)
        if held is None:
            state = view.states.get(part)
            rows = self._mirror.store.records(self._owner, self._business_id, part)
            held, bad = parse_stored(BY_NAME[part].model, rows)
            if view.states.get(part) is state:  # a sync meanwhile: keep them for this call only
                view.unreadable[part] = bad
                view.models[part] = held
        return list(held.values())

    def rows(self, part: str, projection: Projection) -> Iterator[Any]:
        """Every record of ``part`` as a light row, read a batch at a time as the caller
        goes (its models when this process parsed them already)."""
        view = self._view
        if part not in view.states:
            return
        held = view.models.get(part)
        if held is not None:
            yield from list(held.values())
            return
        refused = 0
        for batch in self._mirror.store.batches(self._owner, self._business_id, part, BATCH):
            found, bad = projection.read(_decoded(batch))
            refused += bad
            yield from found
        view.unreadable[part] = refused

    def changes_since(self, older: object, version: int) -> dict[str, frozenset[str]] | None:
        """The ids changed per part since ``older``'s snapshot of ``version`` (None: not
        known, or ``older`` reads another view)."""
        if not isinstance(older, _ViewSource) or older._view is not self._view:
            return None
        return self._view.changes_since(version)

    def rows_of(self, part: str, ids: Iterable[str], projection: Projection) -> list[Any]:
        """The records of ``part`` with these ids as light rows (those still mirrored)."""
        wanted = sorted(set(ids))
        if part not in self._view.states or not wanted:
            return []
        held = self._view.models.get(part)
        if held is not None:
            return [held[rid] for rid in wanted if rid in held]
        stored = self._mirror.store.some(self._owner, self._business_id, part, wanted)
        rows, _bad = projection.read(_decoded(stored))
        return rows

    def record(self, part: str, record_id: int) -> Any | None:
        """One record parsed from the store (or from the models held)."""
        view = self._view
        if part not in view.states:
            return None
        held = view.models.get(part)
        if held is not None:
            return held.get(str(record_id))
        data = self._mirror.store.record(self._owner, self._business_id, part, str(record_id))
        if data is None:
            return None
        found, _bad = parse_stored(BY_NAME[part].model, [(str(record_id), data)])
        return found.get(str(record_id))


def _as_array(rows: list[tuple[str, bytes]]) -> bytes:
    """Stored records (id, JSON) as one JSON array, to be read in one call."""
    return b"[" + b",".join(data for _, data in rows) + b"]"


def _decoded(batch: list[tuple[str, bytes]]) -> list[Any]:
    """A batch of stored records decoded (one JSON text for all; one by one if that fails,
    an unreadable one becoming None)."""
    text = _as_array(batch)
    try:
        # orjson is the quickest reader; what it refuses (integers beyond 64 bits, NaN) goes
        # to the reader the models use, which gives json.loads' values.
        return list(orjson.loads(text))
    except orjson.JSONDecodeError:
        pass
    try:
        return list(loads(text))
    except ValueError:
        pass
    out: list[Any] = []
    for _rid, data in batch:
        try:
            out.append(loads(data))
        except ValueError:
            out.append(None)
    return out


class Mirror:
    """Every owner's local mirrors, in one store; thread-safe."""

    def __init__(
        self,
        store: MirrorStore,
        *,
        fresh_for: timedelta = timedelta(seconds=60),
        sweep_every: timedelta = timedelta(minutes=15),
        parallel: int = 4,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.store = store
        self.fresh_for = fresh_for
        self.sweep_every = sweep_every
        self.parallel = parallel
        self._clock = clock
        self._views: dict[tuple[str, int], _View] = {}
        # The grant of a business synced before any view of it was read here.
        self._grants: dict[tuple[str, int], Grant] = {}
        self._guard = threading.Lock()

    # --- reading ---------------------------------------------------------------------------

    def snapshot(
        self,
        owner: str,
        books: BusinessClient,
        business: Business,
        *,
        mode: Mode = "auto",
        progress: Progress | None = None,
    ) -> Snapshot:
        """The business's records: synced first when due (``auto``), or as ``mode`` says."""
        key = (owner, business.business_id)
        view = self._views.get(key)
        if mode == "auto" and view is not None and not view.stale:
            age = self._clock() - view.synced_at
            if age < self.fresh_for and self._current(owner, business, view):
                return self._snapshot_of(view, business)
        self.sync(owner, books, business, mode=mode, progress=progress)
        if key not in self._views:
            return self.load(owner, business)
        return self._snapshot_of(self._views[key], business)

    def load(self, owner: str, business: Business) -> Snapshot:
        """The business's records as stored, without asking FreshBooks (a process that
        starts reads its mirror this way; parts never synced are empty)."""
        key = (owner, business.business_id)
        self._refresh_view(key, business, self.store.parts(owner, business.business_id))
        return self._snapshot_of(self._views[key], business)

    def stored(self, owner: str, business: Business) -> Snapshot | None:
        """What this process holds, else what the store holds, without asking FreshBooks;
        None when the business was never synced (shown when FreshBooks cannot be reached)."""
        held = self.cached(owner, business)
        if held is not None:
            return held
        if not self.store.parts(owner, business.business_id):
            return None
        return self.load(owner, business)

    def cached(self, owner: str, business: Business) -> Snapshot | None:
        """The parsed mirror without any request (None when this process has none)."""
        view = self._views.get((owner, business.business_id))
        return None if view is None else self._snapshot_of(view, business)

    def _current(self, owner: str, business: Business, view: _View) -> bool:
        # Another process (replica) may have synced or written since this view was built.
        wanted = {p.name for p in self.wanted(business, view.grant)}
        stored = {
            k: v for k, v in self.store.parts(owner, business.business_id).items() if k in wanted
        }
        held = view.states
        return stored.keys() == held.keys() and all(
            _same_records(stored[k], held[k]) for k in stored
        )

    def _snapshot_of(self, view: _View, business: Business) -> Snapshot:
        if view.snapshot is None or view.snapshot.business != business:
            truncated = tuple(name for name, st in view.states.items() if st.truncated)
            view.snapshot = Snapshot(
                business=business,
                fetched_at=view.synced_at,
                truncated=truncated,
                unreadable=view.unreadable,
                withheld={
                    p.name: p.scope
                    for p in listings_for(business)
                    if not view.grant.allows(p.scope)
                },
                version=view.version,
                source=_ViewSource(self, view.owner, business, view),
                revision=_revision_key(view),
                **{name: list(models.values()) for name, models in view.models.items()},  # type: ignore[arg-type]  # the list parts by name: mypy checks each against every field
            )
        return view.snapshot

    # --- syncing ---------------------------------------------------------------------------

    def wanted(self, business: Business, grant: Grant | None = None) -> tuple[Listing, ...]:
        """The parts kept for ``business`` (accounting ones need an accounting account) that
        the connection's ``grant`` may read."""
        return listings_for(business, grant)

    def sync(
        self,
        owner: str,
        books: BusinessClient,
        business: Business,
        *,
        mode: Mode = "auto",
        progress: Progress | None = None,
    ) -> SyncReport:
        """Bring the mirror up to date (``auto``: busy lists, the rest when due; ``check``:
        everything incl. deletions; ``full``: reload every list). One sync at a time per owner
        and business, across processes."""
        key = (owner, business.business_id)
        grant = books.grant()
        with self.store.lock(owner, business.business_id):
            states = self.store.parts(owner, business.business_id)
            view = self._views.get(key)
            now = self._clock()
            if (
                mode == "auto"
                and states
                and (view is None or not view.stale)
                and self._nothing_due(business, grant, states, now)
            ):
                # Another session or process synced a moment ago: what it stored is current.
                if view is not None:
                    self._refresh_view(key, business, states, grant=grant)
                return SyncReport(mode, 0, 0, {}, {}, (), skipped=True)
            job = _Sync(self, owner, books, business, states, mode, now, progress, grant)
            report = job.run()
            grant = books.grant()  # a 403 met on the way may have narrowed it
            if key in self._views:  # a view held here follows; none is parsed until read
                after = self.store.parts(owner, business.business_id)
                self._refresh_view(
                    key, business, after, deltas=job.deltas, before=states, grant=grant
                )
            else:
                self._grants[key] = grant
            return report

    def _nothing_due(
        self, business: Business, grant: Grant, states: Mapping[str, PartState], now: datetime
    ) -> bool:
        """Whether an automatic sync would ask nothing new: every part is stored, the busy
        ones were synced a moment ago (by another session or process), and no other part is
        due for its sweep."""
        for part in self.wanted(business, grant):
            state = states.get(part.name)
            if state is None:
                return False
            if part.busy and now - state.synced_at >= self.fresh_for:
                return False
            if not part.busy and now - state.swept_at >= self.sweep_every:
                return False
        return True

    def _refresh_view(
        self,
        key: tuple[str, int],
        business: Business,
        states: dict[str, PartState],
        *,
        deltas: Mapping[str, tuple[list[tuple[str, bytes]], list[str]]] | None = None,
        before: Mapping[str, PartState] | None = None,
        grant: Grant | None = None,
    ) -> None:
        """Bring the parsed view up to ``states``: a part this sync changed incrementally, and
        that the view held as it was before the sync, gets just the changes (``deltas``:
        upserted rows, removed ids); any other part whose state differs is read again when
        next asked for."""
        owner = key[0]
        with self._guard:
            view = self._views.get(key)
        if view is None:
            view = _View(models={}, states={}, unreadable={}, synced_at=self._clock(), owner=owner)
        changed = False
        touched: dict[str, frozenset[str] | None] = {}
        if grant is None:
            grant = self._grants.pop(key, view.grant)
        if grant != view.grant:
            view.grant, changed = grant, True
            touched["*"] = None  # other parts readable: nothing is known to be as it was
        wanted = {p.name: p for p in self.wanted(business, grant)}
        for name in [n for n in view.models if n not in wanted]:
            # No longer readable with this connection's scopes: not shown, though stored.
            del view.models[name]
            view.states.pop(name, None)
            view.unreadable.pop(name, None)
        for name, part in wanted.items():
            state = states.get(name)
            if state is None:
                view.models.pop(name, None)
                if view.states.pop(name, None) is not None:
                    changed = True
                    touched[name] = None
                continue
            if view.states.get(name) == state:
                continue
            held_state = view.states.get(name)
            if held_state is not None and _same_records(held_state, state):
                # Synced again and nothing changed: the records (and all built from them) stand.
                view.states[name] = state
                continue
            delta = (deltas or {}).get(name)
            held = view.states.get(name)
            models = view.models.get(name)
            follows = delta is not None and held is not None and (before or {}).get(name) == held
            if follows and delta is not None:
                touched[name] = frozenset(rid for rid, _ in delta[0]) | frozenset(delta[1])
            else:
                touched[name] = None
            if models is not None and follows and delta is not None:
                # Parsed here already: just the changes, not the whole part again.
                upserts, removed = delta
                models = dict(models)
                for rid in removed:
                    models.pop(rid, None)
                parsed, bad = parse_stored(part.model, upserts)
                for rid, _ in upserts:
                    models.pop(rid, None)  # an unreadable new version must not leave the old
                models.update(parsed)
                view.unreadable[name] = view.unreadable.get(name, 0) + bad
                view.models[name] = models
            else:
                # Read again when someone asks for it (light rows or models).
                view.models.pop(name, None)
                view.unreadable.pop(name, None)
            view.states[name] = state
            changed = True
        if states:
            view.synced_at = max(st.synced_at for st in states.values())
        view.stale = False
        if changed or view.snapshot is None:
            view.bump(touched if changed else {})
        with self._guard:
            self._views[key] = view

    # --- writes made by the app ------------------------------------------------------------

    def observe(self, owner: str) -> Callable[[RecordWritten], None]:
        """A write observer for ``owner``'s client (see ``HTTPClient.observe_writes``)."""

        def heard(event: RecordWritten) -> None:
            self.apply_write(owner, event)

        return heard

    def apply_write(self, owner: str, event: RecordWritten) -> None:
        """Apply FreshBooks' answer to a write to the owner's mirror (when it is mirrored)."""
        part = BY_NAME.get(event.resource)
        if part is not None:
            self._apply((owner, event.business_id), part, event)

    def _apply(self, key: tuple[str, int], part: Listing, event: RecordWritten) -> None:
        owner, business_id = key
        states = self.store.parts(owner, business_id)
        if part.name not in states:
            return  # not mirrored yet: the first sync will fetch it whole
        record, record_id = event.record, event.record_id
        upsert: list[tuple[str, bytes]] = []
        remove: list[str] = []
        if event.deleted and record is None:
            if record_id is not None:
                remove.append(record_id)
        elif record is not None:
            rid = part.record_id(record) or record_id
            if rid is None:
                return
            if part.gone(record):
                remove.append(rid)
            else:
                upsert.append((rid, encode(record)))
        else:
            return
        with self.store.lock(owner, business_id):
            state = self.store.parts(owner, business_id).get(part.name)
            if state is None:
                return
            self.store.write(
                owner,
                business_id,
                part.name,
                upsert=upsert,
                remove=remove,
                state=replace(state, revision=state.revision + 1),
            )
            states = self.store.parts(owner, business_id)
        with self._guard:
            view = self._views.get(key)
        if view is not None:
            held = view.models.get(part.name)
            if held is not None:
                models = dict(held)
                for rid in remove:
                    models.pop(rid, None)
                parsed, _bad = parse_stored(part.model, upsert)
                models.update(parsed)
                view.models[part.name] = models
            view.states[part.name] = states[part.name]
            view.bump({part.name: frozenset(rid for rid, _ in upsert) | frozenset(remove)})
            view.stale = True  # e.g. a payment changed its invoice: ask again on the next visit

    def expire(self, owner: str, business_id: int) -> None:
        """Ask the busy lists again on the next visit (after a write)."""
        view = self._views.get((owner, business_id))
        if view is not None:
            view.stale = True

    def forget(self, owner: str, business_id: int | None = None) -> None:
        """Drop an owner's mirrors (one business or all), stored and in memory."""
        self.store.forget(owner, business_id)
        with self._guard:
            for key in list(self._views):
                if key[0] == owner and business_id in (None, key[1]):
                    del self._views[key]


class _Sync:
    """One sync of one business: decides what to ask, asks it side by side, stores answers."""

    def __init__(
        self,
        mirror: Mirror,
        owner: str,
        books: BusinessClient,
        business: Business,
        states: dict[str, PartState],
        mode: Mode,
        now: datetime,
        progress: Progress | None,
        grant: Grant | None = None,
    ) -> None:
        self.mirror = mirror
        self.grant = grant
        self.owner = owner
        self.books = books
        self.business = business
        self.states = states
        self.mode = mode
        self.now = now
        self.progress = progress
        self.requests = 0
        self.records = 0
        self.changed: dict[str, int] = {}
        self.removed: dict[str, int] = {}
        self.full: list[str] = []
        self._lock = threading.Lock()
        self._done = 0
        self._total = 0
        self._current = ""  # the part whose page or end was heard last
        self._reported: tuple[str, int, int, int] | None = None
        self._changed_records: dict[str, list[Record]] = {}
        # part -> (rows upserted, ids removed) of the parts synced incrementally
        self.deltas: dict[str, tuple[list[tuple[str, bytes]], list[str]]] = {}

    def run(self) -> SyncReport:
        plan = self._plan()
        self._total = len(plan)
        self._run(plan)
        followups = self._unknown_references(plan)
        if followups:
            self._total += len(followups)
            self._run(followups)
        return SyncReport(
            self.mode,
            self.requests,
            self.records,
            self.changed,
            self.removed,
            tuple(self.full),
        )

    def _plan(self) -> dict[str, Callable[[], None]]:
        plan: dict[str, Callable[[], None]] = {}
        for part in self.mirror.wanted(self.business, self.grant):
            state = self.states.get(part.name)
            sweep_due = (
                self.mode != "auto"
                or state is None
                or self.now - state.swept_at >= self.mirror.sweep_every
            )
            refetched = part.changes == "refetch"
            if state is None or self.mode == "full" or (refetched and sweep_due):
                plan[part.name] = lambda part=part: self._whole(part)  # type: ignore[misc]  # mypy cannot infer a lambda with defaults (binds the loop values)
            elif not refetched and (part.busy or sweep_due):
                plan[part.name] = lambda part=part, state=state, sweep=sweep_due: self._changes(  # type: ignore[misc]  # mypy cannot infer a lambda with defaults (binds the loop values)
                    part, state, sweep
                )
        return plan

    def _run(self, plan: Mapping[str, Callable[[], None]]) -> None:
        if not plan:
            return
        workers = max(1, min(self.mirror.parallel, len(plan)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fb-mirror") as pool:
            futures = [pool.submit(job) for job in plan.values()]
            pending = set(futures)
            while pending:
                # Progress is reported from this (the caller's) thread: Streamlit elements
                # can only be updated from the script's own thread.
                _done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                self._report_progress()
            errors = [f.exception() for f in futures]
        self._report_progress()
        for error in errors:
            if isinstance(error, PermissionDeniedError) and error.missing_scopes:
                # The connection lacks this list's scope (FreshBooks' 403 narrowed the grant):
                # the list stays out, the others are kept, and the pages say what is missing.
                log.info("a list needs scopes this connection lacks: %s", error.missing_scopes)
                continue
            if error is not None:
                raise error

    def _report_progress(self) -> None:
        if self.progress is None:
            return
        with self._lock:
            state = (self._current, self.records, self._done, self._total)
        if state != self._reported:
            self._reported = state
            self.progress(*state)

    def _fetch(
        self,
        part: Listing,
        filters: Mapping[str, Any],
        convert: Callable[[list[Any]], list[Any]] | None = None,
        *,
        texts: bool = False,
    ) -> tuple[list[Any], bool]:
        def counted(page: Any) -> None:
            with self._lock:
                self.requests += 1
                self.records += len(page.items)
                self._current = part.name

        found = fetch_raw(
            self.books.scope.http,
            part.raw(self.business),
            filters,
            include=part.include,
            concurrency=self.books.scope.concurrency,
            max_pages=self.books.scope.max_pages,
            on_page=counted,
            convert=convert,
            texts=part.fields if texts else None,
        )
        return found.items, found.truncated

    def _keyed(self, part: Listing, records: Iterable[Record]) -> list[tuple[str, bytes]]:
        return self._texts(part, (RawRecord(r, encode(r)) for r in records))

    def _texts(self, part: Listing, records: Iterable[RawRecord]) -> list[tuple[str, bytes]]:
        rows = []
        for record in records:
            rid = part.record_id(record.fields)
            if rid is None:
                log.warning("a %s record without an id was left out of the mirror", part.name)
                continue
            rows.append((rid, record.text))
        return rows

    def _whole(self, part: Listing) -> None:
        with self.mirror.store.replacing(self.owner, self.business.business_id, part.name) as load:

            def stored(records: list[RawRecord]) -> list[Any]:
                # Each page goes to the store as it arrives, as the texts FreshBooks sent: a
                # long list is never held here, nor decoded.
                load.add(self._texts(part, [r for r in records if not part.gone(r.fields)]))
                return []

            _, truncated = self._fetch(part, part.filters, stored, texts=True)
            previous = self.states.get(part.name)
            state = PartState(
                synced_at=self.now,
                swept_at=self.now,
                truncated=truncated,
                # Counting starts anywhere: a part dropped and loaded again (after a
                # disconnect or a demo reset) does not repeat an earlier revision.
                revision=(previous.revision + 1) if previous else _first_revision(),
            )
            load.finish(state)
        self._note(part, changed=load.rows, removed=0, whole=True)

    def _changes(self, part: Listing, state: PartState, sweep: bool) -> None:
        changed = part.changed_since(state.synced_at - MARGIN)
        assert changed is not None
        records, _ = self._fetch(part, changed)
        gone = [part.record_id(r) for r in records if part.gone(r)]
        rows = self._keyed(part, [r for r in records if not part.gone(r)])
        swept_at = state.swept_at
        sweep_filters = part.deleted_since(state.swept_at - MARGIN) if sweep else None
        if sweep_filters is not None:
            deleted, _ = self._fetch(part, sweep_filters)
            gone += [part.record_id(r) for r in deleted]
            swept_at = self.now
        elif sweep:
            swept_at = self.now
        removed = [rid for rid in gone if rid is not None]
        # "Changed since" looks back further than the last sync (a whole day for accounting
        # lists): what comes back as it is stored, or is gone already, changes nothing, and
        # must not make a new revision (every frame and figure built on it would be redone).
        stored = dict(
            self.mirror.store.some(
                self.owner,
                self.business.business_id,
                part.name,
                [rid for rid, _ in rows] + removed,
            )
        )
        rows = [(rid, data) for rid, data in rows if not _same_text(stored.get(rid), data)]
        removed = [rid for rid in removed if rid in stored]
        new_state = PartState(
            synced_at=self.now,
            swept_at=swept_at,
            truncated=state.truncated,
            revision=state.revision + 1 if rows or removed else state.revision,
        )
        self.mirror.store.write(
            self.owner,
            self.business.business_id,
            part.name,
            upsert=rows,
            remove=removed,
            state=new_state,
        )
        with self._lock:
            self.deltas[part.name] = (rows, removed)
            self._changed_records.setdefault(part.name, []).extend(
                r for r in records if not part.gone(r)
            )
        self._note(part, changed=len(rows), removed=len(removed), whole=False)

    def _note(self, part: Listing, *, changed: int, removed: int, whole: bool) -> None:
        with self._lock:
            self.changed[part.name] = changed
            self.removed[part.name] = removed
            if whole:
                self.full.append(part.name)
            self._done += 1
            self._current = part.name

    def _unknown_references(self, plan: Mapping[str, Any]) -> dict[str, Callable[[], None]]:
        """Reference lists to refetch because changed records point at ids they lack."""
        changed = self._changed_records
        wanted = {p.name for p in self.mirror.wanted(self.business)}
        followups: dict[str, Callable[[], None]] = {}
        for source in self.mirror.wanted(self.business):
            for field_name, target in source.references:
                if target in plan or target in followups or target not in wanted:
                    continue
                ids = {
                    str(r.get(field_name))
                    for r in changed.get(source.name, ())
                    if r.get(field_name)
                }
                if ids and not ids <= self.mirror.store.ids(
                    self.owner, self.business.business_id, target
                ):
                    part = BY_NAME[target]
                    followups[target] = lambda part=part: self._whole(part)  # type: ignore[misc]  # mypy cannot infer a lambda with defaults (binds the loop values)
        return followups


def unreadable_message(snapshot: Snapshot) -> str | None:
    """A sentence about records left out because they could not be read, or None."""
    counts = {name: count for name, count in snapshot.unreadable.items() if count}
    if not counts:
        return None
    listed = ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in counts.items())
    return f"Some records FreshBooks sent could not be read and are left out: {listed}."


__all__ += ["encode", "parse_stored", "unreadable_message"]
