"""FreshBooks API client: OAuth, identity, every resource the product uses, typed errors.

Typical use::

    flow = OAuthFlow(OAuthSettings(client_id, client_secret, redirect_uri))
    tokens = TokenManager(store, refresh=flow.refresh)
    with FreshBooksClient(tokens) as fb:
        me = fb.identity()
        books = fb.business(me.businesses[0])
        overdue = books.invoices.list({"v3_status": "overdue"})
"""

from __future__ import annotations

from .client import BusinessClient, FreshBooksClient
from .errors import (
    APIError,
    AuthenticationError,
    ConflictError,
    FieldError,
    FreshBooksError,
    InvalidRequestError,
    NetworkError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ReauthorizationRequired,
    RequestTimeout,
    ResponseFormatError,
    ServerError,
)
from .identity import Business, Identity
from .oauth import DEFAULT_AUTH_URL, OAuthFlow, OAuthSettings, Token
from .pagination import ListResult, Page
from .resources._base import NoAccountingError
from .retry import RetryPolicy
from .tokens import MemoryTokenStore, TokenManager, TokenStore
from .types import CurrencyMismatchError, Money

__all__ = [
    "DEFAULT_AUTH_URL",
    "APIError",
    "AuthenticationError",
    "Business",
    "BusinessClient",
    "ConflictError",
    "CurrencyMismatchError",
    "FieldError",
    "FreshBooksClient",
    "FreshBooksError",
    "Identity",
    "InvalidRequestError",
    "ListResult",
    "MemoryTokenStore",
    "Money",
    "NetworkError",
    "NoAccountingError",
    "NotFoundError",
    "OAuthFlow",
    "OAuthSettings",
    "Page",
    "PermissionDeniedError",
    "RateLimitError",
    "ReauthorizationRequired",
    "RequestTimeout",
    "ResponseFormatError",
    "RetryPolicy",
    "ServerError",
    "Token",
    "TokenManager",
    "TokenStore",
]
