"""Named locks shared by every thread and process that uses the same database.

PostgreSQL takes an advisory transaction lock keyed by a hash of the name; a SQLite file
(only ever shared by processes of one machine) an exclusive ``flock`` on a lock file beside
it, named after the lock. An in-memory SQLite database lives in one process: a process lock
suffices there.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import threading
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, text

__all__ = ["database_lock"]

_LOCAL: dict[str, threading.Lock] = {}
_LOCAL_GUARD = threading.Lock()


def _local_lock(name: str) -> threading.Lock:
    with _LOCAL_GUARD:
        return _LOCAL.setdefault(name, threading.Lock())


@contextlib.contextmanager
def database_lock(engine: Engine, name: str) -> Iterator[None]:
    """Hold the lock ``name`` for the duration of the block, across threads and processes."""
    digest = hashlib.sha256(name.encode()).digest()
    with _local_lock(f"{engine.url!r}|{name}"):
        dialect = engine.dialect.name
        database = engine.url.database
        if dialect == "postgresql":
            key = int.from_bytes(digest[:8], "big", signed=True)
            with engine.connect() as conn, conn.begin():
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})
                yield
        elif dialect == "sqlite" and database and database != ":memory:":
            # One file per lock name (hashed: names hold owner keys), beside the database.
            path = Path(f"{database}.{digest[:6].hex()}.lock")
            with path.open("a") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)
        else:
            yield
