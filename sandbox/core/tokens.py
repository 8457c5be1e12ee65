"""OAuth grants: authorization codes, access tokens and single-use rotating refresh tokens.

Grants live in memory and are written through to SQLite, so a server restarted on the same
`--db` keeps accepting the tokens it issued.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox.core.db import Database

CODE_LIFETIME = dt.timedelta(minutes=5)
ACCESS_LIFETIME_SECONDS = 43200  # 12 hours, as FreshBooks

# Every scope the sandbox knows; a token asked for without `scope` gets all of them.
ALL_SCOPES: tuple[str, ...] = (
    "user:profile:read",
    "user:profile:write",
    "user:business:read",
    "user:clients:read",
    "user:clients:write",
    "user:invoices:read",
    "user:invoices:write",
    "user:estimates:read",
    "user:estimates:write",
    "user:expenses:read",
    "user:expenses:write",
    "user:payments:read",
    "user:payments:write",
    "user:projects:read",
    "user:projects:write",
    "user:time_entries:read",
    "user:time_entries:write",
    "user:billable_items:read",
    "user:billable_items:write",
    "user:taxes:read",
    "user:taxes:write",
    "user:teams:read",
    "user:teams:write",
    "user:reports:read",
)


class GrantError(Exception):
    """A code or refresh token that cannot be used (maps to OAuth `invalid_grant`)."""


@dataclass(frozen=True)
class AccessGrant:
    """What an accepted bearer token stands for."""

    token: str
    scopes: tuple[str, ...]
    identity_id: int


class TokenStore:
    """Issues, checks, rotates and revokes OAuth codes and tokens."""

    def __init__(self, db: Database, clock: Callable[[], dt.datetime], identity_id: int) -> None:
        self._db = db
        self._clock = clock
        self._identity_id = identity_id
        self._lock = threading.Lock()
        self._grants: dict[str, dict[str, Any]] = db.all_grants()

    def _put(self, token: str, body: dict[str, Any]) -> None:
        self._grants[token] = body
        self._db.put_grant(token, body)

    def _now(self) -> dt.datetime:
        return self._clock()

    # authorization codes ---------------------------------------------------------------------
    def issue_code(self, client_id: str, redirect_uri: str, scopes: tuple[str, ...]) -> str:
        """A single-use authorization code valid for five minutes."""
        code = secrets.token_urlsafe(24)
        expires = self._now() + CODE_LIFETIME
        self._put(
            code,
            {
                "type": "code",
                "client_id": client_id,
                "redirect_uri": redirect_uri,
                "scopes": list(scopes),
                "expires_at": expires.timestamp(),
                "used": False,
            },
        )
        return code

    def redeem_code(self, code: str, client_id: str, redirect_uri: str | None) -> dict[str, Any]:
        """Exchange a code for a token pair; raises GrantError when it cannot be used."""
        with self._lock:
            grant = self._grants.get(code)
            if not grant or grant["type"] != "code" or grant["client_id"] != client_id:
                raise GrantError("The provided authorization grant is invalid.")
            if grant["used"]:
                raise GrantError("The authorization code has already been used.")
            if self._now().timestamp() > grant["expires_at"]:
                raise GrantError("The authorization code has expired.")
            if redirect_uri is not None and redirect_uri != grant["redirect_uri"]:
                raise GrantError("The redirect URI does not match the authorization request.")
            self._put(code, {**grant, "used": True})
            return self._issue_pair(client_id, tuple(grant["scopes"]))

    # tokens ----------------------------------------------------------------------------------
    def issue(self, client_id: str, scopes: tuple[str, ...] | None = None) -> dict[str, Any]:
        """Mint a token pair directly (tests and demo mode; same store as the OAuth flow)."""
        with self._lock:
            return self._issue_pair(client_id, scopes or ALL_SCOPES)

    def _issue_pair(self, client_id: str, scopes: tuple[str, ...]) -> dict[str, Any]:
        access = secrets.token_hex(32)
        refresh = secrets.token_hex(32)
        created = int(self._now().timestamp())
        common = {"client_id": client_id, "scopes": list(scopes), "created_at": created}
        self._put(
            access,
            {
                **common,
                "type": "access",
                "pair": refresh,
                "expires_at": created + ACCESS_LIFETIME_SECONDS,
            },
        )
        self._put(refresh, {**common, "type": "refresh", "pair": access, "used": False})
        return {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": ACCESS_LIFETIME_SECONDS,
            "refresh_token": refresh,
            "scope": " ".join(scopes),
            "created_at": created,
        }

    def refresh(self, refresh_token: str, client_id: str) -> dict[str, Any]:
        """Rotate: the refresh token is spent and a new pair is returned."""
        with self._lock:
            grant = self._grants.get(refresh_token)
            if not grant or grant["type"] != "refresh" or grant["client_id"] != client_id:
                raise GrantError("The refresh token is invalid.")
            if grant["used"] or grant.get("revoked"):
                raise GrantError("The refresh token has already been used or revoked.")
            self._put(refresh_token, {**grant, "used": True})
            return self._issue_pair(client_id, tuple(grant["scopes"]))

    def revoke(self, token: str, client_id: str) -> bool:
        """Invalidate a token and its pair; False when the token is unknown."""
        with self._lock:
            grant = self._grants.get(token)
            if not grant or grant["type"] == "code" or grant["client_id"] != client_id:
                return False
            for key in (token, grant.get("pair")):
                if key and key in self._grants:
                    self._put(key, {**self._grants[key], "revoked": True})
            return True

    def check_access(self, token: str) -> AccessGrant | None:
        """The grant behind a bearer token, or None if unknown, revoked or expired."""
        grant = self._grants.get(token)
        if not grant or grant["type"] != "access" or grant.get("revoked"):
            return None
        if self._now().timestamp() >= grant["expires_at"]:
            return None
        return AccessGrant(token, tuple(grant["scopes"]), self._identity_id)
