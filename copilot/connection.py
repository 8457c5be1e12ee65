"""Connecting an app user ("owner") to FreshBooks: OAuth start, callback, tokens, disconnect.

The redirect back from FreshBooks opens a new Streamlit session, so everything that must
survive it (the pending state, the tokens, the chosen business) lives in the store.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

import httpx2
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from fbclient import (
    FreshBooksClient,
    FreshBooksError,
    NetworkError,
    OAuthFlow,
    OAuthSettings,
    RateLimitError,
    ServerError,
    TokenManager,
)
from fbclient.scopes import Grant
from settings import Settings
from store.crypto import Cipher
from store.oauth_states import StateError, StateStore
from store.schema import Connection
from store.tokens import DatabaseTokenStore

__all__ = [
    "CallbackError",
    "CallbackParams",
    "ConnectionService",
    "ScopeRefused",
    "parse_callback_url",
]

log = logging.getLogger(__name__)


class CallbackError(Exception):
    """The way back from FreshBooks could not be completed; ``user_message`` says why."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


class ScopeRefused(CallbackError):
    """FreshBooks answered ``invalid_scope``: the app was not given every scope asked for."""

    def __init__(self, owner: str | None, asked: tuple[str, ...]) -> None:
        super().__init__(
            "FreshBooks refused to connect: your FreshBooks app does not have every scope "
            "this app asked for. Connect again with fewer scopes, or tick the missing ones on "
            "the FreshBooks developer page."
        )
        self.owner = owner
        self.asked = asked


@dataclass(frozen=True)
class CallbackParams:
    """What FreshBooks appends to the redirect URI."""

    code: str | None
    state: str | None
    error: str | None = None


def parse_callback_url(pasted: str) -> CallbackParams:
    """Read ``code``/``state`` (or ``error``) from an address the user pasted."""
    query = parse_qs(urlparse(pasted.strip()).query)

    def one(name: str) -> str | None:
        values = query.get(name)
        return values[0] if values else None

    if not (one("code") or one("error")):
        raise CallbackError(
            "That address has no authorization code. Paste the whole address of the page "
            "FreshBooks sent you to, starting with http."
        )
    return CallbackParams(code=one("code"), state=one("state"), error=one("error"))


class ConnectionService:
    """Per-owner FreshBooks connections stored (encrypted) in the database."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        sessions: sessionmaker[Session],
        cipher: Cipher,
        *,
        transport: httpx2.BaseTransport | None = None,
    ) -> None:
        self.settings = settings
        self._engine = engine
        self._sessions = sessions
        self._cipher = cipher
        self._transport = transport
        self.states = StateStore(sessions)
        self.flow = OAuthFlow(
            OAuthSettings(
                client_id=settings.freshbooks_client_id or "",
                client_secret=settings.freshbooks_client_secret or "",
                redirect_uri=settings.freshbooks_redirect_uri,
                api_url=settings.freshbooks_api_url,
                auth_url=settings.freshbooks_auth_url,
            ),
            transport=transport,
        )

    def token_store(self, owner: str) -> DatabaseTokenStore:
        """The owner's encrypted token row."""
        return DatabaseTokenStore(self._engine, self._sessions, self._cipher, owner)

    def start(self, owner: str, scopes: Sequence[str] | None = None) -> str:
        """The FreshBooks authorize URL asking for ``scopes`` (default: the settings'), with a
        fresh single-use state for ``owner``."""
        asked = tuple(scopes) if scopes is not None else self.settings.scopes
        return self.flow.authorization_url(self.states.issue(owner, scopes=asked), asked)

    def scopes_for(self, owner: str, adding: Sequence[str] = ()) -> tuple[str, ...]:
        """What a Reconnect asks for: the settings' scopes, what the connection holds now
        (a reconnect never drops a granted scope) and ``adding`` (a scope just ticked)."""
        held = self.grant(owner)
        return tuple(dict.fromkeys([*self.settings.scopes, *sorted(held.scopes or ()), *adding]))

    def refused_while_connected(self, owner: str, asked: Sequence[str]) -> str | None:
        """After ``invalid_scope``: None when ``owner`` has no connection (the Connect page
        offers fewer scopes), else the sentence for a connection left as it was."""
        if not self.is_connected(owner):
            return None
        held = self.grant(owner)
        extra = [s for s in asked if held.known and not held.allows(s)]
        named = ", ".join(extra) if extra else "the scopes asked for"
        return (
            f"FreshBooks refused {named}, so your connection is unchanged: tick "
            f"{'it' if len(extra) == 1 else 'them'} on the FreshBooks developer page first, "
            "then Reconnect."
        )

    def grant(self, owner: str) -> Grant:
        """The scopes ``owner``'s connection holds (unknown when not connected or not said)."""
        token = self.token_store(owner).load()
        return Grant.of(token.scope if token is not None else "")

    def complete(self, params: CallbackParams, *, expected_owner: str | None = None) -> str:
        """Check the state, exchange the code once, store the tokens; returns the owner.

        With ``expected_owner`` (the user of the session the browser came back to), a state
        issued to anyone else is refused before the code is exchanged.
        """
        if params.error:
            claimed = None
            if params.state:
                with contextlib.suppress(StateError):  # a declined authorization spends its state
                    claimed = self.states.claim(params.state)
            if params.error == "invalid_scope":
                if claimed is not None and expected_owner not in (None, claimed.owner):
                    claimed = None  # another user's request: its scopes are not for this one
                asked = claimed.scopes if claimed and claimed.scopes else self.settings.scopes
                raise ScopeRefused(claimed.owner if claimed else expected_owner, asked)
            if params.error == "access_denied":
                raise CallbackError("You declined access, so FreshBooks is not connected.")
            raise CallbackError(f"FreshBooks did not connect ({params.error}). Please try again.")
        if not params.code or not params.state:
            raise CallbackError("The address is missing its code or state. Please connect again.")
        try:
            owner = self.states.consume(params.state)
        except StateError as exc:
            raise CallbackError(exc.user_message) from exc
        if expected_owner is not None and owner != expected_owner:
            log.warning("callback refused: the state belongs to another app user")
            raise CallbackError(
                "This FreshBooks sign-in was started by another user of this app, so it was "
                "not used. Click Connect FreshBooks to connect your own account."
            )
        try:
            token = self.flow.exchange_code(params.code)
        except (NetworkError, ServerError, RateLimitError) as exc:
            # Never retried: the code is single-use and may be spent. A new sign-in is cheap.
            log.warning("code exchange failed: %s", type(exc).__name__)
            raise CallbackError(
                "FreshBooks could not finish the sign-in just now, so FreshBooks is not "
                "connected. Click Connect FreshBooks to try again."
            ) from exc
        except FreshBooksError as exc:
            log.warning("code exchange failed: %s", type(exc).__name__)
            raise CallbackError(
                "FreshBooks did not accept the sign-in (the code may have expired). "
                "Click Connect FreshBooks again."
            ) from exc
        self.token_store(owner).save(token)
        return owner

    def is_connected(self, owner: str) -> bool:
        """Whether tokens are stored for ``owner``."""
        return self.token_store(owner).load() is not None

    def client_for(self, owner: str) -> FreshBooksClient:
        """A client on the owner's stored tokens (refreshing them as needed)."""
        tokens = TokenManager(self.token_store(owner), refresh=self.flow.refresh)
        return FreshBooksClient(
            tokens, api_url=self.settings.freshbooks_api_url, transport=self._transport
        )

    def disconnect(self, owner: str) -> bool:
        """Revoke at FreshBooks (best effort) and delete the tokens; True if revoked."""
        store = self.token_store(owner)
        token = store.load()
        revoked = False
        if token is not None and token.refresh_token:
            try:
                self.flow.revoke(token.refresh_token)
                revoked = True
            except FreshBooksError as exc:
                log.warning("revoke failed: %s", type(exc).__name__)
        store.delete()
        return revoked

    def chosen_business(self, owner: str) -> int | None:
        """The business the owner picked last time."""
        with self._sessions() as session:
            row = session.get(Connection, owner)
            return row.business_id if row is not None else None

    def choose_business(self, owner: str, business_id: int) -> None:
        """Remember the owner's business choice across sessions."""
        with self._sessions() as session, session.begin():
            row = session.get(Connection, owner)
            if row is not None:
                row.business_id = business_id
