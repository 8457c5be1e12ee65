"""Pending OAuth ``state`` values: single-use, short-lived, kept server-side.

The redirect back from FreshBooks starts a new Streamlit session, so ``st.session_state``
cannot hold the state; the store does. Only a hash is stored: a leaked table row cannot be
replayed as a state.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, update
from sqlalchemy.orm import Session, sessionmaker

from .schema import OAuthState, utcnow

__all__ = ["Claimed", "StateError", "StateStore"]


class StateError(Exception):
    """The state coming back is unknown (forged), already used (replayed) or expired."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    @property
    def user_message(self) -> str:
        """What to tell the person."""
        return {
            "unknown": "This sign-in link was not started here. Click Connect FreshBooks again.",
            "used": "This sign-in link was already used. Click Connect FreshBooks again.",
            "expired": "This sign-in link expired. Click Connect FreshBooks again.",
        }.get(self.reason, "The sign-in could not be completed. Please try again.")


@dataclass(frozen=True)
class Claimed:
    """A state spent on the way back: whose it was and the scopes its request asked for."""

    owner: str
    scopes: tuple[str, ...]


def _digest(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


class StateStore:
    """Issues and consumes OAuth states for app users ("owners")."""

    def __init__(
        self, sessions: sessionmaker[Session], ttl: timedelta = timedelta(minutes=10)
    ) -> None:
        self._sessions = sessions
        self._ttl = ttl

    def issue(self, owner: str, now: datetime | None = None, *, scopes: Sequence[str] = ()) -> str:
        """A new random state for ``owner`` whose request asks for ``scopes``; old expired
        states are swept on the way."""
        now = now or utcnow()
        state = secrets.token_urlsafe(32)
        with self._sessions() as session, session.begin():
            session.execute(delete(OAuthState).where(OAuthState.expires_at < now - self._ttl))
            session.add(
                OAuthState(
                    state_hash=_digest(state),
                    owner=owner,
                    created_at=now,
                    expires_at=now + self._ttl,
                    scopes=" ".join(scopes),
                )
            )
        return state

    def consume(self, state: str, now: datetime | None = None) -> str:
        """Mark ``state`` used and return its owner; raises :class:`StateError` otherwise."""
        return self.claim(state, now).owner

    def claim(self, state: str, now: datetime | None = None) -> Claimed:
        """Mark ``state`` used and return what it was issued for; raises :class:`StateError`
        when it is unknown, used or expired."""
        now = now or utcnow()
        digest = _digest(state or "")
        with self._sessions() as session, session.begin():
            # One conditional UPDATE: two tabs racing with the same state cannot both win.
            result = session.execute(
                update(OAuthState)
                .where(
                    OAuthState.state_hash == digest,
                    OAuthState.used_at.is_(None),
                    OAuthState.expires_at > now,
                )
                .values(used_at=now)
            )
            # An UPDATE answers with a cursor result: it has the row count.
            claimed = cast("CursorResult[Any]", result).rowcount
            row = session.get(OAuthState, digest)
            if claimed == 1 and row is not None:
                return Claimed(row.owner, tuple(row.scopes.split()))
        if row is None:
            raise StateError("unknown")
        if row.used_at is not None:
            raise StateError("used")
        raise StateError("expired")
