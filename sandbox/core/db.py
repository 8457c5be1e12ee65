"""SQLite persistence: records as JSON rows, a small key/value meta table, and OAuth grants.

The server answers from an in-memory index (`sandbox.core.books`); this module is the durable copy
written through on every change, and the source the index is rebuilt from when `--db` points at
an existing file.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (
    business INTEGER NOT NULL,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (business, kind, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS grants (token TEXT PRIMARY KEY, body TEXT NOT NULL);
"""


_CHUNK = 2000


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


class Database:
    """A thin, thread-safe wrapper over one SQLite connection (file or in-memory)."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        # One connection shared by the event loop and, in tests, other threads; the lock
        # serializes access because sqlite3 connections are not safe for concurrent use.
        self._conn = sqlite3.connect(path or ":memory:", check_same_thread=False)
        self._lock = threading.Lock()
        self._writer: threading.Thread | None = None
        with self._lock:
            if path:
                self._conn.execute("PRAGMA journal_mode=WAL")
                self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.executescript(_SCHEMA)
            self._conn.commit()

    def close(self) -> None:
        """Wait for a background seed write, then close the connection (idempotent)."""
        self.wait()
        with self._lock:
            self._conn.close()

    def wait(self) -> None:
        """Block until a background seed write (see `persist_in_background`) has finished."""
        if self._writer is not None:
            self._writer.join()
            self._writer = None

    # meta -----------------------------------------------------------------------------------
    def get_meta(self, key: str) -> Any:
        """The JSON value stored under `key`, or None."""
        with self._lock:
            row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def set_meta(self, key: str, value: Any) -> None:
        """Store a JSON value under `key`."""
        with self._lock:
            self._conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, _dumps(value))
            )
            self._conn.commit()

    # records --------------------------------------------------------------------------------
    def persist_in_background(
        self,
        rows: list[tuple[int, str, str, dict[str, Any]]],
        meta: dict[str, Any],
        current: Callable[[int, str, str, dict[str, Any]], bool] = lambda *row: True,
    ) -> None:
        """Write seeded records from a thread, in chunks, then the meta keys that mark the
        database as populated.

        The server answers from memory meanwhile. A row is skipped when `current` says the
        record changed or was deleted since (the request that did it wrote its own row), and
        rows are inserted with OR IGNORE so a newer row is never overwritten; chunking keeps
        the lock short so those writes are not held up for the whole seed.
        """

        def work() -> None:
            for start in range(0, len(rows), _CHUNK):
                chunk = [
                    (b, k, key, _dumps(body))
                    for b, k, key, body in rows[start : start + _CHUNK]
                    if current(b, k, key, body)
                ]
                with self._lock:
                    self._conn.executemany(
                        "INSERT OR IGNORE INTO records (business, kind, key, body) "
                        "VALUES (?, ?, ?, ?)",
                        chunk,
                    )
                    self._conn.commit()
            for key, value in meta.items():
                self.set_meta(key, value)

        self._writer = threading.Thread(target=work, name="sandbox-seed-writer", daemon=True)
        self._writer.start()

    def upsert(self, business: int, kind: str, key: str, body: dict[str, Any]) -> None:
        """Write one record through to disk."""
        with self._lock:
            self._conn.execute(
                "INSERT OR REPLACE INTO records (business, kind, key, body) VALUES (?, ?, ?, ?)",
                (business, kind, key, _dumps(body)),
            )
            self._conn.commit()

    def delete(self, business: int, kind: str, key: str) -> None:
        """Remove one record (hard deletes: projects, time entries never use this)."""
        with self._lock:
            self._conn.execute(
                "DELETE FROM records WHERE business = ? AND kind = ? AND key = ?",
                (business, kind, key),
            )
            self._conn.commit()

    def all_records(self) -> Iterator[tuple[int, str, str, dict[str, Any]]]:
        """Every stored record, for rebuilding the in-memory index."""
        with self._lock:
            rows = self._conn.execute("SELECT business, kind, key, body FROM records").fetchall()
        for business, kind, key, body in rows:
            yield business, kind, key, json.loads(body)

    # OAuth grants ---------------------------------------------------------------------------
    def put_grant(self, token: str, body: dict[str, Any]) -> None:
        """Persist an OAuth code or token record."""
        with self._lock:
            self._conn.execute(
                "INSERT OR REPLACE INTO grants (token, body) VALUES (?, ?)", (token, _dumps(body))
            )
            self._conn.commit()

    def all_grants(self) -> dict[str, dict[str, Any]]:
        """Every stored OAuth grant, keyed by token."""
        with self._lock:
            rows = self._conn.execute("SELECT token, body FROM grants").fetchall()
        return {token: json.loads(body) for token, body in rows}
