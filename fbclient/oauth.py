"""OAuth 2 with FreshBooks through Authlib: authorize URL, code exchange, refresh, revoke.

The client secret goes in the token request body (``client_secret_post``), as FreshBooks
expects. Refresh tokens are single-use; serializing refreshes is :mod:`fbclient.tokens`' job.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx2
from pydantic import BaseModel, ConfigDict

from .errors import (
    AuthenticationError,
    FreshBooksError,
    NetworkError,
    RateLimitError,
    ReauthorizationRequired,
    RequestTimeout,
    ResponseFormatError,
    ServerError,
)
from .http import DEFAULT_API_URL

if TYPE_CHECKING:
    from authlib.integrations.httpx_client import OAuth2Client

__all__ = [
    "DEFAULT_AUTH_URL",
    "OAuthFlow",
    "OAuthSettings",
    "Token",
]

DEFAULT_AUTH_URL = "https://auth.freshbooks.com"


class Token(BaseModel):
    """An access/refresh token pair and when the access token expires (unix seconds)."""

    model_config = ConfigDict(frozen=True)

    access_token: str
    refresh_token: str | None = None
    token_type: str = "Bearer"
    expires_at: float
    scope: str = ""

    def __repr__(self) -> str:
        # Never let a token reach a log line through repr().
        return f"Token(expires_at={self.expires_at}, scope={self.scope!r})"

    __str__ = __repr__

    @classmethod
    def from_response(cls, body: dict[str, Any], now: float | None = None) -> Token:
        """Build from a token endpoint answer; expiry is ``created_at + expires_in``."""
        try:
            created = float(body.get("created_at") or (now if now is not None else time.time()))
            expires_in = float(body.get("expires_in") or 43200)
            if not math.isfinite(created + expires_in):
                raise ValueError("the token's expiry is not a finite time")
            return cls(
                access_token=str(body["access_token"]),
                refresh_token=body.get("refresh_token"),
                token_type=str(body.get("token_type") or "Bearer"),
                expires_at=created + expires_in,
                scope=str(body.get("scope") or ""),
            )
        except (KeyError, TypeError, ValueError, OverflowError) as exc:
            raise ResponseFormatError("the token endpoint answered without a usable token") from exc

    def expires_within(self, seconds: float, now: float | None = None) -> bool:
        """True when the access token is expired or will be within ``seconds``."""
        return self.expires_at - seconds <= (now if now is not None else time.time())

    @property
    def scopes(self) -> tuple[str, ...]:
        """Granted scopes as a tuple."""
        return tuple(self.scope.split())


@dataclass(frozen=True)
class OAuthSettings:
    """An OAuth app registered with FreshBooks, and where its endpoints live."""

    client_id: str
    client_secret: str = field(repr=False)
    redirect_uri: str
    api_url: str = DEFAULT_API_URL
    auth_url: str = DEFAULT_AUTH_URL
    # Asked for when a call names none; empty: FreshBooks grants the app's registered scopes.
    scopes: Sequence[str] = ()

    @property
    def authorize_endpoint(self) -> str:
        """The browser page where the user approves the app."""
        return self.auth_url.rstrip("/") + "/oauth/authorize"

    @property
    def token_endpoint(self) -> str:
        """Code exchange and refresh."""
        return self.api_url.rstrip("/") + "/auth/oauth/token"

    @property
    def revoke_endpoint(self) -> str:
        """Token revocation."""
        return self.api_url.rstrip("/") + "/auth/oauth/revoke"


class OAuthFlow:
    """The OAuth operations of one app. Every method raises a :class:`FreshBooksError`."""

    def __init__(
        self,
        settings: OAuthSettings,
        *,
        transport: httpx2.BaseTransport | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.settings = settings
        self._transport = transport
        self._timeout = timeout

    def _session(self) -> OAuth2Client:
        # authlib (and cryptography under it) is imported when an OAuth call is made: a
        # process that only reads the mirror never pays its memory.
        from authlib.integrations.httpx_client import OAuth2Client

        return OAuth2Client(
            client_id=self.settings.client_id,
            client_secret=self.settings.client_secret,
            token_endpoint_auth_method="client_secret_post",
            revocation_endpoint_auth_method="client_secret_post",
            redirect_uri=self.settings.redirect_uri,
            scope=" ".join(self.settings.scopes) or None,
            transport=self._transport,
            timeout=self._timeout,
        )

    def authorization_url(self, state: str, scopes: Sequence[str] | None = None) -> str:
        """The URL to send the user to; FreshBooks echoes ``state`` back with the code.

        ``scopes`` (default: the settings') are the ones asked for.
        """
        with self._session() as session:
            extra = {} if scopes is None else {"scope": " ".join(scopes) or None}
            url, _ = session.create_authorization_url(
                self.settings.authorize_endpoint, state=state, **extra
            )
        return str(url)

    def exchange_code(self, code: str) -> Token:
        """Trade an authorization code (single-use, 5 minutes) for a token pair."""
        with self._session() as session:
            body = self._call(
                lambda: session.fetch_token(
                    self.settings.token_endpoint,
                    grant_type="authorization_code",
                    code=code,
                )
            )
        return Token.from_response(dict(body))

    def refresh(self, refresh_token: str) -> Token:
        """Trade a refresh token (single-use) for a new pair. Callers must serialize this."""
        with self._session() as session:
            body = self._call(
                lambda: session.refresh_token(
                    self.settings.token_endpoint,
                    refresh_token=refresh_token,
                    # The official SDKs send redirect_uri on refresh too.
                    redirect_uri=self.settings.redirect_uri,
                )
            )
        token = dict(body)
        if not token.get("refresh_token"):
            raise ReauthorizationRequired("FreshBooks did not return a new refresh token")
        return Token.from_response(token)

    def revoke(self, token: str) -> None:
        """Revoke a refresh token (and with it the access token) at FreshBooks."""
        with self._session() as session:
            response = self._call(
                lambda: session.revoke_token(self.settings.revoke_endpoint, token=token)
            )
        status = getattr(response, "status_code", 200)
        if status >= 400:
            raise AuthenticationError(f"FreshBooks refused to revoke the token (HTTP {status})")

    @staticmethod
    def _call(operation: Any) -> Any:
        from authlib.integrations.httpx_client import OAuthError

        try:
            return operation()
        except OAuthError as exc:
            message = exc.description or exc.error or "authorization failed"
            if exc.error in ("invalid_grant", "invalid_token", "unauthorized_client"):
                raise ReauthorizationRequired(message, status=400) from exc
            raise AuthenticationError(message, status=400) from exc
        except httpx2.HTTPStatusError as exc:
            status = exc.response.status_code
            if status == 429:
                raise RateLimitError("the token endpoint is rate limiting", status=429) from exc
            if status >= 500:
                raise ServerError(
                    f"the token endpoint failed (HTTP {status})", status=status
                ) from exc
            raise AuthenticationError(
                f"the token endpoint refused (HTTP {status})", status=status
            ) from exc
        except httpx2.TimeoutException as exc:
            raise RequestTimeout("the token endpoint did not answer in time") from exc
        except httpx2.TransportError as exc:
            raise NetworkError("the token endpoint could not be reached") from exc
        except FreshBooksError:
            raise
        except ValueError as exc:
            raise ResponseFormatError("the token endpoint sent an unreadable answer") from exc
