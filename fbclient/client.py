"""The entry points: :class:`FreshBooksClient` for a connection, :class:`BusinessClient` per business."""

from __future__ import annotations

from functools import cached_property

import httpx2

from .http import DEFAULT_API_URL, HTTPClient
from .identity import Business, Identity, fetch_identity
from .resources._base import BusinessScope
from .resources.clients import Clients
from .retry import RetryPolicy
from .tokens import BearerAuth, MemoryTokenStore, TokenManager

__all__ = ["BusinessClient", "FreshBooksClient"]


class FreshBooksClient:
    """One FreshBooks connection (one user's token). Thread-safe; share it within a session."""

    def __init__(
        self,
        tokens: TokenManager,
        *,
        api_url: str = DEFAULT_API_URL,
        transport: httpx2.BaseTransport | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
        concurrency: int = 8,
        max_pages: int = 1000,
    ) -> None:
        self.tokens = tokens
        self.concurrency = concurrency
        self.max_pages = max_pages
        self.http = HTTPClient(
            api_url,
            auth=BearerAuth(tokens),
            transport=transport,
            retry=retry,
            timeout=timeout,
            # A little headroom over the page concurrency for parallel resource loads.
            max_connections=max(concurrency * 2, 4),
        )

    @classmethod
    def with_access_token(cls, access_token: str, **kwargs: object) -> FreshBooksClient:
        """A client for a bare access token (no refresh): scripts and tests."""
        from .oauth import Token  # local: keeps the import graph one-way at module load

        token = Token(access_token=access_token, expires_at=float("inf"))
        return cls(TokenManager(MemoryTokenStore(token), refresh=None), **kwargs)  # type: ignore[arg-type]

    def close(self) -> None:
        """Close pooled connections."""
        self.http.close()

    def __enter__(self) -> FreshBooksClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def identity(self) -> Identity:
        """The user and their businesses; the caller chooses which business to open."""
        return fetch_identity(self.http)

    def business(self, business: Business) -> BusinessClient:
        """The resources of one business."""
        return BusinessClient(
            BusinessScope(
                http=self.http,
                business_id=business.business_id,
                account_id=business.account_id,
                business_uuid=business.business_uuid,
                concurrency=self.concurrency,
                max_pages=self.max_pages,
            ),
            business,
        )


class BusinessClient:
    """Every resource of one business, bound to its account and business ids."""

    def __init__(self, scope: BusinessScope, business: Business | None = None) -> None:
        self.scope = scope
        self.info = business

    @cached_property
    def clients(self) -> Clients:
        """Clients (accounting)."""
        return Clients(self.scope)
