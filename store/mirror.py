"""The local mirror's storage: records as FreshBooks sent them, per owner, business and part.

Records are kept as JSON bytes (what the API answered, so nothing is lost or reinterpreted)
and read back in bulk; the sync logic lives in :mod:`copilot.mirror`.

A part fetched whole can be written as its pages arrive (:meth:`MirrorStore.replacing`): the
rows wait in a temporary file, not in memory, and replace the part's records in one
transaction at the end, so readers never see half a part and a failed load changes nothing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import pickle
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO

from sqlalchemy import Connection, Engine, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from .locks import database_lock
from .schema import MirrorPart, MirrorRecord

__all__ = ["MirrorStore", "PartLoad", "PartState"]

# Ids per DELETE statement (within SQLite's 32,766 bound parameters), and rows of a streamed
# load per executemany (a few MB).
_CHUNK = 2_000
# A row of mirror_records: owner, business_id, part, record_id, data.
_Row = tuple[str, int, str, str, bytes]


@dataclass(frozen=True)
class PartState:
    """How far one part is synced."""

    synced_at: datetime
    swept_at: datetime
    records: int = 0  # set by the store when saved
    truncated: bool = False
    revision: int = 0


class MirrorStore:
    """Read and write mirrored records in the store."""

    def __init__(self, engine: Engine, sessions: sessionmaker[Session]) -> None:
        self._engine = engine
        self._sessions = sessions

    @contextlib.contextmanager
    def lock(self, owner: str, business_id: int) -> Iterator[None]:
        """Exclusive across processes for one owner's mirror of one business (one sync)."""
        with database_lock(self._engine, f"mirror|{owner}|{business_id}"):
            yield

    def parts(self, owner: str, business_id: int) -> dict[str, PartState]:
        """The sync state of every part mirrored so far."""
        with self._sessions() as session:
            rows = session.scalars(
                select(MirrorPart).where(
                    MirrorPart.owner == owner, MirrorPart.business_id == business_id
                )
            ).all()
        return {
            row.part: PartState(
                _aware(row.synced_at),
                _aware(row.swept_at),
                row.records,
                row.truncated,
                row.revision,
            )
            for row in rows
        }

    def records(self, owner: str, business_id: int, part: str) -> list[tuple[str, bytes]]:
        """Every record of one part: (record id, JSON bytes)."""
        with self._engine.connect() as conn:
            result = conn.execute(
                select(MirrorRecord.record_id, MirrorRecord.data).where(
                    MirrorRecord.owner == owner,
                    MirrorRecord.business_id == business_id,
                    MirrorRecord.part == part,
                )
            )
            return [(row[0], bytes(row[1])) for row in result]

    def batches(
        self, owner: str, business_id: int, part: str, size: int = 2_000
    ) -> Iterator[list[tuple[str, bytes]]]:
        """Every record of one part, ``size`` at a time, in the order of :meth:`records`
        (a reader holds one batch of raw JSON at a time, never the whole part)."""
        with self._engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=size).execute(
                select(MirrorRecord.record_id, MirrorRecord.data).where(
                    MirrorRecord.owner == owner,
                    MirrorRecord.business_id == business_id,
                    MirrorRecord.part == part,
                )
            )
            for batch in result.partitions(size):
                yield [(row[0], bytes(row[1])) for row in batch]

    def some(
        self, owner: str, business_id: int, part: str, record_ids: Sequence[str]
    ) -> list[tuple[str, bytes]]:
        """The records of one part with these ids (those mirrored): (record id, JSON)."""
        found: list[tuple[str, bytes]] = []
        with self._engine.connect() as conn:
            for start in range(0, len(record_ids), _CHUNK):
                result = conn.execute(
                    select(MirrorRecord.record_id, MirrorRecord.data).where(
                        MirrorRecord.owner == owner,
                        MirrorRecord.business_id == business_id,
                        MirrorRecord.part == part,
                        MirrorRecord.record_id.in_(record_ids[start : start + _CHUNK]),
                    )
                )
                found.extend((row[0], bytes(row[1])) for row in result)
        return found

    def record(self, owner: str, business_id: int, part: str, record_id: str) -> bytes | None:
        """One record of one part as JSON bytes, None when it is not mirrored."""
        with self._engine.connect() as conn:
            data = conn.execute(
                select(MirrorRecord.data).where(
                    MirrorRecord.owner == owner,
                    MirrorRecord.business_id == business_id,
                    MirrorRecord.part == part,
                    MirrorRecord.record_id == record_id,
                )
            ).scalar_one_or_none()
        return None if data is None else bytes(data)

    def write(
        self,
        owner: str,
        business_id: int,
        part: str,
        *,
        upsert: Iterable[tuple[str, bytes]] = (),
        remove: Iterable[str] = (),
        replace: bool = False,
        state: PartState | None = None,
    ) -> None:
        """In one transaction: (``replace``: drop every record of the part, then) insert or
        update ``upsert`` (record id, JSON), delete ``remove`` ids, and save ``state`` with the
        part's record count as it then is."""
        rows = [(owner, business_id, part, rid, data) for rid, data in upsert]
        self._write(owner, business_id, part, [rows], remove, replace=replace, state=state)

    def _write(
        self,
        owner: str,
        business_id: int,
        part: str,
        batches: Iterable[list[_Row]],
        remove: Iterable[str] = (),
        *,
        replace: bool,
        state: PartState | None,
    ) -> None:
        where = (
            MirrorRecord.owner == owner,
            MirrorRecord.business_id == business_id,
            MirrorRecord.part == part,
        )
        removed = list(remove)
        with self._engine.begin() as conn:
            if replace:
                conn.execute(delete(MirrorRecord).where(*where))
            elif removed:
                for start in range(0, len(removed), _CHUNK):
                    ids = removed[start : start + _CHUNK]
                    conn.execute(
                        delete(MirrorRecord).where(*where, MirrorRecord.record_id.in_(ids))
                    )
            self._insert(conn, batches)
            if state is not None:
                count = conn.execute(select(func.count()).where(*where)).scalar_one()
                self._save_state(
                    conn, owner, business_id, part, dataclasses.replace(state, records=count)
                )

    @contextlib.contextmanager
    def replacing(self, owner: str, business_id: int, part: str) -> Iterator[PartLoad]:
        """Replace every record of a part with rows that arrive page by page (a full load),
        without holding them in memory: :meth:`PartLoad.add` each page's rows, then
        :meth:`PartLoad.finish` with the part's new state.

        ``finish`` is ``write(..., replace=True, state=state)`` with every row added: until
        then readers see the part as it was, and a block that ends without it (a page
        failed) leaves the part as it was.
        """
        # On disk, not in memory: a large business's lists run to tens of megabytes, and
        # several load at once. The file has no name and is private to this process, so
        # nothing but PartLoad.add ever wrote what PartLoad.finish unpickles.
        with tempfile.TemporaryFile(prefix="copilot-mirror-") as spool:
            yield PartLoad(self, owner, business_id, part, spool)

    def _insert(self, conn: Connection, batches: Iterable[list[_Row]]) -> None:
        # Rows go straight to the driver's executemany: building a dict per row for
        # SQLAlchemy cost more than the database's work. A record written again is updated;
        # in a full load, that is one listed on two pages (FreshBooks added a record while
        # the pages were fetched): its last copy is kept.
        mark = "?" if self._engine.dialect.paramstyle == "qmark" else "%s"
        statement = (
            f"INSERT INTO {MirrorRecord.__tablename__} "
            f"(owner, business_id, part, record_id, data) "
            f"VALUES ({', '.join([mark] * 5)}) "
            f"ON CONFLICT (owner, business_id, part, record_id) DO UPDATE SET data = excluded.data"
        )
        pending: list[_Row] = []
        for batch in batches:
            pending.extend(batch)
            if len(pending) >= _CHUNK:
                conn.exec_driver_sql(statement, pending)
                pending = []
        if pending:
            conn.exec_driver_sql(statement, pending)

    def _save_state(
        self, conn: Connection, owner: str, business_id: int, part: str, state: PartState
    ) -> None:
        table = MirrorPart.__table__
        dialect = postgresql if self._engine.dialect.name == "postgresql" else sqlite
        values = {
            "owner": owner,
            "business_id": business_id,
            "part": part,
            "synced_at": state.synced_at,
            "swept_at": state.swept_at,
            "records": state.records,
            "truncated": state.truncated,
            "revision": state.revision,
        }
        stmt = dialect.insert(table).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=["owner", "business_id", "part"],
            set_={
                k: stmt.excluded[k]
                for k in ("synced_at", "swept_at", "records", "truncated", "revision")
            },
        )
        conn.execute(stmt)

    def ids(self, owner: str, business_id: int, part: str) -> set[str]:
        """The ids of a part's mirrored records."""
        with self._engine.connect() as conn:
            result = conn.execute(
                select(MirrorRecord.record_id).where(
                    MirrorRecord.owner == owner,
                    MirrorRecord.business_id == business_id,
                    MirrorRecord.part == part,
                )
            )
            return {row[0] for row in result}

    def forget(self, owner: str, business_id: int | None = None) -> None:
        """Drop an owner's mirror (of one business, or all): after disconnect or a reset."""
        with self._engine.begin() as conn:
            for table in (MirrorRecord, MirrorPart):
                stmt = delete(table).where(table.owner == owner)
                if business_id is not None:
                    stmt = stmt.where(table.business_id == business_id)
                conn.execute(stmt)


def _aware(value: datetime) -> datetime:
    # SQLite gives back naive datetimes for timezone-aware columns; they were stored as UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


class PartLoad:
    """The rows of a part arriving page by page (see :meth:`MirrorStore.replacing`), kept in
    a temporary file until :meth:`finish`. ``add`` may be called from many threads."""

    def __init__(
        self, store: MirrorStore, owner: str, business_id: int, part: str, spool: IO[bytes]
    ) -> None:
        self._store = store
        self._owner = owner
        self._business_id = business_id
        self._part = part
        self._spool = spool
        self._guard = threading.Lock()
        self.rows = 0  # rows added so far
        self._finished = False

    def add(self, rows: Sequence[tuple[str, bytes]]) -> None:
        """Add rows (record id, JSON) of the part's new records."""
        if not rows:
            return
        # Stored as the rows the database takes, so finish() hands them on as they come.
        frame = pickle.dumps(
            [(self._owner, self._business_id, self._part, rid, data) for rid, data in rows],
            protocol=pickle.HIGHEST_PROTOCOL,
        )
        with self._guard:
            if self._finished:
                raise RuntimeError(f"the load of {self._part} is already finished")
            self._spool.write(frame)
            self.rows += len(rows)

    def finish(self, state: PartState) -> None:
        """Replace the part's records with every row added and save ``state``, in one
        transaction."""
        with self._guard:
            if self._finished:
                raise RuntimeError(f"the load of {self._part} is already finished")
            self._spool.seek(0)
            self._store._write(
                self._owner,
                self._business_id,
                self._part,
                self._frames(),
                replace=True,
                state=state,
            )
            self._finished = True

    def _frames(self) -> Iterator[list[_Row]]:
        while True:
            try:
                yield pickle.load(self._spool)
            except EOFError:
                return
