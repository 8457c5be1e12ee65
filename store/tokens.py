"""The token store of :mod:`fbclient.tokens`, in the database, encrypted, with a shared lock.

The lock is shared by every process using the same database, so that several app processes
refresh a connection once: PostgreSQL takes an advisory transaction lock keyed by the owner;
a SQLite file (only ever shared by processes of one machine) an exclusive ``flock`` on a lock
file beside it. Holding SQLite's own write lock instead would block our own ``save``.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import threading
from collections.abc import Iterator

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from fbclient.oauth import Token

from .crypto import Cipher, InvalidToken
from .schema import Connection

__all__ = ["DatabaseTokenStore"]


class DatabaseTokenStore:
    """One owner's FreshBooks token pair, encrypted at rest."""

    def __init__(
        self, engine: Engine, sessions: sessionmaker[Session], cipher: Cipher, owner: str
    ) -> None:
        self._engine = engine
        self._sessions = sessions
        self._cipher = cipher
        self.owner = owner
        self._local = threading.RLock()

    def load(self) -> Token | None:
        """The stored pair, or None (also when it cannot be decrypted: the user reconnects)."""
        with self._sessions() as session:
            row = session.get(Connection, self.owner)
            if row is None:
                return None
            try:
                return Token.model_validate_json(self._cipher.decrypt(row.token_ciphertext))
            except (InvalidToken, ValueError):
                return None

    def save(self, token: Token) -> None:
        """Store a new pair (encrypted), keeping the chosen business."""
        ciphertext = self._cipher.encrypt(token.model_dump_json().encode())
        with self._sessions() as session, session.begin():
            row = session.get(Connection, self.owner)
            if row is None:
                row = Connection(owner=self.owner, token_ciphertext=ciphertext)
                session.add(row)
            row.token_ciphertext = ciphertext
            row.expires_at = token.expires_at
            row.scope = token.scope

    def delete(self) -> None:
        """Forget the connection (after disconnect)."""
        with self._sessions() as session, session.begin():
            row = session.get(Connection, self.owner)
            if row is not None:
                session.delete(row)

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Exclusive across threads and processes sharing this database, for one refresh."""
        with self._local:
            dialect = self._engine.dialect.name
            database = self._engine.url.database
            if dialect == "postgresql":
                digest = hashlib.sha256(self.owner.encode()).digest()[:8]
                key = int.from_bytes(digest, "big", signed=True)
                with self._engine.connect() as conn, conn.begin():
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})
                    yield
            elif dialect == "sqlite" and database and database != ":memory:":
                with open(f"{database}.lock", "a") as handle:
                    fcntl.flock(handle, fcntl.LOCK_EX)
                    try:
                        yield
                    finally:
                        fcntl.flock(handle, fcntl.LOCK_UN)
            else:
                yield  # an in-memory database lives in one process: the local lock suffices

    def __repr__(self) -> str:
        return f"DatabaseTokenStore(owner={json.dumps(self.owner)})"
