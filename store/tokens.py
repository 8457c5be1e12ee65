"""The token store of :mod:`fbclient.tokens`, in the database, encrypted, with a shared lock.

The lock (:func:`store.locks.database_lock`, named for the owner) is shared by every process
using the same database, so that several app processes refresh a connection once. Holding
SQLite's own write lock instead would block our own ``save``.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from fbclient.oauth import Token

from .crypto import Cipher, InvalidToken
from .locks import database_lock
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
        with database_lock(self._engine, f"token|{self.owner}"):
            yield

    def __repr__(self) -> str:
        return f"DatabaseTokenStore(owner={json.dumps(self.owner)})"
