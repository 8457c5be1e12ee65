"""Keeping an access token fresh without ever spending a refresh token twice.

FreshBooks refresh tokens are single-use: two refreshes racing lock the user out. So a refresh
happens under a lock (the store's own, which may live in a database and span processes, inside
a process-local one), the store is re-read inside the lock, and the new pair is saved to the
store before anybody uses it.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Generator
from contextlib import AbstractContextManager
from typing import Protocol, runtime_checkable

import httpx2

from .errors import PermissionDeniedError, ReauthorizationRequired
from .oauth import Token
from .scopes import Grant

__all__ = ["BearerAuth", "MemoryTokenStore", "TokenManager", "TokenStore"]


@runtime_checkable
class TokenStore(Protocol):
    """Where a connection's token pair lives (the app's store encrypts it at rest)."""

    def load(self) -> Token | None:
        """The current pair, or None when not connected."""

    def save(self, token: Token) -> None:
        """Persist a new pair; called before the pair is used."""


class MemoryTokenStore:
    """A process-local store, for tests and scripts."""

    def __init__(self, token: Token | None = None) -> None:
        self._token = token
        self._lock = threading.Lock()
        self.saves = 0

    def load(self) -> Token | None:
        """The current pair."""
        return self._token

    def save(self, token: Token) -> None:
        """Replace the pair."""
        self._token = token
        self.saves += 1

    def lock(self) -> AbstractContextManager[object]:
        """A lock shared by everyone using this store object."""
        return self._lock


class TokenManager:
    """Hands out a valid access token, refreshing at most once per expiry.

    ``refresh`` is usually :meth:`fbclient.oauth.OAuthFlow.refresh`. A store may offer a
    ``lock()`` context manager (a database row lock, say) so that several processes sharing it
    also refresh only once.
    """

    def __init__(
        self,
        store: TokenStore,
        refresh: Callable[[str], Token] | None,
        *,
        leeway: float = 120.0,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self._store = store
        self._refresh = refresh
        self._leeway = leeway
        self._clock = clock
        self._lock = threading.Lock()
        self._current: Token | None = None

    def _now(self) -> float | None:
        return self._clock() if self._clock else None

    @contextlib.contextmanager
    def _exclusive(self) -> Generator[None, None, None]:
        store_lock = getattr(self._store, "lock", None)
        with self._lock, store_lock() if callable(store_lock) else contextlib.nullcontext():
            yield

    def access_token(self) -> str:
        """A usable access token, refreshing it first when it is (nearly) expired."""
        token = self._current
        if token is not None and not token.expires_within(self._leeway, self._now()):
            return token.access_token
        return self._refresh_unless_done(stale=token.access_token if token else None, force=False)

    def refresh_after_rejection(self, rejected_access_token: str) -> str:
        """FreshBooks refused ``rejected_access_token`` (401): get a newer one, once."""
        return self._refresh_unless_done(stale=rejected_access_token, force=True)

    def _refresh_unless_done(self, *, stale: str | None, force: bool) -> str:
        with self._exclusive():
            # Re-read inside the lock: another thread or process may have refreshed already.
            stored = self._store.load()
            if stored is None:
                raise ReauthorizationRequired("Not connected to FreshBooks")
            needs_refresh = stored.expires_within(self._leeway, self._now())
            if force and stored.access_token == stale:
                needs_refresh = True  # the token FreshBooks refused is still the stored one
            if not needs_refresh:
                self._current = stored
                return stored.access_token
            if not stored.refresh_token or self._refresh is None:
                raise ReauthorizationRequired("The FreshBooks connection expired; reconnect")
            fresh = self._refresh(stored.refresh_token)
            if not fresh.scope and stored.scope:
                # A refresh answer without ``scope`` keeps the grant: a refresh never widens it.
                fresh = fresh.model_copy(update={"scope": stored.scope})
            self._store.save(fresh)  # persisted before use: the old refresh token is now dead
            self._current = fresh
            return fresh.access_token

    def grant(self) -> Grant:
        """The scopes the connection holds, as the token answer (or a later 403) said."""
        token = self._current or self._store.load()
        return Grant.of(token.scope if token is not None else "")

    def narrow(self, denied: PermissionDeniedError) -> None:
        """FreshBooks refused a request for a missing scope: keep what it said was granted.

        Its 403 lists the scopes the token carries ("Provided"); without that list the
        missing ones are taken out of a known grant. The stored token is rewritten, so every
        session and process of this connection stops offering what cannot work.
        """
        missing = denied.missing_scopes
        if not missing:
            return
        with self._exclusive():
            stored = self._store.load()
            if stored is None:
                return
            if denied.provided_scopes:
                kept = tuple(dict.fromkeys(denied.provided_scopes))
            elif stored.scope:
                kept = tuple(s for s in stored.scopes if s not in missing)
            else:
                return  # nothing known to narrow; the error itself says what is missing
            if set(kept) == set(stored.scopes):
                return
            narrowed = stored.model_copy(update={"scope": " ".join(kept)})
            self._store.save(narrowed)
            if self._current is not None and self._current.access_token == narrowed.access_token:
                self._current = narrowed

    @property
    def can_refresh(self) -> bool:
        """Whether a rejected token can be replaced without the user (a refresher is set)."""
        return self._refresh is not None

    def forget(self) -> None:
        """Drop the in-memory copy (after a disconnect)."""
        self._current = None


class BearerAuth(httpx2.Auth):
    """Signs requests with the manager's token and, on one 401, refreshes and resends once."""

    requires_request_body = True

    def __init__(self, manager: TokenManager) -> None:
        self._manager = manager

    def sync_auth_flow(
        self, request: httpx2.Request
    ) -> Generator[httpx2.Request, httpx2.Response, None]:
        """Attach the token; a 401 means it was revoked or rotated: refresh once and resend."""
        token = self._manager.access_token()
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code == 401 and self._manager.can_refresh:
            # A 401 means the request was not processed, so resending a POST is safe here.
            # (Without a refresher the 401 stands, and its body becomes the error.)
            response.read()
            newer = self._manager.refresh_after_rejection(token)
            request.headers["Authorization"] = f"Bearer {newer}"
            yield request
