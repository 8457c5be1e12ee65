"""Engine and schema set-up: a SQLite file by default, any SQLAlchemy URL (PostgreSQL) in hosting.

The schema is brought up to date by the store's migrations (:mod:`store.migrations`)."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from .migrations import upgrade_schema

__all__ = ["make_engine", "make_sessions"]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers work while a refresh holds the write lock; the timeout makes
    # a second process wait for that lock instead of failing at once. The timeout goes first:
    # switching a new file to WAL takes a lock that another process may be holding.
    cursor.execute("PRAGMA busy_timeout=30000")
    # 16 KiB pages for a new file (an existing one keeps its own): a full load writes tens
    # of megabytes of records, and larger pages take about a third less CPU to write them.
    # It must come before WAL, which fixes the page size when it creates the file.
    cursor.execute("PRAGMA page_size=16384")
    _switch_to_wal(cursor)
    # Durable across application crashes in WAL mode; only a power cut can lose the last commit.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _switch_to_wal(cursor: Any) -> None:
    # Processes opening a brand-new file together: the switch needs a lock SQLite does not wait
    # for (busy_timeout is not applied to it), so wait here. Once the file is WAL it is a no-op.
    for attempt in range(100):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError:
            if attempt == 99:
                raise
            time.sleep(0.05)


def _sqlite_begin(conn: Any) -> None:
    # IMMEDIATE takes the write lock when the transaction starts (busy_timeout waits for it). A
    # deferred transaction that reads and then writes fails at once with "database is locked"
    # when another one writes meanwhile: SQLite cannot wait there without deadlocking. Readers
    # are not blocked by it (WAL); transactions are short.
    mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
    conn.exec_driver_sql(f"BEGIN {mode}".strip())


def _with_driver(url: str) -> str:
    """``postgres://`` and ``postgresql://`` URLs use psycopg 3, the driver requirements.txt
    installs (SQLAlchemy would otherwise pick psycopg2, which is not there)."""
    for scheme in ("postgres://", "postgresql://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url.removeprefix(scheme)
    return url


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with the schema migrated to the newest revision; SQLite folders
    are made as needed."""
    url = _with_driver(url)
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    is_sqlite = url.startswith("sqlite")
    engine = create_engine(
        url,
        pool_pre_ping=not is_sqlite,
        # Python's sqlite3 would otherwise open transactions lazily and defeat BEGIN IMMEDIATE.
        connect_args={"check_same_thread": False, "isolation_level": None} if is_sqlite else {},
    )
    if is_sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
        # With the driver in autocommit (above), SQLAlchemy's transactions must say BEGIN
        # themselves: without it every statement commits alone (no atomicity, one fsync each).
        event.listen(engine, "begin", _sqlite_begin)
    upgrade_schema(engine)
    return engine


def make_sessions(engine: Engine) -> sessionmaker[Session]:
    """A session factory whose objects stay readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)
